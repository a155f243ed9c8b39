"""Acknowledgement reminders that run by themselves: a week after a code is published and weekly
after that, at most four per person and version, only to those who have not acknowledged it."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from governance.models import AuditEntry, Notification, Role
from members import services
from members.models import AcknowledgementReminder
from members.schedule import BEAT_SCHEDULE
from members.tests.factories import AcknowledgementFactory, CodeVersionFactory, StaffMemberFactory

PUBLISHED = datetime.datetime(2025, 3, 3, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def staffed(side_a, unscoped):
    pegawai = StaffMemberFactory(institution=side_a.institution, user=side_a.users[Role.STAFF])
    humas = StaffMemberFactory(institution=side_a.institution, user=side_a.users[Role.PUBLIC_RELATIONS])
    version = CodeVersionFactory(institution=side_a.institution, published_at=PUBLISHED)
    AcknowledgementFactory(staff=humas, version=version)
    return pegawai, version


def send(side, day, hour=9):
    return services.acknowledgement_reminders_send_due(
        institution=side.institution, now=PUBLISHED + datetime.timedelta(days=day, hours=hour - 8))


def reminders_to(user):
    return Notification.objects.filter(kind="members.acknowledgement_reminder", recipient=user).count()


def test_weekly_reminders_stop_after_four(side_a, staffed, django_capture_on_commit_callbacks):
    pegawai, version = staffed
    with django_capture_on_commit_callbacks(execute=True):
        assert send(side_a, 3) == 0  # not a week old yet
        assert send(side_a, 7) == 1
        assert send(side_a, 8) == 0  # the next one comes a week later
        assert [send(side_a, day) for day in (14, 21, 28, 35, 42)] == [1, 1, 1, 0, 0]
    assert reminders_to(side_a.users[Role.STAFF]) == 4
    assert reminders_to(side_a.users[Role.PUBLIC_RELATIONS]) == 0  # already acknowledged
    record = AcknowledgementReminder.objects.get(staff=pegawai, version=version)
    assert record.sent_count == 4 and record.last_sent_at.date() == datetime.date(2025, 3, 31)
    assert len(mail.outbox) == 4 and mail.outbox[0].to == [side_a.users[Role.STAFF].email]
    entries = AuditEntry.objects.filter(action="members.acknowledgement.reminded")
    assert entries.count() == 4 and entries.first().data["automatic"] is True


def test_acknowledging_stops_the_reminders(side_a, staffed, django_capture_on_commit_callbacks):
    pegawai, version = staffed
    with django_capture_on_commit_callbacks(execute=True):
        assert send(side_a, 7) == 1
        services.acknowledgement_record(actor=side_a.users[Role.STAFF], staff=pegawai, version=version)
        assert send(side_a, 14) == 0
    assert reminders_to(side_a.users[Role.STAFF]) == 1


def test_a_new_version_starts_its_own_count(side_a, staffed, django_capture_on_commit_callbacks):
    pegawai, version = staffed
    AcknowledgementReminder.objects.create(staff=pegawai, version=version, sent_count=4, last_sent_at=PUBLISHED)
    version.state = version.State.SUPERSEDED
    version.save()
    CodeVersionFactory(institution=side_a.institution, published_at=PUBLISHED + datetime.timedelta(days=1))
    from django.core.cache import cache

    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send(side_a, 8) == 2  # Humas has not acknowledged the new version either
    assert reminders_to(side_a.users[Role.STAFF]) == 1


def test_one_beat_entry_runs_the_reminders_every_morning():
    entry = BEAT_SCHEDULE["members-acknowledgement-reminders"]
    assert entry["task"] == "members.tasks.remind_acknowledgements_everywhere"
    assert entry["schedule"].is_due(timezone.now() - datetime.timedelta(days=1)).is_due
