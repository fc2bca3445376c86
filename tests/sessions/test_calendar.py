"""The programme's calendar file read in Arabic: a Latin fragment in an Arabic line is isolated.

A calendar application lays the DESCRIPTION out as plain text, so a chair written in Latin letters
("Director General (SESRIC)") is reordered with its Arabic neighbours unless it sits between
Unicode's FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, as the location and the zone already do.
"""

import icalendar
import pytest
from django.urls import reverse

from testkit.factories import WorkshopFactory, country_session
from tests.i18n_support import COOKIE, default_language_afterwards  # noqa: F401

CHAIR = "Director General (SESRIC)"


def _descriptions(client, language):
    workshop = WorkshopFactory(slug="cooperation")
    country_session(workshop, "KZ", chair=CHAIR, room="Hall A")
    client.cookies[COOKIE] = language
    response = client.get(reverse("worksessions:programme_ics", args=[workshop.slug]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return [str(event["description"]) for event in calendar.walk("VEVENT")]


@pytest.mark.django_db
def test_the_chair_in_latin_letters_is_isolated_in_an_arabic_description(client):
    (description,) = _descriptions(client, "ar")
    chair_line = description.split("\n")[1]
    assert chair_line.endswith(f"\u2068{CHAIR}\u2069"), repr(chair_line)


@pytest.mark.django_db
def test_a_latin_chair_in_a_french_description_needs_no_isolation(client):
    (description,) = _descriptions(client, "fr")
    assert CHAIR in description
    assert "\u2068" not in description.split("\n")[1]
