#!/usr/bin/env python
"""Benchmark: how long a semester assessment takes to compute for 100, 250 and 500 institutions.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/semester.py [100 250 500]

It creates a throw-away test database (SQLite in memory, or ``test_<name>`` on the PostgreSQL of
``DATABASE_URL``), generates an assessor with N madrasahs below it — staff, a published code with
acknowledgements, two assessors' scores — and times, for each size:

- ``compute``: the indicators from the data and every institution's total and band
  (``reports.services.compute_period``, what "start scoring" and "recompute" run);
- ``finalize``: the same plus ranks, the previous-semester change and the frozen summary;
- ``ranking``: the ranking page's data (``reports.selectors.ranking``).

and the number of SQL queries of each, which must not grow with N. Prints JSON. A measurement, not
a test: nothing fails when it is slow.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from governance.models import CodeVersion, Institution, Membership, Role, User  # noqa: E402
from governance.tenancy import subtree_scope  # noqa: E402
from members.models import Acknowledgement, StaffMember  # noqa: E402
from reports import selectors, services  # noqa: E402
from reports.models import AssessmentPeriod, AssessorScore, Entry, IndicatorValue  # noqa: E402

STAFF_PER_INSTITUTION = 12
END = datetime.date(2024, 6, 30)


def build(size: int) -> tuple[Institution, list[User], AssessmentPeriod]:
    kanwil = Institution.objects.create(name=f"Kanwil Bench {size}", slug=f"kanwil-bench-{size}",
                                        kind=Institution.Kind.REGIONAL_OFFICE, province_code="16")
    assessors = []
    for number in (1, 2):
        user = User.objects.create(email=f"penilai{number}-{size}@bench.test")
        Membership.objects.create(user=user, institution=kanwil, role=Role.ASSESSOR, starts_on=datetime.date(2020, 1, 1))
        assessors.append(user)
    madrasahs = []
    for index in range(size):
        madrasahs.append(Institution.objects.create(
            name=f"MTs Bench {size}-{index}", slug=f"mts-bench-{size}-{index}", parent=kanwil,
            kind=Institution.Kind.MADRASAH, province_code="16", regency_code=f"16.{index % 17 + 1:02d}"))
    staff = StaffMember.objects.bulk_create([
        StaffMember(institution=m, full_name=f"Pegawai {i}", status=StaffMember.Status.HONORER,
                    joined_on=datetime.date(2020, 1, 1))
        for m in madrasahs for i in range(STAFF_PER_INSTITUTION)
    ], batch_size=2000)
    published = datetime.datetime(2024, 2, 1, 9, tzinfo=datetime.UTC)
    versions = {v.institution_id: v for v in CodeVersion.objects.bulk_create([
        CodeVersion(institution=m, number=1, title="Kode etik", state=CodeVersion.State.PUBLISHED, published_at=published)
        for m in madrasahs if m.pk % 7])}
    Acknowledgement.objects.bulk_create([
        Acknowledgement(staff=person, version=versions[person.institution_id], acknowledged_at=published)
        for person in staff if person.institution_id in versions and person.pk % 4
    ], batch_size=2000)
    rubric = services.rubric_create_default(actor=assessors[0], institution=kanwil)
    with subtree_scope(kanwil):
        period = services.period_create(
            actor=assessors[0], institution=kanwil, year=2024, semester=1, rubric=rubric, kinds=[],
            self_assessment_deadline=datetime.date(2024, 7, 31), scoring_deadline=datetime.date(2024, 8, 31))
        services.period_open(actor=assessors[0], period=period, today=datetime.date(2024, 7, 1), email=False)
        AssessmentPeriod.objects.filter(pk=period.pk).update(state=AssessmentPeriod.State.SCORING)
        period.refresh_from_db()
        criteria = selectors.criteria_for(period)
        AssessorScore.objects.bulk_create([
            AssessorScore(entry=entry, criterion=criterion, assessor=assessor,
                          score=(entry.institution_id + criterion.pk + number) % 5)
            for entry in Entry.objects.filter(period=period)
            for criterion in criteria if not criterion.indicator
            for number, assessor in enumerate(assessors)
        ], batch_size=2000)
    return kanwil, assessors, period


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        function()
        seconds = time.perf_counter() - start
    return round(seconds, 3), len(queries)


def score_missing_indicators(period: AssessmentPeriod, assessors: list[User]) -> None:
    """An indicator without data (this world has no channels or publications) leaves its criterion
    to the assessors, as it would in real life: they score it, so that the period can be finalized."""
    missing = IndicatorValue.objects.filter(entry__period=period, value__isnull=True).values_list("entry_id", "code")
    by_code = {c.indicator: c for c in selectors.criteria_for(period) if c.indicator}
    AssessorScore.objects.bulk_create([
        AssessorScore(entry_id=entry_id, criterion=by_code[code], assessor=assessor, score=(entry_id + number) % 5)
        for entry_id, code in missing if code in by_code for number, assessor in enumerate(assessors)
    ], batch_size=2000)


def measure(size: int) -> dict:
    kanwil, assessors, period = build(size)
    from django.db import transaction

    with subtree_scope(kanwil):
        compute, compute_queries = timed(lambda: transaction.atomic()(services.compute_period)(period))
        score_missing_indicators(period, assessors)
        finalize, finalize_queries = timed(lambda: services.period_finalize(actor=assessors[0], period=period,
                                                                            email=False))
        period.refresh_from_db()
        ranking, ranking_queries = timed(lambda: selectors.ranking(period))
    return {
        "institutions": size, "compute_seconds": compute, "compute_queries": compute_queries,
        "compute_ms_per_institution": round(1000 * compute / size, 2),
        "finalize_seconds": finalize, "finalize_queries": finalize_queries,
        "ranking_seconds": ranking, "ranking_queries": ranking_queries,
    }


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [100, 250, 500]
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = [measure(size) for size in sizes]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps({"benchmark": "reports.semester", "database": connection.vendor, "results": results}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
