"""Read-only views of the members data for platform operators. Changes go through the portal's
pages (members.services), which check the rules and write the audit trail."""

from django.contrib import admin

from governance.admin import UnscopedAdminMixin

from .models import Acknowledgement, GroupMembership, ImportJob, Invitation, StaffMember


class ReadOnlyAdmin(UnscopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "institution", "status", "position", "left_on"]
    list_filter = ["status"]
    search_fields = ["full_name", "nip"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(ReadOnlyAdmin):
    list_display = ["staff", "channel", "role", "since", "until"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["staff", "version", "method", "acknowledged_at"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["staff", "institution", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["institution", "kind", "state", "total_rows", "created_at", "finished_at"]
    exclude = ["rows"]
