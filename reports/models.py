"""The semester Humas assessment.

An assessor institution (a Kanwil, a Ditjen) keeps **rubrics** (criteria with weights summing to
100, a scale, score bands) and opens **assessment periods** (year + semester) over the institutions
below it. Each institution in scope gets one **entry**: its Humas fills the self-assessment
(**answers** and **evidence**), the assessors record **scores** per criterion, and **indicator
values** computed from the portal's data feed the criteria they are mapped to. The entry carries
its computed total and band so that rankings read one row per institution.

Scoping: rubrics, their criteria and bands, periods and exports belong to the assessor; entries and
everything below them belong to the assessed institution. Assessor pages read the subtree through
``governance.tenancy.subtree_scope``; an assessed institution reads its assessor's rubric with
``Manager.with_scope`` limited to its own ancestors (see ``reports.selectors``).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from governance.models import Institution
from governance.scoping import scoped_manager

SCALE_MAX_LIMIT = 10


class Rubric(models.Model):
    """Criteria, scale and bands an assessor scores with. Locked once a period using it opens:
    a change after that is a copy."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="rubrics")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=4,
        validators=[MinValueValidator(1), MaxValueValidator(SCALE_MAX_LIMIT)],
        help_text=_("Scores are whole numbers from 0 to this value."),
    )
    scale_labels = models.JSONField(_("meaning of each score"), default=list, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies",
        verbose_name=_("copied from"),
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="rubric_name_unique_per_institution")]

    def __str__(self):
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def scale_label(self, score: int) -> str:
        labels = self.scale_labels or []
        return labels[score] if 0 <= score < len(labels) else ""


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    indicator = models.CharField(
        _("automatic indicator"), max_length=40, blank=True,
        help_text=_("When set, the indicator's score counts for this criterion unless an assessor scores it."),
    )

    objects = scoped_manager(institution="rubric__institution")

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rubric_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="criterion_code_unique_per_rubric")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class ScoreBand(models.Model):
    """A category for totals from ``min_total`` up to the next band (e.g. Informatif from 90)."""

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="bands")
    label = models.CharField(_("rating"), max_length=80)
    min_total = models.DecimalField(
        _("from total"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = scoped_manager(institution="rubric__institution")

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["rubric_id", "-min_total"]
        constraints = [models.UniqueConstraint(fields=["rubric", "min_total"], name="band_bound_unique_per_rubric")]

    def __str__(self):
        return f"{self.label} (≥ {self.min_total})"


class AssessmentPeriod(models.Model):
    """One semester's assessment run by an assessor institution over its subtree."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SELF_ASSESSMENT = "self_assessment", _("Open for self-assessment")
        SCORING = "scoring", _("Scoring")
        FINALIZED = "finalized", _("Finalized")

    class Semester(models.IntegerChoices):
        FIRST = 1, _("Semester I (January–June)")
        SECOND = 2, _("Semester II (July–December)")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="assessment_periods")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    semester = models.PositiveSmallIntegerField(_("semester"), choices=Semester.choices)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    revises = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions",
        verbose_name=_("corrects"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="periods", verbose_name=_("rubric"))
    kinds = models.JSONField(_("kinds of institution"), default=list, blank=True, help_text=_("Empty means every kind."))
    self_assessment_deadline = models.DateField(_("self-assessment deadline"))
    scoring_deadline = models.DateField(_("scoring deadline"))
    disagreement_threshold = models.PositiveSmallIntegerField(
        _("disagreement threshold"), default=1,
        help_text=_("Two assessors' scores for a criterion that differ by more than this are flagged."),
    )
    publish_ranks = models.BooleanField(
        _("show each institution its rank"), default=True,
        help_text=_("Each institution's report card shows its rank among institutions of the same kind."),
    )
    state = models.CharField(_("stage"), max_length=20, choices=State.choices, default=State.DRAFT)
    summary = models.JSONField(default=dict, blank=True, editable=False)
    results_stamp = models.PositiveIntegerField(default=0, editable=False)
    indicators_computed_at = models.DateTimeField(_("indicators computed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    scoring_started_at = models.DateTimeField(_("scoring started at"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("finalized at"), null=True, blank=True)
    finalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        ordering = ["-year", "-semester", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "semester", "revision"], name="one_period_per_semester_and_revision"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def semester_roman(self) -> str:
        return "I" if self.semester == self.Semester.FIRST else "II"

    @property
    def label(self) -> str:
        text = _("Semester %(semester)s %(year)s") % {"semester": self.semester_roman, "year": self.year}
        if self.revision > 1:
            text = _("%(label)s (revision %(revision)s)") % {"label": text, "revision": self.revision}
        return str(text)

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.semester == self.Semester.FIRST else 7, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.year, 6, 30) if self.semester == self.Semester.FIRST else datetime.date(self.year, 12, 31)

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(Institution.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_self_assessment(self) -> bool:
        return self.state == self.State.SELF_ASSESSMENT

    @property
    def is_scoring(self) -> bool:
        return self.state == self.State.SCORING

    @property
    def is_frozen(self) -> bool:
        return self.state == self.State.FINALIZED

    @property
    def has_results(self) -> bool:
        """Results exist once scoring has started (provisional until finalized)."""
        return self.state in (self.State.SCORING, self.State.FINALIZED)

    def previous_semester(self) -> tuple[int, int]:
        return (self.year, 1) if self.semester == 2 else (self.year - 1, 2)


class Entry(models.Model):
    """One institution in one period: its self-assessment state and its computed result."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.PROTECT, related_name="entries")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="assessment_entries")
    submitted_at = models.DateTimeField(_("self-assessment submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, null=True, blank=True)
    band_label = models.CharField(_("rating"), max_length=80, blank=True)
    band_index = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 = the highest band
    scored_count = models.PositiveSmallIntegerField(default=0)
    complete = models.BooleanField(default=False)
    disagreement_count = models.PositiveSmallIntegerField(default=0)
    peer_rank = models.PositiveIntegerField(null=True, blank=True)
    peer_count = models.PositiveIntegerField(null=True, blank=True)
    previous_total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("assessment entry")
        verbose_name_plural = _("assessment entries")
        ordering = ["period_id", "institution__name"]
        constraints = [models.UniqueConstraint(fields=["period", "institution"], name="one_entry_per_period_and_institution")]
        indexes = [models.Index(fields=["period", "total"])]

    def __str__(self):
        return f"{self.institution} · {self.period}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def change(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


class Answer(models.Model):
    """The institution's self-assessment for one criterion."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("answer"), blank=True)
    links = models.TextField(_("evidence links"), blank=True, help_text=_("One address per line."))
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = scoped_manager(institution="entry__institution")

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        constraints = [models.UniqueConstraint(fields=["entry", "criterion"], name="one_answer_per_criterion")]

    def __str__(self):
        return f"{self.entry} · {self.criterion.code}"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def evidence_path(instance: Evidence, filename: str) -> str:
    # No part of the original name: file names can carry personal data.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"reports/evidence/{instance.entry.institution_id}/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """A file the institution attaches to a criterion. Stored privately, served only by a view
    that checks the visitor's permission."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_manager(institution="entry__institution")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["criterion_id", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class AssessorScore(models.Model):
    """One assessor's score for one criterion of one entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_manager(institution="entry__institution")

    class Meta:
        verbose_name = _("assessor's score")
        verbose_name_plural = _("assessors' scores")
        ordering = ["entry_id", "criterion_id", "assessor_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "criterion", "assessor"], name="one_score_per_assessor_and_criterion")
        ]

    def __str__(self):
        return f"{self.entry} · {self.criterion.code} = {self.score}"


class IndicatorValue(models.Model):
    """An automatic indicator computed from the portal's data for one entry (None: no data)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="indicator_values")
    code = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField()

    objects = scoped_manager(institution="entry__institution")

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [models.UniqueConstraint(fields=["entry", "code"], name="one_value_per_indicator")]

    def __str__(self):
        return f"{self.code} = {self.value}"


class Export(models.Model):
    """A province-wide XLSX or PDF built by a task. One record per period, format and filter:
    asking again or retrying reuses it, so nothing is ever duplicated."""

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Spreadsheet (XLSX)")
        PDF = "pdf", _("Report (PDF)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(AssessmentPeriod, on_delete=models.PROTECT, related_name="exports")
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    params = models.JSONField(default=dict, blank=True)
    key = models.CharField(max_length=64)
    state = models.CharField(_("stage"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    stamp = models.PositiveIntegerField(null=True, blank=True)
    # Which delivery of the build task holds the export while it runs: a delivery that finds the
    # token changed has been taken over (its worker was thought dead) and throws its work away.
    runner = models.CharField(max_length=32, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = scoped_manager(institution="institution")

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "key"], name="one_export_per_key"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.period} · {self.format}"

    @property
    def is_active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def filename(self) -> str:
        return f"penilaian-humas-{self.period.year}-{self.period.semester_roman}-r{self.period.revision}.{self.format}"
