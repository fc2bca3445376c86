"""Privacy: a person's copy of their data, their erasure, and the retention purge of a past workshop.

Real files on the test storage, the real database; files are deleted only once the transaction
commits, so the tests run the commit callbacks (django_capture_on_commit_callbacks).
"""

import datetime
import io
import json
import tempfile
import zipfile
from pathlib import Path

import pypdf
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from presentations.enums import PresentationStatus
from presentations.models import Presentation, PresentationFile
from presentations.services import (
    presentation_accept_upload,
    presentation_create,
    presentation_decide,
    presentation_withdraw,
)
from registrations.enums import RegistrationStatus
from registrations.models import BadgeBatch, Registration
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild, ProceedingsPart, SessionReport
from reports.proceedings import proceedings_build_now, proceedings_publish
from sessions.enums import SegmentKind
from testkit.factories import (
    RegistrationFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    segment_of,
    staff_user,
    verified_user,
)
from testkit.files import pdf_bytes, upload
from tests.reports.proceedings_fixtures import build_material
from workshop_portal.enums import ErasureStatus
from workshop_portal.models import ErasureRequest, User, Workshop
from workshop_portal.privacy import erasure_carry_out, erasure_request_create, workshop_purge_personal_data
from workshop_portal.roles import ORGANISERS
from workshop_portal.tasks import purge_personal_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _move_to_the_past(workshop: Workshop, *, ended_days_ago: int) -> None:
    """Shift a workshop (created upcoming, so its services accepted everything) into the past."""
    end = TODAY() - datetime.timedelta(days=ended_days_ago)
    Workshop.objects.filter(pk=workshop.pk).update(start_date=end - datetime.timedelta(days=1), end_date=end)
    workshop.refresh_from_db()


def _zip_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _presentation(presenter, session, title, *, by, content=None, accepted_by=None):
    presentation = presentation_create(
        presentation=Presentation(
            presenter=presenter, segment=segment_of(session, SegmentKind.HOST_STATE), title=title, abstract=title
        ),
        by=by,
    )
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", content or pdf_bytes(title=title)), by=by
    )
    if accepted_by is not None:
        presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=accepted_by)
    return presentation, version


def _text_values(model) -> list[str]:
    """Every value of every text column of a table."""
    columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
    return [str(value) for row in model.objects.values_list(*columns) for value in row if value]


def _sessions_of(user) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


# --- Who may see what -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("privacy:overview", "privacy:erasure"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = client.post(reverse("privacy:export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_page_explains_an_empty_account(client):
    client.force_login(verified_user("newcomer@example.org"))
    html = client.get(reverse("privacy:overview")).content.decode()
    assert "newcomer@example.org" in html
    assert "You have not registered for any workshop." in html
    assert "You have not proposed any presentation." in html
    assert "You are not rapporteur of any session." in html
    assert "Download my data" in html
    assert reverse("privacy:erasure") in html
    assert 'href="/account/data/"' in client.get(reverse("registrations:dashboard")).content.decode()


# --- The person's copy ------------------------------------------------------------------------


def test_the_export_holds_the_persons_data_and_files_and_nobody_elses(client):
    workshop = WorkshopFactory(title="Water Workshop")
    session = country_session(workshop, "KZ")
    person = verified_user("zarina@example.org", first_name="Zarina", last_name="Tokhtarova")
    mine = approved_delegate(
        workshop, "KZ", user=person, participant_name="Zarina Tokhtarova", phone="+7 727 000 11 22",
        dietary_needs="Vegetarian",
    )  # fmt: skip
    other = approved_delegate(
        workshop, "KZ", user=verified_user("bakyt@example.org"), participant_name="Bakyt Osmonov", phone="+996 555"
    )
    first, second = pdf_bytes(title="Water diplomacy"), pdf_bytes(pages=3, title="Water diplomacy, revised")
    presentation, _v1 = _presentation(mine, session, "Water diplomacy", by=person, content=first)
    presentation_accept_upload(presentation=presentation, uploaded_file=upload("revised.pdf", second), by=person)
    _presentation(other, session, "Mountain roads", by=other.user)
    session.rapporteur = person
    session.save()
    SessionReport.objects.create(session=session, summary="Donors met twice.")
    before = set(Path(tempfile.gettempdir()).glob("portal-data-export-*"))

    client.force_login(person)
    assert client.get(reverse("privacy:export")).status_code == 405
    response = client.post(reverse("privacy:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert response["Cache-Control"] == "private, no-store"
    archive = _zip_of(response)
    data = json.loads(archive.read("data.json"))
    sections = data["sections"]
    assert set(sections) == {"account", "registrations", "presentations", "reports"}
    assert sections["account"]["email"] == "zarina@example.org"
    assert sections["account"]["email_addresses"] == [
        {"email": "zarina@example.org", "verified": True, "primary": True}
    ]
    [registration] = sections["registrations"]
    assert registration["participant_name"] == "Zarina Tokhtarova"
    assert registration["phone"] == "+7 727 000 11 22"
    assert registration["dietary_needs"] == "Vegetarian"
    assert registration["workshop"]["title"] == "Water Workshop"
    [exported] = sections["presentations"]
    assert exported["title"] == "Water diplomacy"
    assert [v["version"] for v in exported["versions"]] == [1, 2]
    [report] = sections["reports"]
    assert report["rapporteur"] is True
    assert report["report"]["summary"] == "Donors met twice."
    # The stored files (the copies the portal rewrote on upload), byte for byte, under files/.
    files = [v["archive_file"] for v in exported["versions"]]
    assert data["files"] == [f"files/{name}" for name in files]
    for name, version in zip(files, presentation.files.order_by("version"), strict=True):
        with version.file.open("rb") as stored:
            assert archive.read(f"files/{name}") == stored.read()
    assert [len(pypdf.PdfReader(io.BytesIO(archive.read(f"files/{name}"))).pages) for name in files] == [2, 3]
    # Nobody else's data, anywhere in the archive.
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for foreign in (b"Bakyt Osmonov", b"bakyt@example.org", b"+996 555", b"Mountain roads"):
        assert foreign not in everything
    # The archive was built in a temporary file, which is gone.
    assert set(Path(tempfile.gettempdir()).glob("portal-data-export-*")) == before


def test_your_data_page_costs_the_same_queries_for_one_or_five_registrations(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = verified_user("many@example.org")
    client.force_login(person)

    def register(count):
        for _n in range(count):
            workshop = WorkshopFactory()
            session = country_session(workshop, "KZ")
            registration = approved_delegate(workshop, "KZ", user=person)
            _presentation(registration, session, f"Deck for {workshop.title}", by=person)
            session.rapporteur = person
            session.save()
            SessionReport.objects.create(session=session, summary="Notes.")

    register(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("privacy:overview")).status_code == 200
    register(4)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("privacy:overview"))
    assert response.content.decode().count("Deck for ") == 5


# --- Erasure ----------------------------------------------------------------------------------


def test_asking_for_erasure_needs_the_box_ticked_and_a_short_reason(client):
    person = verified_user("unsure@example.org")
    client.force_login(person)
    response = client.post(reverse("privacy:erasure"), {"reason": "Changed my mind"})
    assert response.status_code == 200
    assert "Tick the box to confirm that you want your data erased." in response.content.decode()
    response = client.post(reverse("privacy:erasure"), {"reason": "x" * 2001, "confirm": "on"})
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_a_second_request_while_one_is_open_is_refused_with_the_date(client):
    person = verified_user("twice@example.org")
    client.force_login(person)
    response = client.post(reverse("privacy:erasure"), {"reason": "Please", "confirm": "on"})
    assert response.status_code == 302
    response = client.post(reverse("privacy:erasure"), {"reason": "Again", "confirm": "on"})
    assert response.status_code == 200
    assert "You asked for your data to be erased on" in response.content.decode()
    assert ErasureRequest.objects.filter(user=person).count() == 1
    html = client.get(reverse("privacy:overview")).content.decode()
    assert "The secretariat is handling your request" in html


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_organisers_are_told_of_a_request(client, mailbox, celery_worker_process):
    staff_user("organiser-one@example.org", ORGANISERS)
    staff_user("organiser-two@example.org", ORGANISERS)
    person = verified_user("leaving@example.org")
    client.force_login(person)
    client.post(reverse("privacy:erasure"), {"reason": "I left the ministry.", "confirm": "on"})
    request = ErasureRequest.objects.get(user=person)
    assert (request.email, request.reason, request.status) == (
        "leaving@example.org",
        "I left the ministry.",
        "requested",
    )
    for organiser in ("organiser-one@example.org", "organiser-two@example.org"):
        [email] = mailbox.wait_for(1, to=organiser)
        assert email.subject == "Erasure requested: leaving@example.org"
        assert "I left the ministry." in email.body
        assert f"/admin/workshop_portal/erasurerequest/{request.pk}/change/" in email.body


def test_carrying_out_an_erasure_leaves_nothing_of_the_person(client, django_capture_on_commit_callbacks):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    person = verified_user("zarina@example.org", first_name="Zarina", last_name="Tokhtarova")
    # A workshop that took place, where the person presented (accepted) ...
    past = WorkshopFactory(title="Past Workshop")
    past_session = country_session(past, "KZ")
    attended = approved_delegate(
        past, "KZ", user=person, participant_name="Zarina Tokhtarova", honorific="Dr", position="Director",
        phone="+7 727 000 11 22", dietary_needs="Vegetarian", access_needs="Step-free access",
    )  # fmt: skip
    accepted, accepted_file = _presentation(attended, past_session, "Water diplomacy", by=person, accepted_by=organiser)
    past_session.rapporteur = person
    past_session.save()
    _move_to_the_past(past, ended_days_ago=10)
    # ... and one still to come, full, with someone waiting for a seat.
    upcoming = WorkshopFactory(title="Upcoming Workshop", capacity=2)
    upcoming_session = country_session(upcoming, "KZ")
    seat = approved_delegate(upcoming, "KZ", user=person, participant_name="Zarina Tokhtarova")
    approved_delegate(upcoming, "KZ")
    waiting = RegistrationFactory(workshop=upcoming, status=RegistrationStatus.WAITLISTED)
    draft, draft_file = _presentation(seat, upcoming_session, "Draft ideas", by=person)
    draft_path = Path(draft_file.file.path)
    kept_path = Path(accepted_file.file.path)
    assert draft_path.exists()
    assert kept_path.exists()

    person_client = Client()
    person_client.force_login(person)
    assert len(_sessions_of(person)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = person_client.post(reverse("privacy:erasure"), {"reason": "I left.", "confirm": "on"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get(user=person)

    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:workshop_portal_erasurerequest_changelist"),
            {"action": "carry_out", "_selected_action": [request.pk]},
            follow=True,
        )
    assert "Carried out 1 erasure request: the account is closed and its personal data anonymised." in (
        response.content.decode()
    )

    request.refresh_from_db()
    assert request.status == ErasureStatus.CARRIED_OUT
    assert request.decided_by == organiser
    person.refresh_from_db()
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert not person.is_active
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    # Signed out everywhere.
    assert _sessions_of(person) == []
    assert person_client.get(reverse("privacy:overview")).status_code == 302
    # No trace of the email address or the name in any text column of these tables.
    for model in (User, Registration, ErasureRequest, EmailAddress, Presentation, PresentationFile):
        values = " | ".join(_text_values(model))
        for trace in ("zarina@example.org", "Zarina", "Tokhtarova", "+7 727", "Vegetarian", "Step-free", "I left."):
            assert trace not in values, (model, trace)
    # The seat to come went to the waiting list; the past registration keeps its status.
    seat.refresh_from_db()
    attended.refresh_from_db()
    waiting.refresh_from_db()
    assert seat.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.APPROVED
    assert attended.status == RegistrationStatus.APPROVED
    assert attended.participant_name == "Erased participant"
    assert not attended.consent_to_list
    # The accepted presentation of the past workshop stays, without the name; the draft goes.
    accepted.refresh_from_db()
    draft.refresh_from_db()
    assert accepted.status == PresentationStatus.ACCEPTED
    assert accepted.title == "Water diplomacy"
    assert kept_path.exists()
    assert draft.status == PresentationStatus.WITHDRAWN
    assert not draft.files.exists()
    assert not draft_path.exists()
    past_session.refresh_from_db()
    assert past_session.rapporteur is None


def test_an_erasure_is_carried_out_once_and_never_of_oneself(django_capture_on_commit_callbacks):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    person = verified_user("gone@example.org")
    request = erasure_request_create(user=person, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(request=request, by=organiser)
    with pytest.raises(ValidationError, match="already carried out"):
        erasure_carry_out(request=request, by=organiser)
    own = erasure_request_create(user=organiser, reason="")
    with pytest.raises(ValidationError, match="Another organiser must carry out"):
        erasure_carry_out(request=own, by=organiser)
    organiser.refresh_from_db()
    assert organiser.is_active
    assert organiser.email == "organiser@example.org"


def test_refusing_keeps_the_account_and_shows_the_person_the_note(client):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    person = verified_user("staying@example.org")
    request = erasure_request_create(user=person, reason="Please")
    client.force_login(organiser)
    client.post(
        reverse("admin:workshop_portal_erasurerequest_changelist"),
        {"action": "refuse", "_selected_action": [request.pk]},
    )
    request.refresh_from_db()
    assert request.status == ErasureStatus.REFUSED
    ErasureRequest.objects.filter(pk=request.pk).update(note="You still owe us a report.")
    client.force_login(person)
    html = client.get(reverse("privacy:overview")).content.decode()
    assert "The secretariat refused your last request" in html
    assert "You still owe us a report." in html
    person.refresh_from_db()
    assert person.is_active
    assert person.email == "staying@example.org"


# --- The retention purge ----------------------------------------------------------------------


def test_a_purge_before_the_retention_period_is_refused_and_changes_nothing(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    workshop = WorkshopFactory(title="Recent Workshop")
    registration = approved_delegate(workshop, "KZ", phone="+90 312 000")
    _move_to_the_past(workshop, ended_days_ago=30)
    client.force_login(staff_user("organiser@example.org", ORGANISERS))
    response = client.post(
        reverse("admin:workshop_portal_workshop_changelist"),
        {"action": "purge_personal_data", "_selected_action": [workshop.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Recent Workshop: The personal data of this workshop is kept for 365 days after it ends" in html
    registration.refresh_from_db()
    workshop.refresh_from_db()
    assert registration.phone == "+90 312 000"
    assert workshop.personal_data_purged_at is None


def test_secretariat_and_delegates_cannot_purge(settings):
    from django.core.exceptions import PermissionDenied

    from workshop_portal.roles import SECRETARIAT

    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    workshop = WorkshopFactory()
    _move_to_the_past(workshop, ended_days_ago=5)
    for user in (staff_user("secretariat@example.org", SECRETARIAT), verified_user("delegate@example.org")):
        with pytest.raises(PermissionDenied):
            workshop_purge_personal_data(workshop=workshop, by=user)


def test_the_purge_keeps_the_record_and_the_published_proceedings(client, settings, django_capture_on_commit_callbacks):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    material = build_material()
    workshop, organiser = material["workshop"], material["organiser"]
    published = proceedings_build_now(workshop=workshop, by=organiser)
    assert published.status == BuildStatus.READY, published.error
    proceedings_publish(build=published, by=organiser)
    # After publication: a new version of one deck, a second (unpublished) build, a withdrawn
    # presentation with its file, a badge PDF, and the delegates' contact and travel details.
    host = material["presentations"]["host"]
    used_version = host.files.get()
    newer = presentation_accept_upload(
        presentation=host, uploaded_file=upload("newer.pdf", pdf_bytes(title="Newer")), by=organiser
    )
    draft_build = proceedings_build_now(workshop=workshop, by=organiser)
    assert draft_build.status == BuildStatus.READY, draft_build.error
    kyrgyz = material["presentations"]["kyrgyz"].presenter
    withdrawn, withdrawn_file = _presentation(kyrgyz, material["sessions"]["kg"], "Second thoughts", by=kyrgyz.user)
    presentation_withdraw(presentation=withdrawn, by=kyrgyz.user)
    batch = BadgeBatch.objects.create(workshop=workshop, requested_by=organiser, status="ready", badge_count=5)
    batch.file.save("badges.pdf", ContentFile(pdf_bytes()))
    Registration.objects.filter(workshop=workshop).update(
        phone="+90 312 000", arrival_date=workshop.start_date, dietary_needs="Halal", access_needs="Ramp"
    )
    names_before = sorted(Registration.objects.filter(workshop=workshop).values_list("participant_name", "status"))
    part_paths = [Path(p.file.path) for p in ProceedingsPart.objects.all()]
    gone_paths = [
        Path(draft_build.file.path),
        Path(newer.file.path),
        Path(withdrawn_file.file.path),
        Path(batch.file.path),
        *part_paths,
    ]
    kept_paths = [Path(published.file.path), Path(used_version.file.path)]
    assert part_paths
    assert all(path.exists() for path in gone_paths + kept_paths)
    participant = Registration.objects.filter(workshop=workshop, status=RegistrationStatus.APPROVED).first().user
    client.force_login(participant)
    url = reverse("reports:published", args=[workshop.slug])
    before = b"".join(client.get(url).streaming_content)
    _move_to_the_past(workshop, ended_days_ago=31)

    with django_capture_on_commit_callbacks(execute=True):
        cleanup = workshop_purge_personal_data(workshop=workshop, by=organiser)

    assert cleanup.changed
    summary = cleanup.describe()
    assert f"registrations cleared: {Registration.objects.filter(workshop=workshop).count()}" in summary
    assert "badge batches deleted: 1" in summary
    assert "unpublished proceedings builds deleted: 1" in summary
    # Contact, travel, dietary and access details and badge codes are gone; names and statuses stay.
    for registration in Registration.objects.filter(workshop=workshop):
        assert (registration.email, registration.phone, registration.dietary_needs, registration.access_needs) == (
            "",
            "",
            "",
            "",
        )
        assert registration.arrival_date is None
        assert registration.badge_token.startswith("void-")
    assert sorted(Registration.objects.filter(workshop=workshop).values_list("participant_name", "status")) == (
        names_before
    )
    # Everything unpublished is gone, rows and files; the published build and its decks stay.
    assert not BadgeBatch.objects.filter(workshop=workshop).exists()
    assert list(ProceedingsBuild.objects.filter(workshop=workshop)) == [published]
    assert not ProceedingsPart.objects.exists()
    assert not PresentationFile.objects.filter(pk=newer.pk).exists()
    assert not withdrawn.files.exists()
    assert PresentationFile.objects.filter(pk=used_version.pk).exists()
    assert not any(path.exists() for path in gone_paths)
    assert all(path.exists() for path in kept_paths)
    workshop.refresh_from_db()
    purged_at = workshop.personal_data_purged_at
    assert purged_at is not None
    # The published proceedings still download, the same bytes, for an approved participant.
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == before

    # Again: nothing more to purge, nothing changes.
    with django_capture_on_commit_callbacks(execute=True):
        again = workshop_purge_personal_data(workshop=workshop, by=organiser)
    assert not again.changed
    assert again.describe() == ""
    workshop.refresh_from_db()
    assert workshop.personal_data_purged_at == purged_at
    assert list(ProceedingsBuild.objects.filter(workshop=workshop)) == [published]


def test_the_command_purges_the_workshops_due_and_a_dry_run_changes_nothing(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    due = WorkshopFactory(slug="due")
    recent = WorkshopFactory(slug="recent")
    due_registration = approved_delegate(due, "KZ", phone="+7 1")
    recent_registration = approved_delegate(recent, "KZ", phone="+7 2")
    _move_to_the_past(due, ended_days_ago=31)
    _move_to_the_past(recent, ended_days_ago=30)

    call_command("purge_personal_data", "--dry-run")
    output = capsys.readouterr().out
    assert "due: would purge registrations cleared: 1" in output
    assert "recent" not in output
    due_registration.refresh_from_db()
    assert due_registration.phone == "+7 1"

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_personal_data")
    assert "due: purged registrations cleared: 1" in capsys.readouterr().out
    due_registration.refresh_from_db()
    recent_registration.refresh_from_db()
    assert due_registration.phone == ""
    assert recent_registration.phone == "+7 2"

    call_command("purge_personal_data")
    assert "No workshop is due" in capsys.readouterr().out


def test_the_daily_task_is_scheduled_and_purges(settings, django_capture_on_commit_callbacks):
    assert settings.CELERY_BEAT_SCHEDULE["personal-data-purge"]["task"] == "workshop_portal.purge_personal_data"
    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    workshop = WorkshopFactory()
    registration = approved_delegate(workshop, "KZ", dietary_needs="Halal")
    _move_to_the_past(workshop, ended_days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        purge_personal_data()
    registration.refresh_from_db()
    workshop.refresh_from_db()
    assert registration.dietary_needs == ""
    assert workshop.personal_data_purged_at is not None
