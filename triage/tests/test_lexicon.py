"""Lexicons per rule category and the matcher."""

import pytest

from governance.models import RuleCategory
from triage.chat import CATEGORIES, Matcher, build_matcher, default_lexicon, merge_lexicons


def test_the_categories_are_the_rule_categories():
    assert list(CATEGORIES) == list(RuleCategory.values)
    assert set(default_lexicon()) <= set(CATEGORIES)


@pytest.mark.parametrize("category, text, term", [
    ("politics", "Ayo COBLOS nomor urut 2 ya bapak ibu", "coblos"),
    ("politics", "Pilih nmr 3, paslon terbaik!", "pilih nomor"),
    ("politics", "Mari kita kampanyekan bersama", "kampanye*"),
    ("politics", "Kami dukung calon yang amanah", "dukung calon"),
    ("hoax", "Sebarkan sblm dihapuuus!!!", "sebarkan sebelum dihapus"),
    ("hoax", "info A1 dari grup sebelah", "info a1"),
    ("pornography", "ada link b0k3p nih", "bokep"),
    ("sara", "dasar kafir semua", "kafir"),
    ("hate_speech", "Pancasila thaghut, tegakkan khilafah", "pancasila thaghut"),
    ("state_symbols", "videonya injak bendera", "injak bendera"),
    ("confidential", "Ini dokumen rahasia, jgn disebar", "jangan disebar"),
    ("harassment", "Dasar g0bl0k kamu", "goblok"),
    ("harassment", "awas kamu ya, tunggu pembalasan", "tunggu pembalasan"),
    ("live_uniform", "nanti malam live pakai seragam ya", "live pakai seragam"),
    ("official_travel", "dinas rasa liburan nih", "dinas rasa liburan"),
])
def test_each_category_flags_its_words(category, text, term):
    hits = build_matcher().match(text)
    assert (category, term) in hits


@pytest.mark.parametrize("text", [
    "Selamat pagi bapak ibu, rapat jam 8",
    "memilih nomornya nanti saja",  # whole words only: not "pilih nomor"
    "Kampanyo",  # not the prefix
    "sebarkan undangan rapat",  # one word of a phrase is not the phrase
    "",
])
def test_ordinary_messages_are_not_flagged(text):
    assert build_matcher().match(text) == ()


def test_extra_terms_at_run_time():
    matcher = build_matcher(extra={"politics": ["Budi Santoso", "nomor urut 3"], "confidential": ["SK-007"]})
    assert matcher.match("Pilih Pak BUDI santoso!") == (("politics", "Budi Santoso"),)
    assert ("politics", "nomor urut 3") in matcher.match("coblos no urut 3")
    assert matcher.match("lampiran sk 007 terlampir") == (("confidential", "SK-007"),)
    assert build_matcher().match("Pilih Pak Budi Santoso") == ()


def test_only_the_given_terms_and_removed_terms():
    matcher = build_matcher({"politics": ["pemilu"]}, defaults=False)
    assert matcher.match("pemilu dan kampanye") == (("politics", "pemilu"),)
    removed = build_matcher(remove={"harassment": ["anjing"]})
    assert removed.match("anjing saya lucu") == ()
    assert build_matcher().match("anjing saya lucu") == (("harassment", "anjing"),)


def test_a_term_in_several_categories_and_the_order_of_hits():
    matcher = Matcher({"harassment": ["kampret"], "sara": ["kampret"], "hoax": ["hoaks"]})
    assert matcher.match("kampret, itu hoaks") == (("hoax", "hoaks"), ("sara", "kampret"), ("harassment", "kampret"))


def test_unknown_categories_are_refused():
    with pytest.raises(ValueError):
        Matcher({"spam": ["x"]})
    with pytest.raises(ValueError):
        merge_lexicons({"spam": ["x"]})


def test_merge_keeps_order_and_removes_duplicates():
    merged = merge_lexicons({"politics": ["coblos", "paslon"]}, {"politics": ["paslon", "capres"]},
                            remove={"politics": ["COBLOS"]})
    assert merged == {"politics": ("paslon", "capres")}


def test_prefix_terms_are_learnt_once_and_stay_correct():
    matcher = Matcher({"politics": ["coblos*"]})
    for _ in range(3):
        assert matcher.match("coblosnya di TPS 5") == (("politics", "coblos*"),)
        assert matcher.match("dicoblos") == ()


def _varied_texts():
    """Chat lines that exercise every step of the normalisation, many times over in new mixes."""
    import random

    rng = random.Random(17)
    pieces = [
        "Ayo coblos nomor urut 3", "c0bl0s", "cooobloooss", "jgn pilih dia", "hati2 di jalan", "𝓀𝒶𝓂𝓅𝒶𝓃𝓎𝑒",
        "ｋａｍｐａｎｙｅ", "dasar goblok kamu", "GOBLOOOK", "link bokep nih", "pancasila thaghut", "rapat jam 7",
        "coblosnya di TPS 5", "dicoblos", "p\u200bilih", "nomor 02!!!", "Pilih nomor 2!", "memilih nomornya",
        "ini dokumen rahasia, jangan disebar ya", "r4h4s14", "café", "naïve", "🙏🏻", "👩🏾‍❤️‍👩🏽", "e\u0301",
        "İstanbul", "ΣΟΦΟΣ", "sebarin!!", "ga usah", "bgt", "a1", "x" * 30, "", "…", "5ara", "k4f1r",
    ]
    for _ in range(1500):
        yield " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))


def test_the_quick_look_at_written_words_never_changes_a_result():
    lexicon = merge_lexicons(default_lexicon(), {"politics": ["coblos*", "kampanye", "nomor urut 3"],
                                                 "hate_speech": ["r4h4s14"]})
    quick, full = Matcher(lexicon), Matcher(lexicon)
    flagged = 0
    for text in _varied_texts():
        expected = full.match_words(text)
        assert quick.match(text) == expected, text
        flagged += bool(expected)
    assert flagged > 300  # the comparison covered many hits, not only clean lines


def test_the_quick_look_stays_right_when_its_memory_is_emptied():
    lexicon = merge_lexicons(default_lexicon(), {"politics": ["coblos*"]})
    matcher = Matcher(lexicon)
    assert matcher.match("coblosnya di TPS 5") == (("politics", "coblos*"),)
    # As if 200,000 written words had been seen: the next new word empties the memory.
    matcher._seen.update(f"kata{i}" for i in range(200_001))
    matcher._known.update(f"kata{i}" for i in range(200_001))
    assert matcher.match("coblosnya lagi, kata baru sekali") == (("politics", "coblos*"),)
    assert len(matcher._seen) < 10 and len(matcher._known) < 10
    assert matcher.match("coblosnya di TPS 5") == (("politics", "coblos*"),)
