"""Scoring: an assessor's scores for an entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import User

from .. import rules
from ..models import (
    AssessorScore,
    Entry,
)
from ..selectors import (
    criteria_for,
)
from ._common import MAX_TEXT, _require_in_subtree
from .periods import refresh_results


@transaction.atomic
def scores_record(*, actor: User, entry: Entry, values: dict[int, tuple[int | None, str]]) -> Entry:
    """The actor's scores for one institution: ``{criterion_id: (score or None, note)}``. A None
    score clears the actor's earlier score for that criterion. All or nothing."""
    entry = Entry.objects.select_for_update().select_related("period", "period__rubric", "period__institution",
                                                             "institution").get(pk=entry.pk)
    period = entry.period
    _require_in_subtree(period, entry)
    rules.check_score(actor, period)
    criteria = {c.pk: c for c in criteria_for(period)}
    scale_max = period.rubric.scale_max
    errors, clean = [], {}
    for criterion_id, (score, note) in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors.append(_("A score was given for a criterion that is not in this rubric."))
            continue
        note = (note or "").strip()
        if len(note) > MAX_TEXT:
            errors.append(_("%(code)s: keep the note under %(count)s characters.") % {"code": criterion.code, "count": MAX_TEXT})
        if score is None or score == "":
            if note:
                errors.append(_("%(code)s: give a score with your note, or clear the note.") % {"code": criterion.code})
            clean[criterion_id] = (None, "")
            continue
        try:
            number = int(str(score))
            if str(number) != str(score).strip():
                raise ValueError
        except ValueError:
            number = None
        if number is None or not 0 <= number <= scale_max:
            errors.append(_("%(code)s: a score must be a whole number from 0 to %(max)s.") % {
                "code": criterion.code, "max": scale_max})
            continue
        clean[criterion_id] = (number, note)
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in AssessorScore.objects.filter(entry=entry, assessor=actor)}
    scored = cleared = 0
    for criterion_id, (number, note) in clean.items():
        current = existing.get(criterion_id)
        if number is None:
            if current:
                current.delete()
                cleared += 1
        elif current:
            if (current.score, current.note) != (number, note):
                current.score, current.note = number, note
                current.save(update_fields=["score", "note", "updated_at"])
            scored += 1
        else:
            AssessorScore.objects.create(entry=entry, criterion_id=criterion_id, assessor=actor, score=number, note=note)
            scored += 1
    refresh_results(period, [entry])
    log_action(action="reports.scores.recorded", institution=period.institution, actor=actor, target=entry,
               data={"institution": entry.institution_id, "scored": scored, "cleared": cleared})
    return entry
