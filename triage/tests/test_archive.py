"""Input handling: .txt in any encoding WhatsApp writes, .zip with or without media, and every kind
of bad file refused with a clear (Indonesian) message and nothing returned."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from triage.chat import (
    ArchiveError,
    BinaryFile,
    ChatImportError,
    EmptyExport,
    EncodingError,
    NotAChatExport,
    TooLarge,
    TooManyEntries,
    ZipBomb,
    parse,
)
from triage.chat.errors import EncryptedArchive, NoChatInArchive, SeveralChatsInArchive

CHAT = "15/01/24 10.00 - Budi: Assalamualaikum\n15/01/24 10.01 - Siti: <Media tidak disertakan>\n"


def zipped(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def read(source, **kwargs):
    return parse(source, "Asia/Jakarta", **kwargs).read_all()


def test_android_zip_with_media_finds_the_chat():
    data = zipped({"WhatsApp Chat with Guru.txt": CHAT.encode(), "IMG-20240115-WA0001.jpg": b"\xff\xd8\xff",
                   "notes.txt": b"not the chat"})
    assert [m.author for m in read(data)] == ["Budi", "Siti"]


def test_ios_zip_and_an_uploaded_file():
    data = zipped({"_chat.txt": ("\ufeff[15/01/24 10.00.00] Budi: halo\n").encode(), "other.txt": b"x"})
    upload = SimpleUploadedFile("WhatsApp Chat - Guru.zip", data, content_type="application/zip")
    assert [m.text for m in read(upload)] == ["halo"]


def test_a_zip_with_only_the_chat_and_an_indonesian_name():
    assert len(read(zipped({"Chat WhatsApp dengan Guru.txt": CHAT.encode()}))) == 2


def test_the_type_comes_from_the_content_not_the_name():
    upload = SimpleUploadedFile("chat.zip", CHAT.encode())
    assert len(read(upload)) == 2


def test_a_non_seekable_stream_is_spooled():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            return self._data.readinto(buffer)

    assert len(read(Pipe(CHAT.encode()))) == 2


@pytest.mark.parametrize("data, error, words", [
    (b"", EmptyExport, "kosong"),
    (b"   \n\n", EmptyExport, "kosong"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, BinaryFile, "bukan berkas teks"),
    (b"%PDF-1.7\n" + b"\x00" * 100, BinaryFile, "bukan berkas teks"),
    (bytes(range(256)) * 8, BinaryFile, "bukan berkas teks"),
    (b"Rapat koordinasi\nHari ini pukul 10.00\n", NotAChatExport, "bukan ekspor obrolan WhatsApp"),
    (b"Catatan 15/01/24 10.00 - Budi: halo\n", NotAChatExport, "bukan ekspor obrolan WhatsApp"),
    (b"32/13/24 10.00 - Budi: halo\n", NotAChatExport, "bukan ekspor obrolan WhatsApp"),
    (b"15/01/24 10.00 - Budi: caf\xe9\n", EncodingError, "UTF-8"),
    (b"PK\x03\x04 this is not really a zip", ArchiveError, "rusak"),
])
def test_bad_files_get_a_clear_indonesian_message(data, error, words, indonesian):
    with pytest.raises(error) as caught:
        read(data)
    assert words in str(caught.value)
    assert isinstance(caught.value, ChatImportError) and isinstance(caught.value, ValidationError)


def test_invalid_utf8_late_in_the_file_fails_the_whole_import():
    data = CHAT.encode() * 5000 + b"15/01/24 10.02 - Budi: \xff\n"
    result = parse(data, "Asia/Jakarta")
    seen = []
    with pytest.raises(EncodingError):
        for message in result.messages:
            seen.append(message)
    assert not result.complete  # the caller's transaction rolls back: nothing is half-imported


@pytest.mark.parametrize("files, error", [
    ({"IMG-1.jpg": b"\xff\xd8\xff"}, NoChatInArchive),
    ({}, NoChatInArchive),
    ({"a.txt": CHAT.encode(), "b.txt": CHAT.encode()}, SeveralChatsInArchive),
    ({"WhatsApp Chat with Guru.txt": b""}, EmptyExport),
    ({"_chat.txt": b"\x89PNG\r\n\x1a\n\x00\x00"}, BinaryFile),
])
def test_zips_without_a_usable_chat(files, error, indonesian):
    with pytest.raises(error):
        read(zipped(files))


def test_a_zip_bomb_is_refused_before_unpacking(indonesian):
    bomb = zipped({"_chat.txt": CHAT.encode() + b"\n" * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000
    with pytest.raises(ZipBomb) as caught:
        read(bomb, max_bytes=1024 * 1024)
    assert "1 MB" in str(caught.value)


def test_a_zip_whose_files_unpack_to_too_much_in_total_is_refused(indonesian):
    from triage.chat.archive import open_export

    data = zipped({"_chat.txt": CHAT.encode(), "VID-1.mp4": b"\x00" * (2 * 1024 * 1024)})
    with pytest.raises(ZipBomb):
        open_export(data, max_zip_bytes=1024 * 1024)


def test_a_zip_with_too_many_entries_is_refused(indonesian):
    from triage.chat.archive import open_export

    data = zipped({"_chat.txt": CHAT.encode(), **{f"IMG-{i}.jpg": b"x" for i in range(30)}},
                  compression=zipfile.ZIP_STORED)
    with pytest.raises(TooManyEntries) as caught:
        open_export(data, max_entries=20)
    assert "20 berkas" in str(caught.value)


def test_a_zip_with_a_password_is_refused():
    data = bytearray(zipped({"_chat.txt": CHAT.encode()}, compression=zipfile.ZIP_STORED))
    # set the "encrypted" flag in the local header and in the central directory
    data[6] |= 1
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 1
    with pytest.raises(EncryptedArchive):
        read(bytes(data))


def test_a_text_file_over_the_limit_is_refused(tmp_path, indonesian):
    path = tmp_path / "chat.txt"
    path.write_bytes(CHAT.encode() * 20_000)
    with pytest.raises(TooLarge) as caught:
        read(path, max_bytes=1024 * 1024)
    assert "1 MB" in str(caught.value)
    upload = SimpleUploadedFile("chat.txt", CHAT.encode() * 20_000)
    with pytest.raises(TooLarge):
        read(upload, max_bytes=1024 * 1024)


def test_a_stream_that_grows_past_the_limit_while_read_is_stopped():
    from triage.chat.archive import open_export

    export = open_export(CHAT.encode() * 100, max_bytes=1000)  # bytes declare no size: the read is capped
    with pytest.raises(TooLarge):
        for _ in export.lines():
            pass
