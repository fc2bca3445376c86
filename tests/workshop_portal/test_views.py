import datetime
import re

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


def test_the_header_carries_each_visitors_own_token_address_and_path(client):
    """The header is rendered once a process per language and kind of visitor
    (workshop_portal/templatetags/portal.py): what is a visitor's own is theirs on every page."""
    from django.middleware.csrf import _unmask_cipher_token

    from testkit.factories import UserFactory, staff_user
    from workshop_portal.roles import ORGANISERS

    html = client.get("/").content.decode()
    assert reverse("account_login") in html
    assert reverse("account_logout") not in html

    delegate = UserFactory(email="o'neil+<x>@example.org")
    client.force_login(delegate)
    html = client.get("/?q=<b>&x=1").content.decode()
    assert "Sign out (o&#x27;neil+&lt;x&gt;@example.org)" in html
    assert '<input type="hidden" name="next" value="/?q=%3Cb%3E&amp;x=1">' in html
    assert reverse("admin:index") not in html
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1  # the sign-out form and the language switcher: the request's own token
    assert _unmask_cipher_token(tokens.pop()) == client.cookies["csrftoken"].value

    client.force_login(staff_user("organiser@example.org", ORGANISERS))
    html = client.get("/", headers={"accept-language": "ar"}).content.decode()
    assert reverse("admin:index") in html
    assert "organiser@example.org" in html
    assert 'lang="ar" dir="rtl"' in html
    assert "Sign out" not in html
