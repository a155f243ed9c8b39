"""Lexicons per rule category and the matcher that flags messages with them.

A lexicon maps a rule category (``governance.models.RuleCategory`` values) to words and phrases.
``Matcher`` compiles one once — every term normalised like the messages (``normalize.tokens``) into
a set of single words, an index of phrases by their first word, and a tuple of prefixes for terms
ending in ``*`` — and then matches a message in time proportional to its number of words, whole
words only ("pilih nomor" matches "Pilih nomor 2!", not "memilih nomornya").

    matcher = build_matcher(extra={"politics": ["Budi Santoso", "nomor urut 3"]})
    matcher.match("Ayo coblos nomor urut 3")   # (("politics", "coblos"), ("politics", "nomor urut 3"))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from .normalize import fold, normalize_word, tokens

# governance.models.RuleCategory values, in their order (a test keeps the two in step).
CATEGORIES = (
    "hoax", "pornography", "politics", "sara", "hate_speech", "state_symbols", "confidential", "harassment",
    "live_uniform", "official_travel", "account_naming", "etiquette", "other",
)
_ORDER = {category: i for i, category in enumerate(CATEGORIES)}
LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"


def read_terms(lines: Iterable[str]) -> tuple[str, ...]:
    """Terms from lines of a lexicon file: one a line, ``#`` comments and blank lines ignored."""
    terms = []
    for line in lines:
        term = line.split("#", 1)[0].strip()
        if term:
            terms.append(term)
    return tuple(terms)


@lru_cache(maxsize=1)
def default_lexicon() -> dict[str, tuple[str, ...]]:
    """The lexicons shipped with Santun (``triage/chat/lexicons/<category>.txt``)."""
    lexicon = {}
    for category in CATEGORIES:
        path = LEXICON_DIR / f"{category}.txt"
        if path.exists():
            lexicon[category] = read_terms(path.read_text(encoding="utf-8").splitlines())
    return lexicon


def merge_lexicons(*layers: Mapping[str, Iterable[str]] | None,
                   remove: Mapping[str, Iterable[str]] | None = None) -> dict[str, tuple[str, ...]]:
    """Combine lexicons (e.g. defaults, the parent institution's, the institution's own, the active
    election period's candidate names); ``remove`` drops terms per category (compared normalised)."""
    merged: dict[str, list[str]] = {}
    for layer in layers:
        for category, terms in (layer or {}).items():
            if category not in _ORDER:
                raise ValueError(f"unknown rule category {category!r}")
            merged.setdefault(category, []).extend(t for t in terms if t and t.strip())
    if remove:
        for category, terms in remove.items():
            gone = {_key(t) for t in terms}
            if category in merged:
                merged[category] = [t for t in merged[category] if _key(t) not in gone]
    return {category: tuple(dict.fromkeys(terms)) for category, terms in merged.items()}


def _key(term: str) -> tuple[tuple[str, ...], bool]:
    """How a term is compared: its normalised words, and whether it ends in ``*``."""
    term = term.strip()
    prefix = term.endswith("*")
    return tuple(tokens(term.rstrip("*"))), prefix


term_key = _key


# bytes of UTF-8 text: ASCII letters and digits kept, other ASCII characters a space, the rest kept
_ASCII_SEPARATORS = bytes(b if b >= 128 or chr(b).isalnum() else 32 for b in range(256))


class Matcher:
    """Flags text with the categories and terms of a lexicon. Build once, use for many messages."""

    def __init__(self, lexicon: Mapping[str, Iterable[str]]):
        words: dict[str, list[tuple[str, str]]] = {}
        phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        prefixes: dict[str, list[tuple[str, str]]] = {}
        self.term_count = 0
        for category, terms in lexicon.items():
            if category not in _ORDER:
                raise ValueError(f"unknown rule category {category!r}")
            for term in terms:
                key, prefix = _key(term)
                if not key:
                    continue
                shown = term.strip()
                self.term_count += 1
                if prefix and len(key) == 1:
                    prefixes.setdefault(key[0], []).append((category, shown))
                elif len(key) == 1:
                    words.setdefault(key[0], []).append((category, shown))
                else:
                    anchor = _anchor(key)
                    phrases.setdefault(key[anchor], []).append((key, anchor, category, shown))
        self._static_words = words
        self._words = dict(words)
        self._phrases = phrases
        self._static_heads = frozenset(words) | frozenset(phrases)
        self._heads = set(self._static_heads)
        self._prefixes = prefixes
        self._prefix_tuple = tuple(sorted(prefixes, key=len, reverse=True))
        self._known: set[str] = set()
        self._seen: set[str] = set()  # written words already looked at
        self._hot: set[str] = set()  # those of them that could start a match
        self._results: dict[str, tuple] = {}  # text of a message with a hot word -> its hits (bounded)

    def __bool__(self):
        return self.term_count > 0

    def match(self, text: str) -> tuple[tuple[str, str], ...]:
        """(category, term) pairs found in ``text``, by category order then term; empty when none."""
        if not text:
            return ()
        # Most messages contain no word that could start a match. Their words are looked at as
        # written (folded, before the per-word normalisation): each distinct written word is
        # normalised once and remembered as "hot" when one of its normalised words is a head or
        # starts with a prefix term. A message without a hot word matches nothing.
        # Split the folded text on ASCII separators only: an ASCII text gives its words exactly; a
        # token with other characters holds whole words (every word separator inside it is
        # non-ASCII), which ``_see`` takes apart the way ``words`` does.
        written = set(fold(text).encode("utf-8", "surrogatepass").translate(_ASCII_SEPARATORS).split())
        new = written.difference(self._seen)
        if new:
            if len(self._seen) > 200_000:  # bounded memory: forget, and look at this message's words again
                self._seen, self._hot, new = set(), set(), written
            self._see(new)
        if written.isdisjoint(self._hot):
            return ()
        found = self._results.get(text)
        if found is None:
            found = self.match_words(text)
            if len(text) <= 500:  # short texts repeat ("siap pak"…); a long one is kept in no memory
                if len(self._results) >= 20_000:
                    self._results.clear()
                self._results[text] = found
        return found

    def match_words(self, text: str) -> tuple[tuple[str, str], ...]:
        """``match`` without the look at the written words first: every word normalised."""
        toks = tokens(text)
        normalised = set(toks)
        if self._prefix_tuple:
            new = normalised.difference(self._known)
            if new:
                if len(self._known) > 200_000:  # bounded memory: forget the learnt words, learn this message's again
                    self._known = set()
                    self._heads = set(self._static_heads)
                    self._words = dict(self._static_words)
                    new = normalised
                self._learn(new)
        hits = self._heads.intersection(normalised)
        if not hits:
            return ()
        found: dict[tuple[str, str], None] = {}
        for head in hits:
            for pair in self._words.get(head, ()):
                found[pair] = None
            for key, anchor, category, shown in self._phrases.get(head, ()):
                if _contains(toks, key, anchor):
                    found[(category, shown)] = None
        return tuple(sorted(found, key=lambda pair: (_ORDER[pair[0]], pair[1])))

    def _see(self, new: set[str]) -> None:
        """Written words seen for the first time: remember those whose normalised words could match."""
        self._seen.update(new)
        heads, prefixes = self._static_heads, self._prefix_tuple
        for written in new:
            text = written.decode("utf-8", "surrogatepass")
            for token in tokens(text) if not written.isascii() else normalize_word(text).split():
                if token in heads or (prefixes and token.startswith(prefixes)):
                    self._hot.add(written)
                    break

    def _learn(self, new: set[str]) -> None:
        """Words seen for the first time: those that start with a prefix term become heads."""
        self._known.update(new)
        for word in new:
            if word.startswith(self._prefix_tuple):
                pairs = [pair for prefix in self._prefix_tuple if word.startswith(prefix)
                         for pair in self._prefixes[prefix]]
                self._words[word] = self._static_words.get(word, []) + pairs
                self._heads.add(word)


# Everyday chat words that make poor anchors for a phrase (a phrase is looked up by its least common
# word, so that "saya bunuh" is only checked in messages that contain "bunuh").
_COMMON = frozenset(tokens(
    "saya aku kamu kita kami anda dia mereka bapak ibu pak bu yang dan di ke dari untuk dengan ini itu ada "
    "tidak jangan sudah belum akan bisa harus mohon tolong info rapat hasil data nomor grup semua sebelum "
    "link foto video kirim live tim calon agama negara hanya kode soal jam hari besok kemarin mati awas body "
    "open dasar non antek halal darah aliran otak pakai dengan seragam siaran langsung"
))


def _anchor(key: tuple[str, ...]) -> int:
    ranked = sorted(range(len(key)), key=lambda i: (key[i] in _COMMON, -len(key[i])))
    return ranked[0]


def _contains(toks: list[str], key: tuple[str, ...], anchor: int) -> bool:
    n = len(key)
    word = key[anchor]
    start = 0
    while True:
        try:
            i = toks.index(word, start)
        except ValueError:
            return False
        j = i - anchor
        if j >= 0 and tuple(toks[j:j + n]) == key:
            return True
        start = i + 1


def build_matcher(extra: Mapping[str, Iterable[str]] | None = None, *, defaults: bool = True,
                  remove: Mapping[str, Iterable[str]] | None = None) -> Matcher:
    """A matcher for the default lexicons plus ``extra`` terms given at run time (the election
    period's candidate names and campaign terms, an institution's own additions), less ``remove``."""
    return Matcher(merge_lexicons(default_lexicon() if defaults else None, extra, remove=remove))
