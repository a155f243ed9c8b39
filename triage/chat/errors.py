"""Why an export was refused. Every error is a ``ValidationError`` with a translated message and a
code, so an upload form can show it as it is (``form.add_error("file", error)``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ChatImportError(ValidationError):
    """The file cannot be imported. Nothing of it was kept."""

    default_message = _("This file cannot be read as a WhatsApp chat export.")
    default_code = "chat_invalid"

    def __init__(self, message=None, *, code=None, params=None):
        super().__init__(message or self.default_message, code=code or self.default_code, params=params)

    def __str__(self):
        return " ".join(self.messages)


class EmptyExport(ChatImportError):
    default_message = _("The file is empty. Export the chat again from WhatsApp and upload the new file.")
    default_code = "chat_empty"


class BinaryFile(ChatImportError):
    default_message = _(
        "This is not a text file (it looks like a picture, a document or another binary file). "
        "Upload the .txt or .zip file that WhatsApp's “Export chat” produces."
    )
    default_code = "chat_binary"


class NotAChatExport(ChatImportError):
    default_message = _(
        "This text file is not a WhatsApp chat export: its first line does not start with a date and time "
        "the way WhatsApp writes them. Upload the file exactly as WhatsApp's “Export chat” produced it."
    )
    default_code = "chat_not_export"


class EncodingError(ChatImportError):
    default_message = _(
        "The file contains characters that are not valid UTF-8 text. Export the chat again from WhatsApp "
        "and upload it without opening and saving it in another program."
    )
    default_code = "chat_encoding"


class MixedFormats(ChatImportError):
    default_message = _(
        "The file mixes several date formats (%(count)d lines are written differently from the rest), "
        "so it seems to be pieced together from several exports. Upload each chat export separately."
    )
    default_code = "chat_mixed"


class AmbiguousDateOrder(ChatImportError):
    """No date in the file tells day-first from month-first. ``candidates`` lists both readings."""

    default_message = _(
        "The dates in this file can be read day-first (Indonesian style) or month-first (English style), "
        "for example %(example)s. Choose the date order and import again."
    )
    default_code = "chat_ambiguous_dates"

    def __init__(self, message=None, *, code=None, params=None, candidates=()):
        super().__init__(message, code=code, params=params)
        self.candidates = tuple(candidates)


class TooLarge(ChatImportError):
    default_message = _(
        "The chat text is larger than %(limit_mb)d MB. Export a shorter period of the chat, or ask the "
        "administrator to raise the limit."
    )
    default_code = "chat_too_large"


class ArchiveError(ChatImportError):
    default_message = _("The .zip file is damaged or cannot be opened. Export the chat again and upload the new file.")
    default_code = "chat_zip_invalid"


class ZipBomb(ArchiveError):
    default_message = _(
        "The .zip file unpacks to more than %(limit_mb)d MB, which no chat export does. It was not opened."
    )
    default_code = "chat_zip_bomb"


class TooManyEntries(ArchiveError):
    default_message = _(
        "The .zip file holds more than %(limit)d files, which is more than a chat export contains. "
        "Export the chat without media and upload it again."
    )
    default_code = "chat_zip_entries"


class NoChatInArchive(ArchiveError):
    default_message = _(
        "The .zip file contains no chat text file (.txt). Upload the .zip exactly as WhatsApp produced it, "
        "or the .txt file inside it."
    )
    default_code = "chat_zip_no_chat"


class SeveralChatsInArchive(ArchiveError):
    default_message = _(
        "The .zip file contains several text files and none is named like a WhatsApp chat export. "
        "Upload the chat's .txt file itself."
    )
    default_code = "chat_zip_several"


class EncryptedArchive(ArchiveError):
    default_message = _("The .zip file is protected with a password. Upload a .zip without a password.")
    default_code = "chat_zip_encrypted"


class UnsafeArchive(ArchiveError):
    default_message = _(
        "The .zip file holds files whose names point outside the archive (like ../), which WhatsApp never "
        "makes. Export the chat again and upload the new file.")
    default_code = "chat_zip_unsafe"


class ReadFailed(ChatImportError):
    """Not the file's fault: reading it failed inside Santun (the upload is deleted all the same)."""

    default_message = _(
        "Santun could not finish reading this file because of an internal problem. Upload it again later; if it "
        "happens again, tell the administrator."
    )
    default_code = "chat_failed"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def error_from_code(code: str, params: dict | None = None) -> ChatImportError:
    """The refusal with ``code`` (as stored after a background parse), its message in the active
    language; an unknown code gives the general refusal."""
    for cls in _subclasses(ChatImportError):
        if cls.default_code == code:
            return cls(params=params or None)
    return ChatImportError()
