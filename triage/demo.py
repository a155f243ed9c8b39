"""Demo data of chat-export triage, walked through the real services (seed 001). Idempotent: a group
that already has an import is skipped. All people and messages are fictional.

- MTsN 1 Muara Enim: an export of the official WhatsApp group, uploaded two days ago, reaching back
  to the 2024 Pilkada campaign: a campaign call (open), a colleague's reminder of the rule (dismissed
  with a reason), a hoax chain message (turned into a report) and a draft decree shared too early (open).

It runs after the sanctions demo, whose people and rules it uses.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.models import Channel, ChannelKind, Role, RuleCategory
from governance.tenancy import institution_scope
from members.models import StaffMember
from sanctions.demo import _staff_of, _staff_without_account, _travel
from sanctions.notifications import in_app_only

from . import services
from .chat.people import person_key
from .models import ChatImport
from .selectors import suggested_rules

C = RuleCategory

DEMO_CHAT_NAME = "WhatsApp Chat dengan WA Grup Resmi MTsN 1 Muara Enim.txt"


def _chat_name(staff: StaffMember, *, address: bool = False) -> str:
    """How a colleague shows up in the group: the name without titles, sometimes with Pak or Bu."""
    name = " ".join(word.capitalize() for word in person_key(staff.full_name).split())
    if address:
        name = f"{'Bu' if staff.sex == StaffMember.Sex.FEMALE else 'Pak'} {name}"
    return name


def _chat_phone(staff: StaffMember) -> str:
    """A number as WhatsApp shows it for someone not in the phone's contacts: +62 812-3456-7890."""
    digits = staff.phone[3:]
    return f"+62 {digits[:3]}-{digits[3:7]}-{digits[7:]}"


def _demo_export(institution, humas_staff, people) -> bytes:
    """An export of the official group: a few days of the 2024 Pilkada campaign and the last week."""
    first, second, third, by_number = people
    humas, a, b, c = _chat_name(humas_staff, address=True), _chat_name(first), _chat_name(second, address=True), \
        _chat_name(third)
    number = _chat_phone(by_number)
    today = institution.local_today()
    d1, d2 = today - datetime.timedelta(days=5), today - datetime.timedelta(days=4)

    def line(day, time, who, text):
        return f"{day:%d/%m/%y} {time} - {who}: {text}" if who else f"{day:%d/%m/%y} {time} - {text}"

    # Days after the twelfth make the day-first order certain whatever today's date is: the recent
    # days alone can be read both ways (01/12 is also 12 January).
    pilkada1, pilkada2 = datetime.date(2024, 11, 13), datetime.date(2024, 11, 14)
    lines = [
        line(pilkada1, "06.12", None, "Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar "
             "chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk mempelajari selengkapnya."),
        line(pilkada1, "06.15", humas, "Assalamualaikum bapak ibu. Pengingat: apel pagi hari Senin pukul 07.00 di "
             "halaman madrasah, mohon hadir tepat waktu 🙏"),
        line(pilkada1, "06.20", a, "Waalaikumsalam, siap bu"),
        line(pilkada1, "19.31", b, "Bapak ibu, titip ya. Tanggal 27 November ayo coblos paslon nomor urut 2, "
             "demi Muara Enim lebih maju 💪"),
        line(pilkada1, "19.33", c, "Maaf pak, grup resmi madrasah bukan tempat kampanye. Mohon diingat tata tertib "
             "grup 🙏"),
        line(pilkada1, "19.40", b, "Baik bu, mohon maaf bapak ibu, tidak saya ulangi."),
        line(pilkada2, "07.02", a, "Jadwal ujian tengah semester sudah saya kirim ke email masing-masing wali kelas."),
        line(pilkada2, "07.05", number, "<Media tidak disertakan>"),
        line(pilkada2, "07.06", number, "Dokumentasi kegiatan Jumat bersih kemarin"),
        line(d1, "19.58", a, "Bapak ibu, besok ada supervisi dari kantor kementerian, mohon perangkat ajar disiapkan."),
        line(d1, "20.05", number, "Info A1 dari grup sebelah: mulai bulan depan guru honorer wajib setor iuran ke "
             "rekening pribadi pengawas supaya dapat tunjangan."),
        "Sebarkan sebelum dihapus!!",
        line(d1, "20.09", c, "Benarkah ini? Belum ada surat resmi dari kantor."),
        line(d1, "20.15", humas, "Bapak ibu, info itu tidak benar. Kantor tidak pernah memungut iuran apa pun. "
             "Mohon tidak diteruskan ke grup lain."),
        line(d1, "20.17", number, "Maaf bu, saya kira benar 🙏"),
        line(d2, "07.30", a, "Ini draf SK pembagian tugas mengajar semester genap, jangan disebar dulu ya, "
             "belum ditandatangani kepala."),
        line(d2, "07.32", "Hendra Komite", "Assalamualaikum, rapat komite hari Sabtu pukul 09.00 di aula."),
        line(d2, "07.40", humas, "Terima kasih infonya pak. Bapak ibu, mohon SK yang belum resmi tidak dibagikan "
             "di grup ya."),
    ]
    return ("\n".join(lines) + "\n").encode()


def _muara_enim_chat(ctx) -> None:
    slug = "mtsn-1-muara-enim"
    institution = ctx.institutions.get(slug)
    humas_user, pegawai = ctx.users.get((slug, Role.PUBLIC_RELATIONS)), ctx.users.get((slug, Role.STAFF))
    if institution is None or humas_user is None or pegawai is None:
        return
    with institution_scope(institution):
        channel = (Channel.objects.filter(institution=institution, kind=ChannelKind.WHATSAPP_GROUP, is_official=True,
                                          is_active=True).order_by("pk").first())
        if channel is None or ChatImport.objects.filter(channel=channel).exists():
            return
        people = _staff_without_account(institution)[4:7]
        humas_staff, by_number = _staff_of(humas_user, institution), _staff_of(pegawai, institution)
        if len(people) < 3 or humas_staff is None or by_number is None or not by_number.phone:
            return
        now = timezone.now()
        upload = SimpleUploadedFile(DEMO_CHAT_NAME, _demo_export(institution, humas_staff, [*people, by_number]),
                                    content_type="text/plain")
        with _travel(now - datetime.timedelta(days=2, hours=3)):
            chat_import = services.chat_import_start(actor=humas_user, channel=channel, upload=upload)
            chat_import = services.chat_import_parse(chat_import=chat_import)
        if chat_import.state != "preview":
            return
        with _travel(now - datetime.timedelta(days=2, hours=2, minutes=50)):
            chat_import = services.chat_import_confirm(actor=humas_user, chat_import=chat_import)
        flags = {flag.category: flag for flag in chat_import.flags.select_related("message", "message__author",
                                                                                 "message__author__staff")}
        reminder = next((f for f in chat_import.flags.all() if "bukan tempat kampanye" in f.message.text), None)
        with _travel(now - datetime.timedelta(days=2, hours=2, minutes=30)):
            if reminder is not None:
                services.chat_flag_dismiss(
                    actor=humas_user, flag=reminder,
                    reason="Justru mengingatkan larangan kampanye di grup resmi; bukan pelanggaran.")
        hoax = flags.get(C.HOAX)
        rules = [rule.pk for rule in suggested_rules(hoax)] if hoax is not None else []
        if hoax is None or not rules:
            return
        author = hoax.message.author
        with _travel(now - datetime.timedelta(days=2, hours=2)):
            services.chat_flag_report(
                actor=humas_user, flag=hoax, occurred_at=hoax.sent_at, rule_ids=rules, channel=channel,
                subject_staff=author.staff if author and author.staff_id else None,
                subject_name="" if author and author.staff_id else (author.name if author else "Anggota grup"),
                description="Meneruskan pesan berantai bahwa guru honorer wajib menyetor iuran ke rekening pribadi "
                            "pengawas. Humas sudah meluruskan di grup; pengirim meminta maaf.",
            )


def seed(ctx) -> None:
    with in_app_only():
        _muara_enim_chat(ctx)
