"""Election periods, kept by platform operators (national ones) and by province and regency
institutions (their own regional ones); one neutrality reminder per institution and period."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..audit import log_action
from ..models import ElectionPeriod, ElectionReminder, Institution, User
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


ELECTION_FIELDS = ("name", "kind", "coverage", "region_codes", "campaign_starts_on", "campaign_ends_on",
                   "quiet_starts_on", "quiet_ends_on", "voting_day", "candidate_names", "campaign_terms")
REGIONAL_KINDS = {ElectionPeriod.Kind.PILKADA, ElectionPeriod.Kind.PILKADES}


def _check_keeper(*, actor: User, owner: Institution | None, period: ElectionPeriod) -> None:
    """Platform operators keep every period; an institution keeps regional ones of its own region."""
    if actor is not None and actor.is_superuser:
        return
    if owner is None:
        raise ValidationError(_("Only platform operators enter national election periods."), code="not_platform")
    if period.pk and period.owner_id != owner.pk:
        raise ValidationError(_("This period is kept by another office; it cannot be changed here."), code="not_owner")
    region = selectors.election_region(owner)
    if region is None:
        raise ValidationError(_("Only a province or regency office keeps election periods for its region."),
                              code="no_region")
    if period.kind not in REGIONAL_KINDS:
        raise ValidationError({"kind": _("A general election is entered by the platform operators; enter a Pilkada "
                                         "or a Pilkades here.")})
    if not region.allows(period.coverage, list(period.region_codes or [])):
        raise ValidationError({"region_codes": _("Only your own region can be given here: %(code)s.")
                               % {"code": region.code if region.coverage == ElectionPeriod.Coverage.REGENCY
                                  else _("%(province)s or its regencies (%(province)s.xx)") % {"province": region.code}}})


def election_period_save(*, actor: User, owner: Institution | None, period: ElectionPeriod | None = None,
                         **fields) -> ElectionPeriod:
    """Enter or change an election period. A period whose voting day has passed stays as it was."""
    unknown = set(fields) - set(ELECTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown election period fields: {sorted(unknown)}")
    creating = period is None
    if creating:
        period = ElectionPeriod(owner=owner)
    else:
        period = ElectionPeriod.objects.get(pk=period.pk)
        if period.voting_day < (owner.local_today() if owner else timezone.localdate()):
            raise ValidationError(_("This election is over; its period is kept as it was."), code="over")
    before = {name: getattr(period, name) for name in ELECTION_FIELDS}
    for name, value in fields.items():
        setattr(period, name, value)
    _check_keeper(actor=actor, owner=owner, period=period)
    period.full_clean(exclude=["owner"])
    changed = sorted(name for name in ELECTION_FIELDS if before[name] != getattr(period, name))
    if not creating and not changed:
        return period
    with transaction.atomic():
        period.save()
        log_action(action="governance.election.entered" if creating else "governance.election.changed",
                   institution=owner, actor=actor, target=period,
                   data={"period": period.pk, "fields": changed, "coverage": period.coverage,
                         "regions": list(period.region_codes)})
    return period


def election_period_delete(*, actor: User, owner: Institution | None, period: ElectionPeriod) -> None:
    """Remove a period entered by mistake: only before its campaign starts and before anyone was reminded."""
    period = ElectionPeriod.objects.get(pk=period.pk)
    _check_keeper(actor=actor, owner=owner, period=period)
    today = owner.local_today() if owner else timezone.localdate()
    if period.campaign_starts_on <= today or period.reminders.exists():
        raise ValidationError(_("A period that has started is kept, with the record of its reminders."),
                              code="started")
    with transaction.atomic():
        log_action(action="governance.election.removed", institution=owner, actor=actor, target=period,
                   data={"period": period.pk, "name": period.name})
        period.delete()
