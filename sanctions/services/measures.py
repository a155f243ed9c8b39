"""Measures: proposal by Humas, the head's decision (approve, reject) or withdrawal, delivery,
acknowledgement by the person, and the nightly expiry."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Institution, User

from .. import deciders, rules, selectors
from .. import notifications as notices
from ..deadlines import OBJECTION_WORKING_DAYS, objection_deadline
from ..models import DeliveryMethod, LadderLevel, LevelKind, Measure, MeasureState, ViolationReport
from ..workdays import add_months, add_working_days
from ._common import (
    _appointers,
    _local_date,
    _lock_measure,
    _lock_report,
    _text,
)
from .ladders import ladder_ensure
from .letters import _letter_issue, letter_pdf_task
from .referrals import _referral_open
from .removals import _notify_removal_due, _removal_create


@transaction.atomic
def measure_propose(
    *, actor: User, report: ViolationReport, level: LadderLevel, reason: str = "", note: str = "",
) -> Measure:
    """Humas proposes a rung of the ladder; the engine's suggestion is kept beside the choice."""
    institution = report.institution
    report = _lock_report(report)
    rules.check_propose(actor, report)
    ladder = ladder_ensure(actor=actor, institution=institution)
    if level.ladder_id != ladder.pk:
        raise ValidationError(_("Choose a level of this institution's current ladder."), code="level")
    suggestion = selectors.suggest_level(report, ladder=ladder)
    reason = (reason or "").strip()
    if suggestion.level and level.pk != suggestion.level.pk and not reason:
        raise ValidationError(
            _("The ladder proposes %(level)s for this person. To choose another level, write why.")
            % {"level": suggestion.level.name}, code="deviation")
    if level.kind == LevelKind.REMOVAL and not (report.channel_id and report.channel.is_group):
        raise ValidationError(
            _("%(level)s removes the person from a group, but this violation did not happen in a group. "
              "Choose another level and write why.") % {"level": level.name}, code="not_a_group")
    if not level.informal and selectors.is_informal(report):
        raise ValidationError(
            _("%(level)s applies only to official groups and accounts that the institution administers (with a "
              "registered group admin). Choose another level.") % {"level": level.name}, code="informal_channel")
    subject = selectors.subject_user(report)
    escalated = bool(subject and selectors.is_head(subject, institution)) or selectors.is_head(actor, institution)
    measure = Measure.objects.create(
        institution=institution, report=report, level=level, suggested_level=suggestion.level,
        deviation_reason=reason if suggestion.level and level.pk != suggestion.level.pk else "",
        level_code=level.code, level_name=level.name, level_kind=level.kind, level_position=level.position,
        active_months=level.active_months, proposal_note=(note or "").strip(), proposed_by=actor,
        proposed_at=timezone.now(), escalated=escalated,
    )
    log_action(
        action="sanctions.measure.proposed", institution=institution, actor=actor, target=measure,
        data={"report": report.pk, "level": level.code, "suggested": suggestion.level.code if suggestion.level else None,
              "deviated": bool(measure.deviation_reason), "escalated": escalated},
    )
    decision = deciders.for_measure(measure)
    name = "measure_decide_escalated" if decision.above else "measure_decide"
    notices.send(
        recipients=[u for u in decision.users if u.pk != actor.pk] or _appointers(decision),
        institution=institution, kind="awaiting_approval",
        title=gettext_lazy("A proposed measure awaits your decision"),
        body=notices.lazy_format(gettext_lazy("%(level)s proposed for report #%(pk)s."), level=level.code, pk=report.pk),
        url=notices.page_url(institution, name, pk=measure.pk),
    )
    return measure


@transaction.atomic
def measure_withdraw(*, actor: User, measure: Measure, reason: str) -> Measure:
    measure = _lock_measure(measure)
    rules.check_withdraw(actor, measure)
    measure.state = MeasureState.WITHDRAWN
    measure.decision_reason = _text(reason, _("Write why the proposal is withdrawn."))
    measure.ended_at = timezone.now()
    measure.save(update_fields=["state", "decision_reason", "ended_at"])
    log_action(action="sanctions.measure.withdrawn", institution=measure.institution, actor=actor, target=measure,
               data={"state": measure.state})
    return measure


@transaction.atomic
def measure_approve(*, actor: User, measure: Measure, reason: str, as_parent: bool = False) -> Measure:
    """The head approves: the measure becomes active; a letter is numbered, a removal task created.
    The row lock makes a double submission wait and then find the measure already decided."""
    institution = measure.institution
    measure = _lock_measure(measure)
    rules.check_decide_measure(actor, measure, as_parent=as_parent, approving=True)
    measure.decision_reason = _text(reason, _("Write the reason for your decision."))
    now = timezone.now()
    today = _local_date(institution, now)
    measure.state = MeasureState.ACTIVE
    measure.decided_by, measure.decided_at = actor, now
    measure.active_from = today
    measure.active_until = add_months(today, measure.active_months) - datetime.timedelta(days=1)
    measure.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "active_from", "active_until"])
    log_action(action="sanctions.measure.approved", institution=institution, actor=actor, target=measure,
               data={"state": measure.state, "level": measure.level_code, "escalated": measure.escalated,
                     "active_until": measure.active_until.isoformat()})
    letter = _letter_issue(actor=actor, measure=measure, day=today) if measure.produces_letter else None
    removal = _removal_create(actor=actor, measure=measure, day=today) if measure.is_removal else None
    if measure.is_referral:
        _refer_at_last_rung(actor=actor, measure=measure, day=today)

    notices.send(
        recipients=notices.not_the_subject(notices.humas(institution), measure.report), institution=institution,
        kind="measure_approved",
        title=gettext_lazy("A proposed measure was approved"),
        body=notices.lazy_format(gettext_lazy("%(level)s for report #%(pk)s was approved."), level=measure.level_code,
                                 pk=measure.report_id),
        url=notices.page_url(institution, "report_detail", pk=measure.report_id),
    )
    person = selectors.subject_user(measure.report)
    if person is not None:
        notices.send(
            recipients=[person], institution=institution, kind="letter_issued" if letter else "measure_issued",
            title=gettext_lazy("A warning letter was issued to you") if letter
            else gettext_lazy("A group measure was recorded for you"),
            body=notices.lazy_format(gettext_lazy("Open it to read it and acknowledge receipt. You may file an objection "
                                                  "within %(days)d working days of receiving it."), days=OBJECTION_WORKING_DAYS),
            url=notices.page_url(institution, "my_measure", pk=measure.pk),
        )
    if removal is not None:
        _notify_removal_due(removal, first=True)
    if letter is not None:
        letter_pdf_task.delay_on_commit(institution_id=institution.pk, letter_id=letter.pk)
    return measure


def _refer_at_last_rung(*, actor: User, measure: Measure, day: datetime.date) -> None:
    """A measure decided at a referral rung hands the case to the formal process named in the policy
    of the ladder version it was decided under, as a referral-only ladder does on confirmation."""
    ladder = measure.level.ladder
    _referral_open(actor=actor, report=measure.report, track=ladder.referral_track,
                   referred_to=ladder.referral_to or _("The competent code of ethics council"), referred_on=day,
                   due_on=add_working_days(day, ladder.referral_working_days),
                   note=_("Referred at the last rung of the ladder (%(level)s).") % {"level": measure.level_code})


@transaction.atomic
def measure_reject(*, actor: User, measure: Measure, reason: str, as_parent: bool = False) -> Measure:
    institution = measure.institution
    measure = _lock_measure(measure)
    rules.check_decide_measure(actor, measure, as_parent=as_parent)
    measure.decision_reason = _text(reason, _("Write the reason for your decision."))
    measure.state = MeasureState.REJECTED
    measure.decided_by, measure.decided_at = actor, timezone.now()
    measure.ended_at = measure.decided_at
    measure.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "ended_at"])
    log_action(action="sanctions.measure.rejected", institution=institution, actor=actor, target=measure,
               data={"state": measure.state, "level": measure.level_code, "escalated": measure.escalated})
    notices.send(
        recipients=notices.not_the_subject(notices.humas(institution), measure.report), institution=institution,
        kind="measure_rejected",
        title=gettext_lazy("A proposed measure was rejected"),
        body=notices.lazy_format(gettext_lazy("%(level)s for report #%(pk)s was rejected; the reason is on the case page."),
                                 level=measure.level_code, pk=measure.report_id),
        url=notices.page_url(institution, "report_detail", pk=measure.report_id),
    )
    return measure

@transaction.atomic
def measure_record_delivery(*, actor: User, measure: Measure, method: str, delivered_on: datetime.date) -> Measure:
    institution = measure.institution
    measure = _lock_measure(measure)
    rules.check_record_delivery(actor, measure)
    if method not in DeliveryMethod.values or method == DeliveryMethod.PORTAL:
        raise ValidationError(_("Choose how it was delivered: in person, WhatsApp or e-mail."), code="method")
    if delivered_on > institution.local_today() or delivered_on < measure.active_from:
        raise ValidationError(_("The delivery date must be between the decision date and today."), code="date")
    measure.delivered_on, measure.delivery_method, measure.delivery_recorded_by = delivered_on, method, actor
    measure.save(update_fields=["delivered_on", "delivery_method", "delivery_recorded_by"])
    log_action(action="sanctions.measure.delivered", institution=institution, actor=actor, target=measure,
               data={"method": method, "delivered_on": delivered_on.isoformat(),
                     "objection_deadline": objection_deadline(measure).isoformat()})
    return measure


@transaction.atomic
def measure_acknowledge(*, actor: User, measure: Measure) -> Measure:
    """The person confirms they received it; if nobody recorded delivery, today counts as delivery."""
    institution = measure.institution
    measure = _lock_measure(measure)
    rules.check_acknowledge(actor, measure)
    if measure.acknowledged_at:
        return measure
    measure.acknowledged_at = timezone.now()
    fields = ["acknowledged_at"]
    if not measure.delivered_on:
        measure.delivered_on, measure.delivery_method = institution.local_today(), DeliveryMethod.PORTAL
        fields += ["delivered_on", "delivery_method"]
    measure.save(update_fields=fields)
    log_action(action="sanctions.measure.acknowledged", institution=institution, actor=actor, target=measure,
               data={"delivered_on": measure.delivered_on.isoformat(), "method": measure.delivery_method})
    return measure

def measures_expire_due(*, institution: Institution, today: datetime.date | None = None) -> int:
    """Active measures whose window has ended become expired (the ladder then ignores them)."""
    today = today or institution.local_today()
    count = 0
    for measure_id in list(Measure.objects.filter(
            institution=institution, state=MeasureState.ACTIVE, active_until__lt=today).values_list("pk", flat=True)):
        with transaction.atomic():
            measure = Measure.objects.select_for_update().get(pk=measure_id)
            if measure.state != MeasureState.ACTIVE:
                continue
            measure.state, measure.ended_at = MeasureState.EXPIRED, timezone.now()
            measure.save(update_fields=["state", "ended_at"])
            log_action(action="sanctions.measure.expired", institution=institution, actor=None, target=measure,
                       data={"state": measure.state, "active_until": measure.active_until.isoformat()})
            count += 1
    return count
