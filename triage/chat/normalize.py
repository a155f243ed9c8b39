"""Normalisation of Indonesian chat text for lexicon matching.

Both the message and every lexicon term go through ``tokens()``, so they meet in the same form:

1. lower case; for non-ASCII text also compatibility folding (NFKD: fancy Unicode letters such as
   𝓀𝒶𝓂𝓅𝒶𝓃𝓎𝑒 or full-width ｋａｍｐａｎｙｅ become plain letters), diacritics removed, zero-width and
   direction marks removed;
2. repeated letters collapsed to one ("bangeeet" → "banget"; also "maaf" → "maf" on both sides, which
   is why this form is only ever used for matching, never shown);
3. split into words (letters and digits; everything else, emoji included, separates words);
4. in a word that mixes letters and digits: a trailing "2" after a word is Indonesian reduplication
   ("hati2" → "hati hati"); other digits read as the letters they imitate (4→a, 3→e, 1→i, 0→o,
   5→s, 7→t, 6→g, 9→g, 8→b: "c4l0n" → "calon", "y6" → "yg"). Numbers alone stay numbers
   ("nomor 02");
5. a small slang dictionary turns common chat abbreviations into the standard word ("gak", "ga",
   "gk", "nggak", "tdk" → "tidak"; "yg" → "yang"; "jgn" → "jangan"; "sblm" → "sebelum"…), so that a
   phrase such as "jangan pilih" also matches "jgn pilih".
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_REPEAT = re.compile(r"([a-z])\1+")
# a word: letters and digits, with zero-width and direction marks inside it (removed later)
_WORD = re.compile(r"[^\W_]+(?:[\u200b\u200c\u200d\u2060\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069]+[^\W_]+)*")
_LEET = str.maketrans("431057698", "aeiostggb")
_REDUPLICATION = re.compile(r"([a-z]{2,})2")

# chat spelling -> standard word (both sides are normalised when the table is built)
SLANG = {
    "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak", "enggak": "tidak",
    "engga": "tidak", "tdk": "tidak", "tak": "tidak", "kagak": "tidak",
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "krn": "karena", "karna": "karena", "jgn": "jangan",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "blm": "belum", "blum": "belum", "bgt": "banget",
    "utk": "untuk", "tuk": "untuk", "org": "orang", "tp": "tapi", "klo": "kalau", "kalo": "kalau",
    "dr": "dari", "sm": "sama", "skrg": "sekarang", "skrng": "sekarang", "hrs": "harus", "dpt": "dapat",
    "no": "nomor", "nmr": "nomor", "nomer": "nomor", "jd": "jadi", "jdi": "jadi", "aja": "saja",
    "sblm": "sebelum", "bkn": "bukan", "lg": "lagi", "msh": "masih", "tsb": "tersebut", "spt": "seperti",
    "dlm": "dalam", "pd": "pada", "sy": "saya", "gw": "gue", "gua": "gue", "bs": "bisa",
    "sebarin": "sebarkan", "viralin": "viralkan", "coblosin": "coblos", "pilihin": "pilih",
}


def _collapse(word: str) -> str:
    return _REPEAT.sub(r"\1", word)


_SLANG = {_collapse(k): _collapse(v) for k, v in SLANG.items()}


def fold(text: str) -> str:
    """Lower case, compatibility-folded, without diacritics (repeats and invisible marks kept: the
    marks are removed from inside words by ``normalize_word``)."""
    s = text.lower()
    if not s.isascii() and not unicodedata.is_normalized("NFKD", s):
        s = _COMBINING.sub("", unicodedata.normalize("NFKD", s)).lower()
    return s


def normalize_word(word: str) -> str:
    """One word of folded text in its matching form: repeats collapsed, digits read as letters in a
    word that mixes both, slang replaced. A reduplication ("hati2") becomes two words ("hati hati")."""
    if not word.isascii():
        word = word.translate(_INVISIBLE)
    w = _REPEAT.sub(r"\1", word)
    if not (w.isalpha() or w.isdigit()):
        m = _REDUPLICATION.fullmatch(w)
        if m:
            base = _SLANG.get(m.group(1), m.group(1))
            return f"{base} {base}"
        if any(ch.isalpha() for ch in w):
            w = _REPEAT.sub(r"\1", w.translate(_LEET))
    return _SLANG.get(w, w)


# Chat vocabulary repeats itself: each distinct word is normalised once. The cache is emptied when it
# grows past _CACHE_LIMIT words, so memory stays bounded whatever the size of the file.
_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 200_000


_ASCII_WORDS = bytes(b if chr(b).isalnum() and b < 128 else 32 for b in range(256))


def words(text: str) -> list[str]:
    """The folded words of ``text``, before the per-word normalisation."""
    s = fold(text)
    if s.isascii():  # the common case, done with a byte table: about three times faster than a regex
        return s.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _WORD.findall(s)


def tokens(text: str) -> list[str]:
    """The normalised words of ``text`` (see the module documentation)."""
    words_ = words(text)
    cache = _CACHE
    get = cache.get
    out = [get(w) or _remember(w) for w in words_]
    if not _SPACED.isdisjoint(out):
        out = " ".join(out).split()
    return out


_SPACED: set[str] = set()


def _remember(word: str) -> str:
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    out = _CACHE[word] = normalize_word(word)
    if " " in out:
        _SPACED.add(out)
    return out


def normalize(text: str) -> str:
    """The normalised form of ``text`` as one string of words separated by single spaces."""
    return " ".join(tokens(text))
