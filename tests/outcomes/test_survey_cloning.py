"""The clone steps copy the survey and the registration questions, never answers; dates shifted."""

import datetime

import pytest

from outcomes.cloning import CLONE_STEPS
from outcomes.question_models import RegistrationAnswer, RegistrationQuestion
from outcomes.survey_cloning import clone_registration_questions, clone_surveys
from outcomes.survey_models import Survey, SurveyQuestion, SurveyResponse
from outcomes.surveys import survey_answer
from testkit.factories import WorkshopFactory, approved_delegate, country_session
from tests.outcomes.survey_fixtures import field, survey_material
from tests.outcomes.test_registration_questions import _question

pytestmark = pytest.mark.django_db
SHIFT = datetime.timedelta(days=364)


def test_the_steps_are_registered():
    assert clone_surveys in CLONE_STEPS
    assert clone_registration_questions in CLONE_STEPS


def test_surveys_are_copied_with_dates_shifted_and_sessions_mapped_without_answers():
    material = survey_material()
    source = material["workshop"]
    registration = approved_delegate(source)
    survey_answer(
        survey=material["survey"], registration=registration, values={field(material["overall"]): "5"}, editing=False
    )
    target = WorkshopFactory(slug="next", start_date=source.start_date + SHIFT, end_date=source.end_date + SHIFT)
    target_session = country_session(target, "KZ")

    clone_surveys(source, target, SHIFT)

    copy = Survey.objects.get(workshop=target)
    assert copy.opens_at == material["survey"].opens_at + SHIFT
    assert copy.closes_at == material["survey"].closes_at + SHIFT
    assert copy.title_ar == material["survey"].title_ar
    questions = list(SurveyQuestion.objects.filter(survey=copy).order_by("order"))
    assert [q.text_en for q in questions] == [q.text_en for q in material["survey"].questions.order_by("order")]
    assert next(q for q in questions if q.session_id).session == target_session
    assert [c.label_ru for c in questions[3].choices.all()] == [c.label_ru for c in material["multiple"].choices.all()]
    assert not SurveyResponse.objects.filter(survey=copy).exists()


def test_a_session_question_without_a_matching_session_is_left_out():
    material = survey_material()
    target = WorkshopFactory(slug="next")
    clone_surveys(material["workshop"], target, SHIFT)
    assert not SurveyQuestion.objects.filter(survey__workshop=target, session__isnull=False).exists()
    assert SurveyQuestion.objects.filter(survey__workshop=target).count() == 4


def test_registration_questions_are_copied_without_answers():
    source = WorkshopFactory(slug="source")
    question = _question(source, "choice", "Interpretation", required=True, personal=False, choices=["Russian"])
    RegistrationAnswer.objects.create(
        registration=approved_delegate(source), question=question, choice=question.choices.get()
    )
    target = WorkshopFactory(slug="next")
    clone_registration_questions(source, target, SHIFT)
    copy = RegistrationQuestion.objects.get(workshop=target)
    assert (copy.kind, copy.required, copy.personal, copy.text_fr) == ("choice", True, False, question.text_fr)
    assert [c.label_ar for c in copy.choices.all()] == [c.label_ar for c in question.choices.all()]
    assert not RegistrationAnswer.objects.filter(question=copy).exists()
