"""Removal from a group (the last rung of the ladder): the task, its confirmation by a group admin,
which ends the membership, and the daily reminder when it is overdue."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Institution, User
from members.models import GroupMembership, StaffMember

from .. import notifications as notices
from .. import rules, selectors
from ..models import Measure, RemovalState, RemovalTask
from ..rules import may_confirm_removal  # noqa: F401  (part of the services' API)
from ..workdays import add_working_days


def _removal_create(*, actor: User, measure: Measure, day: datetime.date) -> RemovalTask:
    report = measure.report
    membership = None
    if report.subject_staff_id:
        membership = GroupMembership.objects.filter(
            channel_id=report.channel_id, staff_id=report.subject_staff_id, until__isnull=True).first()
    task = RemovalTask.objects.create(
        institution=measure.institution, measure=measure, channel_id=report.channel_id, group_membership=membership,
        due_on=add_working_days(day, selectors.removal_working_days(measure.institution)),
    )
    log_action(action="sanctions.removal.created", institution=measure.institution, actor=actor, target=task,
               data={"measure": measure.pk, "channel": report.channel_id, "membership": membership.pk if membership else None,
                     "due_on": task.due_on.isoformat()})
    return task


def _notify_removal_due(task: RemovalTask, *, first: bool) -> None:
    institution = task.institution
    report = task.measure.report
    admins = notices.not_the_subject(selectors.group_admin_users(task.channel), report)
    notices.send(
        recipients=admins or notices.not_the_subject(notices.humas(institution), report), institution=institution, kind="removal_due",
        title=gettext_lazy("A removal from a group is due") if first else gettext_lazy("A removal from a group is overdue"),
        body=notices.lazy_format(gettext_lazy("Remove the person named in task #%(pk)s from the group by %(due)s, "
                                              "then confirm it in Santun."), pk=task.pk, due=f"{task.due_on:%d-%m-%Y}"),
        url=notices.page_url(institution, "removal_confirm", pk=task.pk),
    )


@transaction.atomic
def removal_confirm(*, actor: User, task: RemovalTask, carried_out_on: datetime.date,
                    carried_out_by: StaffMember | None = None) -> RemovalTask:
    """A group admin confirms the removal was carried out; only then does the membership end."""
    institution = task.institution
    task = RemovalTask.objects.select_for_update(of=("self",)).select_related("measure", "channel").get(pk=task.pk)
    rules.check_confirm_removal(actor, task)
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
