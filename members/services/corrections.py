"""Requests to correct one's own staff record: filed from "my data", resolved by the operator."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import services as governance_services
from governance.audit import log_action
from governance.models import Role, User
from governance.selectors import active_members

from ..models import StaffCorrection, StaffMember


def staff_correction_request(*, user: User, staff: StaffMember, message: str) -> StaffCorrection:
    """The person asks the operator of the record's institution to correct it."""
    if staff.user_id != user.pk:
        raise PermissionDenied(_("You can only ask to correct your own staff record."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what is wrong and what it should say.")})
    if len(message) > 2000:
        raise ValidationError({"message": _("Keep it under 2,000 characters.")})
    with transaction.atomic():
        correction = StaffCorrection.objects.create(
            institution=staff.institution, staff=staff, requested_by=user, message=message)
        log_action(action="members.staff.correction_requested", institution=staff.institution, actor=user,
                   target=correction, data={"staff": staff.pk})
        governance_services.notify(
            recipients=active_members(staff.institution, roles=[Role.OPERATOR]), institution=staff.institution,
            kind="members.correction", title=gettext_lazy("A staff member asks for a correction of their record"),
            url=reverse("members:corrections", kwargs={"institution": staff.institution.slug}),
        )
    return correction


def staff_correction_resolve(*, actor: User, correction: StaffCorrection, resolution: str) -> StaffCorrection:
    if correction.resolved_at:
        raise ValidationError(_("This request has already been dealt with."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Say what was done (for example: NIP corrected).")})
    with transaction.atomic():
        correction.resolved_at, correction.resolved_by = timezone.now(), actor
        correction.resolution = resolution[:500]
        correction.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        log_action(action="members.staff.correction_resolved", institution=correction.institution, actor=actor,
                   target=correction, data={"staff": correction.staff_id})
        governance_services.notify(
            recipients=[correction.requested_by], institution=correction.institution, kind="members.correction_done",
            title=gettext_lazy("Your request to correct your staff record was dealt with"),
            url=reverse("governance:my_data", kwargs={"institution": correction.institution.slug}),
        )
    return correction


def open_corrections(institution):
    return (StaffCorrection.objects.filter(institution=institution)
            .select_related("staff", "requested_by", "resolved_by").order_by("resolved_at", "-created_at"))
