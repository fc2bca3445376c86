"""The programme's cache (sessions/caching.py): fast for anonymous visitors, never stale, never shared
beyond what every anonymous visitor sees."""

import datetime
import re
import subprocess
import sys

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from presentations.services import presentation_create, presentation_decide
from sessions.enums import SegmentKind
from testkit.factories import WorkshopFactory, approved_delegate, country_session, segment_of, staff_user
from workshop_portal.models import Institution, Workshop
from workshop_portal.page_cache import csrf_placeholder
from workshop_portal.roles import ORGANISERS
from workshop_portal.services import workshop_set_published

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def organiser():
    return staff_user("organiser@example.org", ORGANISERS)


@pytest.fixture
def workshop(organiser):
    workshop = WorkshopFactory(title="Cooperation with Central Asia")
    session = country_session(workshop, "KZ", start=(9, 0), end=(10, 30))
    presenter = approved_delegate(workshop, "KZ", participant_name="Aigerim Bekova")
    presentation = presentation_create(
        presentation=Presentation(
            presenter=presenter,
            segment=segment_of(session, SegmentKind.HOST_STATE),
            title="Water and energy",
            abstract="A",
        ),
        by=organiser,
    )
    presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser)
    return workshop


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def test_anonymous_visitors_share_one_rendering_with_a_token_of_their_own(workshop):
    url = workshop.get_absolute_url()
    first, first_queries = _get(Client(), url)
    second, second_queries = _get(Client(), url)
    assert second_queries == 0  # neither the workshop nor its programme is read again
    assert first_queries > second_queries
    tokens = [TOKEN.search(response.content.decode()).group(1) for response in (first, second)]
    assert tokens[0] != tokens[1]
    assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode())
    assert "Water and energy" in second.content.decode()
    assert "csrf-placeholder" not in second.content.decode()


def test_the_language_switcher_of_a_cached_page_works_for_a_new_visitor(workshop):
    url = workshop.get_absolute_url()
    Client().get(url)  # someone else's visit fills the cache
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(url).content.decode()
    assert "csrftoken" in visitor.cookies
    token = TOKEN.search(html).group(1)
    response = visitor.post(reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert visitor.get(url).content.decode().startswith('<!doctype html>\n<html lang="fr"')


def test_every_web_process_reads_the_same_placeholder_in_a_shared_cache():
    """Web processes share the cache (Redis): a page cached by one must get its token from another."""
    code = (
        "import django; django.setup(); "
        "from workshop_portal.page_cache import csrf_placeholder; print(csrf_placeholder())"
    )
    other_process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other_process.stdout.strip() == csrf_placeholder()
    assert csrf_placeholder().startswith("csrf-placeholder-")


def test_each_language_has_its_own_page(workshop):
    url = workshop.get_absolute_url()
    assert '<html lang="en"' in Client().get(url).content.decode()
    assert '<html lang="ar" dir="rtl"' in Client(HTTP_ACCEPT_LANGUAGE="ar").get(url).content.decode()
    assert '<html lang="en"' in Client().get(url).content.decode()


@pytest.mark.parametrize(
    "change",
    [
        "accept_another",
        "withdraw",
        "rename_presenter",
        "rename_session_room",
        "rename_institution",
        "retitle_workshop",
    ],
)
def test_a_change_shows_at_once(workshop, organiser, change):
    url = workshop.get_absolute_url()
    anonymous = Client()
    anonymous.get(url)
    presentation = Presentation.objects.get(workshop=workshop)
    session = presentation.segment.session
    if change == "accept_another":
        other = presentation_create(
            presentation=Presentation(
                presenter=approved_delegate(workshop, "TR"),
                segment=segment_of(session, SegmentKind.PARTNER_BEST_PRACTICES),
                title="Vocational training",
                abstract="A",
            ),
            by=organiser,
        )
        presentation_decide(presentation=other, status=PresentationStatus.ACCEPTED, by=organiser)
        expected, gone = "Vocational training", None
    elif change == "withdraw":
        presentation_decide(presentation=presentation, status=PresentationStatus.REJECTED, by=organiser)
        expected, gone = "Country working session", "Water and energy"
    elif change == "rename_presenter":
        presentation.presenter.participant_name = "Aigerim Nurlanovna Bekova"
        presentation.presenter.save()
        expected, gone = "Aigerim Nurlanovna Bekova", None
    elif change == "rename_session_room":
        session.room = "Hall Silk Road"
        session.save()
        expected, gone = "Hall Silk Road", None
    elif change == "rename_institution":
        institution = Institution.objects.get(acronym="CCO")
        institution.name = "COMCEC Coordination Office (renamed)"
        institution.save()
        expected, gone = "COMCEC Coordination Office (renamed)", None
    else:
        Workshop.objects.filter(pk=workshop.pk).update(title="Not through a signal")
        workshop.refresh_from_db()
        workshop.title = "Cooperation beyond Central Asia"
        workshop.save()
        expected, gone = "Cooperation beyond Central Asia", None
    html = anonymous.get(url).content.decode()
    assert expected in html
    if gone:
        assert gone not in html


def test_an_unpublished_workshop_is_gone_at_once(workshop):
    url = workshop.get_absolute_url()
    assert Client().get(url).status_code == 200
    workshop_set_published(workshop=workshop, published=False)  # a queryset update: no signal
    assert Client().get(url).status_code == 404


def test_the_registration_phase_moves_with_the_clock(workshop, monkeypatch):
    url = workshop.get_absolute_url()
    register = reverse("registrations:register", args=[workshop.slug])
    assert register in Client().get(url).content.decode()
    # Registration closes: nothing was saved, the clock moved past it.
    later = workshop.registration_closes_at + datetime.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert register not in Client().get(url).content.decode()


def test_signed_in_people_and_visitors_with_messages_get_their_own_page(workshop, organiser, client):
    url = workshop.get_absolute_url()
    Client().get(url)
    client.force_login(organiser)
    html = client.get(url).content.decode()
    assert reverse("registrations:dashboard") in html
    assert "Water and energy" in html  # the programme section itself is shared
    # A message waiting in a cookie is shown to its visitor, and to no one else.
    storage = CookieStorage(RequestFactory().get(url))
    with_message = Client()
    with_message.cookies["messages"] = storage._encode([Message(constants.INFO, "You have signed out.")])
    assert "You have signed out." in with_message.get(url).content.decode()
    assert "You have signed out." not in Client().get(url).content.decode()
    # The language switcher sends a visitor back to the address they came by.
    assert 'name="next" value="/workshops/' in Client().get(f"{url}?utm=x").content.decode()
    assert "?utm=x" in Client().get(f"{url}?utm=x").content.decode()


def test_the_cache_can_be_turned_off(workshop, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = workshop.get_absolute_url()
    Client().get(url)
    _response, queries = _get(Client(), url)
    assert queries > 1


def test_the_ics_is_cached_and_follows_changes(workshop):
    url = reverse("worksessions:programme_ics", args=[workshop.slug])
    first, first_queries = _get(Client(), url)
    second, second_queries = _get(Client(), url)
    assert second.content == first.content
    assert second_queries < first_queries
    session = workshop.working_sessions.get()
    session.room = "Hall Silk Road"
    session.save()
    assert b"Hall Silk Road" in Client().get(url).content


def test_the_pages_stay_up_when_the_cache_cannot_be_reached(workshop, settings):
    from testkit.workers import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    url = workshop.get_absolute_url()
    for client in (Client(), Client()):
        response = client.get(url)
        assert response.status_code == 200
        assert "Water and energy" in response.content.decode()
        assert "csrf-placeholder" not in response.content.decode()
    assert Client().get(reverse("worksessions:programme_ics", args=[workshop.slug])).status_code == 200
