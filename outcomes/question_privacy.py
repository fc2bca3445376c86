"""The answers a person gave, in the personal data registry (workshop_portal.personal_data).

- Export: their answers to the workshops' registration questions, and their survey answers.
- Erasure: their registration answers are deleted; in their survey responses the free text goes
  (ratings and choices stay, counted without a name).
- Retention purge of a past workshop: the answers to the questions marked personal are deleted;
  the others (e.g. "first time at this workshop?") stay, as statistics.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outcomes.question_models import RegistrationAnswer
from outcomes.survey_models import SurveyAnswer
from workshop_portal import personal_data
from workshop_portal.models import User, Workshop
from workshop_portal.personal_data import Cleanup, ExportSection, PersonalDataSource, SummaryItem


def _registration_answers(user: User):
    return (
        RegistrationAnswer.objects.filter(registration__user=user)
        .select_related("question", "choice", "registration__workshop")
        .order_by("registration__workshop__start_date", "question__order", "pk")
    )


def _survey_answers(user: User):
    return (
        SurveyAnswer.objects.filter(response__registration__user=user)
        .select_related("question__survey__workshop")
        .prefetch_related("choices")
        .order_by("response__survey_id", "question__order", "pk")
    )


def _survey_value(answer: SurveyAnswer) -> str:
    if answer.rating:
        return str(answer.rating)
    chosen = "; ".join(choice.label for choice in answer.choices.all())
    return chosen or answer.text


def _summary(user: User) -> list[SummaryItem]:
    items = [
        SummaryItem(
            title=f"{answer.registration.workshop.title}: {answer.question.text}",
            details=[(_("Answer"), answer.display_value)],
        )
        for answer in _registration_answers(user)
    ]
    items += [
        SummaryItem(
            title=f"{answer.question.survey.title}: {answer.question.text}",
            details=[(_("Answer"), _survey_value(answer))],
        )
        for answer in _survey_answers(user)
    ]
    return items


def _export(user: User) -> ExportSection:
    data = {
        "registration_questions": [
            {
                "workshop": answer.registration.workshop.slug,
                "question": answer.question.text,
                "answer": answer.display_value,
                "personal": answer.question.personal,
            }
            for answer in _registration_answers(user)
        ],
        "surveys": [
            {
                "workshop": answer.question.survey.workshop.slug,
                "survey": answer.question.survey.title,
                "question": answer.question.text,
                "answer": _survey_value(answer),
            }
            for answer in _survey_answers(user)
        ],
    }
    return ExportSection(data=data, files=[])


def _erase(user: User, cleanup: Cleanup) -> None:
    deleted, _by_model = RegistrationAnswer.objects.filter(registration__user=user).delete()
    cleanup.count(gettext_lazy("answers to registration questions deleted"), deleted)
    blanked = SurveyAnswer.objects.filter(response__registration__user=user).exclude(text="").update(text="")
    cleanup.count(gettext_lazy("free-text survey answers deleted"), blanked)


def _purge_workshop(workshop: Workshop, cleanup: Cleanup) -> None:
    deleted, _by_model = RegistrationAnswer.objects.filter(
        registration__workshop=workshop, question__personal=True
    ).delete()
    cleanup.count(gettext_lazy("personal answers to registration questions deleted"), deleted)


def register() -> None:
    personal_data.register(
        PersonalDataSource(
            key="outcomes.answers",
            title=gettext_lazy("Your answers to workshops' questions and surveys"),
            summary=_summary,
            export=_export,
            erase=_erase,
            purge_workshop=_purge_workshop,
            empty_text=gettext_lazy("You have not answered any workshop question or survey."),
        )
    )
