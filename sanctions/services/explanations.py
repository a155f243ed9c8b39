"""The right to be heard (klarifikasi): once a report is confirmed, the person reported is invited to
explain within a few working days; they answer in Santun, or public relations records what they said
orally or on paper, or writes why they were not heard. No measure is approved while they may still
answer (``rules.check_heard``)."""

from __future__ import annotations

import datetime
import uuid

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import User

from .. import notifications as notices
from .. import rules, selectors
from ..evidence import inspect_evidence
from ..models import Explanation, ViolationReport
from ..workdays import add_working_days
from ._common import _local_date, _store, _text


def _lock(report: ViolationReport) -> Explanation | None:
    return Explanation.objects.select_for_update().filter(report=report).first()


def explanation_invite(*, actor: User | None, report: ViolationReport) -> Explanation:
    """Invite the person reported to explain (called when the report is confirmed). Idempotent."""
    institution = report.institution
    existing = Explanation.objects.filter(report=report).first()
    if existing is not None:
        return existing
    due_on = add_working_days(_local_date(institution), selectors.hearing_working_days(institution))
    explanation = Explanation.objects.create(institution=institution, report=report, invited_at=timezone.now(),
                                             due_on=due_on)
    log_action(action="sanctions.explanation.invited", institution=institution, actor=actor, target=explanation,
               data={"report": report.pk, "due_on": due_on.isoformat()})
    subject = selectors.subject_user(report)
    if subject is not None:
        notices.send(
            recipients=[subject], institution=institution, kind="explanation_invited",
            title=gettext_lazy("You are invited to explain"),
            body=notices.lazy_format(gettext_lazy("Give your explanation about a reported violation by %(day)s."),
                                     day=f"{due_on:%d-%m-%Y}"),
            url=notices.page_url(institution, "my_explanation", pk=report.pk),
        )
    return explanation


def _attach(explanation: Explanation, upload: tuple[str, bytes] | None) -> str | None:
    if not upload:
        return None
    name, data = upload
    facts = inspect_evidence(data, name=name)
    path = _store(f"explanations/{explanation.institution_id}/{uuid.uuid4().hex}.{facts.extension}", data)
    explanation.file, explanation.file_type, explanation.file_sha256 = path, facts.content_type, facts.sha256
    return path


def _save_given(explanation: Explanation, *, actor: User, text: str, how: str, upload, action: str) -> Explanation:
    path = _attach(explanation, upload)
    try:
        with transaction.atomic():
            explanation.text, explanation.how = text, how
            explanation.given_at, explanation.recorded_by = timezone.now(), actor
            explanation.save()
            log_action(action=action, institution=explanation.institution, actor=actor, target=explanation,
                       data={"report": explanation.report_id, "how": how, "file": bool(path)})
    except Exception:
        if path:
            default_storage.delete(path)
        raise
    return explanation


@transaction.atomic
def explanation_give(*, actor: User, report: ViolationReport, text: str, upload: tuple[str, bytes] | None = None,
                     today: datetime.date | None = None) -> Explanation:
    """The person reported explains in Santun (text, and optionally one screenshot or PDF)."""
    explanation = _lock(report)
    rules.check_give_explanation(actor, report, explanation, today=today)
    text = _text(text, _("Write your explanation."))
    explanation = _save_given(explanation, actor=actor, text=text, how=Explanation.How.ONLINE, upload=upload,
                              action="sanctions.explanation.given")
    notices.send(recipients=[u for u in notices.humas(report.institution) if u.pk != actor.pk],
                 institution=report.institution, kind="explanation_given",
                 title=gettext_lazy("An explanation was given"),
                 body=notices.lazy_format(gettext_lazy("The person reported in report #%(pk)s has explained."),
                                          pk=report.pk),
                 url=notices.page_url(report.institution, "report_detail", pk=report.pk))
    return explanation


@transaction.atomic
def explanation_record(*, actor: User, report: ViolationReport, text: str, how: str,
                       upload: tuple[str, bytes] | None = None) -> Explanation:
    """Public relations records an explanation given orally or on paper."""
    explanation = _lock(report)
    rules.check_record_explanation(actor, report, explanation)
    if how not in (Explanation.How.ORAL, Explanation.How.PAPER):
        how = Explanation.How.ORAL
    text = _text(text, _("Write what the person said."))
    return _save_given(explanation, actor=actor, text=text, how=how, upload=upload,
                       action="sanctions.explanation.recorded")


@transaction.atomic
def explanation_skip(*, actor: User, report: ViolationReport, reason: str) -> Explanation:
    """Public relations writes why the person is not heard (unreachable, left, refused)."""
    explanation = _lock(report)
    rules.check_record_explanation(actor, report, explanation)
    explanation.skipped_reason = _text(reason, _("Write why the person is not heard."))
    explanation.skipped_by, explanation.skipped_at = actor, timezone.now()
    explanation.save(update_fields=["skipped_reason", "skipped_by", "skipped_at"])
    log_action(action="sanctions.explanation.skipped", institution=report.institution, actor=actor,
               target=explanation, data={"report": report.pk})
    return explanation
