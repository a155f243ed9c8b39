"""No case waits with nobody able to decide it: at every level of a tree, whoever the subject and
whoever the proposer, someone may decide — and it is never the subject or the proposer."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance.models import AuditEntry, Institution, Membership, Role
from governance.tests.factories import InstitutionFactory, MembershipFactory, make_member
from members import services as members_services
from members.tests.factories import StaffMemberFactory
from sanctions import deciders, services
from sanctions.models import MeasureState
from sanctions.tests.factories import proposed_measure, publish_code, staff_for


@pytest.fixture
def tree(db, unscoped):
    """A ministry (top, with a standing acting head), a Kanwil below it and a madrasah below that."""
    top = InstitutionFactory(slug="kementerian", name="Kementerian", kind=Institution.Kind.MINISTRY)
    middle = InstitutionFactory(slug="kanwil", name="Kanwil", parent=top, kind=Institution.Kind.REGIONAL_OFFICE)
    leaf = InstitutionFactory(slug="madrasah", name="MTsN", parent=middle)
    people = {}
    for institution in (top, middle, leaf):
        publish_code(institution)
        for role in (Role.HEAD, Role.PUBLIC_RELATIONS):
            user = make_member(institution, role, email=f"{role}.{institution.slug}@contoh.test")
            staff_for(user, institution)
            people[institution.slug, role] = user
    acting = make_member(top, Role.ACTING, email="plt.kementerian@contoh.test")
    staff_for(acting, top)
    people["kementerian", Role.ACTING] = acting
    Membership.objects.update(starts_on=datetime.date(2020, 1, 1))
    return {"top": top, "middle": middle, "leaf": leaf, "people": people}


def make_member_role(user, institution, role):
    MembershipFactory(user=user, institution=institution, role=role, starts_on=datetime.date(2020, 1, 1))


def _staff(user, institution):
    return institution.staff.get(user=user)


# Every subject with every proposer, except a person proposing a measure about themselves.
COMBINATIONS = [(subject, proposer) for subject in ("staff", Role.HEAD, Role.PUBLIC_RELATIONS)
                for proposer in (Role.PUBLIC_RELATIONS, Role.HEAD) if subject != proposer]


@pytest.mark.parametrize("level", ["top", "middle", "leaf"])
@pytest.mark.parametrize(("subject_role", "proposer_role"), COMBINATIONS)
def test_someone_may_decide_every_case_at_every_level(tree, level, subject_role, proposer_role):
    institution = tree[level]
    people = tree["people"]
    proposer = people[institution.slug, proposer_role]
    if subject_role == "staff":
        subject_staff = StaffMemberFactory(institution=institution, full_name="Budi Santoso")
    else:
        subject_staff = _staff(people[institution.slug, subject_role], institution)
    if proposer_role == Role.HEAD:  # a head who also coordinates public relations proposes
        make_member_role(proposer, institution, Role.PUBLIC_RELATIONS)
    measure = proposed_measure(institution, humas=proposer, subject_staff=subject_staff)

    decision = deciders.for_measure(measure)
    assert decision.exists, deciders.describe(decision)
    excluded = {proposer.pk, subject_staff.user_id}
    assert not any(user.pk in excluded for user in decision.users)
    for refused in [proposer, *([subject_staff.user] if subject_staff.user_id else [])]:
        with pytest.raises(ValidationError):
            services.measure_approve(actor=refused, measure=measure, reason="Setuju.", as_parent=decision.above)
    services.measure_approve(actor=decision.users[0], measure=measure, reason="Setuju.", as_parent=decision.above)
    measure.refresh_from_db()
    assert measure.state == MeasureState.ACTIVE


def test_at_the_top_the_acting_head_decides_a_case_about_the_head(tree):
    top, people = tree["top"], tree["people"]
    head = people["kementerian", Role.HEAD]
    measure = proposed_measure(top, humas=people["kementerian", Role.PUBLIC_RELATIONS], subject_staff=_staff(head, top))
    decision = deciders.for_measure(measure)
    assert decision.acting and not decision.above and decision.users == (people["kementerian", Role.ACTING],)
    acting = people["kementerian", Role.ACTING]
    name = acting.full_name or acting.email
    assert name and name in deciders.describe(decision)


def test_without_an_acting_head_the_case_file_says_who_must_appoint_one(tree):
    top, people = tree["top"], tree["people"]
    Membership.objects.filter(role=Role.ACTING).update(ends_on=datetime.date(2021, 1, 1))
    head = people["kementerian", Role.HEAD]
    measure = proposed_measure(top, humas=people["kementerian", Role.PUBLIC_RELATIONS], subject_staff=_staff(head, top))
    decision = deciders.for_measure(measure)
    assert not decision.exists
    with pytest.raises(ValidationError) as refused:
        services.measure_approve(actor=head, measure=measure, reason="Setuju.")
    assert refused.value.code == "nobody" and "Kementerian" in refused.value.messages[0]


def test_during_the_heads_leave_the_acting_head_decides_and_the_head_does_not(tree):
    leaf, people = tree["leaf"], tree["people"]
    head = people["madrasah", Role.HEAD]
    deputy = make_member(leaf, Role.STAFF, email="wakamad@contoh.test")
    staff = staff_for(deputy, leaf)
    today = leaf.local_today()
    members_services.acting_appoint(actor=people["kanwil", Role.HEAD], staff=staff,
                                    ends_on=today + datetime.timedelta(days=10))
    measure = proposed_measure(leaf, humas=people["madrasah", Role.PUBLIC_RELATIONS],
                               subject_staff=StaffMemberFactory(institution=leaf))
    decision = deciders.for_measure(measure)
    assert decision.acting and decision.users == (deputy,)
    with pytest.raises(ValidationError) as refused:
        services.measure_approve(actor=head, measure=measure, reason="Setuju.")
    assert refused.value.code == "acting"
    # The head's own list is empty and says why: the acting head decides until the head is back.
    from django.urls import reverse

    from sanctions.tests.conftest import mfa_client

    page = mfa_client(head).get(reverse("sanctions:decisions", kwargs={"institution": leaf.slug})).content.decode()
    assert "leave-cover" in page and str(deputy) in page
    assert reverse("sanctions:measure_decide", kwargs={"institution": leaf.slug, "pk": measure.pk}) not in page
    services.measure_approve(actor=deputy, measure=measure, reason="Setuju.")



def test_a_leave_planned_ahead_hands_the_decisions_over_on_its_first_day(tree):
    """The parent's head enters next week's leave on the page; until it starts, the head decides."""
    import time_machine
    from django.urls import reverse

    from sanctions.tests.conftest import mfa_client

    leaf, people = tree["leaf"], tree["people"]
    deputy = make_member(leaf, Role.STAFF, email="wakamad.cuti@contoh.test")
    staff = staff_for(deputy, leaf)
    today = leaf.local_today()
    first, back = today + datetime.timedelta(days=7), today + datetime.timedelta(days=14)
    appoint = reverse("members:acting_appoint", kwargs={"institution": leaf.slug})
    client = mfa_client(people["kanwil", Role.HEAD])
    refused = client.post(appoint, {"staff": staff.pk, "starts_on": (today - datetime.timedelta(days=1)).isoformat()})
    assert refused.status_code == 400 and "tidak di masa lalu" in refused.content.decode()
    assert client.post(appoint, {"staff": staff.pk, "starts_on": first.isoformat(),
                                 "ends_on": back.isoformat()}).status_code == 302
    measure = proposed_measure(leaf, humas=people["madrasah", Role.PUBLIC_RELATIONS],
                               subject_staff=StaffMemberFactory(institution=leaf))
    assert deciders.for_measure(measure).users == (people["madrasah", Role.HEAD],)
    with time_machine.travel(datetime.datetime.combine(first, datetime.time(9), leaf.tzinfo)):
        decision = deciders.for_measure(measure)
        assert decision.acting and decision.users == (deputy,)

def test_an_empty_seat_without_an_acting_head_goes_to_the_parent(tree):
    leaf, people = tree["leaf"], tree["people"]
    Membership.objects.filter(institution=leaf, role=Role.HEAD).update(ends_on=datetime.date(2021, 1, 1))
    measure = proposed_measure(leaf, humas=people["madrasah", Role.PUBLIC_RELATIONS],
                               subject_staff=StaffMemberFactory(institution=leaf))
    decision = deciders.for_measure(measure)
    assert decision.above and decision.users == (people["kanwil", Role.HEAD],)
    services.measure_approve(actor=people["kanwil", Role.HEAD], measure=measure, reason="Setuju.", as_parent=True)


def test_only_the_parent_appoints_an_acting_head(tree):
    leaf, people = tree["leaf"], tree["people"]
    staff = StaffMemberFactory(institution=leaf, user=make_member(leaf, Role.STAFF, email="guru@contoh.test"))
    with pytest.raises(PermissionDenied):
        members_services.acting_appoint(actor=people["madrasah", Role.HEAD], staff=staff)
    members_services.acting_appoint(actor=people["kanwil", Role.HEAD], staff=staff)
    entry = AuditEntry.objects.filter(action="governance.membership.granted", institution=leaf).latest("seq")
    assert entry.data["role"] == Role.ACTING and entry.actor == people["kanwil", Role.HEAD]


def test_a_platform_operator_appoints_the_acting_head_of_a_top_level_institution(tree):
    from io import StringIO

    from django.core.management import call_command

    top, people = tree["top"], tree["people"]
    Membership.objects.filter(role=Role.ACTING).update(ends_on=datetime.date(2021, 1, 1))
    deputy = make_member(top, Role.STAFF, email="sekjen@contoh.test")
    staff_for(deputy, top)
    head = people["kementerian", Role.HEAD]
    measure = proposed_measure(top, humas=people["kementerian", Role.PUBLIC_RELATIONS], subject_staff=_staff(head, top))
    assert not deciders.for_measure(measure).exists
    out = StringIO()
    call_command("appoint_acting", top.slug, "sekjen@contoh.test", stdout=out)
    assert deciders.for_measure(measure).users == (deputy,)
    assert AuditEntry.objects.filter(action="governance.membership.granted", institution=top, actor=None).exists()


@pytest.mark.parametrize(("empty", "signs_for"), [
    ("leaf", "Kanwil"),  # the madrasah's seat is empty: the Kanwil head decides and signs as the Kanwil's head
    ("middle", "Kementerian"),  # the head is the subject and the Kanwil's seat is empty: the case climbs to the top
])
def test_the_letter_is_signed_from_the_seat_of_whoever_decided(tree, empty, signs_for):
    from sanctions.models import WarningLetter

    leaf, people = tree["leaf"], tree["people"]
    Membership.objects.filter(institution=tree[empty], role=Role.HEAD).update(ends_on=datetime.date(2021, 1, 1))
    subject = (StaffMemberFactory(institution=leaf, full_name="Budi Santoso") if empty == "leaf"
               else _staff(people["madrasah", Role.HEAD], leaf))
    measure = proposed_measure(leaf, humas=people["madrasah", Role.PUBLIC_RELATIONS], subject_staff=subject)
    decision = deciders.for_measure(measure)
    assert decision.institution.name == signs_for
    services.measure_approve(actor=decision.users[0], measure=measure, reason="Setuju.", as_parent=decision.above)
    letter = WarningLetter.objects.get(measure=measure)
    assert signs_for in letter.signer_position and "MTsN" not in letter.signer_position
    assert letter.signer_name == _staff(decision.users[0], decision.institution).full_name
