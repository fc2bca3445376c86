"""Every POST to the portal without a CSRF token is refused, whoever sends it."""

import pytest
from django.test import Client

from presentations.models import Presentation
from presentations.services import presentation_accept_upload, presentation_create
from reports.models import ProceedingsBuild
from sessions.enums import SegmentKind
from testkit.factories import RegistrationFactory, WorkshopFactory, approved_delegate, country_session, segment_of
from testkit.files import pdf_bytes, upload
from tests.security.urls import fill, iter_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(admin_user):
    workshop = WorkshopFactory(slug="csrf")
    session = country_session(workshop, "KZ")
    presenter = approved_delegate(workshop, "KZ", user=admin_user)
    presentation = presentation_create(
        presentation=Presentation(
            presenter=presenter, segment=segment_of(session, SegmentKind.HOST_STATE), title="T", abstract="A"
        ),
        by=admin_user,
    )
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("a.pdf", pdf_bytes()), by=admin_user
    )
    build = ProceedingsBuild.objects.create(workshop=workshop, inputs_hash="x", status="failed")
    other = RegistrationFactory(workshop=workshop)
    return {
        "slug": workshop.slug,
        "pk": other.pk,
        "registration_pk": presenter.pk,
        "session_pk": session.pk,
        "token": other.badge_token,
        "key": "x",
        "uidb36": "1",
        "object_id": workshop.pk,
        "id": admin_user.pk,
        "app_label": "workshop_portal",
        "content_type_id": 1,
        "url": "x",
        "build": build.pk,
        "version": version.pk,
        "code": "not-a-document-code",
        "signed_token": "not-signed",
        "secret": "not-a-feed-secret",
    }


# RFC 8058: the one-click unsubscribe POST comes from the recipient's mail provider, without any
# token of ours; the signed link itself is the authority, and it can only unsubscribe its address
# (tests/communications/test_unsubscribe.py). A forged link is refused (400) and changes nothing.
CSRF_EXEMPT = {"communications:unsubscribe": 400}


def _post_routes():
    for route, name in iter_patterns():
        if route.startswith(("static/", "media/")) or "(?P<" in route:
            continue
        yield route, name


def test_no_post_is_accepted_without_a_csrf_token(admin_user, values):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    refused, checked = [], 0
    for route, name in _post_routes():
        path = fill(route, values)
        response = client.post(path, {"anything": "1"})
        checked += 1
        if response.status_code != CSRF_EXEMPT.get(name, 403):
            refused.append((name or route, path, response.status_code))
    assert checked >= 60
    assert refused == [], f"accepted a POST without a CSRF token: {refused}"


def test_the_same_post_with_a_token_gets_past_the_check(admin_user, values):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    client.get("/dashboard/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(f"/workshops/{values['slug']}/proceedings/build/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
