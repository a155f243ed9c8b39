"""Election periods switch on and off on fixed dates (time-machine), in the institution's zone."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from governance import services
from governance.models import AuditEntry, ElectionPeriod, ElectionReminder, Notification, Role, TimeZone
from governance.selectors import active_election_periods
from governance.tasks import send_election_reminders
from governance.tests.conftest import client_for
from governance.tests.factories import ElectionPeriodFactory, InstitutionFactory, PublishedCodeFactory, RuleFactory

UTC = datetime.UTC


def noon_wib(year, month, day):
    return datetime.datetime(year, month, day, 5, 0, tzinfo=UTC)


def test_the_2024_periods_ship_as_data(periods_2024):
    pemilu, pilkada = periods_2024["pemilu"], periods_2024["pilkada"]
    assert (pemilu.campaign_starts_on, pemilu.campaign_ends_on) == (datetime.date(2023, 11, 28), datetime.date(2024, 2, 10))
    assert (pemilu.quiet_starts_on, pemilu.quiet_ends_on, pemilu.voting_day) == (
        datetime.date(2024, 2, 11), datetime.date(2024, 2, 13), datetime.date(2024, 2, 14))
    assert (pilkada.campaign_starts_on, pilkada.campaign_ends_on) == (datetime.date(2024, 9, 25), datetime.date(2024, 11, 23))
    assert (pilkada.quiet_starts_on, pilkada.quiet_ends_on, pilkada.voting_day) == (
        datetime.date(2024, 11, 24), datetime.date(2024, 11, 26), datetime.date(2024, 11, 27))
    for period in (pemilu, pilkada):
        period.full_clean()


@pytest.mark.parametrize(("moment", "expected", "phase"), [
    (noon_wib(2023, 11, 27), [], None),
    (noon_wib(2023, 11, 28), ["Pemilu 2024"], "campaign"),
    (noon_wib(2024, 2, 12), ["Pemilu 2024"], "quiet"),
    (noon_wib(2024, 2, 14), ["Pemilu 2024"], "voting"),
    (noon_wib(2024, 2, 15), [], None),
    (noon_wib(2024, 9, 24), [], None),
    (noon_wib(2024, 9, 25), ["Pilkada Serentak 2024"], "campaign"),
    (noon_wib(2024, 11, 27), ["Pilkada Serentak 2024"], "voting"),
    (noon_wib(2024, 11, 28), [], None),
])
def test_periods_switch_on_fixed_dates(periods_2024, moment, expected, phase):
    institution = InstitutionFactory()
    with time_machine.travel(moment, tick=False):
        periods = active_election_periods(institution)
        assert [p.name for p in periods] == expected
        if phase:
            assert periods[0].phase_on(institution.local_today()) == phase


def test_the_switch_follows_the_institutions_time_zone(periods_2024):
    jayapura = InstitutionFactory(timezone=TimeZone.WIT)
    jakarta = InstitutionFactory(timezone=TimeZone.WIB)
    # 16.30 UTC on 24 September 2024: 23.30 WIB, but already 01.30 WIT on the 25th.
    with time_machine.travel(datetime.datetime(2024, 9, 24, 16, 30, tzinfo=UTC), tick=False):
        assert [p.kind for p in active_election_periods(jayapura)] == ["pilkada"]
        assert active_election_periods(jakarta) == []


def test_a_regional_period_covers_only_its_regions(no_election_periods):
    muara_enim = InstitutionFactory(province_code="16", regency_code="16.03")
    kudus = InstitutionFactory(province_code="33", regency_code="33.19")
    ElectionPeriodFactory(coverage=ElectionPeriod.Coverage.REGENCY, region_codes=["16.03"])
    ElectionPeriodFactory(name="Pilgub Jateng", coverage=ElectionPeriod.Coverage.PROVINCE, region_codes=["33"])
    day = datetime.date(2030, 9, 10)
    assert [p.region_codes for p in active_election_periods(muara_enim, day)] == [["16.03"]]
    assert [p.name for p in active_election_periods(kudus, day)] == ["Pilgub Jateng"]


@pytest.mark.parametrize(("coverage", "codes"), [
    (ElectionPeriod.Coverage.NATIONAL, ["16"]),
    (ElectionPeriod.Coverage.PROVINCE, []),
    (ElectionPeriod.Coverage.PROVINCE, ["16.03"]),
    (ElectionPeriod.Coverage.REGENCY, ["16"]),
])
def test_operators_get_a_clear_message_for_wrong_region_codes(db, coverage, codes):
    period = ElectionPeriodFactory.build(coverage=coverage, region_codes=codes)
    with pytest.raises(ValidationError) as refused:
        period.full_clean()
    assert "region_codes" in refused.value.message_dict


def test_dates_must_run_in_order(db):
    period = ElectionPeriodFactory.build(quiet_starts_on=datetime.date(2030, 9, 10))
    with pytest.raises(ValidationError):
        period.full_clean()


def test_staff_are_reminded_once_per_period(side_a, periods_2024, unscoped, long_serving):
    long_serving()
    institution = side_a.institution
    with time_machine.travel(noon_wib(2024, 10, 1), tick=False):
        first = services.election_reminders_send(institution=institution)
        again = services.election_reminders_send(institution=institution)
    assert len(first) == 1 and again == []
    reminders = Notification.objects.filter(institution=institution, kind="governance.election_reminder")
    assert {n.recipient for n in reminders} == set(side_a.users.values())
    assert reminders.count() == len(side_a.users)
    assert "netral" in reminders.first().title.lower()
    record = ElectionReminder.objects.get(institution=institution)
    assert record.period == periods_2024["pilkada"] and record.recipients == len(side_a.users)
    assert AuditEntry.objects.filter(action="governance.election.reminded", institution=institution).count() == 1


def test_no_reminder_outside_a_period(side_a, periods_2024, unscoped):
    with time_machine.travel(noon_wib(2024, 6, 1), tick=False):
        assert services.election_reminders_send(institution=side_a.institution) == []
    assert not Notification.objects.filter(kind="governance.election_reminder").exists()


def test_the_daily_task_reminds_every_institution_in_a_period_once(side_a, side_b, periods_2024, unscoped, mailoutbox,
                                                                   long_serving, django_capture_on_commit_callbacks):
    long_serving()
    with time_machine.travel(noon_wib(2024, 2, 1), tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                assert send_election_reminders.delay().get() == 4  # both institutions and their parents
    assert ElectionReminder.objects.count() == 4
    staff_a = Notification.objects.filter(institution=side_a.institution, kind="governance.election_reminder")
    assert staff_a.count() == len(side_a.users)
    assert any("[Santun]" in mail.subject and "netral" in mail.subject.lower() for mail in mailoutbox)


def test_a_banner_and_pinned_neutrality_rules_only_during_the_period(side_a, periods_2024, long_serving):
    long_serving()
    institution = side_a.institution
    version = PublishedCodeFactory(institution=institution)
    RuleFactory(version=version, number="1", category="hoax", text="Dilarang menyebarkan hoaks.")
    RuleFactory(version=version, number="2", category="politics", text="Dilarang mendukung calon.")
    staff = client_for(side_a.users[Role.STAFF])
    dashboard = f"/instansi/{institution.slug}/"
    public = f"/instansi/{institution.slug}/kode-etik/"
    with time_machine.travel(noon_wib(2024, 2, 12), tick=False):
        page = staff.get(dashboard).content.decode()
        assert "Pemilu 2024: masa tenang" in page and "Aturan netralitas" in page
        public_page = Client().get(public).content.decode()
        assert "Netralitas pemilu — berlaku saat ini" in public_page
        assert public_page.index("Dilarang mendukung calon.") < public_page.index("Dilarang menyebarkan hoaks.")
    with time_machine.travel(noon_wib(2024, 2, 15), tick=False):
        assert "Pemilu 2024" not in staff.get(dashboard).content.decode()
        public_page = Client().get(public).content.decode()
        assert "Netralitas pemilu" not in public_page
        assert public_page.index("Dilarang menyebarkan hoaks.") < public_page.index("Dilarang mendukung calon.")


def test_the_beat_schedule_runs_the_reminders_daily():
    from config.celery_app import collect_beat_schedule

    entry = collect_beat_schedule()["governance-election-reminders"]
    assert entry["task"] == "governance.tasks.send_election_reminders"
