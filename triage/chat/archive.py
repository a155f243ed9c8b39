"""Opening an uploaded export: a ``.txt`` (UTF-8 with or without BOM, or UTF-16) or the ``.zip``
WhatsApp produces (with or without media), with limits against zip bombs and oversized files.

``open_export(source)`` returns an ``ExportText`` whose ``lines()`` reads the chat text from its
start as a stream of lines; nothing is unpacked to disk and only the chat text is ever decompressed.
"""

from __future__ import annotations

import io
import os
import posixpath
import tempfile
import zipfile
from collections.abc import Iterator

from .errors import (
    ArchiveError,
    BinaryFile,
    EmptyExport,
    EncryptedArchive,
    NoChatInArchive,
    SeveralChatsInArchive,
    TooLarge,
    TooManyEntries,
    UnsafeArchive,
    ZipBomb,
)

MAX_TEXT_BYTES = 64 * 1024 * 1024
"""Largest chat text accepted (about 800,000 messages)."""
MAX_ZIP_ENTRIES = 10_000
"""Most files a .zip may hold (an export with media has one file per photo, video or document)."""
MAX_ZIP_BYTES = 2 * 1024 * 1024 * 1024
"""Most bytes all files of a .zip may unpack to, as its directory declares them."""

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_BINARY_MAGIC = (
    b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf",
    b"Rar!", b"OggS", b"ID3", b"\x00\x00\x00\x18ftyp", b"\x00\x00\x00\x1cftyp", b"\x00\x00\x00\x20ftyp", b"MZ",
    b"\x7fELF", b"PK\x03\x04",
)
_CHAT_NAME_PREFIXES = ("whatsapp chat", "chat whatsapp", "obrolan whatsapp", "wa chat")
_SNIFF = 8192


class _Capped(io.RawIOBase):
    """A read-only stream that refuses to deliver more than ``limit`` bytes."""

    def __init__(self, raw, limit: int):
        self._raw = raw
        self._left = limit
        self._limit = limit

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self._raw.read(min(len(buffer), self._left + 1))
        n = len(data)
        if n > self._left:
            raise TooLarge(params={"limit_mb": self._limit // (1024 * 1024)})
        self._left -= n
        buffer[:n] = data
        return n


class ExportText:
    """The chat text of one export. Use as a context manager, or call ``close()``."""

    def __init__(self, opener, encoding: str, max_bytes: int, closers=(), name: str = ""):
        self._opener = opener  # returns a fresh binary stream positioned at the start of the text
        self.encoding = encoding
        self.max_bytes = max_bytes
        self.name = name  # the member name inside a .zip, or ""
        self._closers = list(closers)
        self._current = None

    def lines(self) -> Iterator[str]:
        """The text as lines ending in "\\n" (universal newlines), read from the start. A later call
        starts again from the beginning (and invalidates the iterator of the previous call)."""
        if self._current is not None:
            self._current.close()
        raw = self._opener()
        if self.encoding is None:  # already text
            self._current = None
            return raw
        buffered = io.BufferedReader(_Capped(raw, self.max_bytes), buffer_size=1 << 16)
        text = io.TextIOWrapper(buffered, encoding=self.encoding, errors="strict", newline=None)
        text._CHUNK_SIZE = 1 << 16
        self._current = text
        return text

    def close(self):
        if self._current is not None:
            self._current.close()
            self._current = None
        while self._closers:
            self._closers.pop()()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_export(source, *, max_bytes: int = MAX_TEXT_BYTES, max_entries: int = MAX_ZIP_ENTRIES,
                max_zip_bytes: int = MAX_ZIP_BYTES) -> ExportText:
    """Open a chat export given as a path, bytes, a binary file object (e.g. Django's ``UploadedFile``)
    or a text stream. Zip or text is decided from the content, not the name. Raises a
    ``ChatImportError`` for an empty, binary, oversized or unusable file."""
    if isinstance(source, io.TextIOBase):
        source.seek(0)
        if not source.read(1):
            raise EmptyExport()
        return ExportText(lambda: (source.seek(0), source)[1], None, max_bytes)

    closers = []
    if isinstance(source, (str, os.PathLike)):
        raw = open(source, "rb")  # noqa: SIM115 - closed by ExportText.close
        closers.append(raw.close)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        raw = io.BytesIO(bytes(source))
    else:
        raw = source
        if hasattr(raw, "open") and getattr(raw, "closed", False):
            raw.open("rb")
        if not (getattr(raw, "seekable", None) and raw.seekable()):
            raw = _spool(raw, max_zip_bytes)
            closers.append(raw.close)
    try:
        raw.seek(0)
        head = raw.read(_SNIFF)
        raw.seek(0)
        if not head:
            raise EmptyExport()
        if head.startswith(_ZIP_MAGIC):
            return _open_zip(raw, closers, max_bytes, max_entries, max_zip_bytes)
        size = _size_of(raw)
        if size is not None and size > max_bytes:
            raise TooLarge(params={"limit_mb": max_bytes // (1024 * 1024)})

        def opener():
            raw.seek(0)
            return raw

        return ExportText(opener, _sniff_encoding(head), max_bytes, closers)
    except BaseException:
        for close in closers:
            close()
        raise


def _escapes(name: str) -> bool:
    """An entry name that is absolute or climbs out of the archive (``../``, ``C:\\``, ``\\..``)."""
    parts = name.replace("\\", "/")
    return parts.startswith("/") or (len(parts) > 1 and parts[1] == ":") or ".." in parts.split("/")


def _open_zip(raw, closers, max_bytes, max_entries, max_zip_bytes) -> ExportText:
    try:
        archive = zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ArchiveError() from None
    closers.append(archive.close)
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise TooManyEntries(params={"limit": max_entries})
    if sum(info.file_size for info in infos) > max_zip_bytes:
        raise ZipBomb(params={"limit_mb": max_zip_bytes // (1024 * 1024)})
    if any(_escapes(info.filename) for info in infos):
        raise UnsafeArchive()
    member = _chat_member(infos)
    if member.flag_bits & 0x1:
        raise EncryptedArchive()
    if member.file_size > max_bytes:
        raise ZipBomb(params={"limit_mb": max_bytes // (1024 * 1024)})

    def opener():
        try:
            return archive.open(member)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError):
            raise ArchiveError() from None

    try:
        with opener() as stream:
            head = stream.read(_SNIFF)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise ArchiveError() from None
    if not head:
        raise EmptyExport()
    return ExportText(_zip_errors(opener), _sniff_encoding(head), max_bytes, closers, name=member.filename)


def _zip_errors(opener):
    """Turn decompression errors that surface while reading into ``ArchiveError``."""

    def open_checked():
        return _ZipStream(opener())

    return open_checked


class _ZipStream(io.RawIOBase):
    def __init__(self, stream):
        self._stream = stream

    def readable(self):
        return True

    def read(self, n=-1):
        try:
            return self._stream.read(n)
        except (zipfile.BadZipFile, EOFError, OSError):
            raise ArchiveError() from None

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        self._stream.close()
        super().close()


def _chat_member(infos) -> zipfile.ZipInfo:
    texts = [
        info for info in infos
        if not info.is_dir() and info.filename.lower().endswith(".txt")
        and not info.filename.startswith("__MACOSX/") and not posixpath.basename(info.filename).startswith("._")
    ]
    if not texts:
        raise NoChatInArchive()
    if len(texts) == 1:
        return texts[0]
    named = [i for i in texts if posixpath.basename(i.filename).lower() == "_chat.txt"]
    if not named:
        named = [i for i in texts if posixpath.basename(i.filename).lower().startswith(_CHAT_NAME_PREFIXES)]
    if len(named) == 1:
        return named[0]
    raise SeveralChatsInArchive()


def _sniff_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if head.startswith(_BINARY_MAGIC):
        raise BinaryFile()
    if b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
        raise BinaryFile()
    controls = sum(head.count(bytes([c])) for c in range(1, 32) if c not in (9, 10, 12, 13))
    if controls > len(head) // 100 + 2:
        raise BinaryFile()
    return "utf-8"


def _size_of(raw) -> int | None:
    size = getattr(raw, "size", None)
    if isinstance(size, int):
        return size
    try:
        return os.fstat(raw.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation, ValueError):
        return None


def _spool(stream, limit: int):
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    total = 0
    while chunk := stream.read(1 << 16):
        total += len(chunk)
        if total > limit:
            spool.close()
            raise TooLarge(params={"limit_mb": limit // (1024 * 1024)})
        spool.write(chunk)
    spool.seek(0)
    return spool
