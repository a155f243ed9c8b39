"""A streaming, single-pass parser for WhatsApp "Export chat" files.

    with parse(uploaded_file, ZoneInfo("Asia/Makassar")) as result:
        for message in result.messages:      # a generator: keep only what you need
            ...
        result.summary()                     # counts, authors, first/last, once the generator is done

``parse`` reads ahead only as far as it needs to recognise the format (and, when it is given no
``date_order``, to tell day-first from month-first); the file is then read once, line by line, and
each message is yielded as soon as the next header is seen. Errors found late (a file that mixes
formats, text that is not UTF-8, a size limit) are raised by the generator, so a caller that stores
messages must do so inside one transaction and commit only after the generator is exhausted:
nothing is half-imported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import namedtuple
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from .archive import MAX_TEXT_BYTES, ExportText, open_export
from .errors import AmbiguousDateOrder, ChatImportError, EmptyExport, EncodingError, MixedFormats, NotAChatExport
from .formats import (
    DATE_ORDERS,
    DIRECTION_MARKS,
    GENERIC_HEADER,
    DateOrderEvidence,
    FormatSpec,
    spec_from_match,
    split_date,
    ymd,
)

MESSAGE, MEDIA, SYSTEM = "message", "media", "system"

DETECT_BUFFER_LINES = 20_000
"""Lines kept in memory while the date order is undecided; past that the parser scans on without
keeping lines and reads the file a second time (only for files whose dates stay ambiguous that long)."""

MIXED_MIN_LINES = 3
MIXED_SHARE = 5  # a file is "mixed" when lines of another format are at least 1/5 of its headers


class WrongDateOrder(ChatImportError):
    default_message = _(
        "The dates in this file cannot be read in the chosen order (for example %(example)s). "
        "Choose the other date order, or leave the choice to automatic detection."
    )
    default_code = "chat_wrong_date_order"


_MessageFields = namedtuple("_MessageFields", "index sent_at author text kind event attachment edited")


class Message(_MessageFields):
    """One entry of the chat: a message, a media message or a system line (an immutable tuple).

    ``index`` counts every entry from 0 in file order. ``author`` is None for system lines that no
    person sent (joined, encryption notice…); a deleted message keeps its author. ``event`` names the
    kind of system line (``joined``, ``left``, ``added``, ``removed``, ``subject``, ``description``,
    ``icon``, ``created``, ``deleted``, ``encryption``, …). ``text`` of a media message is its caption
    and ``attachment`` the file name when the export names one. ``edited`` is True when WhatsApp marked
    the message as edited (the mark is removed from ``text``).
    """

    __slots__ = ()

    def __new__(cls, index, sent_at, author, text, kind=MESSAGE, event=None, attachment=None, edited=False):
        return _new(cls, (index, sent_at, author, text, kind, event, attachment, edited))

    def as_tuple(self) -> tuple:
        return tuple(self)

    def as_dict(self) -> dict:
        out = self._asdict()
        out["sent_at"] = self.sent_at.isoformat()
        return out

    def __repr__(self):
        return (f"Message({self.index}, {self.sent_at.isoformat()}, {self.author!r}, {self.text[:40]!r}, "
                f"{self.kind}{'/' + self.event if self.event else ''})")


_new = tuple.__new__


# --- what the text after the header says -------------------------------------------------------

_MEDIA_LINES = frozenset({
    "<Media omitted>", "<Media tidak disertakan>", "<Media dihilangkan>",
    "image omitted", "video omitted", "audio omitted", "sticker omitted", "GIF omitted", "document omitted",
    "Contact card omitted", "gambar tidak disertakan", "video tidak disertakan", "audio tidak disertakan",
    "stiker tidak disertakan", "GIF tidak disertakan", "dokumen tidak disertakan", "kartu kontak tidak disertakan",
    "<View once message omitted>", "<Pesan sekali lihat tidak disertakan>",
})
_DELETED_LINES = frozenset({
    "This message was deleted", "This message was deleted.", "You deleted this message",
    "You deleted this message.", "Pesan ini dihapus", "Pesan ini telah dihapus", "Pesan ini dihapus.",
    "Pesan ini telah dihapus.", "Anda menghapus pesan ini", "Anda menghapus pesan ini.",
    "This message was deleted by admin", "Pesan ini dihapus oleh admin",
})
# A message text that is none of these needs no further look: the common case, read inline.
_SPECIAL_LINES = _MEDIA_LINES | _DELETED_LINES
_SPECIAL_MAX = max(map(len, _SPECIAL_LINES))
_SPECIAL_ENDS = frozenset(")>")
_SPECIAL_STARTS = frozenset(DIRECTION_MARKS)
# the first characters of a line that may be a header of another format (``_count_foreign``)
_SUSPICIOUS_START = frozenset("0123456789[" + DIRECTION_MARKS)
_EDITED_SUFFIXES = (" <This message was edited>", "<This message was edited>", " <Pesan ini diedit>",
                    "<Pesan ini diedit>", " <Pesan ini telah diedit>", "<Pesan ini telah diedit>")
_FILE_ATTACHED = re.compile(r"(.+?)[ \u00a0]\((?:file attached|file terlampir)\)")
_IOS_ATTACHED = re.compile(r"<(?:attached|terlampir|lampiran): ([^>]+)>")

_SYSTEM_EVENTS = [
    ("encryption", r"end-to-end|dienkripsi|terenkripsi|now secured|sekarang diamankan"),
    ("created", r"\bcreated (?:the )?group\b|\bcreated this group\b|\bmembuat grup\b"),
    ("subject", r"changed the subject|changed the group name|mengubah subjek|mengubah nama grup"),
    ("description", r"group description|deskripsi grup|\bdeskripsi\b"),
    ("icon", r"group's icon|group icon|ikon grup"),
    ("joined", r"\bjoined\b|\bbergabung\b"),
    ("left", r"\bleft\b|\bkeluar\b"),
    ("removed", r"\bremoved\b|\bmengeluarkan\b|\bdikeluarkan\b"),
    ("added", r"\badded\b|\bmenambahkan\b|\bditambahkan\b"),
    ("number_changed", r"changed (?:their )?phone number|changed to \+|mengganti nomor|mengubah nomor"),
    ("security_code", r"security code|kode keamanan"),
    ("admin", r"\badmin\b"),
    ("call", r"\bcall\b|\bpanggilan\b"),
    ("disappearing", r"disappearing messages|pesan sementara"),
    ("settings", r"\bsettings\b|\bsetelan\b|\bpengaturan\b"),
    ("pinned", r"\bpinned\b|\bmenyematkan\b"),
]
_SYSTEM_EVENT_RES = [(event, re.compile(pattern, re.I)) for event, pattern in _SYSTEM_EVENTS]
# A system line whose quoted text contains ": " (and so looks like "author: text" on Android).
_QUOTED_SYSTEM = re.compile(
    r'.+? (?:created group|created the group|changed the subject (?:from .+ )?to|changed the group name (?:from .+ )?to'
    r'|changed the group name to|membuat grup|mengubah subjek (?:dari .+ )?menjadi|mengubah nama grup (?:dari .+ )?menjadi'
    r'|mengubah subjek ke|mengubah nama grup ke) ["\u201c].*["\u201d]$'
)
# iOS puts a direction mark before system lines; these are also recognised without it.
_IOS_SYSTEM_STARTS = ("Messages and calls are end-to-end", "Pesan dan panggilan")


def system_event(text: str) -> str:
    """Name the kind of a system line (``"other"`` when it is none of the known ones)."""
    for event, pattern in _SYSTEM_EVENT_RES:
        if pattern.search(text):
            return event
    return "other"


_AUTHOR_TRASH = str.maketrans("", "", DIRECTION_MARKS)


def clean_author(author: str) -> str:
    """Strip the invisible marks and the "~" WhatsApp puts around names and phone numbers."""
    author = author.translate(_AUTHOR_TRASH).replace("\u202f", " ").replace("\u00a0", " ").replace("\u2011", "-")
    author = author.strip()
    if author.startswith("~"):
        author = author[1:].strip()
    return author


_PHONE = re.compile(r"\+?[\d\s\-\u2011().]{8,}")


def author_phone(author: str | None) -> str | None:
    """The phone number an author is shown as (``+62 812-3456-7890`` → ``+6281234567890``), or None.
    A number written 08… is read as Indonesian."""
    if not author or not _PHONE.fullmatch(author):
        return None
    digits = "".join(ch for ch in author if ch.isdigit())
    if len(digits) < 8:
        return None
    if author.lstrip().startswith("+"):
        return "+" + digits
    if digits.startswith("0"):
        return "+62" + digits[1:]
    if digits.startswith("62"):
        return "+" + digits
    return "+" + digits


# --- the result -----------------------------------------------------------------------------------


class ParseResult:
    """What ``parse`` found. ``messages`` is a generator; the counts are final when it is exhausted."""

    def __init__(self, spec: FormatSpec, detected: bool, export: ExportText):
        self.spec = spec
        self.format = spec.name
        self.date_order = spec.order
        self.date_order_detected = detected
        self.export = export
        self.messages: Iterator[Message] = iter(())
        self.complete = False
        self.count = 0  # messages and media people sent
        self.system_lines = 0
        self.total = 0  # every entry, including system lines
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None
        self.chat_name: str | None = None  # iOS names the chat in its system lines
        self._authors: dict[str, str] = {}
        self._text = None  # (text read ahead, stream) until a reader takes them
        self._tz = None

    @property
    def authors(self) -> list[str]:
        """Everyone who sent something, in order of their first entry."""
        return list(self._authors)

    def summary(self) -> dict:
        if not self.complete:
            raise RuntimeError("summary() is available once all messages were read")
        return {
            "format": self.format,
            "format_details": self.spec.details,
            "date_order": self.date_order,
            "date_order_detected": self.date_order_detected,
            "messages": self.count,
            "system_lines": self.system_lines,
            "authors": self.authors,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }

    def read_all(self) -> list[Message]:
        """Every entry as a list (for small files and tests)."""
        return list(self.messages)

    def close(self):
        close = getattr(self.messages, "close", None)
        if close is not None:
            close()
        self.export.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def parse(source, tz, date_order: str | None = None, *, max_bytes: int = MAX_TEXT_BYTES) -> ParseResult:
    """Recognise the format of an export and return a ``ParseResult`` whose ``messages`` generator
    yields every entry with a timezone-aware ``sent_at`` in ``tz`` (a ``ZoneInfo`` or its name).

    ``source``: a path, bytes, a binary file object (an ``UploadedFile``), a text stream, or an
    ``ExportText`` from ``archive.open_export``. ``date_order``: ``"dmy"`` or ``"mdy"`` to override
    detection; without it a file whose dates never tell raises ``AmbiguousDateOrder``.
    Raises ``ChatImportError`` (a ``ValidationError``) for anything that is not a usable export.
    """
    if isinstance(tz, str):
        tz = ZoneInfo(tz)
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}")
    export = source if isinstance(source, ExportText) else open_export(source, max_bytes=max_bytes)
    try:
        spec, detected, head, rest = _detect(export, date_order)
    except BaseException:
        export.close()
        raise
    result = ParseResult(spec, detected, export)
    if rest is None:
        head, rest = [], export.lines()
    head = "".join(head)
    result.messages = _generate(result, head, rest, tz)
    # for triage.chat.fast, which reads the same text without building every message
    result._text, result._tz = (head, rest), tz
    return result


def detect(source, date_order: str | None = None) -> FormatSpec:
    """Only recognise the format (same errors as ``parse``)."""
    export = source if isinstance(source, ExportText) else open_export(source)
    try:
        return _detect(export, date_order)[0]
    finally:
        export.close()


def _detect(export: ExportText, date_order: str | None):  # noqa: C901 - every header format is tried in one place
    """Read ahead until the format and the date order are known.

    Returns (spec, detected, head, rest): the lines read so far and the iterator to continue from, or
    rest=None when the lines were not kept and the text must be read again from its start."""
    lines = export.lines()
    head: list[str] = []
    spec = None
    exact = None
    evidence = DateOrderEvidence()
    keep = True
    first_date = ""
    try:
        for line in lines:
            if keep:
                head.append(line)
            if spec is None:
                if not line.strip(" \t\r\n" + DIRECTION_MARKS):
                    continue
                m = GENERIC_HEADER.match(line)
                spec = spec_from_match(m) if m else None
                if spec is None:
                    raise NotAChatExport()
                if spec.order == "ymd":
                    break
                exact = spec.header_regex()
                m = exact.match(line)
            else:
                m = exact.match(line)
                if m is None:
                    continue
            a, b, c = split_date(m.group(2), spec)
            if a > 12 and b > 12 or a == 0 or b == 0 or a > 31 or b > 31:
                continue
            first_date = first_date or m.group(2)
            evidence.add(a, b, c, m.group(2))
            if evidence.conclusive:
                break
            if keep and len(head) >= DETECT_BUFFER_LINES:
                keep = False
    except UnicodeDecodeError:
        raise EncodingError() from None
    if spec is None:
        raise EmptyExport()
    if spec.order == "ymd":
        return spec, True, head, lines
    if not first_date:  # headers, but none with a real date
        raise NotAChatExport()
    found = evidence.decide()
    if date_order in ("dmy", "mdy"):
        if evidence.conclusive and found != date_order:
            raise WrongDateOrder(params={"example": evidence.example})
        spec, detected = spec.with_order(date_order), False
    elif found is None:
        raise AmbiguousDateOrder(
            params={"example": evidence.example or first_date},
            candidates=(spec.with_order("dmy"), spec.with_order("mdy")),
        )
    else:
        spec, detected = spec.with_order(found), True
    return spec, detected, head, (lines if keep else None)


READ_CHARS = 1 << 18


def _generate(result: ParseResult, buf: str, stream, tz) -> Iterator[Message]:  # noqa: C901 - the hot loop
    """Scan the text in large blocks for the headers of the file's format; the text between two
    headers belongs to the first. Keeps only the entry being read and the current block."""
    try:
        spec = result.spec
        finditer = re.compile("^" + spec.header_regex().pattern, re.M).finditer
        generic = GENERIC_HEADER.match
        layout_key = spec.layout_key()
        ios = spec.layout == "ios"
        # date string -> aware midnight, time string -> timedelta (False: not a date/time); bounded
        dates: dict[str, dt.datetime | bool] = {}
        times: dict[str, dt.timedelta | bool] = {}
        new_message = _new
        suspicious_start = _SUSPICIOUS_START
        special_lines, special_max, special_ends, special_starts = (_SPECIAL_LINES, _SPECIAL_MAX, _SPECIAL_ENDS,
                                                                    _SPECIAL_STARTS)
        ios_starts = _IOS_SYSTEM_STARTS
        read = stream.read

        index = system_lines = foreign = 0
        plain_authors: dict[str, str] = {}  # author as written -> author, for names that need no cleaning
        first = None
        last_stamp = last_sent = None
        sent = rest = None
        end = 0  # in buf: the end of the first line of the entry being read
        eof = False
        while True:
            chunk = read(READ_CHARS)
            if chunk:
                buf += chunk
                limit = buf.rfind("\n", end) + 1
                if limit <= end:
                    continue
            else:
                eof = True
                limit = len(buf)
            for m in finditer(buf, end, limit):
                stamp, date_s, time_s, text_after = m.groups()
                if stamp != last_stamp:
                    day = dates.get(date_s)
                    if day is None:
                        day = dates[date_s] = _midnight(date_s, spec, tz)
                    delta = times.get(time_s)
                    if delta is None:
                        if len(times) > 200_000:
                            times.clear()
                        delta = spec.time_of_day(time_s)  # timedelta(0) at midnight: compare with None
                        delta = times[time_s] = False if delta is None else delta
                    if day is False or delta is False:  # no date of this format: stays in its message
                        foreign += 1
                        continue
                    last_stamp, last_sent = stamp, day + delta
                if rest is not None:  # the entry before this header is complete
                    start = m.start()
                    i = rest.find(": ")
                    if (start == end + 1 and i > 0 and (text := rest[i + 2:])
                            and text[-1] not in special_ends and text[0] not in special_starts
                            and (len(text) > special_max or text not in special_lines)
                            and not (ios and text.startswith(ios_starts))
                            and (author := plain_authors.get(rest[:i])) is not None):
                        msg = new_message(Message, (index, sent, author, text, MESSAGE, None, None, False))
                    else:
                        body = buf[end + 1:start]
                        if body:
                            foreign += _count_foreign(body, suspicious_start, generic, layout_key)
                        msg = _build(result, ios, index, sent, rest, body)
                        if msg.kind is SYSTEM:
                            system_lines += 1
                        elif i > 0 and msg.author is not None and rest[:i] not in plain_authors:
                            raw = rest[:i]
                            if _plain_author(raw, ios):
                                plain_authors[raw] = msg.author  # next time, the inline path
                    index += 1
                    yield msg
                else:
                    first = last_sent
                sent, rest, end = last_sent, text_after, m.end()
            if eof:
                break
            if rest is None:  # only blank lines so far
                buf, end = buf[limit:], 0
            else:  # keep the entry being read (its first line ends at `end`) and the unfinished line
                buf, end = buf[end:], 0

        if rest is not None:
            body = buf[end + 1:]
            if body:
                foreign += _count_foreign(body, suspicious_start, generic, layout_key)
            msg = _build(result, ios, index, sent, rest, body)
            if msg.kind is SYSTEM:
                system_lines += 1
            index += 1
            yield msg
    except UnicodeDecodeError:
        raise EncodingError() from None
    finally:
        result.export.close()
    if index == 0:  # not one line with a real date and time
        raise NotAChatExport()
    if foreign >= MIXED_MIN_LINES and foreign * MIXED_SHARE >= index:
        raise MixedFormats(params={"count": foreign})
    result.count, result.system_lines, result.total = index - system_lines, system_lines, index
    result.first, result.last = first, sent
    result.complete = True


def _midnight(date: str, spec: FormatSpec, tz) -> dt.datetime | bool:
    parts = ymd(date, spec)
    return dt.datetime(*parts, tzinfo=tz) if parts else False


def _plain_author(raw: str, ios: bool) -> bool:
    """Whether an author as written needs no cleaning (their next message takes the inline path)."""
    return raw.isascii() and raw[0] != "~" and (ios or not ('"' in raw or "\u201c" in raw))


def _count_foreign(body: str, suspicious_start, generic, layout_key) -> int:
    """Lines of a message body that are complete headers of another format."""
    n = 0
    for line in body.split("\n"):
        if line[:1] in suspicious_start and (gm := generic(line)) is not None:
            other = spec_from_match(gm)
            if other is not None and other.layout_key() != layout_key:
                n += 1
    return n


def _build(result: ParseResult, ios: bool, index: int, sent, rest: str, body: str) -> Message:  # noqa: C901 - runs once per message: no calls it can avoid
    """The entry for one header line and the lines that followed it (every case but the plainest)."""
    marks = DIRECTION_MARKS
    author = None
    kind = MESSAGE
    event = attachment = None
    edited = False
    i = rest.find(": ")
    if i < 0:
        text = rest.lstrip(marks)
        kind, event = SYSTEM, system_event(text)
    else:
        author = rest[:i]
        text = rest[i + 2:]
        if not ios and ('"' in author or "\u201c" in author) and _QUOTED_SYSTEM.match(rest):
            author, text = None, rest
            kind, event = SYSTEM, system_event(rest)
    caption = body.rstrip("\n") or None
    if kind is MESSAGE:
        marked = text[:1] in marks
        if marked:
            text = text.lstrip(marks)
        if text in _MEDIA_LINES:
            kind, text = MEDIA, caption or ""
        elif text in _DELETED_LINES:
            kind, event = SYSTEM, "deleted"
        elif text[-1:] == ")" and (fm := _FILE_ATTACHED.fullmatch(text)) is not None:
            kind, attachment, text = MEDIA, fm.group(1).strip(marks), caption or ""
        elif ios and (im := _IOS_ATTACHED.search(text)) is not None:
            kind, attachment, text = MEDIA, im.group(1), caption or ""
        elif ios and (marked or text.startswith(_IOS_SYSTEM_STARTS)) and (ev := system_event(text)) != "other":
            result.chat_name = clean_author(author)
            author, kind, event = None, SYSTEM, ev
        elif caption is not None:
            text = text + "\n" + caption
    elif caption is not None:
        text = text + "\n" + caption
    if text.endswith(_EDITED_SUFFIXES):
        edited = True
        for suffix in _EDITED_SUFFIXES:
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                break
    if author is not None:
        if not author.isascii() or author[:1] == "~":
            author = clean_author(author)
        author = result._authors.setdefault(author, author)
    return Message(index, sent, author, text, kind, event, attachment, edited)
