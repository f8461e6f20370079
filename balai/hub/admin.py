"""Themes and the synonym table for the regency admin (audited). Entries are kept
on Balai's own pages (balai.hub.views), through the catalogue's actions."""

from django.contrib import admin

from balai.accounts.admin_site import AuditedModelAdmin
from balai.hub.models import Synonym, Theme


@admin.register(Theme)
class ThemeAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Synonym)
class SynonymAdmin(AuditedModelAdmin):
    list_display = ["phrase", "group"]
    list_filter = ["group"]
    search_fields = ["phrase", "group"]
