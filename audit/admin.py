"""The audit trail in the admin: read only, filtered by workshop, actor, action, source and date,
searchable, exported as CSV (streamed: a trail of years does not fit in memory)."""

import csv
import json

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent


class _Echo:
    def write(self, value):
        return value


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: a name must not run as one.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_events_csv_rows(events):
    yield [
        str(_("at")),
        str(_("actor")),
        str(_("action")),
        str(_("object type")),
        str(_("object id")),
        str(_("object")),
        str(_("workshop")),
        str(_("changes")),
        str(_("IP address")),
        str(_("source")),
    ]
    for event in events.iterator(chunk_size=2000):
        yield [
            event.at.isoformat(),
            _spreadsheet_safe(event.actor_label),
            event.action,
            event.object_type,
            event.object_id,
            _spreadsheet_safe(event.object_label),
            event.workshop.slug if event.workshop else "",
            _spreadsheet_safe(json.dumps(event.changes, ensure_ascii=False, default=str)),
            event.ip_address or "",
            event.source,
        ]


class ActorFilter(admin.SimpleListFilter):
    """The staff who acted (a list of people, not every account of the portal)."""

    title = _("actor")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        actors = (
            AuditEvent.objects.exclude(actor=None)
            .values_list("actor_id", "actor_label")
            .order_by("actor_label")
            .distinct()
        )
        seen = {}
        for actor_id, label in actors:
            seen.setdefault(actor_id, label)
        return [(str(actor_id), label) for actor_id, label in seen.items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(actor_id=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_label", "workshop", "source", "ip_address"]
    list_filter = ["workshop", ActorFilter, "action", "source", "object_type", ("at", admin.DateFieldListFilter)]
    list_select_related = ["workshop"]
    search_fields = ["actor_label", "object_label", "object_id", "action", "object_type"]
    date_hierarchy = "at"
    actions = ["export_csv"]
    list_per_page = 100

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # events go only by the retention rule (audit.services.audit_purge_expired)

    @admin.action(description=_("Export the selected events (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        writer = csv.writer(_Echo())
        events = queryset.select_related("workshop").order_by("at", "pk")
        rows = (writer.writerow(row) for row in audit_events_csv_rows(events))
        response = StreamingHttpResponse(
            _with_bom(rows),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.now():%Y%m%d-%H%M}.csv"'
        return response


def _with_bom(rows):
    # A byte-order mark, so spreadsheet programs read the names in their own scripts.
    yield "\ufeff"
    yield from rows
