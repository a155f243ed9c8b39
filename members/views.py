"""Views of the members app: validate input, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from governance import services as governance_services
from governance.http import private_download, refuse, refuse_on_form
from governance.models import Channel, CodeVersion, Institution, Membership, Role, User
from governance.navigation import sections_for
from governance.permissions import requires
from governance.tenancy import access_for

from . import forms, selectors, services
from .imports import ERROR
from .models import Acknowledgement, GroupMembership, ImportJob, Invitation, StaffMember
from .resources import GroupMembershipResource, StaffResource, to_csv, to_xlsx

PAGE_SIZE = 25


def _back(request, fallback: str):
    target = request.POST.get("next") or ""
    if target.startswith(f"/instansi/{request.institution.slug}/"):
        return redirect(target)
    return redirect(fallback)


# Directory -----------------------------------------------------------------------------------

@requires("members.view_directory")
def directory(request, institution):
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    role = request.GET.get("role", "")
    group = request.GET.get("group", "")
    former = request.GET.get("former") == "1"
    staff = selectors.staff_directory(
        request.institution, query=query, status=status if status in StaffMember.Status.values else "",
        role=role if role in Role.values else "", group=group if group.isdigit() else "", include_former=former)
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in {"q": query, "status": status, "role": role, "group": group, "former": "1" if former else ""}.items() if v}
    return render(request, "members/directory.html", {
        "title": _("Staff"), "page": page, "query": urlencode(filters), "q": query, "status": status, "role": role,
        "group": group, "former": former, "statuses": StaffMember.Status.choices, "roles": Role.choices,
        "groups": Channel.objects.filter(institution=request.institution, is_active=True).order_by("name"),
        "total": selectors.staff_count(request.institution),
    })


@requires("members.manage_staff")
def staff_create(request, institution):
    form = forms.StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.staff_create(actor=request.user, institution=request.institution, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("The staff member was added."))
            return redirect("members:staff_detail", institution=institution, pk=staff.pk)
    return render(request, "members/staff_form.html", {"form": form, "title": _("Add a staff member")})


@requires("members.view_directory")
def staff_detail(request, institution, pk):
    staff = get_object_or_404(StaffMember, pk=pk)
    access = request.access
    roles = selectors.roles_of(staff)
    grantable = selectors.grantable_roles(access)
    held = {m.role for m in roles}
    context = {
        "title": staff.full_name, "staff": staff, "roles": roles,
        "revocable": {m.pk for m in roles if m.role in grantable},
        "memberships": selectors.staff_memberships(staff),
        "acknowledgements": selectors.own_acknowledgements(staff),
        "invitations": staff.invitations.order_by("-created_at")[:5] if access.has("members.manage_roles") else [],
        "sections": sections_for(request, "staff_profile", staff=staff),
    }
    if staff.is_current and access.has("members.manage_roles"):
        if staff.user_id:
            choices = [r for r in grantable if r not in held]
            context["role_form"] = forms.RoleForm(roles=choices) if choices else None
        else:
            context["invite_form"] = forms.InviteForm(roles=grantable, initial={"email": staff.email, "role": Role.STAFF})
    if staff.is_current and access.has("members.manage_staff"):
        context["leave_form"] = forms.LeaveForm()
        destinations = selectors.move_destinations(request.user, request.institution)
        context["move_form"] = forms.MoveForm(destinations=destinations) if destinations else None
    return render(request, "members/staff_detail.html", context)


@requires("members.manage_staff")
def staff_edit(request, institution, pk):
    staff = get_object_or_404(StaffMember, pk=pk, left_on__isnull=True)
    initial = {name: getattr(staff, name) for name in ("full_name", "nip", "status", "position", "unit", "phone", "email")}
    form = forms.StaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("members:staff_detail", institution=institution, pk=staff.pk)
    return render(request, "members/staff_form.html", {"form": form, "staff": staff, "title": _("Edit staff member")})


@require_POST
@requires("members.manage_staff")
def staff_leave(request, institution, pk):
    staff = get_object_or_404(StaffMember, pk=pk)
    form = forms.LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.staff_end(actor=request.user, staff=staff, reason=form.cleaned_data["reason"],
                               left_on=form.cleaned_data.get("left_on"))
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("The record was ended. It stays in the history of this institution."))
    else:
        messages.error(request, _("Choose why the person left."))
    return redirect("members:staff_detail", institution=institution, pk=staff.pk)


@require_POST
@requires("members.manage_staff")
def staff_move(request, institution, pk):
    staff = get_object_or_404(StaffMember, pk=pk)
    destinations = selectors.move_destinations(request.user, request.institution)
    form = forms.MoveForm(request.POST, destinations=destinations)
    if form.is_valid():
        try:
            services.staff_move(actor=request.user, staff=staff, to=form.cleaned_data["destination"],
                                on=form.cleaned_data.get("moved_on"))
        except ValidationError as error:
            refuse(request, error)
        except PermissionDenied:
            messages.error(request, _("You may not move people to that institution."))
        else:
            messages.success(request, _("The person was moved. Their history here is kept; the new institution has been told."))
    else:
        messages.error(request, _("Choose where the person moves to."))
    return redirect("members:staff_detail", institution=institution, pk=staff.pk)


@requires("members.manage_staff")
def export(request, institution):
    what, fmt = request.GET.get("data", "pegawai"), request.GET.get("format", "xlsx")
    if what not in ("pegawai", "grup") or fmt not in ("xlsx", "csv"):
        raise Http404
    if what == "pegawai":
        staff = selectors.staff_directory(request.institution)
        counts = dict(GroupMembership.objects.filter(until__isnull=True, staff__in=staff).values_list("staff")
                      .annotate(n=Count("pk")).values_list("staff", "n"))
        dataset = StaffResource(group_counts=counts).export(queryset=staff, force_native_type=True)
        title, name = _("Staff"), "pegawai"
    else:
        memberships = GroupMembership.objects.filter(channel__institution=request.institution).select_related(
            "channel", "staff").order_by("channel__name", "until", "staff__full_name")
        dataset = GroupMembershipResource().export(queryset=memberships, force_native_type=True)
        title, name = _("Group memberships"), "keanggotaan-grup"
    filename = f"{name}-{request.institution.slug}-{request.institution.local_today().isoformat()}.{fmt}"
    if fmt == "xlsx":
        return private_download(to_xlsx(dataset, title=title), filename=filename,
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return private_download(to_csv(dataset), filename=filename, content_type="text/csv; charset=utf-8")


# Roles and invitations -----------------------------------------------------------------------

@require_POST
@requires("members.manage_roles")
def staff_invite(request, institution, pk):
    staff = get_object_or_404(StaffMember, pk=pk, left_on__isnull=True)
    form = forms.InviteForm(request.POST, roles=selectors.grantable_roles(request.access))
    if form.is_valid():
        try:
            services.invitation_create(actor=request.user, staff=staff, role=form.cleaned_data["role"],
                                       email=form.cleaned_data["email"])
        except ValidationError as error:
            refuse(request, error)
        except PermissionDenied:
            messages.error(request, _("You may not give this role."))
        else:
            messages.success(request, _("The invitation was sent. The link works once, for 7 days."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("members:staff_detail", institution=institution, pk=staff.pk)


@require_POST
@requires("members.manage_roles")
def role_grant(request, institution, pk):
    staff = get_object_or_404(StaffMember, pk=pk)
    form = forms.RoleForm(request.POST, roles=selectors.grantable_roles(request.access))
    if form.is_valid():
        try:
            services.role_grant(actor=request.user, staff=staff, role=form.cleaned_data["role"])
        except ValidationError as error:
            refuse(request, error)
        except PermissionDenied:
            messages.error(request, _("You may not give this role."))
        else:
            messages.success(request, _("The role was given."))
    else:
        messages.error(request, _("You may not give this role."))
    return redirect("members:staff_detail", institution=institution, pk=staff.pk)


@require_POST
@requires("members.manage_roles")
def role_revoke(request, institution, pk):
    membership = get_object_or_404(Membership, pk=pk, institution=request.institution)
    try:
        services.role_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        refuse(request, error)
    except PermissionDenied:
        messages.error(request, _("You may not take away this role."))
    else:
        messages.success(request, _("The role was taken away."))
    return _back(request, reverse("members:invitations", kwargs={"institution": institution}))


@requires("members.manage_roles")
def invitation_list(request, institution):
    page = Paginator(selectors.invitations(request.institution), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/invitation_list.html", {"page": page, "title": _("Invitations")})


@require_POST
@requires("members.manage_roles")
def invitation_resend(request, institution, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        refuse(request, error)
    except PermissionDenied:
        messages.error(request, _("You may not give this role."))
    else:
        messages.success(request, _("A new invitation link was sent. The old link no longer works."))
    return redirect("members:invitations", institution=institution)


@require_POST
@requires("members.manage_roles")
def invitation_revoke(request, institution, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        refuse(request, error)
    except PermissionDenied:
        messages.error(request, _("You may not give this role."))
    else:
        messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    return redirect("members:invitations", institution=institution)


@requires("members.grant_head")
def heads(request, institution):
    """For the parent institution's operator and head: who heads this office, and inviting a new head."""
    form = forms.HeadInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff = StaffMember.objects.filter(institution=request.institution, left_on__isnull=True,
                                               email__iexact=data["email"]).first()
            if staff is None:
                staff = services.staff_create(actor=request.user, institution=request.institution,
                                              full_name=data["full_name"], nip=data["nip"], email=data["email"])
            services.invitation_create(actor=request.user, staff=staff, role=Role.HEAD, email=data["email"])
        except ValidationError as error:
            refuse_on_form(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("The invitation to head this institution was sent."))
            return redirect("members:heads", institution=institution)
    return render(request, "members/heads.html", {
        "title": _("Head of office"), "form": form, "back": _back_to_parent(request),
        "heads": selectors.head_memberships(request.institution),
        "acting": selectors.acting_memberships(request.institution),
        "acting_form": _acting_form(request),
        "pending": [i for i in selectors.invitations(request.institution, pending_only=True) if i.role == Role.HEAD],
    })


def _back_to_parent(request) -> tuple[str, str] | None:
    """For a visitor from the parent institution (not a member here): the parent's list of child
    institutions when they may open it, else the parent's dashboard."""
    parent = request.institution.parent
    if parent is None or request.access.is_member:
        return None
    at_parent = access_for(request.user, parent)
    if at_parent is not None and at_parent.has("members.onboard"):
        return reverse("members:children", kwargs={"institution": parent.slug}), _("Child institutions")
    return reverse("governance:dashboard", kwargs={"institution": parent.slug}), parent.name


def _acting_form(request, data=None):
    staff = StaffMember.objects.filter(institution=request.institution, left_on__isnull=True, user__isnull=False)
    return forms.ActingForm(data, staff=list(staff))


@require_POST
@requires("members.grant_head")
def acting_appoint(request, institution):
    """The parent's head or operator appoints an acting head (Plh/Plt) here."""
    form = _acting_form(request, request.POST)
    if form.is_valid():
        try:
            services.acting_appoint(actor=request.user, staff=form.cleaned_data["staff"],
                                    starts_on=form.cleaned_data["starts_on"], ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("The acting head was appointed."))
            return redirect("members:heads", institution=institution)
    return render(request, "members/heads.html", {
        "title": _("Head of office"), "form": forms.HeadInviteForm(), "acting_form": form,
        "heads": selectors.head_memberships(request.institution), "acting": selectors.acting_memberships(request.institution),
        "pending": [i for i in selectors.invitations(request.institution, pending_only=True) if i.role == Role.HEAD],
    }, status=400)


@require_POST
@requires("members.grant_head")
def head_end(request, institution, pk):
    membership = get_object_or_404(Membership, pk=pk, institution=request.institution, role__in=[Role.HEAD, Role.ACTING])
    try:
        services.role_revoke(actor=request.user, membership=membership)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The head's role was ended.") if membership.role == Role.HEAD
                         else _("The acting head's appointment was ended."))
    return redirect("members:heads", institution=institution)


def invitation_accept(request, token):
    """The link from the invitation e-mail (no institution in the address; the token is the key)."""
    from allauth.account.forms import SetPasswordForm

    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_pending:
        return render(request, "members/invitation_accept.html", {"invalid": True, "title": _("Invitation")}, status=404)
    account_exists = User.objects.filter(email__iexact=invitation.email).exclude(password__startswith="!").exists()
    context = {"invitation": invitation, "institution_name": invitation.institution.name, "title": _("Invitation"),
               "account_exists": account_exists}
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email.lower() != invitation.email.lower():
        context["wrong_user"] = True
        if request.method == "POST" and request.POST.get("action") == "logout":
            logout(request)
            return redirect(request.path)
        return render(request, "members/invitation_accept.html", context)
    if user is not None:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Welcome. Your role at %(name)s is active.") % {"name": invitation.institution.name})
                return redirect("governance:dashboard", institution=invitation.institution.slug)
        return render(request, "members/invitation_accept.html", context)
    if account_exists:
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        return render(request, "members/invitation_accept.html", context)
    form = SetPasswordForm(user=_invitee(invitation), data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(invitation=invitation, password=form.cleaned_data["password1"])
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Your password is set. Sign in with your e-mail address and the new password."))
            return redirect(f"{reverse('account_login')}?{urlencode({'next': reverse('governance:dashboard', kwargs={'institution': invitation.institution.slug})})}")
    context["form"] = form
    context["needs_totp"] = invitation.role in (Role.HEAD, Role.ASSESSOR)
    return render(request, "members/invitation_accept.html", context)


def _invitee(invitation: Invitation):
    """An unsaved user for the password validators (similarity to name and e-mail)."""
    return User(email=invitation.email, full_name=invitation.staff.full_name)


# Onboarding institutions ---------------------------------------------------------------------

@requires("members.onboard")
def children(request, institution):
    return render(request, "members/children.html", {
        "title": _("Child institutions"), "children": selectors.children_of(request.institution),
        "can_add": request.institution.kind not in services.LEAF_KINDS})


@requires("members.onboard")
def child_create(request, institution):
    form = forms.InstitutionForm(request.POST or None, initial={
        "timezone": request.institution.timezone, "province_code": request.institution.province_code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.institution_onboard(
                actor=request.user, parent=request.institution, name=data["name"], slug=data["slug"], kind=data["kind"],
                province_code=data["province_code"], regency_code=data["regency_code"], timezone_name=data["timezone"],
                nsm=data["nsm"], letter_unit_code=data["letter_unit_code"], head_name=data["head_name"],
                head_email=data["head_email"], operator_name=data["operator_name"], operator_email=data["operator_email"])
        except ValidationError as error:
            if hasattr(error, "error_dict") and "timezone" in error.error_dict:
                error.error_dict["timezone"] = error.error_dict.pop("timezone")
            refuse_on_form(form, error)
        else:
            messages.success(request, _("%(name)s was added. Its head and operator have been invited by e-mail.") % {"name": child.name})
            return redirect("members:children", institution=institution)
    return render(request, "members/child_form.html", {
        "form": form, "title": _("Add a child institution"), "can_add": request.institution.kind not in services.LEAF_KINDS})


@requires("members.onboard")
def child_edit(request, institution, pk):
    child = get_object_or_404(Institution, pk=pk, parent=request.institution)
    edit_form = forms.InstitutionEditForm(initial={"name": child.name, "letter_unit_code": child.letter_unit_code})
    move_form = forms.InstitutionMoveForm(choices=selectors.parent_choices(request.user, child))
    if request.method == "POST":
        try:
            if request.POST.get("action") == "move":
                move_form = forms.InstitutionMoveForm(request.POST, choices=selectors.parent_choices(request.user, child))
                if move_form.is_valid():
                    governance_services.institution_move(actor=request.user, institution=child, new_parent=move_form.cleaned_data["parent"])
                    messages.success(request, _("The institution was moved, with all its units."))
                    return redirect("members:children", institution=institution)
            else:
                edit_form = forms.InstitutionEditForm(request.POST)
                if edit_form.is_valid():
                    governance_services.institution_rename(actor=request.user, institution=child, name=edit_form.cleaned_data["name"],
                                                           letter_unit_code=edit_form.cleaned_data["letter_unit_code"])
                    messages.success(request, _("The changes were saved."))
                    return redirect("members:children", institution=institution)
        except ValidationError as error:
            refuse_on_form(move_form if request.POST.get("action") == "move" else edit_form, error)
        except PermissionDenied:
            messages.error(request, _("You may not move the institution there."))
    return render(request, "members/child_edit.html", {
        "title": child.name, "child": child, "edit_form": edit_form, "move_form": move_form})


# Group memberships ---------------------------------------------------------------------------

@requires("governance.view_channels")
def channel_members(request, institution, channel_pk):
    channel = get_object_or_404(Channel, pk=channel_pk)
    context = {"title": channel.name, "channel": channel,
               "section": {"channel": channel, **channel_section_context(request, channel=channel)}}
    return render(request, "members/channel_members.html", context)


def channel_section_context(request, channel):
    memberships = list(selectors.channel_memberships(channel))
    manage = request.access.has("members.manage_groups") and channel.is_active
    return {
        "admins": [m for m in memberships if m.until is None and m.role == GroupMembership.Role.ADMIN],
        "members": [m for m in memberships if m.until is None and m.role == GroupMembership.Role.MEMBER],
        "ended": [m for m in memberships if m.until is not None],
        "can_manage": manage,
        "add_form": forms.GroupMemberForm(staff=selectors.staff_addable_to(channel)) if manage else None,
        "role_choices": GroupMembership.Role.choices,
    }


@require_POST
@requires("members.manage_groups")
def group_add(request, institution, channel_pk):
    channel = get_object_or_404(Channel, pk=channel_pk)
    form = forms.GroupMemberForm(request.POST, staff=selectors.staff_addable_to(channel))
    if form.is_valid():
        try:
            services.group_membership_add(actor=request.user, channel=channel, **form.cleaned_data)
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Added to the group."))
    else:
        messages.error(request, _("Choose someone on the current staff list who is not in the group yet."))
    return _back(request, reverse("members:channel_members", kwargs={"institution": institution, "channel_pk": channel.pk}))


@require_POST
@requires("members.manage_groups")
def group_role(request, institution, pk):
    membership = get_object_or_404(GroupMembership, pk=pk)
    form = forms.GroupRoleForm(request.POST)
    if form.is_valid():
        try:
            services.group_membership_change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("The role in the group was changed."))
    return _back(request, reverse("members:channel_members", kwargs={"institution": institution, "channel_pk": membership.channel_id}))


@require_POST
@requires("members.manage_groups")
def group_end(request, institution, pk):
    membership = get_object_or_404(GroupMembership, pk=pk)
    try:
        services.group_membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("The membership was ended. It stays in the group's history."))
    return _back(request, reverse("members:channel_members", kwargs={"institution": institution, "channel_pk": membership.channel_id}))


# Acknowledgements ----------------------------------------------------------------------------

@requires("institution.view")
def acknowledge(request, institution):
    """The current code of conduct for the visitor to read and acknowledge."""
    version = selectors.current_code_version(request.institution)
    staff, done = selectors.own_acknowledgement(request.user, request.institution, version)
    if request.method == "POST":
        if staff is None or version is None:
            messages.error(request, _("There is nothing for you to acknowledge here."))
        else:
            try:
                services.acknowledgement_record(actor=request.user, staff=staff, version=version)
            except (ValidationError, PermissionDenied):
                messages.error(request, _("There is nothing for you to acknowledge here."))
            else:
                messages.success(request, _("Thank you. Your acknowledgement has been recorded."))
        return redirect("members:acknowledge", institution=institution)
    rules = version.rules.all() if version is not None else []
    return render(request, "members/acknowledge.html", {
        "title": _("Code of conduct"), "version": version, "staff": staff, "done": done, "rules": rules})


@requires("governance.view_acknowledgements")
def acknowledgement_overview(request, institution):
    versions = list(selectors.acknowledgeable_versions(request.institution))
    counts = selectors.acknowledgement_counts(versions)
    total = selectors.staff_count(request.institution)
    rows = [{"version": v, "acknowledged": counts.get(v.pk, 0), "total": total} for v in versions]
    return render(request, "members/acknowledgement_overview.html", {"title": _("Acknowledgements"), "rows": rows})


@requires("governance.view_acknowledgements")
def acknowledgement_status(request, institution, pk):
    version = get_object_or_404(CodeVersion, pk=pk, state__in=[CodeVersion.State.PUBLISHED, CodeVersion.State.SUPERSEDED])
    show = request.GET.get("tampil", "")
    staff = selectors.acknowledgement_rows(version)
    if show == "belum":
        staff = staff.filter(acknowledged=False)
    elif show == "sudah":
        staff = staff.filter(acknowledged=True)
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    acknowledged, total = selectors.acknowledgement_share(request.institution, version)
    return render(request, "members/acknowledgement_status.html", {
        "title": _("Acknowledgements"), "version": version, "page": page,
        "acknowledged": acknowledged, "total": total, "show": show, "query": urlencode({"tampil": show} if show else {}),
        "pending_accounts": len(selectors.pending_staff_with_accounts(version)),
        "actions": selectors.acknowledgement_actions(request.access, version),
    })


@require_POST
@requires("governance.view_acknowledgements")
def acknowledgement_remind(request, institution, pk):
    version = get_object_or_404(CodeVersion, pk=pk, state=CodeVersion.State.PUBLISHED)
    try:
        count = services.acknowledgement_remind(actor=request.user, version=version)
    except ValidationError as error:
        refuse(request, error)
    else:
        if count:
            messages.success(request, _("A reminder is on its way to %(count)d people.") % {"count": count})
        else:
            messages.info(request, _("Everyone with an account has already acknowledged this version."))
    return redirect("members:acknowledgement_status", institution=institution, pk=version.pk)


@require_POST
@requires("members.record_acknowledgements")
def acknowledgement_paper(request, institution, pk):
    version = get_object_or_404(CodeVersion, pk=pk, state=CodeVersion.State.PUBLISHED)
    form = forms.PaperAcknowledgementForm(request.POST, staff=StaffMember.objects.filter(
        institution=request.institution, left_on__isnull=True))
    if form.is_valid():
        try:
            services.acknowledgement_record(actor=request.user, staff=form.cleaned_data["staff"], version=version,
                                            method=Acknowledgement.Method.PAPER)
        except ValidationError as error:
            refuse(request, error)
        else:
            messages.success(request, _("The paper acknowledgement was recorded."))
    else:
        messages.error(request, _("Choose someone on the current staff list."))
    return _back(request, reverse("members:acknowledgement_status", kwargs={"institution": institution, "pk": version.pk}))


# Imports -------------------------------------------------------------------------------------

@requires("members.import")
def import_start(request, institution):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(actor=request.user, institution=request.institution,
                                         kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
        return redirect("members:import_detail", institution=institution, pk=job.pk)
    return render(request, "members/import_start.html", {
        "title": _("Import"), "form": form, "jobs": selectors.import_jobs(request.institution)[:10]})


def _job_context(request, job: ImportJob) -> dict:
    done, total = services.read_progress(job.pk)
    show = request.GET.get("tampil", "")
    if not show and job.error_count:
        show = ERROR  # problems first: they are what the operator has to fix
    rows = job.rows
    if show in ("new", "changed", "unchanged", ERROR):
        rows = [row for row in rows if row[1] == show]
    else:
        show = ""
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return {"job": job, "done": done, "total": total, "percent": int(done * 100 / total) if total else 0,
            "page": page, "show": show, "query": urlencode({"tampil": show} if show else {}),
            "actions": selectors.import_actions(request.access, job)}


@requires("members.import")
def import_detail(request, institution, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "members/import_detail.html", {"title": _("Import"), **_job_context(request, job)})


@requires("members.import")
def import_progress(request, institution, pk):
    """Polled by htmx while a job runs; tells the page to reload when it is finished."""
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "members/partials/import_progress.html", _job_context(request, job))


@require_POST
@requires("members.import")
def import_confirm(request, institution, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        job = services.import_job_confirm(actor=request.user, job=job)
    except ValidationError as error:
        refuse(request, error)
    job.refresh_from_db()
    if job.state == ImportJob.State.DONE:
        messages.success(request, _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.") % {
            "new": job.counts.get("new", 0), "changed": job.counts.get("changed", 0),
            "unchanged": job.counts.get("unchanged", 0)})
    return redirect("members:import_detail", institution=institution, pk=job.pk)


@require_POST
@requires("members.import")
def import_cancel(request, institution, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        services.import_job_cancel(actor=request.user, job=job)
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.info(request, _("The import was cancelled and the uploaded file removed. Nothing was changed."))
    return redirect("members:import_start", institution=institution)


@requires("members.import")
def import_template(request, institution):
    """An empty spreadsheet with the column titles the import understands."""
    import tablib

    kind = request.GET.get("jenis", "pegawai")
    if kind == "pegawai":
        dataset = tablib.Dataset(headers=["NIP", "Nama", "Jabatan", "Status Kepegawaian", "No. HP", "Email", "Unit"])
        dataset.append(["198203152006041002", "Contoh Nama, S.Pd.", "Guru Matematika", "PNS", "081234567890", "", ""])
    elif kind == "grup":
        dataset = tablib.Dataset(headers=["Grup", "NIP", "No. HP", "Peran", "Sejak"])
        dataset.append(["Grup Resmi", "198203152006041002", "", "Anggota", timezone.localdate()])
    else:
        raise Http404
    response = HttpResponse(to_xlsx(dataset, title=_("Template")),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="templat-{kind}.xlsx"'
    return response


# ---------------------------------------------------------------- corrections of one's own record


@require_POST
@requires("institution.view")
def correction_request(request, institution, pk):
    staff = get_object_or_404(StaffMember, pk=pk, institution=request.institution, user=request.user)
    try:
        services.staff_correction_request(user=request.user, staff=staff, message=request.POST.get("message", ""))
    except ValidationError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Your request was sent to the operator."))
    return redirect("governance:my_data", institution=request.institution.slug)


@requires("members.manage_staff")
def corrections(request, institution, refused_pk=None, refused_value=""):
    return render(request, "members/corrections.html", {
        "corrections": services.open_corrections(request.institution), "title": _("Requests to correct staff records"),
        "refused_pk": refused_pk, "refused_value": refused_value,
    })


@require_POST
@requires("members.manage_staff")
def correction_resolve(request, institution, pk):
    from .models import StaffCorrection

    correction = get_object_or_404(StaffCorrection, pk=pk, institution=request.institution)
    resolution = request.POST.get("resolution", "")
    try:
        services.staff_correction_resolve(actor=request.user, correction=correction, resolution=resolution)
    except ValidationError as error:
        refuse(request, error)
        return corrections(request, institution, refused_pk=correction.pk, refused_value=resolution)
    messages.success(request, _("Marked as dealt with; the person was told."))
    return redirect("members:corrections", institution=request.institution.slug)
