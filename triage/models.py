"""Chat-export triage: an uploaded WhatsApp export of a registered group, the messages kept from it,
the flags raised on them, and each institution's own lexicon.

What is stored (UU 27/2022: only what the triage needs, and only for the triage window):

- ``ChatImport``: the facts of the export (channel, format, date range, counts, SHA-256 of the
  uploaded file). The uploaded file itself sits in private storage only until it is parsed.
- ``ChatAuthor``: each name or number that wrote in the export, with the staff member it was
  matched to and how many messages it sent.
- ``ChatMessage``: only flagged messages and the messages around them (the context shown in the
  triage view). The text of every other message is read once, counted and never stored.
- ``ChatFlag``: a suggestion that a message may break a rule: categories, matched terms, and what a
  person decided (dismissed with a reason, or turned into a report).

After the triage window (``SANTUN_CHAT_TRIAGE_DAYS``, 30 days by default) the messages and authors
are deleted; flags keep only their categories, terms and outcome, and a flag that became a report
points at it (the report keeps the message as PDF evidence).

The tables keep the names they had when chat triage lived in the sanctions app (``sanctions_chat*``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.models import Channel, Institution, RuleCategory
from governance.scoping import scoped_manager
from members.models import StaffMember


class ChatImportState(models.TextChoices):
    PARSING = "parsing", _("Reading the file")
    NEEDS_ORDER = "needs_order", _("Date order to choose")
    REFUSED = "refused", _("Refused")
    PREVIEW = "preview", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("In triage")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")


class ChatImport(models.Model):
    """One uploaded export of a group's chat."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="chat_imports")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="chat_imports", verbose_name=_("group"))
    state = models.CharField(_("state"), max_length=12, choices=ChatImportState.choices, default=ChatImportState.PARSING)
    # The raw upload, kept privately only between upload and parse.
    file = models.FileField(max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("file size"), default=0)
    sha256 = models.CharField(_("SHA-256 of the uploaded file"), max_length=64)
    date_order = models.CharField(max_length=3, blank=True)
    date_order_detected = models.BooleanField(default=True)
    ambiguous_example = models.CharField(max_length=40, blank=True)
    format = models.CharField(_("format"), max_length=40, blank=True)
    format_details = models.CharField(_("format"), max_length=80, blank=True)
    first_at = models.DateTimeField(_("first message"), null=True, blank=True)
    last_at = models.DateTimeField(_("last message"), null=True, blank=True)
    message_count = models.PositiveIntegerField(_("messages"), default=0)
    system_lines = models.PositiveIntegerField(default=0)
    author_count = models.PositiveIntegerField(default=0)
    flag_count = models.PositiveIntegerField(default=0)
    flag_counts = models.JSONField(default=dict, blank=True)  # category -> flagged messages
    stored_messages = models.PositiveIntegerField(default=0)
    context = models.PositiveSmallIntegerField(default=3)
    # Only messages sent from this moment on are flagged (the previous import of the group ended there).
    since = models.DateTimeField(null=True, blank=True)
    skipped_flags = models.PositiveIntegerField(default=0)
    election_periods = models.JSONField(default=list, blank=True)  # ids of the periods whose terms applied
    problem_code = models.CharField(max_length=40, blank=True)
    problem_params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(_("chat text deleted"), null=True, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        db_table = "sanctions_chatimport"
        verbose_name = _("chat import")
        verbose_name_plural = _("chat imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["institution", "state"]), models.Index(fields=["channel", "state"])]

    def __str__(self):
        return f"chat import #{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.state == ChatImportState.PARSING

    @property
    def needs_order(self) -> bool:
        return self.state == ChatImportState.NEEDS_ORDER

    @property
    def is_refused(self) -> bool:
        return self.state == ChatImportState.REFUSED

    @property
    def is_preview(self) -> bool:
        return self.state == ChatImportState.PREVIEW

    @property
    def is_confirmed(self) -> bool:
        return self.state == ChatImportState.CONFIRMED

    @property
    def is_cancelled(self) -> bool:
        return self.state == ChatImportState.CANCELLED

    @property
    def is_expired(self) -> bool:
        return self.state == ChatImportState.EXPIRED

    @property
    def reads_month_first(self) -> bool:
        return self.date_order == "mdy"

    @property
    def reads_day_first(self) -> bool:
        return self.date_order == "dmy"

    @property
    def in_triage(self) -> bool:
        return self.state == ChatImportState.CONFIRMED and self.purged_at is None

    @property
    def has_data(self) -> bool:
        return self.state in (ChatImportState.PREVIEW, ChatImportState.CONFIRMED) and self.purged_at is None


class ChatAuthor(models.Model):
    """A name or number that wrote in an export, and the staff member it belongs to (if known)."""

    class Match(models.TextChoices):
        PHONE = "phone", _("by phone number")
        NAME = "name", _("by name")
        MANUAL = "manual", _("chosen by hand")

    chat_import = models.ForeignKey(ChatImport, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("name in the chat"), max_length=200)
    phone = models.CharField(_("number"), max_length=20, blank=True)
    staff = models.ForeignKey(StaffMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    match = models.CharField(max_length=8, choices=Match.choices, blank=True)
    # Several staff members carry this name: none was chosen automatically.
    ambiguous = models.BooleanField(default=False)
    messages = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField(default=0)

    objects = scoped_manager(institution="chat_import__institution")

    class Meta:
        db_table = "sanctions_chatauthor"
        ordering = ["chat_import_id", "-flags", "-messages", "name"]
        constraints = [models.UniqueConstraint(fields=["chat_import", "name"], name="chat_author_unique_per_import")]

    def __str__(self):
        return self.name


class ChatMessage(models.Model):
    """A flagged message or one around it. Other messages of the export are not stored."""

    chat_import = models.ForeignKey(ChatImport, on_delete=models.CASCADE, related_name="messages")
    index = models.PositiveIntegerField()  # position of the entry in the export, from 0
    sent_at = models.DateTimeField()
    author = models.ForeignKey(ChatAuthor, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8)  # message, media, system (triage.chat.parser)
    event = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    edited = models.BooleanField(default=False)

    objects = scoped_manager(institution="chat_import__institution")

    class Meta:
        db_table = "sanctions_chatmessage"
        ordering = ["chat_import_id", "index"]
        constraints = [models.UniqueConstraint(fields=["chat_import", "index"], name="chat_message_unique_index")]

    def __str__(self):
        return f"#{self.index}"

    @property
    def is_system(self) -> bool:
        return self.kind == "system"

    @property
    def is_media(self) -> bool:
        return self.kind == "media"

    @property
    def is_deleted(self) -> bool:
        """The system line that stands where a deleted message was."""
        return self.is_system and self.event == "deleted"


class ChatFlagState(models.TextChoices):
    OPEN = "open", pgettext_lazy("chat flag", "To review")
    DISMISSED = "dismissed", pgettext_lazy("chat flag", "Dismissed")
    REPORTED = "reported", pgettext_lazy("chat flag", "Reported")


class ChatFlag(models.Model):
    """A suggestion that one message may break a rule. A person decides."""

    chat_import = models.ForeignKey(ChatImport, on_delete=models.CASCADE, related_name="flags")
    message = models.OneToOneField(ChatMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="flag")
    category = models.CharField(_("category"), max_length=20, choices=RuleCategory.choices)  # the first one
    # Every category, delimited so that one can be looked up on any database: ",hoax,politics,".
    categories = models.CharField(max_length=250)
    terms = models.JSONField(default=list)
    sent_at = models.DateTimeField()
    state = models.CharField(_("state"), max_length=10, choices=ChatFlagState.choices, default=ChatFlagState.OPEN)
    dismiss_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    report = models.ForeignKey("sanctions.ViolationReport", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    objects = scoped_manager(institution="chat_import__institution")

    class Meta:
        db_table = "sanctions_chatflag"
        ordering = ["chat_import_id", "sent_at", "pk"]
        indexes = [models.Index(fields=["chat_import", "state"]), models.Index(fields=["chat_import", "category"])]

    def __str__(self):
        return f"flag #{self.pk}"

    @property
    def is_reported(self) -> bool:
        return self.state == ChatFlagState.REPORTED

    @property
    def is_dismissed(self) -> bool:
        return self.state == ChatFlagState.DISMISSED

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(",") if c]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(RuleCategory.choices)
        return [labels.get(category, category) for category in self.category_list]

    @property
    def source_ref(self) -> str:
        """The key of the report made from this flag (one report per flag)."""
        return f"chat-flag:{self.pk}"


class ChatLexicon(models.Model):
    """An institution's own changes to the lexicon of one rule category: terms it adds (its children
    inherit them) and default or inherited terms it removes for itself."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=RuleCategory.choices)
    additions = models.TextField(_("added terms"), blank=True)
    removals = models.TextField(_("removed terms"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        db_table = "sanctions_chatlexicon"
        verbose_name = _("chat lexicon")
        verbose_name_plural = _("chat lexicons")
        constraints = [models.UniqueConstraint(fields=["institution", "category"], name="one_chat_lexicon_per_category")]

    def __str__(self):
        return f"{self.category} @ {self.institution_id}"

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    @property
    def added(self) -> list[str]:
        return self.lines(self.additions)

    @property
    def removed(self) -> list[str]:
        return self.lines(self.removals)
