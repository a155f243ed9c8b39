"""Reads of the governance app."""

from __future__ import annotations

import datetime
import difflib
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .models import (
    AuditEntry,
    Channel,
    ChannelKind,
    CodeVersion,
    ElectionPeriod,
    ElectionReminder,
    Institution,
    Membership,
    Notification,
    Publication,
    Role,
    Rule,
    RuleCategory,
    RuleKind,
    User,
)
from .tenancy import institution_scope

KIND_ORDER = [RuleKind.PROHIBITION, RuleKind.RECOMMENDATION, RuleKind.PERMISSION, RuleKind.SANCTION]
# The heading of each kind's part of a code (the kinds' own labels are singular).
KIND_HEADINGS = {
    RuleKind.PROHIBITION: gettext_lazy("Prohibitions"),
    RuleKind.RECOMMENDATION: gettext_lazy("Recommendations"),
    RuleKind.PERMISSION: pgettext_lazy("kinds of rules", "Permissions"),
    RuleKind.SANCTION: gettext_lazy("Sanction clauses"),
}
CATEGORY_ORDER = list(RuleCategory.values)
# Categories pinned to the top of a code while an election period is active.
ELECTION_CATEGORIES = {RuleCategory.POLITICS}
MAX_RANGE_DAYS = 366
# Where adopted rules come from, two levels up (a Rutan adopts through its Kanwil from Ditjenpas).
RULE_ORIGINS = ("inherited_from__version__institution", "inherited_from__inherited_from__version__institution")


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user: User):
    return Notification.objects.filter(recipient=user).order_by("-created_at")


def active_election_periods(institution: Institution, day: datetime.date | None = None) -> list[ElectionPeriod]:
    """Election periods running (campaign start to voting day) in the institution's region."""
    from .cache import cached_global

    day = day or institution.local_today()
    candidates = cached_global("elections", lambda: list(
        ElectionPeriod.objects.filter(campaign_starts_on__lte=day, voting_day__gte=day)), day=day)
    return [period for period in candidates if period.covers(institution)]


# Apps that keep cases say which of their rows belong to one: ``resolver(institution, case=…)`` gives
# ``{target_type: queryset}`` of the rows of case number ``case``; ``resolver(institution, subject=user)``
# those of every case about ``user``, whose entries the audit view never shows them (they would name
# who reported them and who worked the case).
_audit_case_resolvers: list = []


def register_audit_case(resolver) -> None:
    if resolver not in _audit_case_resolvers:
        _audit_case_resolvers.append(resolver)


def _targets_q(institution: Institution, **which) -> Q:
    """Entries naming any of the rows the resolvers give (querysets, read as subqueries: no query here)."""
    q = Q(pk__in=[])
    for resolver in _audit_case_resolvers:
        for target_type, rows in resolver(institution, **which).items():
            ids = rows.order_by().annotate(audit_target_id=Cast("pk", output_field=CharField())).values("audit_target_id")
            q |= Q(target_type=target_type, target_id__in=ids)
    return q


def audit_entries(institution: Institution, *, target=None, visitor: User | None = None,
                  start: datetime.date | None = None, end: datetime.date | None = None, action: str = "",
                  actor_id: int | None = None, case: int | None = None):
    """The institution's entries, newest first; dates in its time zone, ``end`` inclusive. With a
    ``visitor``, the entries about cases where they are the person reported are left out."""
    qs = AuditEntry.objects.select_related("actor").order_by("-seq")
    if target is not None:
        qs = qs.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    if start or end:
        low, high = local_bounds(institution, start or datetime.date(2000, 1, 1), end or institution.local_today())
        qs = qs.filter(created_at__gte=low, created_at__lt=high)
    if action:
        qs = qs.filter(action=action)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if case:
        qs = qs.filter(_targets_q(institution, case=case))
    if visitor is not None:
        qs = qs.exclude(_targets_q(institution, subject=visitor))
    return qs


def audit_actions(institution: Institution) -> list[str]:
    """Every action written at the institution, for the audit view's filter."""
    return sorted(set(AuditEntry.objects.order_by().values_list("action", flat=True).distinct()))


def audit_actors(institution: Institution) -> list[User]:
    ids = AuditEntry.objects.filter(actor__isnull=False).order_by().values_list("actor_id", flat=True).distinct()
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "email"))


def active_members(institution: Institution, *, roles=None, day: datetime.date | None = None) -> list[User]:
    """Users holding an active role at the institution (each once), optionally only some roles."""
    with institution_scope(institution):
        memberships = Membership.objects.active(day or institution.local_today()).filter(user__is_active=True)
        if roles:
            memberships = memberships.filter(role__in=roles)
        user_ids = set(memberships.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=user_ids).order_by("full_name", "email"))


# ---------------------------------------------------------------- channels


def channels(institution: Institution, *, kind: str | None = None, status: str = "active"):
    qs = Channel.objects.filter(institution=institution)
    if kind:
        qs = qs.filter(kind=kind)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "archived":
        qs = qs.filter(is_active=False)
    return qs.order_by("kind", "name")


def channel_counts(institution: Institution) -> dict:
    rows = Channel.objects.filter(institution=institution, is_active=True).values_list("kind", "is_official")
    groups = sum(1 for kind, _ in rows if kind in ChannelKind.group_kinds())
    accounts = sum(1 for kind, official in rows if kind not in ChannelKind.group_kinds() and official)
    return {"groups": groups, "official_accounts": accounts, "total": len(rows)}


def official_accounts(institution: Institution, *, include_archived: bool = False):
    qs = Channel.objects.filter(institution=institution, is_official=True).exclude(kind__in=ChannelKind.group_kinds())
    if not include_archived:
        qs = qs.filter(is_active=True)
    return qs.order_by("name")


def channel_rules(channel: Channel) -> list[Rule]:
    """The rules of the institution's current published code that apply to this channel's kind."""
    version = current_code_version(channel.institution)
    if version is None:
        return []
    return [rule for rule in version.rules.select_related(*RULE_ORIGINS) if rule.applies_to(channel.kind)]


# ---------------------------------------------------------------- codes of conduct


def current_code_version(institution: Institution) -> CodeVersion | None:
    return CodeVersion.objects.filter(institution=institution, state=CodeVersion.State.PUBLISHED).first()


def draft_code_version(institution: Institution) -> CodeVersion | None:
    return CodeVersion.objects.filter(institution=institution, state=CodeVersion.State.DRAFT).first()


def code_versions(institution: Institution, *, include_drafts: bool):
    states = [CodeVersion.State.PUBLISHED, CodeVersion.State.SUPERSEDED]
    if include_drafts:
        states += [CodeVersion.State.DRAFT, CodeVersion.State.DISCARDED]
    return (CodeVersion.objects.filter(institution=institution, state__in=states)
            .annotate(rule_count=Count("rules")).order_by("-number"))


def previous_version(version: CodeVersion) -> CodeVersion | None:
    """What a version is compared with: for a draft, the code in force; otherwise the version
    published before it."""
    published = [CodeVersion.State.PUBLISHED, CodeVersion.State.SUPERSEDED]
    if version.state == CodeVersion.State.DRAFT:
        return current_code_version(version.institution)
    return (CodeVersion.objects.filter(institution=version.institution_id, state__in=published, number__lt=version.number)
            .order_by("-number").first())


@dataclass
class RuleChange:
    old: Rule
    new: Rule
    fields: list[str]
    words: list[tuple[str, str]]  # (equal|delete|insert, text) of the rule text


@dataclass
class VersionDiff:
    version: CodeVersion
    previous: CodeVersion | None
    added: list[Rule] = field(default_factory=list)
    removed: list[Rule] = field(default_factory=list)
    changed: list[RuleChange] = field(default_factory=list)
    unchanged: int = 0
    preamble_changed: bool = False
    title_changed: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.preamble_changed or self.title_changed)

    @property
    def change_count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", " ".join(b[j1:j2])))
    return out


RULE_FIELDS = [("number", "number"), ("category", "category"), ("kind", "kind"), ("severity", "severity"),
               ("channel_kinds", "applies to"), ("text", "text")]


def version_diff(version: CodeVersion, against: CodeVersion | None = None) -> VersionDiff:
    """Rules added, removed and changed compared with ``against`` (default: ``previous_version``).
    Rules are matched by lineage, so a renumbered rule is "changed", not "removed and added"."""
    previous = against if against is not None else previous_version(version)
    diff = VersionDiff(version=version, previous=previous)
    new_rules = list(version.rules.all())
    if previous is None:
        diff.added = new_rules
        return diff
    old_rules = {rule.lineage: rule for rule in previous.rules.all()}
    labels = {name: Rule._meta.get_field(name).verbose_name for name, _ in RULE_FIELDS}
    for rule in new_rules:
        old = old_rules.pop(rule.lineage, None)
        if old is None:
            diff.added.append(rule)
            continue
        changed = []
        for name, _label in RULE_FIELDS:
            before, after = getattr(old, name), getattr(rule, name)
            if name == "channel_kinds":
                before, after = sorted(before or []), sorted(after or [])
            if before != after:
                changed.append(str(labels[name]))
        if changed:
            diff.changed.append(RuleChange(old=old, new=rule, fields=changed, words=_word_diff(old.text, rule.text)))
        else:
            diff.unchanged += 1
    diff.removed = sorted(old_rules.values(), key=lambda r: r.position)
    diff.preamble_changed = previous.preamble.strip() != version.preamble.strip()
    diff.title_changed = previous.title.strip() != version.title.strip()
    return diff


@dataclass
class CodeLayout:
    """A code as staff and the public read it: pinned rules first, then by kind and category."""

    pinned: list[Rule]
    groups: list[dict]  # {"kind", "label", "categories": [{"category", "label", "rules"}]}
    periods: list[ElectionPeriod]

    @property
    def rule_count(self) -> int:
        return len(self.pinned) + sum(len(c["rules"]) for g in self.groups for c in g["categories"])


def code_layout(version: CodeVersion, *, periods: list[ElectionPeriod] | None = None) -> CodeLayout:
    rules = list(version.rules.select_related(*RULE_ORIGINS))
    periods = periods or []
    pinned = [rule for rule in rules if periods and rule.category in ELECTION_CATEGORIES]
    rest = [rule for rule in rules if rule not in pinned]
    kind_labels, category_labels = dict(RuleKind.choices), dict(RuleCategory.choices)
    groups = []
    for kind in KIND_ORDER:
        of_kind = [rule for rule in rest if rule.kind == kind]
        if not of_kind:
            continue
        categories = []
        for category in CATEGORY_ORDER:
            in_category = [rule for rule in of_kind if rule.category == category]
            if in_category:
                categories.append({"category": category, "label": category_labels[category], "rules": in_category})
        groups.append({"kind": kind, "label": kind_labels[kind], "heading": KIND_HEADINGS[kind], "categories": categories})
    return CodeLayout(pinned=pinned, groups=groups, periods=periods)


def public_code_url(institution: Institution) -> str:
    """The absolute address of the public code page, as printed and encoded in its QR code."""
    path = reverse("governance:public_code", kwargs={"institution": institution.slug})
    return f"{settings.SANTUN_SITE_URL.rstrip('/')}{path}"


def code_qr(institution: Institution):
    """A QR code (segno) that opens the public code page."""
    import segno

    return segno.make(public_code_url(institution), error="m", micro=False)


@dataclass
class ParentCodeStatus:
    parent: Institution | None
    parent_version: CodeVersion | None  # the parent's code in force
    adopted_version: CodeVersion | None  # the parent version this institution's code was built on
    update_available: bool


def parent_code_status(institution: Institution, *, mine: CodeVersion | None | bool = False) -> ParentCodeStatus:
    """``mine``: this institution's draft or else its code in force, when the caller has read it."""
    parent = institution.parent if institution.parent_id else None
    if parent is None or not parent.is_active:
        return ParentCodeStatus(None, None, None, False)
    with institution_scope(parent):
        parent_version = current_code_version(parent)
    if mine is False:
        mine = draft_code_version(institution) or current_code_version(institution)
    adopted = None
    if mine is not None and mine.adopted_parent_version_id:
        if parent_version is not None and parent_version.pk == mine.adopted_parent_version_id:
            adopted = parent_version
        else:
            with institution_scope(parent):
                adopted = CodeVersion.objects.filter(pk=mine.adopted_parent_version_id).first()
    update = parent_version is not None and (adopted is None or adopted.pk != parent_version.pk)
    return ParentCodeStatus(parent, parent_version, adopted, update)


# ---------------------------------------------------------------- publication log


def local_bounds(institution: Institution, start: datetime.date, end: datetime.date):
    """[start 00:00, day after end 00:00) in the institution's zone, as aware datetimes."""
    tz = institution.tzinfo
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))


def publications(institution: Institution, *, channel: Channel | None = None,
                 start: datetime.date | None = None, end: datetime.date | None = None):
    qs = Publication.objects.filter(institution=institution).select_related("channel", "reviewed_by")
    if channel is not None:
        qs = qs.filter(channel=channel)
    if start is not None:
        qs = qs.filter(published_at__gte=local_bounds(institution, start, start)[0])
    if end is not None:
        qs = qs.filter(published_at__lt=local_bounds(institution, end, end)[1])
    return qs.order_by("-published_at", "-pk")


def publication_check_refusal(user: User, publication: Publication) -> str | None:
    """Why ``user`` may not check ``publication`` now (None: they may). A checked post needs no new
    check; a published one may be checked once afterwards. When the institution has more than one
    active Humas, the writer does not check their own post."""
    if publication.state == Publication.State.CHECKED or (
            publication.state == Publication.State.PUBLISHED and publication.checked_at is not None):
        return _("This post has already been checked.")
    if publication.created_by_id is not None and publication.created_by_id == user.pk:
        humas = active_members(publication.institution, roles=[Role.PUBLIC_RELATIONS])
        if len(humas) > 1:
            return _("Another Humas officer must check this post: the writer of a post does not check it "
                     "when the institution has more than one Humas.")
    return None


def publication_actions(user: User, access, publication: Publication) -> set[str]:
    """What the visitor may do with a logged post: "check", "publish" (mark published), "change"."""
    if access is None or not access.has("governance.manage_publications"):
        return set()
    actions = {"change"}
    if publication_check_refusal(user, publication) is None:
        actions.add("check")
    if publication.state == Publication.State.CHECKED:
        actions.add("publish")
    return actions


def _active_days(channel: Channel, start: datetime.date, end: datetime.date, today: datetime.date, tz=None) -> int:
    last = min(end, today)
    if channel.archived_at is not None and not channel.is_active:
        last = min(last, channel.archived_at.astimezone(tz or channel.institution.tzinfo).date())
    return max((last - start).days + 1, 0)


@dataclass
class TargetAttainment:
    channel: Channel
    target: int
    unit: str
    days: int
    posts: int
    expected: float
    share: float | None  # 0..1, None when nothing was expected yet

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    @property
    def met(self) -> bool:
        return self.share is not None and self.share >= 1


def posting_target_attainment(institution: Institution, start: datetime.date, end: datetime.date) -> list[TargetAttainment]:
    """Posts of each official account with a posting target against that target, ``start``–``end``
    inclusive (dates in the institution's time zone).

    For every official account (``is_official``, not a group) that has a ``posting_target``:

    - ``days``: the days of the range on which the account was expected to post — from ``start`` to
      the earliest of ``end``, today and the day it was archived (days still to come are not
      expected yet); accounts with no such day are left out;
    - ``posts``: publication-log entries of the account published on ``start``–``end``;
    - ``expected = target × days`` for a daily target, ``target × days / 7`` for a weekly one;
    - ``share = min(posts / expected, 1)`` — the attained share, capped at 100 % so that one busy
      account cannot hide another's silence when shares are averaged; ``None`` if ``expected`` is 0.

    The semester assessment reads this as its "posting target met" indicator.
    """
    today = institution.local_today()
    accounts = [channel for channel in official_accounts(institution, include_archived=True).filter(posting_target__gt=0)
                if _active_days(channel, start, end, today) > 0]
    low, high = local_bounds(institution, start, end)
    counts = dict(
        Publication.objects.filter(channel__in=accounts, published_at__gte=low, published_at__lt=high)
        .values("channel").annotate(n=Count("pk")).values_list("channel", "n")
    )
    out = []
    for channel in accounts:
        days = _active_days(channel, start, end, today)
        expected = channel.posting_target * days / (7 if channel.posting_target_unit == Channel.TargetUnit.WEEK else 1)
        posts = counts.get(channel.pk, 0)
        share = min(posts / expected, 1.0) if expected > 0 else None
        out.append(TargetAttainment(channel, channel.posting_target, channel.posting_target_unit, days, posts,
                                    round(expected, 2), share))
    return out


@dataclass
class ActivityBucket:
    start: datetime.date
    end: datetime.date
    posts: int
    target: float | None


def posting_activity(channel: Channel, start: datetime.date, end: datetime.date, bucket: str) -> list[ActivityBucket]:
    """Posts of one account per day (``bucket="day"``) or per week (Monday–Sunday, cut at the range's
    edges), with the posting target for each bucket in the same unit (``None`` without a target)."""
    institution = channel.institution
    low, high = local_bounds(institution, start, end)
    per_day: dict[datetime.date, int] = {}
    for moment in Publication.objects.filter(channel=channel, published_at__gte=low, published_at__lt=high
                                             ).values_list("published_at", flat=True):
        day = moment.astimezone(institution.tzinfo).date()
        per_day[day] = per_day.get(day, 0) + 1
    daily_target = channel.target_per_day() if channel.has_target else None
    buckets = []
    day = start
    while day <= end:
        last = day if bucket == "day" else min(day + datetime.timedelta(days=6 - day.weekday()), end)
        days = (last - day).days + 1
        posts = sum(per_day.get(day + datetime.timedelta(days=i), 0) for i in range(days))
        target = round(daily_target * days, 2) if daily_target is not None else None
        buckets.append(ActivityBucket(day, last, posts, target))
        day = last + datetime.timedelta(days=1)
    return buckets


def week_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


# ---------------------------------------------------------------- dashboard


def governance_panel(institution: Institution) -> dict:
    """What the Humas coordinator and the head see first: the code in force, the register, and this
    week's posts against the targets."""
    today = institution.local_today()
    monday, sunday = week_bounds(today)
    attainment = posting_target_attainment(institution, monday, sunday)
    posts = sum(a.posts for a in attainment)
    expected = sum(a.expected for a in attainment)
    current, draft = current_code_version(institution), draft_code_version(institution)
    return {
        "current": current,
        "draft": draft,
        "counts": channel_counts(institution),
        "week_start": monday,
        "week_posts": posts,
        # posts are whole: a share of a post due by today counts as one due (6 a week is 1 on Monday)
        "week_expected": math.ceil(round(expected, 2)),
        "accounts_behind": [a for a in attainment if a.share is not None and a.share < 1],
        "accounts_with_target": len(attainment),
        "parent": parent_code_status(institution, mine=draft or current),
    }


def natural_key(number: str) -> list[tuple[int, object]]:
    """Sort "2" before "10" and "A1" before "A2"; numbers before letters."""
    return [(0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.findall(r"\d+|\D+", number or "")]


def checked_before_publishing_share(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """The "checked before publication" indicator: per institution, the posts of its official accounts
    published on ``start``–``end`` (its own calendar) that had passed their check before they were
    published ÷ all its posts published then × 100. ``None`` when it published nothing. One query
    per time zone among the institutions."""
    zones = {pk: Institution(timezone=tz).tzinfo for pk, tz in
             Institution.objects.filter(pk__in=institution_ids).values_list("pk", "timezone")}
    by_zone: dict[str, list[int]] = {}
    for pk, tz in zones.items():
        by_zone.setdefault(str(tz), []).append(pk)
    totals: dict[int, tuple[int, int]] = {}
    for ids in by_zone.values():
        tz = zones[ids[0]]
        low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        rows = (Publication.objects.filter(institution_id__in=ids, state=Publication.State.PUBLISHED,
                                           published_at__gte=low, published_at__lt=high)
                .values("institution_id")
                .annotate(n=Count("pk"), checked=Count("pk", filter=Q(checked_before_publishing=True)))
                .values_list("institution_id", "n", "checked"))
        totals.update({pk: (n, checked) for pk, n, checked in rows})
    return {pk: (100 * totals[pk][1] / totals[pk][0] if pk in totals and totals[pk][0] else None)
            for pk in institution_ids}


def posting_target_met_share(institution_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    """The "posting target met" indicator for many institutions at once, in at most five queries.

    Per institution: the mean of ``share`` (see ``posting_target_attainment``: posts ÷ expected posts,
    capped at 1) over its official accounts with a posting target, × 100. ``None`` when it has no
    such account with a day in the range (nothing to judge by).
    """
    zones = {pk: Institution(timezone=tz).tzinfo for pk, tz in
             Institution.objects.filter(pk__in=institution_ids).values_list("pk", "timezone")}
    accounts = list(
        Channel.objects.filter(institution_id__in=institution_ids, is_official=True, posting_target__gt=0)
        .exclude(kind__in=ChannelKind.group_kinds())
    )
    by_zone: dict[str, list[Channel]] = {}
    for channel in accounts:
        by_zone.setdefault(str(zones[channel.institution_id]), []).append(channel)
    counts: dict[int, int] = {}
    for channels in by_zone.values():
        tz = zones[channels[0].institution_id]
        low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        counts.update(
            Publication.objects.filter(channel__in=channels, published_at__gte=low, published_at__lt=high)
            .values("channel").annotate(n=Count("pk")).values_list("channel", "n")
        )
    shares: dict[int, list[float]] = {}
    for channel in accounts:
        tz = zones[channel.institution_id]
        today = timezone.localtime(timezone.now(), tz).date()
        days = _active_days(channel, start, end, today, tz)
        if days <= 0:
            continue
        expected = channel.posting_target * days / (7 if channel.posting_target_unit == Channel.TargetUnit.WEEK else 1)
        shares.setdefault(channel.institution_id, []).append(min(counts.get(channel.pk, 0) / expected, 1.0))
    return {pk: (round(100 * sum(shares[pk]) / len(shares[pk]), 2) if shares.get(pk) else None)
            for pk in institution_ids}


# ---------------------------------------------------------------- election periods

# Institutions whose operators keep the regional elections of their own region.
ELECTION_KEEPER_KINDS = {Institution.Kind.REGIONAL_OFFICE, Institution.Kind.DISTRICT_OFFICE,
                         Institution.Kind.LOCAL_GOVERNMENT}


@dataclass(frozen=True)
class ElectionRegion:
    """The region an institution keeps regional election periods for."""

    coverage: str  # ElectionPeriod.Coverage.PROVINCE or REGENCY
    code: str

    def allows(self, coverage: str, codes: list[str]) -> bool:
        if coverage == ElectionPeriod.Coverage.NATIONAL or not codes:
            return False
        if self.coverage == ElectionPeriod.Coverage.REGENCY:
            return coverage == ElectionPeriod.Coverage.REGENCY and set(codes) == {self.code}
        if coverage == ElectionPeriod.Coverage.PROVINCE:
            return set(codes) == {self.code}
        return all(code.startswith(f"{self.code}.") for code in codes)


def election_region(institution: Institution) -> ElectionRegion | None:
    """A province or regency institution keeps the periods of its own region; others keep none."""
    if institution.kind not in ELECTION_KEEPER_KINDS:
        return None
    if institution.regency_code:
        return ElectionRegion(ElectionPeriod.Coverage.REGENCY, institution.regency_code)
    if institution.province_code:
        return ElectionRegion(ElectionPeriod.Coverage.PROVINCE, institution.province_code)
    return None


def election_periods(institution: Institution | None = None) -> list[ElectionPeriod]:
    """Every period, latest first — with an institution, those that reach its region and the ones it
    entered — each knowing whether its staff reminder went out (``has_reminders``), in one query."""
    periods = (ElectionPeriod.objects.select_related("owner").order_by("-voting_day", "name")
               .annotate(has_reminders=Exists(ElectionReminder.objects.filter(period=OuterRef("pk")))))
    if institution is None:
        return list(periods)
    return [period for period in periods if period.owner_id == institution.pk or period.covers(institution)]


def _regions_meet(a: ElectionPeriod, b: ElectionPeriod) -> bool:
    if ElectionPeriod.Coverage.NATIONAL in (a.coverage, b.coverage):
        return True

    def provinces(period):
        return {code.split(".")[0] for code in period.region_codes}

    if a.coverage == b.coverage:
        return bool(set(a.region_codes) & set(b.region_codes))
    return bool(provinces(a) & provinces(b))


def election_overlaps(period: ElectionPeriod, others=None) -> list[ElectionPeriod]:
    """Other periods whose dates (campaign start to voting day) and regions meet this one's."""
    others = ElectionPeriod.objects.exclude(pk=period.pk) if others is None else others
    return [other for other in others
            if other.pk != period.pk and other.campaign_starts_on <= period.voting_day
            and period.campaign_starts_on <= other.voting_day and _regions_meet(period, other)]


def election_period_actions(period: ElectionPeriod, *, owner: Institution | None, actor, today: datetime.date,
                            may_manage: bool) -> set[str]:
    """What the visitor may do with a period of ``election_periods`` (which knows ``has_reminders``), by
    the rules of ``services.election_period_save``/``_delete``; ``may_manage``: whether the visitor
    holds ``governance.manage_elections`` where they look."""
    platform = actor is not None and actor.is_superuser and owner is None
    if not platform and (owner is None or period.owner_id != owner.pk or not may_manage):
        return set()
    actions = set()
    if period.voting_day >= today:
        actions.add("edit")
    if period.campaign_starts_on > today and not period.has_reminders:
        actions.add("delete")
    return actions


def has_totp(user: User) -> bool:
    """Whether the person has an authenticator app set up (two-factor sign-in)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
