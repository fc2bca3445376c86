from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports.models import REPORT_SECTIONS, ProceedingsBuild, SessionReport
from reports.services import report_save


@admin.register(SessionReport)
class SessionReportAdmin(admin.ModelAdmin):
    list_display = ["session", "workshop", "is_final", "revision", "updated_by", "updated_at"]
    list_filter = ["session__workshop", "is_final"]
    list_select_related = ["session__workshop", "session__country", "updated_by"]
    search_fields = ["session__title", "session__workshop__title"]
    readonly_fields = ["rendered", "revision", "updated_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["session", "is_final"]}),
        (
            _("Sections (Markdown)"),
            {"fields": list(REPORT_SECTIONS)},
        ),
        (_("History"), {"fields": ["rendered", "revision", "updated_by", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("workshop"), ordering="session__workshop__start_date")
    def workshop(self, obj):
        # The short name: full workshop titles crowd out the other columns.
        return obj.session.workshop.slug

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related("workshop", "country")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The same service as the rapporteur's page: it renders and sanitises the sections and counts the revision.
        report_save(report=obj, by=request.user)


@admin.register(ProceedingsBuild)
class ProceedingsBuildAdmin(admin.ModelAdmin):
    """Builds are started and published from the secretariat's page; here they can be looked up."""

    list_display = [
        "pk",
        "workshop",
        "status",
        "language",
        "page_count",
        "attempts",
        "is_published",
        "created_at",
        "requested_by",
    ]
    list_filter = ["workshop", "status", "is_published", "language"]
    list_select_related = ["workshop", "requested_by"]
    readonly_fields = [f.name for f in ProceedingsBuild._meta.fields if f.name not in ("file", "web_file")] + [
        "page_link"
    ]
    exclude = ["file", "web_file"]

    @admin.display(description=_("page"))
    def page_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:builds", args=[obj.workshop.slug]), _("Proceedings page")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
