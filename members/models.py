"""People: the staff directory, their membership of groups, and their acknowledgements of codes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from governance.models import Channel, CodeVersion, Institution

from .validators import parse_nip, validate_nip


class StaffMember(models.Model):
    """A person on an institution's staff list. Moving to another institution ends this record
    (``left_on``) and starts one there, so each institution keeps its own history."""

    class Status(models.TextChoices):
        PNS = "pns", _("Civil servant (PNS)")
        CPNS = "cpns", _("Candidate civil servant (CPNS)")
        PPPK = "pppk", _("Contract civil servant (PPPK)")
        HONORER = "honorer", _("Non-permanent staff (honorer)")

    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="staff")
    full_name = models.CharField(_("name with titles"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[validate_nip])
    status = models.CharField(_("employment status"), max_length=10, choices=Status.choices, default=Status.PNS)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    phone = models.CharField(_("WhatsApp number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="staff_records", verbose_name=_("user account"),
    )
    joined_on = models.DateField(_("joined"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(institution="institution")

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["full_name"]
        constraints = [
            # One current record per NIP in the whole platform: a NIP is one person.
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip="") & Q(left_on__isnull=True), name="one_current_record_per_nip"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "full_name"]),
            models.Index(fields=["phone"]),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # Birth date and sex are read from the NIP, never typed twice.
        if self.nip:
            parts = parse_nip(self.nip)
            self.birth_date, self.sex = parts.birth_date, parts.sex
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class GroupMembership(models.Model):
    """Who is in which group, as member or admin, since when; ended, never deleted."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Admin")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="memberships")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="group_memberships")
    role = models.CharField(_("role in group"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(institution="channel__institution")

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["channel_id", "-role", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "staff"], condition=Q(until__isnull=True), name="one_open_group_membership"
            )
        ]

    def __str__(self):
        return f"{self.staff} · {self.channel}"


class Acknowledgement(models.Model):
    """A staff member's acknowledgement of one published code version (online or on paper)."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="acknowledgements")
    version = models.ForeignKey(CodeVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.ONLINE)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(institution="staff__institution")

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["staff", "version"], name="one_acknowledgement_per_version")]

    def __str__(self):
        return f"{self.staff} · {self.version}"
