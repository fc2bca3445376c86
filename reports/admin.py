from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from reports.models import REPORT_SECTIONS, ProceedingsBuild, ReminderSettings, SessionReport
from reports.reminders import workshop_reminder_schedule
from reports.services import report_save
from workshop_portal.dates import format_datetime_with_zone


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


class ReminderSettingsInline(admin.StackedInline):
    """On the workshop's page (workshop_portal.admin.add_workshop_inline): the reminders' offsets,
    and the schedule they make: each reminder, when it falls (in the workshop's zone), how many had
    it and how many it would go to now."""

    model = ReminderSettings
    can_delete = False
    max_num = 1
    min_num = 0
    extra = 1
    fields = ["registration_closing_days", "upload_deadline_days", "day_before_time", "reports_days_after", "schedule"]
    readonly_fields = ["schedule"]
    verbose_name = _("scheduled reminders")
    verbose_name_plural = _("scheduled reminders")

    STATUS = {
        "off": _("off"),
        "pending": _("pending"),
        "due": _("due: queued at the next run"),
        "done": _("sent"),
        "over": _("over"),
    }

    @admin.display(description=_("next reminders"))
    def schedule(self, obj):
        workshop = getattr(obj, "workshop", None) if obj.workshop_id else None
        if workshop is None:
            return _("Shown once the workshop is saved.")
        rows = [
            (
                row.kind.label,
                format_datetime_with_zone(row.due_at, workshop.time_zone) if row.due_at else "—",
                format_datetime_with_zone(row.ends_at, workshop.time_zone) if row.ends_at else "—",
                row.waiting,
                row.sent,
                self.STATUS[row.status],
            )
            for row in workshop_reminder_schedule(workshop)
        ]
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("reminder"),
            _("due at"),
            _("not after"),
            _("recipients now"),
            _("sent"),
            _("status"),
        )
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html('<table class="reminder-schedule"><thead>{}</thead><tbody>{}</tbody></table>', head, body)
