"""The one place where the tenant is resolved and data scoping is switched on — or off.

``TenantMiddleware`` handles every URL below ``/instansi/<institution>/``:
  1. it resolves the institution from the URL (unknown or inactive slug: 404);
  2. it requires a signed-in user unless the view is public;
  3. it computes the user's access there from their memberships (none: 404, so nobody learns
     what exists elsewhere), sends heads and assessors without TOTP to set it up, and checks
     the permission the view declares (missing: 403);
  4. it runs *and renders* the view inside ``scope(institution=...)`` and the institution's
     time zone, so every scoped query is filtered to this institution;
  5. for a view declared ``@page_cache``, it serves the visitor's own copy of the page while the
     data behind it is unchanged (``governance.pagecache``), after the same checks.

Code outside this module (and tests) must not call ``scopes_disabled``.
"""

from __future__ import annotations

import contextlib
import copy

from celery.contrib.django.task import DjangoTask
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from . import pagecache
from .cache import GLOBAL, data_version, data_versions, fresh_request, user_owner
from .models import Institution, Membership, User
from .permissions import Access, compute_access
from .scoping import Subtree

TENANT_KWARG = "institution"


def view_declaration(view_func):
    """The object that carries a view's ``permission``/``public`` declaration."""
    return getattr(view_func, "view_class", None) or view_func


def memberships_on_path(user: User, institution: Institution) -> list[tuple[int, str]]:
    ids = [institution.pk, *institution.ancestor_ids()]
    with scopes_disabled():
        return list(
            Membership.objects.active(institution.local_today())
            .filter(user=user, institution_id__in=ids)
            .values_list("institution_id", "role")
        )


def access_for(user: User, institution: Institution) -> Access | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return compute_access(institution, memberships_on_path(user, institution))


def _active_on(membership: Membership, day) -> bool:
    return membership.starts_on <= day and (membership.ends_on is None or membership.ends_on > day)


def visitor_memberships(user: User, institution: Institution) -> tuple[list[tuple[int, str]], bool, list[Institution]]:
    """In one query: the user's roles on the institution's path (as ``memberships_on_path``),
    whether they have set up TOTP, and the institutions of the switcher (as ``institutions_for_user``)."""
    from allauth.mfa.models import Authenticator

    day, server_day = institution.local_today(), timezone.localdate()
    totp = Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP)
    with scopes_disabled():
        rows = list(
            Membership.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=min(day, server_day)),
                                      user=user, starts_on__lte=max(day, server_day))
            .select_related("institution").annotate(has_totp=Exists(totp))
        )
    path = {institution.pk, *institution.ancestor_ids()}
    held = [(m.institution_id, m.role) for m in rows if m.institution_id in path and _active_on(m, day)]
    switcher = {m.institution_id: m.institution for m in rows if _active_on(m, server_day) and m.institution.is_active}
    return held, any(m.has_totp for m in rows), sorted(switcher.values(), key=lambda i: i.name)


_VISITORS: dict[tuple, tuple] = {}
_VISITORS_MAX = 4096


def visitor_memberships_kept(user: User, institution: Institution):
    """``visitor_memberships``, kept in this process until the account's memberships or second
    factor change, an institution is saved (the platform version) or the day turns."""
    versions = data_versions([GLOBAL, user_owner(user.pk)])
    key = (user.pk, institution.pk, institution.local_today(), timezone.localdate(), *versions.values())
    kept = _VISITORS.get(key)
    if kept is None:
        kept = visitor_memberships(user, institution)
        if len(_VISITORS) >= _VISITORS_MAX:
            _VISITORS.clear()
        _VISITORS[key] = kept
    held, has_totp, switcher = kept
    return list(held), has_totp, list(switcher)


def institutions_for_user(user: User) -> list[Institution]:
    """Institutions where the user holds an active role, for the home page and the switcher."""
    if not user.is_authenticated:
        return []
    with scopes_disabled():
        ids = Membership.objects.active().filter(user=user).values_list("institution_id", flat=True)
        return list(Institution.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def institutions_of_member(user_id: int) -> set[int]:
    """Every institution where the user holds (or held) a membership, for cache invalidation when
    the account changes. Reads ids only."""
    with scopes_disabled():
        return set(Membership.objects.filter(user=user_id).values_list("institution_id", flat=True))


def descendants(institution: Institution, *, include_self: bool = False):
    """The institution's subtree (Institution is the tenant itself, so it is not scoped)."""
    qs = Institution.objects.filter(path__startswith=institution.path, is_active=True)
    return qs if include_self else qs.exclude(pk=institution.pk)


@contextlib.contextmanager
def institution_scope(institution: Institution):
    """Enter one institution's data scope and time zone (views, tasks and commands)."""
    with scope(institution=institution), timezone.override(institution.tzinfo):
        yield


def _subtree(institution: Institution) -> Subtree:
    return Subtree(descendants(institution, include_self=True).values("pk"))


@contextlib.contextmanager
def subtree_scope(institution: Institution):
    """Enter the scope of an institution and all its active descendants, for assessors' aggregates."""
    with scope(institution=_subtree(institution)), timezone.override(institution.tzinfo):
        yield


# --- reading past the current scope, always by a name that says whose rows ---------------------
# Each returns a queryset of the model limited to the named institutions, whatever scope is active.


def rows_of(model, institution: Institution):
    """One institution's rows (e.g. a period's own rubric names while another scope is active)."""
    return model.objects.with_scope(institution=institution.pk).all()


def rows_of_lineage(model, institution: Institution):
    """Rows of the institution and every ancestor: what the tree hands down (rubrics, lexicons)."""
    return model.objects.with_scope(institution=[*institution.ancestor_ids(), institution.pk]).all()


def rows_of_ancestors(model, institution: Institution):
    return model.objects.with_scope(institution=institution.ancestor_ids()).all()


def rows_of_children(model, institution: Institution):
    """Rows of the direct children, for a parent head's oversight counts."""
    ids = list(Institution.objects.filter(parent=institution, is_active=True).values_list("pk", flat=True))
    return model.objects.with_scope(institution=ids).all()


def rows_of_subtree(model, institution: Institution):
    """Rows of the institution and all its active descendants (an assessor's periods and people)."""
    return model.objects.with_scope(institution=_subtree(institution)).all()


def rows_for_platform_task(model):
    """Every institution's rows, for a platform task that fans out (which people have a daily digest
    waiting). The caller reads only what the fan-out needs — ids — never the rows' content."""
    return model.objects.with_scopes_disabled().all()


def rows_by_key(model):
    """Every institution's rows, to find one row by a secret or narrow key (an invitation token, a
    letter's verification code, whether a NIP is on staff elsewhere). The caller filters by that key
    and returns only what the key's holder may learn."""
    return model.objects.with_scopes_disabled().all()


@contextlib.contextmanager
def platform_scope():
    """Every institution, for a platform job (audit verification, retention sweeps, the admin, the
    province generator). ``tests/test_conventions.py`` lists the modules that may use it."""
    with scopes_disabled():
        yield


@contextlib.contextmanager
def own_records_scope(user):
    """A person's own records across every institution they have been at (the "my data" page).
    Callers filter every query by that person; nothing else is read under this scope."""
    with scopes_disabled():
        yield


# Institutions by address, in this process, as they were at a platform data version: every save of
# an institution moves that version (``governance.invalidation``), so a rename, a move in the tree or
# a switched-off institution is seen on the next request.
_BY_SLUG: dict[tuple[str, int], Institution] = {}
_BY_SLUG_MAX = 4096


def institution_by_slug(slug: str) -> Institution | None:
    """The active institution at ``/instansi/<slug>/``, as a copy of its own for this request."""
    key = (slug, data_version(GLOBAL))
    kept = _BY_SLUG.get(key)
    if kept is None:
        kept = Institution.objects.filter(slug=slug, is_active=True).first()
        if kept is None:
            return None
        if len(_BY_SLUG) >= _BY_SLUG_MAX:
            _BY_SLUG.clear()
        _BY_SLUG[key] = kept
    institution = copy.copy(kept)
    institution._state = copy.copy(kept._state)
    institution._state.fields_cache = {}
    return institution


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with fresh_request():
            return self._handle(request)

    def _handle(self, request):
        request.institution = None
        request.access = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get(TENANT_KWARG)
        if slug is None:
            return self.get_response(request)

        declaration = view_declaration(match.func)
        is_public = getattr(declaration, "public", False)
        permission = getattr(declaration, "permission", None)
        if not is_public and not permission:
            raise ImproperlyConfigured(
                f"Tenant view {match.view_name} declares neither a permission nor public access."
            )

        institution = institution_by_slug(slug)
        if institution is None:
            raise Http404("unknown institution")

        has_totp = False
        if not is_public:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = None
            if request.user.is_active:
                held, has_totp, request.my_institutions = visitor_memberships_kept(request.user, institution)
                access = compute_access(institution, held)
            if access is None:
                raise Http404("no access")
            if access.requires_mfa and not has_totp:
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
            if not access.has(permission):
                raise PermissionDenied
            if getattr(declaration, "held_here", False) and not access.has_here(permission):
                raise PermissionDenied
            request.access = access
        else:
            request.access = access_for(request.user, institution)

        request.institution = institution
        enter = subtree_scope if getattr(declaration, "subtree", False) else institution_scope

        def render(request):
            with enter(institution):
                return self.get_response(request)

        if pagecache.wants(declaration, request):
            # A kept page needs no scope: it is served as rendered inside one.
            return pagecache.serve(request, institution, _roles_key(request.access), has_totp, render)
        return render(request)


def _roles_key(access: Access | None) -> tuple:
    if access is None:
        return ()
    return (sorted(access.roles), sorted(access.parent_roles), sorted(access.ancestor_roles))


class TenantTask(DjangoTask):
    """Base for tasks that work on one institution's data.

    Call with ids only: ``task.delay_on_commit(institution_id=..., ...)``. The task loads the
    institution and runs ``run(institution, ...)`` inside its scope and time zone.
    """

    abstract = True
    # The signature callers use (institution_id=...) differs from run()'s (institution, ...).
    typing = False

    def __call__(self, *args, institution_id: int, **kwargs):
        institution = Institution.objects.get(pk=institution_id)
        with institution_scope(institution):
            return super().__call__(institution, *args, **kwargs)



def unscoped_queryset(model):
    """All rows of a model across institutions, for the platform operators' admin."""
    manager = model._default_manager
    return manager.with_scopes_disabled().all() if hasattr(manager, "with_scopes_disabled") else manager.all()
