"""The sanction ladder of an institution: the default one, and the head's choice of preset and months."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Institution, User

from .. import selectors
from ..ladders import PRESETS
from ..models import Ladder, LadderLevel, LevelKind, ReferralTrack
from ._common import _require

POLICY_FIELDS = ("referral_only", "referral_track", "referral_to", "referral_working_days", "remind_after_working_days")


def _create_ladder(*, actor, institution, preset: str, months: dict | None = None) -> Ladder:
    """A new current ladder; the policy of the one it replaces carries over. Measures already
    decided keep their rung's name, kind and months (copied onto each measure)."""
    spec = PRESETS[preset]
    previous = selectors.current_ladder(institution)
    policy = {name: getattr(previous, name) for name in POLICY_FIELDS} if previous else {}
    Ladder.objects.filter(institution=institution, is_current=True).update(is_current=False)
    ladder = Ladder.objects.create(institution=institution, name=str(spec["name"]), created_by=actor, **policy)
    for position, (code, name, kind) in enumerate(spec["levels"], start=1):
        LadderLevel.objects.create(
            ladder=ladder, position=position, code=code, name=str(name), kind=kind,
            active_months=(months or {}).get(position, 6), informal=kind != LevelKind.REMOVAL,
        )
    log_action(action="sanctions.ladder.configured", institution=institution, actor=actor, target=ladder,
               data={"preset": preset, "months": [lvl.active_months for lvl in ladder.levels.order_by("position")]})
    return ladder


@transaction.atomic
def ladder_ensure(*, actor: User | None, institution: Institution) -> Ladder:
    """The current ladder, creating the default SP1 → SP2 → removal (seed 000) when there is none."""
    ladder = selectors.current_ladder(institution)
    return ladder or _create_ladder(actor=actor, institution=institution, preset="sp")


@transaction.atomic
def ladder_configure(*, actor: User, institution: Institution, preset: str, months: dict[int, int]) -> Ladder:
    _require(actor, institution, "sanctions.decide")
    if preset not in PRESETS:
        raise ValidationError(_("Choose one of the ladders offered."), code="preset")
    for value in months.values():
        if not 1 <= int(value) <= 24:
            raise ValidationError(_("A level stays active between 1 and 24 months."), code="months")
    return _create_ladder(actor=actor, institution=institution, preset=preset, months=months)


@transaction.atomic
def ladder_set_policy(*, actor: User, institution: Institution, referral_only: bool, referral_track: str = "ethics",
                      referral_to: str = "", referral_working_days: int = 20, remind_after_working_days: int = 5,
                      informal_positions: set[int] | None = None) -> Ladder:
    """The head sets how confirmed cases are handled: up the group ladder (with the rungs that apply
    to informal channels), or referral only, to the formal process named here."""
    _require(actor, institution, "sanctions.decide")
    ladder = Ladder.objects.select_for_update().get(pk=ladder_ensure(actor=actor, institution=institution).pk)
    if referral_track not in ReferralTrack.values:
        raise ValidationError(_("Choose the process the case is referred to."), code="track")
    if not 1 <= int(referral_working_days) <= 120:
        raise ValidationError(_("The outcome is expected within 1 to 120 working days."), code="days")
    if not 1 <= int(remind_after_working_days) <= 30:
        raise ValidationError(_("Remind the decider after 1 to 30 working days."), code="remind_days")
    referral_to = (referral_to or "").strip()
    if referral_only and not referral_to:
        raise ValidationError(_("Say to whom confirmed cases are referred, e.g. the code of ethics council."),
                              code="referral_to")
    ladder.referral_only, ladder.referral_track = bool(referral_only), referral_track
    ladder.referral_to, ladder.referral_working_days = referral_to[:200], int(referral_working_days)
    ladder.remind_after_working_days = int(remind_after_working_days)
    ladder.save(update_fields=list(POLICY_FIELDS))
    if informal_positions is not None:
        for level in ladder.levels.all():
            informal = level.position in informal_positions
            if level.informal != informal:
                level.informal = informal
                level.save(update_fields=["informal"])
    log_action(action="sanctions.ladder.policy_set", institution=institution, actor=actor, target=ladder,
               data={"referral_only": ladder.referral_only, "track": referral_track,
                     "working_days": ladder.referral_working_days, "remind_after": ladder.remind_after_working_days,
                     "informal": sorted(lvl.position for lvl in ladder.levels.all() if lvl.informal)})
    return ladder
