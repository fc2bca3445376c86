"""A workshop with an open survey: a workshop rating, a session rating, one and several choices, free text."""

import datetime

from django.utils import timezone

from outcomes.survey_enums import SurveyQuestionKind
from outcomes.survey_models import Survey, SurveyChoice, SurveyQuestion
from testkit.factories import WorkshopFactory, country_session


def _texts(stem: str, text: str) -> dict:
    return {f"{stem}_{code}": f"{text} [{code}]" for code in ("en", "fr", "ar", "ru")}


def question(survey, kind, text, *, session=None, required=False, order=0, choices=()):
    item = SurveyQuestion.objects.create(
        survey=survey, kind=kind, session=session, required=required, order=order, **_texts("text", text)
    )
    for index, label in enumerate(choices):
        SurveyChoice.objects.create(question=item, order=index, **_texts("label", label))
    return item


def survey_material(*, workshop=None, opens=-1, closes=7, session_code="KZ"):
    workshop = workshop or WorkshopFactory(slug="survey-test")
    session = country_session(workshop, session_code)
    now = timezone.now()
    survey = Survey.objects.create(
        workshop=workshop,
        opens_at=now + datetime.timedelta(days=opens),
        closes_at=now + datetime.timedelta(days=closes),
        **_texts("title", "Evaluation"),
    )
    return {
        "workshop": workshop,
        "session": session,
        "survey": survey,
        "overall": question(survey, SurveyQuestionKind.RATING, "Overall", required=True, order=1),
        "session_rating": question(survey, SurveyQuestionKind.RATING, "Session useful", session=session, order=2),
        "single": question(survey, SurveyQuestionKind.SINGLE, "Come again", order=3, choices=["Yes", "No"]),
        "multiple": question(
            survey, SurveyQuestionKind.MULTIPLE, "Topics", order=4, choices=["Trade", "Energy", "Water"]
        ),
        "text": question(survey, SurveyQuestionKind.TEXT, "Comments", order=5),
    }


def field(question) -> str:
    return f"question_{question.pk}"
