"""Referrals to the formal discipline or ethics process, and the outcome the competent official decided."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Institution, User

from .. import notifications as notices
from .. import rules, selectors
from ..models import Referral, ReferralState, ReferralTrack, ViolationReport
from ._common import _lock_report, _text


@transaction.atomic
def referral_create(*, actor: User, report: ViolationReport, track: str, referred_to: str,
                    referred_on: datetime.date, due_on: datetime.date | None = None, note: str = "") -> Referral:
    """Record that the case went to the formal discipline or ethics process. The portal does not
    decide it and never calls a group measure a PP 94/2021 sanction."""
    report = _lock_report(report)
    rules.check_refer(actor, report)
    return _referral_open(actor=actor, report=report, track=track, referred_to=referred_to, referred_on=referred_on,
                          due_on=due_on, note=note)


def _referral_open(*, actor: User, report: ViolationReport, track: str, referred_to: str,
                   referred_on: datetime.date, due_on: datetime.date | None = None, note: str = "") -> Referral:
    """The referral itself, for a caller that has checked who may open it: ``referral_create``, or
    the decision of a measure at a referral rung (whoever may decide it may refer it)."""
    institution = report.institution
    if track not in ReferralTrack.values:
        raise ValidationError(_("Choose the process the case is referred to."), code="track")
    if referred_on > institution.local_today():
        raise ValidationError(_("The referral date cannot be in the future."), code="date")
    if due_on and due_on < referred_on:
        raise ValidationError(_("The expected outcome date must be after the referral date."), code="due")
    referral = Referral.objects.create(
        institution=institution, report=report, track=track,
        referred_to=_text(referred_to, _("Say to whom the case was referred.")), referred_on=referred_on,
        due_on=due_on, note=(note or "").strip(), created_by=actor,
    )
    log_action(action="sanctions.referral.created", institution=institution, actor=actor, target=referral,
               data={"report": report.pk, "track": track, "referred_on": referred_on.isoformat(),
                     "due_on": due_on.isoformat() if due_on else None})
    return referral


@transaction.atomic
def referral_record_outcome(*, actor: User, referral: Referral, outcome: str, outcome_on: datetime.date) -> Referral:
    institution = referral.institution
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    rules.check_record_outcome(actor, referral)
    if outcome_on > institution.local_today() or outcome_on < referral.referred_on:
        raise ValidationError(_("The outcome date must be between the referral date and today."), code="date")
    referral.outcome = _text(outcome, _("Write the outcome as the competent official decided it."))
    referral.outcome_on, referral.outcome_recorded_by, referral.state = outcome_on, actor, ReferralState.CLOSED
    referral.save(update_fields=["outcome", "outcome_on", "outcome_recorded_by", "state"])
    log_action(action="sanctions.referral.outcome_recorded", institution=institution, actor=actor, target=referral,
               data={"outcome_on": outcome_on.isoformat(), "state": referral.state})
    return referral


REMIND_EVERY_DAYS = 7


def referrals_remind(*, institution: Institution, today: datetime.date | None = None) -> int:
    """Referrals past their expected outcome remind Humas and the head, once a week until the
    outcome is recorded. Returns how many were reminded."""
    today = today or institution.local_today()
    count = 0
    for referral in selectors.overdue_referrals(institution, today):
        if referral.last_reminded_on and (today - referral.last_reminded_on).days < REMIND_EVERY_DAYS:
            continue
        with transaction.atomic():
            referral.last_reminded_on = today
            referral.save(update_fields=["last_reminded_on"])
            log_action(action="sanctions.referral.reminded", institution=institution, actor=None, target=referral,
                       data={"due_on": referral.due_on.isoformat()})
            subject = selectors.subject_user(referral.report)
            notices.send(
                recipients=[u for u in [*notices.humas(institution), *notices.heads(institution)]
                            if subject is None or u.pk != subject.pk],
                institution=institution, kind="referral_overdue", title=gettext_lazy("A referral is overdue"),
                body=notices.lazy_format(
                    gettext_lazy("The outcome of report #%(pk)s from %(to)s was expected by %(day)s. Ask for it and "
                                 "record it."), pk=referral.report_id, to=referral.referred_to,
                    day=f"{referral.due_on:%d-%m-%Y}"),
                url=notices.page_url(institution, "report_detail", pk=referral.report_id),
            )
        count += 1
    return count
