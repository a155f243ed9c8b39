"""When a step of the semester assessment may be taken: the guards of the reports services.

Each ``check_*`` function raises the ``ValidationError`` its service raises, with the same message,
and returns nothing when the step may be taken. The services call them on the row they locked;
``selectors.period_actions`` and ``selectors.export_actions`` call them through ``allowed`` to list
the steps a page offers, so a page shows a button exactly when the service would accept it.

What a step needs beyond its stage and its actor (a deadline still ahead, institutions in scope,
every criterion scored, a reason) is refused with a message when the step is tried: the button
stays, so the person learns what is missing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Institution, Membership, Role, User
from governance.tenancy import rows_of

from .models import AssessmentPeriod, Entry, Export

State = AssessmentPeriod.State

# A running export that has not moved for this long is taken to be stuck and may be retried.
STALE_EXPORT_AFTER = datetime.timedelta(minutes=15)


def allowed(check, *args, **kwargs) -> bool:
    """Whether ``check(*args, **kwargs)`` lets the step through."""
    try:
        check(*args, **kwargs)
    except (PermissionDenied, ValidationError):
        return False
    return True


def frozen_message() -> str:
    return _("This period is finalized and nothing in it can change. To correct a result, open a correction "
             "(a new revision) from the period's page.")


def require_state(period: AssessmentPeriod, *states: str) -> None:
    if period.state in states:
        return
    if period.state == State.FINALIZED:
        raise ValidationError(frozen_message(), code="frozen")
    messages = {
        State.DRAFT: _("This period is still a draft; open it for self-assessment first."),
        State.SELF_ASSESSMENT: _("This period is open for self-assessment; start scoring first."),
        State.SCORING: _("This period is being scored; self-assessments can no longer change."),
    }
    raise ValidationError(messages[period.state], code="state")


def is_assessor(user: User, institution: Institution) -> bool:
    return rows_of(Membership, institution).active(institution.local_today()).filter(
        user=user, role=Role.ASSESSOR).exists()


def require_assessor(actor: User | None, period: AssessmentPeriod, *, assessor: bool | None = None) -> None:
    """``assessor``: whether the page already knows the visitor is an assessor of the period's institution."""
    if actor is None or not (is_assessor(actor, period.institution) if assessor is None else assessor):
        raise ValidationError(_("Only an assessor of %(institution)s may do this.") % {"institution": period.institution.name},
                              code="not_assessor")


def require_in_subtree(period: AssessmentPeriod, entry: Entry) -> None:
    if entry.period_id != period.pk or not entry.institution.is_descendant_of(period.institution):
        raise ValidationError(_("%(institution)s is not below %(assessor)s; an assessor scores only the institutions "
                                "below their own.") % {"institution": entry.institution.name,
                                                       "assessor": period.institution.name}, code="outside_subtree")


# --- the period ------------------------------------------------------------------------------------

def check_edit(period: AssessmentPeriod) -> None:
    if period.is_frozen:
        raise ValidationError(frozen_message(), code="frozen")


def check_open(period: AssessmentPeriod) -> None:
    require_state(period, State.DRAFT)


def check_start_scoring(period: AssessmentPeriod) -> None:
    require_state(period, State.SELF_ASSESSMENT)


def check_recompute(period: AssessmentPeriod) -> None:
    require_state(period, State.SCORING)


def check_finalize(period: AssessmentPeriod) -> None:
    require_state(period, State.SCORING)


def check_score(actor: User | None, period: AssessmentPeriod, *, assessor: bool | None = None) -> None:
    """Scores may be recorded while the period is being scored, by an assessor of its institution."""
    require_state(period, State.SCORING)
    require_assessor(actor, period, assessor=assessor)


def check_revise(period: AssessmentPeriod) -> None:
    if period.state != State.FINALIZED:
        raise ValidationError(_("Only a finalized period can be corrected; this one can still be changed directly."))


def check_latest_revision(period: AssessmentPeriod) -> None:
    """Only the newest revision of a semester's result is corrected (read inside the assessor's subtree)."""
    latest = AssessmentPeriod.objects.filter(institution=period.institution, year=period.year,
                                             semester=period.semester).order_by("-revision").first()
    if latest.pk != period.pk:
        raise ValidationError(_("This result already has a newer revision (%(label)s); correct that one.") % {
            "label": latest.label})


# --- exports ---------------------------------------------------------------------------------------

def check_retry_export(export: Export, *, now: datetime.datetime | None = None) -> None:
    stuck = export.is_active and (now or timezone.now()) - export.updated_at >= STALE_EXPORT_AFTER
    if export.state != Export.State.FAILED and not stuck:
        raise ValidationError(_("Only a failed export can be retried."))


# --- the statistics page ---------------------------------------------------------------------------

# Roles that see their own institution's statistics with every count; the others (an assessor, and
# anyone looking at a whole subtree) see them from above, small counts hidden.
OWN_STATISTICS_ROLES = frozenset({Role.HEAD, Role.ACTING, Role.PUBLIC_RELATIONS})
# Roles that may look at the whole subtree below the institution: its head, and assessors.
SUBTREE_STATISTICS_ROLES = frozenset({Role.HEAD, Role.ACTING})


def statistics_subtree_allowed(access) -> bool:
    return bool(access.roles & SUBTREE_STATISTICS_ROLES) or Role.ASSESSOR in (access.roles | access.ancestor_roles)


def statistics_private(access, *, subtree: bool) -> bool:
    """Whether counts of 1 or 2 are hidden ("< 3"), so that nobody can be recognised from above."""
    return subtree or not (access.roles & OWN_STATISTICS_ROLES)
