"""Reads of chat-export triage: the institution's lexicon with what it inherits, the matchers an
import is flagged with, staff matching, the triage list with its filters, counts and context."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When

from governance.models import Channel, ChannelKind, ElectionPeriod, Institution, RuleCategory
from governance.tenancy import rows_of_lineage
from members.models import StaffMember
from sanctions.selectors import audit_case_targets as case_rows
from sanctions.selectors import citable_rules

from . import rules
from .chat.lexicon import CATEGORIES, Matcher, default_lexicon, merge_lexicons, term_key
from .chat.people import person_key
from .models import ChatAuthor, ChatFlag, ChatFlagState, ChatImport, ChatImportState, ChatLexicon, ChatMessage

CATEGORY_LABELS = dict(RuleCategory.choices)


# --- progress of a running parse ---------------------------------------------------------------------

def chat_progress_key(chat_import_id: int) -> str:
    """Cache key of the messages read so far by ``services.parse_chat_import``."""
    return f"sanctions:chat:{chat_import_id}:progress"


def read_chat_progress(chat_import_id: int) -> int:
    return cache.get(chat_progress_key(chat_import_id)) or 0


# --- lexicons ---------------------------------------------------------------------------------------

@dataclass
class LexiconLayers:
    """Where an institution's lexicon comes from."""

    institution: Institution
    defaults: dict[str, tuple[str, ...]]
    inherited: list[tuple[Institution, dict[str, list[str]]]]  # ancestors' additions, root first
    added: dict[str, list[str]]
    removed: dict[str, list[str]]
    own: dict[str, ChatLexicon] = field(default_factory=dict)

    def effective(self) -> dict[str, tuple[str, ...]]:
        return merge_lexicons(self.defaults, *(layer for _, layer in self.inherited), self.added, remove=self.removed)


def lexicon_layers(institution: Institution) -> LexiconLayers:
    """The shipped defaults, every ancestor's additions, and the institution's own additions and
    removals (an ancestor's removals stay its own)."""
    ancestors = list(Institution.objects.filter(pk__in=institution.ancestor_ids()).order_by("depth"))
    rows = list(rows_of_lineage(ChatLexicon, institution))
    by_institution: dict[int, dict[str, ChatLexicon]] = defaultdict(dict)
    for row in rows:
        by_institution[row.institution_id][row.category] = row
    inherited = []
    for ancestor in ancestors:
        layer = {category: row.added for category, row in by_institution[ancestor.pk].items() if row.added}
        if layer:
            inherited.append((ancestor, layer))
    own = by_institution[institution.pk]
    return LexiconLayers(
        institution=institution, defaults=default_lexicon(), inherited=inherited,
        added={category: row.added for category, row in own.items() if row.added},
        removed={category: row.removed for category, row in own.items() if row.removed},
        own=dict(own),
    )


def effective_lexicon(institution: Institution) -> dict[str, tuple[str, ...]]:
    return lexicon_layers(institution).effective()


def period_terms(period: ElectionPeriod) -> list[str]:
    """An election period's candidate names and campaign terms, for the politics lexicon."""
    return period.candidate_list() + period.term_list()


def lexicon_overview(institution: Institution, today: datetime.date | None = None) -> list[dict]:
    """Per rule category, each term with where it comes from, for the lexicon page."""
    from governance.selectors import active_election_periods

    layers = lexicon_layers(institution)
    periods = active_election_periods(institution, today or institution.local_today())
    out = []
    for category in CATEGORIES:
        rows, seen = [], set()
        removed = {term_key(t) for t in layers.removed.get(category, [])}
        sources = [(term, "default") for term in layers.defaults.get(category, ())]
        for ancestor, layer in layers.inherited:
            sources += [(term, ancestor.name) for term in layer.get(category, ())]
        sources += [(term, "own") for term in layers.added.get(category, ())]
        for term, origin in sources:
            key = term_key(term)
            if key not in seen:
                seen.add(key)
                rows.append({"term": term, "origin": origin, "removed": key in removed})
        election = []
        if category == RuleCategory.POLITICS:
            for period in periods:
                election += [(term, period.name) for term in period_terms(period)]
        active = sum(1 for row in rows if not row["removed"]) + len(election)
        out.append({"category": category, "label": CATEGORY_LABELS[category], "terms": rows, "election": election,
                    "active": active, "own": layers.own.get(category)})
    return out


class ImportMatchers:
    """The matcher for each message of an export: the institution's lexicon, plus the politics terms
    of the election periods running in its region on the day the message was sent."""

    def __init__(self, institution: Institution):
        self._lexicon = effective_lexicon(institution)
        self.base = Matcher(self._lexicon)
        self.periods = [p for p in ElectionPeriod.objects.order_by("campaign_starts_on")
                        if p.covers(institution) and period_terms(p)]
        self.used: set[int] = set()
        self._by_day: dict[datetime.date, Matcher] = {}
        self._by_periods: dict[tuple[int, ...], Matcher] = {}

    def pick(self, message) -> Matcher:
        day = message.sent_at.date()
        matcher = self._by_day.get(day)
        if matcher is None:
            running = tuple(p for p in self.periods if p.is_active_on(day))
            if not running:
                matcher = self.base
            else:
                key = tuple(p.pk for p in running)
                matcher = self._by_periods.get(key)
                if matcher is None:
                    extra = {RuleCategory.POLITICS.value: [t for p in running for t in period_terms(p)]}
                    matcher = self._by_periods[key] = Matcher(merge_lexicons(self._lexicon, extra))
                self.used.update(key)
            if len(self._by_day) < 20_000:
                self._by_day[day] = matcher
        return matcher

    @property
    def picker(self):
        return self.pick if self.periods else None


# --- staff ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StaffMatch:
    staff_id: int | None
    match: str  # ChatAuthor.Match value or ""
    ambiguous: bool = False


class StaffIndex:
    """The institution's current staff by WhatsApp number and by name without titles."""

    def __init__(self, institution: Institution):
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for pk, name, phone in StaffMember.objects.filter(institution=institution, left_on__isnull=True).values_list(
                "pk", "full_name", "phone"):
            if phone:
                self.by_phone[phone].append(pk)
            key = person_key(name)
            if key:
                self.by_name[key].append(pk)

    def match(self, name: str, phone: str | None) -> StaffMatch:
        if phone:
            found = self.by_phone.get(phone, [])
            if len(found) == 1:
                return StaffMatch(found[0], ChatAuthor.Match.PHONE)
            if len(found) > 1:
                return StaffMatch(None, "", ambiguous=True)
        found = self.by_name.get(person_key(name), []) if not phone else []
        if len(found) == 1:
            return StaffMatch(found[0], ChatAuthor.Match.NAME)
        return StaffMatch(None, "", ambiguous=len(found) > 1)


def current_staff(institution: Institution):
    return StaffMember.objects.filter(institution=institution, left_on__isnull=True).order_by("full_name")


# --- imports ----------------------------------------------------------------------------------------

def group_channels(institution: Institution):
    """The institution's active WhatsApp and Telegram groups, with the date of their last confirmed import."""
    return (Channel.objects.filter(institution=institution, kind__in=ChannelKind.group_kinds(), is_active=True)
            .annotate(last_import=Max("chat_imports__last_at",
                                      filter=Q(chat_imports__state=ChatImportState.CONFIRMED)))
            .order_by("-is_official", "name"))


def chat_imports(institution: Institution, *, channel: Channel | None = None):
    qs = ChatImport.objects.filter(institution=institution).select_related("channel", "created_by")
    if channel is not None:
        qs = qs.filter(channel=channel)
    return qs.annotate(open_flags=Count("flags", filter=Q(flags__state=ChatFlagState.OPEN))).order_by("-created_at", "-pk")


def chat_panel(institution: Institution) -> dict:
    """For Humas's dashboard: flags waiting in imports still in triage, and uploads to confirm."""
    in_triage = ChatImport.objects.filter(institution=institution, state=ChatImportState.CONFIRMED,
                                          purged_at__isnull=True)
    return {
        "open_flags": ChatFlag.objects.filter(chat_import__in=in_triage, state=ChatFlagState.OPEN).count(),
        "imports": in_triage.count(),
        "waiting": ChatImport.objects.filter(institution=institution, state__in=[
            ChatImportState.PREVIEW, ChatImportState.NEEDS_ORDER]).count(),
    }


def previous_import(channel: Channel) -> ChatImport | None:
    """The group's confirmed import whose messages reach furthest: a new export is triaged from there."""
    return (ChatImport.objects.filter(channel=channel, state=ChatImportState.CONFIRMED, last_at__isnull=False)
            .order_by("-last_at").first())


def import_authors(chat_import: ChatImport):
    return chat_import.authors.select_related("staff").order_by("-flags", "-messages", "name")


def flag_category_table(chat_import: ChatImport) -> list[dict]:
    return [{"category": category, "label": CATEGORY_LABELS.get(category, category), "count": count}
            for category, count in sorted(chat_import.flag_counts.items(),
                                          key=lambda item: CATEGORIES.index(item[0]) if item[0] in CATEGORIES else 99)
            if count]


# --- the triage list ----------------------------------------------------------------------------------

@dataclass
class FlagFilters:
    state: str = ChatFlagState.OPEN
    category: str = ""
    author: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def query(self, *, category=True, state=True):
        q = Q()
        if state and self.state:
            q &= Q(state=self.state)
        if category and self.category:
            q &= Q(categories__contains=f",{self.category},")
        if self.author:
            q &= Q(message__author_id=self.author)
        return q


def _category_order():
    return Case(*[When(category=c, then=Value(i)) for i, c in enumerate(CATEGORIES)], output_field=IntegerField())


def triage_flags(chat_import: ChatImport, filters: FlagFilters):
    """Flags of an import, grouped by their first category (in the code's category order), oldest first."""
    qs = ChatFlag.objects.filter(chat_import=chat_import).filter(filters.query())
    qs = _date_range(qs, chat_import.institution, filters)
    return (qs.select_related("message", "message__author", "message__author__staff", "report", "decided_by")
            .annotate(category_order=_category_order()).order_by("category_order", "sent_at", "pk"))


def _date_range(qs, institution: Institution, filters: FlagFilters):
    tz = institution.tzinfo
    if filters.start:
        qs = qs.filter(sent_at__gte=datetime.datetime.combine(filters.start, datetime.time.min, tzinfo=tz))
    if filters.end:
        qs = qs.filter(sent_at__lt=datetime.datetime.combine(filters.end + datetime.timedelta(days=1),
                                                             datetime.time.min, tzinfo=tz))
    return qs


def triage_counts(chat_import: ChatImport, filters: FlagFilters) -> dict:
    """Counts for the filter bar: per state (with the other filters) and per category (with the state)."""
    base = _date_range(ChatFlag.objects.filter(chat_import=chat_import), chat_import.institution, filters)
    states = dict.fromkeys(ChatFlagState.values, 0)
    for state, n in base.filter(filters.query(state=False)).values_list("state").annotate(n=Count("pk")):
        states[state] = n
    per_category: dict[str, int] = defaultdict(int)
    for categories in base.filter(filters.query(category=False)).values_list("categories", flat=True):
        for category in categories.split(","):
            if category:
                per_category[category] += 1
    categories = [{"category": c, "label": CATEGORY_LABELS[c], "count": per_category[c]}
                  for c in CATEGORIES if per_category.get(c)]
    return {"states": states, "total": sum(states.values()), "categories": categories}


def contexts(chat_import: ChatImport, flags) -> dict[int, tuple[list[ChatMessage], list[ChatMessage]]]:
    """For each flag, the stored messages before and after its message (one query for a page)."""
    flags = [flag for flag in flags if flag.message_id]
    if not flags:
        return {}
    n = chat_import.context
    ranges = Q()
    for flag in flags:
        index = flag.message.index
        ranges |= Q(index__gte=max(index - n, 0), index__lte=index + n)
    messages = {m.index: m for m in ChatMessage.objects.filter(ranges, chat_import=chat_import).select_related(
        "author", "author__staff")}
    out = {}
    for flag in flags:
        index = flag.message.index
        before = [messages[i] for i in range(max(index - n, 0), index) if i in messages]
        after = [messages[i] for i in range(index + 1, index + n + 1) if i in messages]
        out[flag.pk] = (before, after)
    return out


def flag_context(flag: ChatFlag) -> tuple[list[ChatMessage], list[ChatMessage]]:
    return contexts(flag.chat_import, [flag]).get(flag.pk, ([], []))


def suggested_rules(flag: ChatFlag) -> list:
    """Rules of the code in force when the message was sent whose category is one of the flag's and
    that apply to the group."""
    channel = flag.chat_import.channel
    return [rule for rule in citable_rules(flag.chat_import.institution, at=flag.sent_at)
            .filter(category__in=flag.category_list)
            if rule.applies_to(channel.kind)]


# --- what a visitor may do ----------------------------------------------------------------------------
# Pages ask these for the buttons they show ({% if "confirm" in actions %}); each name is allowed
# exactly when the service behind it would accept the visitor (the same ``rules`` checks).

def chat_import_actions(access, chat_import: ChatImport) -> frozenset[str]:
    """choose_order, confirm, cancel, purge and match_author, for those who triage chat exports."""
    if access is None or not rules.allowed(rules.require, None, chat_import.institution_id, access=access):
        return frozenset()
    checks = {"choose_order": rules.check_choose_order, "confirm": rules.check_confirm, "cancel": rules.check_cancel,
              "purge": rules.check_purge, "match_author": rules.check_has_data}
    return frozenset(name for name, check in checks.items() if rules.allowed(check, chat_import))


def flag_actions(access, flag: ChatFlag, *, chat_import: ChatImport | None = None, user=None) -> frozenset[str]:
    """dismiss, reopen and report. Pass the flag's import when the page holds it (no query then);
    ``user``: the visitor, who handles no flag on their own message."""
    if access is None or not rules.allowed(rules.require, None, None, access=access):
        return frozenset()
    if not rules.allowed(rules.check_in_triage, flag, chat_import):
        return frozenset()
    if not rules.allowed(rules.check_not_own_message, user, flag):
        return frozenset()
    actions = set()
    if rules.allowed(rules.check_open, flag):
        actions.add("dismiss")
    if rules.allowed(rules.check_dismissed, flag):
        actions.add("reopen")
    if not flag.report_id and rules.allowed(rules.check_reportable, flag):  # a reported flag keeps its one report
        actions.add("report")
    return frozenset(actions)


def audit_case_targets(institution: Institution, *, case: int | None = None, subject=None) -> dict:
    """The flags a case was reported from, beside the case's own rows (``sanctions.selectors``)."""
    reports = case_rows(institution, case=case, subject=subject).get("sanctions.violationreport")
    if reports is None:
        return {}
    flags = ChatFlag.objects.filter(report__in=reports)
    # the table kept its name when triage became its own app; entries written before name the old label
    return {"triage.chatflag": flags, "sanctions.chatflag": flags}
