"""Builders for assessment worlds. They go through the services, so a test world is one a user
could have made through the pages."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from governance.models import Institution
from governance.tests.factories import InstitutionFactory
from reports import services
from reports.models import AssessmentPeriod, Criterion, Rubric, ScoreBand


def _minimal_pdf() -> bytes:
    """A small, well-formed one-page PDF (objects, cross-reference table, trailer)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


PDF_BYTES = _minimal_pdf()
State = AssessmentPeriod.State


def pdf_upload(name="bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class MadrasahFactory(InstitutionFactory):
    kind = Institution.Kind.MADRASAH


def small_rubric(institution: Institution, *, weights=(40, 60), scale_max=4, indicator="", name=None) -> Rubric:
    """A rubric with len(weights) criteria K1.. and the default bands."""
    with transaction.atomic():
        rubric = Rubric.objects.create(institution=institution, name=name or f"Rubrik uji {Rubric.objects.count() + 1}",
                                       scale_max=scale_max, scale_labels=[])
        for position, weight in enumerate(weights, start=1):
            Criterion.objects.create(rubric=rubric, position=position, code=f"K{position}", title=f"Kriteria {position}",
                                     weight=weight, evidence_required=False,
                                     indicator=indicator if position == 1 else "")
        for label, bound in [("Informatif", 90), ("Menuju Informatif", 80), ("Cukup Informatif", 60),
                             ("Kurang Informatif", 40), ("Tidak Informatif", 0)]:
            ScoreBand.objects.create(rubric=rubric, label=label, min_total=bound)
    return rubric


def future(days=30) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_period(assessor: Institution, *, year=2024, semester=1, rubric=None, state=State.DRAFT, actor=None,
                scorer=None, score=None, kinds=None, threshold=1, publish_ranks=True) -> AssessmentPeriod:
    """A period at ``assessor`` moved to ``state``. Before finalizing, ``scorer`` scores every
    criterion of every entry with ``score(entry, criterion)`` (default: the highest score)."""
    rubric = rubric or small_rubric(assessor)
    period = services.period_create(
        actor=actor, institution=assessor, year=year, semester=semester, rubric=rubric, kinds=kinds or [],
        self_assessment_deadline=future(30), scoring_deadline=future(60), disagreement_threshold=threshold,
        publish_ranks=publish_ranks,
    )
    if state == State.DRAFT:
        return period
    services.period_open(actor=actor, period=period)
    if state == State.SELF_ASSESSMENT:
        return _fresh(period)
    services.period_start_scoring(actor=actor, period=period)
    if scorer is not None:
        score_all(period, scorer, score)
    if state == State.SCORING:
        return _fresh(period)
    services.period_finalize(actor=actor, period=period)
    return _fresh(period)


def _fresh(period):
    return AssessmentPeriod.objects.with_scope(institution=period.institution).get(pk=period.pk)


def score_all(period: AssessmentPeriod, scorer, score=None) -> None:
    from governance.tenancy import subtree_scope
    from reports.models import Entry
    from reports.selectors import criteria_for

    criteria = criteria_for(period)
    with subtree_scope(period.institution):
        for entry in Entry.objects.filter(period=period).select_related("institution"):
            values = {c.pk: (score(entry, c) if score else period.rubric.scale_max, "") for c in criteria}
            services.scores_record(actor=scorer, entry=entry, values=values)


