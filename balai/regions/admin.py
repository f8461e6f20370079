from django.contrib import admin

from balai.regions.models import District, Village


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    search_fields = ["code", "name"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_regency()


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "district", "activated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_regency().select_related("district")
