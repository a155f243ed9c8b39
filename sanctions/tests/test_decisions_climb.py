"""A proposed measure or an objection never waits for nobody below the top: when the head of the
case's institution may not decide it and nobody at the parent is free either (its head's seat empty
and no acting head, or its head the person reported), the next institution up decides it — found on
that head's dashboard, named on the case file, decided from the case institution's pages."""

from __future__ import annotations

import datetime

import time_machine
from django.urls import reverse

from governance.models import Membership, Role
from sanctions import deciders, services
from sanctions.models import MeasureState, ObjectionState
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import approved_measure, proposed_measure
from sanctions.tests.test_deciders import tree  # noqa: F401 - the fixture

TODAY = datetime.date(2026, 3, 4)
NOW = datetime.datetime(2026, 3, 4, 3, tzinfo=datetime.UTC)


def _empty_seat(tree, slug):  # noqa: F811
    Membership.objects.filter(user=tree["people"][slug, Role.HEAD], institution__slug=slug).update(ends_on=TODAY)


def test_a_measure_about_the_head_climbs_past_an_empty_kanwil_seat_to_the_ministry(tree):  # noqa: F811
    leaf, middle, top, people = tree["leaf"], tree["middle"], tree["top"], tree["people"]
    minister = people[top.slug, Role.HEAD]
    with time_machine.travel(NOW, tick=False):
        _empty_seat(tree, middle.slug)
        head, humas = people[leaf.slug, Role.HEAD], people[leaf.slug, Role.PUBLIC_RELATIONS]
        measure = proposed_measure(leaf, humas=humas, subject_staff=leaf.staff.get(user=head))
        decision = deciders.for_measure(measure)
        assert decision.institution == top and decision.users == (minister,) and decision.above

        case = plain_client(humas).get(reverse("sanctions:report_detail",
                                               kwargs={"institution": leaf.slug, "pk": measure.report_id}))
        assert minister.full_name in case.content.decode() and top.name in case.content.decode()

        client = mfa_client(minister)
        dashboard = client.get(reverse("governance:dashboard", kwargs={"institution": top.slug})).content.decode()
        listing = reverse("sanctions:decisions_escalated", kwargs={"institution": leaf.slug})
        assert listing in dashboard
        decide = reverse("sanctions:measure_decide_escalated", kwargs={"institution": leaf.slug, "pk": measure.pk})
        assert decide in client.get(listing).content.decode()
        client.post(decide, {"decision": "approve", "reason": "Terbukti; sesuai tata tertib grup."})
        measure.refresh_from_db()
        assert measure.state != MeasureState.PROPOSED and measure.decided_by == minister


def test_an_objection_whose_deciders_are_all_out_below_climbs_to_the_ministry(tree):  # noqa: F811
    leaf, middle, top, people = tree["leaf"], tree["middle"], tree["top"], tree["people"]
    minister = people[top.slug, Role.HEAD]
    with time_machine.travel(NOW, tick=False):
        head, humas = people[leaf.slug, Role.HEAD], people[leaf.slug, Role.PUBLIC_RELATIONS]
        measure = approved_measure(leaf, humas=humas, head=head, subject_name="Anggota Grup")
        # The madrasah's head leaves the seat and the Kanwil's seat is empty too.
        Membership.objects.filter(user=head, institution=leaf, role=Role.HEAD).update(ends_on=TODAY)
        _empty_seat(tree, middle.slug)
        objection = services.objection_file(actor=humas, measure=measure, text="Bukan dia yang mengirim.")
        decision = deciders.for_objection(objection)
        assert decision.institution == top and minister in decision.users
        services.objection_decide(actor=minister, objection=objection, upheld=True, reason="Akun dipakai orang lain.",
                                  as_parent=True)
        objection.refresh_from_db()
        assert objection.state == ObjectionState.UPHELD


def test_while_the_kanwil_has_a_free_head_the_ministry_does_not_decide(tree):  # noqa: F811
    leaf, middle, top, people = tree["leaf"], tree["middle"], tree["top"], tree["people"]
    with time_machine.travel(NOW, tick=False):
        head, humas = people[leaf.slug, Role.HEAD], people[leaf.slug, Role.PUBLIC_RELATIONS]
        measure = proposed_measure(leaf, humas=humas, subject_staff=leaf.staff.get(user=head))
        assert deciders.for_measure(measure).institution == middle
        decide = reverse("sanctions:measure_decide_escalated", kwargs={"institution": leaf.slug, "pk": measure.pk})
        assert mfa_client(people[top.slug, Role.HEAD]).get(decide).status_code == 403


def test_the_official_above_who_decides_opens_the_explanation_file(tree):  # noqa: F811
    """The decider sees the explanation, attached file included, wherever in the tree they sit."""
    from governance.tenancy import institution_scope
    from sanctions.tests.factories import confirmed_report, png_bytes

    middle, people = tree["middle"], tree["people"]
    humas, head = people["kanwil", Role.PUBLIC_RELATIONS], people["kanwil", Role.HEAD]
    with institution_scope(middle):
        report = confirmed_report(middle, humas=humas, subject_staff=middle.staff.get(user=head))
        services.explanation_record(actor=humas, report=report, text="Sudah dijelaskan di kertas.", how="paper",
                                    upload=("surat.png", png_bytes()))
        level = services.ladder_ensure(actor=humas, institution=middle).levels.order_by("position").first()
        measure = services.measure_propose(actor=humas, report=report, level=level)
    decision = deciders.for_measure(measure)
    assert decision.above
    client = mfa_client(decision.users[0])
    file_url = reverse("sanctions:explanation_file", kwargs={"institution": middle.slug, "pk": report.pk})
    page = client.get(reverse("sanctions:measure_decide_escalated", kwargs={"institution": middle.slug, "pk": measure.pk}))
    assert file_url in page.content.decode()
    opened = client.get(file_url)
    assert opened.status_code == 200 and opened["Content-Type"] == "image/png"
    assert plain_client(humas).get(file_url).status_code == 200  # Humas, who handles the case, as before
