"""Write the demo staff spreadsheet of MTs Negeri 1 Muara Enim, as a personnel system would export it.

    .venv/bin/python members/demo_data/make_spreadsheet.py

The first rows are the people `seed_demo` already put on the staff list (so a newcomer's preview
shows them as unchanged, two of them with a new position), followed by people not yet on it.
Phone numbers are written the way offices type them (0812-…); the import normalises them.
All people are fictional.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

from governance.demo import TREE, demo_email, roles_for  # noqa: E402
from members.demo import ROSTER_INSTITUTION, ROSTER_SIZE, roster, roster_serial  # noqa: E402
from members.imports import STATUS_EXPORT  # noqa: E402

OUTPUT = Path(__file__).with_name("pegawai-mtsn-1-muara-enim.xlsx")
PROMOTED = {5: "Wakil Kepala Bidang Kurikulum", 8: "Koordinator Perpustakaan"}


def local_phone(phone: str) -> str:
    digits = "0" + phone[3:]
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


def main() -> None:
    slugs = [slug for slug, *_ in TREE]
    index = slugs.index(ROSTER_INSTITUTION)
    kind = next(row[3] for row in TREE if row[0] == ROSTER_INSTITUTION)
    roles = roles_for(ROSTER_INSTITUTION)
    people = roster(ROSTER_INSTITUTION, kind, roles, ROSTER_SIZE, roster_serial(index))
    book = Workbook()
    sheet = book.active
    sheet.title = "Pegawai"
    sheet.append(["DAFTAR PEGAWAI MTs NEGERI 1 MUARA ENIM"])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(["No", "NIP", "Nama", "Jabatan", "Status Kepegawaian", "No. HP", "Email"])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for number, person in enumerate(people, start=1):
        email = demo_email(person["role"], ROSTER_INSTITUTION) if person["role"] else ""
        row = [number, person["nip"], person["full_name"], PROMOTED.get(number, person["position"]),
               STATUS_EXPORT[person["status"]], local_phone(person["phone"]), email]
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=2).number_format = "@"
    for column, width in zip("ABCDEFG", (5, 22, 38, 34, 20, 16, 40), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)} with {len(people)} people")


if __name__ == "__main__":
    main()
