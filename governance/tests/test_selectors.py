import datetime

import pytest
import time_machine
from django_scopes import scope

from governance import selectors
from governance.models import Channel, ChannelKind, RuleCategory, TimeZone
from governance.tests.factories import (
    ChannelFactory,
    InstitutionFactory,
    OfficialAccountFactory,
    PublicationFactory,
    PublishedCodeFactory,
    RuleFactory,
)

D = datetime.date
WIB = datetime.timezone(datetime.timedelta(hours=7))


def at(day: datetime.date, hour: int = 10, tz=WIB) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


def log_posts(account, days_and_counts):
    for day, count in days_and_counts:
        for i in range(count):
            PublicationFactory(channel=account, published_at=at(day, 8 + i))


@pytest.fixture
def frozen_today():
    # Wednesday 14 August 2024, 15.00 WIB.
    with time_machine.travel(datetime.datetime(2024, 8, 14, 8, 0, tzinfo=datetime.UTC), tick=False):
        yield D(2024, 8, 14)


def test_attainment_of_a_daily_target(db, unscoped, frozen_today):
    account = OfficialAccountFactory(posting_target=2, posting_target_unit=Channel.TargetUnit.DAY)
    log_posts(account, [(D(2024, 8, 5), 2), (D(2024, 8, 6), 3), (D(2024, 8, 8), 2), (D(2024, 8, 11), 3)])
    [row] = selectors.posting_target_attainment(account.institution, D(2024, 8, 5), D(2024, 8, 11))
    assert (row.days, row.posts, row.expected) == (7, 10, 14)
    assert row.share == pytest.approx(10 / 14) and row.percent == 71 and not row.met


def test_attainment_of_a_weekly_target_is_pro_rata_and_capped(db, unscoped, frozen_today):
    account = OfficialAccountFactory(posting_target=3, posting_target_unit=Channel.TargetUnit.WEEK)
    log_posts(account, [(D(2024, 7, 29), 4), (D(2024, 8, 7), 4)])
    [row] = selectors.posting_target_attainment(account.institution, D(2024, 7, 29), D(2024, 8, 11))
    # 14 days of a 3-per-week target: 6 expected; 8 posts attain more than all of it, counted as 100 %.
    assert (row.days, row.posts, row.expected) == (14, 8, 6)
    assert row.share == 1.0 and row.met


def test_days_still_to_come_are_not_expected_yet(db, unscoped, frozen_today):
    account = OfficialAccountFactory(posting_target=1)
    log_posts(account, [(D(2024, 8, 12), 1), (D(2024, 8, 13), 1)])
    [row] = selectors.posting_target_attainment(account.institution, D(2024, 8, 12), D(2024, 8, 18))
    assert (row.days, row.expected, row.posts) == (3, 3, 2)


def test_an_archived_account_counts_until_its_archive_day(db, unscoped, frozen_today):
    account = OfficialAccountFactory(posting_target=1, is_active=False, archived_at=at(D(2024, 8, 3), 9))
    [row] = selectors.posting_target_attainment(account.institution, D(2024, 8, 1), D(2024, 8, 10))
    assert row.days == 3
    gone = OfficialAccountFactory(institution=account.institution, posting_target=1, is_active=False,
                                  archived_at=at(D(2024, 7, 1), 9))
    rows = selectors.posting_target_attainment(account.institution, D(2024, 8, 1), D(2024, 8, 10))
    assert gone not in [r.channel for r in rows]


def test_only_official_accounts_with_a_target_are_assessed(db, unscoped, frozen_today):
    institution = InstitutionFactory()
    with_target = OfficialAccountFactory(institution=institution, posting_target=1)
    OfficialAccountFactory(institution=institution, posting_target=None)
    OfficialAccountFactory(institution=institution, posting_target=2, is_official=False)
    Channel.objects.create(institution=institution, kind=ChannelKind.WHATSAPP_GROUP, name="Grup", posting_target=1)
    rows = selectors.posting_target_attainment(institution, D(2024, 8, 1), D(2024, 8, 7))
    assert [r.channel for r in rows] == [with_target]


def test_posts_count_on_the_institutions_local_day(db, unscoped, frozen_today):
    banjarbaru = InstitutionFactory(timezone=TimeZone.WITA)
    account = OfficialAccountFactory(institution=banjarbaru, posting_target=1)
    # 23.30 WIB on 9 August is 00.30 WITA on 10 August.
    PublicationFactory(channel=account, published_at=datetime.datetime(2024, 8, 9, 16, 30, tzinfo=datetime.UTC))
    [row] = selectors.posting_target_attainment(banjarbaru, D(2024, 8, 10), D(2024, 8, 10))
    assert row.posts == 1
    [row] = selectors.posting_target_attainment(banjarbaru, D(2024, 8, 9), D(2024, 8, 9))
    assert row.posts == 0


def test_activity_per_day_and_per_week(db, unscoped, frozen_today):
    account = OfficialAccountFactory(posting_target=2)
    log_posts(account, [(D(2024, 8, 1), 1), (D(2024, 8, 5), 2), (D(2024, 8, 6), 3)])
    days = selectors.posting_activity(account, D(2024, 8, 1), D(2024, 8, 7), "day")
    assert [b.posts for b in days] == [1, 0, 0, 0, 2, 3, 0] and {b.target for b in days} == {2}
    weeks = selectors.posting_activity(account, D(2024, 8, 1), D(2024, 8, 11), "week")
    # Thursday–Sunday, then Monday–Sunday: weeks start on Monday and are cut at the edges.
    assert [(b.start, b.end, b.posts, b.target) for b in weeks] == [
        (D(2024, 8, 1), D(2024, 8, 4), 1, 8), (D(2024, 8, 5), D(2024, 8, 11), 5, 14)]


def test_layout_groups_by_kind_and_pins_politics_during_an_election(db, unscoped):
    version = PublishedCodeFactory()
    RuleFactory(version=version, number="1", category=RuleCategory.HOAX, kind="prohibition")
    RuleFactory(version=version, number="2", category=RuleCategory.POLITICS, kind="prohibition")
    RuleFactory(version=version, number="3", category=RuleCategory.OTHER, kind="permission")
    RuleFactory(version=version, number="4", category=RuleCategory.ETIQUETTE, kind="recommendation")
    with scope(institution=version.institution):
        plain = selectors.code_layout(version)
        assert plain.pinned == []
        assert [g["kind"] for g in plain.groups] == ["prohibition", "recommendation", "permission"]
        assert [c["category"] for c in plain.groups[0]["categories"]] == ["hoax", "politics"]
        pinned = selectors.code_layout(version, periods=["Pemilu"])
        assert [r.number for r in pinned.pinned] == ["2"]
        assert [c["category"] for c in pinned.groups[0]["categories"]] == ["hoax"]


def test_channel_rules_are_those_of_the_code_in_force_for_its_kind(db, unscoped):
    version = PublishedCodeFactory()
    RuleFactory(version=version, number="1", channel_kinds=[])
    RuleFactory(version=version, number="2", channel_kinds=[ChannelKind.WHATSAPP_GROUP])
    RuleFactory(version=version, number="3", channel_kinds=[ChannelKind.INSTAGRAM, ChannelKind.FACEBOOK])
    group = ChannelFactory(institution=version.institution)
    with scope(institution=version.institution):
        assert [r.number for r in selectors.channel_rules(group)] == ["1", "2"]


def test_the_qr_code_encodes_the_public_page(db, settings):
    import segno

    settings.SANTUN_SITE_URL = "https://santun.example.go.id/"
    institution = InstitutionFactory(slug="mtsn-contoh")
    url = selectors.public_code_url(institution)
    assert url == "https://santun.example.go.id/instansi/mtsn-contoh/kode-etik/"
    assert selectors.code_qr(institution).matrix == segno.make(url, error="m", micro=False).matrix
    assert selectors.code_qr(institution).matrix != segno.make(url + "x", error="m", micro=False).matrix
