"""The programme's calendar with its presentations and presenters, and one session's calendar."""

import icalendar
import pytest
from django.urls import reverse

from presentations.enums import PresentationStatus
from presentations.models import Presentation
from sessions.enums import SegmentKind
from testkit.factories import WorkshopFactory, approved_delegate, country_session, segment_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    workshop = WorkshopFactory(slug="calendars")
    kazakhstan = country_session(workshop, "KZ", start=(9, 0), end=(10, 30))
    kyrgyzstan = country_session(workshop, "KG", start=(11, 0), end=(12, 30))
    presenter = approved_delegate(workshop, "KZ", participant_name="Aigerim Presenter")
    for title, status in (("Accepted deck", PresentationStatus.ACCEPTED), ("Draft deck", PresentationStatus.DRAFT)):
        Presentation.objects.create(
            presenter=presenter, segment=segment_of(kazakhstan, SegmentKind.HOST_STATE), title=title, abstract="A",
            status=status, workshop=workshop, segment_kind=SegmentKind.HOST_STATE,
        )  # fmt: skip
    return workshop, kazakhstan, kyrgyzstan


def _events(response):
    assert response.status_code == 200
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_programme_calendar_lists_accepted_presentations_with_presenters_under_their_segment(client, programme):
    workshop, _kazakhstan, _kyrgyzstan = programme
    events = _events(client.get(reverse("worksessions:programme_ics", args=[workshop.slug])))
    description = str(events[0]["description"])
    segment_line = next(line for line in description.split("\n") if "Accepted deck" in line)
    assert "Aigerim Presenter" in segment_line
    assert "Draft deck" not in description


def test_session_calendar_has_that_session_only(client, programme):
    workshop, _kazakhstan, kyrgyzstan = programme
    (event,) = _events(client.get(reverse("worksessions:session_ics", args=[workshop.slug, kyrgyzstan.pk])))
    assert "Kyrgyz" in str(event["summary"])


def test_session_calendar_of_another_workshops_session_is_not_found(client, programme):
    _workshop, kazakhstan, _kyrgyzstan = programme
    other = WorkshopFactory()
    assert client.get(reverse("worksessions:session_ics", args=[other.slug, kazakhstan.pk])).status_code == 404
    assert client.get(reverse("worksessions:session_ics", args=["nowhere", kazakhstan.pk])).status_code == 404


def test_programme_page_links_each_session_calendar(client, programme):
    workshop, kazakhstan, _kyrgyzstan = programme
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert reverse("worksessions:session_ics", args=[workshop.slug, kazakhstan.pk]) in html
