"""The core pages are kept per visitor until their data changes (governance.pagecache): what a
person sees on the next visit is what a fresh render would show them, and nothing of one visit —
its CSRF token, its one-time messages, its visitor — reaches another."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from governance.tests.factories import make_member
from sanctions import services
from sanctions.models import ViolationReport
from sanctions.tests.conftest import plain_client
from sanctions.tests.factories import file_report

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
ANY_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


def queue_url(world):
    return reverse("sanctions:queue", kwargs={"institution": world.institution.slug})


def case_url(world, report):
    return reverse("sanctions:report_detail", kwargs={"institution": world.institution.slug, "pk": report.pk})


def test_a_second_visit_is_served_without_rendering_and_shows_the_same_page(world):
    humas = plain_client(world.users["humas"])
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi)
    first = humas.get(queue_url(world))
    second = humas.get(queue_url(world))
    assert first.status_code == second.status_code == 200
    assert first.context is not None and second.context is None  # the second came from the cache
    same = ANY_TOKEN.sub(r"\1", second.content.decode())
    assert same == ANY_TOKEN.sub(r"\1", first.content.decode()) and f"#{report.pk}" in same


def test_a_change_shows_on_the_very_next_visit(world):
    humas = plain_client(world.users["humas"])
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi)
    humas.get(case_url(world, report))
    humas.get(queue_url(world))
    services.report_start_review(actor=world.users["humas"], report=report)
    case = humas.get(case_url(world, report))
    assert case.context is not None and case.context["report"].state == "in_review"
    newer = file_report(world.institution, reporter=world.users["pegawai"], subject_name="Pak Anwar")
    assert f"#{newer.pk}" in humas.get(queue_url(world)).content.decode()


def test_each_session_gets_its_own_working_csrf_token(world):
    user = world.users["humas"]
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi)
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    phone.force_login(user)
    laptop.force_login(user)
    first = phone.get(case_url(world, report))
    second = laptop.get(case_url(world, report))
    assert second.context is None  # the laptop was served the copy the phone's visit left
    phone_token, laptop_token = TOKEN.search(first.content.decode())[1], TOKEN.search(second.content.decode())[1]
    assert phone_token != laptop_token
    assert "__santun_csrf_token__" not in second.content.decode()
    start = reverse("sanctions:report_start_review", kwargs={"institution": world.institution.slug, "pk": report.pk})
    refused = laptop.post(start, {"csrfmiddlewaretoken": phone_token.swapcase()})
    assert refused.status_code == 403
    done = laptop.post(start, {"csrfmiddlewaretoken": laptop_token})
    assert done.status_code == 302
    assert ViolationReport.objects.get(pk=report.pk).state == "in_review"


def test_visitors_never_share_a_copy(world):
    other_humas = make_member(world.institution, "humas", email="humas2.a@contoh.test", full_name="Rina Humas Kedua")
    file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi)
    first = plain_client(world.users["humas"]).get(queue_url(world))
    second = plain_client(other_humas).get(queue_url(world))
    assert second.context is not None  # rendered for this visitor, not taken from the first one's copy
    signed_in_as = 'text-break">Rina Humas Kedua</span>'  # the account menu names the visitor
    assert signed_in_as in second.content.decode() and signed_in_as not in first.content.decode()


def test_one_time_messages_are_shown_once_and_never_kept(world):
    humas = plain_client(world.users["humas"])
    report = file_report(world.institution, reporter=world.users["pegawai"], subject_staff=world.budi)
    humas.get(case_url(world, report))
    start = reverse("sanctions:report_start_review", kwargs={"institution": world.institution.slug, "pk": report.pk})
    after = humas.post(start, follow=True)
    messages = [str(m) for m in after.context["messages"]]
    assert messages and messages[0] in after.content.decode()
    again = humas.get(case_url(world, report)).content.decode()
    assert messages[0] not in again


def test_the_language_of_the_visit_chooses_the_copy(world):
    humas = plain_client(world.users["humas"])
    indonesian = humas.get(queue_url(world)).content.decode()
    humas.cookies["django_language"] = "en"
    english = humas.get(queue_url(world)).content.decode()
    assert 'lang="id"' in indonesian and 'lang="en"' in english


def test_a_role_taken_away_closes_the_kept_page_at_once(world):
    from governance import services as governance_services
    from governance.models import Membership

    humas = plain_client(world.users["humas"])
    assert humas.get(queue_url(world)).status_code == 200
    assert humas.get(queue_url(world)).status_code == 200  # kept
    membership = Membership.objects.get(user=world.users["humas"], institution=world.institution)
    governance_services.membership_end(actor=world.users["operator"], membership=membership)
    assert humas.get(queue_url(world)).status_code == 404


def test_a_renamed_institution_shows_its_new_name_at_once(world):
    from governance import services as governance_services

    humas = plain_client(world.users["humas"])
    humas.get(queue_url(world))
    humas.get(queue_url(world))
    governance_services.institution_rename(actor=world.parent_users["operator"], institution=world.institution,
                                           name="MTs Negeri Nama Baru")
    assert "MTs Negeri Nama Baru" in humas.get(queue_url(world)).content.decode()
