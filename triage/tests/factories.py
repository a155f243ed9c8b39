"""Factories and helpers for the chat-triage tests: small WhatsApp exports and imports walked
through the real services."""

from __future__ import annotations

import io

from sanctions.tests.factories import jpeg_bytes
from triage import services

# A small export as an Indonesian Android phone writes it (dd/mm/yy HH.MM), during Pilkada 2024's
# campaign: a hoax chain message, a campaign call, and a colleague who names the rule (a false flag).
CHAT_LINES = [
    "13/11/24 06.30 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, "
    "termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk mempelajari selengkapnya.",
    "13/11/24 06.45 - Budi Santoso: Assalamualaikum bapak ibu guru, rapat dinas besok pukul 08.00 di ruang guru.",
    "13/11/24 06.47 - +62 812-3456-7890: Siap pak, terima kasih infonya 👍",
    "13/11/24 07.02 - Bu Rina :): Mohon izin, jadwal piket minggu depan sudah dibagikan",
    "13/11/24 19.40 - Budi Santoso: Info: madrasah libur seminggu krn banjir.",
    "Sebarkan sebelum dihapus!!",
    "13/11/24 19.41 - Bu Rina :): Benarkah itu pak? Belum ada surat dari kantor",
    "13/11/24 19.45 - +62 812-3456-7890: <Media tidak disertakan>",
    "13/11/24 20.02 - Budi Santoso: Ayo coblos nomor urut 2 ya bapak ibu",
    "13/11/24 20.05 - Bu Rina :): Pak, grup ini bukan untuk kampanye",
    "14/11/24 07.00 - Budi Santoso: Mohon maaf bapak ibu 🙏",
]
CHAT_PHONE = "+6281234567890"
# Dates that read both ways (3 April or 4 March): the uploader must say which.
AMBIGUOUS_CHAT_LINES = [
    "03/04/24 09.00 - Budi Santoso: Selamat pagi bapak ibu",
    "03/04/24 09.05 - Budi Santoso: ini hoaks, jangan dipercaya",
    "04/04/24 10.00 - Bu Rina :): Siap pak",
]


def chat_bytes(lines=CHAT_LINES) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def chat_zip(data: bytes | None = None, *, media: bool = True, name="WhatsApp Chat dengan Grup Guru.txt") -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data if data is not None else chat_bytes())
        if media:
            archive.writestr("IMG-20241113-WA0001.jpg", jpeg_bytes())
    return buffer.getvalue()


def chat_upload(data: bytes | None = None, name="WhatsApp Chat dengan Grup Guru.txt"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data if data is not None else chat_bytes(), content_type="text/plain")


def imported_chat(institution, *, humas, channel, data: bytes | None = None, name="WhatsApp Chat dengan Grup.txt",
                  order: str | None = None, confirm: bool = True, only_new: bool = True):
    """Upload, parse (here and now: tasks queued on commit do not run inside a test transaction) and,
    unless told otherwise, confirm an export."""
    chat_import = services.chat_import_start(actor=humas, channel=channel, upload=chat_upload(data, name),
                                             only_new=only_new)
    if order:
        chat_import = services.chat_import_choose_order(actor=humas, chat_import=chat_import, order=order)
    chat_import = services.chat_import_parse(chat_import=chat_import)
    if confirm and chat_import.state == "preview":
        chat_import = services.chat_import_confirm(actor=humas, chat_import=chat_import)
    return chat_import
