"""What the members app adds to shared pages (menu, dashboard, banners, other apps' pages) and to
governance's rules (who may rename and move institutions), and its receiver of
``governance.signals.code_published``. No business rules here: they call selectors and services."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.navigation import (
    Banner,
    NavGroup,
    NavItem,
    Panel,
    Section,
    register_banner,
    register_nav,
    register_nav_group,
    register_panel,
    register_section,
)
from governance.services import register_arranging_permission


def on_code_published(sender, version, actor=None, **kwargs):
    from .services import acknowledgement_request

    acknowledgement_request(version=version, actor=actor)


def acknowledgement_banner(request):
    from .selectors import pending_acknowledgement_for

    if request.access is None or not request.access.is_member:
        return []
    if request.resolver_match and request.resolver_match.view_name == "members:acknowledge":
        return []
    if pending_acknowledgement_for(request) is None:
        return []
    return [Banner(
        level="warning",
        message=_("A new code of conduct has been published. Please read it and confirm that you have read it."),
        url=reverse("members:acknowledge", kwargs={"institution": request.institution.slug}),
        link_text=_("Read and acknowledge"),
    )]


def operator_panel(request):
    from .selectors import pending_invitation_count, staff_count, staff_with_accounts

    institution = request.institution
    return {"staff": staff_count(institution), "accounts": len(staff_with_accounts(institution)),
            "pending_invitations": pending_invitation_count(institution)}


def staff_panel(request):
    from .selectors import current_code_version, pending_acknowledgement_for

    pending = pending_acknowledgement_for(request)
    return {"pending": pending is not None, "version": pending[1] if pending else current_code_version(request.institution)}


def channel_section(request, channel):
    from .views import channel_section_context

    return channel_section_context(request, channel=channel)


def code_version_section(request, version=None, **objects):
    from governance.models import CodeVersion

    from .selectors import acknowledgement_share

    version = version or objects.get("code_version")
    if version is None or version.state == CodeVersion.State.DRAFT:
        return {"version": version, "is_draft": True}
    acknowledged, total = acknowledgement_share(request.institution, version)
    return {"version": version, "is_draft": False, "acknowledged": acknowledged, "total": total,
            "percent": round(acknowledged * 100 / total) if total else 0}


def my_acknowledgement_section(request, version=None, **objects):
    """Below the code in force (``version``): the visitor's own acknowledgement of it, or the button."""
    from .selectors import own_acknowledgement

    staff, done = own_acknowledgement(request.user, request.institution, version)
    return {"version": version, "staff": staff, "done": done}


def register() -> None:
    # Those who onboard child institutions also rename and move them (governance.services does it).
    register_arranging_permission("members.onboard")
    register_nav_group(NavGroup("people", _("Staff and roles"), order=300))
    register_nav(NavItem("members_directory", _("Staff"), "members:directory", "members.view_directory", order=300, group="people"))
    register_nav(NavItem("members_import", _("Import"), "members:import_start", "members.import", order=310, group="people"))
    register_nav(NavItem("members_invitations", _("Invitations"), "members:invitations", "members.manage_roles", order=320, group="people"))
    register_nav(NavItem("members_acknowledgements", _("Acknowledgements"), "members:acknowledgement_overview",
                         "governance.view_acknowledgements", order=330, group="people"))
    register_nav(NavItem("members_children", _("Child institutions"), "members:children", "members.onboard", order=340, group="people"))
    register_nav(NavItem("members_heads", _("Head of office"), "members:heads", "members.grant_head", order=350, group="people"))
    register_panel(Panel("members_operator", "members/panels/operator.html", "members.manage_staff",
                         context=operator_panel, order=20, cache="institution"))
    register_panel(Panel("members_staff", "members/panels/staff.html", "institution.view",
                         context=staff_panel, order=10))
    register_banner("members_acknowledgement", acknowledgement_banner)
    register_section("channel_detail", Section("members_channel", "members/sections/channel_members.html",
                                               "governance.view_channels", context=channel_section, order=50))
    register_section("code_version", Section("members_acknowledgements", "members/sections/code_version.html",
                                             "governance.view_acknowledgements", context=code_version_section, order=50))
    register_section("code_in_force_end", Section("members_my_acknowledgement", "members/sections/my_acknowledgement.html",
                                                  "institution.view", context=my_acknowledgement_section, order=10))
