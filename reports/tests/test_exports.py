"""XLSX and PDF exports, and the province-wide export task: progress, failure, retry without
duplicates, reuse of a fresh file."""

import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from governance.models import AuditEntry, Notification
from reports import exports, services
from reports.models import AssessmentPeriod, Entry, Export
from reports.selectors import criteria_for
from reports.tests.factories import make_period, small_rubric

State = AssessmentPeriod.State


@pytest.fixture
def finalized(world, unscoped):
    rubric = small_rubric(world.sumsel)
    make_period(world.sumsel, year=2023, semester=2, rubric=rubric, state=State.FINALIZED, scorer=world.penilai,
                score=lambda e, c: 2)
    scores = {"mts-satu": 4, "mts-dua": 3, "man-lahat": 2, "kankemenag-me": 1}
    period = make_period(world.sumsel, year=2024, semester=1, rubric=rubric, state=State.SCORING, scorer=world.penilai,
                         score=lambda e, c: scores[e.institution.slug])
    # A second assessor disagrees on MTs Dua's K1.
    entry = Entry.objects.get(period=period, institution=world.madrasahs[1])
    k1, k2 = criteria_for(period)
    services.scores_record(actor=world.penilai2, entry=entry, values={k1.pk: (1, ""), k2.pk: (3, "")})
    services.period_finalize(actor=world.penilai, period=period)
    return AssessmentPeriod.objects.get(pk=period.pk)


def test_the_period_workbook_has_one_sheet_per_view_with_native_numbers(world, finalized):
    book = load_workbook(io.BytesIO(exports.period_workbook(finalized)))
    assert book.sheetnames == ["Peringkat", "Kriteria", "Indikator", "Rumus indikator", "Sebaran predikat", "Tren",
                               "Selisih penilai", "Rubrik"]
    ranking = list(book["Peringkat"].iter_rows(values_only=True))
    assert ranking[0][:7] == ("Peringkat", "Instansi", "Jenis", "Provinsi", "Kabupaten/kota", "Total", "Predikat")
    assert ranking[1][:2] == (1, "MTs Satu") and ranking[1][5] == 100.0 and ranking[1][6] == "Informatif"
    assert ranking[1][7] == 50.0 and ranking[1][8] == 50.0  # previous semester and change, as numbers
    assert all(isinstance(row[5], int | float) for row in ranking[1:])  # numbers, not text
    assert book["Peringkat"]["F2"].number_format == "0.00"
    criteria = list(book["Kriteria"].iter_rows(values_only=True))
    assert criteria[0] == ("Instansi", "K1 (40)", "K2 (60)", "Total")
    assert ("MTs Dua", 2.0, 3.0, 65.0) in criteria  # K1 = (3 + 1) / 2
    assert list(book["Selisih penilai"].iter_rows(values_only=True))[1] == ("MTs Dua", "K1", 1, 3, 2)
    bands = list(book["Sebaran predikat"].iter_rows(values_only=True))
    assert bands[1] == ("Informatif", 90.0, 1)
    assert [row[0] for row in book["Tren"].iter_rows(min_row=2, values_only=True)] == ["Semester II 2023", "Semester I 2024"]


def test_text_typed_by_people_never_becomes_a_formula_in_the_workbook(world, finalized):
    from reports.models import Criterion

    Criterion.objects.filter(rubric__periods=finalized, code="K1").update(title='=HYPERLINK("http://evil.test","K1")')
    book = load_workbook(io.BytesIO(exports.period_workbook(finalized)))
    cells = [cell for row in book["Rubrik"].iter_rows() for cell in row if "HYPERLINK" in str(cell.value)]
    assert cells and all(cell.data_type == "s" and cell.value.startswith("'=") for cell in cells)


def test_a_filtered_workbook_holds_only_the_chosen_institutions(world, finalized):
    book = load_workbook(io.BytesIO(exports.period_workbook(finalized, {"region": "16.04"})))
    names = [row[1] for row in book["Peringkat"].iter_rows(min_row=2, values_only=True)]
    assert names == ["MAN Lahat"]


def test_the_report_card_workbook(world, finalized):
    entry = Entry.objects.get(period=finalized, institution=world.madrasahs[1])
    book = load_workbook(io.BytesIO(exports.card_workbook(entry, world.madrasahs[1])))
    assert book.sheetnames == ["Ringkasan", "Kriteria", "Indikator", "Tren"]
    summary = dict(book["Ringkasan"].iter_rows(min_row=2, values_only=True))
    assert summary["Instansi"] == "MTs Dua" and summary["Total"] == 65.0 and summary["Predikat"] == "Cukup Informatif"
    criteria = list(book["Kriteria"].iter_rows(min_row=2, values_only=True))
    assert criteria[0][:6] == ("K1", "Kriteria 1", 40.0, 2.0, 4, 20.0)


def test_pdf_reports_are_generated(world, finalized, as_user):
    assert exports.period_pdf(finalized).startswith(b"%PDF-")
    entry = Entry.objects.get(period=finalized, institution=world.madrasahs[0])
    response = as_user(world.humas["mts-satu"]).get(
        reverse("reports:card_pdf", kwargs={"institution": "mts-satu", "pk": entry.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and 'filename="rapor-humas-mts-satu-2024-I-r1.pdf"' in response[
        "Content-Disposition"]


def _request(period, user, fmt="xlsx", **params):
    return services.export_request(actor=user, period=period, fmt=fmt, params=params)


def test_a_province_export_runs_as_a_task_and_its_file_can_be_downloaded(world, finalized, as_user,
                                                                         django_capture_on_commit_callbacks):
    client = as_user(world.penilai)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_request", kwargs={"institution": "kanwil-sumsel",
                                                                         "pk": finalized.pk}), {"format": "xlsx"})
    export = Export.objects.get()
    assert response["Location"].endswith(f"/ekspor/{export.pk}/")
    assert (export.state, export.progress, export.stamp) == (Export.State.DONE, 100, finalized.results_stamp)
    page = client.get(response["Location"]).content.decode()
    assert "Unduh penilaian-humas-2024-I-r1.xlsx" in page and "hx-trigger" not in page
    download = client.get(reverse("reports:export_download", kwargs={"institution": "kanwil-sumsel", "pk": finalized.pk,
                                                                     "export": export.pk}))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["Peringkat"]["B2"].value == "MTs Satu"


def test_a_running_export_is_polled_with_a_progress_bar(world, finalized, as_user):
    export = _request(finalized, world.penilai)  # on_commit never runs here: the task waits
    Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, progress=40)
    address = reverse("reports:export_status", kwargs={"institution": "kanwil-sumsel", "pk": finalized.pk,
                                                      "export": export.pk})
    partial = as_user(world.penilai).get(address, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in partial and 'value="40"' in partial and "<html" not in partial


def test_a_failed_export_is_retried_on_the_same_record_without_duplicates(world, finalized,
                                                                          django_capture_on_commit_callbacks):
    real = exports.build_period_export
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk full")
        return real(*args, **kwargs)

    with mock.patch.object(exports, "build_period_export", side_effect=flaky):
        with django_capture_on_commit_callbacks(execute=True):
            export = _request(finalized, world.penilai, "pdf")
        export.refresh_from_db()
        assert (export.state, export.error) == (Export.State.FAILED, "OSError")
        with django_capture_on_commit_callbacks(execute=True):
            services.export_retry(actor=world.penilai, export=export)
    export.refresh_from_db()
    assert (export.state, export.attempts, Export.objects.count()) == (Export.State.DONE, 2, 1)
    assert export.file.read().startswith(b"%PDF-")
    folder = export.file.storage.path(f"reports/exports/{world.sumsel.pk}")
    import os
    assert os.listdir(folder) == [f"{export.pk}.pdf"]
    actions = list(AuditEntry.objects.filter(target_type="reports.export").values_list("action", flat=True))
    assert actions == ["reports.export.requested", "reports.export.failed", "reports.export.retried",
                       "reports.export.completed"]
    with pytest.raises(Exception, match="gagal"):
        services.export_retry(actor=world.penilai, export=export)


def test_asking_again_reuses_a_fresh_file_and_rebuilds_a_stale_one(world, finalized, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _request(finalized, world.penilai)
    with mock.patch("reports.tasks.build_export.delay_on_commit") as enqueue:
        again = _request(finalized, world.penilai)
        assert again.pk == first.pk and not enqueue.called
        AssessmentPeriod.objects.filter(pk=finalized.pk).update(results_stamp=finalized.results_stamp + 1)
        stale = _request(finalized, world.penilai)
        assert stale.pk == first.pk and enqueue.call_count == 1
    other_filter = _request(finalized, world.penilai, kind="madrasah")
    assert other_filter.pk != first.pk and Export.objects.count() == 2


def test_a_second_delivery_of_the_same_task_does_nothing(world, finalized, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = _request(finalized, world.penilai)
    with mock.patch.object(exports, "build_period_export") as build:
        from reports.tasks import build_export

        build_export.delay(institution_id=world.sumsel.pk, export_id=export.pk)
        assert not build.called
    export.refresh_from_db()
    assert export.state == Export.State.DONE and Decimal(export.progress) == 100


def test_an_indicator_with_translated_units_exports_and_charts(world, finalized, monkeypatch, as_user):
    from django.utils.text import format_lazy

    from reports import indicators

    def lazy(text):  # a lazy string, as a translated unit would be
        return format_lazy("{}", text)

    monkeypatch.setattr(indicators, "REGISTRY", dict(indicators.REGISTRY))
    indicators.register(indicators.Indicator(
        code="median_days", label=lazy("Median"), formula=lazy("Median"), unit=lazy("days"),
        compute=lambda ids, start, end: dict.fromkeys(ids, 4), steps=((Decimal(5), Decimal(1)),), higher_is_better=False))
    AssessmentPeriod.objects.filter(pk=finalized.pk).update(state=State.SCORING)
    services.period_recompute(actor=world.penilai, period=finalized)
    book = load_workbook(io.BytesIO(exports.period_workbook(finalized)))
    units = [row[1] for row in book["Rumus indikator"].iter_rows(min_row=2, values_only=True)]
    assert units[-1] == "days" and "hari kerja" in units  # lazy units are written as text, translated
    response = as_user(world.penilai).get(reverse("reports:results", kwargs={"institution": "kanwil-sumsel",
                                                                            "pk": finalized.pk}))
    assert response.status_code == 200 and '"unit": "days"' in response.content.decode()


def test_a_build_taken_over_by_another_delivery_finishes_only_once(world, finalized):
    """A worker thought dead is still building when the task's next delivery takes the export
    over: the late worker's result is thrown away, so one file, one "completed", one notice."""
    export = _request(finalized, world.penilai)  # on_commit never runs here: no task yet
    real = exports.build_period_export
    late = []

    def slow_first_worker(*args, **kwargs):
        if not late:
            late.append(1)
            taken_over = services.export_run(export_id=export.pk, take_over=True)
            assert taken_over.state == Export.State.DONE
        return real(*args, **kwargs)

    with mock.patch.object(exports, "build_period_export", side_effect=slow_first_worker):
        services.export_run(export_id=export.pk)
    export.refresh_from_db()
    assert (export.state, export.runner) == (Export.State.DONE, "")
    assert load_workbook(io.BytesIO(export.file.read()))["Peringkat"]["B2"].value == "MTs Satu"
    import os
    assert os.listdir(export.file.storage.path(f"reports/exports/{world.sumsel.pk}")) == [f"{export.pk}.xlsx"]
    assert AuditEntry.objects.filter(action="reports.export.completed").count() == 1
    notice = Notification.objects.get(kind="reports.export_ready")
    assert notice.recipient == world.penilai and notice.title == "Ekspor provinsi Anda sudah siap"


def test_a_delivery_leaves_an_export_to_the_worker_still_reporting_progress(world, finalized):
    export = _request(finalized, world.penilai)
    Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, progress=40, runner="another-worker")
    with mock.patch.object(exports, "build_period_export") as build:
        with pytest.raises(services.ExportBusy) as busy:
            services.export_run(export_id=export.pk)
        assert not build.called and 0 < busy.value.retry_in <= 301
    quiet = timezone.now() - datetime.timedelta(minutes=6)  # that worker has gone silent
    Export.objects.filter(pk=export.pk).update(updated_at=quiet)
    assert services.export_run(export_id=export.pk).state == Export.State.DONE
