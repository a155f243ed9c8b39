"""The daily reminder to deciders about measures and objections waiting for a decision."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy

from governance.models import Institution

from .. import notifications as notices
from .. import selectors
from ..deadlines import ESCALATE_AFTER_WORKING_DAYS, REMIND_AFTER_WORKING_DAYS
from ..workdays import working_days_between
from ._common import _decider_for, _local_date


def decisions_remind(*, institution: Institution, today: datetime.date | None = None) -> dict:
    """Daily: decisions waiting more than 3 working days remind their decider; after 7 the parent's
    head hears too. Returns {"reminded": n, "escalated": n}."""
    today = today or institution.local_today()
    stats = {"reminded": 0, "escalated": 0}
    with transaction.atomic():
        for escalated in (False, True):
            measures, objections = selectors.decisions_waiting(institution, escalated=escalated)
            items = [(m.proposed_at, "measure_decide_escalated" if escalated else "measure_decide", m.pk) for m in measures]
            items += [(o.filed_at, "objection_decide_escalated" if escalated else "objection_decide", o.pk) for o in objections]
            for since, name, pk in items:
                waited = working_days_between(_local_date(institution, since), today)
                if waited <= REMIND_AFTER_WORKING_DAYS:
                    continue
                recipients = list(_decider_for(institution, escalated=escalated))
                if waited > ESCALATE_AFTER_WORKING_DAYS and not escalated:
                    recipients += notices.parent_heads(institution)
                    stats["escalated"] += 1
                notices.send(
                    recipients=recipients, institution=institution, kind="decision_reminder",
                    title=notices.lazy_format(gettext_lazy("A decision has been waiting for %(days)d working days"), days=waited),
                    body=gettext_lazy("Please decide it, or ask Humas to withdraw it."),
                    url=notices.page_url(institution, name, pk=pk),
                )
                stats["reminded"] += 1
    return stats
