"""The evaluation survey: answering it once, changing it until it closes, and bad input refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from outcomes.survey_models import SurveyAnswer, SurveyResponse
from outcomes.surveys import survey_answer
from registrations.enums import RegistrationStatus
from testkit.factories import approved_delegate
from tests.outcomes.survey_fixtures import field, survey_material

pytestmark = pytest.mark.django_db


@pytest.fixture
def material():
    material = survey_material()
    material["registration"] = approved_delegate(material["workshop"])
    return material


def _values(m, **overrides):
    values = {
        field(m["overall"]): "4",
        field(m["session_rating"]): "5",
        field(m["single"]): str(m["single"].choices.first().pk),
        field(m["multiple"]): [str(c.pk) for c in m["multiple"].choices.all()[:2]],
        field(m["text"]): "Useful.",
    }
    values.update(overrides)
    return values


def _answer(m, editing=False, **overrides):
    return survey_answer(
        survey=m["survey"], registration=m["registration"], values=_values(m, **overrides), editing=editing
    )


def test_an_approved_participant_answers_then_changes_the_answers(material):
    response = _answer(material)
    assert response.answers.count() == 5
    assert sorted(response.answers.get(question=material["multiple"]).choices.values_list("label_en", flat=True)) == [
        "Energy [en]",
        "Trade [en]",
    ]
    _answer(material, editing=True, **{field(material["overall"]): "2", field(material["text"]): ""})
    assert SurveyResponse.objects.count() == 1
    assert response.answers.get(question=material["overall"]).rating == 2
    assert not response.answers.filter(question=material["text"]).exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("overall", "6", "from 1 to 5"),
        ("overall", "0", "from 1 to 5"),
        ("overall", "", "needs an answer"),
        ("single", "999999", "answers offered"),
        ("multiple", ["999999"], "answers offered"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(material, name, value, message):
    _answer(material)
    before = list(SurveyAnswer.objects.values_list("question_id", "rating", "text").order_by("pk"))
    with pytest.raises(ValidationError) as refused:
        _answer(material, editing=True, **{field(material[name]): value})
    assert message in " ".join(refused.value.messages)
    assert list(SurveyAnswer.objects.values_list("question_id", "rating", "text").order_by("pk")) == before


def test_a_choice_of_another_question_is_not_offered(material):
    other = material["multiple"].choices.first()
    with pytest.raises(ValidationError, match="answers offered"):
        _answer(material, **{field(material["single"]): str(other.pk)})
    assert not SurveyResponse.objects.exists()


def test_answering_twice_is_refused_and_the_database_holds_one_response(material):
    _answer(material)
    with pytest.raises(ValidationError, match="already answered"):
        _answer(material, **{field(material["overall"]): "1"})
    assert SurveyAnswer.objects.get(question=material["overall"]).rating == 4
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=material["survey"], registration=material["registration"])


def test_after_closing_nothing_is_given_or_changed(material):
    _answer(material)
    survey = material["survey"]
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save()
    with pytest.raises(ValidationError, match="closed"):
        _answer(material, editing=True, **{field(material["overall"]): "1"})
    assert SurveyAnswer.objects.get(question=material["overall"]).rating == 4


def test_a_participant_not_approved_cannot_answer(material):
    material["registration"].status = RegistrationStatus.SUBMITTED
    material["registration"].save()
    with pytest.raises(ValidationError, match="approved participants"):
        _answer(material)


def test_the_participant_answers_through_the_page(client, material):
    client.force_login(material["registration"].user)
    url = reverse("outcomes:survey_answer", args=[material["workshop"].slug, material["survey"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Overall [en]" in page.content.decode()
    response = client.post(url, {**_values(material), "editing": ""})
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(registration=material["registration"]).exists()
    # A second answer from a stale form (not editing): refused, the stored answers kept.
    again = client.post(url, {**_values(material, **{field(material["overall"]): "1"}), "editing": ""}, follow=True)
    assert "already answered" in again.content.decode()
    assert SurveyAnswer.objects.get(question=material["overall"]).rating == 4
    # A rating outside 1 to 5: the form says so and nothing changes.
    bad = client.post(url, {**_values(material, **{field(material["overall"]): "9"}), "editing": "on"})
    assert bad.status_code == 200
    assert "Give a rating from 1 to 5." in bad.content.decode()
    assert SurveyAnswer.objects.get(question=material["overall"]).rating == 4


def test_answers_are_not_shown_to_other_participants(client, material):
    _answer(material, **{field(material["text"]): "Secret remark"})
    other = approved_delegate(material["workshop"], "KG")
    client.force_login(other.user)
    url = reverse("outcomes:survey_answer", args=[material["workshop"].slug, material["survey"].pk])
    assert "Secret remark" not in client.get(url).content.decode()
    results = reverse("outcomes:survey_results", args=[material["workshop"].slug, material["survey"].pk])
    assert client.get(results).status_code == 403
