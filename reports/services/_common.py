"""Checks and constants shared by the reports services (not part of the public interface)."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from governance.models import Institution, Membership, Role, User

from ..models import (
    AssessmentPeriod,
    Entry,
)

logger = logging.getLogger(__name__)


State = AssessmentPeriod.State


MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


MAX_EVIDENCE_PER_CRITERION = 5


MAX_LINKS = 10


MAX_TEXT = 4000


# bulk_update writes one CASE per column over the batch: small batches keep it linear in institutions.
UPDATE_BATCH = 100


STALE_EXPORT_AFTER = datetime.timedelta(minutes=15)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _frozen_message() -> str:
    return _("This period is finalized and nothing in it can change. To correct a result, open a correction "
             "(a new revision) from the period's page.")


def _require_state(period: AssessmentPeriod, *states: str) -> None:
    if period.state in states:
        return
    if period.state == State.FINALIZED:
        raise ValidationError(_frozen_message(), code="frozen")
    messages = {
        State.DRAFT: _("This period is still a draft; open it for self-assessment first."),
        State.SELF_ASSESSMENT: _("This period is open for self-assessment; start scoring first."),
        State.SCORING: _("This period is being scored; self-assessments can no longer change."),
    }
    raise ValidationError(messages[period.state], code="state")


def _is_assessor(user: User, institution: Institution) -> bool:
    return Membership.objects.with_scope(institution=institution).active(institution.local_today()).filter(
        user=user, role=Role.PENILAI).exists()


def _require_assessor(actor: User, period: AssessmentPeriod) -> None:
    if actor is None or not _is_assessor(actor, period.institution):
        raise ValidationError(_("Only an assessor of %(institution)s may do this.") % {"institution": period.institution.name},
                              code="not_assessor")


def _require_in_subtree(period: AssessmentPeriod, entry: Entry) -> None:
    if entry.period_id != period.pk or not entry.institution.is_descendant_of(period.institution):
        raise ValidationError(_("%(institution)s is not below %(assessor)s; an assessor scores only the institutions "
                                "below their own.") % {"institution": entry.institution.name,
                                                       "assessor": period.institution.name}, code="outside_subtree")
