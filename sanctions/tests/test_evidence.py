"""Evidence is recognised by its content: images and PDF only, nothing else, nothing stored on refusal."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from sanctions.evidence import inspect_evidence
from sanctions.models import CaseEvidence, ViolationReport
from sanctions.tests.factories import file_report, jpeg_bytes, pdf_bytes, png_bytes

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize("data,kind", [(png_bytes(), "image/png"), (jpeg_bytes(), "image/jpeg")])
def test_images_are_accepted_by_content_whatever_the_name(data, kind):
    assert inspect_evidence(data, name="bukti.pdf").content_type == kind


def test_a_pdf_is_accepted_and_hashed():
    import hashlib

    data = pdf_bytes()
    result = inspect_evidence(data, name="surat.png")
    assert result.content_type == "application/pdf" and result.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("data,name,words", [
    (EXE, "layar.jpg", "program"),
    (HTML, "layar.png", "HTML"),
    (SVG, "layar.png", "SVG"),
    (b"", "kosong.png", "kosong"),
    (b"just some text", "catatan.pdf", "bukan gambar"),
    (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "rusak.pdf", "rusak"),
    (png_bytes()[:60], "terpotong.png", "bukan gambar"),
])
def test_other_files_are_refused_with_a_clear_message(data, name, words):
    with pytest.raises(ValidationError) as refused:
        inspect_evidence(data, name=name)
    message = str(refused.value)
    assert name in message or "PDF" in message
    assert words.lower() in message.lower()


def test_a_pdf_with_javascript_is_refused():
    original = pdf_bytes()
    cut = original.rindex(b"startxref")
    data = original[:cut] + b"99 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n" + original[cut:]
    with pytest.raises(ValidationError) as refused:
        inspect_evidence(data, name="aktif.pdf")
    assert refused.value.code == "pdf_active"


def test_oversize_is_refused_with_the_limit(settings):
    settings.SANTUN_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        inspect_evidence(png_bytes(size=(400, 400)) + b"\x00" * 2000, name="besar.png")
    assert refused.value.code == "too_large" and "1000" in str(refused.value).replace(".", "")


def test_a_report_with_one_bad_file_stores_nothing(world):
    before = ViolationReport.objects.count()
    with pytest.raises(ValidationError):
        file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi,
                    evidence=[("baik.png", png_bytes()), ("jahat.png", HTML)])
    assert ViolationReport.objects.count() == before and not CaseEvidence.objects.exists()
    assert not default_storage.exists("evidence") or default_storage.listdir("evidence") == ([], [])


def test_stored_under_a_random_private_name_with_its_hash(world):
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi,
                         evidence=[("Foto Budi Santoso.png", png_bytes())])
    item = report.evidence.get()
    assert "Budi" not in item.file.name and item.file.name.startswith(f"evidence/{world.institution.pk}/")
    assert item.sha256 and item.size and item.content_type == "image/png"
