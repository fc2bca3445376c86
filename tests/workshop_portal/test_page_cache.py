"""The page cache (workshop_portal/page_cache.py) beyond the programme (tests/sessions/test_programme_cache.py):
the list of workshops, a delegate's dashboard and the list of participants are read from the
cache on a second visit, and show every change at once."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from presentations.conversion_jobs import presentation_file_convert
from presentations.enums import ConversionStatus
from presentations.services import presentation_accept_upload
from registrations.services import registration_approve, registration_decline
from testkit.factories import (
    RegistrationFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    host_state_presentation,
    staff_user,
)
from testkit.files import pdf_bytes, pptx_bytes, upload
from workshop_portal.models import Workshop
from workshop_portal.roles import ORGANISERS, SECRETARIAT
from workshop_portal.services import workshop_set_published

pytestmark = pytest.mark.django_db

# A signed-in request reads its session and its user before any page does.
SIGNED_IN_QUERIES = 2


def _without_tokens(html: str) -> str:
    # Each response masks the CSRF token anew.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _get(client, url, status=200):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    return response.content.decode(), len(queries.captured_queries)


# --- The list of workshops --------------------------------------------------------------------


def test_the_list_of_workshops_is_read_once_for_every_anonymous_visitor():
    WorkshopFactory(title="Cooperation with Central Asia")
    _first, first_queries = _get(Client(), "/")
    second, second_queries = _get(Client(), "/")
    assert first_queries == 1
    assert second_queries == 0
    assert "Cooperation with Central Asia" in second
    assert "csrf-placeholder" not in second


def test_a_new_or_unpublished_workshop_shows_at_once():
    listed = WorkshopFactory(title="Cooperation with Central Asia")
    Client().get("/")
    WorkshopFactory(title="Water and energy in Central Asia")
    assert "Water and energy in Central Asia" in Client().get("/").content.decode()
    workshop_set_published(workshop=listed, published=False)  # a queryset update: told by the service
    assert "Cooperation with Central Asia" not in Client().get("/").content.decode()


def test_a_workshop_moves_to_the_past_at_midnight(monkeypatch):
    workshop = WorkshopFactory(title="Cooperation with Central Asia")
    html = Client().get("/").content.decode()
    assert html.index("Upcoming") < html.index("Cooperation with Central Asia")
    day_after = timezone.make_aware(datetime.datetime.combine(workshop.end_date, datetime.time(0, 1)))
    monkeypatch.setattr(timezone, "now", lambda: day_after + datetime.timedelta(days=1))
    html = Client().get("/").content.decode()
    assert "Upcoming" not in html
    assert html.index("Past workshops") < html.index("Cooperation with Central Asia")


def test_signed_in_staff_get_their_own_list_of_workshops():
    Client().get("/")  # an anonymous visitor fills the cache with the empty list
    organiser = staff_user("organiser@example.org", ORGANISERS)
    client = Client()
    client.force_login(organiser)
    html = client.get("/").content.decode()
    assert reverse("admin:workshop_portal_workshop_add") in html
    assert reverse("admin:workshop_portal_workshop_add") not in Client().get("/").content.decode()


# --- A delegate's dashboard -------------------------------------------------------------------


@pytest.fixture
def presentation():
    return host_state_presentation(title="Water and energy")


@pytest.fixture
def delegate_client(presentation):
    client = Client()
    client.force_login(presentation.presenter.user)
    return client


DASHBOARD = reverse("registrations:dashboard")


def test_a_second_look_at_the_dashboard_reads_only_the_session_and_the_person(delegate_client, presentation):
    first, first_queries = _get(delegate_client, DASHBOARD)
    second, second_queries = _get(delegate_client, DASHBOARD)
    assert second_queries == SIGNED_IN_QUERIES < first_queries
    assert "Water and energy" in second
    assert _without_tokens(second) == _without_tokens(first)


def test_each_person_has_their_own_dashboard(delegate_client, presentation):
    delegate_client.get(DASHBOARD)
    other = approved_delegate(presentation.workshop, "TR")
    client = Client()
    client.force_login(other.user)
    html = client.get(DASHBOARD).content.decode()
    assert "Water and energy" not in html
    assert "No presentation yet" in html


def test_an_upload_and_its_conversion_show_on_the_dashboard_at_once(delegate_client, presentation):
    assert "no file yet" in delegate_client.get(DASHBOARD).content.decode()
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pptx", pptx_bytes()), by=presentation.presenter.user
    )
    version.refresh_from_db()
    expected = version.conversion_status  # pending, or already converted where tasks run inline
    assert f'data-status="{expected}"' in delegate_client.get(DASHBOARD).content.decode()
    # The conversion records its outcome with queryset updates, which send no signal.
    presentation_file_convert(version=version, task_id="")
    version.refresh_from_db()
    assert version.conversion_status != ConversionStatus.PENDING
    assert f'data-status="{version.conversion_status}"' in delegate_client.get(DASHBOARD).content.decode()


def test_a_decision_on_the_registration_shows_at_once(presentation):
    registration = RegistrationFactory(workshop=presentation.workshop)
    client = Client()
    client.force_login(registration.user)
    assert "The secretariat is reviewing your registration" in client.get(DASHBOARD).content.decode()
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    registration_approve(registration=registration, by=secretariat)
    assert "You are confirmed" in client.get(DASHBOARD).content.decode()


def test_a_workshop_opening_for_registration_shows_when_it_opens(delegate_client, monkeypatch):
    opens = timezone.now() + datetime.timedelta(days=3)
    later = WorkshopFactory(
        title="Digital government in Central Asia",
        registration_opens_at=opens,
        registration_closes_at=opens + datetime.timedelta(days=20),
    )
    assert later.title not in delegate_client.get(DASHBOARD).content.decode()
    monkeypatch.setattr(timezone, "now", lambda: opens + datetime.timedelta(minutes=1))
    assert later.title in delegate_client.get(DASHBOARD).content.decode()


def test_becoming_a_rapporteur_shows_at_once(delegate_client, presentation):
    assert reverse("reports:my_sessions") not in delegate_client.get(DASHBOARD).content.decode()
    session = presentation.segment.session
    session.rapporteur = presentation.presenter.user
    session.save()
    assert reverse("reports:my_sessions") in delegate_client.get(DASHBOARD).content.decode()


# --- The list of participants -----------------------------------------------------------------


@pytest.fixture
def workshop():
    workshop = WorkshopFactory()
    country_session(workshop, "KZ")
    return workshop


@pytest.fixture
def participant(workshop):
    return approved_delegate(workshop, "KZ", participant_name="Aigerim Bekova")


def _participants_url(workshop: Workshop) -> str:
    return reverse("registrations:participants", args=[workshop.slug])


def test_a_second_look_at_the_list_of_participants_reads_only_the_session_and_the_person(workshop, participant):
    for n in range(5):
        approved_delegate(workshop, "TR", participant_name=f"Participant {n}")
    client = Client()
    client.force_login(participant.user)
    first, first_queries = _get(client, _participants_url(workshop))
    second, second_queries = _get(client, _participants_url(workshop))
    assert second_queries == SIGNED_IN_QUERIES < first_queries
    assert "Aigerim Bekova" in second
    assert "Participant 4" in second
    assert _without_tokens(second) == _without_tokens(first)


def test_a_new_participant_shows_at_once(workshop, participant):
    client = Client()
    client.force_login(participant.user)
    client.get(_participants_url(workshop))
    newcomer = RegistrationFactory(workshop=workshop, participant_name="Bakyt Osmonov")
    assert "Bakyt Osmonov" not in client.get(_participants_url(workshop)).content.decode()
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    registration_approve(registration=newcomer, by=secretariat)
    assert "Bakyt Osmonov" in client.get(_participants_url(workshop)).content.decode()


def test_losing_the_right_to_see_the_list_applies_at_once(workshop, participant):
    client = Client()
    client.force_login(participant.user)
    _get(client, _participants_url(workshop))
    secretariat = staff_user("secretariat@example.org", SECRETARIAT)
    registration_decline(registration=participant, by=secretariat)
    _get(client, _participants_url(workshop), status=403)


def test_a_permission_granted_shows_at_once(workshop, participant):
    pdf = reverse("registrations:participants_pdf", args=[workshop.slug])
    client = Client()
    client.force_login(participant.user)
    assert pdf not in client.get(_participants_url(workshop)).content.decode()
    participant.user.groups.add(Group.objects.get(name=SECRETARIAT))  # an m2m change: no save of the user
    assert pdf in client.get(_participants_url(workshop)).content.decode()
    participant.user.groups.clear()
    assert pdf not in client.get(_participants_url(workshop)).content.decode()


def test_the_signed_in_pages_stay_up_when_the_cache_cannot_be_reached(settings, presentation, delegate_client):
    from testkit.workers import free_port

    presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", pdf_bytes()), by=presentation.presenter.user
    )
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    # Signing in keeps nothing in the cache: the sessions are in the database.
    for _ in range(2):
        assert "Water and energy" in _get(delegate_client, DASHBOARD)[0]
        assert (
            presentation.presenter.participant_name
            in _get(delegate_client, _participants_url(presentation.workshop))[0]
        )
        assert presentation.workshop.title in _get(Client(), "/")[0]
