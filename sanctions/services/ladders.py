"""The sanction ladder of an institution: the default one, and the head's choice of preset and months."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.audit import log_action
from governance.models import Institution, User

from .. import notifications as notices
from .. import rules, selectors
from ..deadlines import HEARING_WORKING_DAYS, REMOVAL_WORKING_DAYS
from ..ladders import PRESETS
from ..models import Ladder, LadderLevel, LadderProposal, LadderProposalState, LevelKind, ReferralTrack
from ._common import _require

POLICY_FIELDS = ("referral_only", "referral_track", "referral_to", "referral_working_days", "remind_after_working_days",
                 "hearing_working_days", "removal_working_days")


LEVEL_FIELDS = ("code", "name", "kind", "active_months", "informal")
MAX_LEVELS = 6


def _new_version(*, actor, institution, name: str, levels: list[dict], change_note: str = "",
                 policy: dict | None = None) -> Ladder:
    """The next version of the institution's ladder, made current. The one it replaces stays, with
    its levels, for the measures decided under it; its policy carries over unless ``policy`` says otherwise."""
    previous = selectors.current_ladder(institution)
    carried = {name: getattr(previous, name) for name in POLICY_FIELDS} if previous else {}
    version = (Ladder.objects.filter(institution=institution).aggregate(top=Max("version"))["top"] or 0) + 1
    Ladder.objects.filter(institution=institution, is_current=True).update(is_current=False)
    ladder = Ladder.objects.create(institution=institution, name=name, created_by=actor, version=version,
                                   change_note=change_note[:300], **{**carried, **(policy or {})})
    for position, level in enumerate(levels, start=1):
        LadderLevel.objects.create(ladder=ladder, position=position, **{key: level[key] for key in LEVEL_FIELDS})
    return ladder


def _levels_of(ladder: Ladder) -> list[dict]:
    return [{key: getattr(level, key) for key in LEVEL_FIELDS} for level in ladder.levels.order_by("position")]


def _create_ladder(*, actor, institution, preset: str, months: dict | None = None) -> Ladder:
    """A new current ladder from a preset. Measures already decided keep their rung's name, kind
    and months (copied onto each measure) and their version."""
    spec = PRESETS[preset]
    levels = [{"code": code, "name": str(name), "kind": kind, "active_months": (months or {}).get(position, 6),
               "informal": kind != LevelKind.REMOVAL}
              for position, (code, name, kind) in enumerate(spec["levels"], start=1)]
    ladder = _new_version(actor=actor, institution=institution, name=str(spec["name"]), levels=levels,
                          change_note=_("Ladder chosen from the presets."))
    log_action(action="sanctions.ladder.configured", institution=institution, actor=actor, target=ladder,
               data={"preset": preset, "version": ladder.version,
                     "months": [level["active_months"] for level in levels]})
    return ladder


def _check_levels(levels: list[dict]) -> list[dict]:
    """The rungs as the head wrote them, checked; refusals name the rung."""
    levels = [level for level in levels if (level.get("code") or "").strip() or (level.get("name") or "").strip()]
    if not levels:
        raise ValidationError(_("A ladder needs at least one rung."), code="no_levels")
    if len(levels) > MAX_LEVELS:
        raise ValidationError(_("A ladder has at most %(n)d rungs.") % {"n": MAX_LEVELS}, code="too_many")
    cleaned, codes, names = [], set(), set()
    for position, level in enumerate(levels, start=1):
        code, name = (level.get("code") or "").strip().upper(), " ".join((level.get("name") or "").split())
        if not code or not name:
            raise ValidationError(_("Rung %(n)d needs a short name and a full name.") % {"n": position}, code="blank")
        if len(code) > 20 or len(name) > 120:
            raise ValidationError(_("Rung %(n)d: the short name has at most 20 characters, the full name 120.")
                                  % {"n": position}, code="long")
        if code in codes or name.lower() in names:
            raise ValidationError(_("Rung %(n)d has the same name as an earlier rung.") % {"n": position},
                                  code="duplicate")
        codes.add(code)
        names.add(name.lower())
        if level.get("kind") not in LevelKind.values:
            raise ValidationError(_("Rung %(n)d: choose what it does.") % {"n": position}, code="kind")
        if level["kind"] == LevelKind.REMOVAL and position != len(levels):
            raise ValidationError(_("Only the last rung can remove a person from the group."), code="removal_last")
        if level["kind"] == LevelKind.REFERRAL and position != len(levels):
            raise ValidationError(_("Only the last rung can refer the case to the formal process."),
                                  code="referral_last")
        try:
            months = int(level.get("active_months"))
        except (TypeError, ValueError):
            months = 0
        if not 1 <= months <= 24:
            raise ValidationError(_("Rung %(n)d stays active between 1 and 24 months.") % {"n": position},
                                  code="months")
        cleaned.append({"code": code, "name": name, "kind": level["kind"], "active_months": months,
                        "informal": bool(level.get("informal"))})
    return cleaned


def _note(text: str, message: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"change_note": message})
    return text


def _refuse_unchanged(current: Ladder | None, cleaned: list[dict]) -> None:
    if current is not None and _levels_of(current) == cleaned:
        raise ValidationError(_("Nothing changed: the rungs are those of the current version."), code="unchanged")


def _save_version(*, actor, institution, current: Ladder | None, cleaned: list[dict], change_note: str,
                  proposal: LadderProposal | None = None) -> Ladder:
    """The one path by which new rungs become the next version, the head's own or a proposal's."""
    ladder = _new_version(actor=actor, institution=institution,
                          name=current.name if current else _("Own ladder"), levels=cleaned, change_note=change_note)
    log_action(action="sanctions.ladder.version_saved", institution=institution, actor=actor, target=ladder,
               data={"version": ladder.version, "levels": [level["code"] for level in cleaned],
                     "months": [level["active_months"] for level in cleaned],
                     "informal": [level["code"] for level in cleaned if level["informal"]],
                     "proposal": proposal.pk if proposal else None})
    return ladder


@transaction.atomic
def ladder_save(*, actor: User, institution: Institution, levels: list[dict], change_note: str) -> Ladder:
    """The head's own ladder: a new version with these rungs. Measures already decided keep the
    version they were decided under; proposals from now on follow the new one."""
    rules.check_edit_ladder(actor, institution)
    cleaned = _check_levels(levels)
    change_note = _note(change_note, _("Say in a sentence what changed and why."))
    current = selectors.current_ladder(institution)
    _refuse_unchanged(current, cleaned)
    return _save_version(actor=actor, institution=institution, current=current, cleaned=cleaned,
                         change_note=change_note)


# --- Humas proposes, the head decides (four eyes) ------------------------------------------------

def _lock_proposal(proposal: LadderProposal) -> LadderProposal:
    return LadderProposal.objects.select_for_update(of=("self",)).select_related("based_on").get(pk=proposal.pk)


@transaction.atomic
def ladder_propose(*, actor: User, institution: Institution, levels: list[dict], note: str) -> LadderProposal:
    """Humas proposes new rungs with a reason; the head is told. Nothing changes until the head accepts."""
    rules.check_propose_ladder(actor, institution)
    cleaned = _check_levels(levels)
    note = _note(note, _("Say in a sentence what should change and why."))
    current = ladder_ensure(actor=actor, institution=institution)
    _refuse_unchanged(current, cleaned)
    proposal = LadderProposal.objects.create(institution=institution, based_on=current, levels=cleaned,
                                             note=note[:300], proposed_by=actor)
    log_action(action="sanctions.ladder.proposed", institution=institution, actor=actor, target=proposal,
               data={"based_on": current.version, "levels": [level["code"] for level in cleaned],
                     "months": [level["active_months"] for level in cleaned]})
    notices.send(
        recipients=[user for user in notices.heads(institution) if user.pk != actor.pk], institution=institution,
        kind="ladder_proposed", title=gettext_lazy("A change of the sanction ladder awaits your decision"),
        body=notices.lazy_format(gettext_lazy("%(name)s proposes new rungs, following version %(n)s: %(note)s"),
                                 name=actor.get_full_name(), n=current.version, note=note),
        url=notices.page_url(institution, "ladder"),
    )
    return proposal


def _tell_proposer(proposal: LadderProposal, title, body) -> None:
    notices.send(recipients=[proposal.proposed_by], institution=proposal.institution, kind="ladder_proposal_decided",
                 title=title, body=body, url=notices.page_url(proposal.institution, "ladder"))


@transaction.atomic
def ladder_proposal_accept(*, actor: User, proposal: LadderProposal, reason: str = "") -> Ladder:
    """The head accepts: the proposed rungs become the next version, through the same path as the
    head's own change; the version's note names the proposal. Never the proposer's own."""
    institution = proposal.institution
    proposal = _lock_proposal(proposal)
    # The current row is locked too, so two acceptances in a row cannot both follow the same version.
    current = Ladder.objects.select_for_update().filter(institution=institution, is_current=True).first()
    rules.check_accept_ladder_proposal(actor, proposal, current_id=current.pk if current else None)
    cleaned = _check_levels(proposal.levels)
    _refuse_unchanged(current, cleaned)
    change_note = _("Proposal #%(pk)d by %(name)s: %(note)s") % {
        "pk": proposal.pk, "name": proposal.proposed_by.get_full_name(), "note": proposal.note}
    ladder = _save_version(actor=actor, institution=institution, current=current, cleaned=cleaned,
                           change_note=change_note, proposal=proposal)
    proposal.state, proposal.result = LadderProposalState.ACCEPTED, ladder
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.decision_reason = " ".join((reason or "").split())
    proposal.save(update_fields=["state", "result", "decided_by", "decided_at", "decision_reason"])
    log_action(action="sanctions.ladder.proposal_accepted", institution=institution, actor=actor, target=proposal,
               data={"state": proposal.state, "version": ladder.version})
    _tell_proposer(proposal, gettext_lazy("Your proposed ladder change was accepted"),
                   notices.lazy_format(gettext_lazy("It is version %(n)s of the ladder, in force from now on."),
                                       n=ladder.version))
    return ladder


@transaction.atomic
def ladder_proposal_reject(*, actor: User, proposal: LadderProposal, reason: str) -> LadderProposal:
    institution = proposal.institution
    proposal = _lock_proposal(proposal)
    rules.check_reject_ladder_proposal(actor, proposal)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Write why the proposal is rejected; the proposer reads it.")})
    proposal.state, proposal.decision_reason = LadderProposalState.REJECTED, reason
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    log_action(action="sanctions.ladder.proposal_rejected", institution=institution, actor=actor, target=proposal,
               data={"state": proposal.state})
    _tell_proposer(proposal, gettext_lazy("Your proposed ladder change was rejected"),
                   gettext_lazy("The reason is on the sanction ladder page."))
    return proposal


@transaction.atomic
def ladder_proposal_withdraw(*, actor: User, proposal: LadderProposal) -> LadderProposal:
    proposal = _lock_proposal(proposal)
    rules.check_withdraw_ladder_proposal(actor, proposal)
    proposal.state, proposal.decided_at = LadderProposalState.WITHDRAWN, timezone.now()
    proposal.save(update_fields=["state", "decided_at"])
    log_action(action="sanctions.ladder.proposal_withdrawn", institution=proposal.institution, actor=actor,
               target=proposal, data={"state": proposal.state})
    return proposal


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
                      hearing_working_days: int = HEARING_WORKING_DAYS,
                      removal_working_days: int = REMOVAL_WORKING_DAYS, informal_positions: set[int] | None = None) -> Ladder:
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
    if not 1 <= int(hearing_working_days) <= 14:
        raise ValidationError(_("Give the person reported 1 to 14 working days to explain."), code="hearing_days")
    if not 1 <= int(removal_working_days) <= 14:
        raise ValidationError(_("A removal from the group is due within 1 to 14 working days."), code="removal_days")
    referral_to = (referral_to or "").strip()
    if referral_only and not referral_to:
        raise ValidationError(_("Say to whom confirmed cases are referred, e.g. the code of ethics council."),
                              code="referral_to")
    policy = {"referral_only": bool(referral_only), "referral_track": referral_track,
              "referral_to": referral_to[:200], "referral_working_days": int(referral_working_days),
              "remind_after_working_days": int(remind_after_working_days),
              "hearing_working_days": int(hearing_working_days),
              "removal_working_days": int(removal_working_days)}
    levels = _levels_of(ladder)
    if informal_positions is not None:
        for position, level in enumerate(levels, start=1):
            level["informal"] = position in informal_positions
    if policy == {name: getattr(ladder, name) for name in POLICY_FIELDS} and levels == _levels_of(ladder):
        return ladder
    # A policy is part of the ladder's version: cases decided before keep the version they followed.
    ladder = _new_version(actor=actor, institution=institution, name=ladder.name, levels=levels, policy=policy,
                          change_note=_("How confirmed cases are handled was changed."))
    log_action(action="sanctions.ladder.policy_set", institution=institution, actor=actor, target=ladder,
               data={"version": ladder.version, "referral_only": ladder.referral_only, "track": referral_track,
                     "working_days": ladder.referral_working_days, "remind_after": ladder.remind_after_working_days,
                     "hearing_days": ladder.hearing_working_days, "removal_days": ladder.removal_working_days,
                     "informal": sorted(lvl.position for lvl in ladder.levels.all() if lvl.informal)})
    return ladder
