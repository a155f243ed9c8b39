"""Tenant isolation, walked over every tenant URL (pretix's permission test, Santun's matrix).

For each URL: anonymous → sign-in page; any user of institution A asking for institution B's
page → 404; a permitted user of A asking for B's objects under A's address → 404; a user of B
with a role that is not permitted → 403; a permitted one → success. A tenant URL without a case
in some ``<app>/tests/url_cases.py`` fails the first test.
"""

from __future__ import annotations

import importlib

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from conftest import ROLES, build_side, mfa_client, shared_test_data
from tests.urlwalk import UrlCase

APPS = ["governance", "members", "sanctions", "triage", "reports"]
# Non-tenant pages wired in config/urls.py. Apps list theirs in url_cases.PUBLIC_NON_TENANT;
# each must be safe for anyone to open.
PUBLIC_NON_TENANT = {"home", "healthz"}


def _modules():
    return [importlib.import_module(f"{app}.tests.url_cases") for app in APPS]


def public_non_tenant() -> set[str]:
    return PUBLIC_NON_TENANT.union(*(getattr(module, "PUBLIC_NON_TENANT", set()) for module in _modules()))


def platform_non_tenant(method: str = "get") -> dict:
    attribute = "PLATFORM_NON_TENANT" if method == "get" else "PLATFORM_NON_TENANT_POST"
    return {name: kwargs for module in _modules() for name, kwargs in getattr(module, attribute, {}).items()}


def all_cases() -> list[UrlCase]:
    return [case for module in _modules() for case in module.CASES]


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", route, pattern


def santun_patterns():
    for name, route, pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        # The Django admin is the platform operators' tool, guarded by is_staff.
        if module.split(".")[0] in APPS + ["config"] and not name.startswith("admin:"):
            yield name, route


def test_every_tenant_url_has_a_case_and_nothing_else_is_public():
    tenant = {name for name, route in santun_patterns() if "<slug:institution>" in route}
    other = {name for name, route in santun_patterns() if "<slug:institution>" not in route}
    listed = {case.name for case in all_cases()}
    assert tenant - listed == set(), "tenant URLs without a case in <app>/tests/url_cases.py"
    assert listed - tenant == set(), "cases for URLs that do not exist"
    platform = set(platform_non_tenant()) | set(platform_non_tenant("post"))
    assert other - public_non_tenant() - platform == set(), "non-tenant URLs nobody reviewed for public access"


pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two institutions with every app's objects, built once; each case runs in a savepoint."""
    with shared_test_data(django_db_blocker, tmp_path_factory), scopes_disabled():
        a, b = build_side("a"), build_side("b")
        objects_a, objects_b = {}, {}
        for module in _modules():
            objects_a.update(module.objects(a))
            objects_b.update(module.objects(b))
        yield a, b, objects_a, objects_b


@pytest.fixture
def world(shared_world, db):
    return shared_world


def _request(client: Client, case: UrlCase, url: str, objects: dict):
    if case.method == "post":
        return client.post(url, case.data(objects) if case.data else {})
    return client.get(url)


def _url(case: UrlCase, slug: str, objects: dict) -> str:
    return reverse(case.name, kwargs={"institution": slug, **case.kwargs(objects)})


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("case", all_cases(), ids=str)
def test_url_matrix(world, case):
    a, b, objects_a, objects_b = world
    url_b = _url(case, b.institution.slug, objects_b)

    if case.public:
        assert _request(Client(), case, url_b, objects_b).status_code in case.ok
        return

    # Anonymous: sent to sign in, nothing else.
    response = _request(Client(), case, url_b, objects_b)
    assert response.status_code == 302 and "/akun/login/" in response["Location"], "anonymous must sign in"

    # Every user of institution A, whatever the role, sees nothing of B: 404.
    for role in ROLES:
        response = _request(_as(a.users[role]), case, url_b, objects_b)
        assert response.status_code == 404, f"{role} of A reached B ({response.status_code})"
    for role, user in a.parent_users.items():
        response = _request(_as(user), case, url_b, objects_b)
        assert response.status_code == 404, f"{role} of A's parent reached B ({response.status_code})"

    # A permitted user of A, at A's own address, cannot reach B's objects through their ids.
    kwargs_b = case.kwargs(objects_b)
    if kwargs_b:
        url_a_with_b_objects = reverse(case.name, kwargs={"institution": a.institution.slug, **kwargs_b})
        for role in case.roles:
            response = _request(_as(a.users[role]), case, url_a_with_b_objects, objects_b)
            assert response.status_code == 404, f"{role} of A reached B's object via A ({response.status_code})"

    # Users of B: the roles not permitted are refused, the permitted ones succeed.
    for role in ROLES:
        if role not in case.roles:
            response = _request(_as(b.users[role]), case, url_b, objects_b)
            assert response.status_code == case.forbidden, f"{role} of B should get {case.forbidden}, got {response.status_code}"
    for role, user in b.parent_users.items():
        # Not permitted from the parent: refused (403) or, for someone else's object, not found (404).
        expected = case.ok if role in case.parent_roles else {403, 404}
        response = _request(_as(user), case, url_b, objects_b)
        assert response.status_code in expected, f"{role} of B's parent: {response.status_code}"
    for role in sorted(case.roles):
        response = _request(_as(b.users[role]), case, url_b, objects_b)
        assert response.status_code in case.ok, f"{role} of B: {response.status_code}"


def test_platform_pages_are_for_platform_operators_only(world):
    """The platform operators' pages: anonymous → sign in; any member, head or assessor → 403."""
    from governance.tests.factories import UserFactory

    a, b, objects_a, objects_b = world
    operator = UserFactory(is_staff=True, is_superuser=True)
    for method in ("get", "post"):
        for name, kwargs in platform_non_tenant(method).items():
            url = reverse(name, kwargs=kwargs(objects_b))
            response = getattr(Client(), method)(url)
            assert response.status_code == 302 and "/akun/login/" in response["Location"], name
            for user in [*b.users.values(), *b.parent_users.values()]:
                assert getattr(_as(user), method)(url).status_code == 403, f"{name} opened by {user.email}"
            if method == "get":
                assert mfa_client(operator).get(url).status_code == 200, name
                # Signed in without the second factor: sent to set it up first.
                refused = _as(operator).get(url)
                assert refused.status_code == 302 and "/akun/2fa/" in refused["Location"], name
