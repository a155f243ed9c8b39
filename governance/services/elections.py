"""Election periods: one neutrality reminder per institution and period."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .. import selectors
from ..audit import log_action
from ..models import ElectionReminder, Institution
from ..tenancy import institution_scope
from .notifications import notify


def election_reminders_send(*, institution: Institution, day: datetime.date | None = None) -> list[ElectionReminder]:
    """Remind every active member of the institution, once per election period, to stay neutral.

    Safe to call every day and from several workers: the reminder row (one per institution and
    period, unique in the database) is written before anyone is notified, in the same transaction.
    """
    day = day or institution.local_today()
    sent = []
    for period in selectors.active_election_periods(institution, day):
        with transaction.atomic(), institution_scope(institution):
            if ElectionReminder.objects.filter(period=period).exists():
                continue
            try:
                with transaction.atomic():
                    reminder = ElectionReminder.objects.create(institution=institution, period=period)
            except IntegrityError:
                continue
            recipients = selectors.active_members(institution, day=day)
            notify(
                recipients=recipients, institution=institution, kind="governance.election_reminder",
                title=gettext_lazy("Election period: keep your social media neutral"),
                body=format_lazy(
                    gettext_lazy("{period} runs from {start} to voting day on {voting}. Do not post, share, like or comment on "
                          "campaign material, in the office's groups or on your own accounts. The rules on politics "
                          "and neutrality are at the top of the code of conduct."),
                    period=period.name, start=formats.date_format(period.campaign_starts_on, "DATE_FORMAT"),
                    voting=formats.date_format(period.voting_day, "DATE_FORMAT"),
                ),
                url=reverse("governance:code_versions", kwargs={"institution": institution.slug}),
            )
            reminder.recipients = len(recipients)
            reminder.save(update_fields=["recipients"])
            log_action(action="governance.election.reminded", institution=institution, actor=None, target=reminder,
                       data={"period": period.pk, "recipients": reminder.recipients})
            sent.append(reminder)
    return sent
