"""Who hears about what. Every notice goes through ``governance.services.notify``; titles carry no
personal data (they become e-mail subjects), bodies name the case by number only."""

from __future__ import annotations

import contextlib
import contextvars
import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import lazy

from governance.models import Institution, Role, User
from governance.services import notify

_email_enabled = contextvars.ContextVar("sanctions_email_enabled", default=True)


@contextlib.contextmanager
def in_app_only():
    """Demo data and bulk jobs: write the in-app notices but send no e-mail."""
    token = _email_enabled.set(False)
    try:
        yield
    finally:
        _email_enabled.reset(token)


# A decision waiting for the recipient, or a deadline they must meet: e-mailed at once, whatever
# the recipient chose for their other notices (daily digest, in Santun only).
URGENT_KINDS = {
    "awaiting_approval", "objection_filed", "appeal_filed", "decision_reminder", "removal_due", "referral_overdue",
    "explanation_invited", "letter_issued", "measure_issued", "objection_decided", "ladder_proposed",
}


def send(*, recipients, institution: Institution, kind: str, title, body="", url: str = ""):
    return notify(
        recipients=[user for user in recipients if user is not None], institution=institution,
        kind=f"sanctions.{kind}", title=title, body=body, url=url, email=_email_enabled.get(),
        urgent=kind in URGENT_KINDS,
    )


def users_with_role(institution: Institution, role: str, day: datetime.date | None = None) -> list[User]:
    """Active holders of ``role`` at ``institution`` (works from a child's scope: User is not scoped)."""
    day = day or institution.local_today()
    return list(
        User.objects.filter(
            Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gt=day),
            memberships__institution=institution, memberships__role=role, memberships__starts_on__lte=day,
            is_active=True,
        ).distinct().order_by("pk")
    )


def heads(institution: Institution) -> list[User]:
    return users_with_role(institution, Role.HEAD)


def parent_heads(institution: Institution) -> list[User]:
    return heads(institution.parent) if institution.parent_id else []


def humas(institution: Institution) -> list[User]:
    return users_with_role(institution, Role.PUBLIC_RELATIONS)


def not_the_subject(users, report) -> list[User]:
    """``users`` without the person the case is about: they hear of it only as its subject."""
    subject_id = report.subject_staff.user_id if report.subject_staff_id else None
    return [u for u in users if u is not None and (subject_id is None or u.pk != subject_id)]


# Every sanctions page a notice may link to. The case pages are listed by the object their ``pk``
# names: when retention deletes a case, the notices linking to its pages go with it. A link to a page
# listed in neither is refused, so a new notice cannot outlive the case it names unnoticed.
CASE_PAGES = {
    "report": ("report_detail", "my_explanation"),
    "measure": ("measure_decide", "measure_decide_escalated", "my_measure"),
    "objection": ("objection_decide", "objection_decide_escalated"),
    "appeal": ("appeal_decide", "appeal_decide_escalated"),
    "removal": ("removal_confirm",),
}
OTHER_PAGES = frozenset({"ladder", "my_cases"})
_LINKABLE = OTHER_PAGES.union(*CASE_PAGES.values())


def page_url(institution: Institution, name: str, **kwargs) -> str:
    """The path of the sanctions page ``name`` at ``institution`` (a notice's link)."""
    if name not in _LINKABLE:
        raise ValueError(f"sanctions:{name} is in neither CASE_PAGES nor OTHER_PAGES of sanctions.notifications")
    return reverse(f"sanctions:{name}", kwargs={"institution": institution.slug, **kwargs})


def lazy_format(template, **params):
    """A lazily translated, formatted text: rendered in each recipient's language by ``notify``."""
    return lazy(lambda: str(template) % params, str)()
