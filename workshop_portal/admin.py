from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from workshop_portal.admin_users import UserAdmin  # noqa: F401 (registers the admin of accounts)
from workshop_portal.models import Institution, MemberState, Workshop
from workshop_portal.services import workshop_save, workshop_set_published

admin.site.site_header = _("Workshop portal administration")
admin.site.site_title = _("Workshop portal")
admin.site.index_title = _("Organise workshops")


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_central_asian", "institution_count"]
    list_filter = ["is_central_asian"]
    search_fields = ["code"]
    readonly_fields = ["code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(institution_count=Count("institutions"))

    @admin.display(description=_("institutions"), ordering="institution_count")
    def institution_count(self, obj):
        return obj.institution_count

    def get_search_results(self, request, queryset, search_term):
        # Names are not stored: they come from django-countries in the active language.
        term = search_term.strip().casefold()
        if not term:
            return queryset, False
        codes = {code for code, name in countries if term in str(name).casefold() or term == code.casefold()}
        return queryset.filter(code__in=codes), False

    def has_add_permission(self, request):
        # The 57 member states arrive by data migration; a new member is a new migration.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "member_state"]
    list_filter = ["kind", ("member_state", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["member_state"]
    search_fields = ["name", "acronym", "name_fr", "acronym_fr", "name_ar", "acronym_ar", "name_ru", "acronym_ru"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "kind", "member_state", "website"]}),
        (
            _("Official names in the other languages"),
            {
                "fields": [("name_fr", "acronym_fr"), ("name_ar", "acronym_ar"), ("name_ru", "acronym_ru")],
                "description": _("Leave empty where the institution has no official form: the English one is shown."),
            },
        ),
    ]
    autocomplete_fields = ["member_state"]
    # A website typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class WorkshopAdminForm(forms.ModelForm):
    """Deadlines are typed as wall-clock times at the venue, in the workshop's own time zone."""

    local_datetime_fields = ("registration_opens_at", "registration_closes_at", "upload_deadline")

    class Meta:
        model = Workshop
        fields = [
            "title", "slug", "host_institution", "description", "is_published", "venue", "city",
            "start_date", "end_date", "time_zone", "registration_opens_at", "registration_closes_at",
            "upload_deadline", "capacity", "share_presentations", "contact_email",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            zone = Workshop(time_zone=zone_name).tzinfo
            for name in self.local_datetime_fields:
                value = cleaned.get(name)
                if value is not None:
                    # The form parsed the input in the active zone; read the same wall time in the venue's.
                    cleaned[name] = timezone.make_aware(timezone.make_naive(value), zone)
        return cleaned


# Inlines the apps above add to the workshop's page (reports: its reminders), from their
# AppConfig.ready: this app does not know them.
_workshop_inlines: list[type[admin.options.InlineModelAdmin]] = []


def add_workshop_inline(inline: type[admin.options.InlineModelAdmin]) -> None:
    if inline not in _workshop_inlines:
        _workshop_inlines.append(inline)


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    form = WorkshopAdminForm
    list_display = [
        "title",
        "start_date",
        "end_date",
        "city",
        "host_institution",
        "capacity",
        "session_count",
        "is_published",
    ]
    list_filter = ["is_published", ("host_institution", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["host_institution"]
    search_fields = ["title", "slug", "city", "venue"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host_institution"]
    actions = ["publish", "unpublish"]
    readonly_fields = ["personal_data_purged_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "host_institution", "description", "contact_email", "is_published"]}),
        (_("Where and when"), {"fields": ["venue", "city", "start_date", "end_date", "time_zone"]}),
        (
            _("Registration and uploads"),
            {
                "description": _("Times are in the workshop's time zone."),
                "fields": [
                    "registration_opens_at",
                    "registration_closes_at",
                    "upload_deadline",
                    "capacity",
                    "share_presentations",
                ],
            },
        ),
        (_("Personal data"), {"fields": ["personal_data_purged_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("working_sessions"))

    def get_inlines(self, request, obj):
        # On an existing workshop's page only: a new one starts with the defaults of each.
        return [*super().get_inlines(request, obj), *(_workshop_inlines if obj is not None else [])]

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj):
        url = reverse("admin:worksessions_workingsession_changelist")
        return format_html('<a href="{}?workshop__id__exact={}">{}</a>', url, obj.pk, obj.session_count)

    @admin.display(description=_("pages"))
    def pages(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("registrations:participants", args=[obj.slug]),
            _("participants"),
            reverse("registrations:badges", args=[obj.slug]),
            _("badges"),
            reverse("reports:builds", args=[obj.slug]),
            _("proceedings"),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Show and read an existing workshop's deadlines in its own time zone.
        zone_name = None
        if object_id:
            zone_name = Workshop.objects.filter(pk=object_id).values_list("time_zone", flat=True).first()
        with timezone.override(zone_name or timezone.get_default_timezone()):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render while the zone is active: a TemplateResponse renders lazily otherwise.
            if hasattr(response, "render"):
                response.render()
            return response

    def save_model(self, request, obj, form, change):
        workshop_save(workshop=obj)

    @admin.action(description=_("Publish the selected workshops"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish the selected workshops"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published):
        workshops = list(queryset)
        changed = sum(workshop_set_published(workshop=w, published=published) for w in workshops)
        unchanged = len(workshops) - changed
        if published:
            done = ngettext("Published %(count)d workshop.", "Published %(count)d workshops.", changed)
            already = ngettext(
                "%(count)d workshop was already published.", "%(count)d workshops were already published.", unchanged
            )
        else:
            done = ngettext("Unpublished %(count)d workshop.", "Unpublished %(count)d workshops.", changed)
            already = ngettext(
                "%(count)d workshop was already unpublished.",
                "%(count)d workshops were already unpublished.",
                unchanged,
            )
        if changed:
            self.message_user(request, done % {"count": changed}, messages.SUCCESS)
        if unchanged:
            self.message_user(request, already % {"count": unchanged}, messages.INFO)
