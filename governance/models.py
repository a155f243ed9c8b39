"""The tenant tree, people's accounts and roles, the audit trail, and the governance records.

Every model that belongs to one institution carries a django-scopes ``ScopedManager``: a
query on it with no active scope raises, so a view cannot forget the tenant filter.
"""

from __future__ import annotations

import datetime
import re
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .numbering import DEFAULT_CLASSIFICATION, DEFAULT_TEMPLATE, TEMPLATE_HELP, number_template_validator
from .scoping import scoped_manager


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Their roles live in ``Membership``; their staff record in members."""

    class NotificationMode(models.TextChoices):
        IMMEDIATE = "immediate", _("Each notice by e-mail as it comes")
        DIGEST = "digest", _("One e-mail a day with the day's notices")
        IN_APP = "in_app", _("In Santun only, no e-mail")

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="id")
    # Decisions waiting and deadlines are always e-mailed, whatever is chosen here.
    notification_mode = models.CharField(_("e-mail notices"), max_length=10, choices=NotificationMode.choices,
                                         default=NotificationMode.IMMEDIATE)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("platform administrator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.get_full_name()


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


TZ_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


class Institution(models.Model):
    """The tenant. Institutions form a tree that mirrors the chain of command."""

    class Kind(models.TextChoices):
        MINISTRY = "kementerian", _("Ministry / directorate general")
        REGIONAL_OFFICE = "kanwil", _("Regional office (Kanwil)")
        DISTRICT_OFFICE = "kankemenag", _("District/city office of religious affairs")
        MADRASAH = "madrasah", _("Madrasah")
        CORRECTIONAL_UNIT = "upt_pas", _("Correctional unit (Rutan/Lapas)")
        LOCAL_GOVERNMENT = "pemda", _("Regency/city government")
        AGENCY = "opd", _("Regional agency (OPD)")
        TREASURY_OFFICE = "kppn", _("State treasury office (KPPN)")
        OTHER = "lainnya", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short address"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # Materialised path of primary keys, "/1/4/9/": subtree queries are one indexed prefix match.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    province_code = models.CharField(
        _("province code (Kemendagri)"), max_length=2, blank=True,
        validators=[RegexValidator(r"^\d{2}$", _("A province code has two digits, e.g. 16."))],
    )
    regency_code = models.CharField(
        _("regency/city code (Kemendagri)"), max_length=5, blank=True,
        validators=[RegexValidator(r"^\d{2}\.\d{2}$", _("A regency code looks like 16.03."))],
    )
    timezone = models.CharField(_("time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.WIB)
    nsm = models.CharField(
        _("NSM (madrasah statistics number)"), max_length=12, blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("An NSM has exactly 12 digits."))],
    )
    letter_unit_code = models.CharField(
        _("unit code for letter numbers"), max_length=64, blank=True,
        help_text=_("The office code used in official letter numbers, e.g. Mts.06.03.1."),
    )
    letter_number_template = models.CharField(
        _("letter number template"), max_length=120, default=DEFAULT_TEMPLATE,
        validators=[number_template_validator], help_text=TEMPLATE_HELP,
    )
    letter_classification_code = models.CharField(
        _("archive classification code"), max_length=32, default=DEFAULT_CLASSIFICATION,
        help_text=_("Put in letter numbers as {kode_klasifikasi}, e.g. KP.04.2."),
    )
    # Per letter kind (keys registered by the app issuing the letters, see governance.numbering).
    letter_classification_overrides = models.JSONField(_("classification code per letter kind"), default=dict,
                                                       blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # The kop surat: two to four lines above the institution's name on its letters, e.g.
    # "KEMENTERIAN AGAMA REPUBLIK INDONESIA" / "KANTOR KEMENTERIAN AGAMA KABUPATEN MUARA ENIM".
    letterhead = models.TextField(_("letterhead lines"), blank=True)
    logo = models.FileField(_("logo"), max_length=200, blank=True)  # private storage, checked by content
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["path"]

    def __str__(self):
        return self.name

    # The path is an index over the tree, kept here and only here: ``save`` keeps an institution's
    # own path, ``move_under`` the paths of its whole subtree, ``ids_on_path`` reads one back.

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else "/"
        path = f"{parent_path}{self.pk}/"
        if path != self.path:
            self.path, self.depth = path, self._depth_of(path)
            type(self).objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)

    @staticmethod
    def _depth_of(path: str) -> int:
        return path.count("/") - 2

    @staticmethod
    def ids_on_path(path: str) -> list[int]:
        """The primary keys along a path, root first ("/1/4/9/" → [1, 4, 9])."""
        return [int(part) for part in path.strip("/").split("/") if part]

    def move_under(self, parent: Institution) -> list[Institution]:
        """Put this institution under ``parent`` and rewrite the paths of its whole subtree (rows
        locked until the caller's transaction ends). Returns the descendants that moved with it."""
        old_path = self.path
        self.parent = parent
        self.save()
        moved = list(type(self).objects.select_for_update().filter(path__startswith=old_path).exclude(pk=self.pk))
        for descendant in moved:
            descendant.path = self.path + descendant.path[len(old_path):]
            descendant.depth = self._depth_of(descendant.path)
        type(self).objects.bulk_update(moved, ["path", "depth"])
        return moved

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def tz_abbreviation(self) -> str:
        return TZ_ABBREVIATIONS.get(self.timezone, self.timezone)

    @property
    def letterhead_lines(self) -> list[str]:
        return [line.strip() for line in (self.letterhead or "").splitlines() if line.strip()]

    def ancestor_ids(self) -> list[int]:
        return [pk for pk in self.ids_on_path(self.path) if pk != self.pk]

    def is_descendant_of(self, other: Institution) -> bool:
        return self.pk != other.pk and self.path.startswith(other.path)

    def local_today(self) -> datetime.date:
        return timezone.localtime(timezone.now(), self.tzinfo).date()


class Role(models.TextChoices):
    HEAD = "kepala", _("Head of office")
    PUBLIC_RELATIONS = "humas", _("Public relations coordinator")
    OPERATOR = "operator", _("Operator")
    STAFF = "pegawai", _("Staff member")
    ASSESSOR = "penilai", _("Assessor")
    # Plh/Plt: decides in the head's place. With an end date, for the head's leave (the head does
    # not decide meanwhile); without one, when the head's seat is empty or, at a top-level
    # institution, when the head is the subject or the proposer of a case.
    ACTING = "plt", _("Acting head (Plh/Plt)")


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gt=on))


class Membership(models.Model):
    """A user's role at an institution, from a start date until an optional end date."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("since"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(institution="institution", manager_class=models.Manager.from_queryset(MembershipQuerySet))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], condition=Q(ends_on__isnull=True),
                name="one_open_membership_per_role",
            )
        ]
        indexes = [models.Index(fields=["user", "institution"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.institution}"


class AuditChain(models.Model):
    """The head of one hash chain of audit entries: one per institution, one for the platform."""

    key = models.CharField(max_length=40, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    def __str__(self):
        return self.key


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries are append-only.")

    def delete(self):
        raise PermissionError("Audit entries are append-only.")


class AuditEntry(models.Model):
    """One step in the trail. Written only by ``governance.audit.log_action``; never changed."""

    chain = models.ForeignKey(AuditChain, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveBigIntegerField()
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which audit key signed the entry (the keys themselves are never in the database).
    key_id = models.CharField(max_length=20, default="")

    objects = scoped_manager(institution="institution", manager_class=models.Manager.from_queryset(AuditEntryQuerySet))

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["chain_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_seq_unique_per_chain")]
        indexes = [models.Index(fields=["institution", "target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")


class Notification(models.Model):
    """An in-app notice for one user; the e-mail copy is sent by a task."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the recipient's daily digest e-mail.
    digest_pending = models.BooleanField(default=False)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class ChannelKind(models.TextChoices):
    WHATSAPP_GROUP = "wa_group", _("WhatsApp group")
    TELEGRAM_GROUP = "tg_group", _("Telegram group")
    FACEBOOK = "facebook", _("Facebook page")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X (Twitter)")
    YOUTUBE = "youtube", _("YouTube")
    TIKTOK = "tiktok", _("TikTok")
    WEBSITE = "website", _("Website")

    @classmethod
    def group_kinds(cls):
        return [cls.WHATSAPP_GROUP, cls.TELEGRAM_GROUP]


class Channel(models.Model):
    """A group or official account the institution runs outside the portal."""

    class TargetUnit(models.TextChoices):
        DAY = "day", _("per day")
        WEEK = "week", _("per week")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="channels")
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=200)
    link = models.CharField(_("link or handle"), max_length=300, blank=True)
    is_official = models.BooleanField(_("official"), default=True)
    purpose = models.TextField(_("purpose"), blank=True)
    posting_target = models.PositiveSmallIntegerField(_("posting target"), null=True, blank=True)
    posting_target_unit = models.CharField(
        _("posting target per"), max_length=8, choices=TargetUnit.choices, default=TargetUnit.DAY
    )
    is_active = models.BooleanField(_("active"), default=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The link reduced to "platform:handle" (see governance.links): the same account written two
    # ways has one key, so one institution cannot register it twice.
    link_key = models.CharField(max_length=320, blank=True, default="", editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "link"], condition=~Q(link=""), name="channel_link_unique_per_institution"
            ),
            models.UniqueConstraint(
                fields=["institution", "link_key"], condition=~Q(link_key=""),
                name="channel_link_key_unique_per_institution",
            ),
            models.CheckConstraint(
                condition=Q(posting_target__isnull=True) | Q(posting_target__gt=0), name="channel_posting_target_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # An index over the link, kept by the model itself so that no writer (factory, admin) forgets it.
        from .links import link_key

        self.link_key = link_key(self.kind, self.link)
        if kwargs.get("update_fields") is not None and "link" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "link_key"}
        super().save(*args, **kwargs)

    @property
    def is_group(self) -> bool:
        return self.kind in ChannelKind.group_kinds()

    @property
    def is_official_account(self) -> bool:
        """An official account (page, profile, website) whose posts go into the publication log."""
        return self.is_official and not self.is_group

    @property
    def has_target(self) -> bool:
        return bool(self.posting_target) and self.is_official_account

    @property
    def is_archived(self) -> bool:
        return not self.is_active

    @property
    def href(self) -> str:
        """The link as a clickable address, or "" when it is not a web address."""
        return self.link if self.link.startswith(("https://", "http://")) else ""

    def target_per_day(self) -> float:
        if not self.has_target:
            return 0.0
        return float(self.posting_target) / (7 if self.posting_target_unit == self.TargetUnit.WEEK else 1)


class RuleCategory(models.TextChoices):
    HOAX = "hoax", _("Hoax or misleading news")
    PORNOGRAPHY = "pornography", _("Pornography")
    POLITICS = "politics", _("Politics and election neutrality")
    SARA = "sara", _("Ethnicity, religion, race and inter-group relations (SARA)")
    HATE_SPEECH = "hate_speech", _("Hate speech against Pancasila, UUD 1945, NKRI or the government")
    STATE_SYMBOLS = "state_symbols", _("State symbols")
    CONFIDENTIAL = "confidential", _("Confidential or exempted information")
    HARASSMENT = "harassment", _("Harassment")
    LIVE_IN_UNIFORM = "live_uniform", _("Live streaming in uniform")
    OFFICIAL_TRAVEL = "official_travel", _("Display during official travel")
    ACCOUNT_NAMING = "account_naming", _("Account naming")
    ETIQUETTE = "etiquette", _("Etiquette")
    OTHER = "other", _("Other")


class RuleKind(models.TextChoices):
    PROHIBITION = "prohibition", _("Prohibition")
    RECOMMENDATION = "recommendation", _("Recommendation")
    PERMISSION = "permission", _("Permission")
    # What follows a breach (seed 003, point 8: sanctions under the Pemasyarakatan code of ethics): a
    # provision shown with the code, never a rule that someone breaks.
    SANCTION = "sanction", _("Sanction clause")


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class CodeVersion(models.Model):
    """One version of an institution's code of conduct. Published versions never change."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        DISCARDED = "discarded", _("Discarded draft")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="code_versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    preamble = models.TextField(_("preamble"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    adopted_parent_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adopted_by",
        verbose_name=_("adopted parent version"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("copied from"),
    )
    template_key = models.CharField(_("template"), max_length=40, blank=True)
    source_note = models.TextField(
        _("source"), blank=True,
        help_text=_("Where these rules come from, e.g. the meeting or the article that set them, with its date."),
    )
    change_note = models.TextField(
        _("what changed"), blank=True, help_text=_("A short note for staff on what this version changes."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("code of conduct version")
        verbose_name_plural = _("code of conduct versions")
        ordering = ["institution_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="code_version_number_unique"),
            models.UniqueConstraint(
                fields=["institution"], condition=Q(state="published"), name="one_published_code_per_institution"
            ),
            models.UniqueConstraint(
                fields=["institution"], condition=Q(state="draft"), name="one_draft_code_per_institution"
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def was_published(self) -> bool:
        return self.state in (self.State.PUBLISHED, self.State.SUPERSEDED)

    @property
    def is_superseded(self) -> bool:
        return self.state == self.State.SUPERSEDED

    @property
    def is_discarded(self) -> bool:
        return self.state == self.State.DISCARDED


class Rule(models.Model):
    """A rule inside one code version. Rules adopted from the parent point at their origin."""

    version = models.ForeignKey(CodeVersion, on_delete=models.CASCADE, related_name="rules")
    number = models.CharField(_("number"), max_length=12)
    category = models.CharField(_("category"), max_length=20, choices=RuleCategory.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices, default=RuleKind.PROHIBITION)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.MEDIUM)
    channel_kinds = models.JSONField(_("applies to"), default=list, blank=True, help_text=_("Empty means every channel."))
    text = models.TextField(_("text"))
    inherited_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions",
        verbose_name=_("adopted from"),
    )
    position = models.PositiveIntegerField(default=0)
    # The same rule across versions (and, for adopted rules, across institutions) keeps one lineage,
    # so that a version can be compared with the previous one rule by rule.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = scoped_manager(institution="version__institution")

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["version_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="rule_number_unique_per_version"),
            models.UniqueConstraint(fields=["version", "lineage"], name="rule_lineage_unique_per_version"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    def clean(self):
        unknown = set(self.channel_kinds or []) - set(ChannelKind.values)
        if unknown:
            raise ValidationError({"channel_kinds": _("Unknown channel kind.")})

    @property
    def is_prohibition(self) -> bool:
        return self.kind == RuleKind.PROHIBITION

    @property
    def is_politics(self) -> bool:
        return self.category == RuleCategory.POLITICS

    @property
    def origin(self) -> Rule | None:
        """The rule this one was first adopted from, following parents of parents; None for own rules."""
        rule, hops = self.inherited_from, 0
        while rule is not None and rule.inherited_from_id and hops < 20:
            rule, hops = rule.inherited_from, hops + 1
        return rule

    def applies_to(self, kind: str) -> bool:
        return not self.channel_kinds or kind in self.channel_kinds

    def channel_kind_labels(self) -> list[str]:
        labels = dict(ChannelKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.channel_kinds or []]


class ElectionPeriod(models.Model):
    """A national or regional election. Platform data, not owned by one institution."""

    class Kind(models.TextChoices):
        PEMILU = "pemilu", _("General election (Pemilu)")
        PILKADA = "pilkada", _("Regional election (Pilkada)")
        PILKADES = "pilkades", _("Village head election (Pilkades)")

    class Coverage(models.TextChoices):
        NATIONAL = "national", _("Whole country")
        PROVINCE = "province", _("Provinces")
        REGENCY = "regency", _("Regencies/cities")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    coverage = models.CharField(_("coverage"), max_length=10, choices=Coverage.choices, default=Coverage.NATIONAL)
    region_codes = models.JSONField(_("region codes"), default=list, blank=True)
    campaign_starts_on = models.DateField(_("campaign starts"))
    campaign_ends_on = models.DateField(_("campaign ends"))
    quiet_starts_on = models.DateField(_("quiet period starts"))
    quiet_ends_on = models.DateField(_("quiet period ends"))
    voting_day = models.DateField(_("voting day"))
    candidate_names = models.TextField(_("candidate names"), blank=True, help_text=_("One per line."))
    campaign_terms = models.TextField(_("campaign terms"), blank=True, help_text=_("One per line."))
    # Who keeps the period: empty for the platform operators (national periods and the shipped data),
    # otherwise the province or regency institution that entered it for its own region.
    owner = models.ForeignKey(
        Institution, verbose_name=_("entered by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="election_periods",
    )

    class Meta:
        verbose_name = _("election period")
        verbose_name_plural = _("election periods")
        ordering = ["-voting_day"]

    def __str__(self):
        return self.name

    class Phase(models.TextChoices):
        CAMPAIGN = "campaign", _("campaign period")
        QUIET = "quiet", _("quiet period")
        VOTING = "voting", _("voting day")

    def clean(self):
        dates = [self.campaign_starts_on, self.campaign_ends_on, self.quiet_starts_on, self.quiet_ends_on, self.voting_day]
        if None not in dates and not (self.campaign_starts_on <= self.campaign_ends_on < self.quiet_starts_on
                                      <= self.quiet_ends_on < self.voting_day):
            raise ValidationError(_("Dates must run: campaign, then quiet period, then voting day."))
        codes = self.region_codes or []
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise ValidationError({"region_codes": _("Region codes must be a list of Kemendagri codes.")})
        if self.coverage == self.Coverage.NATIONAL and codes:
            raise ValidationError({"region_codes": _("A national period covers every region: leave the region codes empty.")})
        if self.coverage != self.Coverage.NATIONAL and not codes:
            raise ValidationError({"region_codes": _("Give at least one region code for a regional period.")})
        pattern = r"^\d{2}$" if self.coverage == self.Coverage.PROVINCE else r"^\d{2}\.\d{2}$"
        wrong = [code for code in codes if self.coverage != self.Coverage.NATIONAL and not re.match(pattern, code)]
        if wrong:
            example = "16" if self.coverage == self.Coverage.PROVINCE else "16.08"
            raise ValidationError({"region_codes": _("Not a code of this coverage: %(codes)s (write them like %(example)s).")
                                   % {"codes": ", ".join(wrong), "example": example}})

    def is_active_on(self, day: datetime.date) -> bool:
        return self.campaign_starts_on <= day <= self.voting_day

    def phase_on(self, day: datetime.date) -> str | None:
        if self.campaign_starts_on <= day <= self.campaign_ends_on:
            return self.Phase.CAMPAIGN
        if self.quiet_starts_on <= day <= self.quiet_ends_on:
            return self.Phase.QUIET
        if day == self.voting_day:
            return self.Phase.VOTING
        # Between the phases (an operator left a gap): still the period, treated as its quiet time.
        return self.Phase.QUIET if self.is_active_on(day) else None

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.campaign_terms.splitlines() if line.strip()]

    def candidate_list(self) -> list[str]:
        return [line.strip() for line in self.candidate_names.splitlines() if line.strip()]

    def covers(self, institution: Institution) -> bool:
        if self.coverage == self.Coverage.NATIONAL:
            return True
        if self.coverage == self.Coverage.PROVINCE:
            return bool(institution.province_code) and institution.province_code in self.region_codes
        return bool(institution.regency_code) and institution.regency_code in self.region_codes


class ElectionReminder(models.Model):
    """The one reminder an institution's staff get for one election period; the row makes it one."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(ElectionPeriod, on_delete=models.PROTECT, related_name="reminders")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("election reminder")
        verbose_name_plural = _("election reminders")
        constraints = [
            models.UniqueConstraint(fields=["institution", "period"], name="one_election_reminder_per_institution"),
        ]

    def __str__(self):
        return f"{self.period} · {self.institution}"


class Publication(models.Model):
    """One post of an official account, with the pre-publication check of seeds 002 and 004.

    A post is drafted, checked (the five checks, all yes) and then marked published. A post logged as
    published straight away (by hand or from CSV) is "not checked before publishing", even when it is
    checked afterwards."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("Imported from CSV")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CHECKED = "checked", pgettext_lazy("publication state", "Checked")
        PUBLISHED = "published", pgettext_lazy("publication state", "Published")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="publications")
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="publications", verbose_name=_("account"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PUBLISHED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    link = models.URLField(_("link to the post"), max_length=500, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    source_verified = models.BooleanField(_("source checked"), default=False)
    content_true = models.BooleanField(_("content is true"), default=False)
    nothing_confidential = models.BooleanField(
        _("nothing confidential visible"), default=False,
        help_text=_("No whiteboards, slides, papers or screens with confidential information in the picture."),
    )
    neutral = models.BooleanField(_("politically neutral"), default=False)
    caption_matches = models.BooleanField(_("caption matches the picture"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_before_publishing = models.BooleanField(_("checked before publishing"), default=False)
    check_notes = models.JSONField(_("notes on the checks"), default=dict, blank=True)
    returned_reason = models.TextField(_("reason it was sent back"), blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

    CHECKS = ("source_verified", "content_true", "nothing_confidential", "neutral", "caption_matches")

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "link"], condition=~Q(link=""), name="publication_link_unique_per_account"),
        ]
        indexes = [
            models.Index(fields=["institution", "published_at"]),
            models.Index(fields=["channel", "published_at"]),
        ]

    def __str__(self):
        return self.topic

    @property
    def checks_passed(self) -> int:
        return sum(1 for name in self.CHECKS if getattr(self, name))

    @property
    def check_complete(self) -> bool:
        return self.checks_passed == len(self.CHECKS)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def published_unchecked(self) -> bool:
        """Logged as published without its check before publishing (shown on the list)."""
        return self.is_published and not self.checked_before_publishing
