from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from sanctions.tests.conftest import world  # noqa: F401 - the sanctions tests' institution A


@pytest.fixture
def wita():
    return ZoneInfo("Asia/Makassar")


@pytest.fixture
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def chat_world(world):  # noqa: F811 - the fixture imported above
    """Institution A (the sanctions tests' ``world``) whose pegawai writes in the group from the
    number in the test export, with Budi Santoso on the staff list."""
    from members.models import StaffMember
    from sanctions.tests.factories import staff_for
    from triage.tests.factories import CHAT_PHONE

    world.pegawai_staff = staff_for(world.users["pegawai"], world.institution)
    StaffMember.objects.filter(pk=world.pegawai_staff.pk).update(phone=CHAT_PHONE)
    world.pegawai_staff.refresh_from_db()
    return world


@pytest.fixture
def pilkada(db):
    """Pilkada 2024 (its dates come with the governance migrations; a test that flushed the database
    removed them, so they are made again if missing), with a candidate name and a campaign slogan
    entered by the operator."""
    import datetime

    from governance.elections import ensure_shipped_periods
    from governance.models import ElectionPeriod

    ensure_shipped_periods()
    period = ElectionPeriod.objects.get(kind=ElectionPeriod.Kind.PILKADA, voting_day=datetime.date(2024, 11, 27))
    period.candidate_names = "Hendra Wijaya\nSugeng Rahardjo"
    period.campaign_terms = period.campaign_terms + "\nMuara Enim Maju\n#HWmenang"
    period.save()
    return period
