"""Django admin for platform operators. The audit trail is read-only there, as everywhere."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from . import services
from .accounts import platform_mfa_redirect, session_used_mfa
from .forms import ElectionPeriodForm
from .models import (
    AuditEntry,
    Channel,
    CodeVersion,
    ElectionPeriod,
    ElectionReminder,
    Institution,
    Membership,
    Publication,
    Rule,
    User,
)
from .tenancy import platform_scope, unscoped_queryset

# The admin signs in through Santun's own sign-in (allauth, with the second factor), never with its
# own password form, and opens only for a session that passed the second factor.
_staff_permission = admin.site.has_permission


def _admin_has_permission(request) -> bool:
    return _staff_permission(request) and session_used_mfa(request)


def _admin_login(request, extra_context=None):
    next_url = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, reverse("account_login"))
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied
    return platform_mfa_redirect(request, next_url) or redirect(next_url)


admin.site.has_permission = _admin_has_permission
admin.site.login = _admin_login


class UnscopedAdminMixin:
    """The admin is the platform operators' tool: it sees all institutions."""

    def get_queryset(self, request):
        return unscoped_queryset(self.model)

    def changeform_view(self, *args, **kwargs):
        with platform_scope():
            return super().changeform_view(*args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        with platform_scope():
            return super().changelist_view(*args, **kwargs)

    def delete_view(self, *args, **kwargs):
        with platform_scope():
            return super().delete_view(*args, **kwargs)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "language"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class InstitutionAdminForm(forms.ModelForm):
    logo_upload = forms.FileField(label=_("new logo"), required=False,
                                  help_text=_("PNG or JPEG, at most 512 KB and 2000 × 2000 pixels."))

    class Meta:
        model = Institution
        fields = ["name", "slug", "kind", "parent", "province_code", "regency_code", "timezone", "nsm",
                  "address", "phone", "email", "letterhead", "letter_unit_code", "letter_classification_code",
                  "letter_classification_overrides", "letter_number_template", "is_active"]

    def clean(self):
        from .services import EDITABLE_FIELDS, settings_errors

        data = super().clean()
        upload = data.get("logo_upload")
        values = {name: data[name] for name in self.changed_data if name in EDITABLE_FIELDS and name in data}
        errors = settings_errors(values, logo=upload.read() if upload else None)
        if upload:
            upload.seek(0)
        for name, messages in errors.items():
            self.add_error(name if name in self.fields else "logo_upload" if name == "logo" else None, messages)
        parent = data.get("parent")
        if self.instance.pk and "parent" in self.changed_data:
            if parent is None:
                self.add_error("parent", _("An institution in the tree cannot be taken out of it here."))
            elif parent.pk == self.instance.pk or parent.is_descendant_of(self.instance):
                self.add_error("parent", _("An institution cannot be moved under itself or one of its own units."))
        return data


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    """Every save goes through the services, which audit it: a new institution through
    ``institution_create``, a move through ``institution_move``, every other change through
    ``institution_settings_update`` (one entry naming the changed fields)."""

    form = InstitutionAdminForm
    list_display = ["name", "slug", "kind", "parent", "timezone", "is_active"]
    list_filter = ["kind", "timezone", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from . import services

        data = form.cleaned_data
        logo = data.get("logo_upload")
        if not change:
            fields = {name: data[name] for name in form.fields if name not in ("parent", "logo_upload")}
            created = services.institution_create(actor=request.user, parent=data.get("parent"), **fields)
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            if logo:
                services.institution_settings_update(actor=request.user, institution=created, logo=logo.read())
            return
        stored = Institution.objects.get(pk=obj.pk)
        changed = {name: data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        with transaction.atomic():
            if "parent" in form.changed_data and data.get("parent") is not None:
                services.institution_move(actor=request.user, institution=stored, new_parent=data["parent"])
            if changed or logo:
                services.institution_settings_update(actor=request.user, institution=stored,
                                                     logo=logo.read() if logo else None, **changed)

    def save_related(self, request, form, formsets, change):
        """Nothing related is edited here."""


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "institution", "role", "starts_on", "ends_on"]

    def clean(self):
        data = super().clean()
        starts_on = data.get("starts_on") or getattr(self.instance, "starts_on", None)
        ends_on = data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The end date must come after the start (%(date)s).") % {
                "date": f"{starts_on:%d-%m-%Y}"})
        return data


@admin.register(Membership)
class MembershipAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    """A membership is granted through ``membership_grant``; afterwards only its end date can be
    changed (``membership_change_end``). Both are audited; nothing is deleted."""

    form = MembershipAdminForm
    list_display = ["user", "institution", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    raw_id_fields = ["user", "institution"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "institution", "role", "starts_on", "granted_by"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from . import services

        if change:
            services.membership_change_end(actor=request.user, membership=obj, ends_on=obj.ends_on)
            return
        data = form.cleaned_data
        granted = services.membership_grant(actor=request.user, user=data["user"], institution=data["institution"],
                                            role=data["role"], starts_on=data.get("starts_on"),
                                            ends_on=data.get("ends_on"))
        obj.pk = granted.pk


@admin.register(Channel)
class ChannelAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "institution", "kind", "is_official", "is_active"]
    list_filter = ["kind", "is_official", "is_active"]


class ReadOnlyAdminMixin:
    """Records that change only through the services (which audit them): the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RuleInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Rule
    fields = ["number", "kind", "category", "severity", "channel_kinds", "text", "inherited_from"]
    readonly_fields = fields
    extra = 0

    def get_queryset(self, request):
        return unscoped_queryset(Rule)


@admin.register(CodeVersion)
class CodeVersionAdmin(ReadOnlyAdminMixin, UnscopedAdminMixin, admin.ModelAdmin):
    """Codes are written by Humas and published by the head in the portal; a published version
    never changes, so the admin cannot change any version either."""

    list_display = ["title", "institution", "number", "state", "published_at"]
    list_filter = ["state"]
    inlines = [RuleInline]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["published_at", "channel", "institution", "source"]
    list_filter = ["source"]


@admin.register(ElectionReminder)
class ElectionReminderAdmin(ReadOnlyAdminMixin, UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["period", "institution", "sent_at", "recipients"]


@admin.register(ElectionPeriod)
class ElectionPeriodAdmin(admin.ModelAdmin):
    """Platform operators enter national periods here or on their election page; regional ones are
    kept by province and regency offices in Santun. Saves go through the audited service."""

    form = ElectionPeriodForm
    list_display = ["name", "kind", "coverage", "owner", "campaign_starts_on", "quiet_starts_on", "voting_day"]
    list_filter = ["kind", "coverage"]
    readonly_fields = ["owner"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "coverage", "region_codes", "owner"]}),
        (_("Dates"), {"fields": ["campaign_starts_on", "campaign_ends_on", "quiet_starts_on", "quiet_ends_on",
                                 "voting_day"]}),
        (_("For spotting campaign material"), {"fields": ["candidate_names", "campaign_terms"]}),
    ]

    def has_change_permission(self, request, obj=None):
        # A period whose election is over stays as it was.
        return super().has_change_permission(request, obj) and (obj is None or obj.voting_day >= timezone.localdate())

    def has_delete_permission(self, request, obj=None):
        # A period that started or reminded staff stays, with the record of that reminder.
        return obj is None or (obj.campaign_starts_on > timezone.localdate() and not obj.reminders.exists())

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.ELECTION_FIELDS if name in form.cleaned_data}
        saved = services.election_period_save(actor=request.user, owner=obj.owner if change else None,
                                              period=obj if change else None, **fields)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.election_period_delete(actor=request.user, owner=obj.owner, period=obj)

    def delete_queryset(self, request, queryset):
        for period in queryset:
            self.delete_model(request, period)


@admin.register(AuditEntry)
class AuditEntryAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["seq", "chain", "action", "institution", "actor", "created_at"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
