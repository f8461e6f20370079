"""The routing table, edited by the regency admin."""

from django.contrib import admin

from balai.accounts.admin_site import AuditedModelAdmin
from balai.complaints.models import Category, RoutingOverride


class RoutingOverrideInline(admin.TabularInline):
    model = RoutingOverride
    extra = 0
    autocomplete_fields = ["district", "village"]


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
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
