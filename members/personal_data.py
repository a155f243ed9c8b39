"""What members holds about a person, for their "my data" page (registered in apps.py)."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.personal_data import PersonalDataSection, register_personal_data

from .models import Acknowledgement, GroupMembership, StaffMember


def staff_records(user) -> list[dict]:
    return [{
        _("Institution"): staff.institution.name,
        _("Name with titles"): staff.full_name,
        _("NIP"): staff.nip or "—",
        _("Employment status"): staff.get_status_display(),
        _("Position"): staff.position or "—",
        _("Unit"): staff.unit or "—",
        capfirst(_("WhatsApp number")): staff.phone or "—",  # the model field's name, lower case
        _("E-mail"): staff.email or "—",
        _("Birth date"): staff.birth_date or "—",
        _("Sex"): staff.get_sex_display() or "—",
        _("Joined"): staff.joined_on,
        _("Left"): staff.left_on or "—",
    } for staff in StaffMember.objects.filter(user=user).select_related("institution").order_by("joined_on", "pk")]


def group_memberships(user) -> list[dict]:
    return [{
        _("Group"): membership.channel.name,
        _("Institution"): membership.channel.institution.name,
        _("Role in group"): membership.get_role_display(),
        _("Since"): membership.since,
        _("Until"): membership.until or "—",
    } for membership in GroupMembership.objects.filter(staff__user=user)
        .select_related("channel", "channel__institution").order_by("since", "pk")]


def acknowledgements(user) -> list[dict]:
    return [{
        _("Institution"): ack.staff.institution.name,
        _("Code of conduct"): str(ack.version),
        _("Acknowledged at"): ack.acknowledged_at.date(),
        _("Method"): ack.get_method_display(),
    } for ack in Acknowledgement.objects.filter(staff__user=user)
        .select_related("staff__institution", "version").order_by("acknowledged_at")]


def correction_context(request) -> dict:
    """The records the person may ask to correct: those at institutions where they still have a role."""
    from governance.models import Membership

    from .models import StaffCorrection

    user = request.user
    current = set(Membership.objects.active().filter(user=user).values_list("institution_id", flat=True))
    records = [staff for staff in StaffMember.objects.filter(user=user, institution_id__in=current,
                                                             left_on__isnull=True).select_related("institution")]
    pending = list(StaffCorrection.objects.filter(requested_by=user, resolved_at__isnull=True)
                   .select_related("institution"))
    return {"records": records, "pending": pending} if records or pending else {}


def register() -> None:
    register_personal_data(PersonalDataSection("staff", gettext_lazy("Staff records"), staff_records, order=30,
                                               form_template="members/partials/correction_form.html",
                                               form_context=correction_context))
    register_personal_data(PersonalDataSection("groups", gettext_lazy("Group memberships"), group_memberships, order=40))
    register_personal_data(PersonalDataSection("acknowledgements", gettext_lazy("Acknowledgements of codes of conduct"),
                                               acknowledgements, order=50))
