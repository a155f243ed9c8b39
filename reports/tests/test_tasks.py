"""The province-wide export on a real Celery worker (Redis), as in production."""

import time

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from governance.models import Institution, Role
from governance.tests.factories import InstitutionFactory, make_member
from reports import services
from reports.models import AssessmentPeriod, Export
from reports.tests.factories import make_period, small_rubric
from tests.test_celery_worker import redis_worker  # noqa: F401 — the foundation's worker fixture


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_province_export(redis_worker):  # noqa: F811
    with scopes_disabled():
        kanwil = InstitutionFactory(slug="kanwil-worker", kind=Institution.Kind.REGIONAL_OFFICE)
        InstitutionFactory(parent=kanwil, name="MTs Worker")
        penilai = make_member(kanwil, Role.ASSESSOR)
        period = make_period(kanwil, rubric=small_rubric(kanwil), state=AssessmentPeriod.State.FINALIZED, scorer=penilai)
        with transaction.atomic():
            export = services.export_request(actor=penilai, period=period, fmt="xlsx", params={"language": "id"})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with scopes_disabled():
            export.refresh_from_db()
        if not export.is_active:
            break
        time.sleep(0.2)
    assert export.state == Export.State.DONE and export.progress == 100
    assert export.file.read().startswith(b"PK")
