"""Each person's own settings: language on the account (pages, notices and e-mails follow it) and
how notices reach them by e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from governance import services, tasks
from governance.models import AuditEntry, Notification, Role, User
from governance.tests.conftest import client_for

pytestmark = pytest.mark.usefixtures("unscoped")


def settings_url(side):
    return reverse("governance:my_settings", kwargs={"institution": side.institution.slug})


def test_english_on_the_account_reaches_pages_notices_and_e_mails(side_a, django_capture_on_commit_callbacks):
    user = side_a.users[Role.STAFF]
    client = client_for(user)
    response = client.post(settings_url(side_a), {"full_name": "Siti Aminah", "language": "en",
                                                  "notification_mode": "immediate"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en" and user.full_name == "Siti Aminah"
    assert "My settings" in client.get(settings_url(side_a)).content.decode()
    # A fresh browser without the cookie still gets English once signed in.
    assert "My settings" in client_for(user).get(settings_url(side_a)).content.decode()
    mail.outbox.clear()
    from django.utils.translation import gettext_lazy
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[user], institution=side_a.institution, kind="test",
                        title=gettext_lazy("Election period: keep your social media neutral"))
    assert Notification.objects.get(recipient=user).title == "Election period: keep your social media neutral"
    assert mail.outbox[0].subject == "[Santun] Election period: keep your social media neutral"
    entry = AuditEntry.objects.filter(action="governance.account.settings_changed").latest("created_at")
    assert "Siti" not in str(entry.data) and entry.data["language"] == "en"


def test_the_switcher_saves_the_language_on_the_account(side_a):
    user = side_a.users[Role.PUBLIC_RELATIONS]
    client = client_for(user)
    client.post(reverse("switch_language"), {"language": "en", "next": settings_url(side_a)})
    user.refresh_from_db()
    assert user.language == "en"


def test_a_refused_setting_changes_nothing_and_keeps_what_was_typed(side_a):
    user = side_a.users[Role.STAFF]
    response = client_for(user).post(settings_url(side_a), {"full_name": "Nama Baru", "language": "fr",
                                                            "notification_mode": "digest"})
    body = response.content.decode()
    assert response.status_code == 200 and 'value="Nama Baru"' in body and "fr bukan salah satu" in body
    user.refresh_from_db()
    assert user.full_name != "Nama Baru" and user.notification_mode == User.NotificationMode.IMMEDIATE


@pytest.fixture
def notice(django_capture_on_commit_callbacks):
    def send(side, user, *, urgent=False, title="Ada kabar"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notify(recipients=[user], institution=side.institution, kind="test", title=title,
                                   urgent=urgent)
    return send


@pytest.fixture
def digests(django_capture_on_commit_callbacks):
    def run():
        with django_capture_on_commit_callbacks(execute=True):
            queued = tasks.send_notification_digests()
        return queued
    return run


def test_a_daily_digest_gathers_the_days_notices_into_one_e_mail(side_a, notice, digests):
    user = side_a.users[Role.PUBLIC_RELATIONS]
    services.account_settings_update(user=user, notification_mode=User.NotificationMode.DIGEST)
    user.refresh_from_db()
    mail.outbox.clear()
    notice(side_a, user, title="Kode etik induk terbit")
    notice(side_a, user, title="Hasil penilaian terbit")
    assert mail.outbox == []
    notice(side_a, user, urgent=True, title="Keputusan menunggu Anda")
    assert [m.subject for m in mail.outbox] == ["[Santun] Keputusan menunggu Anda"]
    mail.outbox.clear()
    assert digests() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "2" in digest.subject and "Kode etik induk terbit" in digest.body and "Hasil penilaian terbit" in digest.body
    assert "Keputusan menunggu Anda" not in digest.body
    mail.outbox.clear()
    assert digests() == 0 and mail.outbox == []


def test_in_app_only_sends_no_e_mail_except_for_decisions_and_deadlines(side_a, notice, digests):
    user = side_a.users[Role.HEAD]
    services.account_settings_update(user=user, notification_mode=User.NotificationMode.IN_APP)
    user.refresh_from_db()
    mail.outbox.clear()
    notice(side_a, user)
    assert mail.outbox == [] and Notification.objects.filter(recipient=user).count() == 1
    notice(side_a, user, urgent=True, title="Keputusan menunggu Anda")
    assert len(mail.outbox) == 1
    digests()
    assert len(mail.outbox) == 1


def test_the_settings_page_links_to_two_factor_settings(side_a):
    body = client_for(side_a.users[Role.HEAD]).get(settings_url(side_a)).content.decode()
    assert reverse("mfa_index") in body and reverse("account_change_password") in body
