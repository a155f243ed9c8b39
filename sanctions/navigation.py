"""What the sanctions app adds to shared pages: menu items, dashboard panels, and the measures
section of a staff member's profile."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.navigation import (
    NavGroup,
    NavItem,
    Panel,
    Section,
    register_nav,
    register_nav_group,
    register_panel,
    register_section,
)


def _head_panel(request) -> dict:
    from . import deciders, selectors
    from .workdays import working_days_between

    measures, objections, appeals = deciders.waiting_for(request.user, request.institution, above=False)
    # Decisions waiting longer than the institution's reminder days: the ones the daily reminder chases.
    limit, today, tz = (selectors.remind_after_working_days(request.institution), request.institution.local_today(),
                        request.institution.tzinfo)
    since = [m.proposed_at for m in measures] + [o.filed_at for o in objections] + [a.filed_at for a in appeals]
    overdue = sum(1 for moment in since if working_days_between(moment.astimezone(tz).date(), today) > limit)
    return {"measures": measures[:5], "objections": objections[:5], "appeals": appeals[:5],
            "count": len(measures) + len(objections) + len(appeals), "overdue": overdue, "overdue_after": limit,
            "leave_cover": deciders.covering_leave_of(request.user, request.institution),
            "below": deciders.waiting_below(request.institution),
            "late_below": deciders.waiting_below(request.institution, late=True),
            "overdue_referrals": list((referrals := selectors.overdue_referrals(request.institution, visitor=request.user))[:5]),
            "overdue_referral_count": referrals.count()}


def _humas_panel(request) -> dict:
    from . import selectors

    return {"counts": selectors.queue_counts(request.institution, visitor=request.user)}


def _staff_panel(request) -> dict:
    from . import selectors

    return {
        "reports": list(selectors.reports_filed_by(request.user, request.institution)[:3]),
        "measures": [m for m in selectors.measures_about(request.user, request.institution) if m.state == "active"],
        "removals": selectors.removal_tasks_for(request.user, request.institution, everything=False)
        .filter(state="open").count(),
    }


def _staff_profile_section(request, staff=None, **objects) -> dict:
    from . import selectors

    if staff is None:
        return {"measures": []}
    if staff.user_id is not None and staff.user_id == request.user.pk:
        # One's own profile: the measures as their subject sees them (decided ones, on their own pages).
        return {"measures": list(selectors.staff_measures(staff).filter(state__in=selectors.SUBJECT_VISIBLE_STATES)),
                "own": True}
    return {"measures": list(selectors.staff_measures(staff))}


def register() -> None:
    register_nav_group(NavGroup("cases", _("Cases"), order=10))
    register_nav(NavItem("sanctions_queue", _("Violations"), "sanctions:queue", "sanctions.view_cases", order=30, exact=True, group="cases"))
    register_nav(NavItem("sanctions_decisions", _("Decisions"), "sanctions:decisions", "sanctions.decide", order=31, group="cases"))
    register_nav(NavItem("sanctions_escalated", _("Decisions for the parent's head"), "sanctions:decisions_escalated",
                         "sanctions.decide_escalated", order=32, group="cases"))
    register_nav(NavItem("sanctions_report", _("Report a violation"), "sanctions:report_create",
                         "sanctions.file_report", order=15))
    register_nav(NavItem("sanctions_mine", _("My reports and measures"), "sanctions:my_cases",
                         "sanctions.view_own", order=34, group="cases"))
    register_nav(NavItem("sanctions_retention", _("Retention of records"), "sanctions:retention_policy",
                         "sanctions.retention", order=870, group="governance"))
    register_panel(Panel("sanctions_head", "sanctions/panels/head.html", "sanctions.decide", _head_panel, order=10,
                                 cache="visitor"))
    register_panel(Panel("sanctions_humas", "sanctions/panels/humas.html", "sanctions.triage", _humas_panel, order=11,
                                 cache="institution"))
    register_panel(Panel("sanctions_staff", "sanctions/panels/staff.html", "sanctions.view_own", _staff_panel, order=40,
                                 cache="visitor"))
    register_section("staff_profile", Section("sanctions_measures", "sanctions/sections/staff_measures.html",
                                              "sanctions.view_cases", _staff_profile_section, order=50))
