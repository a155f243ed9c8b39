"""Evidence files: images (JPEG, PNG, WebP) or PDF, recognised by their content, never by name.

``inspect_evidence`` reads the bytes and either returns what the file really is or raises a
``ValidationError`` whose message tells the person what to upload instead. Nothing is stored
here; the service stores accepted files under a random name in private storage.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FILES_PER_REPORT = 10

IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF_TYPE = ("application/pdf", "pdf")
# Active content has no place in evidence: a PDF that carries it is refused.
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")


def max_evidence_bytes() -> int:
    return int(getattr(settings, "SANTUN_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Inspected:
    content_type: str
    extension: str
    size: int
    sha256: str


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _what_else(head: bytes) -> str | None:
    """A plain-language name for common files that are not evidence, to make the refusal clear."""
    sniff = head[:512].lstrip().lower()
    if head.startswith(b"MZ") or head.startswith(b"\x7fELF") or head[:4] in (b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe"):
        return _("a program")
    if b"<svg" in sniff or (sniff.startswith(b"<?xml") and b"svg" in head[:2048].lower()):
        return _("an SVG drawing")
    if sniff.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or b"<html" in sniff:
        return _("a web page (HTML)")
    if head.startswith(b"PK\x03\x04"):
        return _("a ZIP archive or office document")
    return None


def _check_image(data: bytes) -> tuple[str, str] | None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                if kind not in IMAGE_TYPES:
                    return None
                if width * height > MAX_PIXELS:
                    _refuse(_("This image is too large (%(w)d × %(h)d pixels). Send a normal screenshot.")
                            % {"w": width, "h": height}, "image_too_large")
                image.verify()
            # verify() leaves the image unusable; decoding it fully catches truncated files.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(_("This image is too large to be a screenshot. Send a normal screenshot."), "image_too_large")
    except Exception:
        return None
    return IMAGE_TYPES[kind]


def _check_pdf(data: bytes) -> tuple[str, str] | None:
    if not re.match(rb"%PDF-[12]\.\d", data[:8]):
        return None
    tail = data[-2048:]
    if b"%%EOF" not in tail or not re.search(rb"startxref\s+\d+", tail):
        _refuse(_("This PDF is damaged or incomplete. Save it again as PDF and upload the new file."), "pdf_broken")
    if not re.search(rb"\d+\s+\d+\s+obj", data) or b"endobj" not in data:
        _refuse(_("This PDF is damaged or incomplete. Save it again as PDF and upload the new file."), "pdf_broken")
    if any(marker in data for marker in PDF_ACTIVE_CONTENT):
        _refuse(_("This PDF contains scripts or embedded files. Print it to a new PDF or take a screenshot instead."),
                "pdf_active")
    return PDF_TYPE


def inspect_evidence(data: bytes, *, name: str = "") -> Inspected:
    """Accept a JPEG, PNG, WebP or PDF by its content; refuse anything else, empty or oversize."""
    size = len(data)
    label = name or _("The file")
    if size == 0:
        _refuse(_("%(name)s is empty. Choose the screenshot or PDF again.") % {"name": label}, "empty")
    limit = max_evidence_bytes()
    if size > limit:
        _refuse(
            _("%(name)s is %(size)s; evidence may be at most %(limit)s. Send a smaller screenshot or a compressed PDF.")
            % {"name": label, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            "too_large",
        )
    found = _check_pdf(data) or _check_image(data)
    if found is None:
        other = _what_else(data)
        if other:
            _refuse(_("%(name)s is %(kind)s, not an image or a PDF. Upload a screenshot (JPEG, PNG, WebP) or a PDF.")
                    % {"name": label, "kind": other}, "not_evidence")
        _refuse(_("%(name)s is not an image (JPEG, PNG, WebP) or a PDF, whatever its name says. "
                  "Upload a screenshot or a PDF.") % {"name": label}, "not_evidence")
    content_type, extension = found
    return Inspected(content_type, extension, size, hashlib.sha256(data).hexdigest())
