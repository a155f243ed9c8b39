"""The security review, as tests: headers, production cookies, rate limits on signing in and on
password resets, files that only the right people reach (also by guessing ids), user input that is
always escaped (on pages and in letters), and an audit trail that nobody can rewrite.

``SECURITY.md`` names these tests claim by claim.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import mfa_client, need, production_env, uses_postgres
from governance.audit import log_action
from governance.models import AuditEntry, Membership, RuleCategory
from governance.tests.factories import give_totp
from reports.models import AssessmentPeriod, Entry
from reports.selectors import criteria_for
from reports.tests.factories import make_period, pdf_upload, small_rubric
from sanctions import services
from sanctions.letters import letter_html
from sanctions.models import ReportSource
from sanctions.tests.factories import (
    StaffMemberFactory,
    approved_measure,
    ensure_code,
    group,
    join,
    png_bytes,
    rule_ids,
    staff_for,
)
from triage.tests.factories import imported_chat

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Kata-sandi-yang-panjang-42"
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG_XSS = '<img src=x onerror="alert(2)">'
IMG_ESCAPED = "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def mfa_login(user) -> Client:
    """A client whose session passed TOTP, as allauth records it after the code is entered."""
    give_totp(user)
    return mfa_client(user)


def tenant_url(name, institution, **kwargs) -> str:
    return reverse(name, kwargs={"institution": institution.slug, **kwargs})


# --- headers --------------------------------------------------------------------------------------

def _script_sources(policy: str) -> list[str]:
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    return directives.get("script-src", directives.get("default-src", []))


def assert_browser_protections(response):
    policy = response["Content-Security-Policy"]
    sources = _script_sources(policy)
    assert sources, policy
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, policy
    assert "*" not in sources and "data:" not in sources, policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def files(side_a, side_b, unscoped):
    """Evidence, letters, a chat flag's PDF and self-assessment evidence at both institutions, made
    B, A, B so that the ids just below and above each of A's belong to B. The pegawai of A is the
    person reported in A's case."""
    sides = {}
    for key, side in (("b1", side_b), ("a", side_a), ("b2", side_b)):
        sides[key] = _case_files(side, first=key != "b2")
    return {"a": side_a, "b": side_b, "objects": sides}


def _case_files(side, *, first: bool) -> dict:
    inst, users = side.institution, side.users
    humas, head = users["humas"], users["kepala"]
    if first:
        Membership.objects.filter(institution__in=[inst, side.parent]).update(starts_on=datetime.date(2020, 1, 1))
        ensure_code(inst)
        side.staff = {role: staff_for(user, inst) for role, user in users.items() if role != "penilai"}
        side.channel = group(inst, name=f"Grup {inst.slug}")
        join(side.channel, side.staff["pegawai"])
        side.period = make_period(side.parent, rubric=small_rubric(side.parent),
                                  state=AssessmentPeriod.State.SELF_ASSESSMENT)
    measure = approved_measure(inst, humas=humas, head=head, subject_staff=side.staff["pegawai"], channel=side.channel,
                               evidence=[("layar.png", png_bytes())])
    chat = imported_chat(inst, humas=humas, channel=side.channel, only_new=False)
    entry = Entry.objects.get(period=side.period, institution=inst)
    criterion = criteria_for(side.period)[len(entry.evidence.all()) % 2]
    from reports import services as report_services

    card_evidence = report_services.evidence_add(actor=humas, entry=entry, criterion=criterion, upload=pdf_upload())
    flags = list(chat.flags.order_by("pk").values_list("pk", flat=True))
    # A ranking export of the period this institution assesses (its child's), for its assessor.
    from django.core.files.base import ContentFile

    from governance.tests.factories import InstitutionFactory
    from reports.models import Export

    if first:
        InstitutionFactory(parent=inst, slug=f"anak-{inst.slug}", name=f"Madrasah anak {inst.slug}")
    final = make_period(inst, year=2024 if first else 2025, state=AssessmentPeriod.State.FINALIZED,
                        scorer=users["penilai"])
    export = Export.objects.create(institution=inst, period=final, format="xlsx", key=f"done-{final.pk}",
                                   state=Export.State.DONE, progress=100, stamp=final.results_stamp)
    export.file.save(f"reports/exports/{inst.pk}/{export.pk}.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    return {
        # The ids this institution holds of each kind, first and last (one import has several flags).
        "_span": {"triage:chat_flag_pdf": (flags[0], flags[-1])},
        "sanctions:evidence_file": {"pk": measure.report.evidence.get().pk},
        "sanctions:letter_pdf": {"pk": measure.letter.pk},
        "sanctions:my_letter_pdf": {"pk": measure.pk},
        "triage:chat_flag_pdf": {"pk": flags[0]},
        "reports:card_evidence": {"pk": entry.pk, "evidence": card_evidence.pk},
        "reports:export_download": {"pk": final.pk, "export": export.pk},
    }


# Who may open each file at its institution (everyone else of that institution gets 403).
FILE_READERS = {
    "sanctions:evidence_file": {"humas", "kepala", "plt"},  # and the acting head, who may decide its cases
    "sanctions:letter_pdf": {"humas", "kepala", "plt"},
    "sanctions:my_letter_pdf": {"pegawai"},  # only the person the letter is about
    "triage:chat_flag_pdf": {"humas"},  # Humas triages chat exports; the head sees the reports made
    "reports:card_evidence": {"humas", "kepala"},
    "reports:export_download": {"penilai"},  # rankings of the institutions it assesses
}


def client_for(user, role) -> Client:
    return mfa_login(user) if role in ("kepala", "penilai") else login(user)


def test_headers_on_a_public_page_a_tenant_page_and_a_file(files):
    side = files["a"]
    public = Client().get(tenant_url("governance:public_code", side.institution))
    assert public.status_code == 200
    assert_browser_protections(public)
    assert_browser_protections(Client().get(reverse("account_login")))
    page = login(side.users["humas"]).get(tenant_url("sanctions:queue", side.institution))
    assert page.status_code == 200
    assert_browser_protections(page)
    download = login(side.users["humas"]).get(
        tenant_url("sanctions:evidence_file", side.institution, **files["objects"]["a"]["sanctions:evidence_file"]))
    assert download.status_code == 200
    assert_browser_protections(download)
    # A file is never a page: it runs nothing even if opened directly.
    assert "sandbox" in download["Content-Security-Policy"] and "default-src 'none'" in download["Content-Security-Policy"]
    assert download["Cache-Control"].startswith("private")


def test_production_cookies_are_secure_and_https_is_enforced():
    env = production_env()
    names = ["SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
             "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER",
             "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "DEBUG"]
    code = ("import json, django; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["DEBUG"] is False


def test_python_code_never_marks_text_safe():
    """Templates are scanned by tests/test_conventions.py; here the Python side: no mark_safe,
    SafeString or format_html shortcut that could carry user input into a page unescaped."""
    offenders = []
    for app in ("config", "governance", "members", "sanctions", "triage", "reports"):
        for path in (ROOT / app).rglob("*.py"):
            if "/tests/" in str(path) or "/migrations/" in str(path):
                continue
            if re.search(r"\b(mark_safe|SafeString|SafeText)\b|\|safe\b", path.read_text()):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_template_anywhere_runs_inline_script_or_skips_escaping():
    """Every templates folder (the apps', the project's, the PDF letters' among them). Plain-text
    e-mails (.txt, sent as text/plain) are not HTML and turn escaping off on purpose; they are
    checked for never carrying markup a mail client could run."""
    offenders = []
    for path in ROOT.glob("*/**/templates/**/*.*"):
        if ".venv" in path.parts or path.suffix not in (".html", ".txt", ".svg", ".xml"):
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=\s*[\"'{]", text) \
                or "javascript:" in text.lower():
            offenders.append(str(path.relative_to(ROOT)))
        if path.suffix != ".txt" and ("|safe" in text or "autoescape off" in text):
            offenders.append(str(path.relative_to(ROOT)))
        if path.suffix == ".txt" and re.search(r"<[a-z]", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- rate limits on signing in and password resets -------------------------------------------

@pytest.fixture
def account(db):
    cache.clear()
    user = get_user_model().objects.create_user(email="humas.ratelimit@contoh.test", password=PASSWORD,
                                                full_name="Humas Uji")
    yield user
    cache.clear()


def test_a_locked_address_does_not_lock_out_a_colleague(account):
    """Five wrong passwords lock the address, even against the right password, with a message in
    Indonesian (also governance/tests/test_accounts.py); a colleague on another computer signs in."""
    client = Client()
    url = reverse("account_login")
    for attempt in range(5):
        response = client.post(url, {"login": account.email, "password": f"salah-{attempt}"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(url, {"login": account.email, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    other = get_user_model().objects.create_user(email="operator.lain@contoh.test", password=PASSWORD, full_name="Lain")
    colleague = Client(REMOTE_ADDR="10.0.0.9")
    assert colleague.post(url, {"login": other.email, "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" in colleague.session


def test_the_right_password_still_works_below_the_limit(account):
    client = Client()
    for attempt in range(3):
        client.post(reverse("account_login"), {"login": account.email, "password": f"salah-{attempt}"})
    assert client.post(reverse("account_login"), {"login": account.email, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)


def test_password_reset_requests_for_one_address_are_limited(account):
    url = reverse("account_reset_password")
    answers = []
    for n in range(8):
        response = Client(REMOTE_ADDR=f"10.0.1.{n}").post(url, {"email": account.email})
        answers.append(response.status_code)
    assert answers[:5] == [302] * 5
    refused = Client(REMOTE_ADDR="10.0.1.99").post(url, {"email": account.email})
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan dari Anda" in refused.content.decode()
    sent = [m for m in mail.outbox if account.email in m.to]
    assert len(sent) == 5
    assert all(302 != code for code in answers[5:])


# --- files reach only the right people ---------------------------------------------------------

@pytest.mark.parametrize("name", sorted(FILE_READERS))
def test_files_are_out_of_reach_of_everyone_but_their_readers(files, name):
    a, b = files["a"], files["b"]
    kwargs = files["objects"]["a"][name]
    url = tenant_url(name, a.institution, **kwargs)
    # Anonymous: sent to sign in, nothing of the file.
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and reverse("account_login") in anonymous["Location"]
    # Every role of another institution: as if it did not exist.
    for role, user in b.users.items():
        assert client_for(user, role).get(url).status_code == 404, role
    # A's own roles: the readers get the file, the others are refused.
    for role, user in a.users.items():
        status = client_for(user, role).get(url).status_code
        if role in FILE_READERS[name]:
            assert status == 200, role
            response = client_for(user, role).get(url)
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Cache-Control"].startswith("private"), response["Cache-Control"]
            assert "sandbox" in response["Content-Security-Policy"], response["Content-Security-Policy"]
        else:
            assert status in (403, 404), (role, status)


@pytest.mark.parametrize("name", sorted(FILE_READERS))
def test_guessing_the_next_or_previous_id_finds_nothing(files, name):
    a = files["a"]
    role = sorted(FILE_READERS[name])[-1]
    client = client_for(a.users[role], role)
    own = files["objects"]["a"][name]
    assert client.get(tenant_url(name, a.institution, **own)).status_code == 200
    neighbours = (files["objects"]["b1"][name], files["objects"]["b2"][name])
    key = list(own)[-1]  # the file's own id (a self-assessment file also names its card)
    first, last = files["objects"]["a"]["_span"].get(name, (own[key], own[key]))
    assert neighbours[0][key] < first <= last < neighbours[1][key]
    for guess in ({**own, key: first - 1}, {**own, key: last + 1}, *neighbours):
        assert client.get(tenant_url(name, a.institution, **guess)).status_code == 404, guess


def test_the_reported_person_sees_their_letter_but_not_the_evidence_against_them(files):
    a = files["a"]
    reported = login(a.users["pegawai"])
    objects = files["objects"]["a"]
    assert reported.get(tenant_url("sanctions:evidence_file", a.institution,
                                   **objects["sanctions:evidence_file"])).status_code == 403
    assert reported.get(tenant_url("sanctions:letter_pdf", a.institution,
                                   **objects["sanctions:letter_pdf"])).status_code == 403
    own = reported.get(tenant_url("sanctions:my_letter_pdf", a.institution, **objects["sanctions:my_letter_pdf"]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    # A colleague cannot open it through the same "my letter" address.
    colleague = login(a.users["operator"])
    assert colleague.get(tenant_url("sanctions:my_letter_pdf", a.institution,
                                    **objects["sanctions:my_letter_pdf"])).status_code in (403, 404)


def test_a_guessed_verification_code_reveals_nothing(files, unscoped):
    from sanctions.models import WarningLetter

    letter = WarningLetter.objects.filter(measure__report__institution=files["a"].institution).first()
    code = letter.verification_code
    genuine = Client().get(f"/verifikasi/{code}/")
    assert genuine.status_code == 200
    guessed = code[:-1] + ("A" if code[-1] != "A" else "B")
    response = Client().get(f"/verifikasi/{guessed}/")
    assert response.status_code == 404 and letter.number not in response.content.decode()


def test_private_files_have_no_public_address(files, unscoped):
    """Evidence, letters, self-assessment files, exports and a chat export waiting for its date
    order lie in private storage; no address serves them from there, signed in or not."""
    from reports.models import Evidence as CardEvidence
    from reports.models import Export
    from sanctions.models import CaseEvidence, WarningLetter
    from triage import services as triage_services
    from triage.tests.factories import AMBIGUOUS_CHAT_LINES, chat_bytes, chat_upload

    a = files["a"]
    waiting = triage_services.chat_import_start(actor=a.users["humas"], channel=a.channel,
                                                upload=chat_upload(chat_bytes(AMBIGUOUS_CHAT_LINES)))
    letter = WarningLetter.objects.filter(measure__report__institution=a.institution).first()
    if not letter.pdf:
        letter = services.letter_render_pdf(letter=letter)
    names = [CaseEvidence.objects.filter(report__institution=a.institution).first().file.name, letter.pdf.name,
             CardEvidence.objects.filter(entry__institution=a.institution).first().file.name,
             Export.objects.filter(institution=a.institution).first().file.name, waiting.file.name]
    assert all(names) and len(set(names)) == len(names)
    from django.core.files.storage import default_storage

    assert all(default_storage.exists(name) for name in names)
    readers = [Client(), login(a.users["humas"]), mfa_login(a.users["kepala"])]
    for name in names:
        for guess in (f"/-/{name}", f"/media/{name}", f"/static/{name}", f"/{name}", f"/static/../var/private/{name}"):
            for client in readers:
                assert client.get(guess).status_code == 404, guess


# --- user input is always escaped ----------------------------------------------------------------

@pytest.fixture
def hostile_names(side_a, unscoped):
    side = side_a
    inst = side.institution
    Membership.objects.filter(institution__in=[inst, side.parent]).update(starts_on=datetime.date(2020, 1, 1))
    ensure_code(inst, rules=[(9, RuleCategory.ETIQUETTE, f"Aturan {XSS}")])
    staff = {role: staff_for(user, inst) for role, user in side.users.items() if role != "penilai"}
    channel = group(inst, name=f"Grup {XSS}")
    person = StaffMemberFactory(institution=inst, full_name=f"Budi {XSS}", position=f"Guru {IMG_XSS}")
    join(channel, person)
    report = services.report_submit(
        actor=side.users["pegawai"], institution=inst, subject_staff=person, subject_name="", channel=channel,
        place_note="", occurred_at=timezone.now() - datetime.timedelta(hours=3),
        rule_ids=rule_ids(inst, RuleCategory.ETIQUETTE), description=f"Pesan {IMG_XSS} di grup",
        source=ReportSource.STAFF, evidence=[])
    side.objects = {"staff": staff, "channel": channel, "person": person, "report": report}
    return side


def test_staff_names_channel_names_rule_and_report_texts_are_escaped_on_every_page(hostile_names):
    side = hostile_names
    inst, objects = side.institution, side.objects
    pages = [
        (login(side.users["operator"]), tenant_url("members:directory", inst), [XSS_ESCAPED]),
        (login(side.users["operator"]), tenant_url("members:staff_detail", inst, pk=objects["person"].pk),
         [XSS_ESCAPED, IMG_ESCAPED]),
        (login(side.users["humas"]), tenant_url("governance:channel_list", inst), [XSS_ESCAPED]),
        (login(side.users["humas"]), tenant_url("sanctions:queue", inst), [XSS_ESCAPED]),
        (login(side.users["humas"]), tenant_url("sanctions:report_detail", inst, pk=objects["report"].pk),
         [XSS_ESCAPED, IMG_ESCAPED]),
        (login(side.users["pegawai"]), tenant_url("sanctions:report_create", inst), [XSS_ESCAPED]),
        (Client(), tenant_url("governance:public_code", inst), [XSS_ESCAPED]),
    ]
    for client, url, expected in pages:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert XSS not in body and IMG_XSS not in body, url
        for text in expected:
            assert text in body, (url, text)


def test_a_hostile_name_is_printed_as_text_in_the_warning_letter(hostile_names):
    side = hostile_names
    inst, objects = side.institution, side.objects
    measure = approved_measure(inst, humas=side.users["humas"], head=side.users["kepala"],
                               subject_staff=objects["person"], channel=objects["channel"],
                               categories=(RuleCategory.ETIQUETTE,))
    html = letter_html(measure.letter)
    assert XSS not in html and XSS_ESCAPED in html
    letter = services.letter_render_pdf(letter=measure.letter)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.pdf.read())).pages).split())
    # Escaped markup is printed as the characters the person typed, not run or dropped.
    assert f"Budi {XSS}" in text


# --- the audit trail cannot be rewritten ----------------------------------------------------------

@pytest.fixture
def audit_entries(side_a, unscoped):
    with transaction.atomic():
        for n in range(2):
            log_action(action="governance.test.entry", institution=side_a.institution, actor=side_a.users["humas"],
                       target=side_a.institution, data={"n": n})
    return list(AuditEntry.objects.filter(institution=side_a.institution).order_by("seq"))


@pytest.fixture
def admin_client(db):
    admin = get_user_model().objects.create_superuser(email="platform@contoh.test", password=PASSWORD,
                                                      full_name="Operator Platform")
    return mfa_login(admin)


def test_the_admin_can_neither_change_nor_delete_audit_entries(audit_entries, admin_client):
    entry = audit_entries[0]
    before = (entry.action, dict(entry.data), AuditEntry.objects.count())
    changelist = admin_client.get("/admin/governance/auditentry/")
    assert changelist.status_code == 200
    actions = changelist.context["action_form"].fields["action"].choices if changelist.context.get("action_form") else []
    assert "delete_selected" not in [value for value, _label in actions]
    assert admin_client.get("/admin/governance/auditentry/add/").status_code == 403
    change = admin_client.post(f"/admin/governance/auditentry/{entry.pk}/change/",
                               {"action": "rewritten", "data": "{}"})
    assert change.status_code == 403
    assert admin_client.get(f"/admin/governance/auditentry/{entry.pk}/delete/").status_code == 403
    assert admin_client.post(f"/admin/governance/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = admin_client.post("/admin/governance/auditentry/", {"action": "delete_selected", "post": "yes",
                                                               "_selected_action": [e.pk for e in audit_entries]})
    assert bulk.status_code in (200, 302, 403)
    entry.refresh_from_db()
    assert (entry.action, dict(entry.data), AuditEntry.objects.count()) == before


def test_the_orm_can_neither_change_nor_delete_audit_entries(audit_entries):
    entry = audit_entries[0]
    entry.action = "rewritten"
    for attempt in (entry.save, entry.delete, lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="x"),
                    lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
                    lambda: AuditEntry.objects.bulk_update([entry], ["action"])):
        with pytest.raises((PermissionError, DatabaseError)), transaction.atomic():
            attempt()
    assert AuditEntry.objects.get(pk=entry.pk).action == "governance.test.entry"
    assert AuditEntry.objects.count() == len(audit_entries)


@pytest.mark.postgres
@pytest.mark.parametrize("sql", ["UPDATE governance_auditentry SET action = 'x' WHERE id = %s",
                                 "DELETE FROM governance_auditentry WHERE id = %s"])
def test_postgres_refuses_raw_sql_that_rewrites_or_removes_an_entry(audit_entries, sql):
    need(uses_postgres(), "PostgreSQL")
    entry = audit_entries[-1]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="governance.test.entry").exists()


# --- personal data stays out of logs ----------------------------------------------------------------

def test_access_logs_record_paths_never_query_strings():
    """Searches go in query strings (a name, a NIP): neither gunicorn nor nginx may log them."""
    import runpy

    gunicorn = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))
    log_format = gunicorn["access_log_format"]
    assert "%(U)s" in log_format
    assert not any(field in log_format for field in ("%(r)s", "%(q)s", "%(f)s", "%({"))
    nginx = (ROOT / "deploy" / "nginx" / "santun.conf").read_text()
    formats = dict(re.findall(r"log_format\s+(\w+)\s+'([^']*)'", nginx))
    used = re.findall(r"access_log\s+\S+\s+(\w+);", nginx)
    assert used and all(name in formats for name in used), "nginx would fall back to its default format"
    for name in used:
        assert "$uri" in formats[name]
        assert not any(v in formats[name] for v in ("$request ", '$request"', "$request_uri", "$args", "$query_string",
                                                   "$http_referer"))


def test_the_proxy_lets_a_chat_export_reach_santun_so_its_limit_speaks_indonesian(db):
    """nginx's bare 413 page would stand in for Santun's own refusal of an oversize export."""
    from triage.services import DEFAULT_UPLOAD_MAX_BYTES

    nginx = (ROOT / "deploy" / "nginx" / "santun.conf").read_text()
    block = re.search(r"location ~ (\S+) \{([^}]*)\}", nginx)
    assert block and re.search(block.group(1), reverse("triage:chat_upload",
                                                      kwargs={"institution": "mtsn-1", "channel_pk": 3}))
    size = re.search(r"client_max_body_size (\d+)m;", block.group(2))
    assert size and int(size.group(1)) * 1024 * 1024 > DEFAULT_UPLOAD_MAX_BYTES
    assert "proxy_pass http://santun_app;" in block.group(2)


def test_passwords_need_ten_characters_and_are_not_common(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("Pendek-1", "password123", "1234567890123", "qwertyuiop"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    person = get_user_model()(email="siti.rahmawati@contoh.test", full_name="Siti Rahmawati")
    with pytest.raises(ValidationError):
        validate_password("siti.rahmawati", person)
    validate_password("Tata-tertib-grup-2024", person)


def test_the_admin_opens_only_after_the_second_factor(db):
    """A platform operator sees every institution's data: the admin has no password form of its own
    and opens only for a session that passed Santun's sign-in with TOTP."""
    from django.test import Client

    from conftest import mfa_client
    from governance.tests.factories import UserFactory, give_totp

    operator = UserFactory(is_staff=True, is_superuser=True)
    anonymous = Client().get("/admin/", follow=True)
    assert anonymous.redirect_chain[-1][0].startswith("/akun/login/")
    client = Client()
    client.force_login(operator)
    first = client.get("/admin/", follow=True)
    assert any(url.startswith("/akun/2fa/totp/activate/") for url, _ in first.redirect_chain)
    give_totp(operator)
    again = client.get("/admin/", follow=True)
    assert again.redirect_chain[-1][0].startswith("/akun/2fa/reauthenticate/")
    assert mfa_client(operator).get("/admin/").status_code == 200
