"""The election periods Santun ships as data (migration 0006), available to code that must be sure
they exist — the demo, and tests running after a database flush."""

import importlib

from .models import ElectionPeriod

SHIPPED_PERIODS = importlib.import_module("governance.migrations.0006_election_periods_2024").PERIODS


def ensure_shipped_periods() -> list[ElectionPeriod]:
    return [
        ElectionPeriod.objects.get_or_create(name=fields["name"], voting_day=fields["voting_day"], defaults=fields)[0]
        for fields in SHIPPED_PERIODS
    ]
