"""The organisers define surveys, their questions and choices in the admin; results are a page of their own."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from outcomes.survey_models import Survey, SurveyChoice, SurveyQuestion

TEXTS = ["text_en", "text_fr", "text_ar", "text_ru"]
LABELS = ["label_en", "label_fr", "label_ar", "label_ru"]


class SurveyQuestionInline(admin.StackedInline):
    model = SurveyQuestion
    extra = 0
    fields = [("order", "kind", "required", "session"), *TEXTS]
    show_change_link = True  # its choices are edited on the question's own page

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            survey_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            from sessions.models import WorkingSession

            queryset = WorkingSession.objects.select_related("country")
            if survey_id and str(survey_id).isdigit():
                queryset = queryset.filter(workshop__surveys=survey_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "opens_at", "closes_at", "results_link"]
    list_filter = ["workshop"]
    search_fields = ["title_en", "title_fr", "title_ar", "title_ru"]
    fields = ["workshop", "title_en", "title_fr", "title_ar", "title_ru", ("opens_at", "closes_at")]
    inlines = [SurveyQuestionInline]

    @admin.display(description=_("results"))
    def results_link(self, survey):
        url = reverse("outcomes:survey_results", args=[survey.workshop.slug, survey.pk])
        return format_html('<a href="{}">{}</a>', url, _("results"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workshop")


class SurveyChoiceInline(admin.TabularInline):
    model = SurveyChoice
    extra = 0
    fields = ["order", *LABELS]


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "survey", "session", "kind", "required", "order"]
    list_filter = ["survey__workshop", "kind"]
    search_fields = TEXTS
    fields = ["survey", "session", "kind", "required", "order", *TEXTS]
    inlines = [SurveyChoiceInline]
    list_select_related = ["survey", "session__country"]
