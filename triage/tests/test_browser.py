"""On a phone: Humas uploads a group's chat export from the group's page, checks the preview,
confirms, reads a flagged message in its context and turns it into a report with PDF evidence."""

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from conftest import build_side
from members.models import StaffMember
from sanctions.models import ViolationReport
from sanctions.tests.factories import StaffMemberFactory, group, publish_code, staff_for
from sanctions.tests.test_browser import sign_in
from triage.tests.factories import CHAT_PHONE, chat_bytes


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_from_an_uploaded_export_to_a_report_on_a_phone(live_server, page, tmp_path):
    with scopes_disabled():
        side = build_side("chat")
        inst = side.institution
        publish_code(inst)
        budi = StaffMemberFactory(institution=inst, full_name="Budi Santoso, S.Pd.", position="Guru IPA")
        pegawai = staff_for(side.users["pegawai"], inst)
        StaffMember.objects.filter(pk=pegawai.pk).update(phone=CHAT_PHONE)
        channel = group(inst, name="Grup Guru dan Pegawai")
    export = tmp_path / "WhatsApp Chat dengan Grup Guru dan Pegawai.txt"
    export.write_bytes(chat_bytes())
    base = live_server.url

    sign_in(page, base, side.users["humas"].email)
    page.goto(f"{base}/instansi/{inst.slug}/kanal/{channel.pk}/")
    page.get_by_role("link", name="Unggah ekspor chat").click()
    page.get_by_label("Ekspor chat (.txt atau .zip)").set_input_files(str(export))
    page.get_by_role("button", name="Unggah dan periksa").click()

    # The preview: who wrote, matched to the staff list, and what was flagged.
    expect(page.get_by_role("heading", name="Isi berkas")).to_be_visible()
    expect(page.get_by_text("Budi Santoso, S.Pd. (menurut nama)")).to_be_visible()
    expect(page.get_by_text("belum dicocokkan", exact=True)).to_be_visible()
    assert fits(page)
    page.get_by_role("button", name="Konfirmasi dan telaah 3 pesan yang ditandai").click()

    # Triage: the hoax comes first, with the messages after it one tap away.
    expect(page.get_by_text("Sudah dikonfirmasi.")).to_be_visible()
    first = page.locator("article.chat-flag").first
    expect(first).to_contain_text("Sebarkan sebelum dihapus!!")
    first.get_by_text("3 pesan sesudahnya").click()
    expect(first.get_by_text("Benarkah itu pak?")).to_be_visible()
    assert fits(page)
    first.get_by_role("link", name="Buat laporan").click()

    # The report form is filled in; the person reviews it and sends it.
    expect(page.locator("#id_subject_staff")).to_have_value(str(budi.pk))
    expect(page.locator("#id_occurred_time")).to_have_value("19:40")
    expect(page.get_by_label("1. Tidak menyebarkan berita bohong", exact=False)).to_be_checked()
    assert fits(page)
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Laporan #")
    with scopes_disabled():
        report = ViolationReport.objects.get()
        assert report.source == "chat_triage" and report.subject_staff_id == budi.pk
        assert report.evidence.get().content_type == "application/pdf"
