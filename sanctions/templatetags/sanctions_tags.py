"""Labels and badges for the sanctions pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "sanctions.report.submitted": _("Report filed"),
    "sanctions.evidence.added": _("Evidence attached"),
    "sanctions.report.review_started": _("Review started"),
    "sanctions.report.assigned": _("Case assigned"),
    "sanctions.report.note_added": _("Internal note added"),
    "sanctions.report.confirmed": _("Report confirmed as a violation"),
    "sanctions.report.dismissed": _("Report dismissed"),
    "sanctions.measure.proposed": _("Measure proposed"),
    "sanctions.measure.withdrawn": _("Proposal withdrawn"),
    "sanctions.measure.approved": _("Measure approved"),
    "sanctions.measure.rejected": _("Measure rejected"),
    "sanctions.measure.delivered": _("Delivery recorded"),
    "sanctions.measure.acknowledged": _("Receipt acknowledged by the person"),
    "sanctions.measure.expired": _("Measure expired"),
    "sanctions.measure.voided": _("Measure voided"),
    "sanctions.letter.issued": _("Warning letter numbered"),
    "sanctions.letter.rendered": _("Letter PDF produced"),
    "sanctions.letter.voided": _("Letter voided"),
    "sanctions.removal.created": _("Removal task created for the group admins"),
    "sanctions.removal.reminded": _("Overdue removal reminded"),
    "sanctions.removal.confirmed": _("Removal confirmed by a group admin"),
    "sanctions.removal.cancelled": _("Removal cancelled"),
    "sanctions.removal.membership_ended": _("Group membership ended"),
    "sanctions.objection.filed": _("Objection filed"),
    "sanctions.objection.upheld": _("Objection upheld"),
    "sanctions.objection.rejected": _("Objection rejected"),
    "sanctions.explanation.invited": _("Person reported invited to explain"),
    "sanctions.explanation.given": _("Explanation given by the person reported"),
    "sanctions.explanation.recorded": _("Explanation recorded by public relations"),
    "sanctions.explanation.skipped": _("Hearing skipped, with a reason"),
    "sanctions.appeal.filed": _("Appeal filed"),
    "sanctions.appeal.upheld": _("Appeal upheld"),
    "sanctions.appeal.rejected": _("Appeal rejected"),
    "sanctions.referral.created": _("Referred to the formal process"),
    "sanctions.referral.outcome_recorded": _("Outcome of the referral recorded"),
    "sanctions.referral.reminded": _("Overdue referral reminded"),
}

BADGES = {
    "submitted": "text-bg-warning", "in_review": "text-bg-info", "confirmed": "text-bg-danger",
    "dismissed": "text-bg-secondary", "proposed": "text-bg-warning", "withdrawn": "text-bg-secondary",
    "rejected": "text-bg-secondary", "active": "text-bg-danger", "expired": "text-bg-light border",
    "voided": "text-bg-dark", "open": "text-bg-warning", "done": "text-bg-success", "cancelled": "text-bg-secondary",
    "filed": "text-bg-warning", "upheld": "text-bg-success", "referred": "text-bg-info", "closed": "text-bg-success",
}


@register.filter
def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


@register.filter
def badge(state: str) -> str:
    return BADGES.get(state, "text-bg-secondary")


@register.filter
def of(mapping: dict, key):
    """{{ waiting|of:measure.pk }}: the value for ``key``, or nothing."""
    return (mapping or {}).get(key, "")
