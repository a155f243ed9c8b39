"""The filtered case queue as CSV or XLSX, made synchronously for the download (a queue is at
most a few thousand rows).

What is in it: the case, where and when, the rules broken, its state and handler, and the
person reported by name — their NIP and number only for visitors who may read the staff
directory. Never the evidence, never who reported it. Every text cell that a spreadsheet would
run as a formula is written as text (``governance.cells``: escaped, in CSV and XLSX alike).
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from governance.cells import xlsx_text
from governance.models import Institution

EXPORT_LIMIT = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def _headers(personal: bool) -> list[str]:
    headers = [_("Report number"), _("Filed"), _("Happened"), _("State"), _("Priority"), _("Categories"),
               _("Rules broken"), _("Where"), _("Person reported")]
    if personal:
        headers += ["NIP", _("Their number")]
    return headers + [_("What happened"), _("Assigned to"), _("Decided")]


def _local(value, institution: Institution):
    # Spreadsheets hold no time zones: the time as the institution's people read it.
    return timezone.localtime(value, institution.tzinfo).replace(tzinfo=None) if value else None


def _row(report, institution: Institution, personal: bool) -> list:
    rules = list(report.rules.all())
    categories = list(dict.fromkeys(rule.get_category_display() for rule in rules))
    row = [report.pk, _local(report.created_at, institution), _local(report.occurred_at, institution),
           report.get_state_display(), _("Yes") if report.priority else _("No"), ", ".join(map(str, categories)),
           ", ".join(rule.number for rule in rules), report.place_display, report.subject_display]
    if personal:
        staff = report.subject_staff
        row += [staff.nip if staff else "", staff.phone if staff else report.subject_phone]
    return row + [report.description, str(report.assignee) if report.assignee_id else "",
                  _local(report.decided_at, institution)]


def queue_rows(reports, institution: Institution, *, personal: bool) -> tuple[list[str], list[list]]:
    return _headers(personal), [_row(report, institution, personal) for report in reports]


def to_xlsx(headers: list[str], rows: list[list], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            if value in (None, ""):
                cells.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                xlsx_text(cell)
            elif isinstance(value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
