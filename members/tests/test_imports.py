"""Spreadsheet import and export: preview first, all or nothing, the same file twice changes nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scope
from openpyxl import Workbook, load_workbook

from governance.models import AuditEntry
from governance.tests.factories import ChannelFactory
from members import services
from members.models import GroupMembership, ImportJob, StaffMember
from members.tests.conftest import HEADERS, client_for, csv_bytes, xlsx_bytes
from members.tests.factories import GroupMembershipFactory, StaffMemberFactory

ROWS = [
    ["198005172005031001", "Ahmad Hidayat, S.Pd.", "Guru Matematika", "PNS", "0812-3456-7001", "ahmad@contoh.test"],
    ["198107182006042002", "Siti Rahmawati, S.Ag., M.Pd.I.", "Wakil Kepala Bidang Humas", "PNS", "081234567002", ""],
    ["", "Rina Lestari", "Operator Administrasi", "Honorer", "6281234567003", ""],
]


def preview(institution, data: bytes, kind=ImportJob.Kind.STAFF, name="pegawai.xlsx", actor=None):
    with scope(institution=institution):
        job = ImportJob.objects.create(institution=institution, kind=kind, created_by=actor)
        job.file.save(name, io.BytesIO(data), save=True)
        return services.import_job_preview(job=job)


def confirm(job, actor=None):
    with scope(institution=job.institution):
        job.state = ImportJob.State.IMPORTING
        job.save()
        return services.import_job_apply(job=job, actor=actor)


def staff_of(institution):
    with scope(institution=institution):
        return list(StaffMember.objects.filter(institution=institution).order_by("full_name"))


def test_preview_then_confirm_imports_everything_with_one_audit_entry(side_a):
    institution = side_a.institution
    job = preview(institution, xlsx_bytes(ROWS))
    assert job.state == ImportJob.State.READY
    assert job.counts == {"new": 3, "changed": 0, "unchanged": 0, "error": 0, "rows": 3}
    assert staff_of(institution) == [], "a preview saves nothing"
    job = confirm(job, actor=side_a.users["operator"])
    assert job.state == ImportJob.State.DONE
    people = {s.full_name: s for s in staff_of(institution)}
    assert people["Siti Rahmawati, S.Ag., M.Pd.I."].sex == "P"
    assert people["Siti Rahmawati, S.Ag., M.Pd.I."].birth_date == datetime.date(1981, 7, 18)
    assert people["Ahmad Hidayat, S.Pd."].phone == "+6281234567001"
    assert people["Rina Lestari"].status == StaffMember.Status.HONORER and people["Rina Lestari"].nip == ""
    with scope(institution=institution):
        entries = list(AuditEntry.objects.filter(action="members.import.staff"))
    assert len(entries) == 1
    assert entries[0].data["new"] == 3 and entries[0].data["rows"] == 3
    assert not job.file, "the uploaded file is removed after the import"


def test_reimporting_the_same_file_changes_nothing(side_a):
    institution = side_a.institution
    confirm(preview(institution, xlsx_bytes(ROWS)))
    before = [(s.pk, s.full_name, s.phone, s.position, s.updated_at) for s in staff_of(institution)]
    job = preview(institution, xlsx_bytes(ROWS))
    assert job.counts["unchanged"] == 3 and job.counts["new"] == job.counts["changed"] == 0
    confirm(job)
    assert [(s.pk, s.full_name, s.phone, s.position, s.updated_at) for s in staff_of(institution)] == before


def test_matching_by_nip_else_by_phone_and_changes_are_listed(side_a):
    institution = side_a.institution
    with scope(institution=institution):
        by_nip = StaffMemberFactory(institution=institution, nip="198005172005031001", full_name="Ahmad Hidayat, S.Pd.",
                                    position="Guru IPA", phone="+6281234567001", email="ahmad@contoh.test")
        by_phone = StaffMemberFactory(institution=institution, nip="", status=StaffMember.Status.HONORER,
                                      full_name="Rina Lestari", position="Operator Administrasi", phone="+6281234567003")
    job = preview(institution, xlsx_bytes(ROWS))
    statuses = {row[2]: (row[1], row[3]) for row in job.rows}
    assert statuses["Ahmad Hidayat, S.Pd."][0] == "changed"
    assert any("Guru IPA" in detail and "Guru Matematika" in detail for detail in statuses["Ahmad Hidayat, S.Pd."][1])
    assert statuses["Rina Lestari"][0] == "unchanged"
    assert statuses["Siti Rahmawati, S.Ag., M.Pd.I."][0] == "new"
    confirm(job)
    by_nip.refresh_from_db()
    assert by_nip.position == "Guru Matematika"
    assert len(staff_of(institution)) == 3 and by_phone.pk in [s.pk for s in staff_of(institution)]


def test_headers_are_tolerated_in_any_case_spacing_and_order_below_a_title(side_a):
    headers = ["  no hp ", "STATUS  KEPEGAWAIAN", "nama", "Keterangan", "nip", "JABATAN"]
    rows = [[r[4], r[3], r[1], "—", r[0], r[2]] for r in ROWS]
    job = preview(side_a.institution, xlsx_bytes(rows, headers, title_rows=[["DAFTAR PEGAWAI"], []]))
    assert job.state == ImportJob.State.READY and job.counts["new"] == 3


def test_csv_with_semicolons_as_indonesian_excel_writes_it(side_a):
    job = preview(side_a.institution, csv_bytes(ROWS, delimiter=";"), name="pegawai.csv")
    assert job.state == ImportJob.State.READY and job.counts["new"] == 3


def _refused(side, data, name="pegawai.xlsx"):
    job = preview(side.institution, data, name=name)
    assert job.state == ImportJob.State.REFUSED
    assert staff_of(side.institution) == []
    assert not job.file, "a refused file is not kept"
    return job


def _row_errors(job):
    return [f"Baris {row[0]}, {detail}" for row in job.rows if row[1] == "error" for detail in row[3]]


def test_wrong_file_type_is_recognised_by_content_not_name(side_a):
    job = _refused(side_a, b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", name="pegawai.xlsx")
    assert "bukan" in job.problem and "XLSX" in job.problem


def test_password_protected_xlsx_is_explained(side_a):
    fake_encrypted = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
                      + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le"))
    job = _refused(side_a, fake_encrypted)
    assert "kata sandi" in job.problem.lower()


def test_corrupt_xlsx_is_refused(side_a):
    data = xlsx_bytes(ROWS)
    job = _refused(side_a, data[: len(data) // 2])
    assert "rusak" in job.problem


def test_empty_file_and_header_only_file_are_refused(side_a):
    assert "kosong" in _refused(side_a, b"").problem
    assert "tidak ada baris data" in _refused(side_a, xlsx_bytes([])).problem


def test_missing_required_column_is_named(side_a):
    headers = ["NIP", "Nama", "Jabatan", "No. HP"]
    job = _refused(side_a, xlsx_bytes([r[:3] + [r[4]] for r in ROWS], headers))
    assert "Status Kepegawaian" in job.problem


def test_duplicate_nip_inside_the_file_names_both_rows(side_a):
    rows = [ROWS[0], [ROWS[0][0], "Orang Lain", "Guru", "PNS", "081234567999", ""]]
    job = _refused(side_a, xlsx_bytes(rows))
    errors = _row_errors(job)
    assert errors == ["Baris 3, kolom NIP: NIP yang sama sudah ada di baris 2 berkas ini."]


def test_nip_of_someone_current_elsewhere_is_refused_without_saying_who_or_where(side_a, side_b, unscoped):
    StaffMemberFactory(institution=side_b.institution, nip=ROWS[0][0], full_name="Nama Rahasia")
    job = _refused(side_a, xlsx_bytes(ROWS))
    errors = " ".join(_row_errors(job))
    assert "instansi lain" in errors
    assert "Nama Rahasia" not in errors and side_b.institution.name not in errors and side_b.institution.slug not in errors


def test_invalid_phone_is_refused_with_row_and_column(side_a):
    rows = [ROWS[0][:4] + ["0812", ""]]
    errors = _row_errors(_refused(side_a, xlsx_bytes(rows)))
    assert len(errors) == 1 and errors[0].startswith("Baris 2, kolom No. HP:")


def test_formulas_in_xlsx_cells_are_never_evaluated_and_refused(side_a):
    rows = [["198005172005031001", "=HYPERLINK(\"http://contoh.test\",\"klik\")", "Guru", "PNS", "081234567001", ""],
            ["198107182006042002", "Siti", "=1+1", "PNS", "081234567002", ""]]
    errors = _row_errors(_refused(side_a, xlsx_bytes(rows)))
    assert any(e.startswith("Baris 2, kolom Nama:") and "rumus" in e for e in errors)
    assert any(e.startswith("Baris 3, kolom Jabatan:") and "rumus" in e for e in errors)


def test_formulas_in_csv_cells_are_refused(side_a):
    rows = [["198005172005031001", "Ahmad", "@SUM(A1:A9)", "PNS", "+6281234567001", ""]]
    errors = _row_errors(_refused(side_a, csv_bytes(rows), name="a.csv"))
    assert len(errors) == 1 and "kolom Jabatan" in errors[0] and "rumus" in errors[0]


def test_a_nip_rounded_by_excel_is_explained(side_a):
    book = Workbook()
    book.active.append(HEADERS)
    book.active.append([1.98005172005031e17, "Ahmad", "Guru", "PNS", "081234567001", ""])
    out = io.BytesIO()
    book.save(out)
    errors = _row_errors(_refused(side_a, out.getvalue()))
    assert "Teks" in errors[0]


def test_an_unknown_status_lists_the_accepted_ones(side_a):
    rows = [ROWS[0][:3] + ["Guru Tetap", "081234567001", ""]]
    errors = _row_errors(_refused(side_a, xlsx_bytes(rows)))
    assert "PNS, CPNS, PPPK" in errors[0]


def test_one_bad_row_among_many_saves_nothing_even_at_confirmation(side_a):
    job = preview(side_a.institution, xlsx_bytes(ROWS))
    assert job.state == ImportJob.State.READY
    # Someone else adds the same NIP elsewhere between preview and confirm.
    with scope(institution=side_a.parent):
        StaffMemberFactory(institution=side_a.parent, nip=ROWS[1][0])
    job = confirm(job)
    assert job.state == ImportJob.State.REFUSED
    assert staff_of(side_a.institution) == []


def test_import_command_prints_the_preview_and_refuses_with_status_1(side_a, tmp_path, capsys):
    bad = tmp_path / "buruk.csv"
    bad.write_bytes(csv_bytes([ROWS[0], ROWS[0]]))
    with pytest.raises(CommandError) as error:
        call_command("import_staff", side_a.institution.slug, str(bad))
    assert error.value.returncode == 1
    out = capsys.readouterr()
    assert "ditolak: 1" in out.out and "Baris 3" in out.err
    assert staff_of(side_a.institution) == []

    good = tmp_path / "pegawai.xlsx"
    good.write_bytes(xlsx_bytes(ROWS))
    call_command("import_staff", side_a.institution.slug, str(good), "--dry-run")
    assert "baru: 3" in capsys.readouterr().out and staff_of(side_a.institution) == []
    call_command("import_staff", side_a.institution.slug, str(good))
    assert len(staff_of(side_a.institution)) == 3


def test_the_demo_spreadsheet_previews_cleanly(side_a):
    from pathlib import Path

    data = (Path(__file__).resolve().parents[1] / "demo_data" / "pegawai-mtsn-1-muara-enim.xlsx").read_bytes()
    job = preview(side_a.institution, data)
    assert job.state == ImportJob.State.READY and job.counts["rows"] == 40


# Export ---------------------------------------------------------------------------------------

def _export(side, data, fmt):
    response = client_for(side.users["operator"]).get(
        reverse("members:export", kwargs={"institution": side.institution.slug}), {"data": data, "format": fmt})
    assert response.status_code == 200
    # NIPs and phone numbers: a private download, never kept on the way nor run in the browser
    assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    return response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(side_a, fmt):
    confirm(preview(side_a.institution, xlsx_bytes(ROWS)))
    data = _export(side_a, "pegawai", fmt)
    job = preview(side_a.institution, data, name=f"ekspor.{fmt}")
    assert job.state == ImportJob.State.READY, job.rows
    assert job.counts == {"new": 0, "changed": 0, "unchanged": 3, "error": 0, "rows": 3}


def test_export_keeps_native_types_and_escapes_formulas(side_a):
    with scope(institution=side_a.institution):
        StaffMemberFactory(institution=side_a.institution, nip="198005172005031001", full_name="=HYPERLINK(\"x\")",
                           position="-2+3", phone="+6281234567001")
    sheet = load_workbook(io.BytesIO(_export(side_a, "pegawai", "xlsx"))).active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2], strict=False)}
    assert row["NIP"].value == "198005172005031001" and row["NIP"].data_type == "s"
    assert row["No."].value == 1 and isinstance(row["No."].value, int)
    assert isinstance(row["Tanggal Lahir"].value, datetime.datetime) and row["Tanggal Lahir"].value.date() == datetime.date(1980, 5, 17)
    assert row["Nama"].value == "'=HYPERLINK(\"x\")" and row["Nama"].data_type == "s"
    assert row["Jabatan"].value == "'-2+3"
    assert row["No. HP"].value == "+6281234567001"
    text = _export(side_a, "pegawai", "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "1980-05-17" in text


def test_group_memberships_import_and_export_round_trip(side_a):
    institution = side_a.institution
    with scope(institution=institution):
        channel = ChannelFactory(institution=institution, name="Grup Resmi MTsN")
        informal = ChannelFactory(institution=institution, name="Grup Santai Guru")
        ahmad = StaffMemberFactory(institution=institution, nip="198005172005031001", phone="+6281234567001")
        rina = StaffMemberFactory(institution=institution, nip="", phone="+6281234567003", status=StaffMember.Status.HONORER)
        GroupMembershipFactory(channel=informal, staff=ahmad, role=GroupMembership.Role.MEMBER)
    headers = ["Grup", "NIP", "No. HP", "Peran", "Sejak"]
    rows = [["grup resmi mtsn", "198005172005031001", "", "Admin", "01/02/2024"],
            ["Grup Resmi MTsN", "", "081234567003", "anggota", ""],
            ["Grup Santai Guru", "198005172005031001", "", "Admin", ""]]
    job = preview(institution, xlsx_bytes(rows, headers), kind=ImportJob.Kind.GROUPS)
    assert job.counts == {"new": 2, "changed": 1, "unchanged": 0, "error": 0, "rows": 3}, job.rows
    confirm(job)
    with scope(institution=institution):
        open_ = GroupMembership.objects.filter(until__isnull=True)
        assert open_.get(channel=channel, staff=ahmad).role == "admin"
        assert open_.get(channel=channel, staff=ahmad).since == datetime.date(2024, 2, 1)
        assert open_.get(channel=channel, staff=rina).role == "member"
        assert open_.get(channel=informal, staff=ahmad).role == "admin"
    data = _export(side_a, "grup", "xlsx")
    again = preview(institution, data, kind=ImportJob.Kind.GROUPS)
    assert again.counts["unchanged"] == 3 and again.counts["new"] == 0, again.rows


def test_group_import_names_unknown_groups_and_people(side_a):
    headers = ["Grup", "NIP", "Peran"]
    job = preview(side_a.institution, xlsx_bytes([["Grup Tidak Ada", "198005172005031001", "Ketua"]], headers),
                  kind=ImportJob.Kind.GROUPS)
    errors = " ".join(_row_errors(job))
    assert job.state == ImportJob.State.REFUSED
    assert "Grup Tidak Ada" in errors and "Ketua" in errors and "daftar pegawai" in errors


# Through the web ------------------------------------------------------------------------------

def test_upload_preview_confirm_through_the_pages(side_a, django_capture_on_commit_callbacks):
    client = client_for(side_a.users["operator"])
    slug = side_a.institution.slug
    upload = SimpleUploadedFile("pegawai.xlsx", xlsx_bytes(ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:import_start", kwargs={"institution": slug}),
                               {"kind": "staff", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Impor 3 baris" in body and 'data-count="new">3<' in body
    job_pk = int(response["Location"].rstrip("/").split("/")[-1])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:import_confirm", kwargs={"institution": slug, "pk": job_pk}))
    assert response.status_code == 302
    assert "3 baru" in client.get(response["Location"]).content.decode()
    assert len(staff_of(side_a.institution)) == 3


def test_progress_fragment_polls_while_running_and_asks_for_a_reload_when_done(side_a, unscoped):
    from members.tests.factories import ImportJobFactory

    job = ImportJobFactory(institution=side_a.institution, state=ImportJob.State.CHECKING)
    client = client_for(side_a.users["operator"])
    url = reverse("members:import_progress", kwargs={"institution": side_a.institution.slug, "pk": job.pk})
    response = client.get(url)
    assert response.status_code == 200 and 'hx-trigger="every 1s"' in response.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.DONE)
    response = client.get(url)
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_stale_previews_lose_their_file_and_rows_daily(side_a, unscoped):
    from governance.tasks import apply_retention_everywhere

    ready = preview(side_a.institution, xlsx_bytes(ROWS))
    refused = preview(side_a.institution, xlsx_bytes([ROWS[0], ROWS[0]]))
    stored = ready.file.name
    ImportJob.objects.filter(pk__in=[ready.pk, refused.pk]).update(created_at=ready.created_at - datetime.timedelta(days=2))
    apply_retention_everywhere.delay()  # the one nightly retention run
    ready.refresh_from_db()
    refused.refresh_from_db()
    assert ready.state == ImportJob.State.CANCELLED and not ready.file and not ready.file.storage.exists(stored)
    assert refused.rows == [] and refused.counts["error"] == 1


# Every step of an import is audited ------------------------------------------------------------

def import_actions(institution):
    with scope(institution=institution):
        return [(entry.action, entry.actor_id, entry.data) for entry in
                AuditEntry.objects.filter(institution=institution, action__startswith="members.import.").order_by("pk")]


def test_creating_confirming_and_cancelling_an_import_job_write_audit_entries(side_a, django_capture_on_commit_callbacks):
    institution, operator = side_a.institution, side_a.users["operator"]
    with scope(institution=institution), django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(actor=operator, institution=institution, kind=ImportJob.Kind.STAFF,
                                         upload=SimpleUploadedFile("pegawai.xlsx", xlsx_bytes(ROWS)))
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY
    with scope(institution=institution), django_capture_on_commit_callbacks(execute=True):
        services.import_job_confirm(actor=operator, job=job)
    with scope(institution=institution), django_capture_on_commit_callbacks(execute=True):
        other = services.import_job_create(actor=operator, institution=institution, kind=ImportJob.Kind.STAFF,
                                           upload=SimpleUploadedFile("lagi.xlsx", xlsx_bytes(ROWS)))
    with scope(institution=institution):
        services.import_job_cancel(actor=operator, job=other)
    staff_entry = [entry for entry in import_actions(institution) if entry[0] == "members.import.staff"]
    assert [(action, actor) for action, actor, _data in import_actions(institution)] == [
        ("members.import.created", operator.pk), ("members.import.confirmed", operator.pk),
        ("members.import.staff", operator.pk), ("members.import.created", operator.pk),
        ("members.import.cancelled", operator.pk)]
    assert import_actions(institution)[0][2] == {"job": job.pk, "kind": "staff"}, "no file name, no personal data"
    assert import_actions(institution)[-1][2] == {"job": other.pk, "kind": "staff"}
    assert staff_entry[0][2]["new"] == 3


def test_the_import_command_goes_through_the_same_audited_steps(side_a, tmp_path):
    good = tmp_path / "pegawai.xlsx"
    good.write_bytes(xlsx_bytes(ROWS))
    call_command("import_staff", side_a.institution.slug, str(good), "--dry-run")
    assert [action for action, _actor, _data in import_actions(side_a.institution)] == [
        "members.import.created", "members.import.cancelled"]
    call_command("import_staff", side_a.institution.slug, str(good))
    assert [action for action, _actor, _data in import_actions(side_a.institution)][2:] == [
        "members.import.created", "members.import.confirmed", "members.import.staff"]
    assert len(staff_of(side_a.institution)) == 3
