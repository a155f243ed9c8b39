"""Reads of the governance app."""

from __future__ import annotations

import datetime

from .models import AuditEntry, ElectionPeriod, Institution, Notification, User


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User):
    return Notification.objects.filter(recipient=user).order_by("-created_at")


def active_election_periods(institution: Institution, day: datetime.date | None = None) -> list[ElectionPeriod]:
    """Election periods running (campaign start to voting day) in the institution's region."""
    day = day or institution.local_today()
    candidates = ElectionPeriod.objects.filter(campaign_starts_on__lte=day, voting_day__gte=day)
    return [period for period in candidates if period.covers(institution)]


def audit_entries(institution: Institution, *, target=None):
    qs = AuditEntry.objects.select_related("actor").order_by("-seq")
    if target is not None:
        qs = qs.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return qs
