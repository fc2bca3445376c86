import datetime
import os
import re
import subprocess
import sys
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from demo.people import ANKARA_DELEGATES, ANKARA_PRESENTATIONS, UPCOMING_DELEGATES
from demo.seed import DEMO_SLUG, UPCOMING_SLUG
from presentations.models import Presentation, PresentationFile
from registrations.enums import ParticipantCategory, RegistrationStatus
from registrations.models import Registration
from reports.models import SessionReport
from sessions.enums import SessionKind
from sessions.models import Segment, WorkingSession
from testkit.demo_snapshot import DemoSnapshot
from workshop_portal.models import User, Workshop

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]


def _run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


_demo = DemoSnapshot(_run_seed)


def _seed() -> str:
    """What `seed_demo` printed. On an empty database the demo as the run's first seed made it (a
    snapshot: seeding takes the better part of a minute); on the demo, the command run again, whole."""
    if Workshop.objects.filter(slug=DEMO_SLUG).exists():
        return _run_seed()
    return _demo.load()


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
    assert "secretariat@demo.example.org" in output


def test_seed_demo_is_idempotent():
    _seed()
    _seed()
    assert Workshop.objects.filter(slug=DEMO_SLUG).count() == 1
    assert Workshop.objects.count() == 3  # 2012, the open follow-up, the next one prepared by cloning
    assert WorkingSession.objects.count() == 18
    assert Segment.objects.count() == 46 + 23
    assert User.objects.filter(email="organiser@demo.example.org").count() == 1
    assert Registration.objects.count() == len(ANKARA_DELEGATES) + len(UPCOMING_DELEGATES)


def test_seed_demo_organiser_can_log_into_the_admin_through_the_login_page(client):
    _seed()
    response = client.post(
        reverse("account_login"), {"login": "organiser@demo.example.org", "password": "ankara-2012-demo"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_seed_demo_delegates_fill_the_past_workshop_and_leave_a_waiting_list():
    _seed()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    statuses = Counter(workshop.registrations.values_list("status", flat=True))
    assert statuses[RegistrationStatus.APPROVED] == workshop.capacity
    assert statuses[RegistrationStatus.WAITLISTED] >= 1
    assert statuses[RegistrationStatus.CANCELLED] == 1
    assert statuses[RegistrationStatus.DECLINED] == 1
    categories = set(workshop.registrations.values_list("category", flat=True))
    assert categories == set(ParticipantCategory.values)
    upcoming = Workshop.objects.get(slug=UPCOMING_SLUG)
    assert upcoming.is_registration_open()
    assert set(upcoming.registrations.values_list("status", flat=True)) == {RegistrationStatus.SUBMITTED}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_demo_gives_every_country_session_presentations_with_real_files():
    _seed()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    presentations = Presentation.objects.filter(workshop=workshop)
    assert presentations.count() == len(ANKARA_PRESENTATIONS)
    sessions_with_all_three = {
        session
        for session in workshop.working_sessions.filter(kind="country")
        if {p.segment_kind for p in presentations.filter(segment__session=session)}
        == {"host_state", "partner_best_practices", "international_institutions"}
    }
    assert len(sessions_with_all_three) == 5
    versions = PresentationFile.objects.filter(presentation__workshop=workshop)
    assert versions.count() == presentations.count()
    assert set(versions.values_list("kind", flat=True)) == {"pdf", "pptx"}
    for version in versions.filter(kind="pdf"):
        assert version.page_count >= 2
    assert presentations.filter(status="accepted").count() >= 20


def test_seed_demo_gives_every_session_a_rapporteur_and_a_final_report():
    _seed()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    reports = SessionReport.objects.filter(session__workshop=workshop)
    assert reports.count() == 6
    assert all(report.is_final and report.rendered["recommendations"] for report in reports)
    assert not workshop.working_sessions.filter(rapporteur__isnull=True).exists()


def test_seed_demo_sends_no_email(mailbox):
    _run_seed()  # the command itself, not a snapshot of it
    assert mailbox.messages() == []


def test_seed_demo_programme_page_shows_the_six_sessions(client):
    _seed()
    html = client.get(f"/workshops/{DEMO_SLUG}/").content.decode()
    for state in ("Kazakhstan", "Kyrgyz Republic", "Tajikistan", "Turkmenistan", "Uzbekistan"):
        assert f"Country working session: {state}" in html
    assert "Special session" in html
    assert "Wednesday, 22 February 2012" in html  # CLDR's full date (en_GB)


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())
    assert not Workshop.objects.filter(slug=DEMO_SLUG).exists()


def test_seed_demo_in_the_embedded_mode_prints_no_warning(tmp_path):
    """`make run` on a fresh clone: no Redis, tasks inline (the demo's decks are converted by one).
    kombu used to warn "No hostname was supplied" on every inline task."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PORTAL_"))}
    # Every Python warning printed, as a developer with -W default would see them.
    env.update(
        DJANGO_SETTINGS_MODULE="workshop_portal.settings.base", PORTAL_VAR_DIR=str(tmp_path), PYTHONWARNINGS="default"
    )
    output = ""
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout
        output += result.stdout
    assert "Demo workshop ready" in output
    assert "No hostname was supplied" not in output
    assert not re.search(r"\b[A-Za-z]*Warning\b|^\S.* WARNING ", output, re.M), output


def test_seed_demo_gives_some_states_focal_points_and_a_nomination(client):
    from delegations.models import FocalPoint, Nomination

    output = _seed()
    _seed()  # again: nothing doubles
    assert "a focal point:           focal.tj@demo.example.org" in output
    password = re.search(r"password:\s+(\S+)", output).group(1)
    upcoming = Workshop.objects.get(slug=UPCOMING_SLUG)
    focal_points = FocalPoint.objects.filter(delegation__workshop=upcoming)
    assert sorted(f.delegation.member_state.code.code for f in focal_points) == ["TJ", "TR", "UZ"]
    assert focal_points.filter(user__isnull=True).count() == 1  # invited, no account yet
    assert Nomination.objects.filter(workshop=upcoming).count() == 1
    tajik = focal_points.get(delegation__member_state__code="TJ")
    assert client.login(email=tajik.email, password=password)
    page = client.get(tajik.get_absolute_url())
    assert page.status_code == 200
    assert "Мадина Рахимова" in page.content.decode()
    # Every delegation of the open workshop has its invitation letter; Tajikistan's focal point downloads theirs.
    from delegations.models import Delegation
    from documents.enums import DocumentKind
    from documents.models import IssuedDocument

    letters = IssuedDocument.objects.current().filter(workshop=upcoming, kind=DocumentKind.INVITATION_LETTER)
    assert letters.count() == Delegation.objects.filter(workshop=upcoming, seats__gt=0).count() > 3
    letter = letters.get(member_state__code="TJ")
    assert letter.language == "ru"
    assert letter.download_url in page.content.decode()
    assert client.get(letter.download_url).status_code == 200


def test_seed_demo_lays_out_letters_and_two_visa_requests():
    from delegations.letter_models import LetterSettings, LetterText, VisaLetterRequest
    from delegations.letters import invitation_letter_context, invitation_letter_targets, visa_letter_targets

    _seed()
    _seed()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    settings_row = LetterSettings.objects.get(workshop=workshop)
    with settings_row.letterhead.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert settings_row.signature.name.endswith(".png")
    assert LetterText.objects.filter(settings__workshop__slug=UPCOMING_SLUG).count() == 8
    visas = visa_letter_targets(workshop)
    assert len(visas) == 2
    assert VisaLetterRequest.objects.count() == 2
    context = invitation_letter_context(invitation_letter_targets(workshop)[0], "ru")
    assert context["signatory_name"] == "Селим Арслан"
    assert "22–23 февраля 2012" in context["body_html"]


def test_seed_demo_checks_delegates_in_and_issues_their_certificates(client):
    output = _seed()
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    from documents.enums import BatchStatus, DocumentKind
    from documents.models import DocumentBatch, IssuedDocument

    checked_in = Registration.objects.filter(workshop=workshop, checked_in_at__isnull=False)
    approved = Registration.objects.filter(workshop=workshop, status=RegistrationStatus.APPROVED)
    assert 0 < checked_in.count() < approved.count()  # most came, not all
    attendance = IssuedDocument.objects.current().filter(workshop=workshop, kind=DocumentKind.CERTIFICATE_ATTENDANCE)
    assert attendance.count() == checked_in.count()
    assert IssuedDocument.objects.filter(kind=DocumentKind.CERTIFICATE_PRESENTER).exists()
    assert set(DocumentBatch.objects.values_list("status", flat=True)) == {BatchStatus.READY}
    mine = attendance.get(registration__user__email="delegate01@demo.example.org")
    assert f"/verify/{mine.code}/" in output
    assert "This document is valid." in client.get(reverse("documents:verify", args=[mine.code])).content.decode()
    _seed()  # again: nothing issued twice
    assert (
        IssuedDocument.objects.filter(workshop=workshop).count()
        == attendance.count() + IssuedDocument.objects.filter(kind=DocumentKind.CERTIFICATE_PRESENTER).count() + 2
    )
    # The two visa requests' letters, issued with the rest; the requests marked issued.
    from delegations.enums import VisaRequestStatus
    from delegations.letter_models import VisaLetterRequest

    visa_letters = IssuedDocument.objects.current().filter(workshop=workshop, kind=DocumentKind.VISA_LETTER)
    assert visa_letters.count() == 2
    assert set(VisaLetterRequest.objects.values_list("status", flat=True)) == {VisaRequestStatus.ISSUED}


def test_seed_demo_follows_up_the_2012_recommendations_and_prepares_the_next_workshop(client):
    from demo.followup import NEXT_SLUG, SERIES_SLUG
    from outcomes.board_models import CooperationNeed, CooperationOffer
    from outcomes.followup_models import Recommendation, RecommendationUpdate

    output = _seed()
    _seed()  # again: nothing doubles
    workshop = Workshop.objects.get(slug=DEMO_SLUG)
    items = Recommendation.objects.filter(workshop=workshop)
    assert items.count() == 6
    assert {"agreed", "in_progress", "done", "dropped"} == set(items.values_list("status", flat=True))
    updates = RecommendationUpdate.objects.filter(recommendation__workshop=workshop)
    assert updates.count() == 7
    by_focal_points = updates.filter(posted_by__email__in=["focal.tj@demo.example.org", "focal.tr@demo.example.org"])
    assert by_focal_points.count() == 2
    assert (CooperationNeed.objects.filter(workshop=workshop).count(), CooperationOffer.objects.count()) == (2, 3)
    matched = items.get(need__isnull=False)
    assert matched.member_state.code == "TR"
    # The next workshop of the series, prepared by cloning: the programme, none of the people.
    prepared = Workshop.objects.get(slug=NEXT_SLUG)
    assert NEXT_SLUG in output
    assert not prepared.is_published
    assert prepared.working_sessions.count() == 6
    assert not prepared.registrations.exists()
    assert prepared.series_membership.series.slug == SERIES_SLUG == workshop.series_membership.series.slug
    # The public tracker shows the follow-up; Tajikistan's focal point finds their item to follow up.
    tracker = client.get(reverse("outcomes:series_tracker", args=[SERIES_SLUG])).content.decode()
    assert "vocational training centre for irrigation" in tracker
    assert client.login(email="focal.tj@demo.example.org", password="ankara-2012-demo")
    mine = client.get(reverse("outcomes:recommendation_mine")).content.decode()
    assert "vocational training centre for irrigation" in mine
    assert "development assistance agency" not in mine  # Kazakhstan's
    # A participant of 2012 sees the board's suggested matches.
    client.login(email="delegate06@demo.example.org", password="ankara-2012-demo")
    board = client.get(reverse("outcomes:board_index", args=[DEMO_SLUG])).content.decode()
    assert "Matches for you" in board
