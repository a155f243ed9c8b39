"""python manage.py chat_preview FILE: what an import would produce, saving nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from triage.chat.formats import FormatSpec
from triage.tests.generate import make_entries, write_zip

CHAT = (
    "15/01/24 10.00 - Pesan dan panggilan terenkripsi secara end-to-end.\n"
    "15/01/24 10.01 - Budi: Ayo coblos nomor urut 2!\n"
    "15/01/24 10.02 - +62 812-3456-7890: sebarkan sebelum dihapus\n"
    "16/01/24 21.30 - Siti: <Media tidak disertakan>\n"
    "16/01/24 21.31 - Siti keluar\n"
)


def preview(capsys, *args):
    call_command("chat_preview", *args)
    return json.loads(capsys.readouterr().out)


def test_summary_of_a_text_export(tmp_path, capsys):
    path = tmp_path / "chat.txt"
    path.write_text(CHAT, encoding="utf-8")
    out = preview(capsys, str(path), "--tz", "Asia/Makassar")
    assert out == {
        "format": "android-24h-dmy",
        "format_details": "android-24h-dmy dd/mm/yy HH.MM",
        "date_order": "dmy",
        "date_order_detected": True,
        "messages": 3,
        "system_lines": 2,
        "authors": ["Budi", "+62 812-3456-7890", "Siti"],
        "first": "2024-01-15T10:00:00+08:00",
        "last": "2024-01-16T21:31:00+08:00",
        "flagged_messages": 2,
        "flags": {"hoax": 1, "politics": 1},
    }


def test_default_zone_extra_terms_and_a_zip(tmp_path, capsys):
    path = tmp_path / "export.zip"
    chat = make_entries(50, seed=1, flagged_every=0)
    write_zip(path, FormatSpec("ios", "dmy", "/", 2, 24, ".", True, False), chat)
    out = preview(capsys, str(path), "--term", "harassment=Bismillah", "--no-default-lexicon")
    assert out["format"] == "ios-24h-dmy" and out["first"].endswith("+07:00")
    assert out["messages"] + out["system_lines"] == 50
    assert set(out["flags"]) == {"harassment"}


def test_ambiguous_dates_and_the_override(tmp_path, capsys, indonesian):
    path = tmp_path / "chat.txt"
    path.write_text("02/03/24 10.00 - Budi: halo\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--date-order"):
        call_command("chat_preview", str(path))
    assert preview(capsys, str(path), "--date-order", "mdy")["first"] == "2024-02-03T10:00:00+07:00"


@pytest.mark.parametrize("args, words", [
    (["missing.txt"], "tidak ditemukan"),
    (["{path}", "--tz", "Mars/Olympus"], "Zona waktu"),
    (["{path}", "--term", "nothing"], "KATEGORI=ISTILAH"),
])
def test_errors_are_explained(tmp_path, args, words, indonesian):
    path = tmp_path / "chat.txt"
    path.write_text(CHAT, encoding="utf-8")
    with pytest.raises(CommandError, match=words):
        call_command("chat_preview", *[a.format(path=path) for a in args])


def test_a_file_that_is_not_an_export(tmp_path, indonesian):
    path = tmp_path / "notes.txt"
    path.write_text("Daftar belanja\n", encoding="utf-8")
    with pytest.raises(CommandError, match="bukan ekspor obrolan WhatsApp"):
        call_command("chat_preview", str(path))
