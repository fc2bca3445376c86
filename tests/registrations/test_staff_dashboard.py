"""The secretariat's and organisers' dashboard: each workshop's pages for their role and the state of
its latest proceedings build, in a fixed number of queries, from the page cache until a build,
a workshop or a permission changes (and never while a build is under way)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.enums import BuildStatus
from reports.models import ProceedingsBuild
from reports.proceedings.services import proceedings_publish
from testkit.factories import UserFactory, WorkshopFactory, staff_user
from workshop_portal.roles import ORGANISERS, SECRETARIAT

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("registrations:dashboard")
SIGNED_IN_QUERIES = 2  # the session and the person


def _build(workshop, status=BuildStatus.READY, **fields):
    return ProceedingsBuild.objects.create(
        workshop=workshop, inputs_hash="x", manifest={}, status=status, page_count=42, **fields
    )


def _get(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _proceedings_line(html: str, workshop) -> str:
    match = re.search(rf'data-proceedings="{workshop.slug}">(.*?)</p>', html, re.S)
    assert match, f"no proceedings line for {workshop.slug}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_the_secretariat_finds_each_workshops_proceedings_and_participants():
    secretary = staff_user("secretary@example.org", SECRETARIAT)
    ankara = WorkshopFactory(title="Ankara workshop")
    next_one = WorkshopFactory(title="Next workshop", is_published=False)
    build = _build(ankara)
    proceedings_publish(build=build, by=secretary)
    html, _queries = _get(_client(secretary))
    assert "Workshops you help run" in html
    assert reverse("reports:builds", args=[ankara.slug]) in html
    assert reverse("reports:builds", args=[next_one.slug]) in html
    assert reverse("reports:published_page", args=[ankara.slug]) in html
    assert reverse("reports:published_page", args=[next_one.slug]) not in html
    assert reverse("registrations:participants", args=[ankara.slug]) in html
    # An unpublished workshop has no list of participants to open yet.
    assert reverse("registrations:participants", args=[next_one.slug]) not in html
    # The secretariat does not prepare badges.
    assert reverse("registrations:badges", args=[ankara.slug]) not in html
    line = _proceedings_line(html, ankara)
    assert f"Ready build {build.pk} of" in line
    assert "42 pages" in line
    assert "a build is published for the participants" in line
    assert _proceedings_line(html, next_one) == "Proceedings: no build yet"


def test_organisers_also_find_registrations_and_badges():
    organiser = staff_user("organiser@example.org", ORGANISERS)
    workshop = WorkshopFactory()
    html, _queries = _get(_client(organiser))
    assert reverse("registrations:badges", args=[workshop.slug]) in html
    changelist = reverse("admin:registrations_registration_changelist")
    assert f"{changelist}?workshop__id__exact={workshop.pk}" in html
    assert reverse("reports:builds", args=[workshop.slug]) in html


def test_a_delegate_has_no_such_section():
    WorkshopFactory()
    html, _queries = _get(_client(UserFactory()))
    assert "Workshops you help run" not in html
    assert "Proceedings:" not in html


def test_the_queries_do_not_grow_with_workshops_and_builds():
    secretary = staff_user("secretary@example.org", SECRETARIAT)
    _build(WorkshopFactory())
    client = _client(secretary)
    _html, first = _get(client)
    _html, again = _get(client)
    assert again == SIGNED_IN_QUERIES < first
    for _ in range(4):
        workshop = WorkshopFactory()
        _build(workshop, status=BuildStatus.FAILED)
        _build(workshop)
    html, more = _get(client)
    assert more == first
    assert html.count("data-proceedings=") == 5


def test_a_new_build_shows_at_once_and_a_running_one_is_never_stale():
    secretary = staff_user("secretary@example.org", SECRETARIAT)
    workshop = WorkshopFactory()
    client = _client(secretary)
    assert _proceedings_line(_get(client)[0], workshop) == "Proceedings: no build yet"
    build = _build(workshop, status=BuildStatus.RUNNING)  # saved: the cached section is stale
    assert "Running" in _proceedings_line(_get(client)[0], workshop)
    # The pipeline finishes a build with a queryset update, which sends no signal.
    ProceedingsBuild.objects.filter(pk=build.pk).update(status=BuildStatus.READY)
    line = _proceedings_line(_get(client)[0], workshop)
    assert "Ready" in line
    assert "none published yet" in line
    # Ready: the section is cached again, until the build is published.
    _html, queries = _get(client)
    assert queries == SIGNED_IN_QUERIES
    proceedings_publish(build=build, by=secretary)
    html, _queries = _get(client)
    assert "a build is published for the participants" in _proceedings_line(html, workshop)
    assert reverse("reports:published_page", args=[workshop.slug]) in html
