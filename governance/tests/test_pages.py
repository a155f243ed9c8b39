from unittest import mock

from django.test import Client
from django.urls import reverse

from governance.models import Role
from governance.tests.factories import InstitutionFactory, make_member


def test_pages_are_indonesian_even_when_the_browser_asks_for_english(db):
    response = Client().get("/akun/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert "Masuk ke Santun" in response.content.decode()


def test_the_switcher_changes_the_language_to_english(db):
    client = Client()
    client.post("/bahasa/", {"language": "en", "next": "/akun/login/"})
    assert "Sign in to Santun" in client.get("/akun/login/").content.decode()


def test_forged_csrf_token_gets_an_indonesian_403(db):
    institution = InstitutionFactory()
    user = make_member(institution, Role.HEAD)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post("/akun/logout/", {"csrfmiddlewaretoken": "palsu"})
    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in response.content.decode()


def test_an_error_shows_a_friendly_page_and_no_stack_trace(db):
    institution = InstitutionFactory()
    user = make_member(institution, Role.PUBLIC_RELATIONS)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with mock.patch("governance.views.panels_for", side_effect=RuntimeError("boom secret detail")):
        response = client.get(reverse("governance:dashboard", kwargs={"institution": institution.slug}))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan" in body and "Traceback" not in body and "boom secret detail" not in body


def test_open_sign_up_is_closed(db):
    response = Client().get("/akun/signup/")
    assert response.status_code == 200
    assert 'name="password1"' not in response.content.decode()


def test_responses_carry_a_strict_content_security_policy(db):
    response = Client().get("/akun/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_security_txt_says_where_to_report_a_vulnerability(db, settings):
    settings.SANTUN_SECURITY_CONTACT = "mailto:keamanan@kemenag.example.go.id"
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "Contact: mailto:keamanan@kemenag.example.go.id" in response.content.decode()
    assert "Expires: " in response.content.decode()
