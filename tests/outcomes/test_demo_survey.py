"""The demo's closed evaluation: answered by every approved delegate, the same each time."""

import pytest

from demo.surveys import demo_surveys_seed
from outcomes.question_models import RegistrationQuestion
from outcomes.survey_models import Survey, SurveyAnswer, SurveyResponse
from testkit.factories import WorkshopFactory, approved_delegate, country_session

pytestmark = pytest.mark.django_db


def test_the_demo_survey_is_closed_answered_and_deterministic():
    workshop = WorkshopFactory(slug="demo-like")
    country_session(workshop, "KZ")
    for code in ("KZ", "KG", "TJ"):
        approved_delegate(workshop, code)
    demo_surveys_seed(workshop)
    demo_surveys_seed(workshop)  # idempotent
    survey = Survey.objects.get(workshop=workshop)
    assert not survey.is_open()
    assert SurveyResponse.objects.filter(survey=survey).count() == 3
    first = list(SurveyAnswer.objects.order_by("pk").values_list("rating", flat=True))
    assert RegistrationQuestion.objects.filter(workshop=workshop).count() == 2
    Survey.objects.all().delete()
    RegistrationQuestion.objects.all().delete()
    demo_surveys_seed(workshop)
    assert list(SurveyAnswer.objects.order_by("pk").values_list("rating", flat=True)) == first
