"""The fast triage path (triage.chat.fast) against the parser + with_context it replaces: the same
flags with the same context, the same per-author counts, totals and author order, on every format."""

from __future__ import annotations

import datetime as dt
import random
import tracemalloc

import pytest

from triage.chat import ChatImportError, build_matcher, fast, parse, with_context
from triage.chat.fast import prefilter_forms, triage_scan
from triage.chat.formats import FormatSpec
from triage.chat.parser import SYSTEM
from triage.tests.factories import AMBIGUOUS_CHAT_LINES, CHAT_LINES
from triage.tests.generate import all_formats, make_entries, to_bytes

TZ = "Asia/Makassar"
ANDROID = FormatSpec("android", "dmy", "/", 4, 24, ":", seconds=False, comma=True)
INDONESIAN = FormatSpec("android", "dmy", "/", 2, 24, ".", seconds=False, comma=False)
# the tricky words of test_lexicon: leetspeak, repeats, slang, fancy and full-width letters,
# zero-width marks, reduplication, accents, emoji
TRICKY = [
    "Ayo coblos nomor urut 3", "c0bl0s", "cooobloooss", "jgn pilih dia", "hati2 di jalan", "𝓀𝒶𝓂𝓅𝒶𝓃𝓎𝑒",
    "ｋａｍｐａｎｙｅ", "dasar goblok kamu", "GOBLOOOK", "link bokep nih", "pancasila thaghut", "rapat jam 7",
    "coblosnya di TPS 5", "dicoblos", "p\u200bilih", "nomor 02!!!", "Pilih nomor 2!", "memilih nomornya",
    "ini dokumen rahasia, jangan disebar ya", "r4h4s14", "café", "naïve", "🙏🏻", "👩🏾‍❤️‍👩🏽", "e\u0301",
    "İstanbul", "ΣΟΦΟΣ", "sebarin!!", "ga usah", "bgt", "a1", "x" * 30, "…", "5ara", "k4f1r", "g\u200do\u200dblok",
    "kam\u00adpanye", "™ coblos", "kampanyeee", "berkampanye2", "Kampanye🙏", "🙏goblok", "BOKEP!!!", "h0ax",
]


def old_way(data, matcher, context=3, pick=None, order=None):
    counts: dict[str, int] = {}

    def counted(messages):
        for m in messages:
            if m.author is not None and m.kind is not SYSTEM:
                counts[m.author] = counts.get(m.author, 0) + 1
            yield m

    try:
        with parse(data, TZ, order) as result:
            flags = list(with_context(counted(result.messages), matcher, context, pick=pick))
            return flags, counts, result.summary(), result.chat_name
    except ChatImportError as error:
        return type(error), error.params


def new_way(data, matcher, context=3, pick=None, order=None, scans=None):
    try:
        with parse(data, TZ, order) as result:
            scan = triage_scan(result, matcher, context, pick=pick)
            flags = list(scan)
            if scans is not None:
                scans.append(scan)
            return flags, scan.counts, result.summary(), result.chat_name
    except ChatImportError as error:
        return type(error), error.params


def same(data, matcher, context=3, pick=None, order=None):
    scans = []
    old = old_way(data, matcher, context, pick, order)
    new = new_way(data, matcher, context, pick, order, scans)
    assert new == old
    return new, (scans[0] if scans else None)


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 4 kB, so that a test file has many block boundaries (and flags on them)."""
    monkeypatch.setattr(fast, "BLOCK_CHARS", 4096)


def tricky_lines(n: int, seed: int, spec: FormatSpec = ANDROID) -> bytes:
    rng = random.Random(seed)
    entries = make_entries(n, seed=seed, system=True, tricky=True, flagged_every=7)
    data = to_bytes(spec, entries).decode("utf-8").split("\n")
    out = []
    for line in data:
        if line and rng.random() < 0.3 and ": " in line:
            line += " " + " ".join(rng.sample(TRICKY, rng.randint(1, 3)))
        out.append(line)
    return "\n".join(out).encode("utf-8")


@pytest.mark.parametrize("spec", all_formats(), ids=lambda s: s.details)
def test_every_format_gives_the_same_flags_counts_and_totals(spec, small_blocks):
    entries = make_entries(400, seed=3, system=True, tricky=True, flagged_every=9)
    (flags, counts, summary, _), _scan = same(to_bytes(spec, entries), build_matcher(), order=spec.order)
    assert flags and counts and summary["messages"] > 300


def test_a_long_android_export_is_read_in_bulk_with_identical_results(small_blocks):
    data = tricky_lines(3000, seed=5)
    (flags, counts, summary, _), scan = same(data, build_matcher())
    assert scan.bulk_blocks > 10  # the bulk reading was used, not only the exact loop
    assert len(flags) > 300 and summary["system_lines"] > 0
    assert sum(counts.values()) == summary["messages"]  # every message and media a person sent, once


@pytest.mark.parametrize("context", [0, 1, 3, 7])
def test_context_across_block_boundaries(small_blocks, context):
    data = tricky_lines(1500, seed=context)
    same(data, build_matcher(), context)


@pytest.mark.parametrize("seed", range(4))
def test_indonesian_format_with_prefix_terms_and_extra_lexicon(small_blocks, seed):
    matcher = build_matcher({"politics": ["kampanye*", "Budi Santoso", "nomor urut 3", "sebar*"],
                             "harassment": ["gob*"]})
    data = tricky_lines(1200, seed=seed, spec=INDONESIAN)
    (flags, *_), scan = same(data, matcher)
    assert flags and scan.bulk_blocks


def test_the_factory_exports():
    for lines in (CHAT_LINES, AMBIGUOUS_CHAT_LINES):
        data = ("\n".join(lines) + "\n").encode("utf-8")
        for order in (None, "dmy", "mdy"):
            same(data, build_matcher(), order=order)


def test_an_election_matcher_still_applies_per_day(small_blocks):
    plain, campaign = build_matcher(), build_matcher({"politics": ["Hendra Wijaya"]})
    start = dt.datetime(2024, 1, 13, 6, 30)
    lines = []
    for i in range(2000):
        when = start + dt.timedelta(minutes=7 * i)
        lines.append(f"{when:%d/%m/%Y, %H:%M} - Budi: Hendra Wijaya datang {i}")
    data = ("\n".join(lines) + "\n").encode()
    day = dt.date(2024, 1, 15)
    picked = []

    def pick(message):
        picked.append(message.sent_at.date())
        return campaign if message.sent_at.date() == day else plain

    (flags, *_), scan = same(data, plain, pick=pick)
    assert flags and {f.message.sent_at.date() for f in flags} == {day}
    assert scan.bulk_blocks
    assert set(picked) >= {dt.date(2024, 1, 13), day}  # every day was asked for (election periods "used")


def test_a_head_the_prefilter_cannot_see_falls_back_to_the_exact_loop(small_blocks):
    matcher = build_matcher({"sara": ["كافر"]})
    assert prefilter_forms(matcher) is None
    data = tricky_lines(600, seed=9) + "\n01/02/2024, 10:00 - Budi: dasar كافر\n".encode()
    (flags, *_), scan = same(data, matcher)
    assert scan.bulk_blocks == 0 and any("كافر" in f.flag.terms for f in flags)


def test_lines_that_make_a_block_take_the_exact_loop(small_blocks):
    base = tricky_lines(300, seed=11).decode()
    for odd in ("31/02/2024, 10:00 - Budi: tanggal mustahil",  # no real date: stays in its message
                "15/01/2024, 25:00 - Budi: jam mustahil",
                "[15/01/24 10.00.00] Budi: baris ekspor iOS",  # another format (counted for MixedFormats)
                "١٥/٠١/٢٠٢٤, 10:00 - Budi: angka Arab-Hindi",  # a header of this format in other digits
                '15/01/2024, 10:00 - Budi "Ketua": kutipan',
                "15/01/2024, 10:00 - Budi: Pesan ini telah dihapus",
                "15/01/2024, 10:00 - Budi mengubah subjek dari \"A: b\" menjadi \"C\""):
        lines = base.split("\n")
        lines.insert(len(lines) // 2, odd)
        same("\n".join(lines).encode(), build_matcher())


def test_refusals_are_the_same():
    data = tricky_lines(200, seed=1).decode().split("\n")
    mixed = data + [f"[14/11/24 08.0{i}.00] Budi: ekspor lain {i}" for i in range(9)] * 10
    assert same("\n".join(mixed).encode(), build_matcher())[0][0].__name__ == "MixedFormats"
    assert same(b"31/02/2024, 10:00 - Budi: x\n", build_matcher())[0][0].__name__ == "NotAChatExport"


def test_with_an_empty_lexicon_nothing_is_flagged_and_everything_is_counted(small_blocks):
    data = tricky_lines(500, seed=2)
    (flags, counts, summary, _), _ = same(data, build_matcher(defaults=False), 0)
    assert flags == [] and 0 < sum(counts.values()) <= summary["messages"]
    with parse(data, TZ) as result:
        scan = triage_scan(result, None, 0)
        assert list(scan) == [] and scan.counts == counts


def test_the_risky_character_table_is_current():
    from triage.chat import _risky

    assert list(_risky.RANGES) == fast.risky_ranges()


def _peak(path, n: int) -> int:
    path.write_bytes(to_bytes(ANDROID, make_entries(n, seed=1, system=True, tricky=False)))
    matcher = build_matcher()
    tracemalloc.start()
    with parse(path, TZ) as result:
        flagged = sum(1 for _ in triage_scan(result, matcher, 3))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert flagged > n // 60
    return peak


def test_memory_stays_flat_as_the_export_grows(tmp_path, monkeypatch):
    # blocks of 64 kB, so that both files are read in several blocks: memory is one block's worth
    monkeypatch.setattr(fast, "BLOCK_CHARS", 1 << 16)
    small, large = _peak(tmp_path / "small.txt", 5000), _peak(tmp_path / "large.txt", 50000)
    assert large < small * 1.3 + 1_000_000  # ten times the messages, (nearly) the same memory


def _written_forms(phrase: tuple[str, ...]) -> list[str]:
    """A lexicon phrase as people type it: shouting, stretched letters, punctuation and emoji
    between the words, leetspeak, chat slang for a word, a reduplication at either end."""
    from triage.chat.normalize import SLANG

    slang = {}
    for key, value in SLANG.items():
        slang.setdefault(value, key)
    leet = str.maketrans("aeio", "4310")
    return [
        " ".join(phrase).upper() + "!!!",
        " , ".join(w + w[-1] * 3 for w in phrase),
        " 🙏 ".join(w.translate(leet) if w.isalpha() else w for w in phrase),
        " ".join(slang.get(w, w) for w in phrase),
        f"{phrase[0]}2 " + " ".join(phrase[1:]),
        " ".join(phrase[:-1]) + f" {phrase[-1]}2.",
        "-".join(phrase),
    ]


def test_every_phrase_is_found_however_it_is_written(small_blocks):
    matcher = build_matcher()
    phrases = sorted({key for entries in matcher._phrases.values() for key, *_ in entries})
    assert len(phrases) > 50
    texts = []
    for phrase in phrases:
        texts += _written_forms(phrase)
        texts.append(" tadi ".join(phrase))  # its words apart: no flag for the phrase, on both paths
    start = dt.datetime(2024, 3, 14, 7, 0)  # a day past the 12th: the date order is plain
    lines = [f"{start + dt.timedelta(seconds=20 * i):%d/%m/%Y, %H:%M} - Budi: {text}" for i, text in enumerate(texts)]
    (flags, *_), scan = same(("\n".join(lines) + "\n").encode(), matcher, 0)
    assert scan.bulk_blocks
    flagged = {f.message.text for f in flags}
    for phrase in phrases:
        assert " ".join(phrase).upper() + "!!!" in flagged, phrase
        assert "-".join(phrase) in flagged, phrase
