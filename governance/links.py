"""Normalised links and handles of groups and official accounts.

People write the same account in many ways: ``@mtsn1muaraenim``, ``instagram.com/mtsn1muaraenim``,
``https://www.instagram.com/MTsN1MuaraEnim/?igsh=...``. ``normalise`` turns each into one canonical
address (what the register shows and links to) and one key (what duplicates are found by), so the
register refuses a second entry for the same account in one institution.

Pure functions, no database: the model keeps ``Channel.link_key`` with them, the service checks
duplicates with them and the CSV import finds accounts with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Hosts of each platform, without "www." / "m." / "mobile." prefixes.
HOSTS = {
    "instagram": {"instagram.com", "instagr.am"},
    "facebook": {"facebook.com", "fb.com", "fb.me", "web.facebook.com"},
    "x": {"x.com", "twitter.com"},
    "youtube": {"youtube.com", "youtu.be"},
    "tiktok": {"tiktok.com"},
    "wa_group": {"chat.whatsapp.com"},
    "tg_group": {"t.me", "telegram.me"},
}
SOCIAL_HOSTS = {host for hosts in HOSTS.values() for host in hosts} | {"wa.me", "whatsapp.com"}
HANDLE = re.compile(r"^[a-z0-9._-]{1,100}$")
INVITE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
HOST_PREFIXES = ("www.", "m.", "mobile.", "web.")


@dataclass(frozen=True)
class NormalisedLink:
    url: str  # the canonical address shown and linked to
    key: str  # the comparison key: same account, same key


def _strip_host(host: str) -> str:
    host = host.lower().split(":")[0].rstrip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host[len(prefix):] in SOCIAL_HOSTS:
            return host[len(prefix):]
    return host


def _split(raw: str):
    """(host, path parts, query) of something that looks like an address, else None."""
    text = raw.strip()
    if text.startswith("@"):
        return None
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        if "/" not in text and "." not in text.split("?")[0]:
            return None
        text = "https://" + text
    parts = urlsplit(text)
    if not parts.netloc:
        return None
    return _strip_host(parts.netloc), [p for p in parts.path.split("/") if p], parse_qs(parts.query)


def _bad(kind_label, kind="") -> ValidationError:
    if kind == "wa_group":
        return ValidationError(
            _("This is not a WhatsApp group invitation link. Paste the link from \"Invite via link\", e.g. https://chat.whatsapp.com/AbC123xyz."),
            code="bad_link",
        )
    if kind == "website":
        return ValidationError(_("This is not a website address. Write it like https://www.example.go.id/."), code="bad_link")
    return ValidationError(
        _("This does not look like a %(kind)s address or handle. Paste the address from the app or write the handle, e.g. @name.")
        % {"kind": kind_label}, code="bad_link",
    )


def _handle(value: str, kind_label) -> str:
    handle = value.strip().lstrip("@").lower()
    if not HANDLE.match(handle):
        raise _bad(kind_label)
    return handle


def normalise(kind: str, raw: str, *, kind_label="") -> NormalisedLink | None:
    """Canonical address and key of ``raw`` for a channel of ``kind``; None when ``raw`` is blank.

    Raises ``ValidationError`` (Indonesian message) when ``raw`` is not an address of that kind."""
    raw = (raw or "").strip()
    if not raw:
        return None
    label = kind_label or kind
    split = _split(raw)
    if split and kind in HOSTS and split[0] not in HOSTS[kind]:
        # "rutan.kudus" is a handle with a dot, not a host; "facebook.com/x" for Instagram is wrong.
        if "/" in raw or split[0] in SOCIAL_HOSTS:
            raise _bad(label, kind)
        split = None
    host, path, query = split if split else (None, [], {})
    reader = _READERS.get(kind)
    if reader is None:
        raise _bad(label, kind)
    return reader(raw, host, path, query, label)


# One reader per kind of channel: ``host`` is None when ``raw`` is a handle rather than an address.

def _website(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    if host is None:
        raise _bad(label, "website")
    if host in SOCIAL_HOSTS:
        raise ValidationError(
            _("This is the address of a social media account, not of a website. Choose the kind that matches it."),
            code="social_as_website",
        )
    if "." not in host:
        raise _bad(label, "website")
    tail = "/".join(path)
    scheme = "http" if raw.lower().startswith("http://") else "https"
    url = f"{scheme}://{host}/{tail}" if tail else f"{scheme}://{host}/"
    key_host = host[4:] if host.startswith("www.") else host
    return NormalisedLink(url=url, key=f"website:{key_host}/{tail.lower()}".rstrip("/"))


def _profile_handle(raw: str, host: str | None, path: list[str], label, kind: str, reserved: set[str]) -> str:
    """The handle of a profile address (its first path part) or of a bare handle; the platform's
    own pages (``reserved``) are not profiles."""
    handle = _handle(path[0] if host else raw, label) if (path or not host) else None
    if handle is None or handle in reserved:
        raise _bad(label, kind)
    return handle


def _instagram(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    handle = _profile_handle(raw, host, path, label, "instagram", {"p", "reel", "stories", "explore"})
    return NormalisedLink(url=f"https://www.instagram.com/{handle}/", key=f"instagram:{handle}")


def _x(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    handle = _profile_handle(raw, host, path, label, "x", {"i", "home", "search", "intent"})
    return NormalisedLink(url=f"https://x.com/{handle}", key=f"x:{handle}")


def _tiktok(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    value = path[0] if host and path else (None if host else raw)
    if value is None:
        raise _bad(label, "tiktok")
    handle = _handle(value, label)
    return NormalisedLink(url=f"https://www.tiktok.com/@{handle}", key=f"tiktok:{handle}")


def _facebook(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    if not host:
        handle = _handle(raw, label)
        return NormalisedLink(url=f"https://www.facebook.com/{handle}", key=f"facebook:{handle}")
    if path[:1] == ["profile.php"] and query.get("id"):
        number = query["id"][0]
        if not number.isdigit():
            raise _bad(label, "facebook")
        return NormalisedLink(url=f"https://www.facebook.com/profile.php?id={number}", key=f"facebook:id:{number}")
    if path[:1] in (["pg"], ["people"]) and len(path) > 1:
        path = path[1:]
    if not path:
        raise _bad(label, "facebook")
    handle = _handle(path[0], label)
    return NormalisedLink(url=f"https://www.facebook.com/{handle}", key=f"facebook:{handle}")


def _youtube(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    if not host:
        handle = _handle(raw, label)
        return NormalisedLink(url=f"https://www.youtube.com/@{handle}", key=f"youtube:@{handle}")
    if path and path[0].startswith("@"):
        handle = _handle(path[0], label)
        return NormalisedLink(url=f"https://www.youtube.com/@{handle}", key=f"youtube:@{handle}")
    if len(path) >= 2 and path[0] == "channel" and INVITE.match(path[1]):
        return NormalisedLink(url=f"https://www.youtube.com/channel/{path[1]}", key=f"youtube:channel/{path[1]}")
    if len(path) >= 2 and path[0] in ("c", "user"):
        handle = _handle(path[1], label)
        return NormalisedLink(url=f"https://www.youtube.com/{path[0]}/{handle}", key=f"youtube:{path[0]}/{handle}")
    raise _bad(label, "youtube")


def _wa_group(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    code = path[0] if host and path else (None if host else raw)
    if code is None or not INVITE.match(code):
        raise _bad(label, "wa_group")
    # Invitation codes are case-sensitive: the key keeps the case.
    return NormalisedLink(url=f"https://chat.whatsapp.com/{code}", key=f"wa_group:{code}")


def _tg_invite(path: list[str]) -> str | None:
    """The invitation code of a t.me address ("joinchat/CODE" or "+CODE"), None for a public name."""
    if path[0] == "joinchat" and len(path) > 1 and INVITE.match(path[1]):
        return path[1]
    if path[0].startswith("+") and INVITE.match(path[0][1:]):
        return path[0][1:]
    return None


def _tg_group(raw: str, host: str | None, path: list[str], query: dict, label) -> NormalisedLink:
    if not host:
        handle = _handle(raw, label)
        return NormalisedLink(url=f"https://t.me/{handle}", key=f"tg_group:{handle}")
    if not path:
        raise _bad(label, "tg_group")
    invite = _tg_invite(path)
    if invite is None:
        handle = _handle(path[0], label)
        return NormalisedLink(url=f"https://t.me/{handle}", key=f"tg_group:{handle}")
    return NormalisedLink(url=f"https://t.me/+{invite}", key=f"tg_group:+{invite}")


_READERS = {
    "website": _website, "instagram": _instagram, "x": _x, "tiktok": _tiktok, "facebook": _facebook,
    "youtube": _youtube, "wa_group": _wa_group, "tg_group": _tg_group,
}


def link_key(kind: str, raw: str) -> str:
    """The comparison key, or "" when the link is blank or cannot be read (the form says why)."""
    try:
        normalised = normalise(kind, raw)
    except ValidationError:
        return f"{kind}:{(raw or '').strip().lower()}" if (raw or "").strip() else ""
    return normalised.key if normalised else ""
