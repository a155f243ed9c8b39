"""Institutions of the tree: created, renamed and moved (with their whole subtree). The tree paths
themselves are kept by the model (``Institution.save`` and ``Institution.move_under``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..audit import log_action
from ..cache import bump
from ..models import Institution, User
from ..tenancy import access_for, institutions_for_user

# Who may rename and move institutions: whoever holds, at the institution's parent or above, one
# of these permissions. The app that adds institutions to the tree registers its permission in its
# AppConfig.ready; the system itself (no actor) and platform administrators always may.
_ARRANGING_PERMISSIONS: set[str] = set()


def register_arranging_permission(permission: str) -> None:
    _ARRANGING_PERMISSIONS.add(permission)


def may_arrange(user: User | None, institution: Institution | None) -> bool:
    """May ``user`` rename or move things at or below ``institution``?"""
    if user is None or user.is_superuser:
        return True
    if institution is None:
        return False
    for root in institutions_for_user(user):
        access = access_for(user, root)
        if access is not None and any(access.has(p) for p in _ARRANGING_PERMISSIONS):
            if institution.path.startswith(root.path):
                return True
    return False


@transaction.atomic
def institution_create(*, actor: User | None, parent: Institution | None, **fields) -> Institution:
    institution = Institution(parent=parent, **fields)
    institution.full_clean()
    institution.save()
    log_action(
        action="governance.institution.created",
        institution=institution,
        actor=actor,
        target=institution,
        data={"slug": institution.slug, "kind": institution.kind, "parent": parent.pk if parent else None},
    )
    return institution


@transaction.atomic
def institution_rename(*, actor: User | None, institution: Institution, name: str, letter_unit_code: str | None = None) -> Institution:
    if not may_arrange(actor, institution.parent):
        raise PermissionDenied
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Write the institution's name.")})
    changed = []
    if name != institution.name:
        institution.name = name
        changed.append("name")
    if letter_unit_code is not None and letter_unit_code.strip() != institution.letter_unit_code:
        institution.letter_unit_code = letter_unit_code.strip()
        changed.append("letter_unit_code")
    if changed:
        institution.save(update_fields=changed)
        log_action(action="governance.institution.renamed", institution=institution, actor=actor, target=institution,
                   data={"institution": institution.pk, "fields": changed})
    return institution


@transaction.atomic
def institution_move(*, actor: User | None, institution: Institution, new_parent: Institution) -> Institution:
    """Put ``institution`` (and its whole subtree) under ``new_parent``. The actor must arrange
    institutions both where it comes from and where it goes."""
    if actor is not None and not (may_arrange(actor, institution.parent) and may_arrange(actor, new_parent)):
        raise PermissionDenied
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    # The caller's copy of the new parent may predate an earlier move: judge by the stored path.
    new_parent = Institution.objects.get(pk=new_parent.pk)
    if new_parent.pk == institution.pk or new_parent.is_descendant_of(institution):
        raise ValidationError({"parent": _("An institution cannot be moved under itself or one of its own units.")})
    if new_parent.pk == institution.parent_id:
        return institution
    old_parent_id, old_path = institution.parent_id, institution.path
    moved = institution.move_under(new_parent)
    data = {"institution": institution.pk, "from": old_parent_id, "to": new_parent.pk, "descendants": len(moved)}
    log_action(action="governance.institution.moved", institution=institution, actor=actor, target=institution, data=data)
    log_action(action="governance.institution.moved", institution=new_parent, actor=actor, target=institution, data=data)
    # Pages of the former parents and of the moved subtree no longer show what they cached.
    bump(Institution.ids_on_path(old_path) + [descendant.pk for descendant in moved])
    return institution
