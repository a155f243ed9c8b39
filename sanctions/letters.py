"""The warning letter: HTML in Indonesian, rendered to PDF by WeasyPrint, with a QR code that
points at the public verification page."""

from __future__ import annotations

import base64
from pathlib import Path

import segno
from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from governance.models import Institution

from .deadlines import OBJECTION_WORKING_DAYS
from .models import Explanation, WarningLetter

LETTER_CSS = Path(__file__).parent / "templates" / "sanctions" / "letters" / "warning_letter.css"


def site_url(path: str) -> str:
    return f"{settings.SANTUN_SITE_URL.rstrip('/')}{path}"


def verification_url(letter: WarningLetter) -> str:
    return site_url(reverse("verify_letter", kwargs={"code": letter.verification_code}))


def qr_payload(letter: WarningLetter) -> str:
    """What the QR code on the letter encodes: the verification URL, nothing else."""
    return verification_url(letter)


def qr_svg_data_uri(letter: WarningLetter) -> str:
    return segno.make(qr_payload(letter), error="m").svg_data_uri(scale=4, border=2)


def grouped_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _logo_data_uri(name: str) -> str:
    """The logo kept in private storage, inlined into the letter (WeasyPrint fetches nothing)."""
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return ""
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def _letterhead(letter: WarningLetter) -> dict:
    """The letterhead kept on the letter when it was issued; letters from before the institution
    settings existed show their parents' names above the institution's, as they did then."""
    head = dict(letter.letterhead or {})
    if not head:
        institution = letter.institution
        chain = Institution.objects.filter(pk__in=institution.ancestor_ids()).order_by("depth")
        head = {"lines": [i.name for i in chain][-2:], "name": institution.name, "address": institution.address}
    head["logo"] = _logo_data_uri(head.get("logo", ""))
    return head


def letter_context(letter: WarningLetter) -> dict:
    measure = letter.measure
    report = measure.report
    institution = letter.institution
    explanation = Explanation.objects.filter(report=report).first()
    return {
        "letter": letter,
        "measure": measure,
        "report": report,
        "institution": institution,
        "letterhead": _letterhead(letter),
        "staff": report.subject_staff,
        "rules": list(report.rules.select_related("version").order_by("position", "pk")),
        "code_version": report.code_version or next(iter(r.version for r in report.rules.all()), None),
        "code_in_force": report.code_version_id is not None,
        "verification_url": verification_url(letter),
        "verification_code": grouped_code(letter.verification_code),
        "qr": qr_svg_data_uri(letter),
        "objection_days": OBJECTION_WORKING_DAYS,
        "explanation": explanation,
        "explanation_how": {Explanation.How.ORAL: " secara lisan", Explanation.How.PAPER: " secara tertulis"}.get(
            explanation.how if explanation else "", ""),
    }


def letter_html(letter: WarningLetter) -> str:
    with translation.override("id"):
        return render_to_string("sanctions/letters/warning_letter.html", letter_context(letter))


def build_letter_pdf(letter: WarningLetter) -> bytes:
    """The letter as PDF bytes (``services.letter_render_pdf`` stores it once)."""
    from weasyprint import CSS, HTML

    return HTML(string=letter_html(letter), base_url=None).write_pdf(stylesheets=[CSS(string=LETTER_CSS.read_text())])
