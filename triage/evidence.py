"""The evidence a flag becomes: a small PDF (WeasyPrint) of the flagged message with the messages
around it and the facts of the export it came from (group, file format, SHA-256 of the uploaded
file), in Indonesian like every official paper. It is an image-free PDF, so it passes the same
content checks as any uploaded evidence."""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import ChatFlag
from .selectors import CATEGORY_LABELS, flag_context

EVIDENCE_CSS = Path(__file__).parent / "templates" / "triage" / "evidence.css"


def flag_evidence_context(flag: ChatFlag) -> dict:
    chat_import = flag.chat_import
    before, after = flag_context(flag)
    return {
        "flag": flag,
        "message": flag.message,
        "before": before,
        "after": after,
        "chat_import": chat_import,
        "institution": chat_import.institution,
        "channel": chat_import.channel,
        "categories": [CATEGORY_LABELS.get(c, c) for c in flag.category_list],
        "made_at": timezone.now(),
    }


def flag_evidence_html(flag: ChatFlag) -> str:
    with translation.override("id"):
        return render_to_string("triage/evidence.html", flag_evidence_context(flag))


def flag_evidence_pdf(flag: ChatFlag) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=flag_evidence_html(flag), base_url=None).write_pdf(
        stylesheets=[CSS(string=EVIDENCE_CSS.read_text())])
