"""Stale invitations (never accepted, expired or withdrawn) leave with the e-mail address they hold,
through the one retention run; accepted ones and recent ones stay."""

from __future__ import annotations

import datetime

from django.utils import timezone

from governance.models import AuditEntry
from governance.retention import apply_retention
from governance.tenancy import institution_scope
from members.models import Invitation
from members.tests.factories import InvitationFactory


def test_stale_invitations_go_and_the_run_counts_them(side_a, unscoped, settings):
    inst = side_a.institution
    now, days = timezone.now(), datetime.timedelta(days=1)
    expired_long_ago = InvitationFactory(institution=inst, staff__institution=inst, expires_at=now - 100 * days)
    withdrawn_long_ago = InvitationFactory(institution=inst, staff__institution=inst, revoked_at=now - 91 * days)
    expired_lately = InvitationFactory(institution=inst, staff__institution=inst, expires_at=now - 10 * days)
    accepted = InvitationFactory(institution=inst, staff__institution=inst, expires_at=now - 400 * days,
                                 accepted_at=now - 401 * days)
    pending = InvitationFactory(institution=inst, staff__institution=inst)

    with institution_scope(inst):
        dry = apply_retention(inst, dry_run=True)
    assert dry["members.invitations"].counts == {"invitations": 2} and Invitation.objects.count() == 5

    with institution_scope(inst):
        apply_retention(inst)
    left = set(Invitation.objects.values_list("pk", flat=True))
    assert left == {expired_lately.pk, accepted.pk, pending.pk}
    assert expired_long_ago.pk not in left and withdrawn_long_ago.pk not in left
    entry = AuditEntry.objects.filter(action="governance.retention.applied", institution=inst).latest("seq")
    assert entry.data == {"deleted": {"members.invitations.invitations": 2}}  # counts only, no address

    settings.SANTUN_RETENTION_INVITATION_DAYS = 5
    with institution_scope(inst):
        apply_retention(inst)
    assert set(Invitation.objects.values_list("pk", flat=True)) == {accepted.pk, pending.pk}


def test_one_beat_entry_runs_every_retention_sweep():
    """Chat text, import previews, invitations, closed cases and exports all go in the one nightly run
    (and its dry run), not in beat entries of their own."""
    from config.celery_app import collect_beat_schedule
    from governance.retention import registered_sweeps

    tasks = [entry["task"] for entry in collect_beat_schedule().values()]
    assert tasks.count("governance.tasks.apply_retention_everywhere") == 1
    assert not [task for task in tasks if "chat" in task or "import" in task or "invitation" in task]
    assert {"triage.chat", "members.imports", "members.invitations", "sanctions.cases", "reports.exports"} <= {
        sweep.key for sweep in registered_sweeps()}
