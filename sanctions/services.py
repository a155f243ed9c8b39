"""Writes of the sanctions app. Each one checks the business rules, changes state, writes its
audit entry in the same transaction and queues its notifications after commit.

Refusals raise ``ValidationError`` with a message that tells the person what to do instead;
missing rights raise ``PermissionDenied``. Views show both; nothing is half-saved.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Channel, Institution, User
from governance.selectors import active_election_periods
from governance.tenancy import access_for
from members.models import GroupMembership, StaffMember
from members.validators import normalize_phone

from . import notifications as notices
from . import selectors
from .evidence import MAX_FILES_PER_REPORT, inspect_evidence
from .ladders import PRESETS
from .models import (
    CaseNote,
    DeliveryMethod,
    Evidence,
    Ladder,
    LadderLevel,
    LevelKind,
    Measure,
    MeasureState,
    Objection,
    ObjectionState,
    Referral,
    ReferralState,
    ReferralTrack,
    RemovalState,
    RemovalTask,
    ReportSource,
    ReportState,
    ViolationReport,
    WarningLetter,
)
from .numbering import next_sequence, render_number
from .workdays import add_months, add_working_days

OBJECTION_WORKING_DAYS = 14
REMOVAL_WORKING_DAYS = 3
VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VERIFICATION_LENGTH = 12


# --- helpers --------------------------------------------------------------------------------------

def _require(actor: User, institution: Institution, *permissions: str) -> None:
    access = access_for(actor, institution) if actor is not None else None
    if access is None or not any(access.has(p) for p in permissions):
        raise PermissionDenied


def _has(actor: User, institution: Institution, permission: str) -> bool:
    access = access_for(actor, institution) if actor is not None else None
    return access is not None and access.has(permission)


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


def _local_date(institution: Institution, value: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(value or timezone.now(), institution.tzinfo).date()


def _not_the_subject(actor: User, report: ViolationReport) -> None:
    if selectors.is_subject(actor, report):
        raise ValidationError(
            _("This case is about you, so you cannot handle it. Ask a colleague or the head to take it over."),
            code="recusal",
        )


def _store(path: str, data: bytes) -> str:
    return default_storage.save(path, ContentFile(data))


def _evidence_path(institution: Institution, extension: str) -> str:
    return f"evidence/{institution.pk}/{uuid.uuid4().hex}.{extension}"


# --- reports --------------------------------------------------------------------------------------

def _check_rules(institution: Institution, rule_ids) -> list:
    ids = {int(pk) for pk in rule_ids or []}
    if not ids:
        if selectors.current_code(institution) is None:
            raise ValidationError(
                _("This institution has not published a code of conduct yet, so no rule can be cited. "
                  "Ask the head to publish the code first."), code="no_code")
        raise ValidationError(_("Choose at least one rule of the code of conduct that was broken."), code="no_rules")
    rules = list(selectors.citable_rules(institution).filter(pk__in=ids))
    if len(rules) != len(ids):
        raise ValidationError(
            _("A rule you chose is not part of this institution's current code of conduct. "
              "Choose rules from the code in force."), code="foreign_rule")
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
    rules = _check_rules(institution, rule_ids)
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
            )
            report.rules.set(rules)
            log_action(
                action="sanctions.report.submitted", institution=institution, actor=actor, target=report,
                data={"source": source, "priority": report.priority, "rules": sorted(r.pk for r in rules),
                      "subject": "staff" if subject_staff else "external",
                      "channel": channel.pk if channel else None, "evidence": len(inspected),
                      "election_period": report.election_period_id},
            )
            for name, data, facts in inspected:
                path = _store(_evidence_path(institution, facts.extension), data)
                stored.append(path)
                _evidence_create(actor=actor, report=report, path=path, name=name, facts=facts)
            recipients = [u for u in notices.humas(institution) if u.pk != actor.pk]
            notices.send(
                recipients=recipients, institution=institution, kind="report_submitted",
                title=gettext_lazy("Priority violation report to triage") if report.priority
                else gettext_lazy("New violation report to triage"),
                body=notices.fmt(gettext_lazy("Report #%(pk)s is waiting in the queue."), pk=report.pk),
                url=notices.turl(institution, "report_detail", pk=report.pk),
            )
    except Exception:
        for path in stored:
            default_storage.delete(path)
        raise
    return report


def _evidence_create(*, actor, report, path, name, facts) -> Evidence:
    item = Evidence.objects.create(
        report=report, file=path, content_type=facts.content_type, size=facts.size, sha256=facts.sha256,
        original_name=(name or "")[-200:], uploaded_by=actor,
    )
    log_action(
        action="sanctions.evidence.added", institution=report.institution, actor=actor, target=item,
        data={"report": report.pk, "sha256": facts.sha256, "content_type": facts.content_type, "size": facts.size},
    )
    return item


def evidence_add(*, actor: User, report: ViolationReport, name: str, data: bytes) -> Evidence:
    """Humas adds evidence to an open case."""
    _require(actor, report.institution, "sanctions.triage")
    if not report.is_open:
        raise ValidationError(_("Evidence can only be added while the case is open."), code="closed")
    if report.evidence.count() >= MAX_FILES_PER_REPORT:
        raise ValidationError(
            _("A report holds at most %(n)d files.") % {"n": MAX_FILES_PER_REPORT}, code="too_many")
    facts = inspect_evidence(data, name=name)
    path = _store(_evidence_path(report.institution, facts.extension), data)
    try:
        with transaction.atomic():
            return _evidence_create(actor=actor, report=report, path=path, name=name, facts=facts)
    except Exception:
        default_storage.delete(path)
        raise


def _lock_report(report: ViolationReport) -> ViolationReport:
    return ViolationReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def report_start_review(*, actor: User, report: ViolationReport) -> ViolationReport:
    _require(actor, report.institution, "sanctions.triage")
    report = _lock_report(report)
    _not_the_subject(actor, report)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(_("This report is already past the first review."), code="state")
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
    _require(actor, institution, "sanctions.triage")
    report = _lock_report(report)
    _not_the_subject(actor, report)
    if not report.is_open:
        raise ValidationError(_("This case is closed; it cannot be assigned any more."), code="state")
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
            body=notices.fmt(gettext_lazy("Report #%(pk)s is now yours to handle."), pk=report.pk),
            url=notices.turl(institution, "report_detail", pk=report.pk),
        )
    return report


@transaction.atomic
def report_add_note(*, actor: User, report: ViolationReport, text: str) -> CaseNote:
    _require(actor, report.institution, "sanctions.triage", "sanctions.decide")
    _not_the_subject(actor, report)
    note = CaseNote.objects.create(report=report, author=actor, text=_text(text, _("Write the note first.")))
    log_action(action="sanctions.report.note_added", institution=report.institution, actor=actor, target=note,
               data={"report": report.pk})
    return note


def _report_decide(*, actor, report, reason, state, action) -> ViolationReport:
    institution = report.institution
    _require(actor, institution, "sanctions.triage")
    report = _lock_report(report)
    _not_the_subject(actor, report)
    if report.state in (ReportState.CONFIRMED, ReportState.DISMISSED):
        raise ValidationError(
            _("This report was already decided (%(state)s). Open the case to see the decision.")
            % {"state": report.get_state_display()}, code="decided")
    if report.state != ReportState.IN_REVIEW:
        raise ValidationError(_("Start the review (or assign the case) before deciding it."), code="state")
    report.decision_reason = _text(reason, _("Write the reason for the decision."))
    report.state = state
    report.decided_by = actor
    report.decided_at = timezone.now()
    report.save(update_fields=["state", "decision_reason", "decided_by", "decided_at", "updated_at"])
    log_action(action=action, institution=institution, actor=actor, target=report, data={"state": state})
    # The reporter hears the outcome, never what follows for the person reported.
    told = [report.reporter] + ([report.on_behalf_of.user] if report.on_behalf_of_id and report.on_behalf_of.user_id else [])
    notices.send(
        recipients=[u for u in told if u.pk != actor.pk], institution=institution, kind="report_outcome",
        title=gettext_lazy("Your violation report has been handled"),
        body=notices.fmt(
            gettext_lazy("Report #%(pk)s was confirmed as a violation. Thank you for reporting it.")
            if state == ReportState.CONFIRMED else
            gettext_lazy("Report #%(pk)s was reviewed and not taken further. Thank you for reporting it."),
            pk=report.pk),
        url=notices.turl(institution, "my_cases"),
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


# --- the ladder -------------------------------------------------------------------------------------

def _create_ladder(*, actor, institution, preset: str, months: dict | None = None) -> Ladder:
    spec = PRESETS[preset]
    Ladder.objects.filter(institution=institution, is_current=True).update(is_current=False)
    ladder = Ladder.objects.create(institution=institution, name=str(spec["name"]), created_by=actor)
    for position, (code, name, kind) in enumerate(spec["levels"], start=1):
        LadderLevel.objects.create(
            ladder=ladder, position=position, code=code, name=str(name), kind=kind,
            active_months=(months or {}).get(position, 6),
        )
    log_action(action="sanctions.ladder.configured", institution=institution, actor=actor, target=ladder,
               data={"preset": preset, "months": [lvl.active_months for lvl in ladder.levels.order_by("position")]})
    return ladder


@transaction.atomic
def ladder_ensure(*, actor: User | None, institution: Institution) -> Ladder:
    """The current ladder, creating the default SP1 → SP2 → removal (seed 000) when there is none."""
    ladder = selectors.current_ladder(institution)
    return ladder or _create_ladder(actor=actor, institution=institution, preset="sp")


@transaction.atomic
def ladder_configure(*, actor: User, institution: Institution, preset: str, months: dict[int, int]) -> Ladder:
    _require(actor, institution, "sanctions.decide")
    if preset not in PRESETS:
        raise ValidationError(_("Choose one of the ladders offered."), code="preset")
    for value in months.values():
        if not 1 <= int(value) <= 24:
            raise ValidationError(_("A level stays active between 1 and 24 months."), code="months")
    return _create_ladder(actor=actor, institution=institution, preset=preset, months=months)


# --- measures -------------------------------------------------------------------------------------

def _decider_for(institution: Institution, *, escalated: bool) -> list[User]:
    return notices.parent_heads(institution) if escalated else notices.heads(institution)


@transaction.atomic
def measure_propose(
    *, actor: User, report: ViolationReport, level: LadderLevel, reason: str = "", note: str = "",
) -> Measure:
    """Humas proposes a rung of the ladder; the engine's suggestion is kept beside the choice."""
    institution = report.institution
    _require(actor, institution, "sanctions.triage")
    report = _lock_report(report)
    _not_the_subject(actor, report)
    if report.state != ReportState.CONFIRMED:
        raise ValidationError(_("Confirm the report before proposing a measure."), code="state")
    if Measure.objects.filter(report=report, state__in=selectors.LIVE_MEASURE_STATES).exists():
        raise ValidationError(_("This case already has a measure. Open the case to follow it."), code="duplicate")
    ladder = ladder_ensure(actor=actor, institution=institution)
    if level.ladder_id != ladder.pk:
        raise ValidationError(_("Choose a level of this institution's current ladder."), code="level")
    suggestion = selectors.suggest_level(report, ladder=ladder)
    reason = (reason or "").strip()
    if suggestion.level and level.pk != suggestion.level.pk and not reason:
        raise ValidationError(
            _("The ladder proposes %(level)s for this person. To choose another level, write why.")
            % {"level": suggestion.level.name}, code="deviation")
    if level.kind == LevelKind.REMOVAL and not (report.channel_id and report.channel.is_group):
        raise ValidationError(
            _("%(level)s removes the person from a group, but this violation did not happen in a group. "
              "Choose another level and write why.") % {"level": level.name}, code="not_a_group")
    subject = selectors.subject_user(report)
    escalated = bool(subject and selectors.is_head(subject, institution)) or selectors.is_head(actor, institution)
    measure = Measure.objects.create(
        institution=institution, report=report, level=level, suggested_level=suggestion.level,
        deviation_reason=reason if suggestion.level and level.pk != suggestion.level.pk else "",
        level_code=level.code, level_name=level.name, level_kind=level.kind, level_position=level.position,
        active_months=level.active_months, proposal_note=(note or "").strip(), proposed_by=actor,
        proposed_at=timezone.now(), escalated=escalated,
    )
    log_action(
        action="sanctions.measure.proposed", institution=institution, actor=actor, target=measure,
        data={"report": report.pk, "level": level.code, "suggested": suggestion.level.code if suggestion.level else None,
              "deviated": bool(measure.deviation_reason), "escalated": escalated},
    )
    name = "measure_decide_escalated" if escalated else "measure_decide"
    notices.send(
        recipients=[u for u in _decider_for(institution, escalated=escalated) if u.pk != actor.pk],
        institution=institution, kind="awaiting_approval",
        title=gettext_lazy("A proposed measure awaits your decision"),
        body=notices.fmt(gettext_lazy("%(level)s proposed for report #%(pk)s."), level=level.code, pk=report.pk),
        url=notices.turl(institution, name, pk=measure.pk),
    )
    return measure


def _lock_measure(measure: Measure) -> Measure:
    return Measure.objects.select_for_update(of=("self",)).select_related("report", "report__subject_staff").get(pk=measure.pk)


def _already_decided(measure: Measure) -> ValidationError:
    when = timezone.localtime(measure.decided_at, measure.institution.tzinfo) if measure.decided_at else None
    return ValidationError(
        _("This proposal was already decided (%(state)s%(when)s); nothing was changed and no new letter was made.")
        % {"state": measure.get_state_display(), "when": f", {when:%d-%m-%Y %H.%M}" if when else ""},
        code="decided")


def _check_decider(*, actor: User, institution: Institution, escalated: bool, as_parent: bool,
                   report: ViolationReport, proposer: User | None = None) -> None:
    if escalated:
        if not as_parent or not institution.parent_id or not selectors.is_head(actor, institution.parent):
            raise ValidationError(
                _("This case is decided by the head of the parent institution, because it is about the head "
                  "of this institution or was proposed by them."), code="escalated")
    else:
        if as_parent or not selectors.is_head(actor, institution):
            raise ValidationError(_("This case is decided by the head of this institution."), code="not_escalated")
    if proposer is not None and proposer.pk == actor.pk:
        raise ValidationError(
            _("You proposed this measure, so someone else must decide it (four-eyes rule)."), code="four_eyes")
    if selectors.is_subject(actor, report):
        raise ValidationError(_("You cannot decide a case about yourself; it goes to the parent institution's head."),
                              code="recusal")


@transaction.atomic
def measure_withdraw(*, actor: User, measure: Measure, reason: str) -> Measure:
    _require(actor, measure.institution, "sanctions.triage")
    measure = _lock_measure(measure)
    if measure.state != MeasureState.PROPOSED:
        raise _already_decided(measure)
    measure.state = MeasureState.WITHDRAWN
    measure.decision_reason = _text(reason, _("Write why the proposal is withdrawn."))
    measure.ended_at = timezone.now()
    measure.save(update_fields=["state", "decision_reason", "ended_at"])
    log_action(action="sanctions.measure.withdrawn", institution=measure.institution, actor=actor, target=measure,
               data={"state": measure.state})
    return measure


@transaction.atomic
def measure_approve(*, actor: User, measure: Measure, reason: str, as_parent: bool = False) -> Measure:
    """The head approves: the measure becomes active; a letter is numbered, a removal task created.
    The row lock makes a double submission wait and then find the measure already decided."""
    institution = measure.institution
    measure = _lock_measure(measure)
    if measure.state != MeasureState.PROPOSED:
        raise _already_decided(measure)
    _check_decider(actor=actor, institution=institution, escalated=measure.escalated, as_parent=as_parent,
                   report=measure.report, proposer=measure.proposed_by)
    measure.decision_reason = _text(reason, _("Write the reason for your decision."))
    now = timezone.now()
    today = _local_date(institution, now)
    measure.state = MeasureState.ACTIVE
    measure.decided_by, measure.decided_at = actor, now
    measure.active_from = today
    measure.active_until = add_months(today, measure.active_months) - datetime.timedelta(days=1)
    measure.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "active_from", "active_until"])
    log_action(action="sanctions.measure.approved", institution=institution, actor=actor, target=measure,
               data={"state": measure.state, "level": measure.level_code, "escalated": measure.escalated,
                     "active_until": measure.active_until.isoformat()})
    letter = _letter_issue(actor=actor, measure=measure, day=today) if measure.produces_letter else None
    removal = _removal_create(actor=actor, measure=measure, day=today) if measure.is_removal else None

    notices.send(
        recipients=notices.humas(institution), institution=institution, kind="measure_approved",
        title=gettext_lazy("A proposed measure was approved"),
        body=notices.fmt(gettext_lazy("%(level)s for report #%(pk)s was approved."), level=measure.level_code,
                         pk=measure.report_id),
        url=notices.turl(institution, "report_detail", pk=measure.report_id),
    )
    person = selectors.subject_user(measure.report)
    if person is not None:
        notices.send(
            recipients=[person], institution=institution, kind="letter_issued" if letter else "measure_issued",
            title=gettext_lazy("A warning letter was issued to you") if letter
            else gettext_lazy("A group measure was recorded for you"),
            body=notices.fmt(gettext_lazy("Open it to read it and acknowledge receipt. You may file an objection "
                                          "within %(days)d working days of receiving it."), days=OBJECTION_WORKING_DAYS),
            url=notices.turl(institution, "my_measure", pk=measure.pk),
        )
    if removal is not None:
        _notify_removal_due(removal, first=True)
    if letter is not None:
        from .tasks import render_letter_pdf

        render_letter_pdf.delay_on_commit(institution_id=institution.pk, letter_id=letter.pk)
    return measure


@transaction.atomic
def measure_reject(*, actor: User, measure: Measure, reason: str, as_parent: bool = False) -> Measure:
    institution = measure.institution
    measure = _lock_measure(measure)
    if measure.state != MeasureState.PROPOSED:
        raise _already_decided(measure)
    _check_decider(actor=actor, institution=institution, escalated=measure.escalated, as_parent=as_parent,
                   report=measure.report, proposer=measure.proposed_by)
    measure.decision_reason = _text(reason, _("Write the reason for your decision."))
    measure.state = MeasureState.REJECTED
    measure.decided_by, measure.decided_at = actor, timezone.now()
    measure.ended_at = measure.decided_at
    measure.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "ended_at"])
    log_action(action="sanctions.measure.rejected", institution=institution, actor=actor, target=measure,
               data={"state": measure.state, "level": measure.level_code, "escalated": measure.escalated})
    notices.send(
        recipients=notices.humas(institution), institution=institution, kind="measure_rejected",
        title=gettext_lazy("A proposed measure was rejected"),
        body=notices.fmt(gettext_lazy("%(level)s for report #%(pk)s was rejected; the reason is on the case page."),
                         level=measure.level_code, pk=measure.report_id),
        url=notices.turl(institution, "report_detail", pk=measure.report_id),
    )
    return measure


# --- letters ----------------------------------------------------------------------------------------

def _verification_code() -> str:
    while True:
        code = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))
        if not WarningLetter.objects.filter(verification_code=code).exists():
            return code


def _signer(actor: User, institution: Institution, escalated: bool) -> tuple[str, str, str]:
    home = institution.parent if escalated and institution.parent_id else institution
    from django_scopes import scope

    with scope(institution=home):
        record = selectors.staff_record(actor, home)
    name = record.full_name if record else (actor.full_name or actor.email)
    position = record.position if record and record.position else _("Head")
    return name, f"{position}, {home.name}" if home.name not in position else position, record.nip if record else ""


def _letter_issue(*, actor: User, measure: Measure, day: datetime.date) -> WarningLetter:
    institution = measure.institution
    seq = next_sequence(institution, day.year)
    number = render_number(institution.letter_number_template, seq=seq, unit_code=institution.letter_unit_code, day=day)
    name, position, nip = _signer(actor, institution, measure.escalated)
    letter = WarningLetter.objects.create(
        institution=institution, measure=measure, year=day.year, seq=seq, number=number, issued_on=day,
        verification_code=_verification_code(), signed_by=actor, signer_name=name, signer_position=position,
        signer_nip=nip,
    )
    log_action(action="sanctions.letter.issued", institution=institution, actor=actor, target=letter,
               data={"measure": measure.pk, "number": number, "year": day.year, "seq": seq})
    return letter


@transaction.atomic
def letter_render_pdf(*, letter: WarningLetter) -> WarningLetter:
    """Render and keep the letter's PDF once; later calls return the stored file."""
    from .letters import render_letter_pdf

    letter = WarningLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.pdf:
        return letter
    pdf = render_letter_pdf(letter)
    import hashlib

    path = _store(f"letters/{letter.institution_id}/{letter.year}/{uuid.uuid4().hex}.pdf", pdf)
    letter.pdf, letter.pdf_sha256 = path, hashlib.sha256(pdf).hexdigest()
    letter.save(update_fields=["pdf", "pdf_sha256"])
    log_action(action="sanctions.letter.rendered", institution=letter.institution, actor=None, target=letter,
               data={"sha256": letter.pdf_sha256, "size": len(pdf)})
    return letter


# --- delivery and acknowledgement -------------------------------------------------------------

@transaction.atomic
def measure_record_delivery(*, actor: User, measure: Measure, method: str, delivered_on: datetime.date) -> Measure:
    institution = measure.institution
    _require(actor, institution, "sanctions.triage")
    measure = _lock_measure(measure)
    if measure.state not in (MeasureState.ACTIVE, MeasureState.EXPIRED):
        raise ValidationError(_("Only an approved measure can be delivered."), code="state")
    if measure.delivered_on:
        raise ValidationError(
            _("Delivery was already recorded on %(day)s.") % {"day": f"{measure.delivered_on:%d-%m-%Y}"}, code="delivered")
    if method not in DeliveryMethod.values or method == DeliveryMethod.PORTAL:
        raise ValidationError(_("Choose how it was delivered: in person, WhatsApp or e-mail."), code="method")
    if delivered_on > institution.local_today() or delivered_on < measure.active_from:
        raise ValidationError(_("The delivery date must be between the decision date and today."), code="date")
    measure.delivered_on, measure.delivery_method, measure.delivery_recorded_by = delivered_on, method, actor
    measure.save(update_fields=["delivered_on", "delivery_method", "delivery_recorded_by"])
    log_action(action="sanctions.measure.delivered", institution=institution, actor=actor, target=measure,
               data={"method": method, "delivered_on": delivered_on.isoformat(),
                     "objection_deadline": objection_deadline(measure).isoformat()})
    return measure


@transaction.atomic
def measure_acknowledge(*, actor: User, measure: Measure) -> Measure:
    """The person confirms they received it; if nobody recorded delivery, today counts as delivery."""
    institution = measure.institution
    measure = _lock_measure(measure)
    if not selectors.is_subject(actor, measure.report):
        raise PermissionDenied
    if measure.state not in (MeasureState.ACTIVE, MeasureState.EXPIRED):
        raise ValidationError(_("This measure is no longer in force."), code="state")
    if measure.acknowledged_at:
        return measure
    measure.acknowledged_at = timezone.now()
    fields = ["acknowledged_at"]
    if not measure.delivered_on:
        measure.delivered_on, measure.delivery_method = institution.local_today(), DeliveryMethod.PORTAL
        fields += ["delivered_on", "delivery_method"]
    measure.save(update_fields=fields)
    log_action(action="sanctions.measure.acknowledged", institution=institution, actor=actor, target=measure,
               data={"delivered_on": measure.delivered_on.isoformat(), "method": measure.delivery_method})
    return measure


def objection_deadline(measure: Measure) -> datetime.date | None:
    """The last day to object: 14 working days after delivery (None until it is delivered)."""
    if not measure.delivered_on:
        return None
    return add_working_days(measure.delivered_on, OBJECTION_WORKING_DAYS)


# --- removal from the group -------------------------------------------------------------------

def _removal_create(*, actor: User, measure: Measure, day: datetime.date) -> RemovalTask:
    report = measure.report
    membership = None
    if report.subject_staff_id:
        membership = GroupMembership.objects.filter(
            channel_id=report.channel_id, staff_id=report.subject_staff_id, until__isnull=True).first()
    task = RemovalTask.objects.create(
        institution=measure.institution, measure=measure, channel_id=report.channel_id, group_membership=membership,
        due_on=add_working_days(day, REMOVAL_WORKING_DAYS),
    )
    log_action(action="sanctions.removal.created", institution=measure.institution, actor=actor, target=task,
               data={"measure": measure.pk, "channel": report.channel_id, "membership": membership.pk if membership else None,
                     "due_on": task.due_on.isoformat()})
    return task


def _notify_removal_due(task: RemovalTask, *, first: bool) -> None:
    institution = task.institution
    admins = selectors.group_admin_users(task.channel)
    notices.send(
        recipients=admins or notices.humas(institution), institution=institution, kind="removal_due",
        title=gettext_lazy("A removal from a group is due") if first else gettext_lazy("A removal from a group is overdue"),
        body=notices.fmt(gettext_lazy("Remove the person named in task #%(pk)s from the group by %(due)s, "
                                      "then confirm it in Santun."), pk=task.pk, due=f"{task.due_on:%d-%m-%Y}"),
        url=notices.turl(institution, "removal_confirm", pk=task.pk),
    )


def may_confirm_removal(actor: User, task: RemovalTask) -> bool:
    return selectors.is_group_admin(actor, task.channel) or _has(actor, task.institution, "sanctions.triage")


@transaction.atomic
def removal_confirm(*, actor: User, task: RemovalTask, carried_out_on: datetime.date,
                    carried_out_by: StaffMember | None = None) -> RemovalTask:
    """A group admin confirms the removal was carried out; only then does the membership end."""
    institution = task.institution
    task = RemovalTask.objects.select_for_update(of=("self",)).select_related("measure", "channel").get(pk=task.pk)
    if not may_confirm_removal(actor, task):
        raise PermissionDenied
    if task.state != RemovalState.OPEN:
        raise ValidationError(
            _("This removal was already %(state)s.") % {"state": task.get_state_display().lower()}, code="state")
    if carried_out_on > institution.local_today() or carried_out_on < task.measure.active_from:
        raise ValidationError(_("The date must be between the decision date and today."), code="date")
    admin = carried_out_by
    if admin is None:
        own = selectors.admin_staff_of(task.channel, actor).first()
        admin = own.staff if own else None
    task.state, task.carried_out_on = RemovalState.DONE, carried_out_on
    task.confirmed_by, task.confirmed_at, task.carried_out_by = actor, timezone.now(), admin
    task.save(update_fields=["state", "carried_out_on", "confirmed_by", "confirmed_at", "carried_out_by"])
    log_action(action="sanctions.removal.confirmed", institution=institution, actor=actor, target=task,
               data={"carried_out_on": carried_out_on.isoformat(), "admin": admin.pk if admin else None,
                     "on_time": carried_out_on <= task.due_on})
    membership = task.group_membership
    if membership is None and task.measure.report.subject_staff_id:
        membership = GroupMembership.objects.filter(
            channel=task.channel, staff_id=task.measure.report.subject_staff_id, until__isnull=True).first()
    if membership is not None and membership.until is None:
        if task.group_membership_id is None:
            task.group_membership = membership
            task.save(update_fields=["group_membership"])
        membership.until, membership.removed_by = carried_out_on, actor
        membership.save(update_fields=["until", "removed_by"])
        log_action(action="sanctions.removal.membership_ended", institution=institution, actor=actor, target=membership,
                   data={"channel": task.channel_id, "staff": membership.staff_id, "removal": task.pk,
                         "until": carried_out_on.isoformat()})
    return task


# --- objections -------------------------------------------------------------------------------------

@transaction.atomic
def objection_file(*, actor: User, measure: Measure, text: str) -> Objection:
    """The person (or Humas for them) objects within 14 working days of delivery."""
    institution = measure.institution
    measure = _lock_measure(measure)
    own = selectors.is_subject(actor, measure.report)
    if not own and not _has(actor, institution, "sanctions.triage"):
        raise PermissionDenied
    if measure.state != MeasureState.ACTIVE:
        raise ValidationError(_("An objection can only be filed against a measure in force."), code="state")
    if Objection.objects.filter(measure=measure).exists():
        raise ValidationError(_("An objection to this measure was already filed. Open it to follow the decision."),
                              code="duplicate")
    deadline = objection_deadline(measure)
    if deadline and institution.local_today() > deadline:
        raise ValidationError(
            _("The time to object ended on %(day)s (14 working days after delivery). The measure stays in force "
              "until %(until)s.") % {"day": f"{deadline:%d-%m-%Y}", "until": f"{measure.active_until:%d-%m-%Y}"},
            code="late")
    text = _text(text, _("Write the grounds of your objection."))
    # The head reconsiders a measure without a letter; a letter the head signed goes to the parent's head,
    # as does any case about the head.
    escalated = measure.escalated or (measure.produces_letter and selectors.is_head(measure.decided_by, institution))
    objection = Objection.objects.create(
        institution=institution, measure=measure, filed_by=actor, filed_at=timezone.now(), text=text,
        deadline=deadline, escalated=escalated,
    )
    log_action(action="sanctions.objection.filed", institution=institution, actor=actor, target=objection,
               data={"measure": measure.pk, "by_person": own, "escalated": escalated,
                     "deadline": deadline.isoformat() if deadline else None})
    name = "objection_decide_escalated" if escalated else "objection_decide"
    notices.send(
        recipients=_decider_for(institution, escalated=escalated) + notices.humas(institution),
        institution=institution, kind="objection_filed", title=gettext_lazy("An objection was filed"),
        body=notices.fmt(gettext_lazy("An objection to %(level)s (report #%(pk)s) awaits a decision."),
                         level=measure.level_code, pk=measure.report_id),
        url=notices.turl(institution, name, pk=objection.pk),
    )
    return objection


@transaction.atomic
def objection_decide(*, actor: User, objection: Objection, upheld: bool, reason: str, as_parent: bool = False) -> Objection:
    """Upheld: the measure and its letter are voided (the verification page says so); an open removal is cancelled."""
    institution = objection.institution
    objection = Objection.objects.select_for_update(of=("self",)).select_related("measure", "measure__report").get(pk=objection.pk)
    if objection.state != ObjectionState.FILED:
        raise ValidationError(_("This objection was already decided; nothing was changed."), code="decided")
    measure = _lock_measure(objection.measure)
    _check_decider(actor=actor, institution=institution, escalated=objection.escalated, as_parent=as_parent,
                   report=measure.report)
    objection.decision_reason = _text(reason, _("Write the reason for your decision."))
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
    objection.decided_by, objection.decided_at = actor, timezone.now()
    objection.save(update_fields=["state", "decision_reason", "decided_by", "decided_at"])
    log_action(action=f"sanctions.objection.{objection.state}", institution=institution, actor=actor, target=objection,
               data={"measure": measure.pk, "state": objection.state})
    if upheld:
        measure.state, measure.ended_at = MeasureState.VOIDED, objection.decided_at
        measure.save(update_fields=["state", "ended_at"])
        log_action(action="sanctions.measure.voided", institution=institution, actor=actor, target=measure,
                   data={"objection": objection.pk, "state": measure.state})
        letter = WarningLetter.objects.filter(measure=measure).first()
        if letter is not None:
            letter.voided_at = objection.decided_at
            letter.save(update_fields=["voided_at"])
            log_action(action="sanctions.letter.voided", institution=institution, actor=actor, target=letter,
                       data={"number": letter.number, "objection": objection.pk})
        task = RemovalTask.objects.filter(measure=measure, state=RemovalState.OPEN).first()
        if task is not None:
            task.state = RemovalState.CANCELLED
            task.save(update_fields=["state"])
            log_action(action="sanctions.removal.cancelled", institution=institution, actor=actor, target=task,
                       data={"objection": objection.pk})
    person = selectors.subject_user(measure.report)
    notices.send(
        recipients=[u for u in [person, *notices.humas(institution)] if u is not None],
        institution=institution, kind="objection_decided", title=gettext_lazy("An objection was decided"),
        body=notices.fmt(
            gettext_lazy("The objection to %(level)s was upheld: the measure and its letter are void.") if upheld
            else gettext_lazy("The objection to %(level)s was rejected: the measure stays in force."),
            level=measure.level_code),
        url=notices.turl(institution, "report_detail", pk=measure.report_id),
    )
    return objection


# --- expiry and reminders ---------------------------------------------------------------------

def measures_expire_due(*, institution: Institution, today: datetime.date | None = None) -> int:
    """Active measures whose window has ended become expired (the ladder then ignores them)."""
    today = today or institution.local_today()
    count = 0
    for measure_id in list(Measure.objects.filter(
            institution=institution, state=MeasureState.ACTIVE, active_until__lt=today).values_list("pk", flat=True)):
        with transaction.atomic():
            measure = Measure.objects.select_for_update().get(pk=measure_id)
            if measure.state != MeasureState.ACTIVE:
                continue
            measure.state, measure.ended_at = MeasureState.EXPIRED, timezone.now()
            measure.save(update_fields=["state", "ended_at"])
            log_action(action="sanctions.measure.expired", institution=institution, actor=None, target=measure,
                       data={"state": measure.state, "active_until": measure.active_until.isoformat()})
            count += 1
    return count


REMIND_AFTER_WORKING_DAYS = 3
ESCALATE_AFTER_WORKING_DAYS = 7


def decisions_remind(*, institution: Institution, today: datetime.date | None = None) -> dict:
    """Daily: decisions waiting more than 3 working days remind their decider; after 7 the parent's
    head hears too. Returns {"reminded": n, "escalated": n}."""
    from .workdays import working_days_between

    today = today or institution.local_today()
    stats = {"reminded": 0, "escalated": 0}
    with transaction.atomic():
        for escalated in (False, True):
            measures, objections = selectors.decisions_waiting(institution, escalated=escalated)
            items = [(m.proposed_at, "measure_decide_escalated" if escalated else "measure_decide", m.pk) for m in measures]
            items += [(o.filed_at, "objection_decide_escalated" if escalated else "objection_decide", o.pk) for o in objections]
            for since, name, pk in items:
                waited = working_days_between(_local_date(institution, since), today)
                if waited <= REMIND_AFTER_WORKING_DAYS:
                    continue
                recipients = list(_decider_for(institution, escalated=escalated))
                if waited > ESCALATE_AFTER_WORKING_DAYS and not escalated:
                    recipients += notices.parent_heads(institution)
                    stats["escalated"] += 1
                notices.send(
                    recipients=recipients, institution=institution, kind="decision_reminder",
                    title=notices.fmt(gettext_lazy("A decision has been waiting for %(days)d working days"), days=waited),
                    body=gettext_lazy("Please decide it, or ask Humas to withdraw it."),
                    url=notices.turl(institution, name, pk=pk),
                )
                stats["reminded"] += 1
    return stats


def removals_remind(*, institution: Institution, today: datetime.date | None = None) -> int:
    """Daily: open removal tasks past their due date remind the group's admins (once a day)."""
    today = today or institution.local_today()
    count = 0
    for task in RemovalTask.objects.filter(institution=institution, state=RemovalState.OPEN, due_on__lt=today).select_related("channel"):
        if task.last_reminded_on == today:
            continue
        with transaction.atomic():
            task.last_reminded_on = today
            task.save(update_fields=["last_reminded_on"])
            log_action(action="sanctions.removal.reminded", institution=institution, actor=None, target=task,
                       data={"due_on": task.due_on.isoformat()})
            _notify_removal_due(task, first=False)
        count += 1
    return count


# --- referrals to the formal process --------------------------------------------------------

@transaction.atomic
def referral_create(*, actor: User, report: ViolationReport, track: str, referred_to: str,
                    referred_on: datetime.date, due_on: datetime.date | None = None, note: str = "") -> Referral:
    """Record that the case went to the formal discipline or ethics process. The portal does not
    decide it and never calls a group measure a PP 94/2021 sanction."""
    institution = report.institution
    _require(actor, institution, "sanctions.triage", "sanctions.decide")
    report = _lock_report(report)
    _not_the_subject(actor, report)
    if report.state != ReportState.CONFIRMED:
        raise ValidationError(_("Confirm the report before referring it."), code="state")
    if track not in ReferralTrack.values:
        raise ValidationError(_("Choose the process the case is referred to."), code="track")
    if referred_on > institution.local_today():
        raise ValidationError(_("The referral date cannot be in the future."), code="date")
    if due_on and due_on < referred_on:
        raise ValidationError(_("The expected outcome date must be after the referral date."), code="due")
    referral = Referral.objects.create(
        institution=institution, report=report, track=track,
        referred_to=_text(referred_to, _("Say to whom the case was referred.")), referred_on=referred_on,
        due_on=due_on, note=(note or "").strip(), created_by=actor,
    )
    log_action(action="sanctions.referral.created", institution=institution, actor=actor, target=referral,
               data={"report": report.pk, "track": track, "referred_on": referred_on.isoformat(),
                     "due_on": due_on.isoformat() if due_on else None})
    return referral


@transaction.atomic
def referral_record_outcome(*, actor: User, referral: Referral, outcome: str, outcome_on: datetime.date) -> Referral:
    institution = referral.institution
    _require(actor, institution, "sanctions.triage", "sanctions.decide")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.state != ReferralState.REFERRED:
        raise ValidationError(_("The outcome of this referral was already recorded."), code="state")
    if outcome_on > institution.local_today() or outcome_on < referral.referred_on:
        raise ValidationError(_("The outcome date must be between the referral date and today."), code="date")
    referral.outcome = _text(outcome, _("Write the outcome as the competent official decided it."))
    referral.outcome_on, referral.outcome_recorded_by, referral.state = outcome_on, actor, ReferralState.CLOSED
    referral.save(update_fields=["outcome", "outcome_on", "outcome_recorded_by", "state"])
    log_action(action="sanctions.referral.outcome_recorded", institution=institution, actor=actor, target=referral,
               data={"outcome_on": outcome_on.isoformat(), "state": referral.state})
    return referral


def site_url(path: str) -> str:
    return f"{settings.SANTUN_SITE_URL.rstrip('/')}{path}"
