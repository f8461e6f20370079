from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from balai.accounts import actions as account_actions
from balai.accounts.admin_site import AuditedModelAdmin, ScopedModelAdmin
from balai.accounts.models import ApiClient, AuditLog, User
from balai.regions.models import District, LocalHoliday, Village


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "role", "village", "district", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["village", "district", "agency"]
    fieldsets = [
        *(BaseUserAdmin.fieldsets or ()),
        ("Balai", {"fields": ["role", "village", "district", "agency", "phone"]}),
    ]
    actions = ["issue_enrolment_code"]

    @admin.action(description=_("Terbitkan kode pendaftaran autentikator"))
    def issue_enrolment_code(self, request, queryset):
        """A one-time code with which the chosen account sets up its authenticator."""
        if queryset.count() != 1:
            self.message_user(
                request, _("Pilih satu akun saja untuk kode pendaftaran."), messages.ERROR
            )
            return
        user = queryset.get()
        value = account_actions.issue_enrolment_code(user, by=request.user)
        self.message_user(
            request,
            _(
                "Kode pendaftaran untuk %(username)s (berlaku %(minutes)s menit, sekali pakai; "
                "berikan langsung kepada pemilik akun): %(code)s"
            )
            % {
                "username": user.username,
                "minutes": account_actions.ENROLMENT_CODE_MINUTES,
                "code": value,
            },
            messages.WARNING,
        )

    def get_queryset(self, request):
        # Staff of this regency only: a village, district or agency here, or regency-wide.
        regency = settings.BALAI_REGENCY
        return (
            super()
            .get_queryset(request)
            .filter(
                Q(village__district__regency_id=regency)
                | Q(district__regency_id=regency)
                | Q(village__isnull=True, district__isnull=True)
            )
        )


@admin.register(AuditLog)
class AuditLogAdmin(ScopedModelAdmin):
    """Read-only: the log is append-only everywhere."""

    list_display = ["at", "username", "role", "ip", "action", "object_type", "object_id", "village"]
    list_filter = ["action", "role"]
    search_fields = ["username", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(AuditedModelAdmin):
    list_display = ["name", "description", "user"]


# Regions: their admin is audited and onboards through accounts' action, and
# regions (below accounts) may not import either, so it is registered here.


@admin.register(District)
class DistrictAdmin(AuditedModelAdmin):
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_regency()


@admin.register(Village)
class VillageAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "district", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "district", "activated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_regency().select_related("district")

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data and obj.is_active:
            obj.is_active = False  # onboard through the action: activated_at and its audit row
            account_actions.onboard_villages([obj.code], by=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(LocalHoliday)
class LocalHolidayAdmin(AuditedModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
