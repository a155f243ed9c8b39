"""Objection and appeal as UU 30/2014 has them: the official who decided the measure reconsiders it;
if they keep it, the person may appeal once to the next official up (the parent's head, or the
acting head at the top), within 14 working days; a case decided above from the start is appealed
above the official who kept it, and has no appeal only when that was the acting head at the top.
An upheld appeal voids the measure and its letter, and the verification page says when."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import AuditEntry, Notification, Role
from governance.tests.factories import make_member
from members.tests.factories import StaffMemberFactory
from sanctions import deciders, selectors, services
from sanctions.models import MeasureState, ObjectionState, WarningLetter
from sanctions.tests.conftest import mfa_client, plain_client
from sanctions.tests.factories import approved_measure, proposed_measure, staff_for
from sanctions.tests.test_deciders import tree  # noqa: F401 - the fixture

LEVELS = ["top", "middle", "leaf"]


def kept_on_objection(institution, people, subject_staff):
    """A letter the head signed, objected to, and kept by the head on reconsideration."""
    head, humas = people[institution.slug, Role.HEAD], people[institution.slug, Role.PUBLIC_RELATIONS]
    measure = approved_measure(institution, humas=humas, head=head, subject_staff=subject_staff)
    objection = services.objection_file(actor=humas, measure=measure, text="Akun dipakai orang lain.")
    assert deciders.for_objection(objection).includes(head), "the official who decided reconsiders first"
    return services.objection_decide(actor=head, objection=objection, upheld=False, reason="Bukti cukup.")


@pytest.mark.parametrize("level", LEVELS)
def test_the_next_official_up_hears_the_appeal_at_every_level(tree, level):  # noqa: F811
    institution, people = tree[level], tree["people"]
    head, humas = people[institution.slug, Role.HEAD], people[institution.slug, Role.PUBLIC_RELATIONS]
    objection = kept_on_objection(institution, people, StaffMemberFactory(institution=institution, full_name="Budi"))
    appeal = services.appeal_file(actor=humas, objection=objection, text="Mohon ditinjau atasan.")

    decision = deciders.for_appeal(appeal)
    expected = people["kementerian", Role.ACTING] if level == "top" else people[institution.parent.slug, Role.HEAD]
    assert decision.users == (expected,) and decision.above == (level != "top")
    with pytest.raises(ValidationError):  # whoever kept the measure does not hear the appeal
        services.appeal_decide(actor=head, appeal=appeal, upheld=True, reason="x", as_parent=decision.above)
    services.appeal_decide(actor=expected, appeal=appeal, upheld=True, reason="Akun memang dipakai orang lain.",
                           as_parent=decision.above)
    measure = objection.measure
    measure.refresh_from_db()
    letter = WarningLetter.objects.get(measure=measure)
    assert measure.state == MeasureState.VOIDED and letter.voided_at is not None
    assert selectors.verify_letter_code(letter.verification_code).voided_on == institution.local_today()
    assert [e.action for e in AuditEntry.objects.filter(target_type="sanctions.appeal").order_by("seq")] == [
        "sanctions.appeal.filed", "sanctions.appeal.upheld"]
    with pytest.raises(ValidationError):  # one appeal, decided once
        services.appeal_file(actor=humas, objection=objection, text="Lagi.")


# A case about the head is decided above from the start: the appeal goes above whoever kept it.
ABOVE_THE_DECIDER = {"leaf": ("kementerian", Role.HEAD),  # kept by the Kanwil's head: the ministry's head
                     "middle": ("kementerian", Role.ACTING),  # kept by the ministry's head: its acting head
                     "top": None}  # kept by the ministry's acting head: nobody is above


@pytest.mark.parametrize("level", LEVELS)
def test_a_case_decided_above_from_the_start_is_appealed_above_the_official_who_kept_it(tree, level):  # noqa: F811
    institution, people = tree[level], tree["people"]
    head, humas = people[institution.slug, Role.HEAD], people[institution.slug, Role.PUBLIC_RELATIONS]
    measure = proposed_measure(institution, humas=humas, subject_staff=institution.staff.get(user=head))
    decision = deciders.for_measure(measure)
    services.measure_approve(actor=decision.users[0], measure=measure, reason="Terbukti.", as_parent=decision.above)
    objection = services.objection_file(actor=head, measure=measure, text="Saya keberatan.")
    assert deciders.for_objection(objection).users == decision.users
    services.objection_decide(actor=decision.users[0], objection=objection, upheld=False, reason="Tetap.",
                              as_parent=decision.above)
    page = mfa_client(head).get(reverse("sanctions:my_measure", kwargs={"institution": institution.slug,
                                                                        "pk": measure.pk})).content.decode()
    if ABOVE_THE_DECIDER[level] is None:
        with pytest.raises(ValidationError) as refused:
            services.appeal_file(actor=head, objection=objection, text="Banding.")
        assert refused.value.code == "no_appeal"
        assert "Tidak ada banding" in page
        return
    assert "Tidak ada banding" not in page
    appeal = services.appeal_file(actor=head, objection=objection, text="Mohon ditinjau pejabat di atasnya.")
    hearer = people[ABOVE_THE_DECIDER[level]]
    hearing = deciders.for_appeal(appeal)
    assert hearing.users == (hearer,) and hearing.above
    with pytest.raises(ValidationError):  # the official who kept the measure does not hear the appeal
        services.appeal_decide(actor=decision.users[0], appeal=appeal, upheld=True, reason="x", as_parent=True)
    url = reverse("sanctions:appeal_decide_escalated", kwargs={"institution": institution.slug, "pk": appeal.pk})
    assert mfa_client(hearer).get(url).status_code == 200
    # The hearer finds it on their own dashboard, at the ministry.
    dashboard = mfa_client(hearer).get(reverse("governance:dashboard", kwargs={"institution": "kementerian"}))
    assert reverse("sanctions:decisions_escalated", kwargs={"institution": institution.slug}) in dashboard.content.decode()
    services.appeal_decide(actor=hearer, appeal=appeal, upheld=False, reason="Keputusan sudah tepat.", as_parent=True)


def test_the_appeal_must_come_within_14_working_days(tree):  # noqa: F811
    leaf, people = tree["leaf"], tree["people"]
    humas = people[leaf.slug, Role.PUBLIC_RELATIONS]
    # Kept on Monday 3 November 2025 (WIB); 14 working days later is Friday 21 November.
    with time_machine.travel(datetime.datetime(2025, 11, 3, 3, tzinfo=datetime.UTC), tick=False):
        objection = kept_on_objection(leaf, people, StaffMemberFactory(institution=leaf, full_name="Budi"))
    assert services.appeal_deadline(objection) == datetime.date(2025, 11, 21)
    with time_machine.travel(datetime.datetime(2025, 11, 24, 3, tzinfo=datetime.UTC), tick=False):
        with pytest.raises(ValidationError) as late:
            services.appeal_file(actor=humas, objection=objection, text="Terlambat.")
    assert late.value.code == "late" and "21-11-2025" in late.value.messages[0]
    assert objection.state == ObjectionState.REJECTED and not hasattr(objection, "appeal")


def test_the_person_appeals_on_their_page_and_the_parent_head_decides_from_a_phone(tree):  # noqa: F811
    leaf, people = tree["leaf"], tree["people"]
    pegawai = make_member(leaf, Role.STAFF, email="pegawai.madrasah@contoh.test")  # the person reported
    objection = kept_on_objection(leaf, people, staff_for(pegawai, leaf))
    notice = Notification.objects.filter(recipient=pegawai, kind="sanctions.objection_decided").latest("pk")
    assert "banding" in str(notice.body).lower() or "appeal" in str(notice.body).lower()

    client = plain_client(pegawai)
    page_url = reverse("sanctions:my_measure", kwargs={"institution": leaf.slug, "pk": objection.measure_id})
    page = client.get(page_url).content.decode()
    assert reverse("sanctions:my_measure_appeal", kwargs={"institution": leaf.slug, "pk": objection.measure_id}) in page
    client.post(reverse("sanctions:my_measure_appeal", kwargs={"institution": leaf.slug, "pk": objection.measure_id}),
                {"text": "Saya mohon atasan meninjau ulang."})
    objection.refresh_from_db()
    appeal = objection.appeal

    parent_head = mfa_client(people[leaf.parent.slug, Role.HEAD])
    listing = parent_head.get(reverse("sanctions:decisions_escalated", kwargs={"institution": leaf.slug}))
    decide_url = reverse("sanctions:appeal_decide_escalated", kwargs={"institution": leaf.slug, "pk": appeal.pk})
    assert decide_url in listing.content.decode()
    shown = parent_head.get(decide_url).content.decode()
    assert "Saya mohon atasan meninjau ulang." in shown and "Bukti cukup." in shown
    parent_head.post(decide_url, {"decision": "uphold", "reason": "Alasan banding dapat diterima."})
    appeal.refresh_from_db()
    assert appeal.state == ObjectionState.UPHELD
    letter = WarningLetter.objects.get(measure=objection.measure)
    verify = plain_client(pegawai).get(reverse("verify_letter", kwargs={"code": letter.verification_code}))
    assert "dicabut" in verify.content.decode() or "revoked" in verify.content.decode()
    assert selectors.letter_status(letter) == "voided"
    # "What Santun holds about me" lists the appeal with its outcome
    mine = plain_client(pegawai).get(reverse("governance:my_data", kwargs={"institution": leaf.slug})).content.decode()
    assert "Banding saya" in mine and "Saya mohon atasan meninjau ulang." in mine
    assert "Alasan banding dapat diterima." in mine
