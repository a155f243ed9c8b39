"""An appeal never waits for nobody and is never heard by someone who took part in the case. When
the parent's head cannot hear it (the seat is empty, the head is on leave, is the person reported,
decided the measure, or files the appeal), the parent's acting head does; when nobody there is
free, it climbs to the next institution up, to the top, where the acting head hears it. Only when
nobody at all above is free is there no appeal, and the person's page says so."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, translation

from governance.models import Membership, Role
from governance.tests.factories import MembershipFactory, make_member
from members.tests.factories import StaffMemberFactory
from sanctions import deciders, services
from sanctions.models import ObjectionState
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import approved_measure, proposed_measure, staff_for
from sanctions.tests.test_deciders import tree  # noqa: F401 - the fixture

CONFLICTS = ["none", "empty", "leave", "subject", "decided", "appellant"]
TODAY = datetime.date(2026, 3, 4)  # a Wednesday
NOW = datetime.datetime(2026, 3, 4, 3, tzinfo=datetime.UTC)  # 10:00 in Jakarta


def _arrange(tree, level, conflict, cover):  # noqa: F811
    """The case at ``level`` kept on objection, with ``conflict`` on the first official up (the
    parent's head, or the acting head at the top) and, with ``cover``, a standing acting head at the
    parent. Returns the objection, who appeals, and who must hear the appeal (None: nobody)."""
    institution, people = tree[level], tree["people"]
    top = tree["top"]
    above = institution.parent if institution.parent_id else None
    head, humas = people[institution.slug, Role.HEAD], people[institution.slug, Role.PUBLIC_RELATIONS]
    first = people[above.slug, Role.HEAD] if above else people[top.slug, Role.ACTING]
    seat = above or top
    subject_staff = StaffMemberFactory(institution=institution, full_name="Budi Santoso")
    measure_decider, appellant, leave_cover, standing = head, humas, None, None
    if cover and above is not None:
        standing = make_member(above, Role.ACTING, email=f"plt.cadangan.{above.slug}@contoh.test")
        Membership.objects.filter(user=standing).update(starts_on=datetime.date(2020, 1, 1))
    if conflict == "empty":
        Membership.objects.filter(user=first, institution=seat).update(ends_on=TODAY)
    elif conflict == "leave":
        leave_cover = make_member(above, Role.ACTING, email=f"plh.{above.slug}@contoh.test")
        Membership.objects.filter(user=leave_cover).update(starts_on=datetime.date(2026, 3, 1),
                                                           ends_on=datetime.date(2026, 4, 1))
    elif conflict == "subject":
        subject_staff = staff_for(first, institution)
    elif conflict == "decided":
        if above is not None:  # the head here is on leave; the parent's head covers as Plh and decides
            MembershipFactory(user=first, institution=institution, role=Role.ACTING,
                              starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 4, 1))
        else:  # the top's head seat is empty: its acting head decides the measure and the objection
            Membership.objects.filter(user=head, institution=institution, role=Role.HEAD).update(ends_on=TODAY)
        measure_decider = first
    elif conflict == "appellant":
        MembershipFactory(user=first, institution=institution, role=Role.PUBLIC_RELATIONS,
                          starts_on=datetime.date(2020, 1, 1))
        appellant = first

    measure = approved_measure(institution, humas=humas, head=measure_decider, subject_staff=subject_staff)
    objection = services.objection_file(actor=humas, measure=measure, text="Akun dipakai orang lain.")
    assert deciders.for_objection(objection).includes(measure_decider), "who decided reconsiders first"
    objection = services.objection_decide(actor=measure_decider, objection=objection, upheld=False,
                                          reason="Bukti cukup.")

    if above is None:
        expected = first if conflict == "none" else None
    elif conflict == "none":
        expected = first
    elif conflict == "leave":
        expected = leave_cover
    elif standing is not None:
        expected = standing
    elif level == "middle":
        expected = people[top.slug, Role.ACTING]  # the top's head is out: its acting head hears it
    else:
        expected = people[top.slug, Role.HEAD]  # nobody free at the Kanwil: the ministry's head
    return objection, appellant, expected, {u.pk for u in (subject_staff.user, measure_decider, appellant, humas)
                                            if u is not None}


SCENARIOS = [(level, conflict, cover) for level in ("top", "middle", "leaf") for conflict in CONFLICTS
             for cover in (False, True)
             if not (level == "top" and (conflict == "leave" or cover))]


@pytest.mark.parametrize(("level", "conflict", "cover"), SCENARIOS)
def test_someone_free_always_hears_the_appeal_or_the_page_says_there_is_none(tree, level, conflict, cover):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        objection, appellant, expected, conflicted = _arrange(tree, level, conflict, cover)
        if expected is None:
            with pytest.raises(ValidationError) as refused:
                services.appeal_file(actor=appellant, objection=objection, text="Mohon ditinjau atasan.")
            assert refused.value.code == "no_appeal" and "banding" in refused.value.messages[0].lower()
            return
        appeal = services.appeal_file(actor=appellant, objection=objection, text="Mohon ditinjau atasan.")
        decision = deciders.for_appeal(appeal)
        assert expected in decision.users, deciders.describe(decision)
        assert not any(user.pk in conflicted for user in decision.users), "someone who took part hears the appeal"
        assert decision.above == (level != "top")
        for person in {*conflicted} - {u.pk for u in decision.users}:
            user = type(expected).objects.get(pk=person)
            with pytest.raises(ValidationError):
                services.appeal_decide(actor=user, appeal=appeal, upheld=True, reason="x", as_parent=decision.above)
        services.appeal_decide(actor=expected, appeal=appeal, upheld=False, reason="Tetap.", as_parent=decision.above)
        appeal.refresh_from_db()
        assert appeal.state == ObjectionState.REJECTED and appeal.decided_by == expected


def test_an_appeal_that_climbed_to_the_ministry_is_found_named_and_decided_there(tree):  # noqa: F811
    """The Kanwil's head is the person appealing (as the madrasah's Humas too) and the Kanwil has no
    acting head: the ministry's head finds the appeal on their dashboard, the case file names them,
    and they decide it from the madrasah's pages; the Kanwil's head cannot open it."""
    leaf, middle, top, people = tree["leaf"], tree["middle"], tree["top"], tree["people"]
    kanwil_head, minister = people[middle.slug, Role.HEAD], people[top.slug, Role.HEAD]
    with time_machine.travel(NOW, tick=False):
        objection, appellant, expected, _ = _arrange(tree, "leaf", "appellant", cover=False)
        appeal = services.appeal_file(actor=appellant, objection=objection, text="Mohon ditinjau Kementerian.")
        assert expected == minister

        humas = plain_client(people[leaf.slug, Role.PUBLIC_RELATIONS])
        case = humas.get(reverse("sanctions:report_detail", kwargs={"institution": leaf.slug,
                                                                    "pk": objection.measure.report_id}))
        text = case.content.decode()
        assert minister.full_name in text and top.name in text and "4 Maret 2026" in text
        with translation.override("id"):
            assert formats.date_format(appeal.decide_by, "DATE_FORMAT") in text, "the appeal's decide-by day"

        client = mfa_client(minister)
        dashboard = client.get(reverse("governance:dashboard", kwargs={"institution": top.slug})).content.decode()
        listing_url = reverse("sanctions:decisions_escalated", kwargs={"institution": leaf.slug})
        assert listing_url in dashboard
        decide_url = reverse("sanctions:appeal_decide_escalated", kwargs={"institution": leaf.slug, "pk": appeal.pk})
        assert decide_url in client.get(listing_url).content.decode()
        page = client.get(decide_url)
        assert page.status_code == 200 and "Mohon ditinjau Kementerian." in page.content.decode()
        assert mfa_client(kanwil_head).post(decide_url, {"decision": "uphold", "reason": "Saya."}).status_code in (200, 403)
        appeal.refresh_from_db()
        assert appeal.state == ObjectionState.FILED, "the person appealing never decides the appeal"
        client.post(decide_url, {"decision": "uphold", "reason": "Alasan banding dapat diterima."})
        appeal.refresh_from_db()
        assert appeal.state == ObjectionState.UPHELD and appeal.decided_by == minister


def test_the_ministry_head_opens_only_the_appeals_that_are_theirs(tree):  # noqa: F811
    leaf, top, people = tree["leaf"], tree["top"], tree["people"]
    with time_machine.travel(NOW, tick=False):
        head, humas = people[leaf.slug, Role.HEAD], people[leaf.slug, Role.PUBLIC_RELATIONS]
        measure = approved_measure(leaf, humas=humas, head=head, subject_name="Anggota Grup")
        objection = services.objection_decide(actor=head, upheld=False, reason="Bukti cukup.",
                                              objection=services.objection_file(actor=humas, measure=measure, text="x"))
        appeal = services.appeal_file(actor=humas, objection=objection, text="Banding.")
        assert deciders.for_appeal(appeal).institution == leaf.parent  # the Kanwil's head hears it
        url = reverse("sanctions:appeal_decide_escalated", kwargs={"institution": leaf.slug, "pk": appeal.pk})
        assert mfa_client(people[top.slug, Role.HEAD]).get(url).status_code == 403
        assert mfa_client(people[leaf.parent.slug, Role.HEAD]).get(url).status_code == 200


def test_a_top_level_case_with_nobody_free_above_says_there_is_no_appeal(tree):  # noqa: F811
    top, people = tree["top"], tree["people"]
    pegawai = make_member(top, Role.STAFF, email="pegawai.kementerian@contoh.test")
    Membership.objects.filter(user=pegawai).update(starts_on=datetime.date(2020, 1, 1))
    with time_machine.travel(NOW, tick=False):
        Membership.objects.filter(user=people[top.slug, Role.ACTING]).update(ends_on=TODAY)
        head, humas = people[top.slug, Role.HEAD], people[top.slug, Role.PUBLIC_RELATIONS]
        measure = proposed_measure(top, humas=humas, subject_staff=staff_for(pegawai, top))
        services.measure_approve(actor=head, measure=measure, reason="Terbukti.")
        objection = services.objection_file(actor=pegawai, measure=measure, text="Saya keberatan.")
        services.objection_decide(actor=head, objection=objection, upheld=False, reason="Tetap.")
        page = plain_client(pegawai).get(reverse("sanctions:my_measure", kwargs={"institution": top.slug,
                                                                                   "pk": measure.pk}))
        text = page.content.decode()
    assert reverse("sanctions:my_measure_appeal", kwargs={"institution": top.slug, "pk": measure.pk}) not in text
    assert page.status_code == 200, page.status_code
    assert "Tidak ada banding" in text
