"""Exports with django-import-export: the staff directory and group memberships as XLSX or CSV.

Column titles are the ones the import accepts, so an export imports back with no changes.
Values keep their native types (dates as dates, counts as numbers); identifiers that look like
numbers (NIP, phone) are text so that Excel does not round them. Every text cell that a
spreadsheet would run as a formula (starting with =, +, -, @) is escaped with a leading
apostrophe, except our own normalised phone numbers (+62 followed by digits only).
"""

from __future__ import annotations

import csv
import datetime
import io

from import_export import fields, resources, widgets

from governance.cells import escape_cell, xlsx_text

from .imports import GROUP_COLUMNS, GROUP_ROLE_EXPORT, STAFF_COLUMNS, STATUS_EXPORT
from .models import GroupMembership, StaffMember


class StaffResource(resources.ModelResource):
    number = fields.Field(column_name="No.")
    nip = fields.Field(attribute="nip", column_name=STAFF_COLUMNS["nip"][0])
    full_name = fields.Field(attribute="full_name", column_name=STAFF_COLUMNS["full_name"][0])
    position = fields.Field(attribute="position", column_name=STAFF_COLUMNS["position"][0])
    unit = fields.Field(attribute="unit", column_name=STAFF_COLUMNS["unit"][0])
    status = fields.Field(column_name=STAFF_COLUMNS["status"][0])
    phone = fields.Field(attribute="phone", column_name=STAFF_COLUMNS["phone"][0])
    email = fields.Field(attribute="email", column_name=STAFF_COLUMNS["email"][0])
    sex = fields.Field(attribute="sex", column_name="Jenis Kelamin")
    birth_date = fields.Field(attribute="birth_date", column_name="Tanggal Lahir", widget=widgets.DateWidget())
    joined_on = fields.Field(attribute="joined_on", column_name="Mulai Bertugas", widget=widgets.DateWidget())
    groups = fields.Field(column_name="Jumlah Grup")

    class Meta:
        model = StaffMember
        fields = ("number", "nip", "full_name", "position", "unit", "status", "phone", "email", "sex", "birth_date",
                  "joined_on", "groups")
        export_order = fields

    def __init__(self, *args, group_counts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._row = 0
        self.group_counts = group_counts or {}

    def dehydrate_number(self, staff):
        self._row += 1
        return self._row

    def dehydrate_status(self, staff):
        return STATUS_EXPORT.get(staff.status, staff.status)

    def dehydrate_groups(self, staff):
        return int(self.group_counts.get(staff.pk, 0))


class GroupMembershipResource(resources.ModelResource):
    group = fields.Field(column_name=GROUP_COLUMNS["group"][0])
    nip = fields.Field(column_name=GROUP_COLUMNS["nip"][0])
    phone = fields.Field(column_name=GROUP_COLUMNS["phone"][0])
    name = fields.Field(column_name=GROUP_COLUMNS["name"][0])
    role = fields.Field(column_name=GROUP_COLUMNS["role"][0])
    since = fields.Field(attribute="since", column_name=GROUP_COLUMNS["since"][0], widget=widgets.DateWidget())
    until = fields.Field(attribute="until", column_name="Sampai", widget=widgets.DateWidget())

    class Meta:
        model = GroupMembership
        fields = ("group", "nip", "phone", "name", "role", "since", "until")
        export_order = fields

    def dehydrate_group(self, membership):
        return membership.channel.name

    def dehydrate_nip(self, membership):
        return membership.staff.nip

    def dehydrate_phone(self, membership):
        return membership.staff.phone

    def dehydrate_name(self, membership):
        return membership.staff.full_name

    def dehydrate_role(self, membership):
        return GROUP_ROLE_EXPORT.get(membership.role, membership.role)


TEXT_COLUMNS = {"NIP", "No. HP"}


def to_xlsx(dataset, *, title: str) -> bytes:
    """Write a tablib dataset with native types: text stays text, dates are dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    headers = list(dataset.headers)
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in dataset:
        cells = []
        for header, value in zip(headers, row, strict=False):
            if value in (None, ""):
                cells.append(None)
                continue
            if header in TEXT_COLUMNS:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"
                cell.number_format = "@"
            elif isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                xlsx_text(cell)
            else:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(dataset) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(dataset.headers)
    for row in dataset:
        writer.writerow([
            value.isoformat() if isinstance(value, datetime.date) else escape_cell(value) if value is not None else ""
            for value in row
        ])
    # Excel opens UTF-8 CSV correctly only with a byte-order mark.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
