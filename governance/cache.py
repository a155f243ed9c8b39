"""Cached read models of one institution, safe to share between its visitors.

Every cached value is keyed by the institution and by its *data version*, a counter in the cache
that moves on every change of the institution's data: each audit entry (``log_action``), and each
save or delete of a row that belongs to it (``governance.invalidation``, connected in
``GovernanceConfig.ready``). A change also moves the versions of the institution's ancestors, whose
pages aggregate their subtree. A cached value is therefore never read after a change: the next
visit computes it again. Values that depend on the day carry the day in their key.

Only institution-wide data goes here, never what depends on the visitor: callers key anything
that does (the user, the role) explicitly.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import secrets

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 60 * 60
GLOBAL = "global"


def user_owner(user_id: int) -> str:
    """The owner whose version moves with one account's memberships and second factor."""
    return f"user:{user_id}"


def _version_key(owner) -> str:
    return f"santun:dataversion:{owner}"


# The versions one request has read, so that its panels, menu and banners ask the cache once per
# institution. A request that changes data forgets them (and reads past the cache from then on).
_seen_versions: contextvars.ContextVar[dict | None] = contextvars.ContextVar("santun_seen_versions", default=None)


def data_version(owner) -> int:
    seen = _seen_versions.get()
    if seen is not None and owner in seen:
        return seen[owner]
    # A counter that starts anywhere: should the cache ever drop it, the new one does not meet
    # values cached under the old numbers.
    version = cache.get_or_set(_version_key(owner), lambda: secrets.randbits(52), timeout=None)
    if seen is not None:
        seen[owner] = version
    return version


def data_versions(owners) -> dict:
    """The data versions of several owners, in one round trip to the cache for those this request
    has not read yet."""
    seen = _seen_versions.get()
    known = {owner: seen[owner] for owner in owners if seen is not None and owner in seen}
    missing = [owner for owner in owners if owner not in known]
    if missing:
        found = cache.get_many([_version_key(owner) for owner in missing])
        for owner in missing:
            version = found.get(_version_key(owner))
            known[owner] = version if version is not None else data_version(owner)
            if seen is not None:
                seen[owner] = known[owner]
    return known


def _bump_now(owners) -> None:
    seen = _seen_versions.get()
    if seen is not None:
        seen.clear()
    for owner in owners:
        try:
            cache.incr(_version_key(owner))
        except ValueError:
            cache.set(_version_key(owner), secrets.randbits(52), timeout=None)


# Set once this request (or task) has changed data: what it reads afterwards may yet be rolled
# back, so it reads past the cache and stores nothing.
_changed = contextvars.ContextVar("santun_changed_data", default=False)


def request_changed_data() -> bool:
    """Whether this request (or task) has changed data so far."""
    return _changed.get()


@contextlib.contextmanager
def fresh_request():
    """Run one request: the cache may be filled until the request changes data."""
    token, seen = _changed.set(False), _seen_versions.set({})
    try:
        yield
    finally:
        _changed.reset(token)
        _seen_versions.reset(seen)


def bump(owners) -> None:
    """Move the data versions of ``owners`` (institution ids, or ``GLOBAL``) now and again when the
    transaction commits, so that no visit caches what it read before the commit."""
    owners = list(owners)
    if not owners:
        return
    _changed.set(True)
    _bump_now(owners)
    transaction.on_commit(lambda: _bump_now(owners))


def bump_institution(institution=None, *, institution_id: int | None = None) -> None:
    """The institution and every ancestor (their pages aggregate the subtree)."""
    from .models import Institution

    if institution is None:
        if institution_id is None:
            return
        path = cache.get(f"santun:path:{institution_id}")
        if path is None:
            path = Institution.objects.filter(pk=institution_id).values_list("path", flat=True).first() or ""
            cache.set(f"santun:path:{institution_id}", path, TIMEOUT)
        ids = [int(p) for p in path.strip("/").split("/") if p] or [institution_id]
    else:
        cache.delete(f"santun:path:{institution.pk}")
        ids = [int(p) for p in institution.path.strip("/").split("/") if p] or [institution.pk]
    bump(ids)


def cached(institution, name: str, compute, *, day: datetime.date | None = None, timeout: int = TIMEOUT):
    """``compute()``, cached for ``institution`` until its data changes (and until ``day`` ends)."""
    return _through_cache(f"inst:{institution.pk}:{data_version(institution.pk)}", name, compute, day, timeout)


def cached_global(name: str, compute, *, day: datetime.date | None = None, timeout: int = TIMEOUT):
    """Platform-wide data (election periods): keyed by the global data version."""
    return _through_cache(f"global:{data_version(GLOBAL)}", name, compute, day, timeout)


def _through_cache(prefix: str, name: str, compute, day, timeout):
    if _changed.get():
        return compute()
    key = f"santun:{prefix}:{name}:{day.isoformat() if day else ''}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
