"""How long each step of a case may take, in working days (see ``workdays``)."""

from __future__ import annotations

import datetime

from .models import Measure
from .workdays import add_working_days

OBJECTION_WORKING_DAYS = 14
REMOVAL_WORKING_DAYS = 3
REMIND_AFTER_WORKING_DAYS = 3
ESCALATE_AFTER_WORKING_DAYS = 7
# The person reported may explain (klarifikasi) for this long after the report is confirmed.
HEARING_WORKING_DAYS = 3


def objection_deadline(measure: Measure) -> datetime.date | None:
    """The last day to object: 14 working days after delivery (None until it is delivered)."""
    if not measure.delivered_on:
        return None
    return add_working_days(measure.delivered_on, OBJECTION_WORKING_DAYS)
