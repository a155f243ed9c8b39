"""Fixtures of the governance tests."""

import importlib

import pytest
from django.test import Client

from governance.models import ElectionPeriod

# The migration that ships the 2024 periods; transactional tests flush the table, so tests that
# need the periods make sure they exist from the same data.
PERIODS_2024 = importlib.import_module("governance.migrations.0006_election_periods_2024").PERIODS


@pytest.fixture
def periods_2024(db):
    periods = {}
    for fields in PERIODS_2024:
        period, _ = ElectionPeriod.objects.get_or_create(name=fields["name"], voting_day=fields["voting_day"],
                                                         defaults=fields)
        periods[period.kind] = period
    return periods


@pytest.fixture
def no_election_periods(db):
    """Tests about ordinary days must not run into the shipped election periods."""
    ElectionPeriod.objects.all().delete()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def long_serving(db):
    """Memberships created today would not exist yet on the past dates tests travel to."""
    from django_scopes import scopes_disabled

    from governance.models import Membership

    def backdate():
        with scopes_disabled():
            Membership.objects.update(starts_on="2020-01-01")

    return backdate
