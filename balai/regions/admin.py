from django.contrib import admin

from balai.accounts.admin_site import AuditedModelAdmin
from balai.regions.actions import onboard_villages
from balai.regions.models import District, LocalHoliday, Village


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
            onboard_villages([obj.code], by=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(LocalHoliday)
class LocalHolidayAdmin(AuditedModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
