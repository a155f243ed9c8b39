"""The demo has an election running on whatever day it is loaded, in one region only."""

import datetime

from governance.demo import DEMO_ELECTION_NAME, seed_demo_election
from governance.models import ElectionPeriod
from governance.selectors import active_election_periods
from governance.tests.factories import InstitutionFactory


def test_the_demo_election_runs_around_the_day_it_is_loaded_in_banjarbaru_only(db, unscoped):
    banjarbaru = InstitutionFactory(slug="kemenag-banjarbaru", province_code="63", regency_code="63.72")
    elsewhere = InstitutionFactory(slug="pemkab-oku-timur", province_code="16", regency_code="16.08")
    for day in (datetime.date(2027, 2, 1), datetime.date(2031, 9, 15)):
        period = seed_demo_election(day)
        assert period.name.startswith("Contoh demo") and period in active_election_periods(banjarbaru, day)
        assert period not in active_election_periods(elsewhere, day)
    assert ElectionPeriod.objects.filter(name=DEMO_ELECTION_NAME).count() == 1
