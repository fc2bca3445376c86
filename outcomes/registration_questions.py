"""A workshop's own registration questions: their fields on the registration form, the answers
stored per registration, their columns in the exports (through registrations/form_extensions.py)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.question_models import RegistrationAnswer, RegistrationQuestion, RegistrationQuestionChoice
from outcomes.survey_enums import RegistrationQuestionKind
from registrations.form_extensions import RegistrationFormExtension
from registrations.models import Registration

YES, NO = "yes", "no"


def _field_name(question: RegistrationQuestion) -> str:
    return f"workshop_question_{question.pk}"


def workshop_registration_questions(workshop_ids) -> list[RegistrationQuestion]:
    return list(
        RegistrationQuestion.objects.filter(workshop_id__in=workshop_ids)
        .prefetch_related(Prefetch("choices", queryset=RegistrationQuestionChoice.objects.order_by("order", "pk")))
        .order_by("workshop_id", "order", "pk")
    )


def _initial(answer: RegistrationAnswer | None):
    if answer is None:
        return None
    if answer.choice_id:
        return str(answer.choice_id)
    if answer.yes is not None:
        return YES if answer.yes else NO
    return answer.date or answer.text


def _form_field(question: RegistrationQuestion, initial):
    common = {"label": question.text, "required": question.required, "initial": initial}
    if question.kind == RegistrationQuestionKind.CHOICE:
        choices = [("", "—")] + [(str(c.pk), c.label) for c in question.choices.all()]
        return forms.ChoiceField(
            choices=choices, error_messages={"invalid_choice": _("Choose among the answers offered.")}, **common
        )
    if question.kind == RegistrationQuestionKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if question.kind == RegistrationQuestionKind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("yes")), (NO, _("no"))], widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=1000, **common)


def registration_question_fields(workshop, registration: Registration | None) -> list:
    questions = workshop_registration_questions([workshop.pk])
    answers = {}
    if registration is not None and questions:
        answers = {a.question_id: a for a in RegistrationAnswer.objects.filter(registration=registration)}
    return [(_field_name(q), _form_field(q, _initial(answers.get(q.pk)))) for q in questions]


@transaction.atomic
def registration_answers_save(registration: Registration, values: dict) -> None:
    """Replace the registration's answers to its workshop's questions with `values` (by field name).
    Refuses a missing required answer, a choice not offered, a value of the wrong kind: nothing saved."""
    questions = workshop_registration_questions([registration.workshop_id])
    rows, errors = [], {}
    for question in questions:
        name = _field_name(question)
        value = values.get(name)
        if value in (None, ""):
            if question.required:
                errors[name] = _("This question needs an answer.")
            continue
        answer = RegistrationAnswer(registration=registration, question=question)
        if question.kind == RegistrationQuestionKind.CHOICE:
            offered = {str(c.pk): c for c in question.choices.all()}
            if str(value) not in offered:
                errors[name] = _("Choose among the answers offered.")
                continue
            answer.choice = offered[str(value)]
        elif question.kind == RegistrationQuestionKind.DATE:
            if not isinstance(value, datetime.date):
                errors[name] = _("Enter a valid date.")
                continue
            answer.date = value
        elif question.kind == RegistrationQuestionKind.YES_NO:
            if value not in (YES, NO):
                errors[name] = _("Answer yes or no.")
                continue
            answer.yes = value == YES
        else:
            answer.text = str(value).strip()[:1000]
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    RegistrationAnswer.objects.filter(registration=registration).delete()
    RegistrationAnswer.objects.bulk_create(rows)


def registration_answer_columns(registrations: list[Registration]) -> list:
    """One column per question of the workshops in the export; two queries whatever the rows."""
    workshop_ids = {r.workshop_id for r in registrations}
    questions = workshop_registration_questions(workshop_ids) if workshop_ids else []
    if not questions:
        return []
    answers = {
        (a.registration_id, a.question_id): a.display_value
        for a in RegistrationAnswer.objects.filter(
            registration__in=[r.pk for r in registrations], question__in=questions
        ).select_related("choice")
    }
    return [(question.text, lambda r, q=question.pk: answers.get((r.pk, q), "")) for question in questions]


REGISTRATION_QUESTIONS = RegistrationFormExtension(
    key="outcomes.registration_questions",
    fields=registration_question_fields,
    legend=lambda: gettext_lazy("Questions of the workshop"),
    save=registration_answers_save,
    export_columns=registration_answer_columns,
)
