"""Election periods kept inside Santun: national ones by platform operators, regional ones by the
province or regency office of the region."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from conftest import mfa_client
from governance import selectors
from governance.models import AuditEntry, ElectionPeriod, Institution, Role
from governance.tests.conftest import client_for
from governance.tests.factories import InstitutionFactory, UserFactory, make_member

pytestmark = pytest.mark.usefixtures("no_election_periods", "unscoped")

PILKADES = {
    "name": "Pilkades Serentak Muara Enim", "kind": "pilkades", "coverage": "regency", "region_codes": "16.03",
    "campaign_starts_on": "2027-03-01", "campaign_ends_on": "2027-03-20", "quiet_starts_on": "2027-03-21",
    "quiet_ends_on": "2027-03-23", "voting_day": "2027-03-24", "candidate_names": "", "campaign_terms": "coblos",
}


@pytest.fixture
def kankemenag(db):
    return InstitutionFactory(slug="kemenag-muara-enim", name="Kankemenag Kab. Muara Enim",
                              kind=Institution.Kind.DISTRICT_OFFICE, regency_code="16.03")


@pytest.fixture
def operator(kankemenag):
    # The session starts on the test's (travelled) day.
    with time_machine.travel(datetime.datetime(2027, 1, 10, 3, 0, tzinfo=datetime.UTC), tick=False):
        client = client_for(make_member(kankemenag, Role.OPERATOR, email="operator@kemenag.test"))
    return client


TODAY = time_machine.travel(datetime.datetime(2027, 1, 10, 3, 0, tzinfo=datetime.UTC), tick=False)


def page(institution, name, **kwargs):
    return reverse(f"governance:{name}", kwargs={"institution": institution.slug, **kwargs})


@TODAY
def test_a_regency_office_enters_a_pilkades_that_its_madrasahs_then_live_under(kankemenag, operator):
    response = operator.post(page(kankemenag, "election_create"), PILKADES)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == page(kankemenag, "election_list")
    period = ElectionPeriod.objects.get()
    assert period.owner == kankemenag and period.region_codes == ["16.03"]
    entry = AuditEntry.objects.get(action="governance.election.entered")
    assert entry.institution == kankemenag and entry.data["regions"] == ["16.03"]
    listing = operator.get(page(kankemenag, "election_list")).content.decode()
    assert "Pilkades Serentak Muara Enim" in listing and "Ubah" in listing
    madrasah = InstitutionFactory(parent=kankemenag, regency_code="16.03")
    elsewhere = InstitutionFactory(regency_code="16.08")
    campaign = datetime.date(2027, 3, 5)
    assert [p.name for p in selectors.active_election_periods(madrasah, campaign)] == ["Pilkades Serentak Muara Enim"]
    assert selectors.active_election_periods(elsewhere, campaign) == []


@TODAY
def test_a_regency_office_cannot_enter_another_region_or_a_general_election(kankemenag, operator):
    response = operator.post(page(kankemenag, "election_create"), {**PILKADES, "region_codes": "16.08"})
    body = response.content.decode()
    assert response.status_code == 200 and "Hanya wilayah Anda sendiri" in body and "16.03" in body
    assert 'value="Pilkades Serentak Muara Enim"' in body  # what was typed stays
    response = operator.post(page(kankemenag, "election_create"), {**PILKADES, "kind": "pemilu"})
    assert response.status_code == 200
    assert ElectionPeriod.objects.count() == 0 and not AuditEntry.objects.filter(action__startswith="governance.election").exists()


@TODAY
def test_dates_out_of_order_are_refused_with_a_clear_message(kankemenag, operator):
    response = operator.post(page(kankemenag, "election_create"), {**PILKADES, "voting_day": "2027-03-10"})
    assert "Urutan tanggal harus" in response.content.decode()
    assert ElectionPeriod.objects.count() == 0


def test_a_madrasah_keeps_no_election_periods(side_a):
    client = client_for(side_a.users[Role.OPERATOR])
    body = client.get(page(side_a.institution, "election_create")).content.decode()
    assert "Hanya kantor provinsi atau kabupaten" in body and "<form method=\"post\" class=\"form-narrow\"" not in body
    client.post(page(side_a.institution, "election_create"), PILKADES)
    assert ElectionPeriod.objects.count() == 0


@TODAY
def test_overlapping_periods_are_shown(kankemenag, operator):
    ElectionPeriod.objects.create(
        name="Pemilu Contoh", kind="pemilu", coverage="national", campaign_starts_on=datetime.date(2027, 2, 1),
        campaign_ends_on=datetime.date(2027, 3, 1), quiet_starts_on=datetime.date(2027, 3, 2),
        quiet_ends_on=datetime.date(2027, 3, 4), voting_day=datetime.date(2027, 3, 5))
    response = operator.post(page(kankemenag, "election_create"), PILKADES, follow=True)
    body = response.content.decode()
    assert "Bertumpang tindih dengan: Pemilu Contoh" in body


@TODAY
def test_a_period_that_is_over_stays_as_it_was(kankemenag, operator):
    period = ElectionPeriod.objects.create(
        owner=kankemenag, name="Pilkades Lama", kind="pilkades", coverage="regency", region_codes=["16.03"],
        campaign_starts_on=datetime.date(2020, 3, 1), campaign_ends_on=datetime.date(2020, 3, 20),
        quiet_starts_on=datetime.date(2020, 3, 21), quiet_ends_on=datetime.date(2020, 3, 23),
        voting_day=datetime.date(2020, 3, 24))
    response = operator.post(page(kankemenag, "election_edit", pk=period.pk), {**PILKADES, "name": "Diubah"})
    assert "sudah selesai" in response.content.decode()
    period.refresh_from_db()
    assert period.name == "Pilkades Lama"
    assert "Ubah</a>" not in operator.get(page(kankemenag, "election_list")).content.decode()


def test_platform_operators_enter_a_national_period_on_their_page(db):
    operator = mfa_client(UserFactory(is_staff=True, is_superuser=True))
    data = {**PILKADES, "name": "Pemilu 2029", "kind": "pemilu", "coverage": "national", "region_codes": ""}
    response = operator.post(reverse("platform_election_create"), data)
    assert response.status_code == 302
    period = ElectionPeriod.objects.get()
    assert period.owner is None and period.coverage == "national"
    assert AuditEntry.objects.get(action="governance.election.entered").institution is None
    assert "Pemilu 2029" in operator.get(reverse("platform_election_list")).content.decode()


@TODAY
def test_the_list_costs_the_same_queries_with_many_future_periods(kankemenag, operator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as seen:
            listing = operator.get(page(kankemenag, "election_list")).content.decode()
        return len(seen), listing.count("Hapus")

    def add(i):
        ElectionPeriod.objects.create(
            owner=kankemenag, name=f"Pilkades {i}", kind="pilkades", coverage="regency", region_codes=["16.03"],
            campaign_starts_on=datetime.date(2027, 3, 1 + i), campaign_ends_on=datetime.date(2027, 3, 20),
            quiet_starts_on=datetime.date(2027, 3, 21), quiet_ends_on=datetime.date(2027, 3, 23),
            voting_day=datetime.date(2027, 3, 24))

    add(0)
    queries()  # the first visit also reads what later visits find remembered (the session)
    add(1)  # (each visit measured comes right after a change of the data)
    few, deletable = queries()
    for i in range(2, 8):
        add(i)
    many, deletable_many = queries()
    assert (deletable, deletable_many) == (2, 8)  # every future period without a reminder can be removed
    assert many == few


@TODAY
def test_the_head_sees_the_periods_but_is_offered_no_change_the_service_would_refuse(kankemenag, operator):
    assert operator.post(page(kankemenag, "election_create"), PILKADES).status_code == 302
    period = ElectionPeriod.objects.get()
    listing = operator.get(page(kankemenag, "election_list")).content.decode()
    assert page(kankemenag, "election_edit", pk=period.pk) in listing
    head = client_for(make_member(kankemenag, Role.HEAD, email="kepala@kemenag.test"))
    listing = head.get(page(kankemenag, "election_list")).content.decode()
    assert "Pilkades Serentak Muara Enim" in listing
    assert page(kankemenag, "election_edit", pk=period.pk) not in listing
    assert page(kankemenag, "election_delete", pk=period.pk) not in listing
    assert head.get(page(kankemenag, "election_edit", pk=period.pk)).status_code == 403
