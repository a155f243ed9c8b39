"""The manager every institution-owned model carries.

A thin layer over django-scopes' ``ScopedManager`` that also remembers *where* the row's institution
is (``"institution"``, ``"report__institution"``, …), so that code which must find the owner of a
row — the cache's data versions — reads it from the model instead of keeping its own list.

A subtree scope (an assessor's pages over a province of hundreds of institutions) is a ``Subtree``
value: the managers filter it by one subquery of the institution table, not by one SQL parameter
per institution, which Django and the database driver would otherwise compile again for every
query of the page.
"""

from __future__ import annotations

from django.db import models
from django_scopes import ScopedManager
from django_scopes.state import get_scope


class Subtree:
    """The scope value of an institution and its active descendants (``tenancy.subtree_scope``):
    ``institutions`` is the query of their ids, run inside each scoped query."""

    __slots__ = ("institutions",)

    def __init__(self, institutions: models.QuerySet):
        self.institutions = institutions


def scoped_manager(*, institution: str, manager_class=models.Manager):
    """A manager that refuses queries outside an institution scope; ``institution`` is the lookup
    path from the model to its institution."""
    scoped = type(ScopedManager(_manager_class=manager_class, institution=institution))

    class Manager(scoped):
        def get_queryset(self):
            current = getattr(self, "_override_scope", None) or get_scope()
            value = current.get("institution") if current.get("_enabled", True) else None
            if isinstance(value, Subtree):
                # past django-scopes' own filter, to the model's manager class
                return super(scoped, self).get_queryset().filter(**{f"{institution}__in": value.institutions})
            return super().get_queryset()

    manager = Manager()
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
