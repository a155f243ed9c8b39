"""The first browser test: a demo head signs in on a phone and lands on their dashboard."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from playwright.sync_api import expect

from governance.demo import DEMO_TOTP_SECRET


def current_code() -> str:
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_head_signs_in_on_a_phone_and_lands_on_the_dashboard(live_server, page):
    call_command("seed_demo", quiet=True, force=True)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Masuk ke Santun")).to_be_visible()
    page.get_by_label("Email").fill("kepala.mtsn-1-muara-enim@santun.test")
    page.get_by_label("Sandi").fill("santun-demo")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_label("Kode").fill(current_code())
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/instansi/mtsn-1-muara-enim/")
    expect(page.get_by_role("heading", level=1)).to_have_text("MTs Negeri 1 Muara Enim")
    # Nothing sticks out sideways on a 360-pixel screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The menu opens with the keyboard (once its script has loaded: a busy machine can be slow).
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Buka menu").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Beranda")).to_be_visible()
