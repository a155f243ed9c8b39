"""Writes of chat-export triage. Each checks the caller's rights and the state, changes it, and writes
its audit entry in the same transaction; refusals are ``ValidationError`` with a message that says
what to do, and nothing is half-saved.

The life of an import: uploaded (the file kept privately) → parsed by a task (messages and flags
stored in one transaction, the file deleted) → previewed → confirmed by Humas → triaged → after
the triage window, its chat text deleted (``chat_import_purge``).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
import uuid

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.audit import log_action
from governance.models import Channel, Institution, User
from governance.retention import SweepResult
from governance.tenancy import TenantTask
from members.models import StaffMember
from members.validators import normalize_phone
from sanctions import services as sanctions_services
from sanctions.models import ReportSource, ViolationReport

from . import rules
from .chat import AmbiguousDateOrder, ChatImportError, author_phone, detect, parse
from .chat.errors import ReadFailed
from .chat.fast import triage_scan
from .chat.lexicon import CATEGORIES, term_key
from .chat.normalize import tokens
from .evidence import flag_evidence_pdf
from .models import (
    ChatAuthor,
    ChatFlag,
    ChatFlagState,
    ChatImport,
    ChatImportState,
    ChatLexicon,
    ChatMessage,
)
from .rules import PENDING_STATES
from .selectors import ImportMatchers, StaffIndex, chat_progress_key, lexicon_layers, previous_import

logger = logging.getLogger(__name__)

DEFAULT_TRIAGE_DAYS = 30
DEFAULT_UPLOAD_MAX_BYTES = 100 * 1024 * 1024
PENDING_HOURS = 48  # an upload not confirmed within two days is discarded
CONTEXT = 3  # messages kept before and after each flagged message
BATCH = 2000
MAX_TERMS = 500
MAX_TERM_LENGTH = 100


def triage_days() -> int:
    """How long chat text is kept after parsing: ``SANTUN_CHAT_TRIAGE_DAYS`` (default 30)."""
    return int(getattr(settings, "SANTUN_CHAT_TRIAGE_DAYS", DEFAULT_TRIAGE_DAYS))


def upload_max_bytes() -> int:
    return int(getattr(settings, "SANTUN_CHAT_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX_BYTES))


_require = rules.require


def _refusal_params(error: ChatImportError) -> dict:
    params = getattr(error, "params", None) or {}
    return {key: value for key, value in params.items() if isinstance(value, (str, int, float))}


# --- upload and parse ---------------------------------------------------------------------------------

def chat_import_start(*, actor: User, channel: Channel, upload, only_new: bool = True) -> ChatImport:
    """Keep the uploaded export privately and queue its parse. What is plainly no export (empty,
    binary, a damaged zip, text that is no chat) is refused here and nothing is stored; a file whose
    dates do not tell day-first from month-first waits for the choice (``chat_import_choose_order``)."""
    institution = channel.institution
    _require(actor, institution)
    if not channel.is_group or not channel.is_active:
        raise ValidationError(_("Chat exports can be triaged only for an active WhatsApp or Telegram group."),
                              code="channel")
    limit = upload_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; upload at most %(limit)s. Export the chat again without media.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}, code="chat_upload_too_large")
    ambiguous = None
    try:
        detect(upload)
    except AmbiguousDateOrder as error:
        ambiguous = error
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    previous = previous_import(channel) if only_new else None
    upload.seek(0)
    path = default_storage.save(f"chat-imports/{institution.pk}/{uuid.uuid4().hex}.upload", upload)
    try:
        with transaction.atomic():
            chat_import = ChatImport.objects.create(
                institution=institution, channel=channel, file=path, original_name=(upload.name or "")[-200:],
                size=upload.size, sha256=digest.hexdigest(), created_by=actor, context=CONTEXT,
                state=ChatImportState.NEEDS_ORDER if ambiguous else ChatImportState.PARSING,
                ambiguous_example=str((ambiguous.params or {}).get("example", ""))[:40] if ambiguous else "",
                since=previous.last_at if previous else None,
            )
            log_action(action="sanctions.chat_import.uploaded", institution=institution, actor=actor,
                       target=chat_import, data={"channel": channel.pk, "size": chat_import.size,
                                                 "sha256": chat_import.sha256, "state": chat_import.state,
                                                 "since_import": previous.pk if previous else None})
            if not ambiguous:
                _queue_parse(chat_import)
    except Exception:
        default_storage.delete(path)
        raise
    return chat_import


def _queue_parse(chat_import: ChatImport) -> None:
    parse_chat_import.delay_on_commit(institution_id=chat_import.institution_id, chat_import_id=chat_import.pk)


def chat_import_choose_order(*, actor: User, chat_import: ChatImport, order: str) -> ChatImport:
    """The person says how the file writes its dates; the parse starts."""
    _require(actor, chat_import.institution)
    if order not in ("dmy", "mdy"):
        raise ValidationError(_("Choose day-first or month-first."), code="order")
    with transaction.atomic():
        chat_import = ChatImport.objects.select_for_update().get(pk=chat_import.pk)
        rules.check_choose_order(chat_import)
        chat_import.date_order, chat_import.date_order_detected = order, False
        chat_import.state = ChatImportState.PARSING
        chat_import.save(update_fields=["date_order", "date_order_detected", "state"])
        log_action(action="sanctions.chat_import.date_order_chosen", institution=chat_import.institution, actor=actor,
                   target=chat_import, data={"order": order})
        _queue_parse(chat_import)
    return chat_import


def _discard_file(chat_import: ChatImport) -> None:
    if chat_import.file:
        default_storage.delete(chat_import.file.name)
        chat_import.file = ""


def chat_import_parse(*, chat_import: ChatImport, progress=None) -> ChatImport:
    """Read the stored upload once: keep flagged messages with their context, count the rest, match
    authors to staff, then delete the upload. Everything is written in one transaction, so a file
    refused halfway (mixed formats, bad encoding at the end, too large) leaves nothing behind."""
    chat_import = ChatImport.objects.select_related("institution", "channel").get(pk=chat_import.pk)
    if chat_import.state != ChatImportState.PARSING or not chat_import.file:
        return chat_import
    institution = chat_import.institution
    started = time.monotonic()
    name = chat_import.file.name
    try:
        matchers = ImportMatchers(institution)
        with transaction.atomic():
            # A task delivered twice waits here for the first one and then finds nothing to do.
            if not ChatImport.objects.select_for_update().filter(pk=chat_import.pk, state=ChatImportState.PARSING,
                                                                 file=name).exists():
                return ChatImport.objects.get(pk=chat_import.pk)
            with chat_import.file.open("rb") as handle, \
                    parse(handle, institution.tzinfo, chat_import.date_order or None) as result:
                stats = _store(chat_import, result, matchers, progress)
            chat_import.format, chat_import.format_details = result.format, result.spec.details
            chat_import.date_order, chat_import.date_order_detected = result.date_order, result.date_order_detected
            chat_import.first_at, chat_import.last_at = result.first, result.last
            chat_import.message_count, chat_import.system_lines = result.count, result.system_lines
            chat_import.author_count = stats["authors"]
            chat_import.flag_count, chat_import.flag_counts = stats["flags"], stats["per_category"]
            chat_import.stored_messages, chat_import.skipped_flags = stats["stored"], stats["skipped"]
            chat_import.election_periods = sorted(matchers.used)
            chat_import.state, chat_import.parsed_at = ChatImportState.PREVIEW, timezone.now()
            chat_import.file = ""
            chat_import.save()
            log_action(action="sanctions.chat_import.parsed", institution=institution, actor=None, target=chat_import,
                       data={"format": chat_import.format, "messages": chat_import.message_count,
                             "stored": chat_import.stored_messages, "flags": chat_import.flag_count,
                             "authors": chat_import.author_count, "ms": round((time.monotonic() - started) * 1000)})
        default_storage.delete(name)
    except AmbiguousDateOrder as error:
        _set_state(chat_import, ChatImportState.NEEDS_ORDER,
                   ambiguous_example=str((error.params or {}).get("example", ""))[:40], date_order="")
    except ChatImportError as error:
        _refuse(chat_import, error.code or "chat_invalid", _refusal_params(error))
    except Exception:
        logger.exception("chat import %s could not be parsed", chat_import.pk)
        _refuse(chat_import, ReadFailed.default_code, {})
    return chat_import


def _set_state(chat_import: ChatImport, state: str, **fields) -> None:
    with transaction.atomic():
        ChatImport.objects.filter(pk=chat_import.pk).update(state=state, **fields)
        for name, value in fields.items():
            setattr(chat_import, name, value)
        chat_import.state = state
        log_action(action=f"sanctions.chat_import.{state}", institution=chat_import.institution, actor=None,
                   target=chat_import, data={"state": state, **({"code": fields["problem_code"]}
                                                                 if "problem_code" in fields else {})})


def _refuse(chat_import: ChatImport, code: str, params: dict) -> None:
    _discard_file(chat_import)
    _set_state(chat_import, ChatImportState.REFUSED, file="", problem_code=code[:40], problem_params=params)


def _store(chat_import: ChatImport, result, matchers: ImportMatchers, progress) -> dict:  # noqa: C901 - one streaming pass over every message
    """Stream the export: count every author's messages, keep flagged messages (from ``since`` on)
    and the ``context`` messages around each, and write them in batches."""
    staff = StaffIndex(chat_import.institution)
    counts: dict[str, int] = {}
    flags_by_author: dict[str, int] = {}
    authors: dict[str, ChatAuthor] = {}

    def author_row(name: str | None) -> ChatAuthor | None:
        if name is None:
            return None
        name = name[:200]
        row = authors.get(name)
        if row is None:
            row = authors[name] = _new_author(chat_import, name, staff)
            row.save()
        return row

    since = chat_import.since
    stored_pk: dict[int, int] = {}  # index -> pk of messages already written
    pending: dict[int, ChatMessage] = {}
    flags: list[ChatFlag] = []
    per_category: dict[str, int] = {}
    total_flags = skipped = stored = 0

    def flush():
        nonlocal stored
        if pending:
            ChatMessage.objects.bulk_create(pending.values(), batch_size=BATCH)
            stored += len(pending)
            stored_pk.update((index, message.pk) for index, message in pending.items())
            pending.clear()
        if flags:
            ChatFlag.objects.bulk_create(flags, batch_size=BATCH)
            flags.clear()

    # the fast path (triage.chat.fast): the flags and contexts with_context gives, building only the
    # messages they need; every author's messages are counted in bulk
    scan = triage_scan(result, matchers.base, chat_import.context, pick=matchers.picker, progress=progress)
    for found in scan:
        message = found.message
        if since is not None and message.sent_at < since:
            skipped += 1
            continue
        for item in (*found.before, message, *found.after):
            if item.index not in stored_pk and item.index not in pending:
                pending[item.index] = ChatMessage(
                    chat_import=chat_import, index=item.index, sent_at=item.sent_at, author=author_row(item.author),
                    kind=item.kind, event=item.event or "", text=item.text, edited=item.edited)
        categories = found.flag.categories
        flag = ChatFlag(chat_import=chat_import, category=categories[0], categories=f",{','.join(categories)},",
                        terms=list(found.flag.terms), sent_at=message.sent_at)
        if message.index in pending:
            flag.message = pending[message.index]
        else:
            flag.message_id = stored_pk[message.index]
        flags.append(flag)
        total_flags += 1
        for category in categories:
            per_category[category] = per_category.get(category, 0) + 1
        if message.author is not None:
            key = message.author[:200]
            flags_by_author[key] = flags_by_author.get(key, 0) + 1
        if len(pending) >= BATCH:
            flush()
    flush()
    for name, n in scan.counts.items():
        counts[name[:200]] = counts.get(name[:200], 0) + n

    new, changed = [], []
    for name in dict.fromkeys(name[:200] for name in result.authors):
        row = authors.get(name)
        if row is None:
            row = _new_author(chat_import, name, staff)
            new.append(row)
        else:
            changed.append(row)
        row.messages, row.flags = counts.get(name, 0), flags_by_author.get(name, 0)
    ChatAuthor.objects.bulk_create(new, batch_size=BATCH)
    ChatAuthor.objects.bulk_update(changed, ["messages", "flags"], batch_size=BATCH)
    return {"authors": len(new) + len(changed), "flags": total_flags, "per_category": per_category,
            "stored": stored, "skipped": skipped}


def _new_author(chat_import: ChatImport, name: str, staff: StaffIndex) -> ChatAuthor:
    phone = author_phone(name) or ""
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            pass
    found = staff.match(name, phone or None)
    return ChatAuthor(chat_import=chat_import, name=name, phone=phone[:20], staff_id=found.staff_id,
                      match=found.match, ambiguous=found.ambiguous)


# --- preview, confirmation, cancellation ------------------------------------------------------------

def _locked(chat_import: ChatImport) -> ChatImport:
    return ChatImport.objects.select_for_update().select_related("institution", "channel").get(pk=chat_import.pk)


@transaction.atomic
def chat_import_confirm(*, actor: User, chat_import: ChatImport) -> ChatImport:
    _require(actor, chat_import.institution)
    chat_import = _locked(chat_import)
    rules.check_confirm(chat_import)
    chat_import.state, chat_import.confirmed_by, chat_import.confirmed_at = (
        ChatImportState.CONFIRMED, actor, timezone.now())
    chat_import.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    log_action(action="sanctions.chat_import.confirmed", institution=chat_import.institution, actor=actor,
               target=chat_import, data={"flags": chat_import.flag_count})
    return chat_import


def _delete_chat_data(chat_import: ChatImport) -> dict:
    ChatFlag.objects.filter(chat_import=chat_import).update(message=None, dismiss_reason="")
    messages = ChatMessage.objects.filter(chat_import=chat_import).delete()[0]
    authors = ChatAuthor.objects.filter(chat_import=chat_import).delete()[0]
    return {"messages": messages, "authors": authors}


def _discard(chat_import: ChatImport, *, actor: User | None, state: str) -> ChatImport:
    name = chat_import.file.name if chat_import.file else ""
    ChatFlag.objects.filter(chat_import=chat_import).delete()
    deleted = _delete_chat_data(chat_import)
    chat_import.state, chat_import.file, chat_import.original_name = state, "", ""
    chat_import.flag_counts, chat_import.flag_count = {}, 0
    chat_import.save(update_fields=["state", "file", "original_name", "flag_counts", "flag_count"])
    log_action(action=f"sanctions.chat_import.{state}", institution=chat_import.institution, actor=actor,
               target=chat_import, data={"state": state, **deleted})
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
    return chat_import


@transaction.atomic
def chat_import_cancel(*, actor: User, chat_import: ChatImport) -> ChatImport:
    """Humas drops an upload before confirming it: its file and everything read from it are deleted."""
    _require(actor, chat_import.institution)
    chat_import = _locked(chat_import)
    rules.check_cancel(chat_import)
    return _discard(chat_import, actor=actor, state=ChatImportState.CANCELLED)


@transaction.atomic
def chat_import_purge(*, actor: User | None, chat_import: ChatImport) -> ChatImport:
    """Delete the chat text of a confirmed import: its messages and authors. Flags keep their
    categories, terms and outcome; reports made from them keep their PDF evidence. Humas may do it
    as soon as the triage is done; the daily task does it when the triage window is over."""
    if actor is not None:
        _require(actor, chat_import.institution)
    chat_import = _locked(chat_import)
    rules.check_purge(chat_import)
    deleted = _delete_chat_data(chat_import)
    # The export's file name may name the group's members (an export of a private chat does): it goes too.
    chat_import.purged_at, chat_import.original_name = timezone.now(), ""
    chat_import.save(update_fields=["purged_at", "original_name"])
    log_action(action="sanctions.chat_import.purged", institution=chat_import.institution, actor=actor,
               target=chat_import, data={**deleted, "by": "humas" if actor is not None else "retention",
                                         "days": triage_days()})
    return chat_import


# The task name is the one it had when chat triage lived in the sanctions app, so queued tasks still resolve.
@shared_task(base=TenantTask, bind=True, name="sanctions.tasks.parse_chat_import")
def parse_chat_import(self, institution, chat_import_id: int):
    """Read an uploaded export in the background (progress: messages read so far, for the polling page)."""

    def progress(done: int) -> None:
        cache.set(chat_progress_key(chat_import_id), done, timeout=3600)

    chat_import = ChatImport.objects.get(pk=chat_import_id)
    return chat_import_parse(chat_import=chat_import, progress=progress).state


def _chat_imports_due(institution: Institution, now: datetime.datetime):
    """(uploads nobody confirmed in time, confirmed imports whose triage window is over)."""
    stale = ChatImport.objects.filter(institution=institution, state__in=PENDING_STATES,
                                      created_at__lt=now - datetime.timedelta(hours=PENDING_HOURS))
    due = ChatImport.objects.filter(institution=institution, state=ChatImportState.CONFIRMED, purged_at__isnull=True,
                                    parsed_at__lt=now - datetime.timedelta(days=triage_days()))
    return stale, due


def chat_imports_expire(*, institution: Institution, now: datetime.datetime | None = None) -> dict:
    """Daily: discard uploads nobody confirmed within two days, and delete the chat text of imports
    whose triage window is over."""
    now = now or timezone.now()
    expired = purged = 0
    stale, due = _chat_imports_due(institution, now)
    for chat_import in stale:
        with transaction.atomic():
            _discard(_locked(chat_import), actor=None, state=ChatImportState.EXPIRED)
        expired += 1
    for chat_import in due:
        chat_import_purge(actor=None, chat_import=chat_import)
        purged += 1
    return {"expired": expired, "purged": purged}


def chat_retention_sweep(institution: Institution, *, dry_run: bool = False):
    """The retention sweep of chat text (registered with ``governance.retention``, so the one nightly
    run and its dry run cover it): ``chat_imports_expire``, or on a dry run what it would remove."""
    if not dry_run:
        done = chat_imports_expire(institution=institution)
        return SweepResult(counts={"uploads_discarded": done["expired"], "chat_texts": done["purged"]})
    stale, due = _chat_imports_due(institution, timezone.now())
    return SweepResult(counts={"uploads_discarded": stale.count(), "chat_texts": due.count()})


# --- authors ------------------------------------------------------------------------------------------

@transaction.atomic
def chat_author_match(*, actor: User, author: ChatAuthor, staff: StaffMember | None) -> ChatAuthor:
    """Humas says which staff member a name or number in the chat is (or that it is nobody on the staff)."""
    chat_import = author.chat_import
    _require(actor, chat_import.institution)
    rules.check_has_data(chat_import)
    if staff is not None and (staff.institution_id != chat_import.institution_id or staff.left_on):
        raise ValidationError(_("Choose someone on this institution's current staff list."), code="staff")
    author.staff = staff
    author.match = ChatAuthor.Match.MANUAL if staff else ""
    author.ambiguous = False
    author.save(update_fields=["staff", "match", "ambiguous"])
    log_action(action="sanctions.chat_author.matched", institution=chat_import.institution, actor=actor, target=author,
               data={"import": chat_import.pk, "staff": staff.pk if staff else None})
    return author


# --- flags --------------------------------------------------------------------------------------------

def _lock_flag(flag: ChatFlag) -> ChatFlag:
    flag = ChatFlag.objects.select_for_update().get(pk=flag.pk)
    rules.check_in_triage(flag)
    return flag


@transaction.atomic
def chat_flag_dismiss(*, actor: User, flag: ChatFlag, reason: str) -> ChatFlag:
    """A person decides the flagged message breaks no rule, and says why."""
    _require(actor, flag.chat_import.institution)
    flag = _lock_flag(flag)
    rules.check_not_own_message(actor, flag)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write why this message breaks no rule."), code="reason")
    rules.check_open(flag)
    flag.state, flag.dismiss_reason, flag.decided_by, flag.decided_at = (
        ChatFlagState.DISMISSED, reason, actor, timezone.now())
    flag.save(update_fields=["state", "dismiss_reason", "decided_by", "decided_at"])
    log_action(action="sanctions.chat_flag.dismissed", institution=flag.chat_import.institution, actor=actor,
               target=flag, data={"import": flag.chat_import_id, "categories": flag.category_list})
    return flag


@transaction.atomic
def chat_flag_reopen(*, actor: User, flag: ChatFlag) -> ChatFlag:
    """Undo a dismissal (the reason is kept in the audit trail only as the fact that it was dismissed)."""
    _require(actor, flag.chat_import.institution)
    flag = _lock_flag(flag)
    rules.check_not_own_message(actor, flag)
    rules.check_dismissed(flag)
    flag.state, flag.dismiss_reason, flag.decided_by, flag.decided_at = ChatFlagState.OPEN, "", None, None
    flag.save(update_fields=["state", "dismiss_reason", "decided_by", "decided_at"])
    log_action(action="sanctions.chat_flag.reopened", institution=flag.chat_import.institution, actor=actor,
               target=flag, data={"import": flag.chat_import_id})
    return flag


def chat_flag_report(*, actor: User, flag: ChatFlag, occurred_at: datetime.datetime, rule_ids, description: str,
                     subject_staff: StaffMember | None = None, subject_name: str = "", subject_phone: str = "",
                     channel: Channel | None = None, place_note: str = "",
                     extra_evidence=()) -> tuple[ViolationReport, bool]:
    """Turn a flag into a violation report with the message and its context as PDF evidence.
    Returns (report, created); a flag already reported returns its report, never a second one."""
    _require(actor, flag.chat_import.institution)
    stored: list[str] = []
    try:
        with transaction.atomic():
            flag = _lock_flag(flag)
            if flag.report_id:
                return flag.report, False
            rules.check_not_own_message(actor, flag)
            rules.check_reportable(flag)
            pdf = flag_evidence_pdf(flag)
            report = sanctions_services.report_submit(
                actor=actor, institution=flag.chat_import.institution, occurred_at=occurred_at, rule_ids=rule_ids,
                description=description, subject_staff=subject_staff, subject_name=subject_name,
                subject_phone=subject_phone, channel=channel, place_note=place_note, source=ReportSource.CHAT,
                source_ref=flag.source_ref, evidence=[(f"triase-chat-{flag.pk}.pdf", pdf), *extra_evidence],
            )
            stored = list(report.evidence.values_list("file", flat=True))
            flag.state, flag.report, flag.decided_by, flag.decided_at = (
                ChatFlagState.REPORTED, report, actor, timezone.now())
            flag.save(update_fields=["state", "report", "decided_by", "decided_at"])
            log_action(action="sanctions.chat_flag.reported", institution=report.institution, actor=actor,
                       target=flag, data={"import": flag.chat_import_id, "report": report.pk})
    except Exception:
        for path in stored:
            default_storage.delete(path)
        raise
    return report, True


# --- lexicons -----------------------------------------------------------------------------------------

def _clean_terms(text: str, label: str) -> list[str]:
    terms, seen = [], set()
    for line in (text or "").splitlines():
        term = " ".join(line.split())
        if not term:
            continue
        if len(term) > MAX_TERM_LENGTH:
            raise ValidationError(_("%(what)s: “%(term)s…” is longer than %(n)d characters. Write one word or short "
                                    "phrase per line.") % {"what": label, "term": term[:30], "n": MAX_TERM_LENGTH},
                                  code="term_length")
        if not tokens(term.rstrip("*")):
            raise ValidationError(_("%(what)s: “%(term)s” has no letters or digits to look for.")
                                  % {"what": label, "term": term}, code="term_empty")
        key = term_key(term)
        if key not in seen:
            seen.add(key)
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise ValidationError(_("%(what)s: at most %(n)d terms.") % {"what": label, "n": MAX_TERMS}, code="too_many")
    return terms


@transaction.atomic
def chat_lexicon_update(*, actor: User, institution: Institution, category: str, additions: str,
                        removals: str) -> ChatLexicon:
    """Set the institution's own additions to one category's lexicon (its child institutions inherit
    them) and the default or inherited terms it does not want flagged."""
    _require(actor, institution)
    if category not in CATEGORIES:
        raise ValidationError(_("Unknown rule category."), code="category")
    added = _clean_terms(additions, _("Added terms"))
    removed = _clean_terms(removals, _("Removed terms"))
    both = {term_key(t) for t in added} & {term_key(t) for t in removed}
    if both:
        raise ValidationError(_("A term cannot be both added and removed."), code="both")
    layers = lexicon_layers(institution)
    inherited = {term_key(t) for t in layers.defaults.get(category, ())}
    for _ancestor, layer in layers.inherited:
        inherited.update(term_key(t) for t in layer.get(category, ()))
    unknown = [t for t in removed if term_key(t) not in inherited]
    if unknown:
        raise ValidationError(
            _("Not in the default or inherited lexicon of this category, so there is nothing to remove: %(terms)s. "
              "To stop flagging one of your own terms, delete it from the added terms.")
            % {"terms": ", ".join(f"“{t}”" for t in unknown)}, code="remove_unknown")
    lexicon, created = ChatLexicon.objects.get_or_create(institution=institution, category=category)
    before = (len(lexicon.added), len(lexicon.removed))
    lexicon.additions, lexicon.removals, lexicon.updated_by = "\n".join(added), "\n".join(removed), actor
    lexicon.save()
    log_action(action="sanctions.chat_lexicon.updated", institution=institution, actor=actor, target=lexicon,
               data={"category": category, "added": len(added), "removed": len(removed),
                     "before": {"added": before[0], "removed": before[1]}})
    return lexicon
