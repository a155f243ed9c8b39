"""Spreadsheet cells that never run, for every import and export of Santun.

- An import refuses a cell that a spreadsheet would run as a formula (``FORMULA_RE``: =SUM(...),
  +HYPERLINK(...), -cmd|..., @SUM(...)), naming its row and column.
- An export writes text that starts like a formula (=, +, -, @, a tab or a carriage return) with a
  leading apostrophe (``escape_cell``, the OWASP advice against CSV injection), in CSV and XLSX alike,
  so that the same text reads the same in both; in XLSX the cell is also typed as text
  (``xlsx_text``). Santun's own normalised phone numbers (+62 and digits) are left as they are.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

FORMULA_RE = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_(])")
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE_RE = re.compile(r"^\+\d{8,15}$")


def escape_cell(value):
    """``value`` as a cell no spreadsheet runs: text that starts like a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START) and not _PHONE_RE.match(value):
        return "'" + value
    return value


def xlsx_text(cell) -> None:
    """Make an openpyxl cell holding text inert: escaped (``escape_cell``) and typed as text, never
    a formula (openpyxl would store any text starting with "=" as one)."""
    if isinstance(cell.value, str):
        cell.value = escape_cell(cell.value)
        cell.data_type = "s"


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    """A CSV file that Excel opens as it is (UTF-8 with a byte-order mark, ";" between cells), every
    cell escaped (``escape_cell``), times as dd/mm/yyyy HH:MM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([
            "" if value is None else value.strftime("%d/%m/%Y %H:%M") if isinstance(value, datetime.datetime)
            else escape_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
