"""XLSX workbooks (openpyxl, native numbers, one sheet per view) and PDF reports (WeasyPrint) of
a period's results — for the whole period (built by a task) and for one institution (on request)."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from governance.cells import escape_cell, xlsx_text
from governance.models import Institution

from . import indicators, selectors
from .models import AssessmentPeriod, Entry

# WeasyPrint reports every layout step at INFO; a report is one step for us.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_CSS = Path(__file__).resolve().parent / "pdf.css"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="14532D")
NUMBER = "0.00"
BAND_COLOURS = ["#166534", "#15803d", "#ca8a04", "#ea580c", "#b91c1c"]
Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    pass


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: list[int] | None = None):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def _num(value) -> float | None:
    return None if value is None else float(Decimal(value))


def _format(sheet, columns: list[int], number_format: str = NUMBER) -> None:
    for column in columns:
        for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            row[0].number_format = number_format


def _save(workbook: Workbook) -> bytes:
    # Text typed by people (rubric titles, band labels, names) must never become a formula when the
    # file is opened.
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                xlsx_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _kind_label(kind: str) -> str:
    return str(dict(Institution.Kind.choices).get(kind, kind))


def period_workbook(period: AssessmentPeriod, params: dict | None = None, progress: Progress = _no_progress) -> bytes:
    """Sheets: ranking, criteria, indicators, band distribution, trend, disagreements, rubric."""
    params = params or {}
    data = selectors.ranking(period, kind=params.get("kind", ""), region=params.get("region", ""))
    progress(10)
    entries = [row.entry for row in data["rows"]]
    matrix = selectors.results_matrix(period, entries)
    criteria = selectors.criteria_for(period)
    progress(30)

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = _sheet(workbook, _("Ranking"), [
        _("Rank"), _("Institution"), _("Kind"), _("Province"), _("Regency/city"), _("Total"), _("Rating"),
        _("Previous semester"), pgettext("difference from the previous semester", "Change"), _("Complete"),
    ], [8, 50, 28, 10, 12, 10, 22, 12, 10, 10])
    for number, row in enumerate(data["rows"], start=1):
        institution = row.entry.institution
        sheet.append([
            row.rank, institution.name, _kind_label(institution.kind), institution.province_code, institution.regency_code,
            _num(row.entry.total), row.entry.band_label, _num(row.previous_total), _num(row.change),
            _("yes") if row.entry.complete else _("no"),
        ])
        if number % 100 == 0:
            progress(30 + 30 * number // max(1, len(data["rows"])))
    _format(sheet, [6, 8, 9])

    sheet = _sheet(workbook, _("Criteria"), [_("Institution"), *[f"{c.code} ({_num(c.weight):g})" for c in criteria],
                                             _("Total")], [50, *[10] * len(criteria), 10])
    for entry in entries:
        result = matrix[entry.pk]
        sheet.append([entry.institution.name, *[_num(result.criteria[c.pk].score) for c in criteria], _num(result.total)])
    _format(sheet, list(range(2, len(criteria) + 3)))
    progress(70)

    codes = [i["code"] for i in data["indicator_chart"]["indicators"]]
    values = selectors.indicator_values(period)
    sheet = _sheet(workbook, _("Indicators"), [_("Institution"), *[
        f"{indicators.get(code).label} ({indicators.get(code).unit})" for code in codes]], [50, *[24] * len(codes)])
    for entry in entries:
        sheet.append([entry.institution.name, *[_num(values.get(entry.pk, {}).get(code)) for code in codes]])
    _format(sheet, list(range(2, len(codes) + 2)))
    formulas = _sheet(workbook, _("Indicator formulas"), [_("Indicator"), pgettext("measurement", "Unit"), _("Formula"), _("Score mapping")],
                      [40, 8, 80, 50])
    for code in codes:
        indicator = indicators.get(code)
        formulas.append([str(indicator.label), str(indicator.unit), str(indicator.formula), "; ".join(indicator.mapping())])

    sheet = _sheet(workbook, _("Band distribution"), [_("Rating"), _("From total"), _("Institutions")], [28, 12, 12])
    for band, row in zip(data["bands"], data["distribution"], strict=True):
        sheet.append([band.label, _num(band.min_total), row["count"]])
    _format(sheet, [2])

    sheet = _sheet(workbook, _("Trend"), [_("Semester"), _("Average total")], [30, 14])
    for label, average in zip(data["trend"]["labels"], data["trend"]["average"], strict=True):
        sheet.append([label, average])
    _format(sheet, [2])

    sheet = _sheet(workbook, _("Disagreements"), [_("Institution"), _("Criterion"), _("Lowest score"), _("Highest score"),
                                                  _("Difference")], [50, 12, 12, 12, 12])
    for entry in entries:
        for criterion in criteria:
            result = matrix[entry.pk].criteria[criterion.pk]
            if result.disagreement:
                low, high = min(result.assessor_scores.values()), max(result.assessor_scores.values())
                sheet.append([entry.institution.name, criterion.code, low, high, high - low])

    sheet = _sheet(workbook, _("Rubric"), [_("Code"), _("Criterion"), _("Weight"), _("Evidence required"),
                                           _("Automatic indicator")], [8, 60, 10, 12, 40])
    for criterion in criteria:
        indicator = indicators.get(criterion.indicator) if criterion.indicator else None
        sheet.append([criterion.code, criterion.title, _num(criterion.weight), _("yes") if criterion.evidence_required else _("no"),
                      str(indicator.label) if indicator else ""])
    _format(sheet, [3])
    progress(90)
    return _save(workbook)


def card_workbook(entry: Entry, reader: Institution) -> bytes:
    """One institution's report card: summary, criteria, indicators, trend."""
    detail = selectors.entry_detail(entry, reader=reader)
    trend = selectors.institution_trend(entry)
    period, result = entry.period, detail["result"]
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = _sheet(workbook, _("Summary"), [_("Item"), _("Value")], [34, 60])
    rows = [
        (_("Institution"), entry.institution.name), (_("Assessed by"), period.institution.name),
        (_("Period"), period.label), (_("Total"), _num(result.total)), (_("Rating"), result.band_label),
    ]
    if period.publish_ranks and entry.peer_rank:
        rows += [(_("Rank among institutions of the same kind"), entry.peer_rank), (_("Institutions of the same kind"), entry.peer_count)]
    if entry.previous_total is not None:
        rows += [(_("Previous semester"), _num(entry.previous_total)), (pgettext("difference from the previous semester", "Change"), _num(entry.change))]
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        if isinstance(row[0].value, float):
            row[0].number_format = NUMBER

    sheet = _sheet(workbook, _("Criteria"), [_("Code"), _("Criterion"), _("Weight"), _("Score"), _("Highest score"),
                                             _("Points"), _("Source"), _("Assessors' notes")], [8, 50, 10, 10, 10, 10, 16, 60])
    sources = {"assessors": _("assessors"), "indicator": _("indicator"), "": ""}
    for row in detail["criteria"]:
        notes = " | ".join(f"{_('Assessor')} {s.assessor_number}: {s.note}" for s in row.scores if s.note)
        sheet.append([row.criterion.code, row.criterion.title, _num(row.criterion.weight), _num(row.result.score),
                      detail["scale_max"], _num(row.result.points), sources[row.result.source], notes])
    _format(sheet, [3, 4, 6])

    sheet = _sheet(workbook, _("Indicators"), [_("Indicator"), _("Value"), pgettext("measurement", "Unit"), _("Average of all assessed"),
                                               _("Formula")], [40, 10, 8, 14, 80])
    for row in detail["indicator_rows"]:
        sheet.append([str(row["indicator"].label), _num(row["value"]), str(row["indicator"].unit), row["peer_average"],
                      str(row["indicator"].formula)])
    _format(sheet, [2, 4])

    sheet = _sheet(workbook, _("Trend"), [_("Semester"), _("Total"), _("Average of all assessed")], [30, 10, 14])
    for label, own, average in zip(trend["labels"], trend["own"], trend["average"], strict=True):
        sheet.append([label, own, average])
    _format(sheet, [2, 3])
    return _save(workbook)


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "generated_at": timezone.now()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(filename=str(PDF_CSS))])


def _bars(distribution: list[dict], width: int = 320) -> list[dict]:
    """Horizontal bars for a server-side SVG chart of the band distribution."""
    highest = max((row["count"] for row in distribution), default=0) or 1
    return [{**row, "width": round(width * row["count"] / highest), "y": 4 + index * 26,
             "colour": BAND_COLOURS[min(index, len(BAND_COLOURS) - 1)]}
            for index, row in enumerate(distribution)]


def period_pdf(period: AssessmentPeriod, params: dict | None = None, progress: Progress = _no_progress) -> bytes:
    params = params or {}
    data = selectors.ranking(period, kind=params.get("kind", ""), region=params.get("region", ""))
    progress(20)
    entries = [row.entry for row in data["rows"]]
    matrix = selectors.results_matrix(period, entries)
    criteria = selectors.criteria_for(period)
    averages = []
    for criterion in criteria:
        scores = [matrix[e.pk].criteria[criterion.pk].score for e in entries]
        known = [s for s in scores if s is not None]
        averages.append({"criterion": criterion,
                         "average": sum(known, Decimal(0)) / len(known) if known else None})
    progress(40)
    content = _pdf("reports/pdf/period.html", {
        **data, "criteria_averages": averages, "scale_max": period.rubric.scale_max,
        "bars": _bars(data["distribution"]), "chart_height": 8 + 26 * len(data["distribution"]),
        "filters": params, "trend_rows": list(zip(data["trend"]["labels"], data["trend"]["average"], strict=True)),
    })
    progress(95)
    return content


def card_pdf(entry: Entry, reader: Institution) -> bytes:
    detail = selectors.entry_detail(entry, reader=reader)
    trend = selectors.institution_trend(entry)
    return _pdf("reports/pdf/card.html", {
        **detail, "trend_rows": list(zip(trend["labels"], trend["own"], trend["average"], strict=True)),
    })


def build_period_export(period: AssessmentPeriod, fmt: str, params: dict, progress: Progress = _no_progress) -> bytes:
    language = params.get("language") or settings.LANGUAGE_CODE
    filters = {k: v for k, v in params.items() if k in ("kind", "region")}
    with override(language):
        if fmt == "xlsx":
            return period_workbook(period, filters, progress)
        return period_pdf(period, filters, progress)


# --- moderation statistics: every table of the page, as shown to the visitor ----------------------


def statistics_csv(tables) -> bytes:
    """The tables one after another, each with its title and header row (UTF-8 with a BOM, so that
    spreadsheets read the Indonesian labels right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([escape_cell(str(table.title))])
        writer.writerow([escape_cell(str(column)) for column in table.columns])
        for row in table.rows:
            writer.writerow([escape_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def statistics_workbook(tables, *, heading: str) -> bytes:
    """One sheet per table: a heading (who and which dates), the header row and the rows; counts as
    numbers, "< 3" as text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, table in enumerate(tables, start=1):
        title = re.sub(r"[\\/?*\[\]:]", " ", f"{number}. {table.title}")
        sheet = _sheet(workbook, title, [str(column) for column in table.columns],
                       widths=[28] + [14] * (len(table.columns) - 1))
        for row in table.rows:
            sheet.append(list(row))
        sheet.append([])
        sheet.append([heading])
        if table.note:
            sheet.append([str(table.note)])
    return _save(workbook)
