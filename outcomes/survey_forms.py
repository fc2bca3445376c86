"""The survey form, built from the survey's questions in the reader's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

from outcomes.survey_enums import RATING_MAX, RATING_MIN, SurveyQuestionKind
from outcomes.surveys import question_field_name

RATING_CHOICES = [(str(value), str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]


class SurveyAnswerForm(forms.Form):
    """One field per question, grouped by session in the template. The service checks every value
    again (range, choices offered, required), so a hand-made POST meets the same rules."""

    editing = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, questions, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["editing"].initial = editing
        self.groups = []  # (session or None, [bound fields])
        for question in questions:
            name = question_field_name(question)
            self.fields[name] = _field(question)
            if not self.groups or self.groups[-1][0] != question.session:
                self.groups.append((question.session, []))
            self.groups[-1][1].append(name)

    def grouped(self):
        return [(session, [self[name] for name in names]) for session, names in self.groups]

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "editing"}


def _field(question):
    common = {"label": question.text, "required": question.required}
    if question.kind == SurveyQuestionKind.RATING:
        return forms.ChoiceField(
            choices=RATING_CHOICES,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            help_text=_("1: poor, 5: excellent"),
            error_messages={"invalid_choice": _("Give a rating from 1 to 5.")},
            **common,
        )
    choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
    invalid = {"invalid_choice": _("Choose among the answers offered.")}
    if question.kind == SurveyQuestionKind.SINGLE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=invalid, **common)
    if question.kind == SurveyQuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, error_messages=invalid, **common
        )
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
