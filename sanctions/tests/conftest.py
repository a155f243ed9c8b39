import datetime

import pytest
from django.test import Client

from conftest import mfa_client  # noqa: F401 - imported from here by the sanctions tests
from governance.models import Membership
from sanctions.tests.factories import StaffMemberFactory, group, join, publish_code, staff_for


def plain_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(side_a, unscoped):
    """Institution A with a published code, a WhatsApp group, staff records for every member and
    one more staff member without an account (Budi) who is in the group; the pegawai user is its admin."""
    side = side_a
    inst = side.institution
    # Roles held since long ago, so that tests may travel back in time.
    Membership.objects.filter(institution__in=[inst, side.parent]).update(starts_on=datetime.date(2020, 1, 1))
    publish_code(inst)
    for role, user in side.users.items():
        if role != "penilai":
            staff_for(user, inst, position={"kepala": "Kepala Madrasah"}.get(role, "Guru"))
    side.channel = group(inst, name="Grup Guru dan Pegawai")
    side.budi = StaffMemberFactory(institution=inst, full_name="Budi Santoso, S.Pd.", position="Guru IPA")
    join(side.channel, side.budi)
    join(side.channel, staff_for(side.users["pegawai"], inst), role="admin")
    return side
