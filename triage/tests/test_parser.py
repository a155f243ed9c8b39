"""The parser on hand-written exports: every tricky line a real export contains."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from triage.chat import MEDIA, MESSAGE, SYSTEM, author_phone, parse
from triage.chat import parser as parser_module
from triage.tests.generate import all_formats, expected, make_entries, to_bytes

ANDROID_ID = """\
15/01/24 10.00 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk mempelajari selengkapnya.
15/01/24 10.01 - Budi Santoso membuat grup "Guru: MTsN 1"
15/01/24 10.02 - Budi Santoso menambahkan +62 812-3456-7890
15/01/24 10.03 - Siti bergabung menggunakan tautan undangan grup ini
15/01/24 10.04 - Budi Santoso: Assalamualaikum
bapak ibu 🙏

mohon hadir rapat
15/01/24 10.05 - +62 812-3456-7890: Siap pak
15/01/24 10.06 - Siti: <Media tidak disertakan>
15/01/24 10.07 - Siti: IMG-20240115-WA0001.jpg (file terlampir)
Dokumentasi kegiatan
15/01/24 10.08 - Siti: Pesan ini telah dihapus
15/01/24 10.09 - Wali Kelas 9:A: Info: rapat jam 10:00 <Pesan ini diedit>
15/01/24 10.10 - Budi Santoso: Catatan rapat:
15/01/2024 10.00 - ini tanggal yang ditempel, bukan pesan baru
[15/01/24 10.00] Budi: salinan dari grup lain
15/01/24 10.11 - Budi Santoso mengubah subjek dari "Guru" menjadi "Guru: MTsN 1 2024"
15/01/24 10.12 - Budi Santoso mengubah deskripsi grup
15/01/24 10.13 - Budi Santoso mengubah ikon grup ini
15/01/24 10.14 - Budi Santoso mengeluarkan Siti
15/01/24 10.15 - +62 812-3456-7890 keluar
"""

ANDROID_EN_12H = (
    "1/15/24, 9:58\u202fPM - Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
    "WhatsApp, can read or listen to them. Tap to learn more.\n"
    "1/15/24, 11:59\u202fPM - John: <Media omitted>\n"
    "1/16/24, 12:00\u202fAM - John: This message was deleted\n"
    "1/16/24, 12:30\u202fPM - Mary left\n"
    "1/16/24, 1:05\u202fPM - Mary joined using this group's invite link\n"
    "1/16/24, 1:06\u202fPM - Mary: DOC-20240116-WA0003.pdf (file attached)\n"
    "1/16/24, 1:07\u202fPM - John changed the subject from \"Team\" to \"Team: 2024\"\n"
    "1/16/24, 1:08\u202fPM - John: Hi all <This message was edited>\n"
)

IOS_ID = (
    "\u200e[15/01/24 10.00.00] Grup Guru: \u200ePesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun "
    "di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.\n"
    "\u200e[15/01/24 10.00.05] Grup Guru: \u200eBudi menambahkan Siti\n"
    "[15/01/24 10.01.30] Budi: Selamat pagi \u200fمرحبا\u200f semua 😊\n"
    "\u200e[15/01/24 10.02.00] \u202a+62\u00a0812\u20113456\u20117890\u202c: \u200egambar tidak disertakan\n"
    "\u200e[15/01/24 10.03.00] Siti: \u200e<attached: 00000012-PHOTO-2024-01-15-10-03-00.jpg>\n"
    "[15/01/24 10.04.00] ~\u202fWulan: Halo: apa kabar?\n"
    "\u200e[15/01/24 10.05.00] Siti: \u200ePesan ini telah dihapus.\n"
    "\u200e[15/01/24 10.06.00] Grup Guru: \u200eSiti keluar\n"
)


def entries(text, tz="Asia/Makassar", **kwargs):
    return parse(text.encode(), tz, **kwargs).read_all()


def test_android_indonesian_every_kind_of_line(wita):
    result = parse(ANDROID_ID.encode(), wita)
    got = result.read_all()
    assert result.format == "android-24h-dmy"
    assert [(m.kind, m.event) for m in got] == [
        (SYSTEM, "encryption"), (SYSTEM, "created"), (SYSTEM, "added"), (SYSTEM, "joined"),
        (MESSAGE, None), (MESSAGE, None), (MEDIA, None), (MEDIA, None), (SYSTEM, "deleted"), (MESSAGE, None),
        (MESSAGE, None), (SYSTEM, "subject"), (SYSTEM, "description"), (SYSTEM, "icon"), (SYSTEM, "removed"),
        (SYSTEM, "left"),
    ]
    assert got[0].sent_at == dt.datetime(2024, 1, 15, 10, 0, tzinfo=wita)
    assert got[0].sent_at.utcoffset() == dt.timedelta(hours=8)
    assert got[1].author is None and got[1].text == 'Budi Santoso membuat grup "Guru: MTsN 1"'
    assert got[4].author == "Budi Santoso"
    assert got[4].text == "Assalamualaikum\nbapak ibu 🙏\n\nmohon hadir rapat"
    assert got[5].author == "+62 812-3456-7890"
    assert got[6].text == "" and got[6].attachment is None
    assert got[7].attachment == "IMG-20240115-WA0001.jpg" and got[7].text == "Dokumentasi kegiatan"
    assert got[8].author == "Siti" and got[8].text == "Pesan ini telah dihapus"
    assert got[9].author == "Wali Kelas 9:A" and got[9].text == "Info: rapat jam 10:00" and got[9].edited
    # lines that only resemble a header (other separator, year digits or layout) stay in the message
    assert got[10].text == ("Catatan rapat:\n15/01/2024 10.00 - ini tanggal yang ditempel, bukan pesan baru\n"
                            "[15/01/24 10.00] Budi: salinan dari grup lain")
    assert got[11].author is None and got[11].event == "subject"
    assert result.summary() == {
        "format": "android-24h-dmy", "format_details": "android-24h-dmy dd/mm/yy HH.MM", "date_order": "dmy",
        "date_order_detected": True, "messages": 6, "system_lines": 10,
        "authors": ["Budi Santoso", "+62 812-3456-7890", "Siti", "Wali Kelas 9:A"],
        "first": "2024-01-15T10:00:00+08:00", "last": "2024-01-15T10:15:00+08:00",
    }


def test_android_english_12_hour_clock_with_narrow_space():
    result = parse(ANDROID_EN_12H.encode(), ZoneInfo("Asia/Jakarta"))
    got = result.read_all()
    assert result.format == "android-12h-mdy"
    assert [m.sent_at.strftime("%m-%d %H:%M") for m in got] == [
        "01-15 21:58", "01-15 23:59", "01-16 00:00", "01-16 12:30", "01-16 13:05", "01-16 13:06", "01-16 13:07",
        "01-16 13:08",
    ]
    assert [(m.kind, m.event) for m in got] == [
        (SYSTEM, "encryption"), (MEDIA, None), (SYSTEM, "deleted"), (SYSTEM, "left"), (SYSTEM, "joined"),
        (MEDIA, None), (SYSTEM, "subject"), (MESSAGE, None),
    ]
    assert got[5].attachment == "DOC-20240116-WA0003.pdf"
    assert got[7].text == "Hi all" and got[7].edited
    assert result.authors == ["John", "Mary"]


def test_ios_indonesian_direction_marks_rtl_and_phone_authors(wita):
    result = parse(IOS_ID.encode(), wita)
    got = result.read_all()
    assert result.format == "ios-24h-dmy"
    assert [(m.kind, m.event, m.author) for m in got] == [
        (SYSTEM, "encryption", None), (SYSTEM, "added", None), (MESSAGE, None, "Budi"),
        (MEDIA, None, "+62 812-3456-7890"), (MEDIA, None, "Siti"), (MESSAGE, None, "Wulan"),
        (SYSTEM, "deleted", "Siti"), (SYSTEM, "left", None),
    ]
    assert got[1].text == "Budi menambahkan Siti"
    assert got[2].text == "Selamat pagi \u200fمرحبا\u200f semua 😊"
    assert got[2].sent_at == dt.datetime(2024, 1, 15, 10, 1, 30, tzinfo=wita)
    assert got[4].attachment == "00000012-PHOTO-2024-01-15-10-03-00.jpg"
    assert got[5].text == "Halo: apa kabar?"
    assert result.chat_name == "Grup Guru"
    assert result.authors == ["Budi", "+62 812-3456-7890", "Siti", "Wulan"]


def test_ios_english_12_hour_with_seconds():
    text = ("[1/15/24, 12:00:01 AM] Team: \u200eMessages and calls are end-to-end encrypted.\n"
            "[1/15/24, 12:30:00 PM] Mary: \u200eimage omitted\n"
            "[1/15/24, 1:45:09 p.m.] John: Note: meeting at 10:00\n"
            "[1/15/24, 11:59:59 pm] John: \u200eThis message was deleted.\n")
    got = entries(text, "Asia/Jayapura")
    assert [m.sent_at.strftime("%H:%M:%S") for m in got] == ["00:00:01", "12:30:00", "13:45:09", "23:59:59"]
    assert [m.kind for m in got] == [SYSTEM, MEDIA, MESSAGE, SYSTEM]
    assert got[2].author == "John" and got[2].text == "Note: meeting at 10:00"
    assert got[0].sent_at.utcoffset() == dt.timedelta(hours=9)


@pytest.mark.parametrize("line, author, text", [
    ("15/01/24 10.00 - Humas:: pesan", "Humas:", "pesan"),  # a name ending in a colon
    ("15/01/24 10.00 - Bu Rina :): pesan", "Bu Rina :)", "pesan"),
    ("15/01/24 10.00 - Kelas 9:A: Info: rapat", "Kelas 9:A", "Info: rapat"),
    # A name that itself contains ": " cannot be told from the text: the author ends at the first ": ".
    ("15/01/24 10.00 - Ketua: RT 05: halo", "Ketua", "RT 05: halo"),
    ("15/01/24 10.00 - Siti: ", "Siti", ""),
])
def test_the_author_ends_at_the_first_colon_and_space(line, author, text):
    (message,) = entries(line + "\n")
    assert (message.author, message.text, message.kind) == (author, text, MESSAGE)


def test_twelve_oclock_two_digit_years_and_midnight():
    text = ("31/12/99 00:00 - A: satu\n31/12/99 23:59 - A: dua\n01/01/00 00:00 - A: tiga\n")
    got = entries(text, "Asia/Jakarta")
    assert [m.sent_at.isoformat() for m in got] == [
        "2099-12-31T00:00:00+07:00", "2099-12-31T23:59:00+07:00", "2000-01-01T00:00:00+07:00"]


def test_year_first_dates():
    got = entries("2024-01-05, 08:00 - A: halo\n2024-01-06, 09:00 - B: hai\n", "Asia/Jakarta")
    assert [m.sent_at.date().isoformat() for m in got] == ["2024-01-05", "2024-01-06"]


def test_crlf_bom_and_utf16_exports_read_the_same(wita):
    plain = entries(ANDROID_ID)
    for data in (
        ANDROID_ID.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + ANDROID_ID.encode(),
        ANDROID_ID.encode("utf-16"),
        ANDROID_ID.encode("utf-16-le"),
    ):
        assert parse(data, wita).read_all() == plain


def test_leading_blank_lines_and_trailing_newlines_are_ignored():
    got = entries("\n\n15/01/24 10.00 - A: halo\n\n\n")
    assert [(m.author, m.text) for m in got] == [("A", "halo")]


def test_a_date_that_does_not_exist_is_not_a_header():
    got = entries("15/01/24 10.00 - A: lihat\n31/02/24 10.00 - ini bukan tanggal\n")
    assert len(got) == 1 and got[0].text == "lihat\n31/02/24 10.00 - ini bukan tanggal"


def test_blocks_larger_than_a_read_are_stitched(monkeypatch):
    monkeypatch.setattr(parser_module, "READ_CHARS", 97)
    tz = ZoneInfo("Asia/Jakarta")
    spec = all_formats()[0]
    chat = make_entries(300, seed=5)
    assert [m.as_tuple() for m in parse(to_bytes(spec, chat), tz).messages] == expected(chat, spec, tz)


def test_messages_are_yielded_while_reading(wita):
    result = parse(ANDROID_ID.encode(), wita)
    first = next(result.messages)
    assert first.index == 0 and not result.complete
    with pytest.raises(RuntimeError):
        result.summary()
    list(result.messages)
    assert result.complete and result.total == 16


def test_text_streams_and_paths(tmp_path, wita):
    path = tmp_path / "chat.txt"
    path.write_text(ANDROID_ID, encoding="utf-8")
    assert parse(path, wita).read_all() == parse(io.StringIO(ANDROID_ID), wita).read_all() == entries(ANDROID_ID)
    assert parse(str(path), wita).read_all()[0].index == 0


@pytest.mark.parametrize("author, phone", [
    ("+62 812-3456-7890", "+6281234567890"), ("0812 3456 7890", "+6281234567890"),
    ("+1 (555) 010-0000", "+15550100000"), ("Budi", None), ("Kelas 9", None), (None, None),
])
def test_author_phone(author, phone):
    assert author_phone(author) == phone


def test_message_as_dict(wita):
    message = entries("15/01/24 10.00 - A: halo\n")[0]
    assert message.as_dict() == {
        "index": 0, "sent_at": "2024-01-15T10:00:00+08:00", "author": "A", "text": "halo", "kind": "message",
        "event": None, "attachment": None, "edited": False,
    }
