"""Rendered pages kept for the one visitor who saw them, until the data behind them changes.

The core pages (a head's dashboard, the case queue, a case file, the assessor's ranking, the
statistics, the public code) are read far more often than the data under them changes. A view
declared ``@page_cache`` is rendered once per visitor and data version and then served from the
cache, after the same access checks as always (``TenantMiddleware`` calls ``serve`` only once the
visitor may open the page):

* **The key holds everything the page depends on**: the address with its query, the visitor, the
  roles they hold on the institution's path, the institutions of their switcher, whether they set up
  and used two-factor sign-in, the language, htmx or full page, the day in the institution's time
  zone, and the data versions (``governance.cache``) of the institution, of each of its ancestors
  and of the platform. Every audited change, every saved row of the institution or of its subtree
  moves one of those versions, so the next visit renders again. A page is kept for at most
  ``TIMEOUT`` seconds besides, for the few words that follow the clock ("two hours ago").
* **Nothing of one visit is kept for the next.** The CSRF token is cut out before the page is
  stored and the visitor's own token put in when it is served; a page with one-time messages to
  show is never stored or served from the cache (those visits render as usual); a visit that
  changed data stores nothing; only complete 200 HTML answers without cookies of their own are kept.

Pages are never shared between visitors: two heads of one institution each have their own copy.
``SANTUN_PAGE_CACHE = False`` (environment variable of the same name) renders every visit afresh.
"""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CSRF_SECRET_LENGTH, _unmask_cipher_token, get_token

from .accounts import session_used_mfa
from .cache import GLOBAL, data_versions, request_changed_data

TIMEOUT = 60
PLACEHOLDER = b"__santun_csrf_token__"
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Expires", "Vary", "HX-Trigger", "HX-Push-Url")


def page_cache(view):
    """Declare a tenant view whose GET answers may be kept per visitor (see the module's text)."""
    view.page_cache = True
    return view


def wants(declaration, request) -> bool:
    return getattr(declaration, "page_cache", False) and request.method == "GET" and settings.SANTUN_PAGE_CACHE


def serve(request, institution, held, has_totp, get_response):
    """The visitor's page from the cache, or rendered now and kept."""
    if _has_messages(request):
        return get_response(request)
    key = _key(request, institution, held, has_totp)
    kept = cache.get(key)
    if kept is not None:
        status, headers, body = kept
        response = HttpResponse(body.replace(PLACEHOLDER, get_token(request).encode()) if PLACEHOLDER in body else body,
                                status=status)
        for name, value in headers:
            response[name] = value
        return response
    response = get_response(request)
    if _keepable(response) and not request_changed_data():
        body = _without_token(request, response.content)
        if body is not None:
            headers = [(name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)]
            cache.set(key, (response.status_code, headers, body), TIMEOUT)
    return response


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    # Looking does not mark them shown: the page rendered next still shows them.
    return bool(storage._queued_messages or storage._loaded_messages)


def _key(request, institution, held, has_totp) -> str:
    user = request.user
    owners = [institution.pk, *institution.ancestor_ids(), GLOBAL]
    versions = data_versions(owners)
    switcher = sorted(i.pk for i in getattr(request, "my_institutions", None) or ())
    parts = (
        request.get_full_path(), request.headers.get("HX-Request", ""), request.headers.get("HX-Target", ""),
        getattr(request, "LANGUAGE_CODE", ""), user.pk if user.is_authenticated else 0,
        sorted(held or ()), switcher, bool(has_totp), user.is_authenticated and session_used_mfa(request),
        institution.local_today().isoformat(), [versions[owner] for owner in owners],
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"santun:page:{institution.pk}:{digest}"


def _keepable(response) -> bool:
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and response.get("Content-Type", "").startswith("text/html"))


def _without_token(request, body: bytes) -> bytes | None:
    """The page with every CSRF token of this visit replaced by the placeholder; ``None`` when a
    trace of the visit's secret would stay in it."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body
    encoded = secret.encode()

    def cut(match):
        token = match.group(0)
        return PLACEHOLDER if _unmask_cipher_token(token.decode()) == secret else token

    body = _TOKEN.sub(cut, body)
    if len(secret) == CSRF_SECRET_LENGTH and encoded in body:
        return None
    return body
