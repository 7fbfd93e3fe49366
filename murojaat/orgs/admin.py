from django.contrib import admin

from .models import District, Organisation, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["soato", "name_uz", "name_ru", "kind"]
    search_fields = ["name_uz", "name_ru", "name_en", "soato"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["soato", "name_uz", "name_ru", "region", "kind"]
    list_filter = ["region", "kind"]
    search_fields = ["name_uz", "name_ru", "name_en", "soato"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_uz", "kind", "stage", "parent", "region", "is_active"]
    list_filter = ["kind", "stage", "region", "is_active"]
    search_fields = ["code", "name_uz", "name_uz_cyrl", "name_ru", "name_en"]
    autocomplete_fields = ["parent", "region", "district"]
    readonly_fields = ["path", "depth"]
