"""What chat-export triage adds to shared pages: the menu item for Humas and the head, the dashboard
panel for Humas, and the upload section on a group's page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from governance.navigation import NavItem, Panel, Section, register_nav, register_panel, register_section


def _channel_chat_section(request, channel=None, **objects) -> dict:
    from . import selectors

    if channel is None or not channel.is_group:
        return {"show": False}
    return {"show": True, "imports": list(selectors.chat_imports(request.institution, channel=channel)[:3])}


def _chat_panel(request) -> dict:
    from . import selectors

    return selectors.chat_panel(request.institution)


def register() -> None:
    register_nav(NavItem("triage_chat", _("Chat triage"), "triage:chat_imports", "sanctions.view_chat", order=35, group="cases"))
    register_panel(Panel("triage_chat", "triage/panels/chat.html", "sanctions.triage_chat", _chat_panel,
                         order=12, cache="institution"))
    register_section("channel_detail", Section("triage_chat", "triage/sections/channel_chat.html",
                                               "sanctions.triage_chat", _channel_chat_section, order=60))
