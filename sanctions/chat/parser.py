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
from collections.abc import Iterator
from itertools import chain
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


class Message:
    """One entry of the chat: a message, a media message or a system line.

    ``index`` counts every entry from 0 in file order. ``author`` is None for system lines that no
    person sent (joined, encryption notice…); a deleted message keeps its author. ``event`` names the
    kind of system line (``joined``, ``left``, ``added``, ``removed``, ``subject``, ``description``,
    ``icon``, ``created``, ``deleted``, ``encryption``, …). ``text`` of a media message is its caption.
    """

    __slots__ = ("index", "sent_at", "author", "text", "kind", "event", "attachment", "edited")

    def __init__(self, index, sent_at, author, text, kind=MESSAGE, event=None, attachment=None, edited=False):
        self.index = index
        self.sent_at = sent_at
        self.author = author
        self.text = text
        self.kind = kind
        self.event = event
        self.attachment = attachment
        self.edited = edited

    def as_tuple(self) -> tuple:
        return (self.index, self.sent_at, self.author, self.text, self.kind, self.event, self.attachment,
                self.edited)

    def as_dict(self) -> dict:
        return {
            "index": self.index, "sent_at": self.sent_at.isoformat(), "author": self.author, "text": self.text,
            "kind": self.kind, "event": self.event, "attachment": self.attachment, "edited": self.edited,
        }

    def __eq__(self, other):
        return isinstance(other, Message) and self.as_tuple() == other.as_tuple()

    __hash__ = None

    def __repr__(self):
        return (f"Message({self.index}, {self.sent_at.isoformat()}, {self.author!r}, {self.text[:40]!r}, "
                f"{self.kind}{'/' + self.event if self.event else ''})")


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
        self.messages.close() if hasattr(self.messages, "close") else None
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
    lines = chain(head, rest) if rest is not None else export.lines()
    result.messages = _generate(result, lines, tz)
    return result


def detect(source, date_order: str | None = None) -> FormatSpec:
    """Only recognise the format (same errors as ``parse``)."""
    export = source if isinstance(source, ExportText) else open_export(source)
    try:
        return _detect(export, date_order)[0]
    finally:
        export.close()


def _detect(export: ExportText, date_order: str | None):
    """Read ahead until the format and the date order are known.

    Returns (spec, detected, head, rest): the lines read so far and the iterator to continue from, or
    rest=None when the lines were not kept and the text must be read again from its start."""
    lines = export.lines()
    head: list[str] = []
    spec = None
    exact = None
    evidence = DateOrderEvidence()
    keep = True
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
            a, b, c = split_date(m.group(1), spec)
            if a > 12 and b > 12 or a == 0 or b == 0 or a > 31 or b > 31:
                continue
            evidence.add(a, b, c, m.group(1))
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
    found = evidence.decide()
    if date_order in ("dmy", "mdy"):
        if evidence.conclusive and found != date_order:
            raise WrongDateOrder(params={"example": evidence.example})
        spec, detected = spec.with_order(date_order), False
    elif found is None:
        raise AmbiguousDateOrder(
            params={"example": evidence.example or head[0].strip()[:40]},
            candidates=(spec.with_order("dmy"), spec.with_order("mdy")),
        )
    else:
        spec, detected = spec.with_order(found), True
    return spec, detected, head, (lines if keep else None)


def _generate(result: ParseResult, lines, tz) -> Iterator[Message]:
    try:
        yield from _entries(result, lines, tz)
    except UnicodeDecodeError:
        raise EncodingError() from None
    finally:
        result.export.close()


def _entries(result: ParseResult, lines, tz) -> Iterator[Message]:  # noqa: C901 - the hot loop, kept flat
    spec = result.spec
    match = spec.header_regex().match
    generic = GENERIC_HEADER.match
    layout_key = spec.layout_key()
    ios = spec.layout == "ios"
    twelve = spec.clock == 12
    seconds = spec.seconds
    rest_at = 1 + 2 + seconds + twelve  # index of the text after the header in m.groups()
    dates: dict[str, tuple | bool] = {}
    authors = result._authors
    datetime = dt.datetime
    marks = DIRECTION_MARKS
    suspicious_start = frozenset("0123456789[" + marks)

    media_lines, deleted_lines, edited_suffixes = _MEDIA_LINES, _DELETED_LINES, _EDITED_SUFFIXES
    file_attached, ios_attached = _FILE_ATTACHED.fullmatch, _IOS_ATTACHED.search

    index = 0
    count = system_lines = 0
    headers = foreign = 0
    first = last = None
    last_key = sent_now = None
    sent = None
    rest = None
    body: list[str] = []

    def build(sent, rest, body) -> Message:
        # Returns the entry for one header line and the lines that followed it.
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
        caption = "".join(body).rstrip("\n") if body else None
        if kind is MESSAGE:
            marked = text[:1] in marks
            if marked:
                text = text.lstrip(marks)
            if text in media_lines:
                kind, text = MEDIA, caption or ""
            elif text in deleted_lines:
                kind, event = SYSTEM, "deleted"
            elif text[-1:] == ")" and (fm := file_attached(text)) is not None:
                kind, attachment, text = MEDIA, fm.group(1).strip(marks), caption or ""
            elif ios and (im := ios_attached(text)) is not None:
                kind, attachment, text = MEDIA, im.group(1), caption or ""
            elif ios and (marked or text.startswith(_IOS_SYSTEM_STARTS)) and (ev := system_event(text)) != "other":
                result.chat_name = clean_author(author)
                author, kind, event = None, SYSTEM, ev
            elif caption is not None:
                text = text + "\n" + caption
        elif caption is not None:
            text = text + "\n" + caption
        if text.endswith(edited_suffixes):
            edited = True
            for suffix in edited_suffixes:
                if text.endswith(suffix):
                    text = text[: -len(suffix)]
                    break
        if author is not None:
            if not author.isascii() or author[:1] == "~":
                author = clean_author(author)
            author = authors.setdefault(author, author)
        return Message(index, sent, author, text, kind, event, attachment, edited)

    for line in lines:
        m = match(line)
        if m is not None:
            g = m.groups()
            key = g[: rest_at]
            if key == last_key:
                new = sent_now
            else:
                date_s = g[0]
                d = dates.get(date_s)
                if d is None:
                    d = dates[date_s] = ymd(date_s, spec) or False
                new = None
                if d:
                    hour = int(g[1])
                    if twelve:
                        hour = hour % 12 + (12 if g[rest_at - 1][0] in "pP" else 0)
                    try:
                        new = datetime(d[0], d[1], d[2], hour, int(g[2]), int(g[3]) if seconds else 0, tzinfo=tz)
                    except ValueError:
                        new = None
                if new is not None:
                    last_key, sent_now = key, new
            if new is not None:
                headers += 1
                if rest is not None:
                    msg = build(sent, rest, body)
                    if msg.kind is SYSTEM:
                        system_lines += 1
                    else:
                        count += 1
                    index += 1
                    yield msg
                    if body:
                        body = []
                else:
                    first = new
                sent, rest = new, g[rest_at]
                continue
        if rest is None:  # blank lines before the first header
            continue
        if line[:1] in suspicious_start:
            gm = generic(line)
            if gm is not None:
                other = spec_from_match(gm)
                if other is not None and (other.layout_key() != layout_key or m is not None):
                    foreign += 1
        body.append(line)

    if rest is not None:
        msg = build(sent, rest, body)
        if msg.kind is SYSTEM:
            system_lines += 1
        else:
            count += 1
        index += 1
        last = sent
        yield msg
    if foreign >= MIXED_MIN_LINES and foreign * MIXED_SHARE >= headers:
        raise MixedFormats(params={"count": foreign})
    result.count, result.system_lines, result.total = count, system_lines, index
    result.first, result.last = first, last
    result.complete = True
