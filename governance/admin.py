"""Django admin for platform operators. The audit trail is read-only there, as everywhere."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEntry, Channel, CodeVersion, ElectionPeriod, Institution, Membership, User
from .tenancy import platform_scope, unscoped_queryset


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


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "parent", "timezone", "is_active"]
    list_filter = ["kind", "timezone", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "institution", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    raw_id_fields = ["user", "institution", "granted_by"]


@admin.register(Channel)
class ChannelAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "institution", "kind", "is_official", "is_active"]
    list_filter = ["kind", "is_official", "is_active"]


@admin.register(CodeVersion)
class CodeVersionAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "institution", "number", "state", "published_at"]
    list_filter = ["state"]


@admin.register(ElectionPeriod)
class ElectionPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "coverage", "campaign_starts_on", "voting_day"]


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
