"""The manager every institution-owned model carries.

A thin layer over django-scopes' ``ScopedManager`` that also remembers *where* the row's institution
is (``"institution"``, ``"report__institution"``, …), so that code which must find the owner of a
row — the cache's data versions — reads it from the model instead of keeping its own list.
"""

from __future__ import annotations

from django.db import models
from django_scopes import ScopedManager


def scoped_manager(*, institution: str, manager_class=models.Manager):
    """A manager that refuses queries outside an institution scope; ``institution`` is the lookup
    path from the model to its institution."""
    manager = ScopedManager(_manager_class=manager_class, institution=institution)
    manager.institution_path = institution
    return manager


def institution_id_of(instance) -> int | None:
    """The id of the institution ``instance`` belongs to, following the path its manager declares
    (foreign keys are read through the unscoped base manager, as Django always does)."""
    if hasattr(instance, "institution_id"):
        return instance.institution_id
    path = getattr(type(instance)._default_manager, "institution_path", None)
    if not path:
        return None
    *hops, last = path.split("__")
    owner = instance
    for hop in hops:
        if getattr(owner, f"{hop}_id", None) is None:
            return None
        owner = getattr(owner, hop)
    return getattr(owner, f"{last}_id", None)
