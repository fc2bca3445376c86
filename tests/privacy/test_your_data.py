"""Privacy: who sees the "Your data" pages, and a person's copy of their data.

Real files on the test storage, the real database; files are deleted only once the transaction
commits, so the tests run the commit callbacks (django_capture_on_commit_callbacks).
"""

import io
import json
import tempfile
from pathlib import Path

import pypdf
import pytest
from django.urls import reverse

from presentations.services import presentation_accept_upload
from reports.models import SessionReport
from testkit.factories import WorkshopFactory, approved_delegate, country_session, verified_user
from testkit.files import pdf_bytes, upload
from tests.privacy.support import presentation_with_deck, zip_of

pytestmark = pytest.mark.django_db


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
    presentation, _v1 = presentation_with_deck(mine, session, "Water diplomacy", by=person, content=first)
    presentation_accept_upload(presentation=presentation, uploaded_file=upload("revised.pdf", second), by=person)
    presentation_with_deck(other, session, "Mountain roads", by=other.user)
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
    archive = zip_of(response)
    data = json.loads(archive.read("data.json"))
    sections = data["sections"]
    assert set(sections) == {
        "account",
        "audit",  # what they did, as the actor (audit/privacy.py)
        "registrations",
        "presentations",
        "reports",
        "delegations",
        "documents",
        "communications",
        "communications_preferences",
        "outcomes.answers",
        "outcomes.followup",  # follow-up updates, board needs and offers (tests/outcomes)
        "api",
    }
    assert isinstance(sections["communications"], list)  # the emails sent to them (tests/communications)
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
            presentation_with_deck(registration, session, f"Deck for {workshop.title}", by=person)
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
