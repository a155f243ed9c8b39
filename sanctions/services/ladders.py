"""The sanction ladder of an institution: the default one, and the head's choice of preset and months."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Institution, User

from .. import selectors
from ..ladders import PRESETS
from ..models import Ladder, LadderLevel
from ._common import _require


def _create_ladder(*, actor, institution, preset: str, months: dict | None = None) -> Ladder:
    spec = PRESETS[preset]
    Ladder.objects.filter(institution=institution, is_current=True).update(is_current=False)
    ladder = Ladder.objects.create(institution=institution, name=str(spec["name"]), created_by=actor)
    for position, (code, name, kind) in enumerate(spec["levels"], start=1):
        LadderLevel.objects.create(
            ladder=ladder, position=position, code=code, name=str(name), kind=kind,
            active_months=(months or {}).get(position, 6),
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
