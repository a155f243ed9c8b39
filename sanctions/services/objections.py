"""Objections: filed by the person (or Humas for them) within 14 working days of delivery, and
decided by the head or the parent's head; an upheld objection voids the measure and its letter."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import User

from .. import deciders, rules, selectors
from .. import notifications as notices
from ..deadlines import objection_deadline
from ..models import Measure, MeasureState, Objection, ObjectionState, RemovalState, RemovalTask, WarningLetter
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
    # The head reconsiders a measure without a letter; a letter the head signed goes to the parent's head,
    # as does any case about the head.
    escalated = measure.escalated or (measure.produces_letter and selectors.is_head(measure.decided_by, institution))
    objection = Objection.objects.create(
        institution=institution, measure=measure, filed_by=actor, filed_at=timezone.now(), text=text,
        deadline=deadline, escalated=escalated,
    )
    log_action(action="sanctions.objection.filed", institution=institution, actor=actor, target=objection,
               data={"measure": measure.pk, "by_person": own, "escalated": escalated,
                     "deadline": deadline.isoformat() if deadline else None})
    decision = deciders.for_objection(objection)
    name = "objection_decide_escalated" if decision.above else "objection_decide"
    notices.send(
        recipients=[*(decision.users or _appointers(decision)), *notices.humas(institution)],
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
        measure.state, measure.ended_at = MeasureState.VOIDED, objection.decided_at
        measure.save(update_fields=["state", "ended_at"])
        log_action(action="sanctions.measure.voided", institution=institution, actor=actor, target=measure,
                   data={"objection": objection.pk, "state": measure.state})
        letter = WarningLetter.objects.filter(measure=measure).first()
        if letter is not None:
            letter.voided_at = objection.decided_at
            letter.save(update_fields=["voided_at"])
            log_action(action="sanctions.letter.voided", institution=institution, actor=actor, target=letter,
                       data={"number": letter.number, "objection": objection.pk})
        task = RemovalTask.objects.filter(measure=measure, state=RemovalState.OPEN).first()
        if task is not None:
            task.state = RemovalState.CANCELLED
            task.save(update_fields=["state"])
            log_action(action="sanctions.removal.cancelled", institution=institution, actor=actor, target=task,
                       data={"objection": objection.pk})
    person = selectors.subject_user(measure.report)
    notices.send(
        recipients=[u for u in [person, *notices.humas(institution)] if u is not None],
        institution=institution, kind="objection_decided", title=gettext_lazy("An objection was decided"),
        body=notices.lazy_format(
            gettext_lazy("The objection to %(level)s was upheld: the measure and its letter are void.") if upheld
            else gettext_lazy("The objection to %(level)s was rejected: the measure stays in force."),
            level=measure.level_code),
        url=notices.page_url(institution, "report_detail", pk=measure.report_id),
    )
    return objection
