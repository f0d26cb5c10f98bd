"""Operators' admin for the registry's organisations and places.

Children (students, enrolments, register entries, exemptions) are deliberately absent:
operators administer, they do not read personal data (issue 5; docs/privacy.md). Student
data enters through imports and the case workers' screens.
"""

from django.contrib import admin

from leerrecht.registry.models import Municipality, Organisation, RmcRegion


@admin.register(RmcRegion)
class RmcRegionAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("cbs_code", "name", "rmc_region")
    list_filter = ("rmc_region",)
    search_fields = ("cbs_code", "name")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "brin", "school_type", "municipality", "swv")
    list_filter = ("kind", "school_type", "municipality")
    search_fields = ("name", "brin")
    filter_horizontal = ("served_municipalities", "served_schools")
    autocomplete_fields = ("swv",)
