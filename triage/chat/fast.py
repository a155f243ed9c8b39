"""The fast triage path: the same flags, contexts and counts as ``parse`` + ``with_context``, without
building a Python object for every message.

    with parse(upload, tz) as result:
        scan = triage_scan(result, matcher, context=3, pick=picker)
        for found in scan:               # FlaggedMessage, in message order, as with_context yields them
            ...
        scan.counts                     # messages per author (kind not system), once exhausted

The decoded text is read in large blocks that end at a message header. For an Android export, a
block is handled in bulk, in compiled code: one ``re.split`` over its UTF-8 bytes finds every header
and author (the per-author counts come from a ``Counter`` over them, the message offsets from the
lengths of the pieces); one byte table folds the block (ASCII case, the digits of leetspeak, every
other byte a separator), numpy collapses repeated letters, and an Aho–Corasick automaton finds every
written form a lexicon head can take (``prefilter_forms``, derived from the matcher's own heads,
prefixes and slang table). Only the messages it points at — plus deleted messages (they count
differently), messages where an invisible mark joins two letters, and the ``context`` messages
around each flag — are built, with the parser's own per-message code, and matched with the
matcher's own ``match``; so every flag is the one today's path gives.

A block is read message by message with today's exact loop instead whenever the bulk view could
differ: iOS exports, a header with an impossible date or time, a line that is a header of another
format (or of this one with non-ASCII digits), an author with quotation marks, text that is not in
NFKD form (fancy letters, precomposed accents), a lexicon with a head that is not plain ASCII.
"""

from __future__ import annotations

import itertools
import operator
import re
import unicodedata
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterator

from .errors import EncodingError, MixedFormats, NotAChatExport
from .formats import GENERIC_HEADER, FormatSpec
from .lexicon import CATEGORIES, Matcher
from .normalize import _SLANG
from .parser import (
    _IOS_SYSTEM_STARTS,
    _SPECIAL_ENDS,
    _SPECIAL_LINES,
    _SPECIAL_MAX,
    _SPECIAL_STARTS,
    _SUSPICIOUS_START,
    MESSAGE,
    MIXED_MIN_LINES,
    MIXED_SHARE,
    SYSTEM,
    Message,
    ParseResult,
    _build,
    _count_foreign,
    _midnight,
    _new,
    _plain_author,
    clean_author,
    parse,
)
from .triage import Flag, FlaggedMessage, flag_message

BLOCK_CHARS = 1 << 19

try:  # both install from wheels (requirements.txt); without them every block takes the exact loop
    import ahocorasick
    import numpy as np
except ImportError:  # pragma: no cover - the requirements install them
    ahocorasick = np = None


# --- the bytes form of a header ----------------------------------------------------------------

_LEAD_B = rb"(?:\xe2\x80[\x8e\x8f]|\xef\xbb\xbf)*"
_SPACE_B = rb"(?: |\xc2\xa0|\xe2\x80\xaf)"
_AMPM_B = rb"[AaPp]\.?" + _SPACE_B + rb"?[Mm]\.?"


def _bytes_header(spec: FormatSpec) -> re.Pattern:
    """The header of an Android ``spec`` preceded by a newline, over UTF-8 bytes, with ASCII digits.
    Groups: the line without its newline, the date, the time, the author (None when the line has
    no ": "), the text after the author. ``split`` leaves the continuation lines between matches."""
    sep = re.escape(spec.date_sep.encode())
    if spec.order == "ymd":
        date = rb"[0-9]{4}" + sep + rb"[0-9]{1,2}" + sep + rb"[0-9]{1,2}"
    else:
        date = rb"[0-9]{1,2}" + sep + rb"[0-9]{1,2}" + sep + rb"[0-9]{%d}" % spec.year_digits
    tsep = re.escape(spec.time_sep.encode())
    time = rb"[0-9]{1,2}" + tsep + rb"[0-9]{2}"
    if spec.seconds:
        time += tsep + rb"[0-9]{2}"
    if spec.clock == 12:
        time += _SPACE_B + b"?" + _AMPM_B
    comma = b"," if spec.comma else b""
    author = rb"(?:([^\n:]*(?::(?! )[^\n:]*)*): )?"
    return re.compile(rb"\n(" + _LEAD_B + b"(" + date + b")" + comma + _SPACE_B + b"(" + time + rb") - "
                      + author + rb"([^\n]*))")


_SUSPICIOUS_LINE = re.compile(rb"\n(?:[0-9\[]|[\x80-\xff])")
_ALNUM = frozenset(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

# --- characters that make a message's folded text differ from its ASCII-lowered bytes ---------


def risky_ranges() -> list[tuple[int, int]]:
    """Code point ranges of the non-ASCII characters after which ``normalize.fold`` of a message is
    not simply its ASCII lower case: characters with a decomposition (NFKD changes them: fancy and
    full-width letters, accents, ™, 🈲…), combining marks, characters that ``lower()`` changes, and
    Hangul syllables. A message holding one is always built and matched. Unassigned code points
    between two ranges are taken in, so that the class stays short."""
    dec, comb, cat = unicodedata.decomposition, unicodedata.combining, unicodedata.category
    ranges: list[list[int]] = []
    gap = True  # only unassigned code points since the last range
    for cp in range(0x80, 0x110000):
        c = chr(cp)
        if dec(c) or comb(c) or c.lower() != c or 0xAC00 <= cp <= 0xD7A3:
            if ranges and gap:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
            gap = True
        elif cat(c) != "Cn":
            gap = False
    return [tuple(r) for r in ranges]


_RISKY_STARTS: list[int] | None = None
_RISKY_ENDS: list[int] = []


_INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e"
                             "\u2066\u2067\u2068\u2069")
_ASCII = bytes(range(128))
_CHARS: dict[str, int] = {}
_MARK_BYTES = {ch.encode("utf-8") for ch in _INVISIBLE_CHARS}


def _joins(data: bytes, at: int, end: int) -> bool:
    """Whether the invisible mark at data[at:end], with the marks next to it, stands between two
    ASCII letters or digits (``normalize`` then reads the two sides as one word)."""
    while at > 0 and (data[at - 3:at] in _MARK_BYTES or data[at - 2:at] in _MARK_BYTES):
        at -= 3 if data[at - 3:at] in _MARK_BYTES else 2
    while end < len(data) and (data[end:end + 3] in _MARK_BYTES or data[end:end + 2] in _MARK_BYTES):
        end += 3 if data[end:end + 3] in _MARK_BYTES else 2
    return at > 0 and end < len(data) and data[at - 1] in _ALNUM and data[end] in _ALNUM


def _risky_char(ch: str) -> int:
    """1 when a non-ASCII character is risky (see ``risky_ranges``), else 0. Cached, bounded."""
    global _RISKY_STARTS, _RISKY_ENDS
    found = _CHARS.get(ch)
    if found is None:
        if _RISKY_STARTS is None:
            from . import _risky

            ranges = _risky.RANGES if _risky.UNIDATA_VERSION == unicodedata.unidata_version else risky_ranges()
            _RISKY_STARTS, _RISKY_ENDS = [a for a, _ in ranges], [b for _, b in ranges]
        i = bisect_right(_RISKY_STARTS, ord(ch)) - 1
        found = int(i >= 0 and ord(ch) <= _RISKY_ENDS[i])
        if len(_CHARS) > 100_000:
            _CHARS.clear()
        _CHARS[ch] = found
    return found


# --- the lexicon prefilter ---------------------------------------------------------------------

_LEET = dict(zip(b"431057698", b"aeiostggb", strict=True))
_SIGMA = bytes(
    b + 32 if 65 <= b <= 90 else b if 97 <= b <= 122 else _LEET.get(b, b) if 48 <= b <= 57 else 32
    for b in range(256)
)
_COLLAPSE = re.compile(r"([a-z])\1+")
_FORM = re.compile(r"[a-z0-9]+")


def sigma(word: str) -> str:
    """The skeleton the prefilter compares: ASCII lower case, leetspeak digits read as letters,
    repeated letters collapsed. A written word that normalises to a head has the head's skeleton."""
    return _COLLAPSE.sub(r"\1", word.encode("utf-8").translate(_SIGMA).decode("ascii"))


def prefilter_forms(matcher: Matcher) -> tuple[frozenset[str], frozenset[str]] | None:
    """(whole-word skeletons, prefix skeletons) that every written word the matcher finds "hot" has;
    None when a head is not plain ASCII (the prefilter cannot see it: the exact loop is used).

    A hot word normalises to a head or to a word starting with a prefix term (``Matcher._see``).
    Its skeleton is that word's skeleton, unless slang replaced it (then it is the slang word's) or
    it is a reduplication ``x2`` (then it is the skeleton of ``x`` followed by ``2``)."""
    cached = getattr(matcher, "_prefilter_forms", False)
    if cached is not False:
        return cached
    heads, prefixes = matcher._static_heads, matcher._prefix_tuple
    whole, start = set(), set()
    bases = set(heads)
    for key, value in _SLANG.items():
        if value in heads or (prefixes and value.startswith(prefixes)):
            bases.add(key)
    for word in bases:
        whole.add(sigma(word))
        if word.isalpha() and len(word) >= 2:
            whole.add(sigma(word) + "2")
    for prefix in prefixes:
        start.add(sigma(prefix))
    forms = None
    if all(_FORM.fullmatch(f) for f in whole | start) and all(_FORM.fullmatch(h) for h in heads):
        forms = (frozenset(whole), frozenset(start))
    matcher._prefilter_forms = forms
    return forms


_AUTOMATA: dict[tuple, object] = {}


def _automaton(forms: list[tuple[frozenset[str], frozenset[str]]]):
    whole = frozenset().union(*(f[0] for f in forms))
    start = frozenset().union(*(f[1] for f in forms))
    key = (whole, start)
    found = _AUTOMATA.get(key)
    if found is None:
        if len(_AUTOMATA) > 64:
            _AUTOMATA.clear()
        found = ahocorasick.Automaton()
        for word in whole:
            found.add_word(f" {word} ", 1)
        for word in start:
            found.add_word(f" {word}", 1)
        if not whole and not start:
            found = None
        else:
            found.make_automaton()
        _AUTOMATA[key] = found
    return found


# --- the scan ------------------------------------------------------------------------------------


class _Scratch:
    """Stands in for the ParseResult while a message of a bulk block is built (its side effects on
    the author order are applied by the bulk code, in file order)."""

    def __init__(self):
        self._authors = {}
        self.chat_name = None


class TriageScan:
    """Iterate for the flagged messages; ``counts`` (messages per author) and the ``result``'s
    counts are final once the iteration is done."""

    def __init__(self, result: ParseResult, matcher: Matcher | None, context: int = 3, *,
                 pick: Callable[[Message], Matcher] | None = None, progress: Callable[[int], None] | None = None,
                 bulk: bool = True):
        self.result = result
        self.matcher = matcher
        self.context = context
        self.pick = pick
        self.progress = progress
        self.bulk = bulk and np is not None and result.spec.layout == "android"
        self.counts: dict[str, int] = {}
        self.bulk_blocks = self.exact_blocks = 0
        self._iter = self._run()

    def __iter__(self):
        return self._iter

    def __next__(self):
        return next(self._iter)

    # state shared by both ways of reading a block
    def _run(self) -> Iterator[FlaggedMessage]:  # noqa: C901 - the block loop
        result = self.result
        spec = result.spec
        head, stream = result._text
        result._text = None
        self._exact = re.compile("^" + spec.header_regex().pattern, re.M)
        self._exact_match = spec.header_regex().match
        self._bytes_re = _bytes_header(spec) if self.bulk else None
        self._dates, self._times = {}, {}
        self.index = self.system_lines = self.foreign = 0
        self.first = self.last = None
        self.plain_authors: dict[str, str] = {}
        self.tail: deque[Message] = deque(maxlen=self.context or 0)
        self.waiting: deque[tuple[Message, Flag, tuple, list]] = deque()
        read = stream.read
        buf = head
        eof = False
        started = False
        try:
            while True:
                if not eof:
                    chunk = read(BLOCK_CHARS)
                    if chunk:
                        buf += chunk
                        if len(buf) < BLOCK_CHARS and not eof:
                            continue
                    else:
                        eof = True
                if not started:
                    buf, ok = self._skip_leading(buf, eof)
                    if not ok:
                        if eof:
                            break
                        continue
                    started = True
                cut = len(buf) if eof else self._cut(buf)
                if cut <= 0:
                    if eof:
                        break
                    continue
                block, buf = buf[:cut], buf[cut:]
                yield from self._block(block)
                if self.progress is not None:
                    self.progress(self.index)
                if eof and not buf:
                    break
        except UnicodeDecodeError:
            raise EncodingError() from None
        finally:
            result.export.close()
        for m, f, b, a in self.waiting:
            yield FlaggedMessage(m, f, b, tuple(a[:self.context]))
        self.waiting.clear()
        if self.index == 0:
            raise NotAChatExport()
        if self.foreign >= MIXED_MIN_LINES and self.foreign * MIXED_SHARE >= self.index:
            raise MixedFormats(params={"count": self.foreign})
        result.count, result.system_lines, result.total = (self.index - self.system_lines, self.system_lines,
                                                           self.index)
        result.first, result.last = self.first, self.last
        result.complete = True

    def _day(self, date_s: str):
        day = self._dates.get(date_s)
        if day is None:
            day = self._dates[date_s] = _midnight(date_s, self.result.spec, self.result._tz)
        return day

    def _delta(self, time_s: str):
        delta = self._times.get(time_s)
        if delta is None:
            if len(self._times) > 200_000:
                self._times.clear()
            delta = self.result.spec.time_of_day(time_s)
            delta = self._times[time_s] = False if delta is None else delta
        return delta

    def _sent(self, date_s: str, time_s: str):
        """The aware datetime of a header, or None when it is no date or time of this format."""
        day, delta = self._day(date_s), self._delta(time_s)
        if day is False or delta is False:
            return None
        return day + delta

    def _skip_leading(self, buf: str, eof: bool) -> tuple[str, bool]:
        """Drop what comes before the first real header (blank lines; headers with no real date
        count as lines of another format, as in the parser)."""
        limit = len(buf) if eof else buf.rfind("\n") + 1
        for m in self._exact.finditer(buf, 0, limit):
            if self._sent(m.group(2), m.group(3)) is not None:
                return buf[m.start():], True
            self.foreign += 1
        return ("" if eof else buf[limit:]), False

    def _cut(self, buf: str) -> int:
        """The start of the last complete real header line in ``buf`` (0 when there is none but
        the first): the block before it holds only complete messages."""
        end = buf.rfind("\n")
        while end > 0:
            start = buf.rfind("\n", 0, end) + 1
            m = self._exact_match(buf, start)
            if m is not None and start > 0 and self._sent(m.group(2), m.group(3)) is not None:
                return start
            end = start - 1
        return 0

    # --- one block ------------------------------------------------------------------------------

    def _block(self, block: str) -> Iterator[FlaggedMessage]:
        plan = self._bulk_plan(block) if self.bulk else None
        if plan is None:
            self.exact_blocks += 1
            messages = self._exact_messages(block)
            mats = {m.index: m for m in messages}
            lo = messages[0].index if messages else self.index
            candidates = [m.index for m in messages]
            for m in messages:
                if m.author is not None and m.kind is not SYSTEM:
                    self.counts[m.author] = self.counts.get(m.author, 0) + 1
                if self.pick is not None:
                    self.pick(m)
            hi = self.index
            get = mats.__getitem__
            worth = None
        else:
            self.bulk_blocks += 1
            lo, hi, candidates, get, worth = plan
        yield from self._flags(lo, hi, candidates, get, worth)
        # the last messages, for the context of the next block's first flags
        for i in range(max(lo, hi - self.context), hi):
            self.tail.append(get(i))

    def _flags(self, lo: int, hi: int, candidates, get, worth=None) -> Iterator[FlaggedMessage]:  # noqa: C901 - with_context, across blocks
        context = self.context
        waiting = self.waiting
        # the flags of the previous block still waiting for the messages after them
        i = lo
        while waiting and i < hi:
            message = get(i)
            while waiting and len(waiting[0][3]) >= context:
                m, f, b, a = waiting.popleft()
                yield FlaggedMessage(m, f, b, tuple(a))
            for item in waiting:
                if len(item[3]) < context:
                    item[3].append(message)
            i += 1
        while waiting and len(waiting[0][3]) >= context:
            m, f, b, a = waiting.popleft()
            yield FlaggedMessage(m, f, b, tuple(a))
        pick, matcher = self.pick, self.matcher
        if pick is None and not matcher:
            candidates = ()
        tail = list(self.tail)
        for k in candidates:
            if worth is not None and not worth(k):
                continue
            message = get(k)
            found = flag_message(message, pick(message) if pick is not None else matcher)
            if found is None:
                continue
            before = []
            for j in range(k - context, k):
                if j >= lo:
                    before.append(get(j))
                elif j >= 0 and j >= lo - len(tail):
                    before.append(tail[j - lo + len(tail)])
            after = [get(j) for j in range(k + 1, min(k + 1 + context, hi))]
            # an earlier flag of this block that now has all its messages after
            while waiting and len(waiting[0][3]) >= context:
                m, f, b, a = waiting.popleft()
                yield FlaggedMessage(m, f, b, tuple(a))
            if len(after) >= context:
                if waiting:
                    waiting.append((message, found, tuple(before), after))
                else:
                    yield FlaggedMessage(message, found, tuple(before), tuple(after))
            else:
                waiting.append((message, found, tuple(before), after))
        while waiting and len(waiting[0][3]) >= context:
            m, f, b, a = waiting.popleft()
            yield FlaggedMessage(m, f, b, tuple(a))

    def _exact_messages(self, block: str) -> list[Message]:
        """Every message of ``block`` with the parser's own loop (``_generate``), state carried."""
        ios = self.result.spec.layout == "ios"
        out: list[Message] = []
        index = self.index
        sent = rest = None
        end = 0
        matches = [m for m in self._exact.finditer(block)]
        for m in matches:
            stamp, date_s, time_s, text_after = m.groups()
            when = self._sent(date_s, time_s)
            if when is None:
                self.foreign += 1
                continue
            if rest is not None:
                out.append(self._one(block, ios, index, sent, rest, end, m.start()))
                index += 1
            elif self.first is None:
                self.first = when
            sent, rest, end = when, text_after, m.end()
        if rest is not None:
            out.append(self._one(block, ios, index, sent, rest, end, len(block)))
            index += 1
            self.last = sent
        self.index = index
        return out

    def _one(self, buf, ios, index, sent, rest, end, start) -> Message:
        """The message whose first line is ``rest`` (after its header) and ends at ``end``, and whose
        other lines run to ``start``: the parser's inline path for a plain one, else ``_build``."""
        plain_authors = self.plain_authors
        i = rest.find(": ")
        if (start == end + 1 and i > 0 and (text := rest[i + 2:])
                and text[-1] not in _SPECIAL_ENDS and text[0] not in _SPECIAL_STARTS
                and (len(text) > _SPECIAL_MAX or text not in _SPECIAL_LINES)
                and not (ios and text.startswith(_IOS_SYSTEM_STARTS))
                and (author := plain_authors.get(rest[:i])) is not None):
            return _new(Message, (index, sent, author, text, MESSAGE, None, None, False))
        body = buf[end + 1:start]
        if body:
            self.foreign += _count_foreign(body, _SUSPICIOUS_START, GENERIC_HEADER.match, self.result.spec.layout_key())
        msg = _build(self.result, ios, index, sent, rest, body)
        if msg.kind is SYSTEM:
            self.system_lines += 1
        elif i > 0 and msg.author is not None and rest[:i] not in plain_authors and _plain_author(rest[:i], ios):
            plain_authors[rest[:i]] = msg.author
        return msg

    def _bulk_plan(self, block: str):  # noqa: C901 - every reason to leave the bulk view is checked here
        """The bulk reading of an Android block, or None when it could differ from the exact loop.
        Changes no state before it has decided."""
        matchers = []
        data = block.encode("utf-8")
        risky_chars = not block.isascii()
        parts = self._bytes_re.split(b"\n" + data)
        if parts[0]:
            return None
        lines, date_list, time_list, author_list, conts = (parts[1::6], parts[2::6], parts[3::6], parts[4::6],
                                                           parts[6::6])
        n = len(lines)
        if n == 0:
            return None
        # every header has a real date and time
        day_of: dict[bytes, object] = {}
        for d in set(date_list):
            day = self._day(d.decode())
            if day is False:
                return None
            day_of[d] = day
        for t in set(time_list):
            if self._delta(t.decode()) is False:
                return None
        counts = Counter(author_list)
        none_count = counts.pop(None, 0)
        for raw in counts:
            if b'"' in raw or "\u201c".encode() in raw:
                return None
        # lines after the first line of a message: other formats, missed headers
        foreign = 0
        rest_lines = b"".join(conts)
        if rest_lines and _SUSPICIOUS_LINE.search(rest_lines):
            spec = self.result.spec
            layout_key = spec.layout_key()
            for line in rest_lines.decode("utf-8").split("\n"):
                if not line:
                    continue
                if self._exact_match(line) is not None:
                    return None
                foreign += _count_foreign(line, _SUSPICIOUS_START, GENERIC_HEADER.match, layout_key)
        # the matchers that apply to this block's days, and what they must see
        if self.pick is not None:
            seen = {}
            for day in day_of.values():
                m = self.pick(_Day(day))
                seen[id(m)] = m
            matchers = list(seen.values())
        elif self.matcher:
            matchers = [self.matcher]
        forms = []
        for m in matchers:
            if not m:
                continue
            f = prefilter_forms(m)
            if f is None:
                return None
            forms.append(f)
        # offsets of the messages in `data`
        # (every match also takes the newline in front of its line)
        starts = list(map(operator.add, itertools.accumulate(map(operator.add, map(len, lines), map(len, conts)),
                                                             initial=0), range(n + 1)))
        # messages to build: deleted lines (they are system lines), joined words, lexicon hits
        marked = set()
        for word in (b"hapus", b"deleted"):  # "dihapus", "menghapus", "deleted": plain searches are fastest
            at = data.find(word)
            while at >= 0:
                marked.add(bisect_right(starts, at) - 1)
                at = data.find(word, at + 1)
        candidates = set()
        if risky_chars:
            # the distinct non-ASCII characters of the block: a message holding a risky one, or an
            # invisible mark between two ASCII letters or digits, is one to build and match
            present = set(data.translate(None, _ASCII).decode("utf-8"))
            risky = [ch.encode("utf-8") for ch in present if _risky_char(ch) == 1]
            if risky:
                for m in re.finditer(b"|".join(map(re.escape, risky)), data):
                    candidates.add(bisect_right(starts, m.start()) - 1)
            for ch in present & _INVISIBLE_CHARS:
                mark = ch.encode("utf-8")
                at = data.find(mark)
                while at >= 0:
                    end = at + len(mark)
                    if _joins(data, at, end):
                        candidates.add(bisect_right(starts, at) - 1)
                    at = data.find(mark, end)
        automaton = _automaton(forms) if forms else None
        if automaton is not None:
            folded = np.frombuffer(b" " + data.translate(_SIGMA) + b" ", dtype=np.uint8)
            repeat = np.empty(len(folded), dtype=bool)
            repeat[0] = False
            np.equal(folded[1:], folded[:-1], out=repeat[1:])
            repeat[1:] &= (folded[1:] >= 97) | (folded[1:] == 32)
            keep = np.flatnonzero(~repeat)
            collapsed = folded[keep].tobytes().decode("ascii")
            ends = [end for end, _ in automaton.iter(collapsed)]
            if ends:
                offsets = keep[np.asarray(ends)] - 1  # the last letter of the hit, in `data`
                where = np.searchsorted(np.asarray(starts), offsets, side="right") - 1
                # a hit in the header (date, time, author) is no hit in the text
                text_starts = (np.asarray(starts[:n]) + np.fromiter(map(len, lines), np.int64, n)
                               - np.fromiter(map(len, parts[5::6]), np.int64, n))
                where = where[offsets >= text_starts[where]]
                candidates.update(where.tolist())
        candidates.update(marked)
        candidates.discard(-1)
        candidates.discard(n)

        # decided: build what is needed
        lo = self.index
        built: dict[int, Message] = {}
        scratch = _Scratch()
        exact_match = self._exact_match
        sent_of = self._sent

        def get(i: int) -> Message:
            msg = built.get(i)
            if msg is None:
                k = i - lo
                text = data[starts[k]:starts[k + 1]].decode("utf-8")
                m = exact_match(text)
                msg = built[i] = _build(scratch, False, i, sent_of(m.group(2), m.group(3)), m.group(4),
                                        text[m.end() + 1:])
            return msg

        system = none_count
        for k in marked:
            msg = get(lo + k)
            raw = author_list[k]
            if msg.kind is SYSTEM and raw is not None:
                if msg.author is None:
                    return None
                counts[raw] -= 1
                system += 1
        # apply: counts, author order, totals
        authors = self.result._authors
        order = dict.fromkeys(author_list)
        order.pop(None, None)
        for raw in order:
            name = raw.decode("utf-8")
            if not name.isascii() or name[:1] == "~":
                name = clean_author(name)
            authors.setdefault(name, name)
            c = counts.get(raw, 0)
            if c:
                self.counts[name] = self.counts.get(name, 0) + c
        self.foreign += foreign
        self.system_lines += system
        self.index = lo + n
        if self.first is None:
            self.first = get(lo).sent_at
        self.last = get(lo + n - 1).sent_at
        texts = parts[5::6]
        matcher_of = self.matcher if self.pick is None else None
        pick = self.pick

        def worth(i: int) -> bool:
            """Whether message ``i`` can be flagged: its whole text after the header (the author
            line's text and every line after it) has a match. A message's own text is a run of whole
            words of that, so no match there means no flag; only the others are built."""
            k = i - lo
            if k in marked:
                return True
            start = starts[k + 1] - len(conts[k]) - len(texts[k]) - 1
            matcher = matcher_of if pick is None else pick(_Day(day_of[date_list[k]]))
            return bool(matcher.match(data[start:starts[k + 1]].decode("utf-8")))

        return lo, lo + n, sorted(lo + k for k in candidates), get, worth


class _Day:
    """What ``pick`` looks at: the day a message was sent."""

    __slots__ = ("sent_at",)

    def __init__(self, sent_at):
        self.sent_at = sent_at


def triage_scan(result: ParseResult, matcher: Matcher | None, context: int = 3, *,
                pick: Callable[[Message], Matcher] | None = None, progress=None, bulk: bool = True) -> TriageScan:
    """The flagged messages of a parsed export with ``context`` messages around each (what
    ``with_context(result.messages, ...)`` yields), and the messages per author; see the module doc."""
    if getattr(result, "_text", None) is None:
        raise RuntimeError("triage_scan needs a ParseResult whose messages were not read")
    return TriageScan(result, matcher, context, pick=pick, progress=progress, bulk=bulk)


def summarize(source, tz, date_order: str | None = None, matcher: Matcher | None = None) -> dict:
    """What an import of ``source`` would produce, keeping no message: the parse summary plus the
    number of flagged messages per rule category (``flags``) and in all (``flagged_messages``).
    Read with the fast path, as an upload is."""
    by_category = dict.fromkeys(CATEGORIES, 0)
    flagged = 0
    with parse(source, tz, date_order) as result:
        if matcher:
            for found in triage_scan(result, matcher, 0):
                flagged += 1
                for category in found.flag.categories:
                    by_category[category] += 1
        else:
            for _ in result.messages:
                pass
        summary = result.summary()
    summary["flagged_messages"] = flagged
    summary["flags"] = {category: n for category, n in by_category.items() if n}
    return summary
