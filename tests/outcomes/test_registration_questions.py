"""A workshop's own registration questions: on the form, stored per registration, exported, purged."""

import datetime

import pytest
from django.urls import reverse

from outcomes.question_models import RegistrationAnswer, RegistrationQuestion, RegistrationQuestionChoice
from outcomes.survey_enums import RegistrationQuestionKind as Kind
from privacy.purge import workshop_purge_personal_data
from registrations.exports import registrations_to_csv
from registrations.models import Registration
from testkit.factories import WorkshopFactory, approved_delegate, member_state, verified_user
from workshop_portal.personal_data import sources

pytestmark = pytest.mark.django_db


def _texts(stem, text):
    return {f"{stem}_{code}": f"{text} [{code}]" for code in ("en", "fr", "ar", "ru")}


def _question(workshop, kind, text, *, required=False, personal=True, order=0, choices=()):
    question = RegistrationQuestion.objects.create(
        workshop=workshop, kind=kind, required=required, personal=personal, order=order, **_texts("text", text)
    )
    for index, label in enumerate(choices):
        RegistrationQuestionChoice.objects.create(question=question, order=index, **_texts("label", label))
    return question


@pytest.fixture
def questions():
    workshop = WorkshopFactory(slug="questions", capacity=50)
    return {
        "workshop": workshop,
        "interpretation": _question(
            workshop, Kind.CHOICE, "Interpretation", required=True, order=1, choices=["Russian", "Arabic"]
        ),
        "arrival": _question(workshop, Kind.DATE, "Arrival by air", order=2),
        "first_time": _question(workshop, Kind.YES_NO, "First time", personal=False, order=3),
        "diet": _question(workshop, Kind.TEXT, "Diet", order=4),
    }


def _form(q, **overrides):
    data = {
        "honorific": "Ms",
        "participant_name": "Aigerim Bekova",
        "position": "Director",
        "category": "central_asian_state",
        "member_state": member_state("KZ").pk,
        "institution": "",
        "delegation_role": "head",
        "email": "delegate@example.org",
        "phone": "",
        "arrival_date": "",
        "departure_date": "",
        "dietary_needs": "",
        "access_needs": "",
        "consent_to_list": "on",
        f"workshop_question_{q['interpretation'].pk}": str(q["interpretation"].choices.first().pk),
        f"workshop_question_{q['arrival'].pk}": "2012-02-21",
        f"workshop_question_{q['first_time'].pk}": "yes",
        f"workshop_question_{q['diet'].pk}": "Halal",
    }
    data.update(overrides)
    return data


def test_the_form_asks_the_questions_and_stores_the_answers(client, questions):
    client.force_login(verified_user("delegate@example.org"))
    url = reverse("registrations:register", args=[questions["workshop"].slug])
    page = client.get(url).content.decode()
    assert "Interpretation [en]" in page
    assert "Russian [en]" in page
    response = client.post(url, _form(questions))
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get()
    answers = {a.question_id: a for a in RegistrationAnswer.objects.filter(registration=registration)}
    assert answers[questions["arrival"].pk].date == datetime.date(2012, 2, 21)
    assert answers[questions["first_time"].pk].yes is True
    assert answers[questions["interpretation"].pk].display_value == "Russian [en]"
    assert answers[questions["diet"].pk].text == "Halal"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interpretation", "", "This field is required."),
        ("interpretation", "999999", "Choose among the answers offered."),
        ("arrival", "not a date", "Enter a valid date."),
        ("first_time", "maybe", "Select a valid choice"),
    ],
)
def test_bad_answers_save_nothing(client, questions, field, value, message):
    client.force_login(verified_user("delegate@example.org"))
    url = reverse("registrations:register", args=[questions["workshop"].slug])
    response = client.post(url, _form(questions, **{f"workshop_question_{questions[field].pk}": value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert not RegistrationAnswer.objects.exists()


def test_editing_the_registration_changes_the_answers(client, questions):
    user = verified_user("delegate@example.org")
    client.force_login(user)
    client.post(reverse("registrations:register", args=[questions["workshop"].slug]), _form(questions))
    registration = Registration.objects.get()
    edit = reverse("registrations:edit", args=[registration.pk])
    assert "Halal" in client.get(edit).content.decode()
    client.post(edit, _form(questions, **{f"workshop_question_{questions['diet'].pk}": ""}))
    assert not RegistrationAnswer.objects.filter(question=questions["diet"]).exists()
    assert RegistrationAnswer.objects.filter(registration=registration).count() == 3


def test_the_exports_have_a_column_per_question(questions):
    registration = approved_delegate(questions["workshop"])
    RegistrationAnswer.objects.create(registration=registration, question=questions["diet"], text="Vegetarian")
    csv_text = registrations_to_csv(Registration.objects.all()).decode("utf-8-sig")
    header, row = csv_text.splitlines()[:2]
    assert "Diet [en]" in header
    assert "Interpretation [en]" in header
    assert "Vegetarian" in row


def test_the_delegates_data_export_holds_the_answers_and_the_purge_deletes_the_personal_ones(questions):
    registration = approved_delegate(questions["workshop"])
    RegistrationAnswer.objects.create(registration=registration, question=questions["diet"], text="Vegetarian")
    RegistrationAnswer.objects.create(registration=registration, question=questions["first_time"], yes=True)
    source = next(s for s in sources() if s.key == "outcomes.answers")
    exported = source.export(registration.user).data["registration_questions"]
    assert {"Vegetarian", "yes"} <= {row["answer"] for row in exported}
    workshop = questions["workshop"]
    workshop.start_date = datetime.date(2012, 2, 22)
    workshop.end_date = datetime.date(2012, 2, 23)
    workshop.save()
    cleanup = workshop_purge_personal_data(workshop=workshop, by=None)
    assert "personal answers to registration questions deleted" in cleanup.describe()
    assert list(RegistrationAnswer.objects.values_list("question_id", flat=True)) == [questions["first_time"].pk]
