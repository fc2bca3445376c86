import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from testkit.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_workshops_upcoming_and_past(client):
    WorkshopFactory(title="Next year's workshop")
    past_start = timezone.localdate() - datetime.timedelta(days=400)
    WorkshopFactory(
        title="An earlier workshop",
        start_date=past_start,
        end_date=past_start + datetime.timedelta(days=1),
        registration_opens_at=timezone.now() - datetime.timedelta(days=500),
        registration_closes_at=timezone.now() - datetime.timedelta(days=450),
        upload_deadline=timezone.now() - datetime.timedelta(days=420),
    )
    WorkshopFactory(title="A draft nobody should see", is_published=False)
    html = client.get(reverse("home")).content.decode()
    assert "Next year&#x27;s workshop" in html
    assert "An earlier workshop" in html
    assert html.index("Upcoming") < html.index("Next year") < html.index("Past workshops") < html.index("An earlier")
    assert "A draft nobody should see" not in html


def test_home_without_workshops_explains_what_comes_next(client):
    html = client.get(reverse("home")).content.decode()
    assert "No workshop has been published yet." in html


def test_home_without_workshops_points_staff_to_the_admin(admin_client):
    html = admin_client.get(reverse("home")).content.decode()
    assert reverse("admin:workshop_portal_workshop_add") in html


def test_home_query_count_is_flat_in_the_number_of_workshops(client, django_assert_max_num_queries):
    WorkshopFactory()
    with django_assert_max_num_queries(1):
        client.get(reverse("home"))
    WorkshopFactory.create_batch(4)
    with django_assert_max_num_queries(1):
        response = client.get(reverse("home"))
    assert response.content.decode().count("card-title") == 5


def test_pages_use_no_inline_script_or_style(client):
    WorkshopFactory(slug="csp")
    for url in (reverse("home"), reverse("worksessions:programme", args=["csp"])):
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "style=" not in html
        assert "<style" not in html


def test_missing_and_forbidden_pages_explain_themselves(client):
    response = client.get("/workshops/no-such-workshop/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    from testkit.factories import verified_user

    client.force_login(verified_user("delegate@example.org"))
    response = client.get(reverse("registrations:badges", args=[WorkshopFactory().slug]))
    assert response.status_code == 403
    assert "This page is not open to you" in response.content.decode()
