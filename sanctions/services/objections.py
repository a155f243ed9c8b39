"""Objections and appeals, as UU 30/2014 on government administration has them (Pasal 75–78): the
person (or Humas for them) objects within 14 working days of delivery, and the official who decided
the measure reconsiders it; if they keep it, the person may appeal within 14 working days to the next
official up from the one who kept it — the parent's head, or the acting head of a top-level
institution (``deciders.for_appeal_of``); a case decided above from the start (about the head, or
proposed by the head) is appealed above the official who decided it, and has no appeal only when that
was the acting head at the top. An upheld objection or appeal voids the measure and its letter."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import User

from .. import deciders, rules, selectors
from .. import notifications as notices
from ..deadlines import appeal_deadline, decide_by, objection_deadline
from ..models import Appeal, Measure, MeasureState, Objection, ObjectionState, RemovalState, RemovalTask, WarningLetter
from ._common import _appointers, _lock_measure, _text


@transaction.atomic
def objection_file(*, actor: User, measure: Measure, text: str) -> Objection:
    """The person (or Humas for them) objects within 14 working days of delivery."""
    institution = measure.institution
    measure = _lock_measure(measure)
    own = selectors.is_subject(actor, measure.report)
    rules.check_object(actor, measure, subject=own)
    deadline = objection_deadline(measure)
    text = _text(text, _("Write the grounds of your objection."))
    # Whoever decided the measure reconsiders it: the head, or the parent's head for a case about the head.
    escalated = measure.escalated
    now = timezone.now()
    objection = Objection.objects.create(
        institution=institution, measure=measure, filed_by=actor, filed_at=now, text=text,
        deadline=deadline, escalated=escalated, decide_by=decide_by(institution, now),
    )
    log_action(action="sanctions.objection.filed", institution=institution, actor=actor, target=objection,
               data={"measure": measure.pk, "by_person": own, "escalated": escalated,
                     "deadline": deadline.isoformat() if deadline else None})
    decision = deciders.for_objection(objection)
    name = "objection_decide_escalated" if decision.above else "objection_decide"
    notices.send(
        recipients=[*(decision.users or _appointers(decision)),
                    *notices.not_the_subject(notices.humas(institution), measure.report)],
        institution=institution, kind="objection_filed", title=gettext_lazy("An objection was filed"),
        body=notices.lazy_format(gettext_lazy("An objection to %(level)s (report #%(pk)s) awaits a decision."),
                                 level=measure.level_code, pk=measure.report_id),
        url=notices.page_url(institution, name, pk=objection.pk),
    )
    return objection


@transaction.atomic
def objection_decide(*, actor: User, objection: Objection, upheld: bool, reason: str, as_parent: bool = False) -> Objection:
    """Upheld: the measure and its letter are voided (the verification page says so); an open removal is cancelled."""
    institution = objection.institution
    objection = Objection.objects.select_for_update(of=("self",)).select_related("measure", "measure__report").get(pk=objection.pk)
    rules.check_decide_objection(actor, objection, as_parent=as_parent)
    measure = _lock_measure(objection.measure)
    objection.decision_reason = _text(reason, _("Write the reason for your decision."))
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
    objection.decided_by, objection.decided_at = actor, timezone.now()
    objection.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
    log_action(action=f"sanctions.objection.{objection.state}", institution=institution, actor=actor, target=objection,
               data={"measure": measure.pk, "state": objection.state})
    if upheld:
        _void(measure, actor=actor, at=objection.decided_at, cause={"objection": objection.pk})
    if upheld:
        body = gettext_lazy("The objection to %(level)s was upheld: the measure and its letter are void.")
    elif deciders.appeal_ends_at_the_top(objection) or not deciders.for_appeal_of(objection).exists:
        body = gettext_lazy("The objection to %(level)s was rejected: the measure stays in force. There is no appeal.")
    else:
        body = gettext_lazy("The objection to %(level)s was rejected: the measure stays in force. You may appeal to "
                            "the next official up until %(day)s.")
    _tell_the_person(measure, kind="objection_decided", title=gettext_lazy("An objection was decided"),
                     body=notices.lazy_format(body, level=measure.level_code,
                                              day=f"{appeal_deadline(objection):%d-%m-%Y}"))
    return objection


def _void(measure: Measure, *, actor: User, at, cause: dict) -> None:
    """An upheld objection or appeal: the measure and its letter are void (the verification page says
    so, and when) and an open removal from the group is cancelled."""
    institution = measure.institution
    measure.state, measure.ended_at = MeasureState.VOIDED, at
    measure.save(update_fields=["state", "ended_at"])
    log_action(action="sanctions.measure.voided", institution=institution, actor=actor, target=measure,
               data={**cause, "state": measure.state})
    letter = WarningLetter.objects.filter(measure=measure).first()
    if letter is not None:
        letter.voided_at = at
        letter.save(update_fields=["voided_at"])
        log_action(action="sanctions.letter.voided", institution=institution, actor=actor, target=letter,
                   data={"number": letter.number, **cause})
    task = RemovalTask.objects.filter(measure=measure, state=RemovalState.OPEN).first()
    if task is not None:
        task.state = RemovalState.CANCELLED
        task.save(update_fields=["state"])
        log_action(action="sanctions.removal.cancelled", institution=institution, actor=actor, target=task, data=cause)


def _tell_the_person(measure: Measure, *, kind: str, title, body) -> None:
    """The person (on their measure page) and Humas (on the case file) hear of a decision."""
    institution = measure.institution
    person = selectors.subject_user(measure.report)
    if person is not None:
        notices.send(recipients=[person], institution=institution, kind=kind, title=title, body=body,
                     url=notices.page_url(institution, "my_measure", pk=measure.pk))
    notices.send(recipients=[u for u in notices.humas(institution) if person is None or u.pk != person.pk],
                 institution=institution, kind=kind, title=title, body=body,
                 url=notices.page_url(institution, "report_detail", pk=measure.report_id))


@transaction.atomic
def appeal_file(*, actor: User, objection: Objection, text: str) -> Appeal:
    """After the objection was kept, the person (or Humas for them) appeals to the next official up."""
    institution = objection.institution
    objection = Objection.objects.select_for_update(of=("self",)).select_related("measure", "measure__report").get(
        pk=objection.pk)
    own = selectors.is_subject(actor, objection.measure.report)
    rules.check_appeal(actor, objection, subject=own)
    text = _text(text, _("Write the grounds of your appeal."))
    now = timezone.now()
    appeal = Appeal.objects.create(institution=institution, objection=objection, filed_by=actor, filed_at=now,
                                   text=text, decide_by=decide_by(institution, now))
    log_action(action="sanctions.appeal.filed", institution=institution, actor=actor, target=appeal,
               data={"objection": objection.pk, "measure": objection.measure_id, "by_person": own})
    decision = deciders.for_appeal(appeal)
    notices.send(
        recipients=[*(decision.users or _appointers(decision)),
                    *notices.not_the_subject(notices.humas(institution), objection.measure.report)],
        institution=institution, kind="appeal_filed", title=gettext_lazy("An appeal was filed"),
        body=notices.lazy_format(gettext_lazy("An appeal against the decision on an objection to %(level)s "
                                              "(report #%(pk)s) awaits a decision."),
                                 level=objection.measure.level_code, pk=objection.measure.report_id),
        url=notices.page_url(institution, "appeal_decide_escalated" if decision.above else "appeal_decide",
                             pk=appeal.pk),
    )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, upheld: bool, reason: str, as_parent: bool = False) -> Appeal:
    """Upheld: the measure and its letter are voided. Rejected: the measure stays; the decision is final."""
    institution = appeal.institution
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related(
        "objection", "objection__measure", "objection__measure__report", "objection__decided_by").get(pk=appeal.pk)
    rules.check_decide_appeal(actor, appeal, as_parent=as_parent)
    measure = _lock_measure(appeal.objection.measure)
    appeal.decision_reason = _text(reason, _("Write the reason for your decision."))
    appeal.state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
    appeal.decided_by, appeal.decided_at = actor, timezone.now()
    appeal.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
    log_action(action=f"sanctions.appeal.{appeal.state}", institution=institution, actor=actor, target=appeal,
               data={"measure": measure.pk, "objection": appeal.objection_id, "state": appeal.state})
    if upheld:
        _void(measure, actor=actor, at=appeal.decided_at, cause={"appeal": appeal.pk})
    body = (gettext_lazy("The appeal about %(level)s was upheld: the measure and its letter are void.") if upheld
            else gettext_lazy("The appeal about %(level)s was rejected: the measure stays in force. This decision "
                              "is final within Santun."))
    _tell_the_person(measure, kind="appeal_decided", title=gettext_lazy("An appeal was decided"),
                     body=notices.lazy_format(body, level=measure.level_code))
    return appeal
