"""The admin of series, recommendations and the cooperation board, and the Workshop admin's
"Prepare the next workshop" action (added from outcomes' ready(): workshop_portal does not know outcomes)."""

import time

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.board_models import CooperationNeed, CooperationOffer
from outcomes.followup_models import Recommendation, RecommendationUpdate, SeriesMembership, WorkshopSeries
from outcomes.recommendations import recommendation_record
from outcomes.series import workshop_clone
from workshop_portal.models import Workshop


class SeriesMembershipInline(admin.TabularInline):
    model = SeriesMembership
    extra = 0
    autocomplete_fields = ["workshop"]


@admin.register(WorkshopSeries)
class WorkshopSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SeriesMembershipInline]


class RecommendationUpdateInline(admin.TabularInline):
    model = RecommendationUpdate
    extra = 0
    fields = ["on", "status", "note", "posted_as", "posted_by"]
    readonly_fields = ["on", "status", "note", "posted_as", "posted_by"]

    def has_add_permission(self, request, obj=None):
        return False  # posted from the recommendation's page, through the service that keeps its status


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["number", "short_text", "workshop", "addressee_kind", "member_state", "priority", "status"]
    list_display_links = ["number", "short_text"]
    list_filter = ["workshop", "status", "priority", "addressee_kind"]
    list_select_related = ["workshop", "member_state"]
    search_fields = ["text"]
    autocomplete_fields = ["member_state", "institution"]
    readonly_fields = ["status", "status_on", "created_by", "created_at"]
    raw_id_fields = ["session", "need", "offer"]
    inlines = [RecommendationUpdateInline]

    @admin.display(description=gettext_lazy("recommendation"))
    def short_text(self, obj):
        return obj.text[:100]

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
        else:
            recommendation_record(recommendation=obj, by=request.user)


class BoardPostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "sector", "is_hidden", "created_at"]
    list_filter = ["workshop", "sector", "is_hidden"]
    list_select_related = ["workshop", "member_state", "institution"]
    search_fields = ["description", "contact"]
    readonly_fields = ["workshop", "member_state", "institution", "posted_by", "created_at"]
    actions = ["hide", "show"]

    def has_add_permission(self, request):
        return False  # posted by the participants on the board

    @admin.action(description=gettext_lazy("Hide the selected posts from the participants"), permissions=["change"])
    def hide(self, request, queryset):
        queryset.update(is_hidden=True)

    @admin.action(description=gettext_lazy("Show the selected posts again"), permissions=["change"])
    def show(self, request, queryset):
        queryset.update(is_hidden=False)


admin.site.register(CooperationNeed, BoardPostAdmin)
admin.site.register(CooperationOffer, BoardPostAdmin)


class PrepareNextWorkshopForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the new workshop"), max_length=255)
    slug = forms.SlugField(label=gettext_lazy("Short name"), max_length=50)
    start_date = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Workshop.objects.filter(slug=slug).exists():
            raise ValidationError(_("A workshop with this short name exists already."))
        return slug


@admin.action(description=gettext_lazy("Prepare the next workshop"), permissions=["add"])
def prepare_next_workshop(modeladmin, request, queryset):
    """Clone one workshop's definitions into the next of its series, after asking title, short name and start date."""
    workshops = list(queryset[:2])
    if len(workshops) != 1:
        modeladmin.message_user(request, _("Select exactly one workshop to prepare the next one from."), messages.ERROR)
        return None
    source = workshops[0]
    form = PrepareNextWorkshopForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        started = time.perf_counter()
        try:
            target = workshop_clone(source=source, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            modeladmin.message_user(
                request,
                _("%(target)s is prepared from %(source)s in %(seconds).1f s; it is not published yet.")
                % {"target": target.title, "source": source.title, "seconds": time.perf_counter() - started},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:workshop_portal_workshop_change", args=[target.pk]))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Prepare the next workshop"),
        "opts": modeladmin.model._meta,
        "source": source,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/outcomes/prepare_next_workshop.html", context)


def add_workshop_admin_action() -> None:
    workshop_admin = admin.site._registry.get(Workshop)
    if workshop_admin is not None and prepare_next_workshop not in workshop_admin.actions:
        workshop_admin.actions = [*workshop_admin.actions, prepare_next_workshop]
