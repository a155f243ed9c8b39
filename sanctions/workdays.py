"""Working days of Indonesian government offices.

A working day is Monday to Friday that is neither a public holiday nor a collective leave day
(cuti bersama) in Indonesia, as the ``holidays`` package lists them (country ID, categories
"public" and "government"). Deadlines are counted on the institution's local calendar: callers
pass local dates (``Institution.local_today()``, or a date a person typed).
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

HOLIDAY_CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    calendar = holidays.country_holidays("ID", years=year, categories=HOLIDAY_CATEGORIES)
    return frozenset(calendar.keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself does not count)."""
    day = start
    remaining = count
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover
