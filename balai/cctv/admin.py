"""Sites and maintenance windows for the regency admin. Cameras are managed on
Balai's own pages (credentials are write-only there), so the admin lists them
read-only."""

from django.contrib import admin

from balai.accounts.admin_site import AuditedModelAdmin, ScopedModelAdmin
from balai.cctv.models import Camera, MaintenanceWindow, Site


@admin.register(Site)
class SiteAdmin(ScopedModelAdmin):
    list_display = ["name", "village", "host", "port", "state"]
    list_filter = ["state"]
    search_fields = ["name", "village__name", "host"]
    autocomplete_fields = ["village"]
    readonly_fields = ["state", "state_since", "last_checked_at", "last_ok_at"]
    exclude = ["pending_state", "pending_count", "pending_since"]


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(AuditedModelAdmin):
    list_display = ["reason", "village", "site", "camera", "starts_at", "ends_at", "weekday"]
    list_filter = ["weekday"]
    autocomplete_fields = ["village", "site", "camera"]


@admin.register(Camera)
class CameraAdmin(ScopedModelAdmin):
    list_display = ["name", "village", "purpose", "owner_agency", "visibility", "state"]
    list_filter = ["state", "purpose", "visibility", "owner_agency"]
    search_fields = ["name", "village__name", "location"]
    fields = readonly_fields = (
        "name",
        "village",
        "site",
        "purpose",
        "owner_agency",
        "visibility",
        "state",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
