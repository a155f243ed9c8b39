"""The members demo: staff through the audited service, groups and ~60 % acknowledgements, idempotent."""

import pytest
from django.core.management import call_command

from governance.models import AuditEntry, Institution
from members import selectors
from members.models import Acknowledgement, GroupMembership, StaffMember

pytestmark = pytest.mark.shared_data


@pytest.fixture
def demo(seeded_demo, db, settings):
    settings.DEBUG = True


def test_demo_staff_are_created_through_the_audited_service(demo, unscoped):
    madrasah = Institution.objects.get(slug="mtsn-1-muara-enim")
    staff = StaffMember.objects.filter(institution=madrasah)
    assert staff.count() == AuditEntry.objects.filter(institution=madrasah, action="members.staff.created").count() >= 14
    assert staff.filter(user__email="operator.mtsn-1-muara-enim@santun.test", position="Kepala Urusan Tata Usaha").exists()


def test_demo_fills_the_governance_demo_groups_and_acknowledges_its_codes(demo, unscoped):
    from governance.models import Channel, CodeVersion

    madrasah = Institution.objects.get(slug="mtsn-1-muara-enim")
    official = Channel.objects.get(institution=madrasah, name="WA Grup Resmi MTsN 1 Muara Enim")
    informal = Channel.objects.get(institution=madrasah, name="Grup Santai Guru dan Pegawai MTsN 1")
    version = CodeVersion.objects.get(institution=madrasah, state=CodeVersion.State.PUBLISHED)
    current = StaffMember.objects.filter(institution=madrasah, left_on__isnull=True).count()
    # Everyone on the staff is or was in the official group (the sanctions demo removes one person).
    members_ever = set(GroupMembership.objects.filter(channel=official).values_list("staff_id", flat=True))
    assert members_ever == set(StaffMember.objects.filter(institution=madrasah, left_on__isnull=True)
                               .values_list("pk", flat=True))
    admins = GroupMembership.objects.filter(channel=official, role=GroupMembership.Role.ADMIN, until__isnull=True)
    assert "humas.mtsn-1-muara-enim@santun.test" in {a.staff.user.email for a in admins if a.staff.user}
    assert 0 < GroupMembership.objects.filter(channel=informal).count() < current
    acknowledged, total = selectors.acknowledgement_share(madrasah, version)
    assert round(total * 0.5) <= acknowledged <= round(total * 0.7)
    assert not Acknowledgement.objects.filter(staff__user__email="pegawai.mtsn-1-muara-enim@santun.test").exists()
    counts = (GroupMembership.objects.count(), Acknowledgement.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo", quiet=True)
    assert (GroupMembership.objects.count(), Acknowledgement.objects.count(), AuditEntry.objects.count()) == counts
