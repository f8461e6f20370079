"""The routing table and the regency's local holidays, edited by the regency admin."""

from django.contrib import admin

from balai.accounts import audit
from balai.complaints.models import Category, LocalHoliday, RoutingOverride


class AuditedAdmin(admin.ModelAdmin):
    """Regency admins (the only users of this admin site) edit these; every change is audited."""

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    has_add_permission = has_module_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = "changed" if change else "added"
        audit.record(f"{obj._meta.model_name}_{action}", obj, user=request.user)

    def delete_model(self, request, obj):
        audit.record(f"{obj._meta.model_name}_deleted", obj, user=request.user)
        super().delete_model(request, obj)


class RoutingOverrideInline(admin.TabularInline):
    model = RoutingOverride
    extra = 0
    autocomplete_fields = ["district", "village"]

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = [
        "name",
        "code",
        "agency",
        "handled_by_village",
        "sensitive",
        "resolution_days",
        "is_active",
    ]
    list_filter = ["is_active", "sensitive", "handled_by_village", "agency"]
    search_fields = ["name", "code", "keywords"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [RoutingOverrideInline]


@admin.register(LocalHoliday)
class LocalHolidayAdmin(AuditedAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
