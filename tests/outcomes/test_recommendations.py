import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from outcomes.followup_enums import AddresseeKind, FollowUpStatus
from outcomes.followup_models import Recommendation, RecommendationUpdate
from outcomes.recommendations import recommendation_post_update, recommendations_addressed_to
from testkit.factories import approved_delegate, country_session, member_state
from tests.outcomes.followup_support import (
    focal_point,
    organiser,
    rapporteur_of_special_session,
    recorded,
    workshop_in_series,
)

pytestmark = pytest.mark.django_db


def test_recommendation_record_by_the_special_sessions_rapporteur_numbers_the_items():
    workshop = workshop_in_series()
    rapporteur = rapporteur_of_special_session(workshop)
    first = recorded(workshop, by=rapporteur)
    second = recorded(workshop, "UZ", by=rapporteur, text="Share water data.")
    assert (first.number, second.number) == (1, 2)
    assert first.status == FollowUpStatus.AGREED


def test_recommendation_record_by_a_delegate_is_refused():
    workshop = workshop_in_series()
    delegate = approved_delegate(workshop, "KZ")
    with pytest.raises(PermissionDenied):
        recorded(workshop, by=delegate.user)
    assert not Recommendation.objects.exists()


def test_recommendation_manage_page_records_an_item_addressed_to_the_oic_bodies(client):
    workshop = workshop_in_series()
    session = country_session(workshop, "KZ")
    client.force_login(organiser())
    response = client.post(
        reverse("outcomes:recommendation_manage", args=[workshop.slug]),
        {
            "text": "Pool the training offers of the OIC institutions.",
            "addressee_kind": AddresseeKind.OIC_BODIES,
            "member_state": member_state("KZ").pk,  # ignored: the OIC bodies are no state
            "session": session.pk,
            "priority": "high",
        },
    )
    assert response.status_code == 302
    item = Recommendation.objects.get()
    assert (item.addressee_kind, item.member_state, item.session, item.number) == ("oic_bodies", None, session, 1)


def test_the_addressees_focal_point_posts_a_dated_update_and_the_status_follows():
    workshop = workshop_in_series()
    later = workshop_in_series(days_ago=-60)
    item = recorded(workshop, "TJ", by=organiser())
    point = focal_point(later, "TJ", "focal.tj@example.org")  # of the next workshop of the series
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    recommendation_post_update(
        recommendation=item, status=FollowUpStatus.IN_PROGRESS, note="Drafted.", on=yesterday, by=point.user
    )
    recommendation_post_update(recommendation=item, status=FollowUpStatus.DONE, note="Opened.", by=point.user)
    item.refresh_from_db()
    assert (item.status, item.status_on) == (FollowUpStatus.DONE, datetime.date.today())
    assert list(recommendations_addressed_to(user=point.user)) == [item]


def test_an_update_by_another_states_focal_point_is_refused_and_changes_nothing(client):
    workshop = workshop_in_series()
    item = recorded(workshop, "TJ", by=organiser())
    other = focal_point(workshop, "TR", "focal.tr@example.org")
    client.force_login(other.user)
    url = reverse("outcomes:recommendation_update", args=[item.pk])
    response = client.post(url, {"status": "done", "on": "2020-01-01", "note": "Not ours."})
    assert response.status_code == 403
    assert "focal points of" in response.content.decode()
    assert not RecommendationUpdate.objects.exists()
    item.refresh_from_db()
    assert item.status == FollowUpStatus.AGREED
    with pytest.raises(PermissionDenied):
        recommendation_post_update(recommendation=item, status="done", note="x", by=other.user)


def test_an_invalid_status_or_a_future_date_is_refused_with_a_message(client):
    workshop = workshop_in_series()
    item = recorded(workshop, "TJ", by=organiser())
    point = focal_point(workshop, "TJ", "focal.tj@example.org")
    client.force_login(point.user)
    url = reverse("outcomes:recommendation_update", args=[item.pk])
    response = client.post(url, {"status": "finished", "on": "2020-01-01", "note": "?"})
    assert response.status_code == 200
    assert "Choose one of: agreed, in progress, done, dropped." in response.content.decode()
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client.post(url, {"status": "done", "on": tomorrow.isoformat(), "note": "Soon."})
    assert "cannot be in the future" in response.content.decode()
    with pytest.raises(ValidationError):
        recommendation_post_update(recommendation=item, status="finished", note="x", by=point.user)
    assert not RecommendationUpdate.objects.exists()


def _tracker_with(workshop, count, by):
    for n in range(count):
        item = recorded(workshop, ("TJ", "UZ", "KZ")[n % 3], by=by, text=f"Item {n}")
        recommendation_post_update(recommendation=item, status=FollowUpStatus.IN_PROGRESS, note="Moving.", by=by)


def test_the_series_tracker_shows_the_latest_status_in_a_flat_number_of_queries(client, django_assert_max_num_queries):
    workshop = workshop_in_series()
    by = organiser()
    _tracker_with(workshop, 2, by)
    url = reverse("outcomes:series_tracker", args=["series-a"])
    with django_assert_max_num_queries(8) as small:
        response = client.get(url)
    assert response.status_code == 200
    _tracker_with(workshop_in_series(days_ago=100), 12, by)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("data-recommendation=") == 14
    assert "In progress" in response.content.decode()


def test_the_next_workshops_special_session_page_shows_the_previous_items_and_their_status(client):
    previous = workshop_in_series()
    by = organiser()
    item = recorded(previous, "TJ", by=by, text="Open a joint training centre.")
    recommendation_post_update(recommendation=item, status=FollowUpStatus.DONE, note="Opened.", by=by)
    current = workshop_in_series(days_ago=-30)
    rapporteur = rapporteur_of_special_session(current)
    client.force_login(rapporteur)
    session = current.working_sessions.get(kind="special")
    response = client.get(reverse("reports:report_edit", args=[session.pk]))
    page = response.content.decode()
    assert "Open a joint training centre." in page
    assert 'data-status="ready"' in page  # done
    assert reverse("outcomes:recommendation_manage", args=[current.slug]) in page


def test_the_proceedings_chapter_lists_the_items_with_their_status():
    from reports.proceedings.chapters import chapter_entries

    workshop = workshop_in_series()
    recorded(workshop, "TJ", by=organiser(), text="Open a joint training centre.")
    entry = next(e for e in chapter_entries(workshop, "en") if e["name"] == "recommendations")
    assert entry["title"] == "Recommendations"
    assert entry["data"]["tables"][0]["rows"][0][1:] == [
        "Open a joint training centre.",
        "Tajikistan",
        "Medium",
        "Agreed",
    ]
