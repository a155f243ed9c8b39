"""Chat-export triage through its services: upload, parse, preview, confirmation, flags, reports,
lexicons, election periods and the retention of chat text."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.test import override_settings
from pypdf import PdfReader

from governance.models import AuditEntry, RuleCategory
from governance.tasks import apply_retention_everywhere
from members.models import StaffMember
from sanctions.models import CaseEvidence, ReportSource, ViolationReport
from sanctions.tests.factories import StaffMemberFactory, png_bytes
from triage import selectors, services
from triage.chat import ChatImportError
from triage.models import ChatAuthor, ChatFlag, ChatImport, ChatLexicon, ChatMessage
from triage.tests.factories import AMBIGUOUS_CHAT_LINES, CHAT_LINES, chat_bytes, chat_upload, chat_zip, imported_chat

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def stored_files() -> list[str]:
    root = default_storage.location
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files] if os.path.isdir(root) else []


def chat_files() -> list[str]:
    return [f for f in stored_files() if "chat-imports" in f]


def import_of(world, **kwargs) -> ChatImport:
    return imported_chat(world.institution, humas=world.users["humas"], channel=world.channel, **kwargs)


def flag_with(chat_import, term) -> ChatFlag:
    return next(f for f in ChatFlag.objects.filter(chat_import=chat_import) if term in f.terms)


# --- upload and parse -----------------------------------------------------------------------------

def test_a_txt_export_is_read_into_a_preview_keeping_only_flagged_messages_and_their_context(chat_world):
    chat_import = import_of(chat_world, confirm=False)
    assert chat_import.state == "preview"
    assert chat_import.message_count == 9 and chat_import.system_lines == 1 and chat_import.author_count == 3
    assert chat_import.first_at == datetime.datetime(2024, 11, 13, 6, 30, tzinfo=WIB)
    assert chat_import.last_at == datetime.datetime(2024, 11, 14, 7, 0, tzinfo=WIB)
    assert chat_import.format == "android-24h-dmy" and chat_import.date_order_detected
    assert chat_import.flag_counts == {"hoax": 1, "politics": 2} and chat_import.flag_count == 3
    assert chat_import.sha256 == hashlib.sha256(chat_bytes()).hexdigest()
    # The first message (index 0, the encryption notice) and the second are more than 3 away from any flag.
    indexes = set(ChatMessage.objects.filter(chat_import=chat_import).values_list("index", flat=True))
    assert indexes == set(range(1, 10)) and chat_import.stored_messages == 9
    hoax = flag_with(chat_import, "sebarkan sebelum dihapus")
    assert hoax.message.text == "Info: madrasah libur seminggu krn banjir.\nSebarkan sebelum dihapus!!"
    assert hoax.category == "hoax" and hoax.state == "open"
    assert not chat_import.file and chat_files() == []


def test_context_is_stored_once_and_messages_far_from_any_flag_are_not_stored(chat_world):
    lines = [f"15/11/24 08.{minute:02d} - Budi Santoso: pesan biasa nomor {minute}" for minute in range(40)]
    lines[20] = "15/11/24 08.20 - Budi Santoso: ini hoaks"
    lines[22] = "15/11/24 08.22 - Budi Santoso: katanya begitu"
    chat_import = import_of(chat_world, data=chat_bytes(lines))
    indexes = sorted(ChatMessage.objects.filter(chat_import=chat_import).values_list("index", flat=True))
    assert indexes == list(range(17, 26))
    assert ChatMessage.objects.filter(chat_import=chat_import, text__contains="nomor 5").count() == 0
    author = ChatAuthor.objects.get(chat_import=chat_import)
    assert author.messages == 40 and author.flags == 2


def test_a_zip_export_with_media_reads_like_the_txt(chat_world):
    chat_import = import_of(chat_world, data=chat_zip(), name="WhatsApp Chat dengan Grup Guru.zip", confirm=False)
    assert chat_import.state == "preview" and chat_import.message_count == 9
    assert chat_import.flag_counts == {"hoax": 1, "politics": 2}
    assert chat_import.original_name == "WhatsApp Chat dengan Grup Guru.zip" and chat_files() == []


def test_authors_are_matched_to_staff_by_number_and_by_name_without_titles(chat_world):
    rina = StaffMemberFactory(institution=chat_world.institution, full_name="Dra. Hj. Rina Marlina, M.Pd.")
    lines = [*CHAT_LINES, "14/11/24 07.05 - RINA MARLINA: Baik pak 🙏"]
    chat_import = import_of(chat_world, data=chat_bytes(lines), confirm=False)
    authors = {a.name: a for a in ChatAuthor.objects.filter(chat_import=chat_import)}
    assert authors["Budi Santoso"].staff == chat_world.budi and authors["Budi Santoso"].match == "name"
    number = authors["+62 812-3456-7890"]
    assert number.staff == chat_world.pegawai_staff and number.match == "phone" and number.phone == "+6281234567890"
    assert authors["RINA MARLINA"].staff == rina
    # "Bu Rina" is not "Rina Marlina": names are compared whole.
    assert authors["Bu Rina :)"].staff is None and not authors["Bu Rina :)"].ambiguous


def test_two_staff_members_with_the_same_name_are_left_for_a_person_to_choose(chat_world):
    StaffMemberFactory(institution=chat_world.institution, full_name="Budi Santoso, S.Ag.")
    chat_import = import_of(chat_world, confirm=False)
    budi = ChatAuthor.objects.get(chat_import=chat_import, name="Budi Santoso")
    assert budi.staff is None and budi.ambiguous
    services.chat_author_match(actor=chat_world.users["humas"], author=budi, staff=chat_world.budi)
    budi.refresh_from_db()
    assert budi.staff == chat_world.budi and budi.match == "manual" and not budi.ambiguous
    assert AuditEntry.objects.filter(action="sanctions.chat_author.matched", target_id=str(budi.pk)).exists()


AMBIGUOUS = AMBIGUOUS_CHAT_LINES


def test_an_ambiguous_date_order_waits_for_the_choice_with_the_file_kept(chat_world):
    humas = chat_world.users["humas"]
    chat_import = services.chat_import_start(actor=humas, channel=chat_world.channel,
                                                  upload=chat_upload(chat_bytes(AMBIGUOUS)))
    assert chat_import.state == "needs_order" and chat_import.ambiguous_example == "03/04/24"
    assert len(chat_files()) == 1  # kept only until it is read
    services.chat_import_choose_order(actor=humas, chat_import=chat_import, order="mdy")
    chat_import = services.chat_import_parse(chat_import=chat_import)
    assert chat_import.state == "preview" and not chat_import.date_order_detected and chat_import.date_order == "mdy"
    assert chat_import.first_at == datetime.datetime(2024, 3, 4, 9, 0, tzinfo=WIB)  # 4 March, month first
    assert chat_files() == []
    with pytest.raises(ValidationError):
        services.chat_import_choose_order(actor=humas, chat_import=chat_import, order="dmy")


@pytest.mark.parametrize(("data", "code"), [
    (b"", "chat_empty"),
    (png_bytes(), "chat_binary"),
    (b"Daftar hadir rapat\nBudi\nRina\n", "chat_not_export"),
    (chat_zip(media=False, name="catatan.md"), "chat_zip_no_chat"),
    (b"PK\x03\x04 bukan zip sungguhan", "chat_zip_invalid"),
])
def test_a_refused_file_stores_nothing(chat_world, indonesian, data, code):
    with pytest.raises(ChatImportError) as caught:
        services.chat_import_start(actor=chat_world.users["humas"], channel=chat_world.channel,
                                        upload=chat_upload(data))
    assert caught.value.code == code and caught.value.messages[0]
    assert not ChatImport.objects.exists() and chat_files() == []


def test_a_file_refused_while_it_is_read_leaves_only_the_refusal(chat_world, indonesian):
    # Mixed formats are found only while reading: many lines are headers of an iOS export.
    lines = list(CHAT_LINES) + [f"[14/11/24 08.0{i}.00] Budi Santoso: dari ekspor lain {i}" for i in range(6)]
    chat_import = import_of(chat_world, data=chat_bytes(lines))
    assert chat_import.state == "refused" and chat_import.problem_code == "chat_mixed"
    from triage.chat.errors import error_from_code

    assert "ekspor" in error_from_code(chat_import.problem_code, chat_import.problem_params).messages[0]
    assert not ChatMessage.objects.exists() and not ChatFlag.objects.exists() and not ChatAuthor.objects.exists()
    assert chat_files() == [] and not chat_import.file


def test_a_new_export_of_the_group_is_flagged_from_where_the_last_one_ended(chat_world):
    first = import_of(chat_world)
    later = [*CHAT_LINES, "15/11/24 09.00 - Budi Santoso: Tolong sebarkan ke semua grup ya",
             "15/11/24 09.01 - Bu Rina :): Siap"]
    second = import_of(chat_world, data=chat_bytes(later))
    assert second.since == first.last_at and second.skipped_flags == 3
    assert second.flag_count == 1 and "sebarkan ke semua" in ChatFlag.objects.get(chat_import=second).terms
    everything = import_of(chat_world, data=chat_bytes(later), only_new=False, confirm=False)
    assert everything.since is None and everything.flag_count == 4


def test_only_public_relations_uploads_and_the_group_must_be_a_group(chat_world):
    from governance.tests.factories import OfficialAccountFactory

    for role in ("kepala", "operator", "pegawai", "penilai"):
        with pytest.raises(PermissionDenied):
            services.chat_import_start(actor=chat_world.users[role], channel=chat_world.channel,
                                            upload=chat_upload())
    account = OfficialAccountFactory(institution=chat_world.institution)
    with pytest.raises(ValidationError):
        services.chat_import_start(actor=chat_world.users["humas"], channel=account, upload=chat_upload())
    assert not ChatImport.objects.exists()


def test_cancelling_a_preview_deletes_what_was_read(chat_world, django_capture_on_commit_callbacks):
    chat_import = import_of(chat_world, confirm=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.chat_import_cancel(actor=chat_world.users["humas"], chat_import=chat_import)
    chat_import.refresh_from_db()
    assert chat_import.state == "cancelled"
    assert not ChatMessage.objects.exists() and not ChatFlag.objects.exists() and not ChatAuthor.objects.exists()
    with pytest.raises(ValidationError):
        services.chat_import_confirm(actor=chat_world.users["humas"], chat_import=chat_import)


# --- lexicons and election periods ---------------------------------------------------------------------

def test_the_lexicon_is_the_defaults_plus_the_parents_additions_plus_its_own_less_its_removals(chat_world):
    from django_scopes import scope

    inst, parent = chat_world.institution, chat_world.parent
    with scope(institution=parent):
        ChatLexicon.objects.create(institution=parent, category="politics", additions="relawan desa",
                                   removals="coblos")
    services.chat_lexicon_update(actor=chat_world.users["humas"], institution=inst, category="hoax",
                                      additions="libur seminggu\nBanjir*", removals="sebelum dihapus\nkatanya")
    lexicon = selectors.effective_lexicon(inst)
    assert "relawan desa" in lexicon["politics"] and "coblos" in lexicon["politics"]  # the parent's removal is its own
    assert "libur seminggu" in lexicon["hoax"] and "Banjir*" in lexicon["hoax"]
    assert "katanya" not in lexicon["hoax"] and "sebelum dihapus" not in lexicon["hoax"]
    assert "hoaks" in lexicon["hoax"]
    chat_import = import_of(chat_world, confirm=False)
    assert set(flag_with(chat_import, "libur seminggu").terms) == {"libur seminggu", "Banjir*", "sebarkan sebelum dihapus"}
    entry = AuditEntry.objects.get(action="sanctions.chat_lexicon.updated")
    assert entry.data["category"] == "hoax" and entry.data["added"] == 2 and entry.data["removed"] == 2


@pytest.mark.parametrize(("additions", "removals", "words"), [
    ("", "bukan istilah bawaan", "tidak ada dalam leksikon"),
    ("!!!", "", "tidak memuat huruf"),
    ("hoaks baru", "hoaks baru", "sekaligus"),
    ("x" * 101, "", "lebih dari 100"),
])
def test_a_lexicon_change_that_makes_no_sense_is_refused(chat_world, indonesian, additions, removals, words):
    with pytest.raises(ValidationError) as caught:
        services.chat_lexicon_update(actor=chat_world.users["humas"], institution=chat_world.institution,
                                          category="hoax", additions=additions, removals=removals)
    assert words in " ".join(caught.value.messages)
    assert not ChatLexicon.objects.exists()
    with pytest.raises(PermissionDenied):
        services.chat_lexicon_update(actor=chat_world.users["kepala"], institution=chat_world.institution,
                                          category="hoax", additions="x", removals="")


ELECTION = [
    "13/11/24 09.00 - Budi Santoso: Pak Hendra Wijaya datang ke pasar tadi",
    "13/11/24 09.05 - Bu Rina :): Muara Enim Maju!",
    "02/12/24 09.00 - Budi Santoso: Pak Hendra Wijaya sudah dilantik belum ya",
]


def test_candidate_names_and_campaign_terms_flag_only_messages_sent_during_the_period(chat_world, pilkada):
    chat_import = import_of(chat_world, data=chat_bytes(ELECTION), confirm=False)
    flags = list(ChatFlag.objects.filter(chat_import=chat_import).order_by("sent_at"))
    assert [f.terms for f in flags] == [["Hendra Wijaya"], ["Muara Enim Maju"]]
    assert all(f.category == RuleCategory.POLITICS for f in flags)
    assert chat_import.election_periods == [pilkada.pk]


def test_without_the_periods_candidate_names_they_are_ordinary_words(chat_world):
    chat_import = import_of(chat_world, data=chat_bytes(ELECTION), confirm=False)
    assert chat_import.flag_count == 0


def test_a_regional_period_elsewhere_adds_nothing(chat_world, pilkada):
    pilkada.coverage, pilkada.region_codes = "regency", ["63.72"]
    pilkada.save()
    chat_import = import_of(chat_world, data=chat_bytes(ELECTION), confirm=False)
    assert chat_import.flag_count == 0


# --- flags: dismissal and reports ------------------------------------------------------------------------

def test_a_flag_is_dismissed_only_with_a_reason_and_can_be_reopened(chat_world):
    humas = chat_world.users["humas"]
    chat_import = import_of(chat_world)
    flag = flag_with(chat_import, "kampanye")
    with pytest.raises(ValidationError):
        services.chat_flag_dismiss(actor=humas, flag=flag, reason="  ")
    with pytest.raises(PermissionDenied):
        services.chat_flag_dismiss(actor=chat_world.users["kepala"], flag=flag, reason="Bukan kampanye.")
    services.chat_flag_dismiss(actor=humas, flag=flag, reason="Bu Rina justru mengingatkan aturan grup.")
    flag.refresh_from_db()
    assert flag.state == "dismissed" and flag.decided_by == humas and "mengingatkan" in flag.dismiss_reason
    entry = AuditEntry.objects.get(action="sanctions.chat_flag.dismissed")
    assert entry.data == {"import": chat_import.pk, "categories": ["politics"]}  # no free text in the trail
    with pytest.raises(ValidationError):
        services.chat_flag_report(actor=humas, flag=flag, occurred_at=flag.sent_at, rule_ids=[],
                                       description="x", subject_name="Rina", channel=chat_world.channel)
    services.chat_flag_reopen(actor=humas, flag=flag)
    flag.refresh_from_db()
    assert flag.state == "open" and flag.dismiss_reason == ""


def test_flags_of_an_unconfirmed_upload_cannot_be_handled(chat_world):
    chat_import = import_of(chat_world, confirm=False)
    with pytest.raises(ValidationError):
        services.chat_flag_dismiss(actor=chat_world.users["humas"], flag=chat_import.flags.first(), reason="x")


def report_kwargs(world, flag, **extra):
    return {"occurred_at": flag.sent_at, "rule_ids": [r.pk for r in selectors.suggested_rules(flag)],
            "description": "Meneruskan kabar libur yang tidak benar.", "subject_staff": world.budi,
            "channel": world.channel, **extra}


def test_a_flag_becomes_one_report_with_the_message_and_its_context_as_pdf_evidence(chat_world):
    humas = chat_world.users["humas"]
    chat_import = import_of(chat_world)
    flag = flag_with(chat_import, "sebarkan sebelum dihapus")
    assert [r.category for r in selectors.suggested_rules(flag)] == ["hoax"]
    report, created = services.chat_flag_report(actor=humas, flag=flag, **report_kwargs(chat_world, flag))
    assert created and report.source == ReportSource.CHAT and report.source_ref == f"chat-flag:{flag.pk}"
    assert report.subject_staff == chat_world.budi and report.occurred_at == flag.sent_at
    evidence = CaseEvidence.objects.get(report=report)
    assert evidence.content_type == "application/pdf"
    with evidence.file.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages).replace("\x00", "")
    for expected in ("Sebarkan sebelum dihapus", "Benarkah itu pak?", chat_import.sha256[:32], "android-24h-dmy",
                     "Grup Guru dan Pegawai", "13 November 2024, 19.40 WIB"):
        assert expected in text.replace("\n", " ") or expected in text, expected
    flag.refresh_from_db()
    assert flag.state == "reported" and flag.report == report
    # Again, or from a second tab: the same report, never a duplicate.
    again, created = services.chat_flag_report(actor=humas, flag=flag, **report_kwargs(chat_world, flag))
    assert again == report and not created and ViolationReport.objects.count() == 1


def test_a_report_about_an_unmatched_author_names_an_external_member(chat_world):
    chat_import = import_of(chat_world)
    flag = flag_with(chat_import, "kampanye")
    report, _ = services.chat_flag_report(
        actor=chat_world.users["humas"], flag=flag,
        **report_kwargs(chat_world, flag, subject_staff=None, subject_name="Bu Rina :)", extra_evidence=[
            ("layar.png", png_bytes())]))
    assert report.subject_staff is None and report.subject_name == "Bu Rina :)"
    assert sorted(report.evidence.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]


def test_a_refused_report_leaves_the_flag_open_and_stores_no_file(chat_world):
    chat_import = import_of(chat_world)
    flag = flag_with(chat_import, "sebarkan sebelum dihapus")
    before = len(stored_files())
    with pytest.raises(ValidationError):
        services.chat_flag_report(actor=chat_world.users["humas"], flag=flag,
                                       **report_kwargs(chat_world, flag, rule_ids=[]))
    flag.refresh_from_db()
    assert flag.state == "open" and not ViolationReport.objects.exists() and len(stored_files()) == before


# --- retention ----------------------------------------------------------------------------------------

def test_the_daily_task_deletes_chat_text_after_the_triage_window(chat_world):
    humas = chat_world.users["humas"]
    with time_machine.travel(datetime.datetime(2025, 3, 3, 9, 0, tzinfo=WIB), tick=False):
        chat_import = import_of(chat_world)
        flag = flag_with(chat_import, "sebarkan sebelum dihapus")
        report, _ = services.chat_flag_report(actor=humas, flag=flag, **report_kwargs(chat_world, flag))
        services.chat_flag_dismiss(actor=humas, flag=flag_with(chat_import, "kampanye"),
                                        reason="Mengingatkan aturan grup.")
    with time_machine.travel(datetime.datetime(2025, 4, 1, 1, 10, tzinfo=WIB), tick=False):  # day 29
        apply_retention_everywhere()
    assert ChatMessage.objects.filter(chat_import=chat_import).count() == 9
    with time_machine.travel(datetime.datetime(2025, 4, 3, 1, 10, tzinfo=WIB), tick=False):  # day 31
        from governance.retention import apply_retention
        from governance.tenancy import institution_scope

        with institution_scope(chat_world.institution):  # the dry run of the one retention run lists it
            assert apply_retention(chat_world.institution, dry_run=True)["triage.chat"].counts["chat_texts"] == 1
        assert ChatMessage.objects.filter(chat_import=chat_import).count() == 9
        apply_retention_everywhere()
    chat_import.refresh_from_db()
    assert chat_import.purged_at is not None
    entry = AuditEntry.objects.filter(action="governance.retention.applied", institution=chat_world.institution).latest("seq")
    assert entry.data["deleted"]["triage.chat.chat_texts"] == 1
    assert not ChatMessage.objects.exists() and not ChatAuthor.objects.exists()
    flags = {f.state: f for f in ChatFlag.objects.filter(chat_import=chat_import)}
    assert set(flags) == {"reported", "dismissed", "open"} and all(f.message_id is None for f in flags.values())
    assert flags["dismissed"].dismiss_reason == "" and flags["reported"].report == report
    assert report.evidence.count() == 1  # the message stays with the case, as PDF
    entry = AuditEntry.objects.get(action="sanctions.chat_import.purged")
    assert entry.actor is None and entry.data["by"] == "retention" and entry.data["messages"] == 9


@override_settings(SANTUN_CHAT_TRIAGE_DAYS=7)
def test_the_triage_window_is_a_setting(chat_world):
    with time_machine.travel(datetime.datetime(2025, 3, 3, 9, 0, tzinfo=WIB), tick=False):
        chat_import = import_of(chat_world)
    with time_machine.travel(datetime.datetime(2025, 3, 11, 1, 10, tzinfo=WIB), tick=False):
        apply_retention_everywhere()
    chat_import.refresh_from_db()
    assert chat_import.purged_at is not None and not ChatMessage.objects.exists()


def test_humas_may_delete_the_chat_text_as_soon_as_the_triage_is_done(chat_world):
    chat_import = import_of(chat_world)
    services.chat_import_purge(actor=chat_world.users["humas"], chat_import=chat_import)
    assert not ChatMessage.objects.exists()
    with pytest.raises(ValidationError):
        services.chat_import_purge(actor=chat_world.users["humas"], chat_import=chat_import)
    flag = ChatFlag.objects.filter(chat_import=chat_import).first()
    with pytest.raises(ValidationError):
        services.chat_flag_dismiss(actor=chat_world.users["humas"], flag=flag, reason="x")


def test_uploads_nobody_confirmed_are_discarded_after_two_days(chat_world, django_capture_on_commit_callbacks):
    humas = chat_world.users["humas"]
    with time_machine.travel(datetime.datetime(2025, 3, 3, 9, 0, tzinfo=WIB), tick=False):
        waiting = services.chat_import_start(actor=humas, channel=chat_world.channel,
                                                  upload=chat_upload(chat_bytes(AMBIGUOUS)))
        preview = import_of(chat_world, confirm=False)
    with time_machine.travel(datetime.datetime(2025, 3, 5, 12, 0, tzinfo=WIB), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        apply_retention_everywhere()
    waiting.refresh_from_db()
    preview.refresh_from_db()
    assert waiting.state == "expired" and preview.state == "expired"
    assert chat_files() == [] and not ChatMessage.objects.exists() and not ChatAuthor.objects.exists()


def test_the_staff_index_ignores_people_who_left(chat_world):
    StaffMember.objects.filter(pk=chat_world.budi.pk).update(left_on=datetime.date(2024, 1, 1))
    chat_import = import_of(chat_world, confirm=False)
    assert ChatAuthor.objects.get(chat_import=chat_import, name="Budi Santoso").staff is None


def test_a_task_delivered_twice_reads_the_file_once(chat_world):
    chat_import = services.chat_import_start(actor=chat_world.users["humas"], channel=chat_world.channel,
                                                  upload=chat_upload())
    services.chat_import_parse(chat_import=chat_import)
    again = services.chat_import_parse(chat_import=chat_import)
    assert again.state == "preview" and ChatFlag.objects.count() == 3


def test_an_internal_failure_refuses_the_upload_and_deletes_it(chat_world, indonesian, caplog):
    chat_import = services.chat_import_start(actor=chat_world.users["humas"], channel=chat_world.channel,
                                                  upload=chat_upload())
    default_storage.delete(chat_import.file.name)  # the storage lost it
    chat_import = services.chat_import_parse(chat_import=chat_import)
    assert chat_import.state == "refused" and chat_import.problem_code == "chat_failed" and not chat_import.file
    from triage.chat.errors import error_from_code

    assert "administrator" in error_from_code("chat_failed").messages[0]


def test_the_audit_view_hides_the_flag_a_case_about_the_head_came_from(chat_world):
    """A head reported from a chat export cannot learn from the audit trail which flag, and so who,
    turned the message into the case about them."""
    from django.urls import reverse

    from sanctions.tests.conftest import mfa_client
    from sanctions.tests.factories import staff_for

    humas, head = chat_world.users["humas"], chat_world.users["kepala"]
    chat_import = import_of(chat_world)
    flag = flag_with(chat_import, "sebarkan sebelum dihapus")
    services.chat_flag_report(actor=humas, flag=flag, **report_kwargs(
        chat_world, flag, subject_staff=staff_for(head, chat_world.institution)))
    other = flag_with(chat_import, "kampanye")
    services.chat_flag_report(actor=humas, flag=other, **report_kwargs(chat_world, other))
    page = mfa_client(head).get(reverse("governance:audit_log", kwargs={"institution": chat_world.institution.slug}),
                                {"action": "sanctions.chat_flag.reported"})
    assert [entry.target_id for entry in page.context["page"].object_list] == [str(other.pk)]
