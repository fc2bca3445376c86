import datetime

import icalendar
import pytest
from django.urls import reverse

from testkit.factories import UserFactory, WorkshopFactory, country_session, special_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return WorkshopFactory(title="Cooperation with Central Asia", time_zone="Europe/Istanbul")


def test_programme_lists_sessions_with_segments_times_and_chairs(client, workshop):
    country_session(workshop, "KZ", start=(9, 30), end=(11, 0), chair="Director General, SESRIC", room="Hall A")
    special_session(workshop)
    response = client.get(workshop.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Country working session: Kazakhstan" in html
    assert "09:30–11:00" in html
    assert "Director General, SESRIC" in html
    assert "Hall A" in html
    assert "Best practices of OIC partner member states" in html
    assert "Partnership models for the future" in html
    assert reverse("worksessions:programme_ics", args=[workshop.slug]) in html


def test_programme_without_sessions_says_so(client, workshop):
    response = client.get(workshop.get_absolute_url())
    assert "The programme has not been published yet" in response.content.decode()
    assert b"programme.ics" not in response.content


def test_unpublished_workshop_is_not_found(client):
    workshop = WorkshopFactory(is_published=False)
    assert client.get(workshop.get_absolute_url()).status_code == 404
    assert client.get(reverse("worksessions:programme_ics", args=[workshop.slug])).status_code == 404


def test_programme_query_count_is_flat_in_the_number_of_sessions(client, workshop, django_assert_num_queries):
    country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    # An anonymous first visit: the workshop (then kept in the cache, workshop_portal/page_cache.py) and its programme.
    with django_assert_num_queries(3) as one_session:
        client.get(workshop.get_absolute_url())
    country_session(workshop, "KG", start=(10, 0), end=(11, 0))
    country_session(workshop, "TJ", start=(11, 0), end=(12, 0))
    special_session(workshop)
    with django_assert_num_queries(len(one_session.captured_queries)):
        response = client.get(workshop.get_absolute_url())
    assert response.content.decode().count("Country working session") == 3


def test_programme_ics_has_one_event_per_session_in_utc(client, workshop):
    country_session(workshop, "KZ", start=(9, 30), end=(11, 0), room="Hall A")
    special_session(workshop)
    response = client.get(reverse("worksessions:programme_ics", args=[workshop.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{workshop.slug}-programme.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    first = events[0]
    assert str(first["SUMMARY"]) == "Country working session: Kazakhstan"
    # Istanbul is UTC+3 since 2016: 09:30 at the venue is 06:30 UTC.
    assert first.decoded("DTSTART").astimezone(datetime.UTC) == datetime.datetime.combine(
        workshop.start_date, datetime.time(6, 30), tzinfo=datetime.UTC
    )
    assert "Hall A" in str(first["LOCATION"])
    assert "Host state's technical cooperation activities" in str(first["DESCRIPTION"])
    assert len({str(e["UID"]) for e in events}) == 2


def test_programme_ics_uids_are_stable_between_downloads(client, workshop):
    country_session(workshop, "KZ")
    url = reverse("worksessions:programme_ics", args=[workshop.slug])
    uids = [
        [str(e["UID"]) for e in icalendar.Calendar.from_ical(client.get(url).content).walk("VEVENT")] for _ in range(2)
    ]
    assert uids[0] == uids[1]


def test_programme_refuses_post(client, workshop):
    assert client.post(workshop.get_absolute_url()).status_code == 405


def test_programme_ics_query_count_is_flat_in_the_number_of_sessions(client, workshop, django_assert_num_queries):
    url = reverse("worksessions:programme_ics", args=[workshop.slug])
    country_session(workshop, "KZ", start=(9, 0), end=(10, 0))
    # The workshop, its sessions, their segments, and the accepted presentations in them.
    with django_assert_num_queries(4):
        client.get(url)
    country_session(workshop, "KG", start=(10, 0), end=(11, 0))
    special_session(workshop)
    with django_assert_num_queries(4):
        client.get(url)


def test_programme_invites_registration_only_while_it_is_open(client, workshop):
    register_url = reverse("registrations:register", args=[workshop.slug])
    assert register_url in client.get(workshop.get_absolute_url()).content.decode()
    workshop.registration_closes_at = workshop.registration_opens_at + datetime.timedelta(minutes=1)
    workshop.save()
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert register_url not in html
    assert "Closed" in html


def test_the_workshop_page_links_staff_pages_only_for_those_allowed(client, workshop):
    from testkit.factories import staff_user, verified_user
    from workshop_portal.roles import SECRETARIAT

    builds_url = f'href="{reverse("reports:builds", args=[workshop.slug])}"'
    assert builds_url not in client.get(workshop.get_absolute_url()).content.decode()
    client.force_login(verified_user("delegate@example.org"))
    html = client.get(workshop.get_absolute_url()).content.decode()
    assert builds_url not in html
    assert reverse("reports:published_page", args=[workshop.slug]) in html
    client.force_login(staff_user("secretariat@example.org", SECRETARIAT))
    assert builds_url in client.get(workshop.get_absolute_url()).content.decode()


def test_programme_names_each_sessions_room_chair_and_rapporteur_with_separators_and_escaped(client, workshop):
    rapporteur = UserFactory(first_name="Aigerim", last_name="O'Neil <Rapp>")
    country_session(workshop, "KZ", start=(9, 0), end=(10, 0), room="Hall <A>", chair="Dr Chair", rapporteur=rapporteur)
    country_session(workshop, "KG", start=(10, 0), end=(11, 0), chair="Only a chair")
    html = " ".join(client.get(workshop.get_absolute_url()).content.decode().split())
    assert (
        "Room: <bdi>Hall &lt;A&gt;</bdi> · Chair: <bdi>Dr Chair</bdi> · "
        "Rapporteur: <bdi>Aigerim O&#x27;Neil &lt;Rapp&gt;</bdi>" in html
    )
    assert '<p class="card-text small text-body-secondary mb-2"> Chair: <bdi>Only a chair</bdi> </p>' in html
    sessions = workshop.working_sessions.order_by("start_time")
    for session in sessions:
        assert f'href="{reverse("worksessions:session_ics", args=[workshop.slug, session.pk])}"' in html
    # One heading for the day both sessions share.
    assert html.count('class="programme-day"') == 1
