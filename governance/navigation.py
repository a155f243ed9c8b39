"""Extension points that let each app add to shared pages without editing them.

- ``nav``: links in the institution menu, each shown only with its permission;
- ``panels``: sections of the institution dashboard (``governance.views.dashboard`` renders them);
- ``banners``: notices at the top of every institution page (election period, unread code);
- ``sections``: parts of one app's detail page contributed by an app to its right (the staff
  profile shows a person's measures from sanctions; a channel page shows its members from members).

Apps register in their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    permission: str
    order: int = 100
    exact: bool = False  # highlighted only on its own page, not below it
    # The menu group it sits in (a dropdown from 992 px up, a sub-list on a phone); "" for the top row.
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    order: int = 100


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    permission: str
    context: Callable | None = None  # (request) -> dict
    order: int = 100
    # What the context depends on, so that it can be kept in the institution's cache until its data
    # changes (see governance.cache): "institution" (the same for every visitor allowed to see the
    # panel), "visitor" (one copy per user), or "" (computed on every visit).
    cache: str = ""
    # A static file the panel's markup needs on the dashboard (e.g. "css/reports.css").
    stylesheet: str = ""


@dataclass(frozen=True)
class Banner:
    level: str  # Bootstrap alert level: info, warning, danger
    message: str
    url: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    permission: str
    context: Callable | None = None  # (request, **objects) -> dict
    order: int = 100


_nav: dict[str, NavItem] = {}
_nav_groups: dict[str, NavGroup] = {}
_sections: dict[str, dict[str, Section]] = {}
_panels: dict[str, Panel] = {}
_banner_providers: dict[str, Callable] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.key] = item


def register_nav_group(group: NavGroup) -> None:
    _nav_groups[group.key] = group


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def register_banner(key: str, provider: Callable) -> None:
    """``provider(request) -> list[Banner]``, called on institution pages only."""
    _banner_providers[key] = provider


def register_section(page: str, section: Section) -> None:
    """Add a section to ``page`` (e.g. "channel_detail", "staff_profile", "code_version")."""
    _sections.setdefault(page, {})[section.key] = section


def sections_for(request, page: str, **objects) -> list[dict]:
    """Sections of ``page`` the visitor may see, each with its template and context."""
    out = []
    for section in sorted(_sections.get(page, {}).values(), key=lambda s: (s.order, s.key)):
        if request.access is not None and request.access.has(section.permission):
            context = section.context(request, **objects) if section.context else {}
            out.append({"template": section.template, "context": {**objects, **context}})
    return out


def nav_for(request) -> list[dict]:
    """The menu: top-level links and groups, each with the items the visitor may open. A group
    with one visible item is shown as that item, so nobody opens a menu to find one link."""
    access, institution = getattr(request, "access", None), getattr(request, "institution", None)
    if access is None or institution is None:
        return []
    entries: list[dict] = []
    groups: dict[str, dict] = {}
    for item in sorted(_nav.values(), key=lambda i: (i.order, i.key)):
        if not access.has(item.permission):
            continue
        url = reverse(item.url_name, kwargs={"institution": institution.slug})
        active = request.path == url or (not item.exact and request.path.startswith(url))
        link = {"label": item.label, "url": url, "active": active}
        group = _nav_groups.get(item.group)
        if group is None:
            entries.append({**link, "order": item.order})
            continue
        if group.key not in groups:
            groups[group.key] = {"key": group.key, "label": group.label, "links": [], "order": group.order}
            entries.append(groups[group.key])
        groups[group.key]["links"].append(link)
    menu = []
    for entry in sorted(entries, key=lambda e: e["order"]):
        if "links" in entry and len(entry["links"]) == 1:
            entry = entry["links"][0]
        elif "links" in entry:
            entry["active"] = any(link["active"] for link in entry["links"])
        menu.append(entry)
    return menu


def _panel_context(request, panel: Panel) -> dict:
    from .cache import cached

    if panel.context is None:
        return {}
    if panel.cache not in ("institution", "visitor"):
        return panel.context(request)
    name = f"panel:{panel.key}" + (f":user:{request.user.pk}" if panel.cache == "visitor" else "")
    institution = request.institution
    return cached(institution, name, lambda: panel.context(request), day=institution.local_today())


def visible_panels(request) -> list[Panel]:
    access = request.access
    return [panel for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)) if access.has(panel.permission)]


def panels_for(request, panels: list[Panel] | None = None) -> list[dict]:
    if panels is None:
        panels = visible_panels(request)
    return [{"template": panel.template, "context": _panel_context(request, panel)} for panel in panels]


def stylesheets_for(panels: list[Panel]) -> list[str]:
    """The stylesheets the visible panels need, each once, in panel order."""
    return list(dict.fromkeys(panel.stylesheet for panel in panels if panel.stylesheet))


def banners_for(request) -> list[Banner]:
    if getattr(request, "institution", None) is None:
        return []
    banners: list[Banner] = []
    for key in sorted(_banner_providers):
        banners.extend(_banner_providers[key](request))
    return banners


def register_defaults() -> None:
    register_nav(NavItem("dashboard", _("Dashboard"), "governance:dashboard", "institution.view", order=0, exact=True))
    register_nav(NavItem("audit", _("Audit trail"), "governance:audit_log", "governance.view_audit", order=900,
                         group="governance"))


def register_governance() -> None:
    """Menu items, the dashboard panel and the election banner of the governance records."""
    register_nav_group(NavGroup("governance", _("Governance"), order=20))
    register_nav(NavItem("channels", _("Groups and accounts"), "governance:channel_list", "governance.view_channels",
                         order=20, group="governance"))
    register_nav(NavItem("code", _("Code of conduct"), "governance:code_versions", "governance.view_code", order=30, group="governance"))
    register_nav(NavItem("publications", _("Publication log"), "governance:publication_list",
                         "governance.view_publications", order=40, group="governance"))
    register_nav(NavItem("elections", _("Election periods"), "governance:election_list", "governance.view_elections",
                         order=45, group="governance"))
    register_nav(NavItem("settings", _("Institution settings"), "governance:settings_profile",
                         "governance.manage_settings", order=880, group="governance"))
    register_panel(Panel("governance", "governance/panels/governance.html", "governance.view_publications",
                         context=_governance_panel_context, order=20, cache="institution"))
    register_banner("governance_election", election_banners)


def _governance_panel_context(request) -> dict:
    from .selectors import governance_panel

    return governance_panel(request.institution)


def election_banners(request) -> list[Banner]:
    """While an election period runs in the institution's region: a banner on each of its pages."""
    from django.utils import formats

    from .models import ElectionPeriod
    from .selectors import active_election_periods

    institution = request.institution
    today = institution.local_today()
    banners = []
    for period in active_election_periods(institution, today):
        phase = period.phase_on(today)
        values = {
            "period": period.name,
            "start": formats.date_format(period.campaign_starts_on, "DATE_FORMAT"),
            "end": formats.date_format(period.campaign_ends_on, "DATE_FORMAT"),
            "quiet_start": formats.date_format(period.quiet_starts_on, "DATE_FORMAT"),
            "quiet_end": formats.date_format(period.quiet_ends_on, "DATE_FORMAT"),
            "voting": formats.date_format(period.voting_day, "DATE_FORMAT"),
        }
        if phase == ElectionPeriod.Phase.VOTING:
            message = _("%(period)s: today is voting day. Civil servants stay neutral on social media: no "
                        "campaigning, no posting how you voted.") % values
        elif phase == ElectionPeriod.Phase.QUIET:
            message = _("%(period)s: quiet period (%(quiet_start)s – %(quiet_end)s), voting on %(voting)s. Post "
                        "nothing about candidates or parties, in groups or on your own accounts.") % values
        else:
            message = _("%(period)s: campaign period (%(start)s – %(end)s), voting on %(voting)s. Civil servants "
                        "stay neutral: do not post, share, like or comment on campaign material.") % values
        url = reverse("governance:public_code", kwargs={"institution": institution.slug})
        banners.append(Banner("warning", message, url=url, link_text=_("Neutrality rules")))
    return banners
