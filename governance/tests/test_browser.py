"""On a phone: the head reviews the draft Humas prepared and publishes it. (The staff member's
acknowledgement that follows belongs to the members app's browser test.)"""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from governance import services
from governance.models import CodeVersion, Role
from governance.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, InstitutionFactory, make_member


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_head_publishes_a_new_version_on_a_phone(live_server, page):
    institution = InstitutionFactory(slug="mtsn-uji", name="MTs Negeri Uji")
    head = make_member(institution, Role.HEAD, email="kepala@mtsn-uji.test")
    humas = make_member(institution, Role.PUBLIC_RELATIONS, email="humas@mtsn-uji.test")
    first = services.code_start_from_template(actor=humas, institution=institution, template_key="madrasah_wa_group")
    services.code_publish(actor=head, version=first)
    draft = services.code_version_start(actor=humas, institution=institution)
    services.rule_add(actor=humas, version=draft, number="10", category="hoax", kind="recommendation", severity=2,
                      text="Cek kebenaran kabar sebelum meneruskannya ke grup.")

    page.goto(f"{live_server.url}/akun/login/")
    page.get_by_label("Email").fill(head.email)
    page.get_by_label("Sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_label("Kode").fill(format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30)))
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/instansi/mtsn-uji/")

    # The dashboard panel says a draft waits; the menu leads to the code in three taps.
    expect(page.get_by_text("Draf versi 2 menunggu diterbitkan.")).to_be_visible()
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="Tata Kelola").click()
    page.get_by_role("link", name="Kode Etik", exact=True).click()
    page.get_by_role("link", name="Periksa dan terbitkan").click()
    expect(page.get_by_text("1 ditambahkan, 0 dihapus, 0 diubah.")).to_be_visible()
    expect(page.get_by_text("Cek kebenaran kabar sebelum meneruskannya ke grup.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Terbitkan versi 2").click()
    expect(page.get_by_text("Versi 2 sudah terbit dan berlaku.", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Terbitkan versi 2")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    draft.refresh_from_db()
    assert draft.state == CodeVersion.State.PUBLISHED and draft.published_by == head
    page.goto(f"{live_server.url}/instansi/mtsn-uji/kode-etik/")
    expect(page.get_by_text("Versi 2, berlaku sejak", exact=False)).to_be_visible()
    expect(page.get_by_text("Cek kebenaran kabar sebelum meneruskannya ke grup.")).to_be_visible()
