"""People: the staff directory, their membership of groups, and their acknowledgements of codes."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models import Channel, CodeVersion, Institution, Role
from governance.scoping import scoped_manager

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

    class LeaveReason(models.TextChoices):
        MOVED = "moved", _("Moved to another institution")
        RETIRED = "retired", _("Retired")
        RESIGNED = "resigned", _("Resigned or contract ended")
        DECEASED = "deceased", _("Deceased")
        OTHER = "other", _("Other")

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
    joined_on = models.DateField(pgettext_lazy("staff record", "joined"), default=timezone.localdate)
    left_on = models.DateField(_("left"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=10, choices=LeaveReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

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
        self.derive_from_nip()
        super().save(*args, **kwargs)

    def derive_from_nip(self) -> None:
        """Birth date and sex are read from the NIP, never typed twice (the one place that does it;
        imports call it before their bulk writes, which bypass ``save``)."""
        if self.nip:
            parts = parse_nip(self.nip)
            self.birth_date, self.sex = parts.birth_date, parts.sex
        else:
            self.birth_date, self.sex = None, ""

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

    objects = scoped_manager(institution="channel__institution")

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

    objects = scoped_manager(institution="staff__institution")

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["staff", "version"], name="one_acknowledgement_per_version")]

    def __str__(self):
        return f"{self.staff} · {self.version}"


class AcknowledgementReminder(models.Model):
    """How often a staff member was reminded, automatically, to acknowledge one code version: weekly
    until they acknowledge it, at most ``MAX_SENT`` times."""

    MAX_SENT = 4
    INTERVAL_DAYS = 7

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="acknowledgement_reminders")
    version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="+")
    sent_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_sent_at = models.DateTimeField(_("last reminder sent at"), null=True, blank=True)

    objects = scoped_manager(institution="staff__institution")

    class Meta:
        verbose_name = _("acknowledgement reminder")
        verbose_name_plural = _("acknowledgement reminders")
        constraints = [models.UniqueConstraint(fields=["staff", "version"], name="one_reminder_count_per_version")]

    def __str__(self):
        return f"{self.staff} · {self.version} · {self.sent_count}"


def _invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=Invitation.VALID_DAYS)


class Invitation(models.Model):
    """An e-mailed, one-time link with which a staff member sets a password and receives a role.

    Only a hash of the token is stored; the link itself exists only in the e-mail."""

    VALID_DAYS = 7

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.staff} · {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state_label(self) -> str:
        if self.accepted_at:
            return _("accepted")
        if self.revoked_at:
            return _("withdrawn")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("waiting")


def _import_upload_path(instance, filename) -> str:
    # No person's data and no user-chosen name in the stored path.
    extension = "xlsx" if filename.lower().endswith(".xlsx") else "dat"
    return f"imports/{instance.institution_id}/{uuid.uuid4().hex}.{extension}"


class ImportJob(models.Model):
    """One spreadsheet import: uploaded, previewed, then confirmed (or cancelled).

    The file is kept in private storage only between preview and confirm."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff list")
        GROUPS = "groups", _("Group memberships")

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking")
        REFUSED = "refused", _("Refused")
        READY = "ready", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.CHECKING)
    file = models.FileField(upload_to=_import_upload_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # File-level refusal (wrong type, missing column...), shown as one message.
    problem = models.TextField(blank=True)
    # Per row: [row number, status, label, details]; cleared after import.
    rows = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def error_count(self) -> int:
        return int(self.counts.get("error", 0))

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)

    @property
    def is_importing(self) -> bool:
        return self.state == self.State.IMPORTING

    @property
    def is_refused(self) -> bool:
        return self.state == self.State.REFUSED

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED


class StaffCorrection(models.Model):
    """A person's request to correct their own staff record ("this is wrong"), a task for the operator."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="corrections")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("what is wrong"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    resolution = models.CharField(_("what was done"), max_length=500, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("staff record correction")
        verbose_name_plural = _("staff record corrections")
        ordering = ["resolved_at", "-created_at"]

    def __str__(self):
        return f"{self.staff} · {self.created_at:%Y-%m-%d}"
