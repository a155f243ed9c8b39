"""Checks and constants shared by the reports services (not part of the public interface)."""

from __future__ import annotations

import datetime
import logging

from django.utils import formats

from ..models import (
    AssessmentPeriod,
)
from ..rules import STALE_EXPORT_AFTER  # noqa: F401  (the guards live in ``rules``)
from ..rules import frozen_message as _frozen_message  # noqa: F401
from ..rules import is_assessor as _is_assessor  # noqa: F401
from ..rules import require_assessor as _require_assessor  # noqa: F401
from ..rules import require_in_subtree as _require_in_subtree  # noqa: F401
from ..rules import require_state as _require_state  # noqa: F401

logger = logging.getLogger(__name__)


State = AssessmentPeriod.State


MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


MAX_EVIDENCE_PER_CRITERION = 5


MAX_LINKS = 10


MAX_TEXT = 4000


# bulk_update writes one CASE per column over the batch: small batches keep it linear in institutions.
UPDATE_BATCH = 100


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")
