"""The organisers' results page, its exports and the proceedings chapter: aggregates only."""

import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from outcomes.survey_chapter import evaluation_chapter
from outcomes.survey_models import SurveyAnswer, SurveyResponse
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from testkit.factories import member_state, staff_user
from tests.outcomes.survey_fixtures import survey_material
from workshop_portal.models import User
from workshop_portal.roles import SECRETARIAT

pytestmark = pytest.mark.django_db

ANSWERS_PER_RESPONSE = 5


def _respond(material, responses: int, seed: int = 1) -> None:
    """`responses` approved participants, each answering the five questions (bulk, for speed)."""
    rng = random.Random(seed)
    start = User.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"p{start + n}@example.org", first_name="P") for n in range(responses)]
    )
    kz = member_state("KZ")
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                workshop=material["workshop"],
                user=user,
                status=RegistrationStatus.APPROVED,
                participant_name=f"Participant {user.pk}",
                position="Expert",
                category="central_asian_state",
                member_state=kz,
                delegation_role="member",
                email=user.email,
            )
            for user in users
        ]
    )
    rows = SurveyResponse.objects.bulk_create(
        [SurveyResponse(survey=material["survey"], registration=r) for r in registrations]
    )
    single = list(material["single"].choices.all())
    multiple = list(material["multiple"].choices.all())
    answers = []
    for response in rows:
        answers += [
            SurveyAnswer(response=response, question=material["overall"], rating=rng.randint(1, 5)),
            SurveyAnswer(response=response, question=material["session_rating"], rating=rng.randint(1, 5)),
            SurveyAnswer(response=response, question=material["single"]),
            SurveyAnswer(response=response, question=material["multiple"]),
            SurveyAnswer(response=response, question=material["text"], text=f"Remark {response.pk}"),
        ]
    answers = SurveyAnswer.objects.bulk_create(answers)
    through = SurveyAnswer.choices.through
    links = []
    for answer in answers:
        if answer.question_id == material["single"].pk:
            links.append(through(surveyanswer_id=answer.pk, surveychoice_id=rng.choice(single).pk))
        elif answer.question_id == material["multiple"].pk:
            links += [through(surveyanswer_id=answer.pk, surveychoice_id=c.pk) for c in rng.sample(multiple, 2)]
    through.objects.bulk_create(links)


def _results_queries(client, material) -> tuple[int, str]:
    url = reverse("outcomes:survey_results", args=[material["workshop"].slug, material["survey"].pk])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return len(queries), page.content.decode()


def test_the_results_page_query_count_stays_flat_from_10_to_1000_answers(client):
    material = survey_material()
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    _respond(material, 10 // ANSWERS_PER_RESPONSE)
    small, html = _results_queries(client, material)
    assert SurveyAnswer.objects.count() == 10
    assert "<svg" in html
    assert "style=" not in html.split("<main", 1)[-1]
    _respond(material, 1000 // ANSWERS_PER_RESPONSE - 10 // ANSWERS_PER_RESPONSE, seed=2)
    assert SurveyAnswer.objects.count() == 1000
    large, html = _results_queries(client, material)
    print(f"results page queries: {small} at 10 answers, {large} at 1,000 answers")
    assert large == small
    assert "200 responses" in html


def test_the_averages_and_distributions_add_up(client):
    material = survey_material()
    _respond(material, 20)
    from outcomes.surveys import survey_results

    results = survey_results(survey=material["survey"])
    overall = next(r for r in results.questions if r.question == material["overall"])
    ratings = list(SurveyAnswer.objects.filter(question=material["overall"]).values_list("rating", flat=True))
    assert sum(bar.count for bar in overall.bars) == 20
    assert overall.average == pytest.approx(sum(ratings) / 20)
    titles = [row.title for row in results.session_averages]
    assert titles == ["The workshop as a whole", str(material["session"].display_title)]


def test_exports_hold_every_answer_without_names(client):
    material = survey_material()
    _respond(material, 4)
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    args = [material["workshop"].slug, material["survey"].pk]
    csv_text = client.get(reverse("outcomes:survey_results_csv", args=args)).content.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == 1 + 4 * ANSWERS_PER_RESPONSE
    assert "Participant" not in csv_text
    assert "Remark" in csv_text
    xlsx = client.get(reverse("outcomes:survey_results_xlsx", args=args))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + 4 * ANSWERS_PER_RESPONSE


def test_the_proceedings_chapter_has_aggregates_of_closed_surveys_and_no_free_text():
    material = survey_material(opens=-10, closes=-1)
    _respond(material, 6)
    chapter = evaluation_chapter(material["workshop"], "en")
    text = str(chapter)
    assert chapter["title"] == "Evaluation by the participants"
    assert "Overall [en]" in text
    assert "Remark" not in text
    assert "Participant" not in text
    # A survey still open stays out until it closes.
    survey_material(workshop=material["workshop"], opens=-1, closes=5, session_code="KG")
    assert len(evaluation_chapter(material["workshop"], "en")["paragraphs"]) == 1
