"""What the reports app adds to shared pages: menu items and dashboard panels."""

from django.utils.translation import gettext_lazy as _

from governance.cache import cached
from governance.models import Role
from governance.navigation import NavGroup, NavItem, Panel, register_nav, register_nav_group, register_panel

from . import selectors


def card_context(request) -> dict:
    institution = request.institution
    card = cached(institution, "panel:reports_card", lambda: selectors.card_panel(institution),
                  day=institution.local_today())
    return {**card, "can_self_assess": request.access.has("reports.self_assess")}


def assessing_context(request) -> dict:
    if not request.access.has_role(Role.ASSESSOR):
        return {"periods": None}
    institution = request.institution
    return {"periods": cached(institution, "panel:reports_assessing", lambda: selectors.assessing_panel(institution),
                              day=institution.local_today())}


def register() -> None:
    register_nav_group(NavGroup("assessment", _("Assessment"), order=60))
    register_nav(NavItem("reports_card", _("Humas assessment"), "reports:card_list", "reports.view_report_card", order=60, group="assessment"))
    register_nav(NavItem("reports_periods", _("Assessing institutions"), "reports:period_list", "reports.manage_periods",
                         order=61, group="assessment"))
    # Oversight of the cases: beside the queue and the decisions in the Kasus group.
    register_nav(NavItem("reports_statistics", _("Moderation statistics"), "reports:statistics",
                         "reports.view_statistics", order=39, group="cases"))
    register_panel(Panel("reports_card", "reports/panels/card.html", "reports.view_report_card", card_context, order=40,
                         stylesheet="css/reports.css"))
    register_panel(Panel("reports_assessing", "reports/panels/assessing.html", "reports.manage_periods",
                         assessing_context, order=30, stylesheet="css/reports.css"))
