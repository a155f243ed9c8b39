"""The spreadsheet import engine: a file becomes a *plan* (every row new, changed, unchanged or
refused, with the reason), and only a plan without a single refused row is applied — in one
transaction, with bulk writes, so 10,000 rows take seconds.

The plan is computed again at confirmation, inside the writing transaction, so a staff list
changed by someone else between preview and confirm can never be half-imported.
Writes happen in ``members.services`` (``import_job_apply``); this module only reads and plans.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from governance.models import Channel, Institution

from .models import GroupMembership, StaffMember
from .spreadsheets import FileRefused, Table, header_key, locate_header
from .validators import normalize_phone, parse_nip

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
PROGRESS_EVERY = 500


def _keys(*names: str) -> set[str]:
    return {header_key(n) for n in names}


# Field → (column title as exported, header spellings accepted on import).
STAFF_COLUMNS: dict[str, tuple[str, set[str]]] = {
    "nip": ("NIP", _keys("NIP", "NIP Baru", "NIP/NI PPPK", "NI PPPK", "NIP PPPK")),
    "full_name": ("Nama", _keys("Nama", "Nama Lengkap", "Nama Pegawai", "Nama dan Gelar", "Nama Lengkap dan Gelar", "Nama (dengan gelar)")),
    "position": ("Jabatan", _keys("Jabatan", "Nama Jabatan", "Jabatan Terakhir")),
    "status": ("Status Kepegawaian", _keys("Status Kepegawaian", "Status Pegawai", "Status", "Jenis Pegawai", "Kedudukan")),
    "phone": ("No. HP", _keys("No. HP", "No HP", "Nomor HP", "HP", "No. HP/WA", "No. WA", "Nomor WA", "WhatsApp", "No. WhatsApp", "Nomor WhatsApp", "No. Telepon", "Telepon", "No. Handphone")),
    "email": ("Email", _keys("Email", "E-mail", "Alamat Email", "Surel")),
    "unit": ("Unit", _keys("Unit", "Unit Kerja", "Bagian", "Satuan Kerja")),
}
STAFF_REQUIRED = ["nip", "full_name", "status"]
STAFF_COMPARED = ["full_name", "position", "status", "phone", "email", "unit"]

GROUP_COLUMNS: dict[str, tuple[str, set[str]]] = {
    "group": ("Grup", _keys("Grup", "Nama Grup", "Grup WA", "Group", "Kanal", "Saluran")),
    "nip": ("NIP", _keys("NIP", "NIP Baru", "NI PPPK")),
    "phone": ("No. HP", STAFF_COLUMNS["phone"][1]),
    "role": ("Peran", _keys("Peran", "Peran di Grup", "Peran dalam Grup", "Role", "Sebagai")),
    "since": ("Sejak", _keys("Sejak", "Tanggal Masuk", "Tanggal Bergabung", "Mulai", "Bergabung")),
    "name": ("Nama", _keys("Nama", "Nama Pegawai")),
}
GROUP_REQUIRED = ["group"]

STATUS_WORDS = {
    StaffMember.Status.PNS: _keys("PNS", "Pegawai Negeri Sipil", "ASN PNS"),
    StaffMember.Status.CPNS: _keys("CPNS", "Calon PNS", "Calon Pegawai Negeri Sipil"),
    StaffMember.Status.PPPK: _keys("PPPK", "P3K", "ASN PPPK", "Pegawai Pemerintah dengan Perjanjian Kerja"),
    StaffMember.Status.HONORER: _keys("Honorer", "Honor", "Tenaga Honorer", "Non ASN", "Non-ASN", "GTT", "PTT", "Kontrak", "Tenaga Kontrak"),
}
STATUS_BY_KEY = {key: status for status, keys in STATUS_WORDS.items() for key in keys}
STATUS_EXPORT = {StaffMember.Status.PNS: "PNS", StaffMember.Status.CPNS: "CPNS",
                 StaffMember.Status.PPPK: "PPPK", StaffMember.Status.HONORER: "Honorer"}
GROUP_ROLE_BY_KEY = {
    **{key: GroupMembership.Role.MEMBER for key in _keys("Anggota", "Member", "Peserta")},
    **{key: GroupMembership.Role.ADMIN for key in _keys("Admin", "Administrator", "Pengelola", "Admin Grup")},
}
GROUP_ROLE_EXPORT = {GroupMembership.Role.MEMBER: "Anggota", GroupMembership.Role.ADMIN: "Admin"}


@dataclass
class RowPlan:
    number: int  # as the spreadsheet shows it (header is row 1 when it is the first row)
    status: str = NEW
    label: str = ""
    details: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    target: object = None  # the existing record it updates, if any

    def refuse(self, column: str, message: str) -> None:
        self.status = ERROR
        self.details.append(_("column %(column)s: %(message)s") % {"column": column, "message": message})

    def as_preview(self) -> list:
        return [self.number, self.status, self.label, self.details]


@dataclass
class Plan:
    kind: str
    rows: list[RowPlan] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, CHANGED: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        counts["rows"] = len(self.rows)
        return counts

    @property
    def ok(self) -> bool:
        return all(row.status != ERROR for row in self.rows)

    def errors(self) -> list[str]:
        return [
            _("Row %(row)d, %(detail)s") % {"row": row.number, "detail": detail}
            for row in self.rows if row.status == ERROR for detail in row.details
        ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _mapping(table: Table, columns: dict, required: list[str]) -> tuple[int, dict[str, int]]:
    header_row, mapping = locate_header(table, {k: v[1] for k, v in columns.items()}, required)
    missing = [columns[name][0] for name in required if name not in mapping]
    if missing:
        raise FileRefused(
            _("Required column missing: %(columns)s. The first row must hold the column titles, e.g. %(example)s.")
            % {"columns": ", ".join(missing), "example": ", ".join(columns[n][0] for n in columns)})
    return header_row, mapping


def _data_rows(table: Table, header_row: int):
    for index in range(header_row + 1, len(table.rows)):
        row = table.rows[index]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        yield index, row


def _cell(row: list, mapping: dict, name: str):
    column = mapping.get(name)
    if column is None or column >= len(row):
        return None
    return row[column]


def _nip_value(raw) -> tuple[str, str | None]:
    """(digits, error) from a NIP cell; numbers that Excel rounded are explained."""
    if raw is None:
        return "", None
    if isinstance(raw, float):
        if raw.is_integer() and len(str(int(raw))) <= 15:
            raw = int(raw)
        else:
            return "", _("the NIP was stored as a number and Excel rounded its last digits. Format the column as Text and type the NIP again.")
    text = str(raw).strip().lstrip("'")
    digits = "".join(text.split())
    if not digits:
        return "", None
    if isinstance(raw, int) and len(digits) > 15 and digits.endswith("000"):
        return "", _("the NIP was stored as a number and Excel rounded its last digits. Format the column as Text and type the NIP again.")
    try:
        parse_nip(digits)
    except ValidationError as error:
        return "", error.messages[0]
    return digits, None


def _phone_value(raw) -> tuple[str, str | None]:
    text = _text(raw).lstrip("'")
    if not text:
        return "", None
    try:
        return normalize_phone(text), None
    except ValidationError:
        return "", _("%(value)s is not a valid Indonesian mobile number (write it as 0812… or +62812…).") % {"value": text}


def _date_value(raw) -> tuple[datetime.date | None, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, datetime.datetime):
        return raw.date(), None
    if isinstance(raw, datetime.date):
        return raw, None
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, _("%(value)s is not a date; write it as 31/12/2024 or 2024-12-31.") % {"value": text}


def _check_formulas(plan_row: RowPlan, table: Table, index: int, row: list, mapping: dict, columns: dict) -> list:
    """Refuse formula cells and return the row with them blanked, so each gets one clear message."""
    if not table.formulas:
        return row
    row = list(row)
    for name, column in mapping.items():
        if (index, column) in table.formulas:
            plan_row.refuse(columns[name][0], _("the cell holds a formula. Formulas are never run here; type the value itself."))
            if column < len(row):
                row[column] = None
    return row


def check_file(table: Table, kind: str) -> None:
    """Refuse at once, before anything is stored, a file that could never be imported: the required
    columns are missing, there are no data rows, or a cell that would be imported holds a formula.
    Problems of single rows are left to the preview."""
    if kind == "groups":
        header_row, mapping = _mapping(table, GROUP_COLUMNS, GROUP_REQUIRED)
        if "nip" not in mapping and "phone" not in mapping:
            raise FileRefused(_("Required column missing: NIP or No. HP. Each row needs the person's NIP or phone number."))
    else:
        header_row, mapping = _mapping(table, STAFF_COLUMNS, STAFF_REQUIRED)
    if not any(True for _row in _data_rows(table, header_row)):
        raise FileRefused(_("The file has column titles but no rows of data."))
    columns = set(mapping.values())
    formulas = sorted(index for index, column in table.formulas if index > header_row and column in columns)
    if formulas:
        raise FileRefused(_("Row %(row)d holds a formula. Formulas are never run here; type the values themselves "
                            "and upload the file again.") % {"row": formulas[0] + 1})


STAFF_TITLE = {name: STAFF_COLUMNS[name][0] for name in STAFF_COLUMNS}


def _staff_cells(line: RowPlan, row: list, mapping: dict[str, int]) -> dict:
    """Read and check one row's cells; every problem is written on ``line``."""
    title, values = STAFF_TITLE, {}
    name = _text(_cell(row, mapping, "full_name"))
    line.label = name
    if not name and line.status != ERROR:
        line.refuse(title["full_name"], _("the name is empty."))
    elif len(name) > 200:
        line.refuse(title["full_name"], _("the name is longer than 200 characters."))
    values["full_name"] = name

    nip, problem = _nip_value(_cell(row, mapping, "nip"))
    if problem:
        line.refuse(title["nip"], problem)
    values["nip"] = nip

    raw_status = _text(_cell(row, mapping, "status"))
    status = STATUS_BY_KEY.get(header_key(raw_status))
    if status is None and (raw_status or line.status != ERROR):
        line.refuse(title["status"], _("“%(value)s” is not an employment status; use PNS, CPNS, PPPK or Honorer.")
                    % {"value": raw_status} if raw_status else _("the employment status is empty; use PNS, CPNS, PPPK or Honorer."))
    values["status"] = status

    if "phone" in mapping:
        phone, problem = _phone_value(_cell(row, mapping, "phone"))
        if problem:
            line.refuse(title["phone"], problem)
        values["phone"] = phone
    if "email" in mapping:
        values["email"] = _email_cell(line, row, mapping)
    for name_field in ("position", "unit"):
        if name_field in mapping:
            text = _text(_cell(row, mapping, name_field))
            if len(text) > 200:
                line.refuse(title[name_field], _("the text is longer than 200 characters."))
            values[name_field] = text

    if not nip and not values.get("phone") and not line.status == ERROR:
        line.refuse(title["nip"], _("the row has neither a NIP nor a phone number; one of them is needed to recognise the person next time."))
    return values


def _email_cell(line: RowPlan, row: list, mapping: dict[str, int]) -> str:
    email = _text(_cell(row, mapping, "email")).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            line.refuse(STAFF_TITLE["email"], _("%(value)s is not an e-mail address.") % {"value": email})
    return email


class _StaffMatcher:
    """Finds the current staff member a row updates (by NIP, else by phone) and refuses a row that
    repeats an earlier row's NIP, phone or person."""

    def __init__(self, current: list[StaffMember]):
        self.by_nip = {s.nip: s for s in current if s.nip}
        self.by_phone = {s.phone: s for s in current if s.phone}
        self.seen_nip: dict[str, int] = {}
        self.seen_phone: dict[str, int] = {}
        self.seen_target: dict[int, int] = {}

    def _once(self, line: RowPlan, seen: dict, key, column: str, message: str) -> None:
        if key in seen:
            line.refuse(column, message % {"row": seen[key]})
        else:
            seen[key] = line.number

    def match(self, line: RowPlan) -> StaffMember | None:
        title, nip, phone = STAFF_TITLE, line.values["nip"], line.values.get("phone")
        if nip:
            self._once(line, self.seen_nip, nip, title["nip"], _("the same NIP is already in row %(row)d of this file."))
        if phone:
            self._once(line, self.seen_phone, phone, title["phone"],
                       _("the same phone number is already in row %(row)d of this file."))
        target = self.by_nip.get(nip) if nip else None
        if target is None and phone:
            candidate = self.by_phone.get(phone)
            if candidate is not None and (not nip or not candidate.nip):
                target = candidate
        if target is None:
            if phone and phone in self.by_phone:
                line.refuse(title["phone"], _("this number belongs to another person on the staff list (with a different NIP)."))
            return None
        if target.pk in self.seen_target:
            line.refuse(title["nip"], _("this person is already matched by row %(row)d of this file.") % {"row": self.seen_target[target.pk]})
        self.seen_target.setdefault(target.pk, line.number)
        if phone and phone in self.by_phone and self.by_phone[phone].pk != target.pk:
            line.refuse(title["phone"], _("this number belongs to another person on the staff list."))
        return target


def _staff_row_changes(line: RowPlan, present: list[str]) -> list[str]:
    """What importing the row would change on the record it matched, one line per column."""
    title, target, changes = STAFF_TITLE, line.target, []
    if line.values.get("nip") and not target.nip:
        changes.append(_("%(column)s: added") % {"column": title["nip"]})
    for name_field in present:
        new = line.values.get(name_field)
        if name_field in ("phone", "email", "position", "unit") and not new:
            continue  # an empty cell never erases what the directory already knows
        if new != getattr(target, name_field):
            old = getattr(target, name_field)
            if name_field == "status":
                old, new = STATUS_EXPORT.get(old, old), STATUS_EXPORT.get(new, new)
            changes.append(_("%(column)s: %(old)s → %(new)s") % {"column": title[name_field], "old": old or "—", "new": new})
    return changes


def plan_staff(table: Table, institution: Institution, *, nips_elsewhere: Callable[[set[str]], set[str]],
               progress: Callable[[int, int], None] | None = None) -> Plan:
    """Match each row to the current staff by NIP, else by phone, and say what would change."""
    header_row, mapping = _mapping(table, STAFF_COLUMNS, STAFF_REQUIRED)
    matcher = _StaffMatcher(list(StaffMember.objects.filter(institution=institution, left_on__isnull=True)))
    plan = Plan(kind="staff")
    rows = list(_data_rows(table, header_row))
    total = len(rows)
    if not total:
        raise FileRefused(_("The file has column titles but no rows of data."))
    present = [name for name in STAFF_COMPARED if name in mapping]

    for done, (index, row) in enumerate(rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        line = RowPlan(number=index + 1)
        row = _check_formulas(line, table, index, row, mapping, STAFF_COLUMNS)
        line.values = _staff_cells(line, row, mapping)
        line.target = matcher.match(line)
        plan.rows.append(line)

    # NIPs of people who are current staff somewhere else: one query per 500, no names revealed.
    new_nips = {row.values["nip"] for row in plan.rows if row.values.get("nip") and row.target is None}
    elsewhere = nips_elsewhere(new_nips) if new_nips else set()
    for line in plan.rows:
        nip = line.values.get("nip")
        if nip and line.target is None and nip in elsewhere:
            line.refuse(STAFF_TITLE["nip"], _("this NIP belongs to a current staff member of another institution. Their "
                                              "operator must first record the move or departure there."))
        if line.status == ERROR:
            continue
        if line.target is None:
            line.status = NEW
            continue
        line.details = _staff_row_changes(line, present)
        line.status = CHANGED if line.details else UNCHANGED
    if progress:
        progress(total, total)
    return plan


def staff_changes(line: RowPlan) -> dict:
    """Fields to write for one planned row (empty cells never erase)."""
    values = {k: v for k, v in line.values.items() if v not in ("", None)}
    if line.target is not None and line.target.nip:
        values.pop("nip", None)
    return values


GROUP_TITLE = {name: GROUP_COLUMNS[name][0] for name in GROUP_COLUMNS}


@dataclass
class _GroupLookups:
    """The register and the staff list one groups import is matched against."""

    by_name: dict
    by_link: dict
    staff_by_nip: dict
    staff_by_phone: dict
    open_memberships: dict
    today: datetime.date
    seen: dict = field(default_factory=dict)

    @classmethod
    def of(cls, institution: Institution) -> _GroupLookups:
        channels = list(Channel.objects.filter(institution=institution, is_active=True))
        staff = list(StaffMember.objects.filter(institution=institution, left_on__isnull=True))
        return cls(
            by_name={header_key(c.name): c for c in channels},
            by_link={c.link.strip().lower(): c for c in channels if c.link},
            staff_by_nip={s.nip: s for s in staff if s.nip},
            staff_by_phone={s.phone: s for s in staff if s.phone},
            open_memberships={(m.channel_id, m.staff_id): m for m in GroupMembership.objects.filter(
                channel__institution=institution, until__isnull=True)},
            today=institution.local_today(),
        )


def _group_person(line: RowPlan, row: list, mapping: dict[str, int], lookups: _GroupLookups):
    title = GROUP_TITLE
    nip, problem = _nip_value(_cell(row, mapping, "nip"))
    if problem:
        line.refuse(title["nip"], problem)
    phone, problem = _phone_value(_cell(row, mapping, "phone"))
    if problem:
        line.refuse(title["phone"], problem)
    person = lookups.staff_by_nip.get(nip) if nip else None
    if person is None and phone:
        person = lookups.staff_by_phone.get(phone)
    if person is None and not problem:
        if nip or phone:
            line.refuse(title["nip"] if nip else title["phone"],
                        _("nobody on the current staff list has this NIP or number. Import the staff list first."))
        else:
            line.refuse(title["nip"], _("the row has neither a NIP nor a phone number."))
    return person


def _group_cells(line: RowPlan, row: list, mapping: dict[str, int], lookups: _GroupLookups) -> None:
    """Read and check one row (group, person, role, since); problems are written on ``line``."""
    title = GROUP_TITLE
    group_text = _text(_cell(row, mapping, "group"))
    channel = lookups.by_name.get(header_key(group_text)) or lookups.by_link.get(group_text.lower())
    if not group_text:
        line.refuse(title["group"], _("the group is empty."))
    elif channel is None:
        line.refuse(title["group"], _("there is no active group or account called “%(value)s” in the register.") % {"value": group_text})
    person = _group_person(line, row, mapping, lookups)
    role_text = _text(_cell(row, mapping, "role"))
    role = GROUP_ROLE_BY_KEY.get(header_key(role_text)) if role_text else GroupMembership.Role.MEMBER
    if role is None:
        line.refuse(title["role"], _("“%(value)s” is not a role in a group; use Anggota or Admin.") % {"value": role_text})
    since, problem = _date_value(_cell(row, mapping, "since"))
    if problem:
        line.refuse(title["since"], problem)
    elif since and since > lookups.today:
        line.refuse(title["since"], _("the date lies in the future."))
    line.label = f"{person.full_name if person else _text(_cell(row, mapping, 'name'))} · {group_text}"
    if channel and person:
        key = (channel.pk, person.pk)
        if key in lookups.seen:
            line.refuse(title["group"], _("this person and group are already in row %(row)d of this file.") % {"row": lookups.seen[key]})
        lookups.seen.setdefault(key, line.number)
    line.values = {"channel": channel, "staff": person, "role": role, "since": since}


def _group_row_status(line: RowPlan, lookups: _GroupLookups) -> None:
    values, title = line.values, GROUP_TITLE
    existing = lookups.open_memberships.get((values["channel"].pk, values["staff"].pk))
    line.target = existing
    if existing is None:
        line.status = NEW
        return
    changes = []
    if values["role"] != existing.role:
        changes.append(_("%(column)s: %(old)s → %(new)s") % {
            "column": title["role"], "old": GROUP_ROLE_EXPORT[existing.role], "new": GROUP_ROLE_EXPORT[values["role"]]})
    if values["since"] and values["since"] != existing.since:
        changes.append(_("%(column)s: %(old)s → %(new)s") % {
            "column": title["since"], "old": existing.since.isoformat(), "new": values["since"].isoformat()})
    line.status = CHANGED if changes else UNCHANGED
    line.details = changes


def plan_groups(table: Table, institution: Institution, *, progress: Callable[[int, int], None] | None = None) -> Plan:
    """Match each row to a group (by name or link) and a current staff member (by NIP, else phone)."""
    header_row, mapping = _mapping(table, GROUP_COLUMNS, GROUP_REQUIRED)
    if "nip" not in mapping and "phone" not in mapping:
        raise FileRefused(_("Required column missing: NIP or No. HP. Each row needs the person's NIP or phone number."))
    lookups = _GroupLookups.of(institution)
    plan = Plan(kind="groups")
    rows = list(_data_rows(table, header_row))
    total = len(rows)
    if not total:
        raise FileRefused(_("The file has column titles but no rows of data."))
    for done, (index, row) in enumerate(rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
        line = RowPlan(number=index + 1)
        row = _check_formulas(line, table, index, row, mapping, GROUP_COLUMNS)
        _group_cells(line, row, mapping, lookups)
        if line.status != ERROR:
            _group_row_status(line, lookups)
        plan.rows.append(line)
    if progress:
        progress(total, total)
    return plan
