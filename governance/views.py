import datetime
import io
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import audit_export, imports, selectors, services
from .accounts import platform_mfa_redirect
from .cache import cached
from .code_templates import TEMPLATES, suggested_for
from .forms import (
    AccountSettingsForm,
    ActivityForm,
    AuditFilterForm,
    ChannelFilterForm,
    ChannelForm,
    CodeVersionForm,
    DateRangeForm,
    ElectionPeriodForm,
    InstitutionLettersForm,
    InstitutionProfileForm,
    PublicationCheckForm,
    PublicationDraftForm,
    PublicationFilterForm,
    PublicationForm,
    PublicationImportForm,
    PublicationPublishForm,
    RuleForm,
)
from .http import private_download, private_file, refuse_on_form
from .models import Channel, CodeVersion, ElectionPeriod, Notification, Publication, Role, Rule
from .navigation import panels_for, sections_for, stylesheets_for, visible_panels
from .numbering import next_numbers
from .pagecache import page_cache
from .permissions import public, requires
from .selectors import RULE_ORIGINS
from .tenancy import institutions_for_user


@page_cache
@requires("institution.view")
def dashboard(request, institution):
    """The institution's landing page, shaped by the visitor's roles through the panels each app
    registers (``governance.navigation``)."""
    panels = visible_panels(request)
    role_names = [Role(role).label for role in sorted(request.access.roles)]
    return render(request, "governance/dashboard.html", {
        "panels": panels_for(request, panels), "stylesheets": stylesheets_for(panels), "role_names": role_names})


@login_required
def home(request):
    """Send a signed-in person to their institution, or let them choose, or explain why there is none."""
    institutions = institutions_for_user(request.user)
    if len(institutions) == 1:
        return redirect("governance:dashboard", institution=institutions[0].slug)
    return render(request, "governance/home.html", {"institutions": institutions})


def csrf_failure(request, reason=""):
    template = loader.get_template("403_csrf.html")
    return HttpResponse(template.render({"request": request}, request), status=403)


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@requires("institution.view")
def notification_list(request, institution):
    page = Paginator(selectors.notifications_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "governance/notification_list.html", {"page": page})


@require_POST
@requires("institution.view")
def notification_open(request, institution, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("governance:notifications", institution=institution)


def _audit_request(request):
    """The audit view's filter form, the entries it selects (never those of a case about the visitor),
    and the query string that keeps the filter in the page links and the downloads."""
    inst = request.institution
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions(inst),
                           actors=selectors.audit_actors(inst))
    filters = form.filters()
    entries = selectors.audit_entries(inst, visitor=request.user, **filters)
    query = urlencode({key: value for key, value in request.GET.items() if key != "page" and value})
    return form, entries, query


@requires("governance.view_audit")
def audit_log(request, institution):
    form, entries, query = _audit_request(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "governance/audit_log.html", {"form": form, "page": page, "query": query,
                                                          "title": _("Audit trail")})


@requires("governance.view_audit")
def audit_log_download(request, institution, fmt):
    form, entries, query = _audit_request(request)
    back = f"{reverse('governance:audit_log', kwargs={'institution': institution})}?{query}"
    if form.is_bound and form.errors:
        messages.error(request, _("Correct the filter before downloading the entries."))
        return redirect(back)
    rows = list(entries[:audit_export.EXPORT_LIMIT + 1])
    if len(rows) > audit_export.EXPORT_LIMIT:
        messages.error(request, _("More than %(n)d entries match. Narrow the filter (for example by date) and "
                                  "download again.") % {"n": audit_export.EXPORT_LIMIT})
        return redirect(back)
    filename = f"jejak-audit-{request.institution.slug}-{request.institution.local_today():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return private_download(audit_export.to_csv(rows, request.institution), filename=filename,
                                content_type="text/csv; charset=utf-8")
    return private_download(audit_export.to_jsonl(rows, request.institution), filename=filename,
                            content_type="application/jsonl; charset=utf-8")


# ================================================================ helpers


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _may_see_drafts(access) -> bool:
    return bool(access) and (access.has("governance.edit_code") or access.has("governance.publish_code"))


def _locked(request, version: CodeVersion):
    """The answer of every edit endpoint for a version that is no longer a draft."""
    response = render(request, "governance/code/locked.html", {"version": version, "title": _("This version cannot be changed")})
    response.status_code = 409
    return response


def _history(request, target):
    if request.access.has("governance.view_audit") or request.access.has("governance.manage_channels"):
        return list(selectors.audit_entries(request.institution, target=target)[:20])
    return None


# ================================================================ channels


@requires("governance.view_channels")
def channel_list(request, institution):
    form = ChannelFilterForm(request.GET or None)
    kind, status = "", "active"
    if form.is_bound and form.is_valid():
        kind, status = form.cleaned_data["kind"], form.cleaned_data["status"] or "active"
    channels = selectors.channels(request.institution, kind=kind or None, status=status)
    page = Paginator(channels, 30).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in {"kind": kind, "status": status}.items() if v})
    return render(request, "governance/channels/list.html", {
        "form": form, "page": page, "query": query, "status": status, "kind": kind, "archived": status == "archived",
        "counts": selectors.channel_counts(request.institution), "title": _("Groups and accounts"),
    })


@requires("governance.manage_channels")
def channel_create(request, institution):
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_register(actor=request.user, institution=request.institution, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("“%(name)s” is registered.") % {"name": channel.name})
            return redirect("governance:channel_detail", institution=institution, pk=channel.pk)
    return render(request, "governance/channels/form.html", {"form": form, "title": _("Register a group or account")})


@requires("governance.view_channels")
def channel_detail(request, institution, pk):
    channel = get_object_or_404(Channel, pk=pk)
    week = None
    if channel.is_official_account and request.access.has("governance.view_publications"):
        today = request.institution.local_today()
        start = today - datetime.timedelta(days=6)
        buckets = selectors.posting_activity(channel, start, today, "week")
        week = {"posts": sum(b.posts for b in buckets), "start": start, "end": today,
                "target": round(channel.target_per_day() * 7, 1) if channel.has_target else None}
    return render(request, "governance/channels/detail.html", {
        "channel": channel,
        "rules": selectors.channel_rules(channel),
        "code": selectors.current_code_version(request.institution),
        "sections": sections_for(request, "channel_detail", channel=channel),
        "history": _history(request, channel),
        "week": week,
        "title": channel.name,
    })


@requires("governance.manage_channels")
def channel_edit(request, institution, pk):
    channel = get_object_or_404(Channel, pk=pk)
    if not channel.is_active:
        messages.error(request, _("This channel is archived. Restore it before changing it."))
        return redirect("governance:channel_detail", institution=institution, pk=channel.pk)
    form = ChannelForm.for_channel(channel, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(actor=request.user, channel=channel, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("governance:channel_detail", institution=institution, pk=channel.pk)
    return render(request, "governance/channels/form.html", {"form": form, "channel": channel, "title": _("Change %(name)s") % {"name": channel.name}})


@require_POST
@requires("governance.manage_channels")
def channel_archive(request, institution, pk):
    channel = get_object_or_404(Channel, pk=pk)
    services.channel_archive(actor=request.user, channel=channel)
    messages.success(request, _("“%(name)s” is archived. Its history is kept and it can be restored.") % {"name": channel.name})
    return redirect("governance:channel_detail", institution=institution, pk=channel.pk)


@require_POST
@requires("governance.manage_channels")
def channel_restore(request, institution, pk):
    channel = get_object_or_404(Channel, pk=pk)
    services.channel_restore(actor=request.user, channel=channel)
    messages.success(request, _("“%(name)s” is in use again.") % {"name": channel.name})
    return redirect("governance:channel_detail", institution=institution, pk=channel.pk)


@requires("governance.view_publications")
def channel_activity(request, institution, pk):
    channel = get_object_or_404(Channel, pk=pk)
    form = ActivityForm(request.GET or None, institution=request.institution)
    start, end = form.range()
    today = request.institution.local_today()
    end = min(end, today)
    start = min(start, end)
    default_bucket = "week" if channel.posting_target_unit == Channel.TargetUnit.WEEK else "day"
    bucket = (form.cleaned_data.get("bucket") if form.is_bound and form.is_valid() else "") or default_bucket
    buckets = selectors.posting_activity(channel, start, end, bucket)
    attainment = next(iter(a for a in selectors.posting_target_attainment(request.institution, start, end)
                           if a.channel.pk == channel.pk), None)
    chart = {
        "labels": [formats.date_format(b.start, "j M") if bucket == "day"
                   else f"{formats.date_format(b.start, 'j M')}–{formats.date_format(b.end, 'j M')}"
                   for b in buckets],
        "posts": [b.posts for b in buckets],
        "target": [b.target for b in buckets] if channel.has_target else None,
        "postsLabel": str(_("Posts")),
        "targetLabel": str(_("Target")),
    }
    return render(request, "governance/channels/activity.html", {
        "channel": channel, "form": form, "buckets": buckets, "bucket": bucket, "by_day": bucket == "day", "chart": chart,
        "start": start, "end": end, "attainment": attainment,
        "total": sum(b.posts for b in buckets), "title": _("Posting activity of %(name)s") % {"name": channel.name},
    })


# ================================================================ codes of conduct


def _version(request, pk) -> CodeVersion:
    version = get_object_or_404(CodeVersion, pk=pk)
    if not version.was_published and not _may_see_drafts(request.access):
        raise Http404("draft")
    return version


@requires("governance.view_code")
def code_versions(request, institution):
    inst = request.institution
    current = selectors.current_code_version(inst)
    periods = selectors.active_election_periods(inst)
    may_see_drafts = _may_see_drafts(request.access)
    draft = selectors.draft_code_version(inst) if may_see_drafts else None
    return render(request, "governance/code/home.html", {
        "current": current,
        "layout": selectors.code_layout(current, periods=periods) if current else None,
        "draft": draft,
        "draft_diff": selectors.version_diff(draft) if draft else None,
        "versions": selectors.code_versions(inst, include_drafts=may_see_drafts),
        "parent": selectors.parent_code_status(inst),
        "suggested": suggested_for(inst),
        "public_url": selectors.public_code_url(inst),
        "sections": sections_for(request, "code_version", version=current) if current else [],
        # after the rules, for the reader who reached the end (e.g. to acknowledge them)
        "end_sections": sections_for(request, "code_in_force_end", version=current) if current else [],
        "title": _("Code of conduct"),
    })


@requires("governance.view_code")
def code_version_detail(request, institution, pk):
    version = _version(request, pk)
    periods = selectors.active_election_periods(request.institution) if version.state == CodeVersion.State.PUBLISHED else []
    return render(request, "governance/code/version.html", {
        "version": version,
        "rules": list(version.rules.select_related(*RULE_ORIGINS)),
        "layout": selectors.code_layout(version, periods=periods),
        "diff": selectors.version_diff(version),
        "parent": selectors.parent_code_status(request.institution) if version.is_editable else None,
        "sections": sections_for(request, "code_version", version=version),
        "title": str(version),
    })


@requires("governance.view_code")
def code_version_diff(request, institution, pk):
    version = _version(request, pk)
    return render(request, "governance/code/diff.html", {
        "version": version, "diff": selectors.version_diff(version),
        "title": _("Changes in version %(number)s") % {"number": version.number},
    })


@require_POST
@requires("governance.edit_code")
def code_version_start(request, institution):
    try:
        version = services.code_version_start(actor=request.user, institution=request.institution)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("governance:code_versions", institution=institution)
    messages.success(request, _("Draft version %(number)s is ready. Change it, then ask the head to publish it.")
                     % {"number": version.number})
    return redirect("governance:code_version_detail", institution=institution, pk=version.pk)


@requires("governance.edit_code")
def code_templates(request, institution):
    if request.method == "POST":
        try:
            version = services.code_start_from_template(
                actor=request.user, institution=request.institution, template_key=request.POST.get("template", ""))
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("governance:code_templates", institution=institution)
        messages.success(request, _("Draft version %(number)s is filled from the template. Adjust it to your "
                                    "institution, then ask the head to publish it.") % {"number": version.number})
        return redirect("governance:code_version_detail", institution=institution, pk=version.pk)
    suggested = suggested_for(request.institution)
    templates = sorted(TEMPLATES.values(), key=lambda t: (t is not suggested, str(t.name)))
    return render(request, "governance/code/templates.html", {
        "templates": templates, "suggested": suggested, "draft": selectors.draft_code_version(request.institution),
        "title": _("Start from a template"),
    })


@require_POST
@requires("governance.edit_code")
def code_adopt(request, institution):
    try:
        version = services.code_adopt_parent(actor=request.user, institution=request.institution)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("governance:code_versions", institution=institution)
    messages.success(request, _("Draft version %(number)s holds the parent institution's rules. Add your own rules, "
                                "then ask the head to publish it.") % {"number": version.number})
    return redirect("governance:code_version_detail", institution=institution, pk=version.pk)


@requires("governance.edit_code")
def code_version_edit(request, institution, pk):
    version = _version(request, pk)
    if not version.is_editable:
        return _locked(request, version)
    initial = {name: getattr(version, name) for name in ("title", "preamble", "source_note", "change_note")}
    form = CodeVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.code_version_update(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "not_draft":
                return _locked(request, version)
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("governance:code_version_detail", institution=institution, pk=version.pk)
    return render(request, "governance/code/version_form.html", {"form": form, "version": version,
                                                                 "title": _("Title and preamble")})


@requires("governance.edit_code")
def rule_create(request, institution, pk):
    version = _version(request, pk)
    if not version.is_editable:
        return _locked(request, version)
    numbers = [int(rule.number) for rule in version.rules.all() if rule.number.isdigit()]
    form = RuleForm(request.POST or None, initial={"number": str(max(numbers, default=0) + 1)})
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_add(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "not_draft":
                return _locked(request, version)
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Rule added."))
            return redirect("governance:code_version_detail", institution=institution, pk=version.pk)
    return render(request, "governance/code/rule_form.html", {"form": form, "version": version, "title": _("Add a rule")})


@requires("governance.edit_code")
def rule_edit(request, institution, pk):
    rule = get_object_or_404(Rule, pk=pk)
    version = _version(request, rule.version_id)
    if not version.is_editable:
        return _locked(request, version)
    if rule.inherited_from_id:
        messages.error(request, _("This rule comes from the parent institution's code; it can only be changed there."))
        return redirect("governance:code_version_detail", institution=institution, pk=version.pk)
    initial = {name: getattr(rule, name) for name in services.RULE_FIELDS}
    form = RuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "not_draft":
                return _locked(request, version)
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Rule %(number)s saved.") % {"number": form.cleaned_data["number"]})
            return redirect("governance:code_version_detail", institution=institution, pk=version.pk)
    return render(request, "governance/code/rule_form.html", {"form": form, "version": version, "rule": rule,
                                                              "title": _("Change rule %(number)s") % {"number": rule.number}})


@require_POST
@requires("governance.edit_code")
def rule_remove(request, institution, pk):
    rule = get_object_or_404(Rule, pk=pk)
    version = _version(request, rule.version_id)
    if not version.is_editable:
        return _locked(request, version)
    try:
        services.rule_remove(actor=request.user, rule=rule)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Rule %(number)s removed from the draft.") % {"number": rule.number})
    return redirect("governance:code_version_detail", institution=institution, pk=version.pk)


@require_POST
@requires("governance.publish_code")
def code_publish(request, institution, pk):
    version = _version(request, pk)
    if not version.is_editable:
        return _locked(request, version)
    try:
        services.code_publish(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Version %(number)s is published and in force. Staff are asked to acknowledge it.")
                         % {"number": version.number})
    return redirect("governance:code_version_detail", institution=institution, pk=version.pk)


@require_POST
@requires("governance.edit_code")
def code_discard(request, institution, pk):
    version = _version(request, pk)
    if not version.is_editable:
        return _locked(request, version)
    services.code_draft_discard(actor=request.user, version=version)
    messages.success(request, _("Draft version %(number)s is set aside.") % {"number": version.number})
    return redirect("governance:code_versions", institution=institution)


@page_cache
@public
def public_code(request, institution):
    """The code in force for anyone, without signing in: no personal data on it."""
    inst = request.institution
    today = inst.local_today()

    def read():
        version = selectors.current_code_version(inst)
        periods = selectors.active_election_periods(inst, today)
        return version, selectors.code_layout(version, periods=periods) if version else None

    # The page everyone's QR code opens: kept in the institution's cache until its code changes.
    version, layout = cached(inst, "public_code", read, day=today)
    return render(request, "governance/code/public.html", {
        "version": version,
        "layout": layout,
        "public_url": selectors.public_code_url(inst),
        "title": _("Code of conduct of %(name)s") % {"name": inst.name},
    })


def _qr_response(request, kind: str):
    qr = selectors.code_qr(request.institution)
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", scale=8, border=2, xmldecl=True, title=selectors.public_code_url(request.institution))
        content_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=10, border=2)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    if request.GET.get("unduh"):
        response["Content-Disposition"] = f'attachment; filename="kode-etik-{request.institution.slug}.{kind}"'
    return response


@public
def public_code_qr_svg(request, institution):
    return _qr_response(request, "svg")


@public
def public_code_qr_png(request, institution):
    return _qr_response(request, "png")


# ================================================================ publication log


@requires("governance.view_publications")
def publication_list(request, institution):
    form = PublicationFilterForm(request.GET or None, institution=request.institution)
    channel = start = end = None
    if form.is_bound and form.is_valid():
        channel, start, end = form.cleaned_data["channel"], form.cleaned_data["start"], form.cleaned_data["end"]
    entries = selectors.publications(request.institution, channel=channel, start=start, end=end)
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    for entry in page:
        entry.actions = selectors.publication_actions(request.user, request.access, entry)
    query = urlencode({k: v for k, v in {"channel": channel.pk if channel else "", "start": start or "",
                                         "end": end or ""}.items() if v})
    return render(request, "governance/publications/list.html", {
        "form": form, "page": page, "query": query, "title": _("Publication log"),
        "accounts": selectors.official_accounts(request.institution).exists(),
    })


@requires("governance.manage_publications")
def publication_create(request, institution):
    initial = {"channel": request.GET.get("channel")} if request.GET.get("channel") else None
    form = PublicationForm(request.POST or None, institution=request.institution, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_create(actor=request.user, institution=request.institution, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("The post is in the log."))
            if "again" in request.POST:
                return redirect(f"{request.path}?{urlencode({'channel': form.cleaned_data['channel'].pk})}")
            return redirect("governance:publication_list", institution=institution)
    return render(request, "governance/publications/form.html", {"form": form, "title": _("Log a post")})


@requires("governance.manage_publications")
def publication_draft(request, institution):
    form = PublicationDraftForm(request.POST or None, institution=request.institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_draft(actor=request.user, institution=request.institution, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("The draft is saved. It is published once it has been checked."))
            return redirect("governance:publication_list", institution=institution)
    return render(request, "governance/publications/draft.html", {"form": form, "title": _("Write a post")})


@requires("governance.manage_publications")
def publication_check(request, institution, pk):
    publication = get_object_or_404(Publication.objects.select_related("channel", "created_by"), pk=pk)
    refusal = selectors.publication_check_refusal(request.user, publication)
    form = PublicationCheckForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            checked = services.publication_check(actor=request.user, publication=publication,
                                                 answers=form.answers(), notes=form.notes())
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            if checked.returned_reason and not checked.is_published:
                messages.warning(request, _("The post did not pass the check and goes back to its writer."))
            elif checked.returned_reason:
                messages.warning(request, _("The check is recorded: the post did not pass all five checks."))
            else:
                messages.success(request, _("The check is recorded."))
            return redirect("governance:publication_list", institution=institution)
    return render(request, "governance/publications/check.html", {
        "form": form, "publication": publication, "refusal": refusal, "title": _("Check a post")})


@requires("governance.manage_publications")
def publication_publish(request, institution, pk):
    publication = get_object_or_404(Publication.objects.select_related("channel"), pk=pk)
    if "publish" not in selectors.publication_actions(request.user, request.access, publication):
        raise Http404
    form = PublicationPublishForm(request.POST or None, initial={
        "published_at": timezone.localtime().replace(second=0, microsecond=0), "link": publication.link})
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_mark_published(actor=request.user, publication=publication, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("The post is marked published."))
            return redirect("governance:publication_list", institution=institution)
    return render(request, "governance/publications/publish.html", {
        "form": form, "publication": publication, "title": _("Mark a post published")})


@requires("governance.manage_publications")
def publication_edit(request, institution, pk):
    publication = get_object_or_404(Publication, pk=pk)
    initial = {name: getattr(publication, name) for name in services.PUBLICATION_FIELDS}
    if publication.is_published:
        initial["published_at"] = timezone.localtime(publication.published_at)
        form = PublicationForm(request.POST or None, institution=request.institution, initial=initial,
                               current_channel=publication.channel)
    else:  # a draft or a checked post not out yet: its text only (a change sends a checked post back)
        form = PublicationDraftForm(request.POST or None, institution=request.institution, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_update(actor=request.user, publication=publication, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("governance:publication_list", institution=institution)
    return render(request, "governance/publications/form.html", {"form": form, "publication": publication,
                                                                 "title": _("Change a logged post")})


@require_POST
@requires("governance.manage_publications")
def publication_delete(request, institution, pk):
    publication = get_object_or_404(Publication, pk=pk)
    services.publication_delete(actor=request.user, publication=publication)
    messages.success(request, _("The entry is removed from the log."))
    return redirect("governance:publication_list", institution=institution)


@requires("governance.manage_publications")
def publication_import(request, institution):
    form = PublicationImportForm(request.POST or None, request.FILES or None)
    preview = content = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            if upload is not None:
                if upload.size > imports.MAX_BYTES:
                    raise ValidationError(_("The file is larger than 1 MB. Split it into smaller files."))
                content = imports.decode(upload.read())
            else:
                content = form.cleaned_data["content"]
            preview = imports.read_publications_csv(request.institution, content)
            if preview.ok and request.POST.get("confirm") and upload is None:
                created = services.publication_import(actor=request.user, institution=request.institution,
                                                      rows=preview.rows)
                messages.success(request, ngettext("%(count)s post imported into the log.",
                                                   "%(count)s posts imported into the log.", len(created))
                                 % {"count": len(created)})
                return redirect("governance:publication_list", institution=institution)
        except ValidationError as error:
            form.add_error(None, error)
            preview = None
    return render(request, "governance/publications/import.html", {
        "form": form, "preview": preview, "content": content,
        "columns": imports.SAMPLE_HEADER, "title": _("Import posts from CSV"),
    })


@requires("governance.manage_publications")
def publication_import_sample(request, institution):
    response = HttpResponse(imports.sample_csv(request.institution), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-log-publikasi.csv"'
    return response


@requires("governance.view_publications")
def publication_attainment(request, institution):
    form = DateRangeForm(request.GET or None, institution=request.institution)
    today = request.institution.local_today()
    if not form.is_bound:
        form.default_start = today.replace(day=1)
        form.initial["start"] = form.default_start
    start, end = form.range()
    rows = selectors.posting_target_attainment(request.institution, start, end)
    shares = [row.share for row in rows if row.share is not None]
    return render(request, "governance/publications/attainment.html", {
        "form": form, "rows": rows, "start": start, "end": end,
        "average": round(sum(shares) / len(shares) * 100) if shares else None,
        "title": _("Posting targets"),
    })


@require_POST
def switch_language(request):
    """The language switcher: saved on the account when signed in (notices and e-mails follow it),
    in a cookie otherwise."""
    language = request.POST.get("language")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.account_settings_update(user=request.user, language=language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite="Lax", secure=request.is_secure())
    return response


@requires("institution.view")
def my_settings(request, institution):
    """The person's own settings, reached from any institution they belong to."""
    user = request.user
    form = AccountSettingsForm(request.POST or None, initial={
        "full_name": user.full_name, "language": user.language, "notification_mode": user.notification_mode})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.account_settings_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            if "language" in changed:
                translation.activate(form.cleaned_data["language"])
            messages.success(request, _("Your settings are saved.") if changed else _("Nothing changed."))
            response = redirect("governance:my_settings", institution=institution)
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"],
                                max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax", secure=request.is_secure())
            return response
    return render(request, "governance/my_settings.html", {
        "form": form, "has_totp": selectors.has_totp(user), "title": _("My settings")})


def security_txt(request):
    """RFC 9116: where to report a vulnerability of this deployment."""
    expires = (timezone.now() + datetime.timedelta(days=180)).strftime("%Y-%m-%dT00:00:00Z")
    lines = [
        f"Contact: {settings.SANTUN_SECURITY_CONTACT}",
        f"Expires: {expires}",
        "Preferred-Languages: id, en",
        f"Canonical: {settings.SANTUN_SITE_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# ================================================================ what Santun holds about me


def _my_data_page(request, download_url: str):
    from .personal_data import personal_data

    return render(request, "governance/my_data.html", {
        "sections": personal_data(request), "download_url": download_url, "title": _("What Santun holds about me"),
    })


def _my_data_archive(request):
    from .personal_data import personal_data_archive

    return private_download(personal_data_archive(request.user), filename="data-saya-santun.zip",
                            content_type="application/zip")


@requires("institution.view")
def my_data(request, institution):
    return _my_data_page(request, reverse("governance:my_data_download", kwargs={"institution": institution}))


@requires("institution.view")
def my_data_download(request, institution):
    return _my_data_archive(request)


# The same page outside any institution: for someone whose roles have ended (they left, or their
# account was never given one) — the right to see one's data (UU 27/2022) does not end with a role.
@never_cache
@login_required
def my_data_account(request):
    return _my_data_page(request, reverse("my_data_account_download"))


@never_cache
@login_required
def my_data_account_download(request):
    return _my_data_archive(request)


# ---------------------------------------------------------------- election periods


def _election_rows(periods, *, owner, actor, today, may_manage):
    """Each period with what the visitor may do with it and the periods it overlaps."""
    return [{"period": period, "actions": selectors.election_period_actions(period, owner=owner, actor=actor, today=today,
                                                                             may_manage=may_manage),
             "overlaps": selectors.election_overlaps(period, periods), "phase": period.phase_on(today)}
            for period in periods]


def _election_form_page(request, *, owner, period=None, list_url):
    region = selectors.election_region(owner) if owner is not None else None
    form = ElectionPeriodForm(request.POST or None, instance=period, region=region)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.ELECTION_FIELDS}
        try:
            saved = services.election_period_save(actor=request.user, owner=owner, period=period, **fields)
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            overlaps = selectors.election_overlaps(saved)
            messages.success(request, _("“%(name)s” is saved.") % {"name": saved.name})
            if overlaps:
                messages.warning(request, _("It overlaps with: %(names)s.") % {"names": ", ".join(p.name for p in overlaps)})
            return redirect(list_url)
    return render(request, "governance/elections/form.html", {
        "form": form, "period": period, "region": region, "list_url": list_url,
        "may_keep": owner is None or region is not None,
        "title": _("Change %(name)s") % {"name": period.name} if period else _("New election period"),
    })


def _election_delete(request, *, owner, period, list_url):
    try:
        services.election_period_delete(actor=request.user, owner=owner, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": period.name})
    return redirect(list_url)


@requires("governance.view_elections")
def election_list(request, institution):
    owner, today = request.institution, request.institution.local_today()
    may_manage = request.access.has("governance.manage_elections")
    periods = selectors.election_periods(owner)
    return render(request, "governance/elections/list.html", {
        "rows": _election_rows(periods, owner=owner, actor=request.user, today=today, may_manage=may_manage),
        "region": selectors.election_region(owner),
        "may_add": may_manage and selectors.election_region(owner) is not None,
        "add_url": reverse("governance:election_create", kwargs={"institution": institution}),
        "title": _("Election periods"),
    })


def _owned_period(request, pk):
    return get_object_or_404(ElectionPeriod, pk=pk, owner=request.institution)


@requires("governance.manage_elections")
def election_create(request, institution):
    return _election_form_page(request, owner=request.institution,
                               list_url=reverse("governance:election_list", kwargs={"institution": institution}))


@requires("governance.manage_elections")
def election_edit(request, institution, pk):
    return _election_form_page(request, owner=request.institution, period=_owned_period(request, pk),
                               list_url=reverse("governance:election_list", kwargs={"institution": institution}))


@require_POST
@requires("governance.manage_elections")
def election_delete(request, institution, pk):
    return _election_delete(request, owner=request.institution, period=_owned_period(request, pk),
                            list_url=reverse("governance:election_list", kwargs={"institution": institution}))


def platform_operator_required(view):
    """Pages of the platform operators (superusers), outside any institution."""
    @wraps(view)
    @login_required
    def guarded(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return platform_mfa_redirect(request) or view(request, *args, **kwargs)
    return guarded


@platform_operator_required
def platform_election_list(request):
    periods = selectors.election_periods()
    return render(request, "governance/elections/list.html", {
        "rows": _election_rows(periods, owner=None, actor=request.user, today=timezone.localdate(), may_manage=True),
        "platform": True, "may_add": True,
        "add_url": reverse("platform_election_create"), "title": _("Election periods (platform)"),
    })


@platform_operator_required
def platform_election_create(request):
    return _election_form_page(request, owner=None, list_url=reverse("platform_election_list"))


@platform_operator_required
def platform_election_edit(request, pk):
    period = get_object_or_404(ElectionPeriod, pk=pk)
    return _election_form_page(request, owner=period.owner, period=period, list_url=reverse("platform_election_list"))


@require_POST
@platform_operator_required
def platform_election_delete(request, pk):
    period = get_object_or_404(ElectionPeriod, pk=pk)
    return _election_delete(request, owner=period.owner, period=period, list_url=reverse("platform_election_list"))
# ================================================================ institution settings


def _settings_context(request, tab: str) -> dict:
    return {"tab": tab, "title": _("Settings of %(name)s") % {"name": request.institution.name}}


@requires("governance.manage_settings", held_here=True)
def settings_profile(request, institution):
    inst = request.institution
    form = InstitutionProfileForm(request.POST or None, request.FILES or None, institution=inst)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("logo")
        try:
            services.institution_settings_update(
                actor=request.user, institution=inst, logo=upload.read() if upload else None,
                remove_logo=data.get("remove_logo", False),
                **{name: data[name] for name in services.PROFILE_FIELDS})
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Settings saved. Letters issued from now on use them."))
            return redirect("governance:settings_profile", institution=institution)
    return render(request, "governance/settings/profile.html", {**_settings_context(request, "profile"), "form": form})


@requires("governance.manage_settings", held_here=True)
def settings_logo(request, institution):
    inst = request.institution
    if not inst.logo:
        raise Http404("no logo")
    content_type = "image/png" if inst.logo.name.endswith(".png") else "image/jpeg"
    return private_file(inst.logo, filename=inst.logo.name.rsplit("/", 1)[-1], content_type=content_type, inline=True)


@requires("governance.manage_settings", held_here=True)
def settings_letters(request, institution):
    inst = request.institution
    form = InstitutionLettersForm(request.POST or None, institution=inst)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_settings_update(actor=request.user, institution=inst, **form.values())
        except ValidationError as error:
            refuse_on_form(form, error)
        else:
            messages.success(request, _("Settings saved. Letters issued from now on use them."))
            return redirect("governance:settings_letters", institution=institution)
    return render(request, "governance/settings/letters.html", {
        **_settings_context(request, "letters"), "form": form, "preview": _number_preview(request, form)})


def _number_preview(request, form) -> dict:
    """The next letter numbers under what the form holds (saved values when nothing was typed)."""
    inst = request.institution
    data = form.data if form.is_bound else {}
    initial = form.initial

    def value(name):
        return data.get(name, initial.get(name, "")) or ""

    try:
        numbers = next_numbers(
            inst, day=inst.local_today(), template=value("letter_number_template").strip(),
            unit_code=value("letter_unit_code"), classification=value("letter_classification_code"),
            overrides={kind.key: value(form.kind_field(kind.key)) for kind in form.kinds})
    except ValidationError as error:
        return {"error": _error_text(error)}
    return {"numbers": numbers}


@requires("governance.manage_settings", held_here=True)
def settings_letters_preview(request, institution):
    form = InstitutionLettersForm(request.GET, institution=request.institution)
    return render(request, "governance/settings/_number_preview.html", {"preview": _number_preview(request, form)})
