"""Two journeys on a 360×640 phone screen: an operator imports a staff list (preview, then
confirm), and a staff member acknowledges a newly published code of conduct."""

import pytest
from playwright.sync_api import expect

from governance.models import Role
from governance.tests.factories import TEST_PASSWORD, InstitutionFactory, make_member
from members.models import Acknowledgement, StaffMember
from members.tests.conftest import xlsx_bytes
from members.tests.factories import CodeVersionFactory, RuleFactory, StaffMemberFactory


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/akun/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_previews_and_confirms_an_import_on_a_phone(live_server, page, unscoped, tmp_path):
    institution = InstitutionFactory(slug="mtsn-peramban", name="MTs Negeri Peramban")
    make_member(institution, Role.OPERATOR, email="operator@peramban.test")
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(xlsx_bytes([
        ["198005172005031001", "Ahmad Hidayat, S.Pd.", "Guru Matematika", "PNS", "0812-3456-7001", ""],
        ["198107182006042002", "Siti Rahmawati, S.Ag.", "Waka Humas", "PNS", "081234567002", ""],
    ]))
    sign_in(page, live_server, "operator@peramban.test")
    page.goto(f"{live_server.url}/instansi/mtsn-peramban/impor/")
    page.get_by_label("Lembar kerja (XLSX atau CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_text("Periksa pratinjau. Belum ada yang disimpan.")).to_be_visible()
    expect(page.locator('[data-count="new"]')).to_have_text("2")
    assert StaffMember.objects.filter(institution=institution).count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Impor 2 baris").click()
    expect(page.get_by_text("Berhasil diimpor: 2 baru, 0 berubah, 0 tetap.").first).to_be_visible()
    assert StaffMember.objects.filter(institution=institution).count() == 2


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_member_acknowledges_a_new_code_on_a_phone(live_server, page, unscoped):
    institution = InstitutionFactory(slug="mtsn-kode", name="MTs Negeri Kode")
    user = make_member(institution, Role.STAFF, email="guru@kode.test")
    staff = StaffMemberFactory(institution=institution, user=user)
    version = CodeVersionFactory(institution=institution, title="Kode Etik Grup WA Madrasah")
    RuleFactory(version=version, text="Saring sebelum sharing: pastikan kebenaran berita sebelum meneruskannya.")
    sign_in(page, live_server, "guru@kode.test")
    expect(page.get_by_text("Kode etik baru telah terbit")).to_be_visible()
    page.get_by_role("link", name="Baca dan nyatakan").first.click()
    expect(page.get_by_role("heading", name="Kode Etik Grup WA Madrasah")).to_be_visible()
    expect(page.get_by_text("Saring sebelum sharing")).to_be_visible()
    button = page.get_by_role("button", name="Saya telah membaca dan memahami kode etik ini")
    button.scroll_into_view_if_needed()
    button.click()
    expect(page.get_by_text("Terima kasih. Pernyataan Anda telah dicatat.")).to_be_visible()
    expect(page.get_by_text("Kode etik baru telah terbit")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Acknowledgement.objects.filter(staff=staff, version=version, method="online").exists()
