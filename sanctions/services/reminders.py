"""The daily reminder to deciders about measures, objections and appeals waiting for a decision."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy

from governance.models import Institution

from .. import deciders, selectors
from .. import notifications as notices
from ..workdays import working_days_between
from ._common import _local_date


def decisions_remind(*, institution: Institution, today: datetime.date | None = None) -> dict:
    """Daily: decisions waiting more than the institution's number of working days (5 unless its
    policy says otherwise) remind their decider; after twice as long the parent's head hears too, and
    sees them on the oversight list. Returns {"reminded": n, "escalated": n}."""
    today = today or institution.local_today()
    remind_after = selectors.remind_after_working_days(institution)
    stats = {"reminded": 0, "escalated": 0}
    with transaction.atomic():
        measures, objections, appeals = selectors.decisions_waiting(institution, escalated=None)
        for item in (*measures, *objections, *appeals):
            item.institution = institution
        seats = deciders.SeatIndex([institution, institution.parent if institution.parent_id else None])
        items = [(m.proposed_at, "measure_decide", m.pk, deciders.for_measure(m, seats)) for m in measures]
        items += [(o.filed_at, "objection_decide", o.pk, deciders.for_objection(o, seats)) for o in objections]
        items += [(a.filed_at, "appeal_decide", a.pk, deciders.for_appeal(a, seats)) for a in appeals]
        for since, name, pk, decision in items:
            waited = working_days_between(_local_date(institution, since), today)
            if waited <= remind_after:
                continue
            if decision.above:
                name += "_escalated"
            recipients = list(decision.users)
            if waited > 2 * remind_after and not decision.above:
                recipients += notices.parent_heads(institution)
                stats["escalated"] += 1
            if not decision.exists:  # nobody may decide: those who appoint an acting head hear of it
                recipients += notices.parent_heads(decision.institution)
            notices.send(
                recipients=recipients, institution=institution, kind="decision_reminder",
                title=notices.lazy_format(gettext_lazy("A decision has been waiting for %(days)d working days"), days=waited),
                body=gettext_lazy("Please decide it, or ask Humas to withdraw it."),
                url=notices.page_url(institution, name, pk=pk),
            )
            stats["reminded"] += 1
    return stats
