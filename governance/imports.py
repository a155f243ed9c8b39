"""Reading a publication-log CSV into rows the import service can save, with every problem found.

Humas keep their posting log in a spreadsheet; Indonesian Excel saves CSV with semicolons and
dates as 23/10/2024, so both separators and the usual Indonesian date styles are accepted. Nothing
is saved here: ``read_publications_csv`` returns the rows and the row errors for the preview, and
``governance.services.publication_import`` saves them all or none.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from . import links, selectors
from .cells import FORMULA_RE
from .models import TZ_ABBREVIATIONS, Channel, ChannelKind, Institution, Publication, User
from .tenancy import institution_scope

MAX_BYTES = 1_000_000
MAX_ROWS = 2000

# Canonical column → accepted spellings (compared in lower case, spaces and dashes as "_").
COLUMNS = {
    "tanggal": ["tanggal", "tgl", "date", "tanggal_unggah", "tanggal_terbit"],
    "jam": ["jam", "pukul", "waktu", "time"],
    "akun": ["akun", "account", "kanal", "nama_akun"],
    "jenis": ["jenis", "platform", "jenis_akun", "kind"],
    "tautan": ["tautan", "link", "url", "tautan_unggahan"],
    "topik": ["topik", "topic", "judul", "materi"],
    "sumber_terverifikasi": ["sumber_terverifikasi", "sumber_diperiksa", "source_verified"],
    "informasi_benar": ["informasi_benar", "benar", "content_true"],
    "tanpa_info_rahasia": ["tanpa_info_rahasia", "tanpa_rahasia", "tidak_ada_info_rahasia", "nothing_confidential"],
    "netral": ["netral", "neutral"],
    "narasi_sesuai_gambar": ["narasi_sesuai_gambar", "keterangan_sesuai_gambar", "sesuai_gambar", "caption_matches"],
    "diperiksa_oleh": ["diperiksa_oleh", "pemeriksa", "reviewed_by"],
}
REQUIRED = ["tanggal", "akun", "topik"]
CHECK_COLUMNS = {
    "sumber_terverifikasi": "source_verified",
    "informasi_benar": "content_true",
    "tanpa_info_rahasia": "nothing_confidential",
    "netral": "neutral",
    "narasi_sesuai_gambar": "caption_matches",
}
SAMPLE_HEADER = ["tanggal", "jam", "akun", "tautan", "topik", *CHECK_COLUMNS, "diperiksa_oleh"]
YES = {"ya", "y", "yes", "1", "true", "benar", "sudah", "v", "✓", "x"}
NO = {"tidak", "t", "no", "n", "0", "false", "salah", "belum", "-", ""}
MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "mar": 3, "maret": 3, "march": 3,
    "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7,
    "agu": 8, "agt": 8, "ags": 8, "agustus": 8, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oktober": 10, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "des": 12, "desember": 12, "dec": 12, "december": 12,
}
ZONES = {abbreviation: zone for zone, abbreviation in TZ_ABBREVIATIONS.items()}
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](.+))?$")
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,]+(.+))?$")
WORDS = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})(?:[ ,]+(.+))?$")
TIME = re.compile(r"^(?:pukul\s+)?(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?\s*(WIB|WITA|WIT)?$", re.I)


@dataclass
class ImportRow:
    line: int
    channel: Channel
    published_at: datetime.datetime
    topic: str
    link: str = ""
    reviewed_by: User | None = None
    checks: dict = field(default_factory=dict)

    @property
    def checks_passed(self) -> int:
        return sum(1 for value in self.checks.values() if value)


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def decode(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError(_("This is an Excel workbook, not a CSV file. In Excel choose File → Save As → "
                                "CSV, then upload that file."), code="excel")
    if b"\x00" in data[:4096]:
        raise ValidationError(_("This file is not a text CSV file. Save the sheet as CSV and upload it again."),
                              code="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").lower())


def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    spelled = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
    positions, problems, unknown = {}, [], []
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if not key:
            continue
        column = spelled.get(key)
        if column is None:
            unknown.append(cell.strip())
        elif column in positions:
            problems.append(_("Column “%(column)s” appears twice.") % {"column": cell.strip()})
        else:
            positions[column] = index
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    missing = [column for column in REQUIRED if column not in positions]
    if missing:
        problems.append(_("Required columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if problems:
        problems.append(_("The first row must hold the column names: %(columns)s (only tanggal, akun and topik are "
                          "required).") % {"columns": ", ".join(SAMPLE_HEADER)})
    return positions, problems


def _parse_time(text: str, institution: Institution) -> tuple[datetime.time, zoneinfo.ZoneInfo]:
    match = TIME.match(text.strip())
    if not match:
        raise ValueError
    hour, minute = int(match.group(1)), int(match.group(2))
    zone = zoneinfo.ZoneInfo(ZONES[match.group(3).upper()]) if match.group(3) else institution.tzinfo
    return datetime.time(hour, minute), zone


def parse_moment(date_text: str, time_text: str, institution: Institution) -> datetime.datetime:
    """A date (and time) as written in Indonesia, read in the institution's zone unless the time says
    WIB/WITA/WIT. Raises ``ValueError`` with an Indonesian message."""
    text = " ".join(date_text.split())
    found = next(((pattern.match(text), order) for pattern, order in ((ISO, "ymd"), (DMY, "dmy"), (WORDS, "dMy"))
                  if pattern.match(text)), None)
    if found is None:
        raise ValueError(_("date “%(value)s” is not a date; write it like 23/10/2024 or 2024-10-23") % {"value": date_text})
    match, order = found
    a, b, c, rest = match.groups()
    try:
        if order == "ymd":
            day = datetime.date(int(a), int(b), int(c))
        elif order == "dmy":
            day = datetime.date(int(c), int(b), int(a))
        else:
            month = MONTHS.get(b.lower())
            if month is None:
                raise ValueError
            day = datetime.date(int(c), month, int(a))
    except ValueError:
        raise ValueError(_("date “%(value)s” does not exist") % {"value": date_text}) from None
    if day.year < 2000:
        raise ValueError(_("year %(year)s is not plausible") % {"year": day.year})
    time_text = (time_text or rest or "").strip()
    moment, zone = datetime.time(0, 0), institution.tzinfo
    if time_text:
        try:
            moment, zone = _parse_time(time_text, institution)
        except ValueError:
            raise ValueError(_("time “%(value)s” is not a time; write it like 09.30 or 14:05") % {"value": time_text}) from None
    return datetime.datetime.combine(day, moment, tzinfo=zone)


def _flag(value: str, column: str) -> bool:
    text = (value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(_("write “ya” or “tidak” in column %(column)s, not “%(value)s”") % {"column": column, "value": value})


KIND_WORDS = {
    **{value: value for value in ChannelKind.values},
    "fb": ChannelKind.FACEBOOK, "halaman facebook": ChannelKind.FACEBOOK, "ig": ChannelKind.INSTAGRAM,
    "twitter": ChannelKind.X, "yt": ChannelKind.YOUTUBE, "situs": ChannelKind.WEBSITE, "situs web": ChannelKind.WEBSITE,
    "web": ChannelKind.WEBSITE,
}
LINK_HOST_KINDS = {host: kind for kind, hosts in links.HOSTS.items() for host in hosts}


class AccountFinder:
    """Finds an official account by its name, its link or its handle."""

    def __init__(self, institution: Institution):
        self.accounts = list(selectors.official_accounts(institution, include_archived=True))

    def find(self, value: str, kind_hint: str = "", post_link: str = "") -> Channel:
        text = value.strip()
        matches = [a for a in self.accounts if a.name.strip().lower() == text.lower()]
        if not matches:
            matches = [a for a in self.accounts if a.link_key and links.link_key(a.kind, text) == a.link_key]
        kind = KIND_WORDS.get(kind_hint.strip().lower()) if kind_hint.strip() else None
        if kind_hint.strip() and kind is None:
            raise ValueError(_("type “%(value)s” is not known; write e.g. facebook, instagram, x, youtube, tiktok or "
                               "website") % {"value": kind_hint})
        if kind is None and post_link and len(matches) > 1:
            host = links._split(post_link)
            kind = LINK_HOST_KINDS.get(host[0]) if host else None
        if kind is not None:
            matches = [a for a in matches if a.kind == kind]
        if not matches:
            raise ValueError(_("account “%(value)s” is not registered as an official account of this institution; "
                               "register it first or write its name as in the register") % {"value": text})
        if len(matches) > 1:
            raise ValueError(_("“%(value)s” matches several accounts; add a column “jenis” (e.g. instagram) or write the "
                               "account's link") % {"value": text})
        return matches[0]


def read_publications_csv(institution: Institution, data: bytes | str) -> ImportPreview:
    """Rows ready to save and the problems of the others, each with its row number (the header is
    row 1, as in a spreadsheet). Raises ``ValidationError`` for a file that cannot be read at all."""
    with institution_scope(institution):
        return _read(institution, data)


def _records(data: bytes | str) -> list[list[str]]:
    """The file's rows, its delimiter guessed from the header; refuses a file too big or empty."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ValidationError(_("The file is larger than 1 MB. Split it into smaller files."), code="too_big")
        text = decode(data)
    else:
        text = data
    if not text.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    first_line = text.lstrip("\ufeff").splitlines()[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


class _RowReader:
    """Reads one data row of a publication log against the institution's register and members."""

    def __init__(self, institution: Institution, positions: dict[str, int], width: int):
        self.institution, self.positions, self.width = institution, positions, width
        self.finder = AccountFinder(institution)
        self.members = {user.email.lower(): user for user in selectors.active_members(institution)}
        self.member_ids = {user.pk for user in self.members.values()}
        self.seen: dict[tuple, int] = {}
        self.logged_links = set(Publication.objects.filter(institution=institution).exclude(link="")
                                .values_list("channel_id", "link"))
        self.url_check = URLValidator(schemes=["http", "https"])

    def cell(self, record, column) -> str:
        index = self.positions.get(column)
        return record[index].strip() if index is not None and index < len(record) else ""

    def _moment(self, record, problems: list):
        try:
            moment = parse_moment(self.cell(record, "tanggal"), self.cell(record, "jam"), self.institution) \
                if self.cell(record, "tanggal") else None
        except ValueError as error:
            problems.append(str(error))
            return None
        if moment is None:
            problems.append(_("the date is empty"))
        return moment

    def _channel(self, record, link: str, problems: list):
        if not self.cell(record, "akun"):
            problems.append(_("the account is empty"))
            return None
        try:
            return self.finder.find(self.cell(record, "akun"), self.cell(record, "jenis"), link)
        except ValueError as error:
            problems.append(str(error))
            return None

    def _text_problems(self, link: str, topic: str) -> list[str]:
        problems = []
        if link:
            try:
                self.url_check(link)
            except ValidationError:
                problems.append(_("link “%(value)s” is not a web address") % {"value": link})
        if not topic:
            problems.append(_("the topic is empty"))
        elif len(topic) > Publication._meta.get_field("topic").max_length:
            problems.append(_("the topic is longer than 200 characters"))
        elif FORMULA_RE.match(topic):
            problems.append(_("the topic starts like a spreadsheet formula (=, +, - or @); formulas are never run "
                              "here, write the topic as plain text"))
        return problems

    def _checks(self, record, problems: list) -> dict:
        checks = {}
        for column, name in CHECK_COLUMNS.items():
            try:
                checks[name] = _flag(self.cell(record, column), column)
            except ValueError as error:
                problems.append(str(error))
        return checks

    def _reviewer(self, record, problems: list):
        reviewer_text = self.cell(record, "diperiksa_oleh").lower()
        if not reviewer_text:
            return None
        reviewer = self.members.get(reviewer_text)
        if reviewer is None:
            problems.append(_("“%(value)s” in diperiksa_oleh is not the e-mail of a member of this institution")
                            % {"value": self.cell(record, "diperiksa_oleh")})
        return reviewer

    def _publication_problems(self, line: int, publication: Publication) -> list[str]:
        from .services import publication_errors

        problems = [message[:1].lower() + message[1:] for messages in publication_errors(
            publication, member_ids=self.member_ids, logged_links=self.logged_links).values() for message in messages]
        if publication.link:
            key = (publication.channel.pk, publication.link)
            if key in self.seen:
                problems.append(_("the same post is already in row %(line)s") % {"line": self.seen[key]})
            self.seen.setdefault(key, line)
        return problems

    def read(self, line: int, record: list[str]) -> tuple[ImportRow | None, list[str]]:
        problems = []
        if len(record) > self.width and any(value.strip() for value in record[self.width:]):
            problems.append(_("it has %(found)s values but the header has %(expected)s columns")
                            % {"found": len(record), "expected": self.width})
        link, topic = self.cell(record, "tautan"), self.cell(record, "topik")
        moment = self._moment(record, problems)
        channel = self._channel(record, link, problems)
        problems += self._text_problems(link, topic)
        checks = self._checks(record, problems)
        reviewer = self._reviewer(record, problems)
        if channel is not None and moment is not None and not problems:
            problems += self._publication_problems(line, Publication(
                institution=self.institution, channel=channel, published_at=moment, link=link, topic=topic,
                reviewed_by=reviewer))
        if problems:
            return None, problems
        return ImportRow(line=line, channel=channel, published_at=moment, topic=topic, link=link,
                         reviewed_by=reviewer, checks=checks), []


def _read(institution: Institution, data: bytes | str) -> ImportPreview:
    records = _records(data)
    preview = ImportPreview()
    positions, problems = _columns(records[0])
    if problems:
        preview.errors = [RowError(1, problem) for problem in problems]
        return preview
    if len(records) - 1 > MAX_ROWS:
        raise ValidationError(_("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS},
                              code="too_many_rows")
    reader = _RowReader(institution, positions, len(records[0]))
    for line, record in enumerate(records[1:], start=2):
        if not any(value.strip() for value in record):
            continue
        row, row_problems = reader.read(line, record)
        if row is None:
            preview.errors.extend(RowError(line, problem) for problem in row_problems)
        else:
            preview.rows.append(row)
    if not preview.rows and not preview.errors:
        preview.errors.append(RowError(2, _("the file has a header but no rows")))
    return preview


def sample_csv(institution: Institution) -> str:
    """A small example file with the columns the import reads."""
    with institution_scope(institution):
        accounts = list(selectors.official_accounts(institution))
    account = accounts[0] if accounts else None
    name = "Instagram Dinas Kominfo"
    if account is not None:
        # The name when it is unique, otherwise the link, so that the example imports as it is.
        same_name = [a for a in accounts if a.name.lower() == account.name.lower()]
        name = account.name if len(same_name) == 1 or not account.link else account.link
    yesterday = institution.local_today() - datetime.timedelta(days=1)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(SAMPLE_HEADER)
    writer.writerow([yesterday.strftime("%d/%m/%Y"), "09.30", name, "", "Pelayanan publik pekan ini",
                     "ya", "ya", "ya", "ya", "ya", ""])
    return out.getvalue()
