"""Acknowledgements of a code of conduct: recorded, requested from every staff member with an
account when a version is published, and reminded. The tasks that send the notices sit here."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import CodeVersion, Institution, User
from governance.services import notify
from governance.tenancy import TenantTask

from .. import rules, selectors
from ..models import Acknowledgement, AcknowledgementReminder, StaffMember


@transaction.atomic
def acknowledgement_record(
    *, actor: User | None, staff: StaffMember, version: CodeVersion, method: str = Acknowledgement.Method.ONLINE,
) -> Acknowledgement:
    """A staff member acknowledges a published version, online (themselves) or on paper
    (recorded by Humas). Acknowledging twice changes nothing."""
    rules.check_acknowledgeable(version, staff)
    if method == Acknowledgement.Method.ONLINE and (actor is None or staff.user_id != actor.pk):
        raise PermissionDenied
    if method not in Acknowledgement.Method.values:
        raise ValidationError(_("Unknown method."))
    existing = Acknowledgement.objects.filter(staff=staff, version=version).first()
    if existing:
        return existing
    acknowledgement = Acknowledgement.objects.create(
        staff=staff, version=version, method=method, recorded_by=actor if method == Acknowledgement.Method.PAPER else None,
    )
    log_action(action="members.acknowledgement.recorded", institution=staff.institution, actor=actor,
               target=acknowledgement, data={"staff": staff.pk, "version": version.pk, "method": method})
    return acknowledgement


def acknowledgement_request(*, version: CodeVersion, actor: User | None = None) -> None:
    """A new version was published: ask every staff member with an account to acknowledge it.
    The notices go out from a task after the publishing transaction commits."""
    request_acknowledgements.delay_on_commit(institution_id=version.institution_id, version_id=version.pk)


REMINDER_PAUSE = datetime.timedelta(hours=1)


@transaction.atomic
def acknowledgement_remind(*, actor: User | None, version: CodeVersion) -> int:
    """Remind, by e-mail and in the app, those with an account who have not acknowledged yet.
    Returns how many will be reminded. At most one reminder per version an hour."""
    from governance.models import AuditEntry

    rules.check_remind(version)
    recent = AuditEntry.objects.filter(
        institution_id=version.institution_id, action="members.acknowledgement.reminded",
        target_type=version._meta.label_lower, target_id=str(version.pk),
        created_at__gte=timezone.now() - REMINDER_PAUSE).exists()
    if recent:
        raise ValidationError(_("A reminder for this version went out less than an hour ago. Try again later."))
    pending = selectors.pending_staff_with_accounts(version)
    log_action(action="members.acknowledgement.reminded", institution=version.institution, actor=actor,
               target=version, data={"version": version.pk, "pending": len(pending)})
    if pending:
        send_acknowledgement_reminders.delay_on_commit(institution_id=version.institution_id, version_id=version.pk)
    return len(pending)


def _acknowledge_url(institution: Institution) -> str:
    return reverse("members:acknowledge", kwargs={"institution": institution.slug})


def acknowledgement_notices_send(*, institution: Institution, version: CodeVersion, reminder: bool,
                                 staff: list[StaffMember] | None = None) -> int:
    """Tell each staff member with an account who has not acknowledged ``version`` yet to read it
    (only those of ``staff`` when given)."""
    pending = selectors.pending_staff_with_accounts(version) if staff is None else staff
    recipients = [member.user for member in pending]
    if reminder:
        notify(recipients=recipients, institution=institution, kind="members.acknowledgement_reminder",
               title=gettext_lazy("Reminder: please acknowledge the code of conduct"),
               body=gettext_lazy("You have not yet confirmed that you have read the current code of conduct."),
               url=_acknowledge_url(institution))
    else:
        notify(recipients=recipients, institution=institution, kind="members.acknowledgement_requested",
               title=gettext_lazy("A new code of conduct has been published"),
               body=gettext_lazy("Please read the code of conduct and confirm that you have read it."),
               url=_acknowledge_url(institution))
    return len(recipients)


@shared_task(base=TenantTask, bind=True, name="members.tasks.request_acknowledgements")
def request_acknowledgements(self, institution: Institution, version_id: int) -> int:
    """A new code version was published: ask each staff member with an account to acknowledge it."""
    return acknowledgement_notices_send(institution=institution, version=CodeVersion.objects.get(pk=version_id),
                                        reminder=False)


@shared_task(base=TenantTask, bind=True, name="members.tasks.send_acknowledgement_reminders")
def send_acknowledgement_reminders(self, institution: Institution, version_id: int) -> int:
    """Remind only those with an account who have not acknowledged ``version`` yet."""
    return acknowledgement_notices_send(institution=institution, version=CodeVersion.objects.get(pk=version_id),
                                        reminder=True)


@transaction.atomic
def acknowledgement_reminders_send_due(*, institution: Institution, now: datetime.datetime | None = None) -> int:
    """Daily: remind each staff member with an account who has still not acknowledged the code in
    force, a week after it was published and then weekly, at most four times per person and version.
    Returns how many were reminded now."""
    now = now or timezone.now()
    version = selectors.current_code_version(institution)
    interval = datetime.timedelta(days=AcknowledgementReminder.INTERVAL_DAYS)
    if version is None or version.published_at is None or version.published_at > now - interval:
        return 0
    pending = selectors.pending_staff_with_accounts(version)
    counts = {r.staff_id: r for r in AcknowledgementReminder.objects.select_for_update()
              .filter(version=version, staff__in=pending)}
    due = []
    for member in pending:
        record = counts.get(member.pk)
        if record is None:
            record = AcknowledgementReminder(staff=member, version=version)
        elif record.sent_count >= AcknowledgementReminder.MAX_SENT or (
                record.last_sent_at is not None and record.last_sent_at > now - interval):
            continue
        record.sent_count += 1
        record.last_sent_at = now
        record.save()
        due.append(member)
    if due:
        log_action(action="members.acknowledgement.reminded", institution=institution, actor=None, target=version,
                   data={"version": version.pk, "pending": len(due), "automatic": True})
        acknowledgement_notices_send(institution=institution, version=version, reminder=True, staff=due)
    return len(due)
