"""The quick way of reading XLSX rows gives exactly what openpyxl's own reading gives."""

import datetime
import io

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from members.spreadsheets import _sheet_values, read_xlsx


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "Jabatan", "Status", "No. HP", "Tanggal"])
    sheet.append(["198005172005032007", "Siti Rahmawati, S.Pd.", "Guru", "PNS", "081234567890",
                  datetime.date(2024, 1, 15)])
    sheet.append([198005172005032007, "  spasi di tepi  ", "", None, 81234567890.0, datetime.datetime(2024, 2, 1, 8, 30)])
    sheet.append(["=SUM(A1:A2)", "=HYPERLINK(\"http://contoh.test\")", True, False, 3.5, "Budi\nSantoso"])
    sheet["B6"] = CellRichText(["Bahri ", TextBlock(InlineFont(b=True), "Aspan"), ", S.Ag."])
    sheet["F9"] = "sel terakhir, setelah baris yang kosong"
    sheet["H3"] = "kolom di luar yang lain"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _both_ways(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = book.worksheets[0]
        theirs = list(sheet.iter_rows(values_only=True))
        ours = list(_sheet_values(book, sheet))
    finally:
        book.close()
    return theirs, ours


def test_rows_read_the_quick_way_equal_openpyxls_rows():
    theirs, ours = _both_ways(_workbook())
    assert ours == theirs
    assert len(ours) == 9 and len(ours[0]) == 8  # the gaps and the far column are kept
    assert ours[5][1] == "Bahri Aspan, S.Ag."
    assert ours[2][1] == "  spasi di tepi  "


def test_formula_cells_are_still_found_and_named():
    table = read_xlsx(_workbook())
    assert (3, 0) in table.formulas and (3, 1) in table.formulas
    assert table.rows[3][0] == "=SUM(A1:A2)"


def test_a_large_generated_sheet_reads_the_same_both_ways():
    book = openpyxl.Workbook()
    sheet = book.active
    for i in range(300):
        sheet.append([f"{i:018d}", f"Pegawai {i}", i * 1.5, None if i % 7 else "=A1", datetime.date(2024, 1, 1 + i % 28)])
    out = io.BytesIO()
    book.save(out)
    theirs, ours = _both_ways(out.getvalue())
    assert ours == theirs and len(ours) == 300
