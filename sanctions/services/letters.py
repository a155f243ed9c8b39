"""Warning letters: numbering and signing when a measure is approved, and the PDF kept once rendered
(in the background, by ``letter_pdf_task``)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from celery import shared_task
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Institution, User
from governance.tenancy import TenantTask, institution_scope

from .. import deciders, selectors
from ..letters import build_letter_pdf
from ..models import Measure, WarningLetter
from ..numbering import next_sequence, warning_letter_number
from ._common import _store

VERIFICATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VERIFICATION_LENGTH = 12


def _verification_code() -> str:
    while True:
        code = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_LENGTH))
        if not WarningLetter.objects.filter(verification_code=code).exists():
            return code


def _seat(actor: User, institution: Institution) -> tuple[Institution, bool]:
    """The nearest institution on the case's path (itself, then its parent, …) where ``actor`` holds
    a head's or an acting head's seat today, and whether they hold it acting: a decision that climbed
    the tree (the head was the subject, the seat was empty, the case went up) is signed from there."""
    lineage = [institution, *Institution.objects.filter(pk__in=institution.ancestor_ids()).order_by("-depth")]
    seats = deciders.SeatIndex(lineage)
    for place in lineage:
        seat = seats.seat(place)
        if actor in seat.heads:
            return place, False
        if actor in seat.on_leave_cover or actor in seat.standing:
            return place, True
    return institution, False


def _signer(actor: User, institution: Institution) -> tuple[str, str, str]:
    """Name, position and NIP under the signature: from the signer's staff record at the institution
    where they hold the seat; an acting head (Plh/Plt) signs as such."""
    home, acting = _seat(actor, institution)
    with institution_scope(home):
        record = selectors.staff_record(actor, home)
    name = record.full_name if record else (actor.full_name or actor.email)
    if acting:
        return name, _("Acting head of %(institution)s") % {"institution": home.name}, record.nip if record else ""
    position = record.position if record and record.position else _("Head")
    return name, f"{position}, {home.name}" if home.name not in position else position, record.nip if record else ""


def letterhead_of(institution: Institution) -> dict:
    """What the top of a letter shows, kept on the letter when it is issued."""
    lines = institution.letterhead_lines
    if not lines:
        chain = Institution.objects.filter(pk__in=institution.ancestor_ids()).order_by("depth")
        lines = [i.name for i in chain][-2:]
    contact = " · ".join(part for part in (institution.phone, institution.email) if part)
    return {"lines": lines, "name": institution.name, "address": institution.address, "contact": contact,
            "logo": institution.logo.name if institution.logo else ""}


def _letter_issue(*, actor: User, measure: Measure, day: datetime.date) -> WarningLetter:
    institution = measure.institution
    seq = next_sequence(institution, day.year)
    number = warning_letter_number(institution, seq=seq, day=day)
    name, position, nip = _signer(actor, institution)
    letter = WarningLetter.objects.create(
        institution=institution, measure=measure, year=day.year, seq=seq, number=number, issued_on=day,
        verification_code=_verification_code(), signed_by=actor, signer_name=name, signer_position=position,
        signer_nip=nip, letterhead=letterhead_of(institution),
    )
    log_action(action="sanctions.letter.issued", institution=institution, actor=actor, target=letter,
               data={"measure": measure.pk, "number": number, "year": day.year, "seq": seq})
    return letter


@transaction.atomic
def letter_render_pdf(*, letter: WarningLetter) -> WarningLetter:
    """Render and keep the letter's PDF once; later calls return the stored file."""
    letter = WarningLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.pdf:
        return letter
    pdf = build_letter_pdf(letter)
    path = _store(f"letters/{letter.institution_id}/{letter.year}/{uuid.uuid4().hex}.pdf", pdf)
    letter.pdf, letter.pdf_sha256 = path, hashlib.sha256(pdf).hexdigest()
    letter.save(update_fields=["pdf", "pdf_sha256"])
    log_action(action="sanctions.letter.rendered", institution=letter.institution, actor=None, target=letter,
               data={"sha256": letter.pdf_sha256, "size": len(pdf)})
    return letter


# The task name is the one it had in sanctions/tasks.py, so queued tasks still resolve.
@shared_task(base=TenantTask, bind=True, max_retries=3, default_retry_delay=60, name="sanctions.tasks.render_letter_pdf")
def letter_pdf_task(self, institution, letter_id: int):
    """Queued by ``measure_approve`` once the transaction commits."""
    letter = WarningLetter.objects.get(pk=letter_id)
    return letter_render_pdf(letter=letter).pdf_sha256
