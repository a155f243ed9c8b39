"""The URL × role matrix: every tenant URL, who may open it, and how to build its arguments.

Each app lists its tenant URLs in ``<app>/tests/url_cases.py``:

    def objects(side) -> dict:        # create this app's objects at side.institution
        ...
    CASES = [UrlCase("app:name", roles={...}, kwargs=lambda o: {"pk": o["thing"].pk}), ...]

``tests/test_isolation.py`` fails when a tenant URL has no case, so a new view cannot skip the walk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_MEMBER_ROLES = frozenset({"kepala", "humas", "operator", "pegawai", "plt"})
EVERY_ROLE = ALL_MEMBER_ROLES | {"penilai"}


@dataclass(frozen=True)
class UrlCase:
    name: str
    # Roles at the institution itself that may open the URL; every other local role gets 403.
    roles: frozenset[str] = frozenset()
    # Roles at the parent institution that may open it ("kepala", "penilai", "operator"); others 403.
    parent_roles: frozenset[str] = frozenset()
    kwargs: Callable[[dict], dict] = field(default=lambda objects: {})
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    # Statuses a permitted user may get (a POST action redirects; a form without data re-renders).
    ok: frozenset[int] = frozenset({200})
    public: bool = False
    # What a signed-in user of the institution without a permitted role gets. 403 unless the view
    # answers 404 because the object is someone else's (a notification, one's own warning).
    forbidden: int = 403

    def __str__(self):
        return f"{self.method.upper()} {self.name}"
