from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from orderdesk.connections.forms import ConnectionAdminForm, PropertyAdminForm
from orderdesk.connections.models import Connection, Property
from orderdesk.core.roles import ADMINISTRATOR

User = get_user_model()

# Token values must not reach Django's error reports if a change view fails.
sensitive_tokens = method_decorator(sensitive_post_parameters("client_token", "access_token"))


class PropertyInline(admin.TabularInline):
    model = Property
    fields = ["name", "enterprise_id", "is_active"]
    readonly_fields = ["name", "enterprise_id", "is_active"]
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionAdminForm
    list_display = ["name", "platform_address", "client_name"]
    search_fields = ["name"]
    inlines = [PropertyInline]

    @sensitive_tokens
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    form = PropertyAdminForm
    list_display = ["name", "connection", "enterprise_id", "is_active", "last_checked_at"]
    list_filter = ["is_active", "connection"]
    search_fields = ["name", "enterprise_id"]
    filter_horizontal = ["users"]
    readonly_fields = ["last_checked_at", "last_auth_failure_at", "last_auth_failure_request_id"]

    @sensitive_tokens
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)


class PropertyAssignmentInline(admin.TabularInline):
    model = Property.users.through
    extra = 0
    verbose_name = _("property this user may post for")
    verbose_name_plural = _("properties this user may post for")


class OrderdeskUserAdmin(UserAdmin):
    """User administration in which an Administrator manages staff, not other administrators.

    Without these limits, anyone who may change users could give themselves any role, reset a
    superuser's password, or lock out the other administrators. Only superusers manage
    administrator and superuser accounts, and grant single permissions or the Administrator role.
    """

    inlines = [PropertyAssignmentInline]
    list_display = ["username", "first_name", "last_name", "is_active", "role_names"]
    list_filter = ["is_active", "groups"]

    @admin.display(description=_("roles"))
    def role_names(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        restricted = []
        for name, options in fieldsets:
            fields = [
                field
                for field in options["fields"]
                if field not in ("is_superuser", "user_permissions")
            ]
            restricted.append((name, {**options, "fields": fields}))
        return restricted

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Staff status opens the admin site, so only superusers make administrators.
            readonly.append("is_staff")
            if obj is not None and obj.pk == request.user.pk:
                # A user cannot change their own role or deactivate their own account.
                readonly += ["groups", "is_active"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name=ADMINISTRATOR)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self._may_manage(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self._may_manage(request.user, obj)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and not self._may_manage(request.user, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    @staticmethod
    def _may_manage(actor, user) -> bool:
        """Return whether `actor` may change `user`: superusers anyone, others staff who post."""
        if actor.is_superuser:
            return True
        if user.pk == actor.pk:
            return True
        return not (user.is_superuser or user.is_staff)


admin.site.unregister(User)
admin.site.register(User, OrderdeskUserAdmin)
