"""How long each step of a case may take, in working days (see ``workdays``)."""

from __future__ import annotations

import datetime

from .models import Measure, Objection
from .workdays import add_working_days

OBJECTION_WORKING_DAYS = 14
REMOVAL_WORKING_DAYS = 3
# A decision reminds its decider after this many working days unless the institution sets its own
# (``Ladder.remind_after_working_days``); after twice as long the parent's head sees it.
REMIND_AFTER_WORKING_DAYS = 5
# The person reported may explain (klarifikasi) for this long after the report is confirmed.
HEARING_WORKING_DAYS = 3
# UU 30/2014 on government administration: an objection (keberatan) is settled within 10 working days
# (Pasal 77 ayat 4), and so is an appeal (banding, Pasal 78 ayat 4). Santun gives the person 14
# working days to appeal after the objection was kept, as it does to object.
RECONSIDER_WORKING_DAYS = 10
APPEAL_WORKING_DAYS = 14


def objection_deadline(measure: Measure) -> datetime.date | None:
    """The last day to object: 14 working days after delivery (None until it is delivered)."""
    if not measure.delivered_on:
        return None
    return add_working_days(measure.delivered_on, OBJECTION_WORKING_DAYS)


def appeal_deadline(objection: Objection) -> datetime.date | None:
    """The last day to appeal: 14 working days after the objection was kept (None before that)."""
    if not objection.decided_at:
        return None
    day = objection.decided_at.astimezone(objection.institution.tzinfo).date()
    return add_working_days(day, APPEAL_WORKING_DAYS)


def decide_by(institution, moment: datetime.datetime) -> datetime.date:
    """When an objection or an appeal filed at ``moment`` should be decided."""
    return add_working_days(moment.astimezone(institution.tzinfo).date(), RECONSIDER_WORKING_DAYS)
