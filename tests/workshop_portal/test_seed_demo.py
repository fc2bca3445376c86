import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sessions.enums import SessionKind
from sessions.models import Segment, WorkingSession
from workshop_portal.demo import DEMO_SLUG
from workshop_portal.models import User, Workshop

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def test_seed_demo_creates_the_ankara_workshop_and_its_programme():
    output = _seed()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    assert workshop.start_date == datetime.date(2012, 2, 22)
    assert workshop.end_date == datetime.date(2012, 2, 23)
    assert workshop.city == "Ankara"
    assert workshop.host_institution.acronym == "CCO"
    assert workshop.is_published
    sessions = list(workshop.working_sessions.order_by("date", "start_time"))
    assert [s.country.code.code for s in sessions if s.kind == SessionKind.COUNTRY] == ["KZ", "KG", "TJ", "TM", "UZ"]
    assert sessions[-1].kind == SessionKind.SPECIAL
    assert {s.date for s in sessions} == {workshop.start_date, workshop.end_date}
    assert Segment.objects.filter(session__workshop=workshop).count() == 5 * 4 + 3
    assert "organiser@demo.example.org" in output
    assert "ankara-2012-demo" in output


def test_seed_demo_is_idempotent():
    _seed()
    _seed()
    assert Workshop.objects.filter(slug=DEMO_SLUG).count() == 1
    assert WorkingSession.objects.count() == 6
    assert Segment.objects.count() == 23
    assert User.objects.filter(email="organiser@demo.example.org").count() == 1


def test_seed_demo_organiser_can_log_into_the_admin(client):
    _seed()
    assert client.login(email="organiser@demo.example.org", password="ankara-2012-demo")
    assert client.get("/admin/").status_code == 200


def test_seed_demo_programme_page_shows_the_six_sessions(client):
    _seed()
    html = client.get(f"/workshops/{DEMO_SLUG}/").content.decode()
    for state in ("Kazakhstan", "Kyrgyz Republic", "Tajikistan", "Turkmenistan", "Uzbekistan"):
        assert f"Country working session: {state}" in html
    assert "Special session" in html
    assert "Wednesday 22 February 2012" in html


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())
    assert not Workshop.objects.filter(slug=DEMO_SLUG).exists()
