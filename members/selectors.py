"""Reads of the members app: the directory, roles, invitations, group memberships and
acknowledgements. The semester assessment reads ``acknowledgement_share``."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from governance.models import CodeVersion, Institution, Membership, Role, User
from governance.permissions import Access
from governance.tenancy import access_for, descendants, institutions_for_user, rows_by_key

from . import rules
from .models import Acknowledgement, GroupMembership, ImportJob, Invitation, StaffMember

# Roles an operator (members.manage_roles) gives and takes; the head's role comes from the parent.
LOCAL_ROLES = [Role.STAFF, Role.PUBLIC_RELATIONS, Role.OPERATOR]


def staff_directory(
    institution: Institution, *, query: str = "", status: str = "", role: str = "", group: str = "",
    include_former: bool = False,
) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.filter(institution=institution)
    if not include_former:
        qs = qs.filter(left_on__isnull=True)
    query = " ".join(query.split())
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        condition = Q(full_name__icontains=query)
        if len(digits) >= 4:
            condition |= Q(nip__contains=digits)
            phone_digits = digits[1:] if digits.startswith("0") else digits[2:] if digits.startswith("62") else digits
            condition |= Q(phone__contains=phone_digits)
        qs = qs.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if role:
        holders = Membership.objects.active(institution.local_today()).filter(
            institution=institution, role=role).values("user_id")
        qs = qs.filter(user_id__in=holders)
    if group:
        qs = qs.filter(Exists(GroupMembership.objects.filter(staff=OuterRef("pk"), channel_id=group, until__isnull=True)))
    return qs.select_related("user").order_by("full_name", "pk")


def staff_count(institution: Institution) -> int:
    return StaffMember.objects.filter(institution=institution, left_on__isnull=True).count()


def nips_current_elsewhere(institution: Institution, nips: set[str]) -> set[str]:
    """Which of ``nips`` are current staff of *another* institution. Only the NIPs come back:
    the caller learns that the person is elsewhere, never who or where."""
    found: set[str] = set()
    nips = sorted(n for n in nips if n)
    for start in range(0, len(nips), 500):
        found.update(
            rows_by_key(StaffMember).filter(nip__in=nips[start:start + 500], left_on__isnull=True)
            .exclude(institution=institution).values_list("nip", flat=True)
        )
    return found


def roles_of(staff: StaffMember) -> list[Membership]:
    if staff.user_id is None:
        return []
    return list(Membership.objects.active(staff.institution.local_today()).filter(
        institution=staff.institution, user_id=staff.user_id).order_by("role"))


def grantable_roles(access: Access | None) -> list[str]:
    """Roles the visitor may give at this institution: operators below the head; the parent's
    operator or head the head (and assessors); a head may name assessors of their own office."""
    if access is None:
        return []
    roles: list[str] = []
    if access.has("members.manage_roles"):
        roles += LOCAL_ROLES
    if access.has("members.grant_head"):
        roles += [Role.HEAD, Role.ACTING, Role.ASSESSOR]
    elif access.has_role(Role.HEAD):
        roles.append(Role.ASSESSOR)
    return roles


def can_grant(user: User | None, institution: Institution, role: str) -> bool:
    if user is None or user.is_superuser:
        return True
    return role in grantable_roles(access_for(user, institution))


def head_memberships(institution: Institution) -> list[Membership]:
    return list(Membership.objects.active(institution.local_today()).filter(
        institution=institution, role=Role.HEAD).select_related("user"))


def acting_memberships(institution: Institution) -> list[Membership]:
    """Acting heads (Plh/Plt) appointed now or for later."""
    today = institution.local_today()
    return list(Membership.objects.filter(institution=institution, role=Role.ACTING)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today)).select_related("user").order_by("starts_on"))


def invitations(institution: Institution, *, pending_only: bool = False):
    from django.utils import timezone

    qs = Invitation.objects.filter(institution=institution).select_related("staff", "created_by")
    if pending_only:
        qs = qs.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
    return qs.order_by("-created_at")


def pending_invitation_count(institution: Institution) -> int:
    return invitations(institution, pending_only=True).count()


def invitation_by_token_hash(token_hash: str) -> Invitation | None:
    """The invitation behind a link, whatever institution it belongs to (the link is the key)."""
    return rows_by_key(Invitation).select_related("institution", "staff").filter(token_hash=token_hash).first()


def move_destinations(user: User, institution: Institution) -> list[Institution]:
    """Where an operator may move a person: offices under the same supervising office, the
    supervising office itself and the institution's own children, or any institution where the
    operator also keeps the staff list."""
    candidates: dict[int, Institution] = {}
    filters = Q(parent=institution)
    if institution.parent_id:
        filters |= Q(parent_id=institution.parent_id) | Q(pk=institution.parent_id)
    for other in Institution.objects.filter(filters, is_active=True):
        candidates[other.pk] = other
    for other in institutions_for_user(user):
        access = access_for(user, other)
        if access is not None and access.has("members.manage_staff"):
            candidates[other.pk] = other
    candidates.pop(institution.pk, None)
    return sorted(candidates.values(), key=lambda i: i.name)


def children_of(institution: Institution) -> list[Institution]:
    return list(Institution.objects.filter(parent=institution).order_by("name"))


def onboarding_roots(user: User) -> list[Institution]:
    """Institutions where ``user`` may add and arrange child institutions."""
    roots = []
    for other in institutions_for_user(user):
        access = access_for(user, other)
        if access is not None and access.has("members.onboard"):
            roots.append(other)
    return roots


def parent_choices(user: User, institution: Institution) -> list[Institution]:
    """Institutions ``institution`` may be moved under: inside the subtrees the user onboards in,
    never the institution itself or one of its descendants, never its current parent."""
    seen: dict[int, Institution] = {}
    for root in onboarding_roots(user):
        for candidate in descendants(root, include_self=True):
            if candidate.pk == institution.pk or candidate.path.startswith(institution.path):
                continue
            if candidate.pk == institution.parent_id:
                continue
            seen[candidate.pk] = candidate
    return sorted(seen.values(), key=lambda i: i.path)


def may_onboard_at(user: User | None, institution: Institution | None) -> bool:
    if user is None or user.is_superuser:
        return True
    if institution is None:
        return False
    access = access_for(user, institution)
    return access is not None and access.has("members.onboard")


# Group memberships ---------------------------------------------------------------------------

def channel_memberships(channel, *, include_ended: bool = True):
    qs = GroupMembership.objects.filter(channel=channel).select_related("staff", "added_by", "removed_by")
    if not include_ended:
        qs = qs.filter(until__isnull=True)
    return qs.order_by("until", "-role", "staff__full_name")


def staff_memberships(staff: StaffMember):
    return GroupMembership.objects.filter(staff=staff).select_related("channel").order_by("until", "channel__name")


def staff_addable_to(channel) -> QuerySet[StaffMember]:
    open_members = GroupMembership.objects.filter(channel=channel, until__isnull=True).values("staff_id")
    return StaffMember.objects.filter(institution_id=channel.institution_id, left_on__isnull=True).exclude(
        pk__in=open_members).order_by("full_name")


# Acknowledgements ----------------------------------------------------------------------------

def current_code_version(institution: Institution) -> CodeVersion | None:
    """The code in force, kept in the institution's cache until its data changes."""
    from governance.cache import cached

    found = cached(institution, "code_in_force", lambda: (
        CodeVersion.objects.filter(institution=institution, state=CodeVersion.State.PUBLISHED).first() or False))
    return found or None


def acknowledgeable_versions(institution: Institution):
    return CodeVersion.objects.filter(institution=institution).exclude(state=CodeVersion.State.DRAFT).order_by("-number")


def acknowledgement_share(institution: Institution, version: CodeVersion | None = None) -> tuple[int, int]:
    """(acknowledged, total) over the institution's current staff for ``version`` (default: the
    currently published one). Read by the semester assessment; (0, total) when nothing is published."""
    total = staff_count(institution)
    version = version or current_code_version(institution)
    if version is None:
        return 0, total
    acknowledged = Acknowledgement.objects.filter(
        version=version, staff__institution=institution, staff__left_on__isnull=True).count()
    return acknowledged, total


def acknowledgement_actions(access: Access | None, version: CodeVersion) -> frozenset[str]:
    """remind (those who see acknowledgements) and record_paper (Humas), for the code in force:
    the pages remind and record only for the published version; the services refuse a draft."""
    if access is None or version.state != CodeVersion.State.PUBLISHED:
        return frozenset()
    actions = set()
    if access.has("governance.view_acknowledgements") and rules.allowed(rules.check_remind, version):
        actions.add("remind")
    if access.has("members.record_acknowledgements") and rules.allowed(rules.check_acknowledgeable, version):
        actions.add("record_paper")
    return frozenset(actions)


def import_actions(access: Access | None, job: ImportJob) -> frozenset[str]:
    """confirm and cancel, for those who import."""
    if access is None or not access.has("members.import"):
        return frozenset()
    checks = {"confirm": rules.check_confirm_import, "cancel": rules.check_cancel_import}
    return frozenset(name for name, check in checks.items() if rules.allowed(check, job))


def acknowledgement_rows(version: CodeVersion) -> QuerySet[StaffMember]:
    """Current staff with their acknowledgement of ``version`` (``ack_at``/``ack_method``, or None)."""
    acks = Acknowledgement.objects.filter(version=version, staff=OuterRef("pk"))
    return (
        StaffMember.objects.filter(institution_id=version.institution_id, left_on__isnull=True)
        .annotate(
            acknowledged=Exists(acks),
            ack_at=Subquery(acks.values("acknowledged_at")[:1]),
            ack_method=Subquery(acks.values("method")[:1]),
            ack_on_paper=Exists(acks.filter(method=Acknowledgement.Method.PAPER)),
        )
        .select_related("user")
        .order_by("acknowledged", "full_name")
    )


def pending_staff_with_accounts(version: CodeVersion) -> list[StaffMember]:
    done = Acknowledgement.objects.filter(version=version).values("staff_id")
    return list(
        StaffMember.objects.filter(institution_id=version.institution_id, left_on__isnull=True,
                                   user__isnull=False, user__is_active=True)
        .exclude(pk__in=done).select_related("user")
    )


def staff_with_accounts(institution: Institution) -> list[StaffMember]:
    return list(StaffMember.objects.filter(institution=institution, left_on__isnull=True,
                                           user__isnull=False, user__is_active=True).select_related("user"))


def own_staff_record(user: User, institution: Institution) -> StaffMember | None:
    if not user.is_authenticated:
        return None
    return StaffMember.objects.filter(institution=institution, user=user, left_on__isnull=True).first()


def pending_acknowledgement(user: User, institution: Institution) -> tuple[StaffMember, CodeVersion] | None:
    """The (staff record, version) the visitor still has to acknowledge here, or None."""
    if not user.is_authenticated:
        return None
    version = current_code_version(institution)
    if version is None:
        return None
    staff = (StaffMember.objects.filter(institution=institution, user=user, left_on__isnull=True)
             .annotate(acknowledged=Exists(Acknowledgement.objects.filter(staff=OuterRef("pk"), version=version)))
             .first())
    if staff is None or staff.acknowledged:
        return None
    return staff, version


def pending_acknowledgement_for(request) -> tuple[StaffMember, CodeVersion] | None:
    """``pending_acknowledgement`` of the visitor, read once per request (banner and dashboard)."""
    if not hasattr(request, "_santun_pending_acknowledgement"):
        request._santun_pending_acknowledgement = pending_acknowledgement(request.user, request.institution)
    return request._santun_pending_acknowledgement


def own_acknowledgement(user: User, institution: Institution, version: CodeVersion | None):
    """(the visitor's staff record here or None, their acknowledgement of ``version`` or None)."""
    staff = own_staff_record(user, institution)
    if staff is None or version is None:
        return staff, None
    return staff, Acknowledgement.objects.filter(staff=staff, version=version).first()


def acknowledgement_counts(versions) -> dict[int, int]:
    return dict(
        Acknowledgement.objects.filter(version__in=versions, staff__left_on__isnull=True)
        .values_list("version").annotate(n=Count("pk")).values_list("version", "n")
    )


def own_acknowledgements(staff: StaffMember):
    return Acknowledgement.objects.filter(staff=staff).select_related("version").order_by("-acknowledged_at")


# Imports -------------------------------------------------------------------------------------

def import_jobs(institution: Institution):
    return ImportJob.objects.filter(institution=institution).select_related("created_by").order_by("-created_at")
