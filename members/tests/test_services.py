"""Rules of the members services: staff records, moves, roles, onboarding, groups, acknowledgements."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from governance import services as governance_services
from governance.models import AuditEntry, Institution, Membership, Notification, Role
from governance.signals import code_published
from governance.tests.factories import ChannelFactory, InstitutionFactory, UserFactory, make_member
from members import selectors, services
from members.models import Acknowledgement, GroupMembership, Invitation, StaffMember
from members.tests.factories import AcknowledgementFactory, CodeVersionFactory, StaffMemberFactory


def actions(institution):
    with scope(institution=institution):
        return list(AuditEntry.objects.filter(institution=institution).values_list("action", flat=True))


# Staff ---------------------------------------------------------------------------------------

def test_staff_create_derives_birth_date_and_sex_and_normalises_the_phone(side_a):
    staff = services.staff_create(actor=side_a.users["operator"], institution=side_a.institution,
                                  full_name="  Misliyani,  S.Ag., M.Pd.I. ", nip="19800517 200503 2 007",
                                  phone="0812 3456 7890", status=StaffMember.Status.PNS)
    assert staff.full_name == "Misliyani, S.Ag., M.Pd.I."
    assert staff.nip == "198005172005032007" and staff.sex == "P" and staff.birth_date == datetime.date(1980, 5, 17)
    assert staff.phone == "+6281234567890"
    assert "members.staff.created" in actions(side_a.institution)


def test_staff_create_names_the_wrong_field(side_a):
    with pytest.raises(ValidationError) as error:
        services.staff_create(actor=None, institution=side_a.institution, full_name="A", nip="19800517200513 2007",
                              phone="12")
    assert set(error.value.message_dict) == {"nip", "phone"}
    assert "ke-9 sampai ke-14" in error.value.message_dict["nip"][0]


def test_a_nip_current_elsewhere_is_refused_without_naming_the_other_institution(side_a, side_b, unscoped):
    StaffMemberFactory(institution=side_b.institution, nip="198005172005032007")
    with pytest.raises(ValidationError) as error:
        services.staff_create(actor=None, institution=side_a.institution, full_name="A", nip="198005172005032007")
    message = error.value.message_dict["nip"][0]
    assert "instansi lain" in message and side_b.institution.name not in message


def test_audit_data_holds_no_personal_data(side_a):
    staff = services.staff_create(actor=None, institution=side_a.institution, full_name="Rahasia Sekali",
                                  nip="198005172005032007", phone="081234567890")
    with scope(institution=side_a.institution):
        entry = AuditEntry.objects.get(action="members.staff.created")
    text = str(entry.data)
    assert "Rahasia" not in text and staff.nip not in text and "81234567890" not in text


def test_moving_ends_the_record_here_and_starts_one_there(side_a, unscoped):
    parent = side_a.parent
    sibling = InstitutionFactory(slug="instansi-a-saudara", parent=parent)
    operator_b = make_member(sibling, Role.OPERATOR)
    person = make_member(side_a.institution, Role.STAFF)
    staff = StaffMemberFactory(institution=side_a.institution, user=person, nip="198005172005032007")
    channel = ChannelFactory(institution=side_a.institution)
    services.group_membership_add(actor=None, channel=channel, staff=staff)
    assert sibling in selectors.move_destinations(side_a.users["operator"], side_a.institution)
    moved = services.staff_move(actor=side_a.users["operator"], staff=staff, to=sibling)
    staff.refresh_from_db()
    assert staff.left_on == side_a.institution.local_today() and staff.leave_reason == "moved"
    assert moved.institution == sibling and moved.nip == staff.nip and moved.is_current
    assert not GroupMembership.objects.filter(staff=staff, until__isnull=True).exists()
    assert not Membership.objects.active().filter(user=person, institution=side_a.institution).exists()
    assert Membership.objects.active().filter(user=person, institution=sibling, role=Role.STAFF).exists()
    assert Notification.objects.filter(recipient=operator_b, kind="members.staff_moved_in").exists()
    assert "members.staff.moved_out" in actions(side_a.institution)
    assert "members.staff.moved_in" in actions(sibling)


def test_an_operator_cannot_move_people_into_an_unrelated_institution(side_a, side_b, unscoped):
    staff = StaffMemberFactory(institution=side_a.institution)
    assert side_b.institution not in selectors.move_destinations(side_a.users["operator"], side_a.institution)
    with pytest.raises(PermissionDenied):
        services.staff_move(actor=side_a.users["operator"], staff=staff, to=side_b.institution)
    staff.refresh_from_db()
    assert staff.is_current


def test_leaving_keeps_the_record(side_a, unscoped):
    staff = StaffMemberFactory(institution=side_a.institution)
    services.staff_end(actor=side_a.users["operator"], staff=staff, reason=StaffMember.LeaveReason.RETIRED)
    assert StaffMember.objects.get(pk=staff.pk).left_on is not None
    with pytest.raises(ValidationError):
        services.staff_update(actor=None, staff=staff, position="Guru")


# Roles ---------------------------------------------------------------------------------------

def test_operator_grants_roles_below_the_head_but_not_the_head(side_a, unscoped):
    operator = side_a.users["operator"]
    user = UserFactory()
    staff = StaffMemberFactory(institution=side_a.institution, user=user)
    services.role_grant(actor=operator, staff=staff, role=Role.PUBLIC_RELATIONS)
    assert Membership.objects.active().filter(user=user, role=Role.PUBLIC_RELATIONS).exists()
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=operator, staff=staff, role=Role.HEAD)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=operator, staff=staff, role=Role.HEAD, email="kepala@contoh.test")
    assert selectors.grantable_roles(selectors.access_for(operator, side_a.institution)) == [
        Role.STAFF, Role.PUBLIC_RELATIONS, Role.OPERATOR]


def test_the_parents_operator_and_head_grant_the_head_role(side_a, unscoped):
    user = UserFactory()
    staff = StaffMemberFactory(institution=side_a.institution, user=user)
    membership = services.role_grant(actor=side_a.parent_users["operator"], staff=staff, role=Role.HEAD)
    assert membership.role == Role.HEAD and membership.granted_by == side_a.parent_users["operator"]
    services.role_revoke(actor=side_a.parent_users["kepala"], membership=membership)
    assert Membership.objects.get(pk=membership.pk).ends_on is not None
    with pytest.raises(PermissionDenied):
        services.role_revoke(actor=side_a.users["operator"], membership=Membership.objects.filter(
            institution=side_a.institution, role=Role.HEAD, ends_on__isnull=True).first())
    assert actions(side_a.institution).count("governance.membership.granted") >= 1
    assert "governance.membership.ended" in actions(side_a.institution)


def test_nobody_takes_away_their_own_role(side_a, unscoped):
    operator = side_a.users["operator"]
    own = Membership.objects.get(user=operator, institution=side_a.institution)
    with pytest.raises(ValidationError):
        services.role_revoke(actor=operator, membership=own)


def test_an_invitation_is_one_time_and_expires(side_a, unscoped, django_capture_on_commit_callbacks):
    staff = StaffMemberFactory(institution=side_a.institution, email="guru@contoh.test")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(actor=side_a.users["operator"], staff=staff, role=Role.STAFF)
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "[Santun] Undangan ke Santun"
    assert staff.full_name not in mail.outbox[0].subject
    token = mail.outbox[0].body.split("/undangan/")[1].split("/")[0]
    assert services.invitation_for_token(token) == invitation
    assert invitation.token_hash != token, "only a hash of the token is stored"
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.created_at - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=Invitation.objects.get(pk=invitation.pk), password="sandi-panjang-sekali-9")


# Onboarding ----------------------------------------------------------------------------------

@pytest.fixture
def office(side_a):
    """side_a's institution as a district office, which has institutions below it."""
    Institution.objects.filter(pk=side_a.institution.pk).update(kind=Institution.Kind.DISTRICT_OFFICE)
    side_a.institution.refresh_from_db()
    return side_a.institution


def onboard(actor, parent, **overrides):
    fields = dict(name="MTs Negeri 2 Muara Enim", slug="mtsn-2-muara-enim", kind=Institution.Kind.MADRASAH,
                  province_code="16", regency_code="16.03", timezone_name="Asia/Jakarta", nsm="121116030002",
                  letter_unit_code="Mts.06.03.2", head_name="Kepala Baru, S.Pd.", head_email="kepala@mtsn2.test",
                  operator_name="Operator Baru", operator_email="operator@mtsn2.test")
    fields.update(overrides)
    return services.institution_onboard(actor=actor, parent=parent, **fields)


def test_the_parents_operator_onboards_a_child_and_invites_its_head_and_operator(side_a, office, unscoped, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        child = onboard(side_a.users["operator"], side_a.institution)
    assert child.parent == side_a.institution and child.path.startswith(side_a.institution.path)
    invitations = Invitation.objects.filter(institution=child)
    assert sorted(invitations.values_list("role", flat=True)) == [Role.HEAD, Role.OPERATOR]
    assert sorted(m.to[0] for m in mail.outbox) == ["kepala@mtsn2.test", "operator@mtsn2.test"]
    assert "members.institution.onboarded" in actions(side_a.institution)
    assert "governance.institution.created" in actions(child)


@pytest.mark.parametrize("overrides, field", [
    ({"nsm": ""}, "nsm"),
    ({"nsm": "121316030002"}, "nsm"),
    ({"timezone_name": "Asia/Makassar"}, "timezone"),
    ({"regency_code": "63.72"}, "regency_code"),
    ({"kind": Institution.Kind.AGENCY}, "nsm"),
    ({"slug": "instansi-a"}, "slug"),
])
def test_onboarding_refuses_wrong_details_and_saves_nothing(side_a, office, unscoped, overrides, field):
    before = Institution.objects.count()
    with pytest.raises(ValidationError) as error:
        onboard(side_a.users["operator"], side_a.institution, **overrides)
    assert field in error.value.message_dict
    assert Institution.objects.count() == before


def test_only_an_operator_of_the_parent_onboards(side_a, office, side_b, unscoped):
    with pytest.raises(PermissionDenied):
        onboard(side_a.users["operator"], side_b.institution)
    with pytest.raises(PermissionDenied):
        onboard(side_a.users["humas"], side_a.institution)


def test_nothing_is_onboarded_below_a_madrasah(side_b, unscoped):
    assert side_b.institution.kind == Institution.Kind.MADRASAH
    with pytest.raises(ValidationError):
        onboard(side_b.users["operator"], side_b.institution)


def test_moving_an_institution_moves_its_whole_subtree(db, unscoped):
    root = InstitutionFactory(slug="akar")
    a = InstitutionFactory(slug="cabang-a", parent=root)
    b = InstitutionFactory(slug="cabang-b", parent=root)
    c = InstitutionFactory(slug="anak-c", parent=a)
    d = InstitutionFactory(slug="cucu-d", parent=c)
    operator = make_member(root, Role.OPERATOR)
    assert b in selectors.parent_choices(operator, c)
    governance_services.institution_move(actor=operator, institution=c, new_parent=b)
    c.refresh_from_db()
    d.refresh_from_db()
    assert c.parent == b and c.path == f"{b.path}{c.pk}/" and c.depth == 2
    assert d.path == f"{c.path}{d.pk}/" and d.depth == 3
    assert d.is_descendant_of(b) and not d.is_descendant_of(a)
    with pytest.raises(ValidationError):
        governance_services.institution_move(actor=operator, institution=b, new_parent=d)
    assert "governance.institution.moved" in actions(c) and "governance.institution.moved" in actions(b)


def test_moving_needs_rights_on_both_sides(side_a, side_b, unscoped):
    child = InstitutionFactory(slug="anak-a", parent=side_a.institution)
    with pytest.raises(PermissionDenied):
        governance_services.institution_move(actor=side_a.users["operator"], institution=child,
                                             new_parent=side_b.institution)


def test_renaming_is_audited_and_never_deletes(side_a, unscoped):
    child = InstitutionFactory(slug="anak-a", parent=side_a.institution, name="MTs Lama")
    governance_services.institution_rename(actor=side_a.users["operator"], institution=child, name="MTs Baru")
    child.refresh_from_db()
    assert child.name == "MTs Baru" and "governance.institution.renamed" in actions(child)


# Groups --------------------------------------------------------------------------------------

def test_group_membership_add_change_end_keeps_history(side_a, unscoped):
    humas = side_a.users["humas"]
    channel = ChannelFactory(institution=side_a.institution)
    staff = StaffMemberFactory(institution=side_a.institution)
    membership = services.group_membership_add(actor=humas, channel=channel, staff=staff)
    with pytest.raises(ValidationError):
        services.group_membership_add(actor=humas, channel=channel, staff=staff)
    services.group_membership_change_role(actor=humas, membership=membership, role=GroupMembership.Role.ADMIN)
    services.group_membership_end(actor=humas, membership=membership)
    membership.refresh_from_db()
    assert membership.role == "admin" and membership.until is not None and membership.removed_by == humas
    assert GroupMembership.objects.filter(pk=membership.pk).exists()
    again = services.group_membership_add(actor=humas, channel=channel, staff=staff)
    assert again.pk != membership.pk
    assert {"members.group_membership.added", "members.group_membership.role_changed",
            "members.group_membership.ended"} <= set(actions(side_a.institution))


def test_someone_of_another_institution_cannot_join_a_group(side_a, side_b, unscoped):
    channel = ChannelFactory(institution=side_a.institution)
    with pytest.raises(ValidationError):
        services.group_membership_add(actor=None, channel=channel, staff=StaffMemberFactory(institution=side_b.institution))


# Acknowledgements ----------------------------------------------------------------------------

@pytest.fixture
def staffed(side_a, unscoped):
    """Three current staff: two with accounts, one without; one former member."""
    with_account = [StaffMemberFactory(institution=side_a.institution, user=side_a.users[role])
                    for role in (Role.STAFF, Role.PUBLIC_RELATIONS)]
    without = StaffMemberFactory(institution=side_a.institution)
    StaffMemberFactory(institution=side_a.institution, left_on=datetime.date(2024, 1, 1))
    return with_account, without


def test_acknowledgement_share_counts_current_staff_and_the_published_version(side_a, staffed):
    (pegawai, humas), without = staffed
    assert selectors.acknowledgement_share(side_a.institution) == (0, 3)
    version = CodeVersionFactory(institution=side_a.institution)
    services.acknowledgement_record(actor=pegawai.user, staff=pegawai, version=version)
    services.acknowledgement_record(actor=pegawai.user, staff=pegawai, version=version)  # twice: no change
    services.acknowledgement_record(actor=humas.user, staff=without, version=version, method=Acknowledgement.Method.PAPER)
    assert selectors.acknowledgement_share(side_a.institution) == (2, 3)
    assert selectors.acknowledgement_share(side_a.institution, version) == (2, 3)
    assert Acknowledgement.objects.get(staff=without).recorded_by == humas.user


def test_nobody_acknowledges_online_for_someone_else(side_a, staffed):
    (pegawai, humas), without = staffed
    version = CodeVersionFactory(institution=side_a.institution)
    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(actor=humas.user, staff=pegawai, version=version)


def test_publishing_asks_staff_with_accounts_to_acknowledge(side_a, staffed, django_capture_on_commit_callbacks):
    version = CodeVersionFactory(institution=side_a.institution)
    with django_capture_on_commit_callbacks(execute=True):
        code_published.send(sender=type(version), version=version, actor=side_a.users["kepala"])
    notified = set(Notification.objects.filter(kind="members.acknowledgement_requested").values_list("recipient", flat=True))
    assert notified == {side_a.users["pegawai"].pk, side_a.users["humas"].pk}
    assert len(mail.outbox) == 2 and all("Kode etik baru" in m.subject for m in mail.outbox)


def test_reminders_go_only_to_those_who_have_not_acknowledged(side_a, staffed, django_capture_on_commit_callbacks):
    (pegawai, humas), without = staffed
    version = CodeVersionFactory(institution=side_a.institution)
    AcknowledgementFactory(staff=humas, version=version)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.acknowledgement_remind(actor=side_a.users["kepala"], version=version)
    assert count == 1
    reminded = list(Notification.objects.filter(kind="members.acknowledgement_reminder").values_list("recipient", flat=True))
    assert reminded == [side_a.users["pegawai"].pk]
    assert [m.to for m in mail.outbox] == [[side_a.users["pegawai"].email]]
    entry = AuditEntry.objects.get(action="members.acknowledgement.reminded")
    assert entry.data == {"version": version.pk, "pending": 1}
    with pytest.raises(ValidationError):
        services.acknowledgement_remind(actor=side_a.users["kepala"], version=version)


def test_a_new_institution_starts_from_its_parents_code_as_a_draft_for_its_head(side_a, office, unscoped):
    from governance.models import CodeVersion, Rule

    parent_code = governance_services.code_start_from_template(
        actor=side_a.users["humas"], institution=office, template_key="madrasah_wa_group")
    governance_services.code_publish(actor=side_a.users["kepala"], version=parent_code)
    child = onboard(side_a.users["operator"], office)
    draft = CodeVersion.objects.get(institution=child)
    assert draft.state == CodeVersion.State.DRAFT and draft.adopted_parent_version == parent_code
    parent_rules = Rule.objects.filter(version=parent_code).count()
    assert draft.rules.count() == parent_rules > 0
    assert not draft.rules.filter(inherited_from__isnull=True).exists()


def test_onboarding_under_a_parent_without_a_code_starts_with_none(side_a, office, unscoped):
    from governance.models import CodeVersion

    child = onboard(side_a.users["operator"], office)
    assert not CodeVersion.objects.filter(institution=child).exists()
