"""The organisers define the registration questions of a workshop and their choices in the admin."""

from django.contrib import admin

from outcomes.question_models import RegistrationQuestion, RegistrationQuestionChoice
from outcomes.survey_admin import LABELS, TEXTS


class RegistrationQuestionChoiceInline(admin.TabularInline):
    model = RegistrationQuestionChoice
    extra = 0
    fields = ["order", *LABELS]


@admin.register(RegistrationQuestion)
class RegistrationQuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workshop", "kind", "required", "personal", "order"]
    list_filter = ["workshop", "kind", "personal"]
    search_fields = TEXTS
    fields = ["workshop", ("kind", "required", "personal", "order"), *TEXTS]
    inlines = [RegistrationQuestionChoiceInline]
    list_select_related = ["workshop"]
