"""Chat-export triage through its pages: what Humas and the head see and can do, in Indonesian."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from governance.models import AuditEntry
from sanctions.models import ViolationReport
from sanctions.tests.conftest import plain_client
from sanctions.tests.factories import rule_ids
from triage.models import ChatAuthor, ChatFlag, ChatImport, ChatLexicon
from triage.tests.factories import AMBIGUOUS_CHAT_LINES, CHAT_LINES, chat_bytes, chat_upload, chat_zip, imported_chat


def url(world, name, **kwargs):
    namespace = "triage" if name.startswith("chat_") else "sanctions"
    return reverse(f"{namespace}:{name}", kwargs={"institution": world.institution.slug, **kwargs})


def body(response) -> str:
    return response.content.decode()


def upload(client, world, data=None, name="WhatsApp Chat dengan Grup.txt", capture=None, **extra):
    post = {"file": chat_upload(data, name), **extra}
    if capture is None:
        return client.post(url(world, "chat_upload", channel_pk=world.channel.pk), post)
    with capture(execute=True):
        return client.post(url(world, "chat_upload", channel_pk=world.channel.pk), post)


@pytest.mark.parametrize(("data", "name"), [
    (None, "WhatsApp Chat dengan Grup Guru.txt"),
    (chat_zip(), "WhatsApp Chat dengan Grup Guru.zip"),
])
def test_upload_preview_confirm_triage(chat_world, django_capture_on_commit_callbacks, data, name):
    humas = plain_client(chat_world.users["humas"])
    response = upload(humas, chat_world, data, name, capture=django_capture_on_commit_callbacks)
    chat_import = ChatImport.objects.get()
    assert response.status_code == 302 and response["Location"] == url(chat_world, "chat_import", pk=chat_import.pk)
    page = body(humas.get(response["Location"]))
    # The preview: period, counts, authors matched and not, flags per category, the format.
    assert "13 November 2024, 6.30 WIB" in page and "14 November 2024, 7.00 WIB" in page
    assert 'data-count="messages">9' in page and "android-24h-dmy" in page and chat_import.sha256 in page
    assert "Budi Santoso, S.Pd." in page and "menurut nama" in page and "menurut nomor telepon" in page
    assert "Bu Rina :)" in page and "belum dicocokkan" in page
    assert 'data-category="hoax">1<' in page and 'data-category="politics">2<' in page
    assert "Konfirmasi dan telaah 3 pesan yang ditandai" in page
    response = humas.post(url(chat_world, "chat_confirm", pk=chat_import.pk))
    assert response.status_code == 302 and response["Location"] == url(chat_world, "chat_triage", pk=chat_import.pk)
    page = body(humas.get(response["Location"]))
    assert "Sebarkan sebelum dihapus!!" in page and "Ayo coblos nomor urut 2" in page
    assert "Benarkah itu pak?" in page  # context after the hoax
    assert page.index("Hoaks atau berita menyesatkan") < page.index("Politik dan netralitas pemilu")
    assert page.count("Buat laporan") == 3 and 'data-state="open">3<' in page


def test_the_progress_fragment_polls_while_reading_and_reloads_when_done(chat_world):
    chat_import = imported_chat(chat_world.institution, humas=chat_world.users["humas"], channel=chat_world.channel,
                                confirm=False)
    client = plain_client(chat_world.users["kepala"])
    ChatImport.objects.filter(pk=chat_import.pk).update(state="parsing")
    page = body(client.get(url(chat_world, "chat_import", pk=chat_import.pk)))
    assert 'hx-trigger="every 1s"' in page and "Membaca berkas" in page
    response = client.get(url(chat_world, "chat_progress", pk=chat_import.pk))
    assert response.status_code == 200 and 'hx-trigger="every 1s"' in body(response)
    ChatImport.objects.filter(pk=chat_import.pk).update(state="preview")
    response = client.get(url(chat_world, "chat_progress", pk=chat_import.pk))
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_a_refused_file_shows_its_indonesian_message_and_stores_nothing(chat_world):
    humas = plain_client(chat_world.users["humas"])
    response = upload(humas, chat_world, b"Notulen rapat guru\n1. Pembukaan\n", "notulen.txt")
    assert response.status_code == 200
    assert "bukan ekspor obrolan WhatsApp" in body(response)
    assert not ChatImport.objects.exists()
    response = upload(humas, chat_world, b"", "kosong.txt")
    assert "Berkas ini kosong" in body(response) and not ChatImport.objects.exists()


def test_a_file_refused_while_read_shows_why(chat_world, django_capture_on_commit_callbacks):
    lines = list(CHAT_LINES) + [f"[14/11/24 08.0{i}.00] Budi Santoso: dari ekspor lain {i}" for i in range(6)]
    humas = plain_client(chat_world.users["humas"])
    response = upload(humas, chat_world, chat_bytes(lines), capture=django_capture_on_commit_callbacks)
    page = body(humas.get(response["Location"]))
    assert "beberapa ekspor" in page and "Tidak ada yang disimpan" in page
    assert not ChatFlag.objects.exists()


def test_an_ambiguous_date_order_is_chosen_on_the_page(chat_world, django_capture_on_commit_callbacks):
    humas = plain_client(chat_world.users["humas"])
    response = upload(humas, chat_world, chat_bytes(AMBIGUOUS_CHAT_LINES), capture=django_capture_on_commit_callbacks)
    page = body(humas.get(response["Location"]))
    assert "03/04/24" in page and "3 April 2024" in page and "4 Maret 2024" in page
    chat_import = ChatImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        humas.post(url(chat_world, "chat_date_order", pk=chat_import.pk), {"order": "dmy"})
    chat_import.refresh_from_db()
    assert chat_import.state == "preview" and chat_import.first_at.month == 4 and chat_import.date_order == "dmy"
    assert not chat_import.file and "dipilih oleh pengunggah" in body(humas.get(response["Location"]))


def test_a_new_upload_offers_to_flag_only_what_is_new(chat_world, django_capture_on_commit_callbacks):
    imported_chat(chat_world.institution, humas=chat_world.users["humas"], channel=chat_world.channel)
    humas = plain_client(chat_world.users["humas"])
    page = body(humas.get(url(chat_world, "chat_upload", channel_pk=chat_world.channel.pk)))
    assert "14 November 2024, 7.00 WIB" in page and 'name="only_new"' in page
    upload(humas, chat_world, capture=django_capture_on_commit_callbacks)  # the box left unticked
    assert ChatImport.objects.order_by("-pk").first().since is None


@pytest.fixture
def triage(chat_world):
    chat_world.chat = imported_chat(chat_world.institution, humas=chat_world.users["humas"],
                                    channel=chat_world.channel)
    chat_world.flags = {f.category if f.category == "hoax" else f.terms[0]: f for f in chat_world.chat.flags.all()}
    return chat_world


def test_the_triage_list_filters_by_author_date_and_category(triage):
    client = plain_client(triage.users["kepala"])
    base = url(triage, "chat_triage", pk=triage.chat.pk)
    rina = ChatAuthor.objects.get(chat_import=triage.chat, name="Bu Rina :)")
    hoax, campaign, reminder = triage.flags["hoax"], triage.flags["coblos"], triage.flags["kampanye"]

    def shown(page):
        return {flag for flag in (hoax, campaign, reminder) if f'id="temuan-{flag.pk}"' in page}

    assert shown(body(client.get(base))) == {hoax, campaign, reminder}
    assert shown(body(client.get(base, {"penulis": rina.pk}))) == {reminder}
    assert shown(body(client.get(base, {"kategori": "hoax"}))) == {hoax}
    page = body(client.get(base, {"dari": "2024-11-14"}))
    assert shown(page) == set() and "Tidak ada pesan ditandai yang cocok" in page
    page = body(client.get(base, {"dari": "2024-11-13", "sampai": "2024-11-13", "kategori": "politics"}))
    assert shown(page) == {campaign, reminder} and 'data-category="politics">2<' in page
    # The head reads but does not act.
    assert "Buat laporan" not in page and "Abaikan" not in page


def test_dismissing_a_flag_needs_a_reason_and_keeps_the_filters(triage):
    humas = plain_client(triage.users["humas"])
    flag = triage.flags["kampanye"]
    back = url(triage, "chat_triage", pk=triage.chat.pk) + "?kategori=politics"
    response = humas.post(url(triage, "chat_flag_dismiss", pk=flag.pk), {"reason": "", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    flag.refresh_from_db()
    assert flag.state == "open"
    humas.post(url(triage, "chat_flag_dismiss", pk=flag.pk), {"reason": "Bu Rina mengingatkan aturan grup.",
                                                              "next": "https://contoh.test/"})
    flag.refresh_from_db()
    assert flag.state == "dismissed"
    page = body(humas.get(url(triage, "chat_triage", pk=triage.chat.pk), {"status": "dismissed"}))
    assert "Bu Rina mengingatkan aturan grup." in page and "Buka lagi" in page
    assert 'data-state="dismissed">1<' in page and 'data-state="open">2<' in page


def test_buat_laporan_prefills_the_report_and_files_it_with_pdf_evidence_once(triage):
    humas = plain_client(triage.users["humas"])
    flag = triage.flags["hoax"]
    page = body(humas.get(url(triage, "chat_flag_report", pk=flag.pk)))
    # Who (the matched staff member), where, when (in WIB), which rules, and the message itself.
    assert re.search(rf'<option value="{triage.budi.pk}" selected>', page)
    assert re.search(rf'<option value="{triage.channel.pk}" selected>', page)
    assert 'value="2024-11-13"' in page and 'value="19:40"' in page
    hoax_rule, politics_rule = rule_ids(triage.institution, "hoax")[0], rule_ids(triage.institution, "politics")[0]
    assert re.search(rf'value="{hoax_rule}"[^>]*checked', page) and not re.search(rf'value="{politics_rule}"[^>]*checked', page)
    assert "Sebarkan sebelum dihapus!!" in page and "bukti.pdf" in page
    pdf = humas.get(url(triage, "chat_flag_pdf", pk=flag.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    form = {"subject_kind": "staff", "subject_staff": triage.budi.pk, "channel": triage.channel.pk,
            "occurred_on": "2024-11-13", "occurred_time": "19:40", "rules": [hoax_rule],
            "description": "Meneruskan pesan berantai libur sekolah yang tidak benar."}
    response = humas.post(url(triage, "chat_flag_report", pk=flag.pk), form)
    report = ViolationReport.objects.get()
    assert response.status_code == 302 and response["Location"] == url(triage, "report_detail", pk=report.pk)
    assert report.source == "chat_triage" and report.evidence.get().content_type == "application/pdf"
    assert report.occurred_at == datetime.datetime(2024, 11, 13, 12, 40, tzinfo=datetime.UTC)
    # A second click, or a second tab: the same report.
    response = humas.post(url(triage, "chat_flag_report", pk=flag.pk), form)
    assert response["Location"] == url(triage, "report_detail", pk=report.pk) and ViolationReport.objects.count() == 1
    response = humas.get(url(triage, "chat_flag_report", pk=flag.pk))
    assert response["Location"] == url(triage, "report_detail", pk=report.pk)
    page = body(humas.get(url(triage, "chat_triage", pk=triage.chat.pk), {"status": "reported"}))
    assert f"Laporan #{report.pk}" in page


def test_buat_laporan_for_an_unmatched_author_prefills_an_external_member(triage):
    humas = plain_client(triage.users["humas"])
    page = body(humas.get(url(triage, "chat_flag_report", pk=triage.flags["kampanye"].pk)))
    assert 'value="external" class="form-check-input" id="id_subject_kind_1" checked' in page or \
        re.search(r'value="external"[^>]*checked', page)
    assert 'value="Bu Rina :)"' in page


def test_a_refused_report_keeps_what_was_typed(triage):
    humas = plain_client(triage.users["humas"])
    flag = triage.flags["hoax"]
    response = humas.post(url(triage, "chat_flag_report", pk=flag.pk), {
        "subject_kind": "staff", "subject_staff": triage.budi.pk, "channel": triage.channel.pk,
        "occurred_on": "2024-11-13", "description": "Teks yang sudah diketik."})
    assert response.status_code == 200 and "Teks yang sudah diketik." in body(response)
    assert not ViolationReport.objects.exists()
    flag.refresh_from_db()
    assert flag.state == "open"


def test_authors_can_be_matched_by_hand(triage):
    humas = plain_client(triage.users["humas"])
    rina = ChatAuthor.objects.get(chat_import=triage.chat, name="Bu Rina :)")
    other = triage.pegawai_staff
    response = humas.post(url(triage, "chat_author_match", pk=triage.chat.pk), {"author": rina.pk, "staff": other.pk})
    assert response.status_code == 302
    rina.refresh_from_db()
    assert rina.staff == other and rina.match == "manual"
    page = body(humas.get(url(triage, "chat_flag_report", pk=triage.flags["kampanye"].pk)))
    assert re.search(rf'<option value="{other.pk}" selected>', page)


def test_the_lexicon_page_shows_where_terms_come_from_and_humas_edits_it(chat_world, pilkada):
    from django_scopes import scope

    with scope(institution=chat_world.parent):
        ChatLexicon.objects.create(institution=chat_world.parent, category="hoax", additions="kabar dari grup alumni")
    kepala = plain_client(chat_world.users["kepala"])
    with_period = pilkada.voting_day - datetime.timedelta(days=10)
    import time_machine

    with time_machine.travel(datetime.datetime.combine(with_period, datetime.time(9, 0)), tick=False):
        page = body(kepala.get(url(chat_world, "chat_lexicon")))
    assert "kabar dari grup alumni" in page and chat_world.parent.name in page
    assert "Hendra Wijaya" in page and "Pilkada Serentak 2024" in page
    assert "?kategori=hoax" not in page  # the head reads, Humas changes
    humas = plain_client(chat_world.users["humas"])
    edit = url(chat_world, "chat_lexicon_edit")
    assert "Hoaks atau berita menyesatkan" in body(humas.get(edit))
    response = humas.post(edit + "?kategori=hoax", {"additions": "libur seminggu", "removals": "katanya"})
    assert response.status_code == 302 and response["Location"].endswith("#hoax")
    response = humas.post(edit + "?kategori=hoax", {"additions": "", "removals": "tidak ada di daftar"})
    assert response.status_code == 200 and "tidak ada dalam leksikon" in body(response)
    assert ChatLexicon.objects.get(institution=chat_world.institution).additions == "libur seminggu"
    assert humas.get(edit + "?kategori=bukan-kategori").status_code == 404
    assert AuditEntry.objects.filter(action="sanctions.chat_lexicon.updated").count() == 1


def test_the_group_page_and_the_menu_lead_humas_to_the_upload(chat_world):
    humas = plain_client(chat_world.users["humas"])
    page = body(humas.get(reverse("governance:channel_detail", kwargs={
        "institution": chat_world.institution.slug, "pk": chat_world.channel.pk})))
    assert url(chat_world, "chat_upload", channel_pk=chat_world.channel.pk) in page
    assert "Triase chat" in body(humas.get(url(chat_world, "chat_imports")))
    kepala_page = body(plain_client(chat_world.users["kepala"]).get(reverse("governance:dashboard", kwargs={
        "institution": chat_world.institution.slug})))
    assert url(chat_world, "chat_imports") in kepala_page
    pegawai_page = body(plain_client(chat_world.users["pegawai"]).get(reverse("governance:dashboard", kwargs={
        "institution": chat_world.institution.slug})))
    assert url(chat_world, "chat_imports") not in pegawai_page


def test_after_purging_the_triage_shows_only_the_outcome(triage):
    humas = plain_client(triage.users["humas"])
    response = humas.post(url(triage, "chat_purge", pk=triage.chat.pk))
    assert response.status_code == 302
    page = body(humas.get(url(triage, "chat_triage", pk=triage.chat.pk), {"status": "semua"}))
    assert "Sebarkan sebelum dihapus" not in page and "Teks chat dihapus" in page
    assert "Buat laporan" not in page
    assert humas.get(url(triage, "chat_flag_pdf", pk=triage.flags["hoax"].pk)).status_code == 404


def test_cancelling_an_upload_removes_it(chat_world, django_capture_on_commit_callbacks):
    humas = plain_client(chat_world.users["humas"])
    upload(humas, chat_world, chat_bytes(AMBIGUOUS_CHAT_LINES), capture=django_capture_on_commit_callbacks)
    chat_import = ChatImport.objects.get()
    name = chat_import.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = humas.post(url(chat_world, "chat_cancel", pk=chat_import.pk))
    assert response["Location"] == url(chat_world, "chat_imports")
    assert not default_storage.exists(name)


def test_the_humas_dashboard_counts_flags_to_review(triage):
    dashboard = reverse("governance:dashboard", kwargs={"institution": triage.institution.slug})
    page = body(plain_client(triage.users["humas"]).get(dashboard))
    assert 'data-panel="chat-open">3<' in page and "Triase chat" in page
    assert 'data-panel="chat-open"' not in body(plain_client(triage.users["kepala"]).get(dashboard))
