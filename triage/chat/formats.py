"""The header formats WhatsApp writes at the start of each message, and how to tell them apart.

A header is the date and time in front of a message:

    Android  ``15/01/24 10.00 - Budi: pesan``            ``1/15/24, 10:00 AM - Budi: message``
    iOS      ``[15/01/24 10.00.15] Budi: pesan``          ``[1/15/24, 10:00:15 AM] Budi: message``

A file uses one format throughout. The format is read from the file's first line (layout, date
separator, year digits, comma, time separator, seconds, 12- or 24-hour clock); the date order
(day-first, month-first, or year-first when the first number has four digits) is then decided from
the dates themselves (see ``DateOrderEvidence``). Parsing uses a regular expression built for that
exact format, so a line in the body that only resembles a header (another separator, another
layout, no author) stays part of the message it is in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

DATE_ORDERS = ("dmy", "mdy", "ymd")

# Invisible marks WhatsApp (mostly iOS) puts before headers, system lines, media and phone numbers.
DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_LEAD = "[\u200e\u200f\ufeff]*"
_SPACE = "[ \u00a0\u202f]"
_AMPM = r"[AaPp]\.?[ \u00a0\u202f]?[Mm]\.?"

# Any supported header, for detection and for recognising a line written in another format.
GENERIC_HEADER = re.compile(
    rf"{_LEAD}(?P<ios>\[)?"
    r"(?P<d1>\d{1,4})(?P<ds>[./-])(?P<d2>\d{1,2})(?P=ds)(?P<d3>\d{1,4})"
    rf"(?P<comma>,?){_SPACE}"
    r"(?P<h>\d{1,2})(?P<ts>[:.])(?P<mi>\d{2})(?:(?P=ts)(?P<s>\d{2}))?"
    rf"(?:{_SPACE}?(?P<ampm>{_AMPM}))?"
    r"(?(ios)\] | - )"
    r"(?P<rest>.*)"
)


@dataclass(frozen=True)
class FormatSpec:
    """One header format. ``name`` is the short form shown to people, e.g. ``android-24h-dmy``."""

    layout: str  # "android" or "ios"
    order: str  # "dmy", "mdy" or "ymd"
    date_sep: str  # "/", "." or "-"
    year_digits: int  # 2 or 4
    clock: int  # 12 or 24
    time_sep: str = ":"  # ":" or "." (Indonesian exports write 10.00)
    seconds: bool = False  # iOS writes seconds
    comma: bool = True  # "15/01/24, 10:00" or "15/01/24 10:00"

    @property
    def name(self) -> str:
        return f"{self.layout}-{self.clock}h-{self.order}"

    @property
    def details(self) -> str:
        """Everything that distinguishes the format, e.g. ``android-24h-dmy dd/mm/yy, HH.MM``."""
        parts = {"dmy": ("dd", "mm", "yy"), "mdy": ("mm", "dd", "yy"), "ymd": ("yy", "mm", "dd")}[self.order]
        date = self.date_sep.join("yyyy" if p == "yy" and self.year_digits == 4 else p for p in parts)
        time = self.time_sep.join(["HH", "MM", "SS"] if self.seconds else ["HH", "MM"])
        if self.clock == 12:
            time += " AM"
        return f"{self.name} {date}{',' if self.comma else ''} {time}"

    def with_order(self, order: str) -> FormatSpec:
        return FormatSpec(self.layout, order, self.date_sep, self.year_digits, self.clock, self.time_sep,
                          self.seconds, self.comma)

    def layout_key(self) -> tuple:
        """Everything but the date order (which a single line cannot always tell)."""
        return (self.layout, self.date_sep, self.year_digits if self.order != "ymd" else -4, self.clock,
                self.time_sep, self.seconds, self.comma)

    def header_regex(self) -> re.Pattern:
        """The exact header of this format. Groups: the whole date and time, the date, the time, and
        the text after the header."""
        sep = re.escape(self.date_sep)
        if self.order == "ymd":
            date = rf"\d{{4}}{sep}\d{{1,2}}{sep}\d{{1,2}}"
        else:
            date = rf"\d{{1,2}}{sep}\d{{1,2}}{sep}\d{{{self.year_digits}}}"
        tsep = re.escape(self.time_sep)
        time = rf"\d{{1,2}}{tsep}\d{{2}}"
        if self.seconds:
            time += rf"{tsep}\d{{2}}"
        if self.clock == 12:
            time += rf"{_SPACE}?{_AMPM}"
        open_, close = (r"\[", r"\] ") if self.layout == "ios" else ("", " - ")
        comma = "," if self.comma else ""
        return re.compile(rf"{_LEAD}{open_}(({date}){comma}{_SPACE}({time})){close}(.*)")

    def time_of_day(self, time: str):
        """The ``timedelta`` since midnight of a header's time, or None when it is no time of day."""
        m = _TIME.fullmatch(time)
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if self.clock == 12:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if m.group(4) in "pP" else 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
        return timedelta(hours=hour, minutes=minute, seconds=second)


_TIME = re.compile(rf"(\d{{1,2}})[:.](\d{{2}})(?:[:.](\d{{2}}))?(?:{_SPACE}?([AaPp])\.?[ \u00a0\u202f]?[Mm]\.?)?")


def spec_from_match(m: re.Match) -> FormatSpec | None:
    """The format of one generic header match (date order provisional), or None if it is not a header."""
    d1, d3 = m.group("d1"), m.group("d3")
    if len(d1) == 4:
        if len(d3) > 2 or len(m.group("d2")) > 2:
            return None
        order, year_digits = "ymd", 4
    elif len(d1) <= 2 and len(d3) in (2, 4):
        order, year_digits = "dmy", len(d3)
    else:
        return None
    ampm = m.group("ampm")
    hour, minute = int(m.group("h")), int(m.group("mi"))
    if minute > 59 or (hour > 12 if ampm else hour > 23) or (ampm and hour == 0):
        return None
    return FormatSpec(
        layout="ios" if m.group("ios") else "android",
        order=order,
        date_sep=m.group("ds"),
        year_digits=year_digits,
        clock=12 if ampm else 24,
        time_sep=m.group("ts"),
        seconds=m.group("s") is not None,
        comma=bool(m.group("comma")),
    )


def split_date(date: str, spec: FormatSpec) -> tuple[int, int, int]:
    """(first, second, third) numbers of a header's date."""
    a, b, c = date.split(spec.date_sep)
    return int(a), int(b), int(c)


def ymd(date: str, spec: FormatSpec) -> tuple[int, int, int] | None:
    """(year, month, day) of a header date in ``spec``'s order, or None when that is no calendar date."""
    a, b, c = split_date(date, spec)
    if spec.order == "dmy":
        year, month, day = c, b, a
    elif spec.order == "mdy":
        year, month, day = c, a, b
    else:
        year, month, day = a, b, c
    if year < 100:
        year += 2000
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        return None
    return year, month, day


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


class DateOrderEvidence:
    """Collects what the dates of a file say about day-first vs month-first.

    A first number above 12 can only be a day (day-first); a second number above 12 can only be a day
    (month-first); both at once means the file mixes formats. When no number exceeds 12, an export is
    in chronological order, so the reading under which the dates never go backwards wins.
    """

    def __init__(self):
        self.dmy_seen = 0
        self.mdy_seen = 0
        self.example = ""
        self._prev = {"dmy": None, "mdy": None}
        self.backwards = {"dmy": 0, "mdy": 0}

    def add(self, a: int, b: int, c: int, text: str) -> None:
        if a > 12:
            self.dmy_seen += 1
        if b > 12:
            self.mdy_seen += 1
        if not self.example and a != b:
            self.example = text
        for order, key in (("dmy", (c, b, a)), ("mdy", (c, a, b))):
            prev = self._prev[order]
            if prev is not None and key < prev:
                self.backwards[order] += 1
            self._prev[order] = key

    @property
    def conclusive(self) -> bool:
        return bool(self.dmy_seen or self.mdy_seen)

    def decide(self) -> str | None:
        """"dmy", "mdy", or None when the file cannot tell. Call ``conflicting`` first."""
        if self.dmy_seen:
            return "dmy"
        if self.mdy_seen:
            return "mdy"
        back_dmy, back_mdy = self.backwards["dmy"], self.backwards["mdy"]
        if back_dmy == 0 and back_mdy > 0:
            return "dmy"
        if back_mdy == 0 and back_dmy > 0:
            return "mdy"
        return None

    @property
    def conflicting(self) -> bool:
        return bool(self.dmy_seen and self.mdy_seen)
