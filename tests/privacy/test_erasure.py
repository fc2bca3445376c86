"""Privacy: a person's request to be erased, and the organisers' decision.

Real files on the test storage, the real database; files are deleted only once the transaction
commits, so the tests run the commit callbacks (django_capture_on_commit_callbacks).
"""

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from presentations.enums import PresentationStatus
from presentations.models import Presentation, PresentationFile
from privacy.erasure import erasure_carry_out, erasure_request_create
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from testkit.factories import (
    RegistrationFactory,
    WorkshopFactory,
    approved_delegate,
    country_session,
    staff_user,
    verified_user,
)
from tests.privacy.support import move_to_the_past, presentation_with_deck, sessions_of, text_values
from workshop_portal.enums import ErasureStatus
from workshop_portal.models import ErasureRequest, User
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db


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
    accepted, accepted_file = presentation_with_deck(
        attended, past_session, "Water diplomacy", by=person, accepted_by=organiser
    )
    past_session.rapporteur = person
    past_session.save()
    move_to_the_past(past, ended_days_ago=10)
    # ... and one still to come, full, with someone waiting for a seat.
    upcoming = WorkshopFactory(title="Upcoming Workshop", capacity=2)
    upcoming_session = country_session(upcoming, "KZ")
    seat = approved_delegate(upcoming, "KZ", user=person, participant_name="Zarina Tokhtarova")
    approved_delegate(upcoming, "KZ")
    waiting = RegistrationFactory(workshop=upcoming, status=RegistrationStatus.WAITLISTED)
    draft, draft_file = presentation_with_deck(seat, upcoming_session, "Draft ideas", by=person)
    draft_path = Path(draft_file.file.path)
    kept_path = Path(accepted_file.file.path)
    assert draft_path.exists()
    assert kept_path.exists()

    person_client = Client()
    person_client.force_login(person)
    assert len(sessions_of(person)) == 1
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
    assert sessions_of(person) == []
    assert person_client.get(reverse("privacy:overview")).status_code == 302
    # No trace of the email address or the name in any text column of these tables.
    for model in (User, Registration, ErasureRequest, EmailAddress, Presentation, PresentationFile):
        values = " | ".join(text_values(model))
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
