"""On a phone: an assessor signs in with TOTP, scores a madrasah and publishes; the madrasah's Humas
then sees the result on its report card."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from governance.models import Institution, Role
from governance.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, InstitutionFactory, make_member
from reports.models import AssessmentPeriod
from reports.tests.factories import make_period, small_rubric


def sign_in(page, base, email, *, totp=False):
    page.goto(f"{base}/akun/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    if totp:
        page.get_by_label("Kode").fill(format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30)))
        page.get_by_role("button", name="Masuk").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_assessor_scores_a_madrasah_and_its_humas_sees_the_result(live_server, page):
    with scopes_disabled():
        kanwil = InstitutionFactory(slug="kanwil-uji", name="Kanwil Uji", kind=Institution.Kind.REGIONAL_OFFICE)
        madrasah = InstitutionFactory(slug="mts-uji", name="MTs Negeri Uji", parent=kanwil)
        make_member(kanwil, Role.ASSESSOR, email="penilai@kanwil-uji.test")
        make_member(madrasah, Role.PUBLIC_RELATIONS, email="humas@mts-uji.test")
        period = make_period(kanwil, rubric=small_rubric(kanwil, weights=(40, 60)), state=AssessmentPeriod.State.SCORING)

    sign_in(page, live_server.url, "penilai@kanwil-uji.test", totp=True)
    page.goto(f"{live_server.url}/instansi/kanwil-uji/penilaian/{period.pk}/")
    page.get_by_role("link", name="Nilai instansi").click()
    page.get_by_role("link", name="MTs Negeri Uji").click()
    page.get_by_role("group", name="Nilai untuk K1").get_by_label("4", exact=True).check()
    page.get_by_label("Catatan untuk K1").fill("Jadwal unggahan lengkap.")
    page.get_by_role("group", name="Nilai untuk K2").get_by_label("3", exact=True).check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_text("Nilai Anda untuk MTs Negeri Uji tersimpan.")).to_be_visible()

    page.goto(f"{live_server.url}/instansi/kanwil-uji/penilaian/{period.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finalisasi dan umumkan").click()
    expect(page.get_by_text("hasilnya diumumkan kepada setiap instansi")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server.url, "humas@mts-uji.test")
    expect(page.get_by_text("Hasil terakhir: Semester I 2024")).to_be_visible()
    page.get_by_role("link", name="Buka rapor").click()
    expect(page.get_by_test_id("total")).to_have_text("85")
    expect(page.get_by_text("Menuju Informatif").first).to_be_visible()
    expect(page.get_by_text("Jadwal unggahan lengkap.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
