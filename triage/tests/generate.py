"""Synthetic WhatsApp exports in every supported format, for round-trip tests and the benchmark
(test tooling: nothing in the running application imports it).

    entries = make_entries(500, seed=1)
    write_text("chat.txt", FormatSpec("ios", "dmy", "/", 2, 24, ".", True, False), entries)
    expected(entries, spec, tz)   # what parse() must return for that file

The entries are format independent; ``render`` writes them the way the given format does (Android
or iOS header, 12- or 24-hour clock, separators, year digits, Indonesian or English system lines,
iOS direction marks…). All names, numbers and texts are invented.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from triage.chat.formats import FormatSpec
from triage.chat.parser import MEDIA, MESSAGE, SYSTEM

AUTHORS = [
    "Budi Santoso", "Siti Rahmawati, S.Pd.", "+62 812-3456-7890", "Wali Kelas 9:A", "Bu Rina :)",
    "Pak Dedi 🙏", "عبد الله", "Drs. H. Ahmad Fauzi, M.Pd.I.", "Humas:", "~ Wulan",
]
# How an author is written in the file when it differs from the name parse() returns.
_IOS_AUTHOR_FORM = {"+62 812-3456-7890": "\u202a+62\u00a0812\u20113456\u20117890\u202c"}

_ID_TEXTS = [
    "Assalamualaikum bapak ibu guru 🙏",
    "Mohon izin, rapat dinas besok pukul 08.00 di ruang guru.",
    "Siap pak, terima kasih infonya 👍",
    "Info: jadwal piket minggu depan sudah dibagikan",
    "Laporan kegiatan sudah saya kirim lewat email ya bu",
    "Mantap bangeeet 😂😂",
    "Rapat tanggal 15/01/2024 pukul 10.00 di aula",
    "Jangan lupa isi presensi sebelum jam 7",
    "Alhamdulillah, lomba kemarin juara 2 🏆",
    "Bismillah, semoga lancar ujiannya anak-anak",
    "Baik bu, segera saya tindak lanjuti",
    "Tolong dicek lagi datanya: ada yang belum lengkap",
    "السلام عليكم ورحمة الله",
    "Selamat pagi, \u200fمرحبا\u200f semuanya",
    "[Pengumuman] libur tanggal merah hari Jumat",
]
_EN_TEXTS = [
    "Good morning everyone",
    "The meeting is moved to 10:00 tomorrow",
    "Thanks! 👍",
    "Note: bring your ID card",
    "See you at the office",
]
_FLAGGED_TEXTS = [
    "Ayo coblos nomor urut 2, jangan golput!",
    "Sebarkan sebelum dihapus!!! info A1 dari grup sebelah",
    "Dasar goblok kamu",
    "Ini dokumen rahasia, jangan disebar ya",
    "Dukung paslon kita, sebarkan ke grup lain",
    "Pancasila thaghut, tegakkan khilafah",
    "link bokep nih",
]
_CONTINUATIONS = [
    "Terima kasih.",
    "",
    "Wassalam",
    "15/01/2024 rapat koordinasi",
    "1. Absensi\n2. Laporan",
    "Salam 😊",
]
# Lines that look like a header of another format: they must stay inside the message.
_PASTED_HEADERS = ["15-01-2024 10:00 - catatan yang ditempel", "[15/01/24 10.00] Budi: bukan pesan baru"]

_SYSTEM_ID = [
    ("joined", "{a} bergabung menggunakan tautan undangan grup ini"),
    ("added", "{a} menambahkan {b}"),
    ("removed", "{a} mengeluarkan {b}"),
    ("left", "{a} keluar"),
    ("subject", '{a} mengubah subjek dari "Guru MTsN" menjadi "Guru: MTsN 1 2024"'),
    ("description", "{a} mengubah deskripsi grup"),
    ("icon", "{a} mengubah ikon grup ini"),
]
_SYSTEM_EN = [
    ("joined", "{a} joined using this group's invite link"),
    ("added", "{a} added {b}"),
    ("removed", "{a} removed {b}"),
    ("left", "{a} left"),
    ("subject", '{a} changed the subject from "Teachers" to "Teachers: 2024"'),
    ("description", "{a} changed the group description"),
    ("icon", "{a} changed this group's icon"),
]
_ENCRYPTION = {
    "id": "Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk "
          "WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk mempelajari selengkapnya.",
    "en": "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read "
          "or listen to them. Tap to learn more.",
}
_DELETED = {("android", "id"): "Pesan ini telah dihapus", ("android", "en"): "This message was deleted",
            ("ios", "id"): "Pesan ini telah dihapus.", ("ios", "en"): "This message was deleted."}
_OMITTED = {("android", "id"): "<Media tidak disertakan>", ("android", "en"): "<Media omitted>",
            ("ios", "id"): "gambar tidak disertakan", ("ios", "en"): "image omitted"}
_EDITED = {"id": " <Pesan ini diedit>", "en": " <This message was edited>"}
_AMPM = {"AM": ("AM", "PM"), "am": ("am", "pm"), "a.m.": ("a.m.", "p.m."), "nnbsp": ("AM", "PM")}


@dataclass(frozen=True)
class Entry:
    """One entry as written: ``event`` for system lines, ``media`` "omitted" or "attached"."""

    sent_at: dt.datetime  # naive, local time
    author: str | None
    text: str
    kind: str = MESSAGE
    event: str | None = None
    media: str | None = None
    attachment: str | None = None
    edited: bool = False


def all_formats() -> list[FormatSpec]:
    """Every combination the parser supports: Android/iOS × 12/24 h × dmy/mdy × / . - × 2/4-digit
    years, with the usual time separator, seconds and comma of each, plus year-first dates."""
    specs = []
    for layout in ("android", "ios"):
        for clock in (24, 12):
            for order in ("dmy", "mdy"):
                for sep in ("/", ".", "-"):
                    for year_digits in (2, 4):
                        # Indonesian exports write the time with a dot and no comma; English ones a colon.
                        indonesian = order == "dmy" and clock == 24 and sep == "/" and year_digits == 2
                        specs.append(FormatSpec(
                            layout, order, sep, year_digits, clock, "." if indonesian else ":",
                            seconds=layout == "ios", comma=not indonesian,
                        ))
    specs.append(FormatSpec("android", "ymd", "-", 4, 24, ":", False, True))
    specs.append(FormatSpec("ios", "ymd", "-", 4, 12, ":", True, True))
    return specs


def make_entries(n: int, *, seed: int = 0, start: dt.datetime = dt.datetime(2024, 1, 13, 6, 30),
                 language: str = "id", system: bool = True, media: bool = True, tricky: bool = True,
                 flagged_every: int = 40, max_gap_seconds: int = 900) -> list[Entry]:
    """``n`` entries starting at ``start``. ``tricky`` adds multi-line messages with pasted header-like
    lines, edited messages, RTL, emoji and unusual names; ``system`` adds system lines (an encryption
    notice first); every ``flagged_every``-th message contains lexicon terms (0: none)."""
    rng = random.Random(seed)
    authors = AUTHORS if tricky else AUTHORS[:3]
    actors = [a for a in authors if not a.endswith(":")]
    texts = _ID_TEXTS if language == "id" else _EN_TEXTS
    if not tricky:
        texts = [t for t in texts if t.isascii()]
    system_lines = _SYSTEM_ID if language == "id" else _SYSTEM_EN
    out: list[Entry] = []
    now = start
    if system and n:
        out.append(Entry(now, None, _ENCRYPTION[language], SYSTEM, "encryption"))
    while len(out) < n:
        now += dt.timedelta(seconds=rng.randint(0, max_gap_seconds))
        author = rng.choice(authors)
        roll = rng.random()
        i = len(out)
        if system and roll < 0.03:
            event, template = rng.choice(system_lines)
            actor = rng.choice(actors)  # an Android system line cannot show a name that ends in ":"
            out.append(Entry(now, None, template.format(a=actor, b=author), SYSTEM, event))
        elif media and roll < 0.06:
            out.append(Entry(now, author, "", MEDIA, media="omitted"))
        elif media and roll < 0.08:
            name = f"IMG-{now:%Y%m%d}-WA{i % 10000:04d}.jpg"
            caption = rng.choice(["", "Dokumentasi kegiatan hari ini", "foto rapat 📷"])
            out.append(Entry(now, author, caption, MEDIA, media="attached", attachment=name))
        elif system and roll < 0.09:
            out.append(Entry(now, author, "", SYSTEM, "deleted"))
        else:
            text = rng.choice(texts)
            if flagged_every and i % flagged_every == flagged_every // 2:
                text = rng.choice(_FLAGGED_TEXTS)
            edited = False
            if tricky:
                if roll > 0.85:
                    extra = rng.sample(_CONTINUATIONS, rng.randint(1, 3))
                    if rng.random() < 0.2:
                        extra.insert(rng.randint(0, len(extra)), rng.choice(_PASTED_HEADERS))
                    text = text + "\n" + "\n".join(extra)
                    text = text.rstrip("\n") or text
                elif roll > 0.82:
                    edited = True
            out.append(Entry(now, author, text, MESSAGE, edited=edited))
    return out[:n]


def _date(spec: FormatSpec, when: dt.datetime, pad: bool) -> str:
    year = when.year % 100 if spec.year_digits == 2 and spec.order != "ymd" else when.year
    fmt = "{:02d}" if pad else "{}"
    day, month = fmt.format(when.day), fmt.format(when.month)
    y = f"{year:02d}" if spec.year_digits == 2 and spec.order != "ymd" else f"{year:04d}"
    parts = {"dmy": (day, month, y), "mdy": (month, day, y), "ymd": (y, month, day)}[spec.order]
    return spec.date_sep.join(parts)


def _time(spec: FormatSpec, when: dt.datetime, ampm: str) -> str:
    sep = spec.time_sep
    if spec.clock == 24:
        out = f"{when.hour:02d}{sep}{when.minute:02d}"
    else:
        out = f"{when.hour % 12 or 12}{sep}{when.minute:02d}"
    if spec.seconds:
        out += f"{sep}{when.second:02d}"
    if spec.clock == 12:
        am, pm = _AMPM[ampm]
        out += ("\u202f" if ampm == "nnbsp" else " ") + (pm if when.hour >= 12 else am)
    return out


def header(spec: FormatSpec, when: dt.datetime, *, ampm: str = "AM", pad: bool = True, mark: bool = False) -> str:
    stamp = f"{_date(spec, when, pad)}{',' if spec.comma else ''} {_time(spec, when, ampm)}"
    if spec.layout == "ios":
        return f"{chr(0x200e) if mark else ''}[{stamp}] "
    return f"{stamp} - "


def render(entries: Iterable[Entry], spec: FormatSpec, *, language: str = "id", ampm: str = "AM",
           pad: bool = True, group: str = "Grup Guru MTsN 1") -> Iterator[str]:
    """The lines of the export (each ending in "\\n")."""
    ios = spec.layout == "ios"
    lm = "\u200e"
    for e in entries:
        if e.kind == SYSTEM and e.event != "deleted":
            if ios:
                yield f"{header(spec, e.sent_at, ampm=ampm, pad=pad, mark=True)}{group}: {lm}{e.text}\n"
            else:
                yield f"{header(spec, e.sent_at, ampm=ampm, pad=pad)}{e.text}\n"
            continue
        author = _IOS_AUTHOR_FORM.get(e.author, e.author) if ios else e.author
        if ios and e.author == "~ Wulan":
            author = "~\u202fWulan"
        if e.kind == SYSTEM:  # deleted
            text = (lm if ios else "") + _DELETED[(spec.layout, language)]
        elif e.kind == MEDIA and e.media == "omitted":
            text = (lm if ios else "") + _OMITTED[(spec.layout, language)]
            if e.text:
                text += "\n" + e.text
        elif e.kind == MEDIA:
            if ios:
                text = f"{lm}<attached: {e.attachment}>"
            else:
                text = f"{e.attachment} ({'file terlampir' if language == 'id' else 'file attached'})"
            if e.text:
                text += "\n" + e.text
        else:
            text = e.text + (_EDITED[language] if e.edited else "")
        mark = ios and e.kind != MESSAGE
        yield f"{header(spec, e.sent_at, ampm=ampm, pad=pad, mark=mark)}{author}: {text}\n"


def expected(entries: Iterable[Entry], spec: FormatSpec, tz, *, language: str = "id") -> list[tuple]:
    """What parse() returns for the rendered entries, as ``Message.as_tuple()`` values."""
    out = []
    for i, e in enumerate(entries):
        when = e.sent_at.replace(tzinfo=tz, microsecond=0)
        if not spec.seconds:
            when = when.replace(second=0)
        author = e.author
        if author is not None and author.startswith("~"):
            author = author[1:].strip()
        text, kind, event, attachment = e.text, e.kind, e.event, e.attachment
        if kind == SYSTEM and event == "deleted":
            text = _DELETED[(spec.layout, language)]
        elif kind == SYSTEM:
            author = None
        out.append((i, when, author, text, kind, event, attachment, e.edited))
    return out


def write_text(target, spec: FormatSpec, entries: Iterable[Entry], *, encoding: str = "utf-8",
               bom: bool = False, newline: str = "\n", **options) -> None:
    """Write an export to a path or a binary stream (``bom`` adds a UTF-8 byte-order mark)."""
    own = isinstance(target, (str, bytes)) or hasattr(target, "__fspath__")
    raw = open(target, "wb") if own else target  # noqa: SIM115
    try:
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig" if bom else encoding, newline=newline,
                                  write_through=False)
        stream.writelines(render(entries, spec, **options))
        stream.flush()
        stream.detach()
    finally:
        if own:
            raw.close()


def to_bytes(spec: FormatSpec, entries: Iterable[Entry], **options) -> bytes:
    buffer = io.BytesIO()
    write_text(buffer, spec, entries, **options)
    return buffer.getvalue()


def write_zip(target, spec: FormatSpec, entries: list[Entry], *, with_media: bool = True,
              chat_name: str = "Grup Guru MTsN 1", **options) -> None:
    """An export as WhatsApp zips it: iOS ``_chat.txt``, Android ``WhatsApp Chat with <name>.txt``,
    plus a small file for each attached medium when ``with_media``."""
    name = "_chat.txt" if spec.layout == "ios" else f"WhatsApp Chat with {chat_name}.txt"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, to_bytes(spec, entries, **options))
        if with_media:
            for e in entries:
                if e.attachment:
                    archive.writestr(e.attachment, b"\xff\xd8\xff\xe0 not really a picture")
