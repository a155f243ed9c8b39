"""The publication-log CSV: a preview with row errors, then all rows or none."""

import dataclasses
import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from governance import services
from governance.imports import read_publications_csv
from governance.models import AuditEntry, ChannelKind, Publication, TimeZone
from governance.tests.conftest import client_for
from governance.tests.factories import OfficialAccountFactory, PublicationFactory

HEADER = "tanggal;jam;akun;tautan;topik;sumber_terverifikasi;informasi_benar;tanpa_info_rahasia;netral;narasi_sesuai_gambar;diperiksa_oleh"


@pytest.fixture
def accounts(side_a):
    institution = side_a.institution
    return {
        "ig": OfficialAccountFactory(institution=institution, kind=ChannelKind.INSTAGRAM, name="Diskominfo OKU Timur",
                                     link="https://www.instagram.com/diskominfo.okut/"),
        "fb": OfficialAccountFactory(institution=institution, kind=ChannelKind.FACEBOOK, name="Diskominfo OKU Timur",
                                     link="https://www.facebook.com/diskominfo.okut"),
        "web": OfficialAccountFactory(institution=institution, kind=ChannelKind.WEBSITE, name="Situs Diskominfo",
                                      link="https://diskominfo.contoh.go.id/"),
    }


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2024, 10, 25, 3, 0, tzinfo=datetime.UTC), tick=False):
        yield


def csv_text(*rows, header=HEADER):
    return "\r\n".join([header, *rows]) + "\r\n"


def test_a_good_file_is_read_in_the_institutions_zone(side_a, accounts, unscoped):
    reviewer = side_a.users["kepala"].email
    text = csv_text(
        f"23/10/2024;09.30;Situs Diskominfo;https://diskominfo.contoh.go.id/berita/1;Pengarahan admin medsos;ya;ya;ya;ya;ya;{reviewer}",
        "2024-10-24;14:05 WITA;@diskominfo.okut;https://www.instagram.com/p/abc/;Layanan KTP;ya;tidak;ya;ya;;",
        "24 Oktober 2024;;https://www.facebook.com/diskominfo.okut;;Bantuan sosial;;;;;;",
    )
    preview = read_publications_csv(side_a.institution, text.encode("utf-8-sig"))
    assert preview.errors == [] and preview.ok
    first, second, third = preview.rows
    assert first.channel == accounts["web"] and first.reviewed_by == side_a.users["kepala"]
    assert first.published_at == datetime.datetime(2024, 10, 23, 2, 30, tzinfo=datetime.UTC)
    assert first.checks_passed == 5
    # "@diskominfo.okut" is both accounts' handle; the post's link says Instagram. 14.05 WITA is 13.05 WIB.
    assert second.channel == accounts["ig"] and second.published_at.astimezone(datetime.UTC).hour == 6
    assert second.checks == {"source_verified": True, "content_true": False, "nothing_confidential": True,
                             "neutral": True, "caption_matches": False}
    assert third.channel == accounts["fb"] and third.checks_passed == 0


def test_importing_saves_every_row_and_writes_one_audit_entry(side_a, accounts, unscoped):
    text = csv_text("23/10/2024;09.30;Situs Diskominfo;;Topik satu;ya;ya;ya;ya;ya;",
                    "23/10/2024;10.30;Situs Diskominfo;;Topik dua;ya;ya;ya;ya;ya;")
    preview = read_publications_csv(side_a.institution, text)
    created = services.publication_import(actor=side_a.users["humas"], institution=side_a.institution, rows=preview.rows)
    assert len(created) == 2 and Publication.objects.filter(source="import").count() == 2
    entry = AuditEntry.objects.get(action="governance.publication.imported")
    assert entry.data == {"rows": 2, "channels": [accounts["web"].pk]}


def test_wrong_columns_are_refused_on_row_one(side_a, accounts):
    preview = read_publications_csv(side_a.institution, "tgl,akun,judul_berita,warna\n23/10/2024,Situs Diskominfo,x,y\n")
    assert not preview.ok and preview.rows == []
    messages = " ".join(e.message for e in preview.errors)
    assert {e.line for e in preview.errors} == {1}
    assert "judul_berita" in messages and "warna" in messages and "topik" in messages


def test_each_bad_row_is_named_with_its_number_and_reason(side_a, accounts, unscoped):
    PublicationFactory(channel=accounts["web"], link="https://diskominfo.contoh.go.id/lama")
    text = csv_text(
        "23/10/2024;09.30;Situs Diskominfo;;Baik;ya;ya;ya;ya;ya;",
        "31/02/2024;09.30;Situs Diskominfo;;Tanggal tidak ada;ya;ya;ya;ya;ya;",
        "kemarin;09.30;Situs Diskominfo;;Tanggal salah;ya;ya;ya;ya;ya;",
        "23/10/2024;25.99;Situs Diskominfo;;Jam salah;ya;ya;ya;ya;ya;",
        "23/10/2024;09.30;Akun Siluman;;Akun tak dikenal;ya;ya;ya;ya;ya;",
        "23/10/2024;09.30;Situs Diskominfo;;Centang salah;mungkin;ya;ya;ya;ya;",
        "23/10/2024;09.30;Situs Diskominfo;https://diskominfo.contoh.go.id/lama;Sudah ada;ya;ya;ya;ya;ya;",
        "01/12/2024;09.30;Situs Diskominfo;;Masa depan;ya;ya;ya;ya;ya;",
        "23/10/2024;09.30;Situs Diskominfo;;;ya;ya;ya;ya;ya;",
        "23/10/2024;09.30;Diskominfo OKU Timur;;Dua akun bernama sama;ya;ya;ya;ya;ya;",
        "23/10/2024;09.30;Situs Diskominfo;;Pemeriksa asing;ya;ya;ya;ya;ya;orang@luar.test",
    )
    preview = read_publications_csv(side_a.institution, text)
    assert not preview.ok
    by_line = {}
    for error in preview.errors:
        by_line.setdefault(error.line, []).append(error.message)
    assert sorted(by_line) == list(range(3, 13))
    assert "tidak ada di kalender" in by_line[3][0]
    assert "tidak dikenali" in by_line[4][0] and "23/10/2024" in by_line[4][0]
    assert "jam" in by_line[5][0]
    assert "Akun Siluman" in by_line[6][0] and "tidak terdaftar" in by_line[6][0]
    assert "ya" in by_line[7][0] and "mungkin" in by_line[7][0]
    assert "sudah tercatat" in by_line[8][0]
    assert "belum terjadi" in by_line[9][0]
    assert "topik kosong" in by_line[10][0]
    assert "beberapa akun" in by_line[11][0]
    assert "orang@luar.test" in by_line[12][0]
    # Nothing is saved: the service refuses rows that fail, even if a caller skipped the preview.
    future = dataclasses.replace(preview.rows[0], line=9, published_at=datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError) as refused:
        services.publication_import(actor=None, institution=side_a.institution, rows=[*preview.rows, future])
    assert refused.value.messages[0].startswith("Baris 9:")
    assert Publication.objects.count() == 1


def test_the_same_post_twice_in_one_file_is_refused(side_a, accounts):
    row = "23/10/2024;09.30;Situs Diskominfo;https://diskominfo.contoh.go.id/berita/9;Sama;ya;ya;ya;ya;ya;"
    preview = read_publications_csv(side_a.institution, csv_text(row, row))
    assert [(e.line, "baris 2" in e.message) for e in preview.errors] == [(3, True)]


def test_comma_separated_files_and_windows_encoding_are_read(side_a, accounts):
    text = "tanggal,akun,topik\r\n23-10-2024 08.15,Situs Diskominfo,Peresmian jalan desa Sukamaju\r\n"
    preview = read_publications_csv(side_a.institution, text.encode("cp1252"))
    assert preview.ok and preview.rows[0].published_at.hour == 8


@pytest.mark.parametrize(("data", "code"), [
    (b"PK\x03\x04 an xlsx", "excel"),
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
])
def test_files_that_are_not_csv_get_a_clear_message(side_a, data, code):
    with pytest.raises(ValidationError) as refused:
        read_publications_csv(side_a.institution, data)
    assert refused.value.code == code


def test_a_header_without_rows(side_a, accounts):
    preview = read_publications_csv(side_a.institution, HEADER + "\n")
    assert not preview.ok and preview.errors[0].line == 2


def test_import_page_previews_then_saves_on_confirmation(side_a, accounts, unscoped, long_serving):
    long_serving()
    humas = client_for(side_a.users["humas"])
    url = f"/instansi/{side_a.institution.slug}/publikasi/impor/"
    upload = _upload(csv_text("23/10/2024;09.30;Situs Diskominfo;;Topik satu;ya;ya;ya;ya;ya;"))
    response = humas.post(url, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "1 unggahan siap diimpor" in page and "Topik satu" in page
    assert Publication.objects.count() == 0
    content = response.context["content"]
    response = humas.post(url, {"content": content, "confirm": "1"})
    assert response.status_code == 302 and Publication.objects.count() == 1


def test_import_page_shows_row_errors_and_saves_nothing(side_a, accounts, long_serving):
    long_serving()
    humas = client_for(side_a.users["humas"])
    url = f"/instansi/{side_a.institution.slug}/publikasi/impor/"
    text = csv_text("23/10/2024;09.30;Situs Diskominfo;;Baik;ya;ya;ya;ya;ya;",
                    "23/13/2024;09.30;Situs Diskominfo;;Bulan 13;ya;ya;ya;ya;ya;")
    page = humas.post(url, {"file": _upload(text)}).content.decode()
    assert "Tidak ada yang disimpan" in page and "Baris 3" in page and "Import 1" not in page
    # Even a forged confirmation of the same content saves nothing.
    response = humas.post(url, {"content": text, "confirm": "1"})
    assert response.status_code == 200 and Publication.objects.with_scopes_disabled().count() == 0


def test_an_excel_upload_is_explained(side_a, accounts, long_serving):
    long_serving()
    response = client_for(side_a.users["humas"]).post(f"/instansi/{side_a.institution.slug}/publikasi/impor/",
                                                       {"file": _upload(b"PK\x03\x04xlsx", name="log.xlsx")})
    assert "Save As" in response.content.decode() and "Traceback" not in response.content.decode()


def test_the_example_file_has_the_columns_the_import_reads(side_a, accounts, long_serving):
    long_serving()
    response = client_for(side_a.users["humas"]).get(f"/instansi/{side_a.institution.slug}/publikasi/impor/contoh.csv")
    assert response["Content-Type"].startswith("text/csv")
    preview = read_publications_csv(side_a.institution, response.content)
    assert preview.ok, preview.errors


def test_a_wita_institution_reads_times_in_wita(db, unscoped):
    account = OfficialAccountFactory(institution__timezone=TimeZone.WITA, name="Kemenag Banjarbaru")
    preview = read_publications_csv(account.institution, "tanggal;jam;akun;topik\n23/10/2024;09.00;Kemenag Banjarbaru;x\n")
    assert preview.rows[0].published_at.astimezone(datetime.UTC).hour == 1


def test_anonymous_cannot_import(side_a):
    response = Client().post(f"/instansi/{side_a.institution.slug}/publikasi/impor/", {})
    assert response.status_code == 302


def _upload(content, name="log.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")
