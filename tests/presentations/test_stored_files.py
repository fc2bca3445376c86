"""Files stored before neutralising existed (an upgraded deployment): withheld until rewritten,
then served only as their inert copy; a file today's rules refuse stays withheld with the reason."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from presentations.enums import ConversionStatus, FileKind, PresentationStatus, RemovedContent
from presentations.models import PresentationFile
from reports.proceedings.manifest import proceedings_manifest
from testkit.factories import host_state_presentation
from tests.office_files import parts, pptx_external_picture
from tests.presentations import hostile_pdfs as h

pytestmark = pytest.mark.django_db


@pytest.fixture
def presentation():
    return host_state_presentation()


def _legacy_version(presentation, data: bytes, kind: str = FileKind.PDF, converted_pdf: bytes | None = None):
    """A version as an earlier release stored it: the bytes as uploaded, not neutralised."""
    version = PresentationFile(
        presentation=presentation,
        version=presentation.files.count() + 1,
        original_name=f"deck.{kind}",
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=2 if kind == FileKind.PDF else None,
        uploaded_by=presentation.presenter.user,
        neutralised=False,
        conversion_status=ConversionStatus.NOT_NEEDED if kind == FileKind.PDF else ConversionStatus.CONVERTED,
    )
    version.file.save(f"legacy.{kind}", ContentFile(data), save=False)
    if converted_pdf is not None:
        version.pdf.save("legacy-converted.pdf", ContentFile(converted_pdf), save=False)
    version.save()
    return version


def _download(client, version, view="presentations:download"):
    client.force_login(version.presentation.presenter.user)
    response = client.get(reverse(view, args=[version.pk]))
    return response.status_code, b"".join(response.streaming_content) if response.status_code == 200 else b""


def test_a_legacy_file_is_withheld_until_rewritten_then_served_inert(
    client, presentation, django_capture_on_commit_callbacks
):
    raw = h.build(h.open_action_submit_form) + h.zip_bytes()
    version = _legacy_version(presentation, raw)
    old_path = Path(version.file.path)
    assert _download(client, version) == (404, b"")
    assert _download(client, version, "presentations:download_pdf") == (404, b"")
    assert version.pdf_file is None

    with django_capture_on_commit_callbacks(execute=True):
        call_command("neutralise_stored_files")

    version.refresh_from_db()
    assert version.neutralised
    assert RemovedContent.PDF_OPEN_ACTION in version.removed_content
    status, served = _download(client, version)
    assert status == 200
    assert h.inert_problems(served) == []
    assert b"PK\x03\x04" not in served
    assert version.sha256 == hashlib.sha256(served).hexdigest()
    assert version.size == len(served)
    assert not old_path.exists()  # the bytes as first stored are gone
    # A second run finds nothing left to do.
    version_file = version.file.name
    call_command("neutralise_stored_files")
    version.refresh_from_db()
    assert version.file.name == version_file


def test_a_legacy_file_todays_rules_refuse_stays_withheld_and_the_page_says_why(client, presentation):
    version = _legacy_version(presentation, h.build(lambda pdf: h.attach(pdf, h.EXE, "setup.exe")))
    call_command("neutralise_stored_files")
    version.refresh_from_db()
    assert not version.neutralised
    assert "program" in version.withheld_reason.lower() or "executable" in version.withheld_reason.lower()
    assert _download(client, version) == (404, b"")
    page = client.get(presentation.get_absolute_url()).content.decode()
    assert "does not pass them and is not shown to anyone" in page
    # Withheld files are not tried again every ten minutes.
    from presentations.stored_files import neutralise_stored_files

    assert neutralise_stored_files().withheld == {}


def test_a_legacy_deck_and_its_converted_pdf_are_both_rewritten(client, presentation):
    canary = "http://127.0.0.1:9/picture.png"
    deck = pptx_external_picture(canary)
    version = _legacy_version(presentation, deck, kind=FileKind.PPTX, converted_pdf=h.build(h.javascript_link))

    call_command("neutralise_stored_files")

    version.refresh_from_db()
    assert version.neutralised
    assert RemovedContent.OFFICE_EXTERNAL_CONTENT in version.removed_content
    assert RemovedContent.PDF_SCRIPT_LINKS in version.removed_content
    status, package = _download(client, version)
    assert status == 200
    assert not any(canary.encode() in data for data in parts(package).values())
    status, pdf = _download(client, version, "presentations:download_pdf")
    assert status == 200
    assert h.inert_problems(pdf) == []


def test_the_proceedings_leave_out_a_legacy_file_until_it_is_rewritten(presentation):
    presentation.status = PresentationStatus.ACCEPTED
    presentation.save()
    _legacy_version(presentation, h.deck())
    manifest = proceedings_manifest(workshop=presentation.workshop, language="en")
    text = str(manifest)
    assert "it has not yet passed the current safety checks" in text

    call_command("neutralise_stored_files")
    assert "it has not yet passed the current safety checks" not in str(
        proceedings_manifest(workshop=presentation.workshop, language="en")
    )


# serialized_rollback: the member states and institutions the data migrations wrote come back
# for the tests that follow (a transactional test empties every table when it ends).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_marks_files_stored_before_it_and_none_after():
    executor = MigrationExecutor(connection)
    before = [("presentations", "0005_conversion_status_label")]
    # Every app's latest state: migrating presentations back also unapplies the apps that depend on it.
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        presentation = host_state_presentation()
        old_apps = MigrationExecutor(connection).loader.project_state(before).apps
        OldFile = old_apps.get_model("presentations", "PresentationFile")  # noqa: N806
        OldFile.objects.create(
            presentation_id=presentation.pk,
            version=1,
            file="presentations/legacy.pdf",
            original_name="deck.pdf",
            kind="pdf",
            size=1,
            sha256="0" * 64,
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    assert list(PresentationFile.objects.values_list("neutralised", flat=True)) == [False]
    assert PresentationFile(presentation=presentation, version=2).neutralised is True
    assert settings.CELERY_BEAT_SCHEDULE["neutralise-stored-files"]["task"] == "presentations.neutralise_stored_files"
