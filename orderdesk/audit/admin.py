"""Read-only admin pages for submissions and their status history.

No user, superusers included, can add, change or delete these records here, because the
permission hooks return False and there are no actions. The admin shows no form that saves.
"""

from django.contrib import admin

from orderdesk.charges.models import Submission, SubmissionEvent


class ReadOnlyAdminMixin:
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubmissionEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SubmissionEvent
    fields = ("created_at", "status", "cause", "actor", "request_id", "order_id", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "user",
        "property",
        "account_name",
        "service_name",
        "line_count",
        "total_amount",
        "currency",
        "status",
        "order_id",
    )
    list_filter = ("status", "property")
    list_select_related = ("user", "property")
    search_fields = ("=order_id", "=request_id", "=account_id")
    # Counting a million rows on every page view is slow, so the admin shows no total.
    show_full_result_count = False
    inlines = (SubmissionEventInline,)


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "submission", "status", "cause", "actor", "request_id")
    list_filter = ("status", "cause")
    list_select_related = ("submission", "actor")
    search_fields = ("=request_id", "=order_id")
    show_full_result_count = False
    raw_id_fields = ("submission", "actor")
