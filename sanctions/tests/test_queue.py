"""The case queue as the people who work it every day use it: search, date range and the other
filters in the address, pagination that keeps them, the CSV/XLSX download of the filtered list, and
bulk steps on the ticked cases, each taken alone and refused alone."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from governance.models import AuditEntry, Membership, Role, RuleCategory
from governance.tests.factories import make_member
from sanctions import services
from sanctions.models import ReportState, ViolationReport
from sanctions.tests.conftest import plain_client
from sanctions.tests.factories import confirmed_report, png_bytes, rule_ids, staff_for

WIB = datetime.timezone(datetime.timedelta(hours=7))


def url(world, name, **kwargs):
    return reverse(f"sanctions:{name}", kwargs={"institution": world.institution.slug, **kwargs})


def filed(world, *, description, occurred_at=None, reporter=None, **subject) -> ViolationReport:
    return services.report_submit(
        actor=reporter or world.users["pegawai"], institution=world.institution, channel=world.channel,
        occurred_at=occurred_at or datetime.datetime(2025, 5, 5, 9, 0, tzinfo=WIB),
        rule_ids=rule_ids(world.institution, RuleCategory.HOAX), description=description, **subject)


def listed(response) -> set[int]:
    return {report.pk for report in response.context["page"].object_list}


@pytest.fixture
def humas(world):
    return plain_client(world.users["humas"])


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_search_finds_words_of_the_report_and_the_name_of_the_person(world, humas):
    libur = filed(world, description="Meneruskan kabar libur sekolah yang tidak benar.", subject_staff=world.budi)
    bansos = filed(world, description="Membagikan tautan bantuan sosial palsu.", subject_name="Nomor Tak Dikenal")

    assert listed(humas.get(url(world, "queue"), {"q": "libur sekolah"})) == {libur.pk}
    assert listed(humas.get(url(world, "queue"), {"q": "budi"})) == {libur.pk}  # the staff member's name
    assert listed(humas.get(url(world, "queue"), {"q": "tak dikenal"})) == {bansos.pk}  # an external person
    assert listed(humas.get(url(world, "queue"), {"q": f"#{bansos.pk}"})) == {bansos.pk}  # a report number
    page = humas.get(url(world, "queue"), {"q": "pemilu"})
    assert listed(page) == set() and "Tidak ada laporan yang sesuai." in page.content.decode()


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_the_date_range_is_read_in_the_institutions_time_zone(world, humas):
    late_evening = filed(world, description="Malam.", subject_name="A",
                         occurred_at=datetime.datetime(2025, 5, 5, 23, 30, tzinfo=WIB))
    # 00.30 WIB on the 6th is still the 5th in UTC: it belongs to the 6th here.
    after_midnight = filed(world, description="Dini hari.", subject_name="B",
                           occurred_at=datetime.datetime(2025, 5, 6, 0, 30, tzinfo=WIB))
    filed(world, description="Bulan lalu.", subject_name="C", occurred_at=datetime.datetime(2025, 4, 1, 10, 0, tzinfo=WIB))

    response = humas.get(url(world, "queue"), {"occurred_from": "2025-05-05", "occurred_to": "2025-05-05"})
    assert listed(response) == {late_evening.pk}
    assert listed(humas.get(url(world, "queue"), {"occurred_from": "2025-05-06"})) == {after_midnight.pk}


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_a_wrong_filter_is_explained_and_the_others_still_apply(world, humas):
    politics = confirmed_report(world.institution, humas=world.users["humas"], subject_name="Orang Luar",
                                categories=(RuleCategory.POLITICS,))
    filed(world, description="Hoaks.", subject_staff=world.budi)

    response = humas.get(url(world, "queue"), {"occurred_from": "kemarin", "category": "politics", "q": "orang luar"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sebagian saringan tidak dapat dibaca" in body and "kemarin" in body  # what was typed stays
    assert listed(response) == {politics.pk}

    reversed_range = humas.get(url(world, "queue"), {"occurred_from": "2025-05-10", "occurred_to": "2025-05-01"})
    assert "Akhir rentang tanggal tidak boleh sebelum awalnya." in reversed_range.content.decode()
    assert humas.get(url(world, "queue"), {"channel": "abc", "assignee": "999999"}).status_code == 200


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_pagination_keeps_the_filters(world, humas):
    for index in range(27):
        filed(world, description=f"Kabar libur nomor {index}.", subject_name=f"Orang {index}")
    filed(world, description="Lain hal.", subject_name="Lain")
    first = humas.get(url(world, "queue"), {"q": "libur", "state": "submitted"})
    body = first.content.decode()
    assert "27 laporan" in body
    assert "?q=libur&amp;state=submitted&amp;page=2" in body
    second = humas.get(url(world, "queue"), {"q": "libur", "state": "submitted", "page": "2"})
    assert len(listed(second)) == 2
    # The downloads carry the same filters.
    assert f'{url(world, "queue_xlsx")}?q=libur&amp;state=submitted"' in second.content.decode()


# --- the download -----------------------------------------------------------------------------

def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_the_download_holds_the_filtered_queue_and_no_formula(world, humas):
    world.budi.nip = "198501012010011001"
    world.budi.save()
    risky = filed(world, description='=HYPERLINK("http://contoh.test","klik")', subject_staff=world.budi,
                  evidence=[("layar.png", png_bytes())])
    filed(world, description="Kiriman lain.", subject_name="Tidak Termasuk")

    response = humas.get(url(world, "queue_csv"), {"q": "budi"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"].startswith("private, no-store")
    header, *rows = csv_rows(response)
    assert len(rows) == 1 and "NIP" in header and "Pelapor" not in " ".join(header)
    row = dict(zip(header, rows[0], strict=True))
    assert row["Nomor laporan"] == str(risky.pk)
    assert row["Orang yang dilaporkan"] == "Budi Santoso, S.Pd." and row["NIP"] == "198501012010011001"
    assert row["Waktu kejadian"] == "05/05/2025 09:00"  # in the institution's zone
    assert row["Kejadian"].startswith("'=HYPERLINK")  # inert in a spreadsheet
    content = response.content.decode("utf-8-sig")
    assert world.users["pegawai"].email not in content and str(world.users["pegawai"]) not in content
    assert "layar.png" not in content and "png" not in content

    book = openpyxl.load_workbook(io.BytesIO(humas.get(url(world, "queue_xlsx"), {"q": "budi"}).content))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Kejadian") + 1)
    assert cell.data_type == "s" and cell.value == row["Kejadian"]  # text, not a formula: as in the CSV
    assert sheet.max_row == 2
    assert sheet.cell(row=2, column=headers.index("Waktu kejadian") + 1).value == datetime.datetime(2025, 5, 5, 9, 0)


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_the_download_gives_personal_details_only_to_those_who_may_read_them(world):
    world.budi.nip = "198501012010011001"
    world.budi.save()
    filed(world, description="Hoaks.", subject_staff=world.budi)
    # The acting head handles cases but does not read the staff directory: names, no NIP.
    acting = plain_client(world.users["plt"])
    header, *rows = csv_rows(acting.get(url(world, "queue_csv")))
    assert "NIP" not in header and "198501012010011001" not in ";".join(rows[0])
    assert "Budi Santoso, S.Pd." in rows[0]
    assert plain_client(world.users["pegawai"]).get(url(world, "queue_csv")).status_code == 403
    assert plain_client(world.users["operator"]).get(url(world, "queue_xlsx")).status_code == 403


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_the_download_leaves_out_the_cases_about_the_visitor(world):
    humas_staff = world.institution.staff.get(user=world.users["humas"])
    filed(world, description="Tentang humas.", subject_staff=humas_staff)
    about_budi = filed(world, description="Tentang Budi.", subject_staff=world.budi)
    _, *rows = csv_rows(plain_client(world.users["humas"]).get(url(world, "queue_csv")))
    assert [row[0] for row in rows] == [str(about_budi.pk)]


# --- bulk steps -------------------------------------------------------------------------------

def entries(report, action) -> int:
    return AuditEntry.objects.filter(target_type="sanctions.violationreport", target_id=str(report.pk),
                                     action=action).count()


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_bulk_start_review_takes_each_case_alone_and_says_which_were_refused(world, humas):
    first = filed(world, description="Satu.", subject_name="A")
    second = filed(world, description="Dua.", subject_name="B")
    already = filed(world, description="Tiga.", subject_name="C")
    services.report_start_review(actor=world.users["humas"], report=already)

    response = humas.post(url(world, "queue_bulk"), {
        "action": "start_review", "cases": [first.pk, second.pk, already.pk], "query": "state=submitted&q=a"},
        follow=True)
    assert response.redirect_chain[-1][0] == f'{url(world, "queue")}?state=submitted&q=a'
    body = response.content.decode()
    assert f"Telaah laporan #{first.pk}, #{second.pk} dimulai." in body
    assert f"Laporan #{already.pk} dibiarkan seperti semula: Laporan ini sudah melewati tahap telaah awal." in body
    for report in (first, second):
        report.refresh_from_db()
        assert report.state == ReportState.IN_REVIEW and report.assignee == world.users["humas"]
        assert entries(report, "sanctions.report.review_started") == 1  # its own audit entry
    assert entries(already, "sanctions.report.review_started") == 1  # only the earlier one


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_bulk_assign_refuses_the_case_about_the_colleague_and_the_closed_one(world, humas):
    colleague = make_member(world.institution, Role.PUBLIC_RELATIONS, email="humas2.a@contoh.test")
    Membership.objects.filter(user=colleague).update(starts_on=datetime.date(2020, 1, 1))
    about_colleague = filed(world, description="Tentang rekan.", subject_staff=staff_for(colleague, world.institution))
    open_one = filed(world, description="Terbuka.", subject_staff=world.budi)
    closed = confirmed_report(world.institution, humas=world.users["humas"], subject_name="Selesai")

    body = humas.post(url(world, "queue_bulk"), {
        "action": "assign", "assignee": colleague.pk, "cases": [about_colleague.pk, open_one.pk, closed.pk]},
        follow=True).content.decode()
    open_one.refresh_from_db()
    about_colleague.refresh_from_db()
    assert open_one.assignee == colleague and entries(open_one, "sanctions.report.assigned") == 1
    assert about_colleague.assignee is None and entries(about_colleague, "sanctions.report.assigned") == 0
    assert f"Laporan #{about_colleague.pk} dibiarkan seperti semula: Perkara ini menyangkut orang tersebut; tugaskan kepada orang lain." in body
    assert f"Laporan #{closed.pk} dibiarkan seperti semula: Perkara ini sudah ditutup sehingga tidak dapat ditugaskan lagi." in body
    assert f"Laporan #{open_one.pk} ditugaskan kepada {colleague}." in body


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_bulk_refuses_what_is_not_in_the_visitors_queue(world, humas, side_b):
    humas_staff = world.institution.staff.get(user=world.users["humas"])
    own = filed(world, description="Tentang humas.", subject_staff=humas_staff)
    body = humas.post(url(world, "queue_bulk"), {"action": "start_review", "cases": [own.pk, 999999]},
                      follow=True).content.decode()
    own.refresh_from_db()
    assert own.state == ReportState.SUBMITTED
    assert f"Laporan #{own.pk} dibiarkan seperti semula: Laporan ini tidak ada di antrean instansi ini." in body
    assert "Laporan #999999 dibiarkan seperti semula" in body


@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_bulk_without_a_choice_changes_nothing_and_says_what_is_missing(world, humas):
    report = filed(world, description="Satu.", subject_name="A")
    body = humas.post(url(world, "queue_bulk"), {"action": "assign", "cases": [report.pk]},
                      follow=True).content.decode()
    assert "Pilih rekan yang akan ditugasi laporan-laporan ini." in body
    body = humas.post(url(world, "queue_bulk"), {"action": "start_review"}, follow=True).content.decode()
    assert "Pilih setidaknya satu laporan terlebih dahulu." in body
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.assignee is None
    # The head sees the queue but does not triage: no boxes to tick, and the step is refused.
    head = plain_client(world.users["kepala"])
    assert 'name="cases"' not in head.get(url(world, "queue")).content.decode()
    assert 'name="cases"' in humas.get(url(world, "queue")).content.decode()
    assert head.post(url(world, "queue_bulk"), {"action": "start_review", "cases": [report.pk]}).status_code == 403



@time_machine.travel(datetime.datetime(2025, 6, 2, 9, 0, tzinfo=WIB), tick=False)
def test_the_queue_lists_the_work_first(world, humas):
    older_new = filed(world, description="Kabar lama yang belum dibaca.", subject_staff=world.budi)
    decided = filed(world, description="Kabar yang sudah diputus.", subject_name="Orang Luar")
    services.report_assign(actor=world.users["humas"], report=decided, assignee=world.users["humas"])
    services.report_dismiss(actor=world.users["humas"], report=decided, reason="Tidak melanggar.")
    in_review = filed(world, description="Kabar yang sedang ditelaah.", subject_name="Orang Lain")
    services.report_assign(actor=world.users["humas"], report=in_review, assignee=world.users["humas"])
    order = [report.pk for report in humas.get(url(world, "queue")).context["page"].object_list]
    assert order.index(older_new.pk) < order.index(in_review.pk) < order.index(decided.pk)
