from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from registrations.admin_messages import approve_messages, decline_messages, waitlist_messages
from registrations.enums import RegistrationStatus
from registrations.exports import registrations_export_queryset, registrations_to_csv, registrations_to_xlsx
from registrations.models import BadgeBatch, Registration
from registrations.selectors import registration_status_counts
from registrations.services import (
    registration_approve,
    registration_decline,
    registration_submit,
    registration_update,
    registration_waitlist,
)
from workshop_portal.admin_actions import apply_to_each, report
from workshop_portal.templatetags.portal import STATUS_CLASSES, status_badge_html


class CheckedInFilter(admin.SimpleListFilter):
    title = _("arrived")
    parameter_name = "arrived"

    def lookups(self, request, model_admin):
        return [("yes", _("Arrived")), ("no", _("Not yet arrived"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "participant_name",
        "workshop",
        "category",
        "member_state",
        "institution_short",
        "delegation_role",
        "status_badge",
        "created_at",
        "checked_in_at",
    ]
    list_filter = [
        "workshop",
        "status",
        "category",
        ("member_state", admin.RelatedOnlyFieldListFilter),
        ("institution", admin.RelatedOnlyFieldListFilter),
        "delegation_role",
        "consent_to_list",
        CheckedInFilter,
    ]
    list_select_related = ["workshop", "member_state", "institution"]
    search_fields = [
        "participant_name",
        "email",
        "user__email",
        "position",
        "institution__name",
        "institution__acronym",
    ]
    date_hierarchy = "created_at"
    ordering = ["workshop", "participant_name"]
    autocomplete_fields = ["user", "institution"]
    actions = ["approve", "waitlist", "decline", "export_csv", "export_xlsx"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "status_changed_by",
        "waitlisted_at",
        "checked_in_at",
        "created_at",
        "updated_at",
        "check_in_link",
    ]
    fieldsets = [
        (None, {"fields": ["workshop", "user", "status"]}),
        (
            _("Participant"),
            {
                "fields": [
                    "honorific",
                    "participant_name",
                    "position",
                    "category",
                    "member_state",
                    "institution",
                    "delegation_role",
                ]
            },
        ),
        (
            _("Contact and travel"),
            {
                "fields": [
                    "email",
                    "phone",
                    "arrival_date",
                    "departure_date",
                    "dietary_needs",
                    "access_needs",
                    "consent_to_list",
                ]
            },
        ),
        (
            _("History"),
            {
                "fields": [
                    "created_at",
                    "updated_at",
                    "status_changed_at",
                    "status_changed_by",
                    "waitlisted_at",
                    "checked_in_at",
                    "check_in_link",
                ]
            },
        ),
    ]

    @admin.display(description=_("institution"), ordering="institution__name")
    def institution_short(self, obj):
        return obj.institution.short_name if obj.institution_id else ""

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return status_badge_html(obj.status, obj.get_status_display())

    @admin.display(description=_("check-in page"))
    def check_in_link(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("registrations:check_in", args=[obj.badge_token]), pgettext("link", "Open")
        )

    def get_queryset(self, request):
        # A registration awaiting its focal point's endorsement reaches the organisers once endorsed.
        return super().get_queryset(request).exclude(status=RegistrationStatus.PENDING)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if changelist is not None:
            counts = registration_status_counts(queryset=changelist.queryset)
            response.context_data["status_counts"] = [
                (RegistrationStatus(status).label, count, STATUS_CLASSES.get(status, ""))
                for status, count in counts.items()
            ]
        return response

    def save_model(self, request, obj, form, change):
        try:
            if change:
                registration_update(registration=obj, by=request.user)
            else:
                registration_submit(registration=obj, by=request.user)
        except ValidationError as error:
            # The form validated the same rules; this is a race (the person registered meanwhile).
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def _decide(self, request, queryset, service):
        return apply_to_each(
            queryset.select_related("workshop"),
            lambda registration: service(registration=registration, by=request.user),
            status_of=lambda registration: registration.status,
            name_of=lambda registration: registration.participant_name,
        )

    @admin.action(description=_("Approve the selected registrations (waitlist when full)"), permissions=["change"])
    def approve(self, request, queryset):
        outcome = self._decide(request, queryset.order_by("created_at", "pk"), registration_approve)
        report(self, request, approve_messages(outcome))

    @admin.action(description=_("Put the selected registrations on the waiting list"), permissions=["change"])
    def waitlist(self, request, queryset):
        outcome = self._decide(request, queryset.order_by("created_at", "pk"), registration_waitlist)
        report(self, request, waitlist_messages(outcome))

    @admin.action(description=_("Decline the selected registrations"), permissions=["change"])
    def decline(self, request, queryset):
        # Declining an approved delegate frees a seat, which the services give to the waiting list.
        workshops = queryset.values("workshop_id")
        waiting = set(
            Registration.objects.filter(workshop_id__in=workshops, status=RegistrationStatus.WAITLISTED)
            .exclude(pk__in=queryset.values("pk"))
            .values_list("pk", flat=True)
        )
        outcome = self._decide(request, queryset, registration_decline)
        promoted = Registration.objects.filter(pk__in=waiting, status=RegistrationStatus.APPROVED).count()
        report(self, request, decline_messages(outcome, promoted=promoted))

    def has_export_permission(self, request):
        return request.user.has_perm("registrations.export_registration")

    def _export(self, content, extension, content_type):
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="registrations-{stamp}.{extension}"'
        return response

    @admin.action(description=_("Export the selected registrations (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        return self._export(
            registrations_to_csv(registrations_export_queryset(queryset)), "csv", "text/csv; charset=utf-8"
        )

    @admin.action(description=_("Export the selected registrations (Excel)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return self._export(
            registrations_to_xlsx(registrations_export_queryset(queryset)),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


@admin.register(BadgeBatch)
class BadgeBatchAdmin(admin.ModelAdmin):
    list_display = ["workshop", "status", "badge_count", "requested_by", "created_at", "finished_at", "download"]
    list_filter = ["workshop", "status"]
    list_select_related = ["workshop", "requested_by"]
    readonly_fields = [
        "workshop",
        "requested_by",
        "status",
        "badge_count",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "heartbeat_at",
        "task_id",
        "download",
    ]
    exclude = ["file"]

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.file:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("registrations:badge_download", args=[obj.pk]), _("Download"))

    def has_add_permission(self, request):
        # Batches are requested from the workshop's badge page, which queues the rendering.
        return False


from registrations import message_admin  # noqa: E402, F401
