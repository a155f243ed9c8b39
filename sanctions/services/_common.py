"""Checks and steps that several service modules share (not part of the app's API)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from governance.models import Institution, User

from .. import notifications as notices
from ..models import Measure, ViolationReport
from ..rules import has as _has  # noqa: F401
from ..rules import not_the_subject as _not_the_subject  # noqa: F401
from ..rules import require as _require  # noqa: F401


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


def _local_date(institution: Institution, value: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(value or timezone.now(), institution.tzinfo).date()


def _store(path: str, data: bytes) -> str:
    return default_storage.save(path, ContentFile(data))


def _lock_report(report: ViolationReport) -> ViolationReport:
    return ViolationReport.objects.select_for_update().get(pk=report.pk)


def _lock_measure(measure: Measure) -> Measure:
    return Measure.objects.select_for_update(of=("self",)).select_related("report", "report__subject_staff").get(pk=measure.pk)


def _appointers(decision) -> list[User]:
    """When nobody may decide a case: those who appoint an acting head where it waits."""
    return notices.parent_heads(decision.institution)
