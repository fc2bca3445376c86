"""A participant answers the evaluation survey in a real browser, from My workshops."""

import pytest
from playwright.sync_api import expect

from outcomes.survey_models import SurveyAnswer
from testkit.factories import approved_delegate, verified_user
from tests.e2e.journeys import sign_in
from tests.outcomes.survey_fixtures import survey_material

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_participant_answers_the_survey(page):
    material = survey_material()
    user = verified_user("survey-journey@example.org")
    user.set_password("survey-pass-2026")
    user.save()
    registration = approved_delegate(material["workshop"], user=user, email=user.email)
    sign_in(page, registration.user.email, "survey-pass-2026")

    page.goto("/dashboard/")
    page.get_by_role("link", name="Evaluation and feedback").click()
    page.get_by_role("link", name="Answer the survey").click()
    page.locator(f"input[name='question_{material['overall'].pk}'][value='4']").check()
    page.locator(f"input[name='question_{material['single'].pk}']").first.check()
    page.get_by_label("Comments [en]").fill("Well organised.")
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Change my answers")).to_be_visible()
    assert SurveyAnswer.objects.get(question=material["overall"]).rating == 4
