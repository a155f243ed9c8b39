"""Violation reports, the sanction ladder, letters, removals, objections and referrals.

Two tracks live here and are never mixed:

1. *Group measures* (``Measure``): the institution's own rules for its groups and accounts,
   run end to end by the portal on a per-institution ladder (seed 000: SP1 → SP2 → removal).
2. *Referrals* (``Referral``): a case handed to the formal ASN discipline or ethics process
   (PP 94/2021, the 2022 joint decree on neutrality, a code-of-ethics council). The portal only
   records who it went to, when, the deadline and the outcome.

State changes happen only in ``sanctions.services``; models hold no business rules.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import Channel, Institution, Rule
from governance.scoping import scoped_manager
from members.models import GroupMembership, StaffMember


class Ladder(models.Model):
    """An institution's ladder of group measures. One is current; older ones stay for history."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="sanction_ladders")
    name = models.CharField(_("name"), max_length=120)
    is_current = models.BooleanField(default=True)
    # Every change makes a new version; measures keep pointing at the version they were decided under.
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Referral only (seed 003, Pemasyarakatan): a confirmed case goes to the formal process named
    # here instead of up the group ladder, with an outcome due after this many working days.
    referral_only = models.BooleanField(_("referral only"), default=False)
    referral_track = models.CharField(_("process"), max_length=12, default="ethics")
    referral_to = models.CharField(_("referred to"), max_length=200, blank=True)
    referral_working_days = models.PositiveSmallIntegerField(_("outcome expected within (working days)"), default=20)
    # A decision waiting longer than this reminds its decider; twice as long, and the parent's head
    # sees it on the oversight list (seeing, not deciding).
    remind_after_working_days = models.PositiveSmallIntegerField(_("remind the decider after (working days)"),
                                                                 default=5)
    # The person reported may explain (klarifikasi) for this long after the report is confirmed.
    hearing_working_days = models.PositiveSmallIntegerField(_("time to explain (working days)"), default=3)
    # A removal from a group is due this long after the measure is decided.
    removal_working_days = models.PositiveSmallIntegerField(_("removal from the group within (working days)"), default=3)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("sanction ladder")
        verbose_name_plural = _("sanction ladders")
        constraints = [
            models.UniqueConstraint(fields=["institution"], condition=Q(is_current=True), name="one_current_ladder"),
        ]

    def __str__(self):
        return self.name


class LevelKind(models.TextChoices):
    VERBAL = "verbal", _("Recorded verbal reprimand (no letter)")
    LETTER = "letter", _("Warning letter")
    REMOVAL = "removal", _("Removal from the group")
    # Only the last rung: a measure decided here opens a referral to the process named in the ladder's policy.
    REFERRAL = "referral", _("Referral to the formal process")


class LadderLevel(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.PROTECT, related_name="levels")
    position = models.PositiveSmallIntegerField(_("step"))
    code = models.CharField(_("short name"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("what it does"), max_length=10, choices=LevelKind.choices, default=LevelKind.LETTER)
    active_months = models.PositiveSmallIntegerField(_("active for (months)"), default=6)
    # Whether the rung applies to a channel the institution does not administer (an informal group,
    # a personal account, a group without a registered admin; seed 000 allows informal groups).
    informal = models.BooleanField(_("applies to informal channels"), default=True)

    objects = scoped_manager(institution="ladder__institution")

    class Meta:
        verbose_name = _("ladder level")
        verbose_name_plural = _("ladder levels")
        ordering = ["ladder_id", "position"]
        constraints = [models.UniqueConstraint(fields=["ladder", "position"], name="ladder_position_unique")]

    def __str__(self):
        return self.name

    @property
    def produces_letter(self) -> bool:
        return self.kind == LevelKind.LETTER


class LadderProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the head")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LadderProposal(models.Model):
    """Humas proposes new rungs; the head (never the proposer) accepts them as the next version, or
    rejects them with a reason. ``levels`` holds the rungs as checked by the editor."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="ladder_proposals")
    based_on = models.ForeignKey(Ladder, on_delete=models.PROTECT, related_name="proposals",
                                 verbose_name=_("follows version"))
    levels = models.JSONField(_("proposed rungs"), default=list)
    note = models.CharField(_("what should change and why"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=LadderProposalState.choices,
                             default=LadderProposalState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    # The version the proposal became, once accepted.
    result = models.ForeignKey(Ladder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("ladder proposal")
        verbose_name_plural = _("ladder proposals")
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["institution", "state"])]

    def __str__(self):
        return f"#{self.pk}"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class ReportSource(models.TextChoices):
    STAFF = "staff_report", _("Report by a staff member")
    HUMAS = "humas_finding", _("Finding by public relations")
    CHAT = "chat_triage", _("Chat-export triage")


class ViolationReport(models.Model):
    """Who did what, where and when, which rules it broke, with evidence. A case file."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="violation_reports")
    # The person reported: a staff member, or someone in the group who is not on the staff list.
    subject_staff = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="violation_reports",
        verbose_name=_("staff member reported"),
    )
    subject_name = models.CharField(_("name of the person reported"), max_length=200, blank=True)
    subject_phone = models.CharField(_("their number"), max_length=20, blank=True)
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.PROTECT, related_name="violation_reports",
        verbose_name=_("where"),
    )
    place_note = models.CharField(_("other place"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    rules = models.ManyToManyField(Rule, related_name="violation_reports", verbose_name=_("rules broken"))
    # The code version in force when it happened (None: no version was published yet), and when the
    # person reported had acknowledged it, if they had by then (fixed when the report is filed).
    code_version = models.ForeignKey("governance.CodeVersion", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("code in force"))
    code_acknowledged_at = models.DateTimeField(_("code acknowledged at"), null=True, blank=True)
    description = models.TextField(_("what happened"))
    source = models.CharField(_("source"), max_length=20, choices=ReportSource.choices, default=ReportSource.STAFF)
    # An idempotency key for reports created by machines (chat triage, demo data).
    source_ref = models.CharField(max_length=100, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reported on behalf of"),
    )
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.SUBMITTED)
    priority = models.BooleanField(_("priority"), default=False)
    election_period = models.ForeignKey(
        "governance.ElectionPeriod", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("assigned to"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("violation report")
        verbose_name_plural = _("violation reports")
        ordering = ["-priority", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "source_ref"], condition=~Q(source_ref=""), name="report_source_ref_unique",
            ),
            models.CheckConstraint(
                condition=Q(subject_staff__isnull=False) | ~Q(subject_name=""), name="report_has_a_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "state"]),
            # The case queue: one institution's reports, priority first, by state, newest first.
            models.Index(fields=["institution", "-priority", "state", "-created_at"], name="report_queue_order"),
            # Its "assigned to" and "where" filters, in the same order.
            models.Index(fields=["institution", "assignee", "-priority", "state", "-created_at"],
                         name="report_queue_assignee"),
            models.Index(fields=["institution", "channel", "-priority", "state", "-created_at"],
                         name="report_queue_channel"),
        ]

    def __str__(self):
        return f"#{self.pk}"

    @property
    def subject_display(self) -> str:
        return self.subject_staff.full_name if self.subject_staff_id else self.subject_name

    @property
    def is_open(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.IN_REVIEW)

    @property
    def is_confirmed(self) -> bool:
        return self.state == ReportState.CONFIRMED

    @property
    def place_display(self) -> str:
        return self.channel.name if self.channel_id else self.place_note


class CaseEvidence(models.Model):
    """A screenshot or PDF attached to a report; stored privately under a random name."""

    report = models.ForeignKey(ViolationReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(institution="report__institution")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report_id", "pk"]

    def __str__(self):
        return f"#{self.pk} {self.content_type}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Explanation(models.Model):
    """The person reported is heard (klarifikasi) before a measure is decided: invited when the report
    is confirmed, they answer in Santun within a few working days, or Humas records what they said
    orally or on paper, or writes why they were not heard."""

    class How(models.TextChoices):
        ONLINE = "online", _("In Santun, by the person")
        ORAL = "oral", _("Orally, to public relations")
        PAPER = "paper", _("On paper, handed to public relations")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    report = models.OneToOneField(ViolationReport, on_delete=models.PROTECT, related_name="explanation")
    invited_at = models.DateTimeField(_("invited at"))
    due_on = models.DateField(_("explanation due on"))
    text = models.TextField(_("explanation"), blank=True)
    how = models.CharField(_("given"), max_length=10, choices=How.choices, blank=True)
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    file = models.FileField(max_length=200, blank=True)
    file_type = models.CharField(max_length=40, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    skipped_reason = models.TextField(_("why the person was not heard"), blank=True)
    skipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    skipped_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("explanation")
        verbose_name_plural = _("explanations")

    def __str__(self):
        return f"#{self.report_id} {self.status()}"

    def status(self, today=None) -> str:
        """"given", "skipped", "lapsed" (the deadline passed unanswered) or "waiting"."""
        if self.given_at:
            return "given"
        if self.skipped_at:
            return "skipped"
        if (today or self.institution.local_today()) > self.due_on:
            return "lapsed"
        return "waiting"

    @property
    def given_online(self) -> bool:
        return self.how == self.How.ONLINE

    @property
    def lapsed(self) -> bool:
        return self.status() == "lapsed"


class CaseNote(models.Model):
    """An internal note on a case, for the people who handle it."""

    report = models.ForeignKey(ViolationReport, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(institution="report__institution")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"note #{self.pk}"


class MeasureState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the head's decision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    VOIDED = "voided", _("Voided")


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")
    PORTAL = "portal", _("Acknowledged in Santun")


class Measure(models.Model):
    """A group measure on the institution's ladder: proposed by Humas, decided by the head."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="measures")
    report = models.ForeignKey(ViolationReport, on_delete=models.PROTECT, related_name="measures")
    level = models.ForeignKey(LadderLevel, on_delete=models.PROTECT, related_name="measures")
    suggested_level = models.ForeignKey(LadderLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deviation_reason = models.TextField(_("reason for choosing another level"), blank=True)
    # What the level was when decided: a later change of the ladder does not rewrite history.
    level_code = models.CharField(max_length=20)
    level_name = models.CharField(max_length=120)
    level_kind = models.CharField(max_length=10, choices=LevelKind.choices)
    level_position = models.PositiveSmallIntegerField()
    active_months = models.PositiveSmallIntegerField()
    state = models.CharField(_("state"), max_length=10, choices=MeasureState.choices, default=MeasureState.PROPOSED)
    proposal_note = models.TextField(_("note for the head"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    # Decided by the parent institution's head (the case is about the head, or the head proposed it).
    escalated = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery_method = models.CharField(_("delivered by"), max_length=12, choices=DeliveryMethod.choices, blank=True)
    delivery_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("group measure")
        verbose_name_plural = _("group measures")
        ordering = ["-proposed_at"]
        constraints = [
            # One live measure per report: a rejected, withdrawn or voided one may be followed by another.
            models.UniqueConstraint(
                fields=["report"], condition=Q(state__in=["proposed", "active", "expired"]), name="one_live_measure_per_report",
            ),
        ]
        indexes = [models.Index(fields=["institution", "state"])]

    def __str__(self):
        return f"{self.level_code} #{self.pk}"

    @property
    def is_removal(self) -> bool:
        return self.level_kind == LevelKind.REMOVAL

    @property
    def produces_letter(self) -> bool:
        return self.level_kind == LevelKind.LETTER

    @property
    def is_referral(self) -> bool:
        return self.level_kind == LevelKind.REFERRAL


class LetterSequence(models.Model):
    """The last letter number used by one institution in one calendar year (row-locked when issuing)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_seq = models.PositiveIntegerField(default=0)

    objects = scoped_manager(institution="institution")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="one_sequence_per_year")]

    def __str__(self):
        return f"{self.institution_id}/{self.year}: {self.last_seq}"


class WarningLetter(models.Model):
    """The numbered letter of an approved measure, with its public verification code."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="warning_letters")
    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="letter")
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=120)
    issued_on = models.DateField(_("date"))
    verification_code = models.CharField(max_length=16, unique=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    signer_position = models.CharField(max_length=300)
    signer_nip = models.CharField(max_length=18, blank=True)
    # The institution's letterhead as it was when the letter was issued (lines, name, address,
    # contact, logo file): a later change of the settings reaches only letters issued afterwards.
    letterhead = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("warning letter")
        verbose_name_plural = _("warning letters")
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "seq"], name="letter_seq_unique"),
            models.UniqueConstraint(fields=["institution", "number"], name="letter_number_unique"),
        ]

    def __str__(self):
        return self.number


class RemovalState(models.TextChoices):
    OPEN = "open", _("To be carried out")
    DONE = "done", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")


class RemovalTask(models.Model):
    """The last rung: the group's admins remove the person and confirm it."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="removal")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    group_membership = models.ForeignKey(GroupMembership, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=RemovalState.choices, default=RemovalState.OPEN)
    due_on = models.DateField(_("due"))
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    carried_out_by = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    last_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("removal task")
        verbose_name_plural = _("removal tasks")
        ordering = ["state", "due_on"]

    def __str__(self):
        return f"removal #{self.pk}"


class ObjectionState(models.TextChoices):
    FILED = "filed", _("Awaiting decision")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class Objection(models.Model):
    """A keberatan against a measure, filed within 14 working days of delivery and reconsidered by the
    official who decided the measure (UU 30/2014, Pasal 77)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="objection")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    text = models.TextField(_("grounds of the objection"))
    deadline = models.DateField(null=True, blank=True)
    decide_by = models.DateField(null=True, blank=True)
    escalated = models.BooleanField(default=False)
    state = models.CharField(_("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.FILED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"objection #{self.pk}"


class Appeal(models.Model):
    """A banding: when the official who decided a measure keeps it on objection, the person may appeal
    to the next official up within 14 working days of that decision (UU 30/2014, Pasal 78)."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    objection = models.OneToOneField(Objection, on_delete=models.PROTECT, related_name="appeal")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    text = models.TextField(_("grounds of the appeal"))
    decide_by = models.DateField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ObjectionState.choices, default=ObjectionState.FILED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"appeal #{self.pk}"

    @property
    def measure(self) -> Measure:
        return self.objection.measure

    @property
    def escalated(self) -> bool:
        """Decided above the case's institution (always, except by the acting head of a top-level one)."""
        return self.institution.parent_id is not None


class ReferralTrack(models.TextChoices):
    DISCIPLINE = "discipline", _("Civil servant discipline (PP 94/2021)")
    NEUTRALITY = "neutrality", _("ASN neutrality (2022 joint decree)")
    ETHICS = "ethics", _("Code of ethics process")


class ReferralState(models.TextChoices):
    REFERRED = "referred", _("Referred, awaiting outcome")
    CLOSED = "closed", _("Outcome recorded")


class Referral(models.Model):
    """A case handed to the formal discipline or ethics process. The portal records; it does not decide."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(ViolationReport, on_delete=models.PROTECT, related_name="referrals")
    track = models.CharField(_("process"), max_length=12, choices=ReferralTrack.choices)
    referred_to = models.CharField(_("referred to"), max_length=200)
    referred_on = models.DateField(_("referred on"))
    due_on = models.DateField(_("outcome expected by"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ReferralState.choices, default=ReferralState.REFERRED)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self):
        return f"referral #{self.pk}"


# --- retention (UU 27/2022): how long closed cases are kept, holds, and what stays after deletion --


class RetentionPolicy(models.Model):
    """How long an institution keeps what it no longer needs, within the platform's bounds
    (``SANTUN_RETENTION_*``). Without a row the platform's defaults apply."""

    institution = models.OneToOneField(Institution, on_delete=models.PROTECT, related_name="retention_policy")
    case_years = models.PositiveSmallIntegerField(_("keep closed cases for (years)"))
    export_days = models.PositiveSmallIntegerField(_("keep finished exports for (days)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self):
        return f"{self.institution_id}: {self.case_years}y/{self.export_days}d"


class LegalHold(models.Model):
    """The head keeps a case from deletion (a court case, an inspection), with a reason. Clearing
    the hold removes the row; the audit trail keeps both steps."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    report = models.OneToOneField(ViolationReport, on_delete=models.PROTECT, related_name="legal_hold")
    reason = models.TextField(_("reason for the hold"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self):
        return f"hold on #{self.report_id}"


class CaseTombstone(models.Model):
    """What is left of a case deleted under the retention rule: no personal data, only what
    statistics and letter verification need."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    case_number = models.PositiveIntegerField(_("case number"))
    source = models.CharField(max_length=20, choices=ReportSource.choices)
    reported_on = models.DateField()
    occurred_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField()
    outcome = models.CharField(max_length=12, choices=ReportState.choices)
    # The rule categories broken (RuleCategory codes) and each measure's level and end state.
    categories = models.JSONField(default=list)
    measures = models.JSONField(default=list)
    referrals = models.PositiveSmallIntegerField(default=0)
    # What the moderation statistics count, so that a deleted case still counts in its months:
    # the channel kind, each measure (rung, state, proposed and decided days), each objection and
    # appeal (filed day, state), each referral (process, state, days). Days, codes and states only.
    statistics = models.JSONField(default=dict, blank=True)
    files = models.PositiveSmallIntegerField(default=0)
    # Stored names (random, no personal data) of files still to remove from storage: emptied once
    # removed after the commit; a run that finds some left (a killed worker) removes them again.
    pending_files = models.JSONField(default=list, blank=True)
    deleted_at = models.DateTimeField()
    # Set when the run's audit entry counted it (a run killed before its entry is counted by the next).
    counted_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("deleted case")
        verbose_name_plural = _("deleted cases")
        ordering = ["-closed_on", "-case_number"]
        constraints = [models.UniqueConstraint(fields=["institution", "case_number"], name="one_tombstone_per_case")]

    def __str__(self):
        return f"#{self.case_number} (deleted)"


class LetterTombstone(models.Model):
    """A warning letter of a deleted case: its number and code still verify as genuine."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(CaseTombstone, on_delete=models.PROTECT, related_name="letters")
    number = models.CharField(max_length=120)
    issued_on = models.DateField()
    verification_code = models.CharField(max_length=16, unique=True)
    voided_on = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True)
    deleted_on = models.DateField()

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("letter of a deleted case")
        verbose_name_plural = _("letters of deleted cases")

    def __str__(self):
        return self.number
