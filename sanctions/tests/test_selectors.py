"""The indicators the semester assessment reads: values, formulas, and a fixed number of queries."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from conftest import build_side
from governance.models import Membership
from sanctions import selectors, services
from sanctions.tests.factories import (
    StaffMemberFactory,
    approved_measure,
    file_report,
    group,
    join,
    publish_code,
    staff_for,
)

D = datetime.date
START, END = D(2025, 1, 1), D(2025, 6, 30)


def at(day, hour=3):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC), tick=False)


def prepared(name):
    side = build_side(name)
    Membership.objects.filter(institution__in=[side.institution, side.parent]).update(starts_on=D(2020, 1, 1))
    publish_code(side.institution)
    for role in ("kepala", "humas", "pegawai", "operator"):
        staff_for(side.users[role], side.institution)
    return side


def test_indicators(db, unscoped):
    a, b = prepared("ind-a"), prepared("ind-b")
    inst, humas, head = a.institution, a.users["humas"], a.users["kepala"]
    budi = StaffMemberFactory(institution=inst)
    channel = group(inst)
    join(channel, budi)
    join(channel, staff_for(a.users["pegawai"], inst), role="admin")
    # Submitted Monday 3 March, confirmed Thursday 6 March: 3 working days.
    with at(D(2025, 3, 3)):
        report = file_report(inst, reporter=humas, subject_staff=budi)
        services.report_start_review(actor=humas, report=report)
    with at(D(2025, 3, 6)):
        services.report_confirm(actor=humas, report=report, reason="x")
    # Submitted and dismissed the same day: 0.
    with at(D(2025, 4, 14)):
        other = file_report(inst, reporter=humas, subject_staff=budi)
        services.report_start_review(actor=humas, report=other)
        services.report_dismiss(actor=humas, report=other, reason="x")
    # Still open since February: older than 30 days at the end of June.
    with at(D(2025, 2, 3)):
        file_report(inst, reporter=humas, subject_staff=budi)
    # A removal due 5 June, carried out 10 June (late); another carried out on time.
    with at(D(2025, 6, 2)):
        late = approved_measure(inst, humas=humas, head=head, subject_staff=budi, channel=channel, position=3)
    with at(D(2025, 6, 10)):
        services.removal_confirm(actor=a.users["pegawai"], task=late.removal, carried_out_on=D(2025, 6, 10))
    with at(D(2025, 6, 2)):
        on_time = approved_measure(inst, humas=humas, head=head, subject_name="Luar", channel=channel, position=3)
        services.removal_confirm(actor=a.users["pegawai"], task=on_time.removal, carried_out_on=D(2025, 6, 2))

    ids = [inst.pk, b.institution.pk]
    with scope(institution=ids):
        # March–April: 3 and 0 working days; the two removal cases of 2 June were decided the day they came.
        assert selectors.median_working_days_to_decision(ids, START, D(2025, 4, 30)) == {inst.pk: 1.5, b.institution.pk: None}
        assert selectors.median_working_days_to_decision(ids, START, END)[inst.pk] == 0
        assert selectors.open_cases_older_than(ids, START, END) == {inst.pk: 1, b.institution.pk: 0}
        # Confirmed in the window: 3 March and two on 2 June; five people on the staff list.
        per_100 = selectors.confirmed_violations_per_100_staff(ids, START, END)
        assert per_100[b.institution.pk] == 0
        assert per_100[inst.pk] == round(100 * 3 / 5, 2)
        assert selectors.removals_on_time_share(ids, START, END) == {inst.pk: 0.5, b.institution.pk: None}


def test_indicators_take_a_fixed_number_of_queries(db, unscoped):
    sides = [prepared(f"q{i}") for i in range(3)]
    ids = [s.institution.pk for s in sides]
    counts = []
    for subset in (ids[:1], ids):
        with scope(institution=subset), CaptureQueriesContext(connection) as queries:
            selectors.median_working_days_to_decision(subset, START, END)
            selectors.open_cases_older_than(subset, START, END)
            selectors.confirmed_violations_per_100_staff(subset, START, END)
            selectors.removals_on_time_share(subset, START, END)
        counts.append(len(queries))
    assert counts[0] == counts[1] == 10
