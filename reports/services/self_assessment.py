"""Self-assessment: answers and evidence of an institution's entry, and its submission."""

from __future__ import annotations

import datetime
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Role, User
from governance.services import notify

from ..models import (
    Answer,
    Criterion,
    Entry,
    Evidence,
)
from ..selectors import (
    criteria_for,
)
from ._common import MAX_EVIDENCE_BYTES, MAX_EVIDENCE_PER_CRITERION, MAX_LINKS, MAX_TEXT, State, _date
from .periods import _member_users


def _require_self_assessment_open(entry: Entry, today: datetime.date | None) -> None:
    period = entry.period
    if period.state != State.SELF_ASSESSMENT:
        if period.state == State.DRAFT:
            raise ValidationError(_("This self-assessment has not opened yet."))
        raise ValidationError(_("The self-assessment is closed: the assessors are scoring or have finished."), code="closed")
    today = today or entry.institution.local_today()
    if today > period.self_assessment_deadline:
        raise ValidationError(_("The self-assessment deadline (%(date)s) has passed, so it can no longer change. Ask "
                                "your assessor at %(assessor)s to extend the deadline if you need more time.") % {
            "date": _date(period.self_assessment_deadline), "assessor": period.institution.name}, code="deadline")
    if entry.is_submitted:
        raise ValidationError(_("This self-assessment was submitted and can no longer change."), code="submitted")


def _require_criterion(entry: Entry, criterion: Criterion) -> None:
    if criterion.rubric_id != entry.period.rubric_id:
        raise ValidationError(_("This criterion is not part of the period's rubric."))


def _clean_links(links: str) -> str:
    lines = [line.strip() for line in (links or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise ValidationError(_("Give at most %(count)s links.") % {"count": MAX_LINKS})
    validate = URLValidator(schemes=["http", "https"])
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            raise ValidationError(_("%(link)s is not a web address; each line must start with https:// or http://.") % {
                "link": line[:80]}) from None
    return "\n".join(lines)


@transaction.atomic
def answer_save(
    *, actor: User | None, entry: Entry, criterion: Criterion, answer: str, links: str = "", notes: str = "",
    today: datetime.date | None = None,
) -> Answer:
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=entry.pk)
    _require_self_assessment_open(entry, today)
    _require_criterion(entry, criterion)
    links = _clean_links(links)
    if len(answer or "") > MAX_TEXT or len(notes or "") > MAX_TEXT:
        raise ValidationError(_("Keep the answer and the notes under %(count)s characters each.") % {"count": MAX_TEXT})
    saved, created = Answer.objects.update_or_create(
        entry=entry, criterion=criterion,
        defaults={"answer": (answer or "").strip(), "links": links, "notes": (notes or "").strip(), "updated_by": actor},
    )
    log_action(action="reports.self_assessment.saved", institution=entry.institution, actor=actor, target=entry,
               data={"criterion": criterion.code, "created": created})
    return saved


OFFICE_MAX_UNPACKED = 50 * 1024 * 1024


OFFICE_MAX_ENTRIES = 2000


OFFICE_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}


OFFICE_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _office_kind(upload) -> tuple[str, str] | None:
    """An XLSX or DOCX that really is one: a sound zip (no bomb, no macros) holding its main part."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if (len(infos) > OFFICE_MAX_ENTRIES or sum(info.file_size for info in infos) > OFFICE_MAX_UNPACKED
                    or "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names)):
                return None
            for extension, part in OFFICE_PARTS.items():
                if part in names:
                    if archive.testzip() is not None or not archive.read(part).lstrip().startswith(b"<"):
                        return None
                    return OFFICE_TYPES[extension], extension
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_evidence(head: bytes, upload) -> tuple[str, str] | None:
    """(content type, extension) from the file's content, never from its name. Images and PDFs are
    checked as violation evidence is (decoded in full; no scripts in a PDF); office files must be
    sound and free of macros. A refusal of an image or PDF raises its own ``ValidationError``."""
    from sanctions.evidence import inspect_evidence

    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    upload.seek(0)
    try:
        found = inspect_evidence(upload.read(), name=upload.name or "")
    except ValidationError as refusal:
        if refusal.code == "not_evidence":
            return None  # the caller names every kind this form takes
        raise
    finally:
        upload.seek(0)
    return found.content_type, found.extension


@transaction.atomic
def evidence_add(*, actor: User | None, entry: Entry, criterion: Criterion, upload, today: datetime.date | None = None) -> Evidence:
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=entry.pk)
    _require_self_assessment_open(entry, today)
    _require_criterion(entry, criterion)
    if upload is None:
        raise ValidationError(_("Choose a file to upload."))
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The file is larger than %(size)s MB; upload a smaller one or give a link instead.") % {
            "size": MAX_EVIDENCE_BYTES // (1024 * 1024)})
    upload.seek(0)
    kind = sniff_evidence(upload.read(16), upload)
    upload.seek(0)
    if kind is None:
        raise ValidationError(_("Upload a PDF, an image (JPEG, PNG, WebP) or a Word or Excel file; this file is none of "
                                "those."))
    if Evidence.objects.filter(entry=entry, criterion=criterion).count() >= MAX_EVIDENCE_PER_CRITERION:
        raise ValidationError(_("A criterion takes at most %(count)s files; remove one first or give a link.") % {
            "count": MAX_EVIDENCE_PER_CRITERION})
    content_type, extension = kind
    evidence = Evidence(entry=entry, criterion=criterion, original_name=(upload.name or "bukti")[-200:],
                        content_type=content_type, size=upload.size, uploaded_by=actor)
    evidence.file.save(f"bukti.{extension}", upload, save=False)
    try:
        evidence.save()
        log_action(action="reports.evidence.added", institution=entry.institution, actor=actor, target=evidence,
                   data={"entry": entry.pk, "criterion": criterion.code, "type": extension, "size": upload.size})
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User | None, evidence: Evidence, today: datetime.date | None = None) -> None:
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=evidence.entry_id)
    _require_self_assessment_open(entry, today)
    name, pk = evidence.file.name, evidence.pk
    evidence.delete()
    log_action(action="reports.evidence.removed", institution=entry.institution, actor=actor, target=entry,
               data={"evidence": pk})
    # The file goes only once the removal is committed; a file shared with a correction stays.
    transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def self_assessment_submit(
    *, actor: User | None, entry: Entry, today: datetime.date | None = None, email: bool = True,
) -> Entry:
    """Submit the self-assessment: every criterion answered, evidence where the rubric requires it.
    After this it is read-only."""
    entry = Entry.objects.select_for_update().select_related("period", "institution").get(pk=entry.pk)
    _require_self_assessment_open(entry, today)
    criteria = criteria_for(entry.period, reader=entry.institution)
    answers = {a.criterion_id: a for a in Answer.objects.filter(entry=entry)}
    files = set(Evidence.objects.filter(entry=entry).values_list("criterion_id", flat=True))
    unanswered = [c.code for c in criteria if not (answers.get(c.pk) and answers[c.pk].answer)]
    no_evidence = [c.code for c in criteria if c.evidence_required and c.pk not in files
                   and not (answers.get(c.pk) and answers[c.pk].links)]
    errors = []
    if unanswered:
        errors.append(_("Answer every criterion first; still empty: %(codes)s.") % {"codes": ", ".join(unanswered)})
    if no_evidence:
        errors.append(_("These criteria need evidence (a file or a link): %(codes)s.") % {"codes": ", ".join(no_evidence)})
    if errors:
        raise ValidationError(errors)
    entry.submitted_at, entry.submitted_by = timezone.now(), actor
    entry.save(update_fields=["submitted_at", "submitted_by"])
    log_action(action="reports.self_assessment.submitted", institution=entry.institution, actor=actor, target=entry,
               data={"period": entry.period_id})
    period = entry.period
    assessors = _member_users(period, [period.institution_id], [Role.ASSESSOR]).get(period.institution_id, [])
    notify(
        recipients=assessors, institution=period.institution, kind="reports.self_assessment_submitted",
        title=gettext_lazy("A self-assessment was submitted"),
        body=format_lazy("{institution} · {period}", institution=entry.institution.name, period=period.label),
        url=reverse("reports:period_detail", kwargs={"institution": period.institution.slug, "pk": period.pk}),
        email=email,
    )
    return entry
