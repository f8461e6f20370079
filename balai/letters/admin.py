from django.contrib import admin

from balai.letters.models import LetterSettings, LetterType, VillageLetterSettings


@admin.register(LetterType)
class LetterTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "classification", "online", "is_active", "order"]
    list_filter = ["online", "is_active"]
    search_fields = ["name", "code", "classification"]


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    list_display = ["regency", "number_format", "paper"]


@admin.register(VillageLetterSettings)
class VillageLetterSettingsAdmin(admin.ModelAdmin):
    list_display = ["village", "uses_verification", "uses_secretary_check", "allows_download"]
    search_fields = ["village__name", "village__code"]
