"""Reading spreadsheets that people upload: XLSX or CSV, recognised by content, never by name.

Formulas are never evaluated: an XLSX is opened with ``data_only=False`` so that a formula
cell shows up as a formula (and is refused), and CSV text that looks like a formula is refused
too. Every refusal is a :class:`FileRefused` carrying a message for the person who uploaded.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from governance.cells import FORMULA_RE

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
MAX_ROWS = 50_000
HEADER_SEARCH_ROWS = 10


class FileRefused(Exception):
    """The whole file is refused; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """Rows of one sheet as plain values. ``formulas`` holds (row index, column index) of formula cells."""

    kind: str  # "xlsx" or "csv"
    rows: list[list] = field(default_factory=list)
    formulas: set[tuple[int, int]] = field(default_factory=set)


def sniff(data: bytes) -> str:
    """"xlsx" or "csv" from the bytes themselves, or FileRefused."""
    if not data or not data.strip():
        raise FileRefused(_("The file is empty. Choose the spreadsheet with the staff list and upload it again."))
    if data.startswith(OLE2_SIGNATURE):
        if ENCRYPTION_INFO in data[:65536] or ENCRYPTION_INFO in data:
            raise FileRefused(_(
                "The spreadsheet is protected with a password. Open it in Excel, remove the password "
                "(File › Info › Protect Workbook), save it and upload it again."))
        raise FileRefused(_(
            "This is an old Excel 97–2003 file (.xls). Open it in Excel or LibreOffice, save it as "
            ".xlsx or .csv and upload it again."))
    if data.startswith(ZIP_SIGNATURE):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            raise FileRefused(_("The XLSX file is damaged and cannot be read. Save it again from Excel and upload it again.")) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            raise FileRefused(_("This is an OpenDocument spreadsheet (.ods). Save it as .xlsx or .csv and upload it again."))
        raise FileRefused(_("This file is not an XLSX or CSV spreadsheet. Upload the staff list as .xlsx or .csv."))
    if b"\x00" in data[:4096]:
        raise FileRefused(_("This file is not an XLSX or CSV spreadsheet. Upload the staff list as .xlsx or .csv."))
    head = data[:1024].lstrip().lower()
    if head.startswith((b"%pdf", b"<!doctype", b"<html", b"<?xml", b"{", b"\x89png", b"\xff\xd8")):
        raise FileRefused(_("This file is not an XLSX or CSV spreadsheet. Upload the staff list as .xlsx or .csv."))
    return "csv"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused(_("The CSV file uses an unknown character encoding. Save it as “CSV UTF-8” and upload it again."))


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
        # Indonesian Excel writes semicolons; take whichever separator the first line uses most.
        first = sample.splitlines()[0] if sample.splitlines() else ""
        if first.count(";") > first.count(","):
            dialect = type("semicolon", (csv.excel,), {"delimiter": ";"})
    table = Table(kind="csv")
    try:
        for index, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect)):
            if index > MAX_ROWS:
                raise FileRefused(_("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS})
            table.rows.append(row)
            for column, value in enumerate(row):
                if value and FORMULA_RE.match(value):
                    table.formulas.add((index, column))
    except csv.Error:
        raise FileRefused(_("The CSV file is damaged and cannot be read. Save it again and upload it again.")) from None
    return table


def read_xlsx(data: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on damaged files  # noqa: BLE001
        raise FileRefused(_("The XLSX file is damaged and cannot be read. Save it again from Excel and upload it again.")) from None
    table = Table(kind="xlsx")
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise FileRefused(_("The file is empty. Choose the spreadsheet with the staff list and upload it again."))
        # With data_only=False a formula cell's value is its formula text ("=..."), never a result.
        for index, values in enumerate(_sheet_values(book, sheet)):
            if index > MAX_ROWS:
                raise FileRefused(_("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS})
            for column, value in enumerate(values):
                if isinstance(value, str) and FORMULA_RE.match(value):
                    table.formulas.add((index, column))
            table.rows.append(list(values))
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001
        raise FileRefused(_("The XLSX file is damaged and cannot be read. Save it again from Excel and upload it again.")) from None
    finally:
        book.close()
    return table


def _sheet_values(book, sheet):
    """The rows of a read-only sheet as ``sheet.iter_rows(values_only=True)`` gives them, with cells
    that hold inline text (what many personnel systems and openpyxl itself write) read without
    building openpyxl's rich-text objects for each cell, which took most of the time of a large
    import. Every other cell is read by openpyxl itself (``members/tests/test_spreadsheets.py``
    compares both ways)."""
    max_col, max_row = sheet.max_column, sheet.max_row
    if not max_col or not max_row:
        yield from sheet.iter_rows(values_only=True)
        return
    parser_class = _inline_text_parser()
    width = max_col
    counter = number = 1
    with sheet._get_source() as source:
        parser = parser_class(source, sheet._shared_strings, data_only=book.data_only, epoch=book.epoch,
                              date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            if number > max_row:
                break
            for _ in range(counter, number):  # rows the file leaves out
                counter += 1
                yield (None,) * width
            if counter <= number:
                values = [None] * width
                for cell in cells:
                    column = cell["column"]
                    if 1 <= column <= max_col:
                        values[column - 1] = cell["value"]
                counter += 1
                yield tuple(values)
    if max_row < number:  # like openpyxl: empty rows at the end only when the file had more rows
        for _ in range(counter, max_row + 1):
            yield (None,) * width


_PARSER = None


def _inline_text_parser():
    global _PARSER
    if _PARSER is None:
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
        from openpyxl.xml.constants import SHEET_MAIN_NS

        text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"
        plain_tags = {text_tag, run_tag, f"{{{SHEET_MAIN_NS}}}rPh", f"{{{SHEET_MAIN_NS}}}phoneticPr"}

        class InlineTextParser(WorkSheetParser):
            def parse_cell(self, element):
                if element.get("t") != "inlineStr" or (not self.data_only and element.find(FORMULA_TAG) is not None):
                    return super().parse_cell(element)
                child = element.find(INLINE_STRING)
                if child is None or any(part.tag not in plain_tags for part in child) or len(child.findall(text_tag)) > 1:
                    return super().parse_cell(element)
                # What openpyxl's Text(...).content gives: the plain text, then each run's text.
                snippets = [part.text for part in child if part.tag == text_tag and part.text is not None]
                snippets += [run.findtext(text_tag) for run in child.iterfind(run_tag)
                             if run.find(text_tag) is not None and run.findtext(text_tag) is not None]
                coordinate = element.get("r")
                if coordinate:
                    row, column = coordinate_to_tuple(coordinate)
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    row, column = self.row_counter, self.col_counter
                style_id = element.get("s", 0)
                return {"row": row, "column": column, "value": "".join(snippets), "data_type": "s",
                        "style_id": int(style_id) if style_id else style_id}

        _PARSER = InlineTextParser
    return _PARSER


def read_table(data: bytes) -> Table:
    kind = sniff(data)
    table = read_xlsx(data) if kind == "xlsx" else read_csv(data)
    while table.rows and all(_blank(v) for v in table.rows[-1]):
        table.rows.pop()
    if not table.rows:
        raise FileRefused(_("The file is empty. Choose the spreadsheet with the staff list and upload it again."))
    return table


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def header_key(value) -> str:
    """"No. HP", "no hp", " NO_HP " all become "nohp"."""
    return re.sub(r"[^0-9a-z]", "", str(value or "").lower())


def locate_header(table: Table, aliases: dict[str, set[str]], required: list[str]) -> tuple[int, dict[str, int]]:
    """Find the header row (personnel exports often put a title above it) and map fields to columns.

    Returns (header row index, {field: column index}); FileRefused names the missing columns."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[str, int] = {}
        for column, value in enumerate(row):
            key = header_key(value)
            for name, keys in aliases.items():
                if key in keys and name not in mapping:
                    mapping[name] = column
        if best is None or len(mapping) > len(best[1]):
            best = (index, mapping)
        if all(name in mapping for name in required):
            return index, mapping
    return best or (0, {})
