"""Referrals to the formal discipline or ethics process, and the outcome the competent official decided."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import User

from .. import rules
from ..models import Referral, ReferralState, ReferralTrack, ViolationReport
from ._common import _lock_report, _text


@transaction.atomic
def referral_create(*, actor: User, report: ViolationReport, track: str, referred_to: str,
                    referred_on: datetime.date, due_on: datetime.date | None = None, note: str = "") -> Referral:
    """Record that the case went to the formal discipline or ethics process. The portal does not
    decide it and never calls a group measure a PP 94/2021 sanction."""
    institution = report.institution
    report = _lock_report(report)
    rules.check_refer(actor, report)
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
