"""Chat-export triage: read a WhatsApp "Export chat" file and flag messages that match the rule
lexicons. Pure functions, no models: see docs/chat-triage.md for the API.

    from triage.chat import parse, build_matcher, with_context
"""

from .archive import MAX_TEXT_BYTES, MAX_ZIP_BYTES, MAX_ZIP_ENTRIES, open_export
from .errors import (
    AmbiguousDateOrder,
    ArchiveError,
    BinaryFile,
    ChatImportError,
    EmptyExport,
    EncodingError,
    MixedFormats,
    NotAChatExport,
    TooLarge,
    TooManyEntries,
    ZipBomb,
)
from .fast import summarize, triage_scan
from .formats import FormatSpec
from .lexicon import CATEGORIES, Matcher, build_matcher, default_lexicon, merge_lexicons
from .normalize import normalize, tokens
from .parser import MEDIA, MESSAGE, SYSTEM, Message, ParseResult, WrongDateOrder, author_phone, detect, parse
from .triage import Flag, FlaggedMessage, context_of, flag, iter_flags, with_context

__all__ = [
    "CATEGORIES", "MAX_TEXT_BYTES", "MAX_ZIP_BYTES", "MAX_ZIP_ENTRIES", "MEDIA", "MESSAGE", "SYSTEM",
    "AmbiguousDateOrder", "ArchiveError", "BinaryFile", "ChatImportError", "EmptyExport", "EncodingError",
    "Flag", "FlaggedMessage", "FormatSpec", "Matcher", "Message", "MixedFormats", "NotAChatExport",
    "ParseResult", "TooLarge", "TooManyEntries", "WrongDateOrder", "ZipBomb", "author_phone", "build_matcher",
    "context_of", "default_lexicon", "detect", "flag", "iter_flags", "merge_lexicons", "normalize",
    "open_export", "parse", "summarize", "tokens", "triage_scan", "with_context",
]
