"""Retention (UU 27/2022): the head's periods and legal holds, and the deletion of closed cases
that are past their period, leaving a tombstone without personal data.

The deletion runs one case per transaction (a killed run loses at most the case it was on, which
the next run deletes); its files are removed from storage (``default_storage``: the local folder
or S3 alike) after that transaction commits, and a tombstone keeps their stored names until they
are gone, so a run that finds some left removes them again. The run's single audit entry per
institution, with counts only, is written by ``governance.retention`` and counts every tombstone
not yet counted (``retention_settle``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Institution, Notification, User
from governance.retention import SweepResult

from .. import notifications as notices
from .. import retention, rules
from ..models import (
    Appeal,
    CaseEvidence,
    CaseNote,
    CaseTombstone,
    Explanation,
    LegalHold,
    LetterTombstone,
    Measure,
    Objection,
    Referral,
    RemovalTask,
    RetentionPolicy,
    ViolationReport,
    WarningLetter,
)
from ._common import _lock_report, _text

BATCH = 20


# --- the head's periods and holds -------------------------------------------------------------------

def _bounded(value, bounds: retention.Bounds, message: str) -> int:
    if value is None or not bounds.minimum <= int(value) <= bounds.maximum:
        raise ValidationError(message % {"min": bounds.minimum, "max": bounds.maximum}, code="bounds")
    return int(value)


@transaction.atomic
def retention_policy_set(*, actor: User, institution: Institution, case_years: int, export_days: int) -> RetentionPolicy:
    rules.require(actor, institution, "sanctions.retention")
    case_years = _bounded(case_years, retention.case_year_bounds(),
                          _("Closed cases are kept between %(min)d and %(max)d years."))
    export_days = _bounded(export_days, retention.export_day_bounds(),
                           _("Finished exports are kept between %(min)d and %(max)d days."))
    policy, _created = RetentionPolicy.objects.select_for_update().update_or_create(
        institution=institution, defaults={"case_years": case_years, "export_days": export_days, "updated_by": actor})
    log_action(action="sanctions.retention.policy_set", institution=institution, actor=actor, target=policy,
               data={"case_years": case_years, "export_days": export_days})
    return policy


@transaction.atomic
def legal_hold_set(*, actor: User, report: ViolationReport, reason: str) -> LegalHold:
    report = _lock_report(report)
    rules.check_hold(actor, report)
    reason = _text(reason, _("Write why the case must be kept (for example the court case or inspection)."))
    hold = LegalHold.objects.create(institution=report.institution, report=report, reason=reason, set_by=actor,
                                    set_at=timezone.now())
    log_action(action="sanctions.case.hold_set", institution=report.institution, actor=actor, target=report,
               data={"report": report.pk})
    return hold


@transaction.atomic
def legal_hold_clear(*, actor: User, report: ViolationReport) -> None:
    report = _lock_report(report)
    rules.check_release_hold(actor, report)
    LegalHold.objects.filter(report=report).delete()
    log_action(action="sanctions.case.hold_cleared", institution=report.institution, actor=actor, target=report,
               data={"report": report.pk})


# --- deleting what is due ---------------------------------------------------------------------------

def _letter_tombstone(letter: WarningLetter, case: CaseTombstone, today: datetime.date) -> LetterTombstone:
    tz = letter.institution.tzinfo
    return LetterTombstone(
        institution=letter.institution, case=case, number=letter.number, issued_on=letter.issued_on,
        verification_code=letter.verification_code, active_until=letter.measure.active_until, deleted_on=today,
        voided_on=timezone.localtime(letter.voided_at, tz).date() if letter.voided_at else None)


def _measure_summary(measure: Measure) -> dict:
    return {"level": measure.level_code, "kind": measure.level_kind, "state": measure.state,
            "active_from": measure.active_from, "active_until": measure.active_until}


def _statistics_of(report: ViolationReport, measures: list[Measure]) -> dict:
    """What ``reports.moderation`` counts of the case, in the case institution's days."""
    tz = report.institution.tzinfo

    def day(moment):
        return timezone.localtime(moment, tz).date().isoformat() if moment else None

    return {
        "channel_kind": report.channel.kind if report.channel_id else None,
        "measures": [{"position": m.level_position, "level": m.level_code, "state": m.state,
                      "proposed_on": day(m.proposed_at), "decided_on": day(m.decided_at)} for m in measures],
        "objections": [{"filed_on": day(filed_at), "state": state} for filed_at, state in
                       Objection.objects.filter(measure__report=report).values_list("filed_at", "state")],
        "appeals": [{"filed_on": day(filed_at), "state": state} for filed_at, state in
                    Appeal.objects.filter(objection__measure__report=report).values_list("filed_at", "state")],
        "referrals": [{"track": track, "state": state, "referred_on": str(referred_on),
                       "due_on": str(due_on) if due_on else None, "outcome_on": str(outcome_on) if outcome_on else None}
                      for track, state, referred_on, due_on, outcome_on in
                      Referral.objects.filter(report=report).values_list("track", "state", "referred_on", "due_on",
                                                                         "outcome_on")],
    }


def _delete_files(tombstone_id: int, names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
    CaseTombstone.objects.filter(pk=tombstone_id).update(pending_files=[])


def _case_pages(report: ViolationReport, measures: list[Measure]) -> list[str]:
    """The paths of every page of the case that a notice can link to (``notices.CASE_PAGES``)."""
    institution = report.institution
    pks = {
        "report": [report.pk],
        "measure": [m.pk for m in measures],
        "objection": list(Objection.objects.filter(measure__report=report).values_list("pk", flat=True)),
        "appeal": list(Appeal.objects.filter(objection__measure__report=report).values_list("pk", flat=True)),
        "removal": list(RemovalTask.objects.filter(measure__report=report).values_list("pk", flat=True)),
    }
    return [notices.page_url(institution, name, pk=pk)
            for kind, names in notices.CASE_PAGES.items() for pk in pks[kind] for name in names]


def _purge(report: ViolationReport, day: datetime.date) -> CaseTombstone:
    """Inside the caller's transaction, on the locked report: the tombstone, then every row of the case."""
    institution, now = report.institution, timezone.now()
    today = institution.local_today()
    measures = list(Measure.objects.filter(report=report).order_by("proposed_at", "pk"))
    letters = list(WarningLetter.objects.filter(measure__report=report).select_related("measure", "institution"))
    explanation = Explanation.objects.filter(report=report).first()
    files = [name for name in (
        *CaseEvidence.objects.filter(report=report).values_list("file", flat=True),
        explanation.file.name if explanation and explanation.file else "",
        *(letter.pdf.name for letter in letters if letter.pdf),
    ) if name]
    tombstone = CaseTombstone.objects.create(
        institution=institution, case_number=report.pk, source=report.source,
        reported_on=timezone.localtime(report.created_at, institution.tzinfo).date(),
        occurred_on=timezone.localtime(report.occurred_at, institution.tzinfo).date(),
        decided_on=timezone.localtime(report.decided_at, institution.tzinfo).date() if report.decided_at else None,
        closed_on=day, outcome=report.state,
        categories=sorted(set(report.rules.values_list("category", flat=True))),
        measures=[{key: str(value) if isinstance(value, datetime.date) else value
                   for key, value in _measure_summary(m).items()} for m in measures],
        referrals=Referral.objects.filter(report=report).count(), statistics=_statistics_of(report, measures),
        files=len(files), pending_files=files,
        deleted_at=now)
    LetterTombstone.objects.bulk_create([_letter_tombstone(letter, tombstone, today) for letter in letters])
    # the notices about the case name it and link to its pages: they go with it
    Notification.objects.filter(institution=institution, url__in=_case_pages(report, measures)).delete()
    Appeal.objects.filter(objection__measure__report=report).delete()
    Objection.objects.filter(measure__report=report).delete()
    RemovalTask.objects.filter(measure__report=report).delete()
    WarningLetter.objects.filter(measure__report=report).delete()
    Measure.objects.filter(report=report).delete()
    for model in (Referral, Explanation, CaseNote, CaseEvidence):
        model.objects.filter(report=report).delete()
    report.rules.clear()
    report.delete()
    if files:
        transaction.on_commit(lambda: _delete_files(tombstone.pk, files))
    return tombstone


def _purge_one(institution: Institution, report_id: int) -> bool:
    """One case in its own transaction, checked again on the locked row: a case reopened, held or
    already deleted since it was listed is left alone."""
    with transaction.atomic():
        locked = ViolationReport.objects.select_for_update().filter(pk=report_id).first()
        if locked is None:
            return False
        fresh = retention.due_cases(institution, report_id=report_id, limit=1)
        if not fresh:
            return False
        _purge(fresh[0][0], fresh[0][1])
    return True


def _finish_pending_files(institution: Institution) -> None:
    for pk, names in CaseTombstone.objects.filter(institution=institution).exclude(pending_files=[]) \
            .values_list("pk", "pending_files"):
        _delete_files(pk, names)


def _dry_run(institution: Institution) -> SweepResult:
    result = SweepResult(counts={"cases": 0, "letters": 0, "files": 0})
    after = 0
    while due := retention.due_cases(institution, after_pk=after, limit=BATCH):
        for report, _day in due:
            result.counts["cases"] += 1
            result.counts["letters"] += WarningLetter.objects.filter(measure__report=report).count()
            result.counts["files"] += (CaseEvidence.objects.filter(report=report).count()
                                       + Explanation.objects.filter(report=report).exclude(file="").count()
                                       + WarningLetter.objects.filter(measure__report=report).exclude(pdf="").count())
            result.items.append(f"#{report.pk}")
        after = due[-1][0].pk
    return result


def cases_purge_due(institution: Institution, *, dry_run: bool = False) -> SweepResult:
    """The sweep of closed cases (registered with ``governance.retention``): what was deleted and
    not yet counted in an audit entry (this run's, or a killed run's), or on a dry run what would be."""
    if dry_run:
        return _dry_run(institution)
    _finish_pending_files(institution)
    after = 0
    while due := retention.due_cases(institution, after_pk=after, limit=BATCH):
        for report, _day in due:
            _purge_one(institution, report.pk)
        after = due[-1][0].pk
    uncounted = CaseTombstone.objects.filter(institution=institution, counted_at__isnull=True)
    cases = list(uncounted.order_by("case_number").values_list("case_number", "files"))
    letters = LetterTombstone.objects.filter(case__in=uncounted).count()
    return SweepResult(counts={"cases": len(cases), "letters": letters, "files": sum(files for _n, files in cases)},
                       items=[f"#{number}" for number, _files in cases])


def retention_settle(institution: Institution) -> None:
    """In the transaction of the run's audit entry: the tombstones it counted."""
    CaseTombstone.objects.filter(institution=institution, counted_at__isnull=True).update(counted_at=timezone.now())
