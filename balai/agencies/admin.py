from django.contrib import admin

from balai.accounts.admin_site import AuditedModelAdmin
from balai.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["short_name", "name", "is_active"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
