"""Pages of chat-export triage: upload, preview and confirmation, the triage list, "buat laporan",
and the lexicon. Each view validates input, calls one service or selector, and renders. Only Humas
and the head of the institution see any of it (``sanctions.view_chat``); only Humas acts
(``sanctions.triage_chat``)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from governance.http import private_download, refuse, refuse_on_form
from governance.models import Channel, RuleCategory
from governance.permissions import requires
from governance.selectors import active_election_periods
from sanctions.forms import ERROR_FIELDS, read_uploads

from . import selectors, services
from .chat.errors import error_from_code
from .chat.formats import FormatSpec
from .chat.lexicon import CATEGORIES
from .forms import (
    AuthorMatchForm,
    ChatReportForm,
    ChatUploadForm,
    DateOrderForm,
    DismissForm,
    FlagFilterForm,
    LexiconForm,
    date_reading_label,
)
from .models import ChatAuthor, ChatFlag, ChatFlagState, ChatImport, ChatImportState

FLAGS_PER_PAGE = 20


def _import_url(institution: str, pk: int, name: str = "chat_import") -> str:
    return reverse(f"triage:{name}", kwargs={"institution": institution, "pk": pk})


def _back(request, default: str) -> str:
    """Where a form on the triage list returns to: the list as it was filtered."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and \
            target.startswith(f"/instansi/{request.institution.slug}/"):
        return target
    return default


# --- the overview and the upload -----------------------------------------------------------------

@requires("sanctions.view_chat")
def chat_imports(request, institution):
    page = Paginator(selectors.chat_imports(request.institution), 20).get_page(request.GET.get("page"))
    return render(request, "triage/imports.html", {
        "groups": selectors.group_channels(request.institution), "page": page,
        "days": services.triage_days(), "title": _("Chat triage"),
    })


@requires("sanctions.triage_chat")
def chat_upload(request, institution, channel_pk):
    channel = get_object_or_404(Channel, pk=channel_pk)
    if not channel.is_group or not channel.is_active:
        raise Http404("not an active group")
    previous = selectors.previous_import(channel)
    form = ChatUploadForm(request.POST or None, request.FILES or None, previous=previous,
                          institution=request.institution)
    if request.method == "POST" and form.is_valid():
        try:
            chat_import = services.chat_import_start(actor=request.user, channel=channel,
                                                     upload=form.cleaned_data["file"],
                                                     only_new=bool(form.cleaned_data.get("only_new")))
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(_import_url(institution, chat_import.pk))
    return render(request, "triage/upload.html", {
        "form": form, "channel": channel, "previous": previous, "max_size": services.upload_max_bytes(),
        "days": services.triage_days(), "title": _("Upload a chat export"),
    })


# --- one import: progress, date order, preview, confirmation ---------------------------------------

def _readings(example: str) -> list[tuple[str, str]]:
    if not example:
        return [("dmy", _("Day first (Indonesian style)")), ("mdy", _("Month first (English style)"))]
    sep = next((ch for ch in example if not ch.isdigit()), "/")
    digits = 4 if len(example.split(sep)[-1]) == 4 else 2
    out = []
    for order, label in (("dmy", _("Day first (Indonesian style)")), ("mdy", _("Month first (English style)"))):
        reading = date_reading_label(example, FormatSpec("android", order, sep, digits, 24))
        out.append((order, _("%(label)s: %(example)s is %(date)s") % {"label": label, "example": example,
                                                                        "date": reading} if reading else label))
    return out


def _import_context(request, chat_import: ChatImport) -> dict:
    context = {"chat_import": chat_import, "title": chat_import.channel.name,
               "progress": selectors.read_chat_progress(chat_import.pk) if chat_import.is_running else 0,
               "days": services.triage_days(), "actions": selectors.chat_import_actions(request.access, chat_import)}
    if chat_import.parsed_at:
        context["purge_on"] = chat_import.parsed_at + datetime.timedelta(days=services.triage_days())
    if chat_import.state == ChatImportState.NEEDS_ORDER:
        context["order_form"] = DateOrderForm(readings=_readings(chat_import.ambiguous_example))
    if chat_import.state == ChatImportState.REFUSED:
        context["problem"] = error_from_code(chat_import.problem_code, chat_import.problem_params).messages
    if chat_import.has_data:
        authors = list(selectors.import_authors(chat_import))
        context.update({
            "authors": authors, "matched": [a for a in authors if a.staff_id],
            "unmatched": [a for a in authors if not a.staff_id],
            "categories": selectors.flag_category_table(chat_import),
        })
        if request.access.has("sanctions.triage_chat"):
            context["match_form"] = AuthorMatchForm(authors=chat_import.authors.select_related("staff").order_by("name"),
                                                    staff=selectors.current_staff(request.institution))
    elif chat_import.state == ChatImportState.CONFIRMED:
        context["categories"] = selectors.flag_category_table(chat_import)
    if chat_import.state == ChatImportState.CONFIRMED:
        context["outcome"] = selectors.triage_counts(chat_import, selectors.FlagFilters(state=""))["states"]
    return context


@requires("sanctions.view_chat")
def chat_import(request, institution, pk):
    chat_import = get_object_or_404(ChatImport.objects.select_related("channel", "created_by", "confirmed_by"), pk=pk)
    return render(request, "triage/import.html", _import_context(request, chat_import))


@requires("sanctions.view_chat")
def chat_progress(request, institution, pk):
    """Polled by htmx while the file is read; asks the page to reload once it is done."""
    chat_import = get_object_or_404(ChatImport, pk=pk)
    if not chat_import.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "triage/partials/progress.html", {
        "chat_import": chat_import, "progress": selectors.read_chat_progress(chat_import.pk)})


@require_POST
@requires("sanctions.triage_chat")
def chat_date_order(request, institution, pk):
    chat_import = get_object_or_404(ChatImport, pk=pk)
    form = DateOrderForm(request.POST, readings=_readings(chat_import.ambiguous_example))
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose how the file writes its dates."))
        services.chat_import_choose_order(actor=request.user, chat_import=chat_import, order=form.cleaned_data["order"])
    except ValidationError as error:
        refuse(request, error)
    return redirect(_import_url(institution, chat_import.pk))


@require_POST
@requires("sanctions.triage_chat")
def chat_confirm(request, institution, pk):
    chat_import = get_object_or_404(ChatImport, pk=pk)
    try:
        chat_import = services.chat_import_confirm(actor=request.user, chat_import=chat_import)
    except ValidationError as error:
        refuse(request, error)
        return redirect(_import_url(institution, chat_import.pk))
    messages.success(request, _("Confirmed. Review each flagged message: a flag is only a suggestion."))
    return redirect(_import_url(institution, chat_import.pk, "chat_triage"))


@require_POST
@requires("sanctions.triage_chat")
def chat_cancel(request, institution, pk):
    chat_import = get_object_or_404(ChatImport, pk=pk)
    try:
        services.chat_import_cancel(actor=request.user, chat_import=chat_import)
    except ValidationError as error:
        refuse(request, error)
        return redirect(_import_url(institution, chat_import.pk))
    messages.info(request, _("The upload was cancelled. The file and everything read from it were deleted."))
    return redirect("triage:chat_imports", institution=institution)


@require_POST
@requires("sanctions.triage_chat")
def chat_purge(request, institution, pk):
    chat_import = get_object_or_404(ChatImport, pk=pk)
    try:
        services.chat_import_purge(actor=request.user, chat_import=chat_import)
        messages.success(request, _("The chat text of this import was deleted. Reports made from it keep their "
                                    "PDF evidence."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_import_url(institution, chat_import.pk))


@require_POST
@requires("sanctions.triage_chat")
def chat_author_match(request, institution, pk):
    chat_import = get_object_or_404(ChatImport, pk=pk)
    form = AuthorMatchForm(request.POST, authors=ChatAuthor.objects.filter(chat_import=chat_import),
                           staff=selectors.current_staff(request.institution))
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a name from the chat and the staff member it belongs to."))
        author = services.chat_author_match(actor=request.user, author=form.cleaned_data["author"],
                                            staff=form.cleaned_data["staff"])
        if author.staff_id:
            messages.success(request, _("“%(name)s” is now matched to %(staff)s.")
                             % {"name": author.name, "staff": author.staff.full_name})
        else:
            messages.success(request, _("“%(name)s” is now treated as someone not on the staff list.")
                             % {"name": author.name})
    except ValidationError as error:
        refuse(request, error)
    return redirect(_back(request, _import_url(institution, chat_import.pk) + "#authors"))


# --- the triage list ----------------------------------------------------------------------------------

def _filters(form: FlagFilterForm) -> selectors.FlagFilters:
    if not form.is_bound or not form.is_valid():
        return selectors.FlagFilters()
    data = form.cleaned_data
    status = data.get("status") or ChatFlagState.OPEN
    return selectors.FlagFilters(state="" if status == "semua" else status, category=data.get("kategori") or "",
                                 author=data.get("penulis"), start=data.get("dari"), end=data.get("sampai"))


@requires("sanctions.view_chat")
def chat_triage(request, institution, pk):
    chat_import = get_object_or_404(ChatImport.objects.select_related("channel"), pk=pk)
    if chat_import.state != ChatImportState.CONFIRMED:
        return redirect(_import_url(institution, chat_import.pk))
    authors = list(selectors.import_authors(chat_import)) if chat_import.purged_at is None else []
    form = FlagFilterForm(request.GET or None, authors=authors)
    filters = _filters(form)
    page = Paginator(selectors.triage_flags(chat_import, filters), FLAGS_PER_PAGE).get_page(request.GET.get("page"))
    around = selectors.contexts(chat_import, page.object_list)
    items = [{"flag": flag, "before": around.get(flag.pk, ([], []))[0], "after": around.get(flag.pk, ([], []))[1],
              "actions": selectors.flag_actions(request.access, flag, chat_import=chat_import,
                                                user=request.user)}
             for flag in page.object_list]
    counts = selectors.triage_counts(chat_import, filters)
    labels = dict(FlagFilterForm.STATES)
    states = [(state, labels[state], counts["states"][state]) for state in ChatFlagState.values]
    states.append(("semua", labels["semua"], counts["total"]))
    return render(request, "triage/triage.html", {
        "chat_import": chat_import, "form": form, "filters": filters, "page": page, "items": items,
        "counts": counts, "states": states, "current_state": filters.state or "semua",
        "query": _query(request, "page"), "base_query": _query(request, "page", "status"),
        "state_query": _query(request, "page", "kategori"),
        "purge_on": chat_import.parsed_at + datetime.timedelta(days=services.triage_days()),
        "title": _("Flagged messages"),
    })


def _query(request, *without: str) -> str:
    query = request.GET.copy()
    for name in without:
        query.pop(name, None)
    return query.urlencode()


def _flag(pk) -> ChatFlag:
    return get_object_or_404(ChatFlag.objects.select_related(
        "chat_import", "chat_import__channel", "chat_import__institution", "message", "message__author",
        "message__author__staff", "report"), pk=pk)


def _triage_url(institution: str, flag: ChatFlag) -> str:
    return _import_url(institution, flag.chat_import_id, "chat_triage")


@require_POST
@requires("sanctions.triage_chat")
def chat_flag_dismiss(request, institution, pk):
    flag = _flag(pk)
    form = DismissForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write why this message breaks no rule."))
        services.chat_flag_dismiss(actor=request.user, flag=flag, reason=form.cleaned_data["reason"])
        messages.success(request, _("The flag was dismissed."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_back(request, _triage_url(institution, flag)))


@require_POST
@requires("sanctions.triage_chat")
def chat_flag_reopen(request, institution, pk):
    flag = _flag(pk)
    try:
        services.chat_flag_reopen(actor=request.user, flag=flag)
        messages.success(request, _("The flag is open again."))
    except ValidationError as error:
        refuse(request, error)
    return redirect(_back(request, _triage_url(institution, flag)))


def _report_initial(request, flag: ChatFlag) -> dict:
    message, chat_import = flag.message, flag.chat_import
    local = timezone.localtime(message.sent_at, request.institution.tzinfo)
    labels = dict(RuleCategory.choices)
    initial = {
        "channel": chat_import.channel_id, "occurred_on": local.date(), "occurred_time": local.time().replace(second=0),
        "rules": [rule.pk for rule in selectors.suggested_rules(flag)],
        "description": _("A message in %(group)s on %(when)s was flagged by chat-export triage (%(categories)s; "
                         "terms: %(terms)s). The message and the messages around it are attached as PDF evidence.")
        % {"group": chat_import.channel.name, "when": local.strftime("%d-%m-%Y %H.%M"),
           "categories": ", ".join(str(labels.get(c, c)) for c in flag.category_list), "terms": ", ".join(flag.terms)},
    }
    author = message.author
    if author is not None and author.staff_id and author.staff.left_on is None:
        initial.update(subject_kind="staff", subject_staff=author.staff_id)
    elif author is not None:
        initial.update(subject_kind="external", subject_name=author.name, subject_phone=author.phone)
    return initial


@requires("sanctions.triage_chat")
def chat_flag_report(request, institution, pk):
    """“Buat laporan”: the report form pre-filled from the flag; the person reviews it and sends it."""
    flag = _flag(pk)
    if flag.report_id:
        messages.info(request, _("This message was already reported as report #%(pk)s.") % {"pk": flag.report_id})
        return redirect("sanctions:report_detail", institution=institution, pk=flag.report_id)
    if not flag.chat_import.in_triage or flag.message is None:
        messages.error(request, _("This import is not in triage: confirm it first, or its chat text has been deleted."))
        return redirect(_import_url(institution, flag.chat_import_id))
    if flag.state == ChatFlagState.DISMISSED:
        messages.error(request, _("This flag was dismissed. Reopen it before reporting the message."))
        return redirect(_triage_url(institution, flag))
    form = ChatReportForm(request.POST or None, request.FILES or None, institution=request.institution,
                          initial=_report_initial(request, flag))
    if request.method == "POST" and form.is_valid():
        try:
            uploads = read_uploads(form.cleaned_data.get("evidence"))
            report, created = services.chat_flag_report(actor=request.user, flag=flag, extra_evidence=uploads,
                                                        **form.service_kwargs())
        except ValidationError as error:
            refuse_on_form(form, error, by_code=ERROR_FIELDS)
        else:
            if created:
                messages.success(request, _("Report #%(pk)s was filed with the message as PDF evidence.")
                                 % {"pk": report.pk})
            else:
                messages.info(request, _("This message was already reported as report #%(pk)s.") % {"pk": report.pk})
            return redirect("sanctions:report_detail", institution=institution, pk=report.pk)
    before, after = selectors.flag_context(flag)
    return render(request, "triage/report_form.html", {
        "form": form, "flag": flag, "message": flag.message, "before": before, "after": after,
        "code": selectors.citable_rules(request.institution).exists(),
        "labels": dict(RuleCategory.choices), "title": _("Report a flagged message"),
    })


@never_cache
@requires("sanctions.triage_chat")
def chat_flag_pdf(request, institution, pk):
    """The PDF evidence as it will be attached, to read before filing."""
    from .evidence import flag_evidence_pdf

    flag = _flag(pk)
    if flag.message is None:
        raise Http404("chat text deleted")
    return private_download(flag_evidence_pdf(flag), filename=f"triase-chat-{flag.pk}.pdf",
                            content_type="application/pdf", inline=True)


# --- the lexicon --------------------------------------------------------------------------------------

@requires("sanctions.view_chat")
def chat_lexicon(request, institution):
    today = request.institution.local_today()
    return render(request, "triage/lexicon.html", {
        "categories": selectors.lexicon_overview(request.institution, today),
        "periods": active_election_periods(request.institution, today),
        "parent": request.institution.parent, "title": _("Chat triage lexicon"),
    })


@requires("sanctions.triage_chat")
def chat_lexicon_edit(request, institution):
    """Change one category's lexicon (``?kategori=hoax``); without a category, choose one."""
    category = request.GET.get("kategori", "")
    if not category:
        return render(request, "triage/lexicon_edit.html", {
            "choices": selectors.lexicon_overview(request.institution), "title": _("Edit the lexicon")})
    if category not in CATEGORIES:
        raise Http404("unknown category")
    own = selectors.lexicon_layers(request.institution).own.get(category)
    form = LexiconForm(request.POST or None, initial={"additions": own.additions if own else "",
                                                      "removals": own.removals if own else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.chat_lexicon_update(actor=request.user, institution=request.institution, category=category,
                                         additions=form.cleaned_data["additions"],
                                         removals=form.cleaned_data["removals"])
        except ValidationError as error:
            refuse_on_form(form, error, by_code={"remove_unknown": "removals", "both": "removals"})
        else:
            messages.success(request, _("The lexicon was saved. It applies to the next upload."))
            return redirect(reverse("triage:chat_lexicon", kwargs={"institution": institution}) + f"#{category}")
    overview = next(row for row in selectors.lexicon_overview(request.institution) if row["category"] == category)
    return render(request, "triage/lexicon_edit.html", {
        "form": form, "category": overview, "title": _("Edit the lexicon: %(category)s") % {"category": overview["label"]},
    })
