"""On a phone: Humas files a report with a screenshot and proposes SP1; the head signs in with
TOTP, approves, downloads the letter, and the verification address printed on it says genuine."""

import io
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django_scopes import scopes_disabled
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import build_side
from governance.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET
from sanctions.letters import qr_payload
from sanctions.models import WarningLetter
from sanctions.tests.factories import StaffMemberFactory, group, png_bytes, publish_code, staff_for


def sign_in(page, base, email, totp=False):
    page.goto(f"{base}/akun/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Sandi").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    if totp:
        page.get_by_label("Kode").fill(format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30)))
        page.get_by_role("button", name="Masuk").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_to_verified_letter_on_a_phone(live_server, page, tmp_path):
    with scopes_disabled():
        side = build_side("hp")
        inst = side.institution
        publish_code(inst)
        staff_for(side.users["kepala"], inst, position="Kepala Madrasah")
        budi = StaffMemberFactory(institution=inst, full_name="Budi Santoso, S.Pd.")
        channel = group(inst, name="Grup Guru dan Pegawai")
    base = live_server.url
    screenshot = tmp_path / "layar.png"
    screenshot.write_bytes(png_bytes())

    # Humas files the report with a screenshot.
    sign_in(page, base, side.users["humas"].email)
    page.goto(f"{base}/instansi/{inst.slug}/pelanggaran/lapor/")
    page.locator("#id_subject_staff").select_option(label=f"{budi.full_name} — {budi.position}")
    page.locator("#id_channel").select_option(label=channel.name)
    page.locator("#id_occurred_on").fill("2025-05-05")
    page.locator("#id_occurred_time").fill("19:30")
    page.get_by_label("1. Tidak menyebarkan berita bohong", exact=False).check()
    page.locator("#id_description").fill("Meneruskan kabar libur sekolah yang tidak benar.")
    page.locator("#id_evidence").set_input_files(str(screenshot))
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laporan #")
    expect(page.locator(".evidence-item img")).to_be_visible()
    # The screenshot is blurred until Humas chooses to see it, from the keyboard as well.
    image = page.locator(".evidence-item img").first
    assert "blur" in image.evaluate("element => getComputedStyle(element).filter")
    reveal = page.get_by_role("button", name="Tampilkan", exact=True)
    reveal.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Samarkan lagi")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("() => getComputedStyle(document.querySelector('.evidence-item img')).filter === 'none'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Triage and proposal.
    page.get_by_role("button", name="Saya mulai menelaah").click()
    page.get_by_label("Konfirmasi: ini pelanggaran").check()
    page.locator("form textarea[name=reason]").fill("Tangkapan layar jelas.")
    page.get_by_role("button", name="Simpan keputusan").click()
    page.get_by_role("link", name="Usulkan tindakan tata tertib grup").click()
    expect(page.get_by_label("SP1 — Surat Peringatan Pertama")).to_be_checked()
    page.get_by_role("button", name="Kirim kepada kepala").click()
    expect(page.get_by_text("Menunggu keputusan kepala").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Budi is heard before the head decides: Humas records what he said in person.
    page.get_by_text("Catat klarifikasi yang bersangkutan, atau alasan tidak didengar").click()
    page.get_by_label("Keterangan yang bersangkutan").fill("Budi mengaku meneruskan pesan tanpa mengecek sumbernya.")
    page.get_by_role("button", name="Catat klarifikasi").click()
    expect(page.get_by_text("Klarifikasi telah dicatat.")).to_be_visible()

    # The head, on a phone, signs in with TOTP and approves from the dashboard.
    page.context.clear_cookies()
    sign_in(page, base, side.users["kepala"].email, totp=True)
    page.get_by_role("link", name="SP1 · Budi Santoso, S.Pd.").click()
    page.get_by_label("Setujui").check()
    page.locator("textarea[name=reason]").fill("Hoaks meresahkan wali murid.")
    page.get_by_role("button", name="Simpan keputusan saya").click()
    expect(page.get_by_text("Disetujui. Surat sudah diberi nomor")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh surat").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    with scopes_disabled():
        letter = WarningLetter.objects.get(institution=inst)
    printed = qr_payload(letter)
    assert printed.replace(" ", "") in text and letter.number in text

    # The QR code's address (same path on this server) says the letter is genuine.
    page.context.clear_cookies()
    page.goto(base + printed.split("127.0.0.1:8000", 1)[1])
    expect(page.get_by_text("Asli dan berlaku.")).to_be_visible()
    expect(page.get_by_text(letter.number)).to_be_visible()
    assert "Budi" not in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_head_compares_and_accepts_a_ladder_proposal_on_a_phone(live_server, page):
    from sanctions import selectors, services
    from tests.test_accessibility import axe_findings, describe

    with scopes_disabled():
        side = build_side("tangga")
        inst = side.institution
        services.ladder_propose(actor=side.users["humas"], institution=inst, note="SP2 berlaku 12 bulan, sesuai rapat.",
                                levels=[{"code": "SP1", "name": "Surat Peringatan Pertama", "kind": "letter",
                                         "active_months": 6, "informal": True},
                                        {"code": "SP2", "name": "Surat Peringatan Kedua", "kind": "letter",
                                         "active_months": 12, "informal": True},
                                        {"code": "RUJUK", "name": "Dirujuk ke majelis kode etik", "kind": "referral",
                                         "active_months": 6, "informal": False}])
    base = live_server.url
    sign_in(page, base, side.users["kepala"].email, totp=True)
    page.goto(f"{base}/instansi/{inst.slug}/tangga-sanksi/")
    expect(page.get_by_role("heading", name="mengikuti versi 1")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Rujukan ke proses resmi")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    findings = axe_findings(page)
    assert not findings, describe(findings)
    # From the keyboard: the decision radios and the button are reachable and work.
    page.get_by_label("Terima sebagai versi berikutnya").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Simpan keputusan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("versi 2 berlaku")
    with scopes_disabled():
        assert selectors.current_ladder(inst).version == 2
