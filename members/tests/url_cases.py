from governance.models import CodeVersion, Institution, Role
from governance.tests.factories import ChannelFactory, InstitutionFactory, MembershipFactory, UserFactory
from members.models import StaffMember
from members.tests.factories import (
    CodeVersionFactory,
    GroupMembershipFactory,
    ImportJobFactory,
    InvitationFactory,
    StaffMemberFactory,
)
from tests.urlwalk import EVERY_ROLE, UrlCase

# Non-tenant URL names of this app that anyone may open (see public_urls.py).
PUBLIC_NON_TENANT: set[str] = {"invitation_accept"}

DIRECTORY = frozenset({"kepala", "humas", "operator"})
OPERATOR = frozenset({"operator"})
ROLE_MANAGERS = frozenset({"kepala", "operator"})
CHANNEL_VIEWERS = frozenset({"kepala", "humas", "operator"})
GROUP_MANAGERS = frozenset({"humas", "operator"})
ACK_VIEWERS = frozenset({"kepala", "humas"})
PARENT_HEAD_GRANTERS = frozenset({"kepala", "operator"})
POSTED = frozenset({302})


def objects(side) -> dict:
    institution = side.institution
    staff = StaffMemberFactory(institution=institution, status=StaffMember.Status.HONORER, nip="")
    channel = ChannelFactory(institution=institution)
    extra_user = UserFactory()
    extra_role = MembershipFactory(user=extra_user, institution=institution, role=Role.PUBLIC_RELATIONS)
    head_user = UserFactory()
    head_role = MembershipFactory(user=head_user, institution=institution, role=Role.HEAD)
    child = InstitutionFactory(slug=f"{institution.slug}-anak", parent=institution, kind=Institution.Kind.MADRASAH)
    return {
        "staff": staff,
        "channel": channel,
        "group_membership": GroupMembershipFactory(channel=channel, staff=staff),
        "extra_role": extra_role,
        "head_role": head_role,
        "invitation": InvitationFactory(staff=staff, institution=institution),
        "child": child,
        # Reuse the code another app's cases already published here (one code in force per institution).
        "version": CodeVersion.objects.filter(institution=institution, state=CodeVersion.State.PUBLISHED).first()
        or CodeVersionFactory(institution=institution),
        "import_job": ImportJobFactory(institution=institution),
        # The pegawai's own record (for "this is wrong") and a request waiting for the operator.
        "correction": _correction(institution, side.users["pegawai"]),
    }


def _correction(institution, user):
    from members.models import StaffCorrection

    own = StaffMemberFactory(institution=institution, user=user)
    return StaffCorrection.objects.create(institution=institution, staff=own, requested_by=user, message="NIP salah.")


def _staff(o):
    return {"pk": o["staff"].pk}


CASES = [
    UrlCase("members:directory", roles=DIRECTORY),
    UrlCase("members:staff_create", roles=OPERATOR),
    UrlCase("members:export", roles=OPERATOR),
    UrlCase("members:staff_detail", roles=DIRECTORY, kwargs=_staff),
    UrlCase("members:staff_edit", roles=OPERATOR, kwargs=_staff),
    UrlCase("members:staff_leave", roles=OPERATOR, kwargs=_staff, method="post", ok=POSTED),
    UrlCase("members:staff_move", roles=OPERATOR, kwargs=_staff, method="post", ok=POSTED),
    UrlCase("members:staff_invite", roles=ROLE_MANAGERS, kwargs=_staff, method="post", ok=POSTED),
    UrlCase("members:role_grant", roles=ROLE_MANAGERS, kwargs=_staff, method="post", ok=POSTED),
    UrlCase("members:role_revoke", roles=ROLE_MANAGERS, kwargs=lambda o: {"pk": o["extra_role"].pk}, method="post", ok=POSTED),
    UrlCase("members:invitations", roles=ROLE_MANAGERS),
    UrlCase("members:corrections", roles=OPERATOR),
    UrlCase("members:correction_resolve", roles=OPERATOR, kwargs=lambda o: {"pk": o["correction"].pk},
            method="post", ok=POSTED, data=lambda o: {"resolution": "NIP dibetulkan."}),
    # Only one's own record: any other member of the institution gets 404.
    UrlCase("members:correction_request", roles=frozenset({"pegawai"}), kwargs=lambda o: {"pk": o["correction"].staff_id},
            method="post", ok=POSTED, data=lambda o: {"message": "Jabatan saya salah."}, forbidden=404),
    UrlCase("members:invitation_resend", roles=ROLE_MANAGERS, kwargs=lambda o: {"pk": o["invitation"].pk}, method="post", ok=POSTED),
    UrlCase("members:invitation_revoke", roles=ROLE_MANAGERS, kwargs=lambda o: {"pk": o["invitation"].pk}, method="post", ok=POSTED),
    UrlCase("members:heads", parent_roles=PARENT_HEAD_GRANTERS),
    UrlCase("members:head_end", parent_roles=PARENT_HEAD_GRANTERS, kwargs=lambda o: {"pk": o["head_role"].pk},
            method="post", ok=POSTED),
    # Without data the form is shown again with its errors.
    UrlCase("members:acting_appoint", parent_roles=PARENT_HEAD_GRANTERS, method="post", ok=frozenset({400})),
    UrlCase("members:import_start", roles=OPERATOR),
    UrlCase("members:import_template", roles=OPERATOR),
    UrlCase("members:import_detail", roles=OPERATOR, kwargs=lambda o: {"pk": o["import_job"].pk}),
    UrlCase("members:import_progress", roles=OPERATOR, kwargs=lambda o: {"pk": o["import_job"].pk}, ok=frozenset({204})),
    UrlCase("members:import_confirm", roles=OPERATOR, kwargs=lambda o: {"pk": o["import_job"].pk}, method="post", ok=POSTED),
    UrlCase("members:import_cancel", roles=OPERATOR, kwargs=lambda o: {"pk": o["import_job"].pk}, method="post", ok=POSTED),
    UrlCase("members:children", roles=OPERATOR),
    UrlCase("members:child_create", roles=OPERATOR),
    UrlCase("members:child_edit", roles=OPERATOR, kwargs=lambda o: {"pk": o["child"].pk}),
    UrlCase("members:channel_members", roles=CHANNEL_VIEWERS, kwargs=lambda o: {"channel_pk": o["channel"].pk}),
    UrlCase("members:group_add", roles=GROUP_MANAGERS, kwargs=lambda o: {"channel_pk": o["channel"].pk}, method="post", ok=POSTED),
    UrlCase("members:group_role", roles=GROUP_MANAGERS, kwargs=lambda o: {"pk": o["group_membership"].pk}, method="post", ok=POSTED),
    UrlCase("members:group_end", roles=GROUP_MANAGERS, kwargs=lambda o: {"pk": o["group_membership"].pk}, method="post", ok=POSTED),
    UrlCase("members:acknowledge", roles=EVERY_ROLE, parent_roles=frozenset({"kepala", "penilai"})),
    UrlCase("members:acknowledgement_overview", roles=ACK_VIEWERS),
    UrlCase("members:acknowledgement_status", roles=ACK_VIEWERS, kwargs=lambda o: {"pk": o["version"].pk}),
    UrlCase("members:acknowledgement_remind", roles=ACK_VIEWERS, kwargs=lambda o: {"pk": o["version"].pk}, method="post", ok=POSTED),
    UrlCase("members:acknowledgement_paper", roles=frozenset({"humas"}), kwargs=lambda o: {"pk": o["version"].pk},
            method="post", ok=POSTED),
]

