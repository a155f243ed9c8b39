"""Flagging parsed messages, with the messages around each flag, in one streaming pass."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .lexicon import Matcher
from .parser import MEDIA, MESSAGE, Message

FLAGGED_KINDS = (MESSAGE, MEDIA)  # media are flagged by their caption; system lines are not flagged


@dataclass(frozen=True, slots=True)
class Flag:
    """A suggestion that a message may break a rule: a person decides."""

    message_index: int
    categories: tuple[str, ...]  # rule categories, in RuleCategory order
    terms: tuple[str, ...]  # the lexicon terms that matched, as written in the lexicon
    hits: tuple[tuple[str, str], ...]  # (category, term) pairs


@dataclass(frozen=True, slots=True)
class FlaggedMessage:
    message: Message
    flag: Flag
    before: tuple[Message, ...]  # up to N messages before, oldest first
    after: tuple[Message, ...]  # up to N messages after


def flag_message(message: Message, matcher: Matcher) -> Flag | None:
    if message.kind not in FLAGGED_KINDS or not message.text:
        return None
    hits = matcher.match(message.text)
    if not hits:
        return None
    return Flag(
        message.index,
        tuple(dict.fromkeys(category for category, _ in hits)),
        tuple(dict.fromkeys(term for _, term in hits)),
        hits,
    )


def iter_flags(messages: Iterable[Message], matcher: Matcher) -> Iterator[Flag]:
    match = matcher.match
    kinds = FLAGGED_KINDS
    for message in messages:
        if message.kind in kinds and message.text:
            hits = match(message.text)
            if hits:
                yield Flag(
                    message.index,
                    tuple(dict.fromkeys(category for category, _ in hits)),
                    tuple(dict.fromkeys(term for _, term in hits)),
                    hits,
                )


def flag(messages: Iterable[Message], matcher: Matcher) -> list[Flag]:
    """Every flag in ``messages``, in message order."""
    return list(iter_flags(messages, matcher))


def with_context(messages: Iterable[Message], matcher: Matcher, context: int = 3, *,
                 pick: Callable[[Message], Matcher] | None = None) -> Iterator[FlaggedMessage]:
    """Yield each flagged message with up to ``context`` messages before and after it, reading
    ``messages`` once and keeping only ``context`` messages plus the flags still waiting for theirs.

    ``pick(message)``, when given, chooses the matcher for each message instead of ``matcher`` (an
    election period's candidate names apply only to messages sent during that period)."""
    before: deque[Message] = deque(maxlen=context) if context else deque(maxlen=0)
    waiting: deque[tuple[Message, Flag, tuple[Message, ...], list[Message]]] = deque()
    for message in messages:
        while waiting and len(waiting[0][3]) >= context:
            m, f, b, a = waiting.popleft()
            yield FlaggedMessage(m, f, b, tuple(a))
        for item in waiting:
            item[3].append(message)
        found = flag_message(message, pick(message) if pick is not None else matcher)
        if found is not None:
            waiting.append((message, found, tuple(before), []))
        before.append(message)
    for m, f, b, a in waiting:
        yield FlaggedMessage(m, f, b, tuple(a[:context]))


def context_of(messages: Sequence[Message], index: int, context: int = 3) -> tuple[tuple[Message, ...], tuple[Message, ...]]:
    """(before, after) of the message with ``index`` in a list of messages ordered by index."""
    pos = index
    if not (0 <= pos < len(messages) and messages[pos].index == index):
        pos = next((i for i, m in enumerate(messages) if m.index == index), None)
        if pos is None:
            raise KeyError(index)
    return tuple(messages[max(0, pos - context):pos]), tuple(messages[pos + 1:pos + 1 + context])
