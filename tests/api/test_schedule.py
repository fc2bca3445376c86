import datetime
import json
import uuid
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.schedule import SCHEDULE_NAMESPACE
from presentations.enums import PresentationStatus
from presentations.models import Presentation
from registrations.enums import RegistrationStatus
from sessions.enums import SegmentKind
from testkit.factories import (
    WorkshopFactory,
    approved_delegate,
    country_session,
    institution_delegate,
    segment_of,
    special_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return WorkshopFactory(slug="feeds", title="Cooperation with Central Asia", time_zone="Asia/Almaty")


def _accepted(presenter, segment, title, order=0):
    return Presentation.objects.create(
        presenter=presenter, segment=segment, title=title, abstract=f"About {title}.", order=order,
        status=PresentationStatus.ACCEPTED, workshop=presenter.workshop, segment_kind=segment.kind,
    )  # fmt: skip


@pytest.fixture
def programme(workshop):
    session = country_session(workshop, "KZ", start=(9, 0), end=(11, 0), room="Hall A")
    special_session(workshop)
    listed = approved_delegate(workshop, "KZ", participant_name="Aigerim Listed", consent_to_list=True)
    hidden = institution_delegate(workshop)
    hidden.participant_name = "Hidden Person"
    hidden.consent_to_list = False
    hidden.save()
    first = _accepted(listed, segment_of(session, SegmentKind.HOST_STATE), "Our cooperation")
    second = _accepted(hidden, segment_of(session, SegmentKind.INTERNATIONAL_INSTITUTIONS), "A partnership")
    return session, first, second


def test_schedule_xml_has_events_in_the_venue_zone_with_stable_guids(client, workshop, programme):
    session, first, _second = programme
    response = client.get(reverse("api:schedule_xml", args=[workshop.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "schedule"
    assert root.findtext("conference/time_zone_name") == "Asia/Almaty"
    events = {event.findtext("title"): event for event in root.iter("event")}
    event = events["Our cooperation"]
    assert event.get("guid") == str(uuid.uuid5(SCHEDULE_NAMESPACE, f"presentation:{first.pk}"))
    segment = segment_of(session, SegmentKind.HOST_STATE)
    start = datetime.datetime.combine(session.date, segment.start_time, tzinfo=workshop.tzinfo)
    assert event.findtext("date") == start.isoformat()
    assert event.findtext("date").endswith("+05:00")
    assert event.findtext("room") == "Hall A"
    assert event.findtext("language") == "en"
    assert event.findtext("abstract") == "About Our cooperation."
    assert [p.text for p in event.iter("person")] == ["Aigerim Listed"]
    # A presenter who did not consent to be listed is not named.
    assert list(events["A partnership"].iter("person")) == []
    assert b"Hidden Person" not in response.content
    # A segment without presentations is an event of its own: the general discussion.
    assert any(e.findtext("type") == "segment" for e in root.iter("event"))
    again = client.get(reverse("api:schedule_xml", args=[workshop.slug]))
    assert again.content == response.content


def test_schedule_json_matches_the_xml_events(client, workshop, programme):
    _session, first, _second = programme
    response = client.get(reverse("api:schedule_json", args=[workshop.slug]))
    assert response.status_code == 200
    document = json.loads(response.content)
    conference = document["schedule"]["conference"]
    assert conference["time_zone_name"] == "Asia/Almaty"
    events = [event for day in conference["days"] for room in day["rooms"].values() for event in room]
    by_title = {event["title"]: event for event in events}
    assert by_title["Our cooperation"]["guid"] == str(uuid.uuid5(SCHEDULE_NAMESPACE, f"presentation:{first.pk}"))
    assert by_title["Our cooperation"]["persons"][0]["public_name"] == "Aigerim Listed"
    assert by_title["A partnership"]["persons"] == []
    xml = client.get(reverse("api:schedule_xml", args=[workshop.slug]))
    assert len(events) == len(list(ET.fromstring(xml.content).iter("event")))


def test_programme_page_links_the_feeds(client, workshop, programme):
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert reverse("api:schedule_xml", args=[workshop.slug]) in html
    assert reverse("api:schedule_json", args=[workshop.slug]) in html


@pytest.mark.parametrize("name", ["xml", "json"])
def test_feed_answers_304_to_its_etag_and_a_new_etag_after_a_change(client, workshop, programme, name):
    url = reverse(f"api:schedule_{name}", args=[workshop.slug])
    first = client.get(url)
    assert first["ETag"]
    assert first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    _session, presentation, _second = programme
    presentation.title = "Renamed"
    presentation.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert b"Renamed" in changed.content


@pytest.mark.parametrize("name", ["xml", "json"])
def test_feed_of_an_unknown_or_unpublished_workshop_is_not_found(client, name):
    assert client.get(reverse(f"api:schedule_{name}", args=["no-such-workshop"])).status_code == 404
    hidden = WorkshopFactory(is_published=False)
    assert client.get(reverse(f"api:schedule_{name}", args=[hidden.slug])).status_code == 404


def _bulk_programme(workshop, count):
    sessions = [country_session(workshop, code, day=0, start=(8 + 2 * i, 0), end=(9 + 2 * i, 30))
                for i, code in enumerate(("KZ", "KG", "TJ"))]  # fmt: skip
    presenter = institution_delegate(workshop)
    Presentation.objects.bulk_create(
        Presentation(
            presenter=presenter, segment=segment_of(sessions[n % 3], SegmentKind.INTERNATIONAL_INSTITUTIONS),
            title=f"Programme {n}", abstract="A", status=PresentationStatus.ACCEPTED, order=n, workshop=workshop,
            segment_kind=SegmentKind.INTERNATIONAL_INSTITUTIONS,
        )
        for n in range(count)
    )  # fmt: skip
    assert presenter.status == RegistrationStatus.APPROVED


@pytest.mark.parametrize("name", ["xml", "json"])
def test_feed_query_count_is_flat_from_6_to_600_presentations(client, settings, name):
    settings.PAGE_CACHE_SECONDS = 0
    counts = []
    for size in (6, 600):
        workshop = WorkshopFactory()
        _bulk_programme(workshop, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"api:schedule_{name}", args=[workshop.slug]))
        assert response.status_code == 200
        assert response.content.count(b"Programme ") >= size
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


@pytest.mark.requires_c3voc_schemas
def test_feeds_validate_against_the_c3voc_schemas(client, workshop, programme, c3voc_schemas):
    """On a programme with listed and unlisted presenters, and on one of a single empty day. (The
    demo workshops were checked the same way once, by hand: seed_demo takes too long for the suite.)"""
    import jsonschema
    import xmlschema

    xsd = xmlschema.XMLSchema(str(c3voc_schemas["schema.xsd"]))
    json_schema = json.loads(c3voc_schemas["schema.json"].read_text())
    empty = WorkshopFactory(end_date=workshop.start_date)
    country_session(empty, "TJ")
    for slug in (workshop.slug, empty.slug):
        xml = client.get(reverse("api:schedule_xml", args=[slug]))
        xsd.validate(xml.content)
        document = json.loads(client.get(reverse("api:schedule_json", args=[slug])).content)
        jsonschema.validate(document, json_schema, format_checker=jsonschema.FormatChecker())
