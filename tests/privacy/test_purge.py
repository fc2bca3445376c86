"""Privacy: the retention purge of a past workshop.

Real files on the test storage, the real database; files are deleted only once the transaction
commits, so the tests run the commit callbacks (django_capture_on_commit_callbacks).
"""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from presentations.models import PresentationFile
from presentations.services import presentation_accept_upload, presentation_withdraw
from privacy.purge import workshop_purge_personal_data
from privacy.tasks import purge_personal_data
from registrations.enums import RegistrationStatus
from registrations.models import BadgeBatch, Registration
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild, ProceedingsPart
from reports.proceedings.services import proceedings_build_now, proceedings_publish
from testkit.factories import WorkshopFactory, approved_delegate, staff_user, verified_user
from testkit.files import pdf_bytes, upload
from tests.privacy.support import move_to_the_past, presentation_with_deck
from tests.reports.proceedings_fixtures import build_material
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db


# --- The retention purge ----------------------------------------------------------------------


def test_a_purge_before_the_retention_period_is_refused_and_changes_nothing(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365
    workshop = WorkshopFactory(title="Recent Workshop")
    registration = approved_delegate(workshop, "KZ", phone="+90 312 000")
    move_to_the_past(workshop, ended_days_ago=30)
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
    move_to_the_past(workshop, ended_days_ago=5)
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
    withdrawn, withdrawn_file = presentation_with_deck(
        kyrgyz, material["sessions"]["kg"], "Second thoughts", by=kyrgyz.user
    )
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
    move_to_the_past(workshop, ended_days_ago=31)

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
    move_to_the_past(due, ended_days_ago=31)
    move_to_the_past(recent, ended_days_ago=30)

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
    move_to_the_past(workshop, ended_days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        purge_personal_data()
    registration.refresh_from_db()
    workshop.refresh_from_db()
    assert registration.dietary_needs == ""
    assert workshop.personal_data_purged_at is not None
