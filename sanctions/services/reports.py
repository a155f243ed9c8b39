"""Violation reports: filing, triage (review, assignment, notes, evidence) and the triage decision."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Channel, Institution, User
from governance.selectors import active_election_periods
from members.models import StaffMember
from members.validators import normalize_phone

from .. import notifications as notices
from .. import rules, selectors
from ..evidence import MAX_FILES_PER_REPORT, inspect_evidence
from ..models import CaseEvidence, CaseNote, ReportSource, ReportState, ViolationReport
from ..workdays import add_working_days
from ._common import _has, _local_date, _lock_report, _require, _store, _text
from .explanations import explanation_invite
from .referrals import referral_create


def _evidence_path(institution: Institution, extension: str) -> str:
    return f"evidence/{institution.pk}/{uuid.uuid4().hex}.{extension}"

def _check_rules(institution: Institution, rule_ids, channel: Channel | None = None,
                 occurred_at: datetime.datetime | None = None) -> list:
    """The cited rules: prohibitions of the code version in force when it happened."""
    ids = {int(pk) for pk in rule_ids or []}
    if not ids:
        if selectors.current_code(institution) is None:
            raise ValidationError(
                _("This institution has not published a code of conduct yet, so no rule can be cited. "
                  "Ask the head to publish the code first."), code="no_code")
        raise ValidationError(_("Choose at least one rule of the code of conduct that was broken."), code="no_rules")
    rules = list(selectors.citable_rules(institution, at=occurred_at).filter(pk__in=ids))
    version = selectors.code_for_citing(institution, occurred_at)
    if len(rules) != len(ids) and version is not None and version != selectors.current_code(institution):
        raise ValidationError(
            _("On the day of the violation version %(number)s of the code of conduct was in force, so only its "
              "rules can be cited. Choose the rules that were broken from that version.")
            % {"number": version.number}, code="older_code")
    if len(rules) != len(ids):
        raise ValidationError(
            _("A rule you chose is not part of this institution's current code of conduct. "
              "Choose rules from the code in force."), code="foreign_rule")
    if channel is not None:
        for rule in rules:
            if not rule.applies_to(channel.kind):
                raise ValidationError(
                    _("Rule %(number)s applies only to %(kinds)s, and this happened in %(kind)s. Choose a rule that "
                      "applies there.") % {"number": rule.number, "kinds": ", ".join(rule.channel_kind_labels()),
                                           "kind": channel.get_kind_display()}, code="rule_channel")
    return rules


def report_submit(
    *, actor: User, institution: Institution, occurred_at: datetime.datetime, rule_ids, description: str,
    subject_staff: StaffMember | None = None, subject_name: str = "", subject_phone: str = "",
    channel: Channel | None = None, place_note: str = "", source: str = ReportSource.STAFF,
    on_behalf_of: StaffMember | None = None, evidence: list[tuple[str, bytes]] | tuple = (), source_ref: str = "",
) -> ViolationReport:
    """File a violation report. Humas may file findings, triage chat exports and report on behalf
    of a colleague; everyone else files as themselves. ``evidence`` is a list of (name, bytes)."""
    _require(actor, institution, "sanctions.file_report")
    if source not in ReportSource.values:
        raise ValidationError(_("Unknown source of the report."), code="source")
    if (source != ReportSource.STAFF or on_behalf_of is not None) and not _has(actor, institution, "sanctions.triage"):
        raise PermissionDenied
    if (subject_staff is None) == (not (subject_name or "").strip()):
        raise ValidationError(
            _("Say who is reported: choose a staff member, or type the name of a group member who is not on the staff list."),
            code="subject")
    if subject_staff is not None and (subject_staff.institution_id != institution.pk or subject_staff.left_on):
        raise ValidationError(_("Choose someone on this institution's current staff list."), code="subject")
    phone = normalize_phone(subject_phone) if subject_phone else ""
    if channel is not None and channel.institution_id != institution.pk:
        raise ValidationError(_("Choose a group or account registered by this institution."), code="channel")
    if channel is None and not (place_note or "").strip():
        raise ValidationError(_("Say where it happened: choose a group or account, or describe the place."), code="place")
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("The time of the violation is in the future. Check the date and time."), code="future")
    description = _text(description, _("Describe what happened."))
    rules = _check_rules(institution, rule_ids, channel, occurred_at)
    code_version = selectors.code_in_force(institution, occurred_at)
    if len(evidence) > MAX_FILES_PER_REPORT:
        raise ValidationError(
            _("Attach at most %(n)d files to one report.") % {"n": MAX_FILES_PER_REPORT}, code="too_many")
    # Every file is checked before anything is written: one bad file refuses the whole report.
    inspected = [(name, data, inspect_evidence(data, name=name)) for name, data in evidence]
    if source_ref and ViolationReport.objects.filter(institution=institution, source_ref=source_ref).exists():
        raise ValidationError(_("This item has already been turned into a report."), code="duplicate")

    periods = []
    if selectors.is_politics(rules):
        for day in {_local_date(institution, occurred_at), institution.local_today()}:
            periods += active_election_periods(institution, day)

    stored: list[str] = []
    try:
        with transaction.atomic():
            report = ViolationReport.objects.create(
                institution=institution, subject_staff=subject_staff,
                subject_name="" if subject_staff else subject_name.strip(), subject_phone="" if subject_staff else phone,
                channel=channel, place_note=(place_note or "").strip(), occurred_at=occurred_at,
                description=description, source=source, source_ref=source_ref, reporter=actor,
                on_behalf_of=on_behalf_of, priority=bool(periods), election_period=periods[0] if periods else None,
                code_version=code_version,
                code_acknowledged_at=selectors.code_acknowledged_at(subject_staff, code_version, occurred_at),
            )
            report.rules.set(rules)
            log_action(
                action="sanctions.report.submitted", institution=institution, actor=actor, target=report,
                data={"source": source, "priority": report.priority, "rules": sorted(r.pk for r in rules),
                      "subject": "staff" if subject_staff else "external",
                      "channel": channel.pk if channel else None, "evidence": len(inspected),
                      "election_period": report.election_period_id,
                      "code_version": code_version.number if code_version else None,
                      "code_acknowledged": report.code_acknowledged_at is not None},
            )
            for name, data, facts in inspected:
                path = _store(_evidence_path(institution, facts.extension), data)
                stored.append(path)
                _evidence_create(actor=actor, report=report, path=path, name=name, facts=facts)
            recipients = [u for u in notices.not_the_subject(notices.humas(institution), report) if u.pk != actor.pk]
            notices.send(
                recipients=recipients, institution=institution, kind="report_submitted",
                title=gettext_lazy("Priority violation report to triage") if report.priority
                else gettext_lazy("New violation report to triage"),
                body=notices.lazy_format(gettext_lazy("Report #%(pk)s is waiting in the queue."), pk=report.pk),
                url=notices.page_url(institution, "report_detail", pk=report.pk),
            )
    except Exception:
        for path in stored:
            default_storage.delete(path)
        raise
    return report


def _evidence_create(*, actor, report, path, name, facts) -> CaseEvidence:
    item = CaseEvidence.objects.create(
        report=report, file=path, content_type=facts.content_type, size=facts.size, sha256=facts.sha256,
        original_name=(name or "")[-200:], uploaded_by=actor,
    )
    log_action(
        action="sanctions.evidence.added", institution=report.institution, actor=actor, target=item,
        data={"report": report.pk, "sha256": facts.sha256, "content_type": facts.content_type, "size": facts.size},
    )
    return item


def evidence_add(*, actor: User, report: ViolationReport, name: str, data: bytes) -> CaseEvidence:
    """Humas adds evidence to an open case."""
    rules.check_add_evidence(actor, report)
    facts = inspect_evidence(data, name=name)
    path = _store(_evidence_path(report.institution, facts.extension), data)
    try:
        with transaction.atomic():
            return _evidence_create(actor=actor, report=report, path=path, name=name, facts=facts)
    except Exception:
        default_storage.delete(path)
        raise

@transaction.atomic
def report_start_review(*, actor: User, report: ViolationReport) -> ViolationReport:
    report = _lock_report(report)
    rules.check_start_review(actor, report)
    report.state = ReportState.IN_REVIEW
    if report.assignee_id is None:
        report.assignee = actor
    report.save(update_fields=["state", "assignee", "updated_at"])
    log_action(action="sanctions.report.review_started", institution=report.institution, actor=actor, target=report,
               data={"state": report.state, "assignee": report.assignee_id})
    return report


@transaction.atomic
def report_assign(*, actor: User, report: ViolationReport, assignee: User) -> ViolationReport:
    institution = report.institution
    report = _lock_report(report)
    rules.check_assign(actor, report)
    if assignee.pk not in {u.pk for u in selectors.triage_colleagues(institution)}:
        raise ValidationError(_("Assign the case to a public relations coordinator or the head of this institution."),
                              code="assignee")
    if selectors.is_subject(assignee, report):
        raise ValidationError(_("This case is about that person; assign it to someone else."), code="recusal")
    previous = report.assignee_id
    report.assignee = assignee
    if report.state == ReportState.SUBMITTED:
        report.state = ReportState.IN_REVIEW
    report.save(update_fields=["assignee", "state", "updated_at"])
    log_action(action="sanctions.report.assigned", institution=institution, actor=actor, target=report,
               data={"assignee": assignee.pk, "previous": previous, "state": report.state})
    if assignee.pk != actor.pk:
        notices.send(
            recipients=[assignee], institution=institution, kind="assigned",
            title=gettext_lazy("A violation report was assigned to you"),
            body=notices.lazy_format(gettext_lazy("Report #%(pk)s is now yours to handle."), pk=report.pk),
            url=notices.page_url(institution, "report_detail", pk=report.pk),
        )
    return report


@transaction.atomic
def report_add_note(*, actor: User, report: ViolationReport, text: str) -> CaseNote:
    rules.check_add_note(actor, report)
    note = CaseNote.objects.create(report=report, author=actor, text=_text(text, _("Write the note first.")))
    log_action(action="sanctions.report.note_added", institution=report.institution, actor=actor, target=note,
               data={"report": report.pk})
    return note


def _refer_by_policy(*, actor, report) -> None:
    """Under a referral-only policy (seed 003) a confirmed case goes to the formal process at once,
    with its outcome due after the policy's number of working days."""
    ladder = selectors.current_ladder(report.institution)
    if ladder is None or not ladder.referral_only:
        return
    today = report.institution.local_today()
    referral_create(actor=actor, report=report, track=ladder.referral_track,
                    referred_to=ladder.referral_to or _("The competent code of ethics council"), referred_on=today,
                    due_on=add_working_days(today, ladder.referral_working_days),
                    note=_("Referred under the institution's referral-only policy."))


def _report_decide(*, actor, report, reason, state, action) -> ViolationReport:
    institution = report.institution
    report = _lock_report(report)
    rules.check_decide_report(actor, report)
    report.decision_reason = _text(reason, _("Write the reason for the decision."))
    report.state = state
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.save(update_fields=["state", "decision_reason", "decided_by", "decided_at", "updated_at"])
    log_action(action=action, institution=institution, actor=actor, target=report, data={"state": state})
    if state == ReportState.CONFIRMED:
        explanation_invite(actor=actor, report=report)
        _refer_by_policy(actor=actor, report=report)
    # The reporter hears the outcome, never what follows for the person reported.
    told = [report.reporter] + ([report.on_behalf_of.user] if report.on_behalf_of_id and report.on_behalf_of.user_id else [])
    notices.send(
        recipients=[u for u in told if u.pk != actor.pk], institution=institution, kind="report_outcome",
        title=gettext_lazy("Your violation report has been handled"),
        body=notices.lazy_format(
            gettext_lazy("Report #%(pk)s was confirmed as a violation. Thank you for reporting it.")
            if state == ReportState.CONFIRMED else
            gettext_lazy("Report #%(pk)s was reviewed and not taken further. Thank you for reporting it."),
            pk=report.pk),
        url=notices.page_url(institution, "my_cases"),
    )
    return report


@transaction.atomic
def report_confirm(*, actor: User, report: ViolationReport, reason: str) -> ViolationReport:
    return _report_decide(actor=actor, report=report, reason=reason, state=ReportState.CONFIRMED,
                          action="sanctions.report.confirmed")


@transaction.atomic
def report_dismiss(*, actor: User, report: ViolationReport, reason: str) -> ViolationReport:
    return _report_decide(actor=actor, report=report, reason=reason, state=ReportState.DISMISSED,
                          action="sanctions.report.dismissed")


BULK_ACTIONS = ("assign", "start_review")


def reports_bulk(*, actor: User, institution: Institution, report_ids: list[int], action: str,
                 assignee: User | None = None) -> tuple[list[ViolationReport], list[tuple[int, str]]]:
    """Take one step on several cases of the queue: each case goes through its own single-case
    service (its own transaction and audit entry), so a case a rule forbids is refused alone and
    the others proceed. Returns the cases done and, for each refused one, its number and why."""
    rules.check_bulk_triage(actor, institution)
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Choose what to do with the selected reports."), code="action")
    if action == "assign" and assignee is None:
        raise ValidationError(_("Choose the colleague to assign the reports to."), code="assignee")
    found = {report.pk: report for report in ViolationReport.objects.filter(
        institution=institution, pk__in=report_ids).select_related("institution", "subject_staff")}
    done, refused = [], []
    for pk in report_ids:
        report = found.get(pk)
        # A case about the visitor is not in their queue: it is refused as one that is not there.
        if report is None or selectors.is_subject(actor, report):
            refused.append((pk, _("It is not in this institution's queue.")))
            continue
        try:
            if action == "assign":
                done.append(report_assign(actor=actor, report=report, assignee=assignee))
            else:
                done.append(report_start_review(actor=actor, report=report))
        except ValidationError as error:
            refused.append((pk, " ".join(error.messages)))
        except PermissionDenied:
            refused.append((pk, _("You may not take this step on it.")))
    return done, refused
