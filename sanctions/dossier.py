"""The printable case dossier (berkas perkara) for a referral to an ethics body: the case, the rules
cited and the code version in force, the evidence with its SHA-256 hashes, the person's explanation,
every decision with its reason, and the case's audit history — as HTML in Indonesian, rendered to PDF
by WeasyPrint. It imports no service: reading a case changes nothing.

The person who reported stays unnamed: where a staff member filed the report themselves, the
filing's entries in the history say "the reporter (kept confidential)" instead of their name.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

from governance.models import User

from . import selectors
from .models import ReportSource, ViolationReport

DOSSIER_CSS = Path(__file__).parent / "templates" / "sanctions" / "letters" / "dossier.css"
# The entries of the filing itself, whose actor is the reporter.
FILING_ACTIONS = frozenset({"sanctions.report.submitted", "sanctions.evidence.added"})


def reporter_is_confidential(report: ViolationReport) -> bool:
    """A staff member who reported what they saw is never named (public relations filing a finding,
    or on someone's behalf, acts as a handler and is)."""
    return report.source == ReportSource.STAFF and report.on_behalf_of_id is None


def dossier_history(report: ViolationReport, measures, *, evidence, referrals) -> list[dict]:
    """The case's audit entries, oldest first, with the reporter's name left out of the filing."""
    entries = list(selectors.case_history(report, measures, evidence=evidence, referrals=referrals))
    entries.reverse()
    hide = reporter_is_confidential(report)
    return [{
        "entry": entry,
        "confidential": hide and entry.actor_id == report.reporter_id and entry.action in FILING_ACTIONS,
    } for entry in entries]


def dossier_context(report: ViolationReport, *, printed_by: User) -> dict:
    measures = selectors.case_measures(report)
    evidence = list(selectors.evidence_of(report))
    referrals = list(selectors.referrals_of(report))
    institution = report.institution
    return {
        "report": report,
        "institution": institution,
        "staff": report.subject_staff,
        "rules": list(report.rules.all()),
        "code_version": report.code_version,
        "measures": measures,
        "evidence": evidence,
        "explanation": selectors.explanation_of(report),
        "referrals": referrals,
        "history": dossier_history(report, measures, evidence=evidence, referrals=referrals),
        "reporter_confidential": reporter_is_confidential(report),
        "printed_by": printed_by,
        "printed_at": timezone.now(),
    }


def dossier_html(report: ViolationReport, *, printed_by: User) -> str:
    with translation.override("id"):
        return render_to_string("sanctions/letters/dossier.html", dossier_context(report, printed_by=printed_by))


def build_dossier_pdf(report: ViolationReport, *, printed_by: User) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=dossier_html(report, printed_by=printed_by), base_url=None).write_pdf(
        stylesheets=[CSS(string=DOSSIER_CSS.read_text())])
