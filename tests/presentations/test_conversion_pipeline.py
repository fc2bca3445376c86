"""An uploaded PPTX or DOCX is converted after commit: inline without a broker, by a real worker with
REDIS_URL, with real LibreOffice either way."""

import datetime
import io
import time

import pypdf
import pytest
from django.utils import timezone

from presentations.conversion import libreoffice_path
from presentations.conversion_jobs import MAX_CONVERSION_ATTEMPTS, conversions_watchdog, presentation_file_convert
from presentations.enums import ConversionStatus
from presentations.models import PresentationFile
from presentations.services import presentation_accept_upload
from testkit.factories import host_state_presentation
from testkit.files import docx_bytes, pptx_bytes, upload

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
    pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed"),
]


def _wait_for_conversion(version: PresentationFile, timeout: float = 120) -> PresentationFile:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.conversion_status not in (ConversionStatus.PENDING, ConversionStatus.CONVERTING):
            break
        time.sleep(0.2)
    return version


@pytest.fixture
def presentation():
    return host_state_presentation()


@pytest.mark.parametrize(
    ("name", "content", "expected_text"),
    [
        ("deck.pptx", pptx_bytes("Programmes under way"), "Programmes under way"),
        ("paper.docx", docx_bytes(), "Казахстан"),
    ],
)
def test_an_office_upload_is_converted_to_pdf_after_commit(
    celery_worker_process, presentation, name, content, expected_text
):
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload(name, content), by=presentation.presenter.user
    )
    version = _wait_for_conversion(version)
    assert version.conversion_status == ConversionStatus.CONVERTED, version.conversion_error
    assert version.converted_at is not None
    with version.pdf_file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == version.page_count >= 1
    assert expected_text in "".join(page.extract_text() for page in reader.pages)


def test_a_file_that_passes_upload_but_breaks_libreoffice_ends_failed_with_a_reason(
    celery_worker_process, presentation
):
    # A structurally valid PPTX whose slide part is garbage: it passes the upload check, LibreOffice
    # cannot load it, and the version says so instead of waiting for ever.
    import zipfile

    source = io.BytesIO(pptx_bytes())
    broken = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "ppt/presentation.xml":
                data = b"<not-xml"
            copy.writestr(item, data)
    version = presentation_accept_upload(
        presentation=presentation,
        uploaded_file=upload("broken.pptx", broken.getvalue()),
        by=presentation.presenter.user,
    )
    version = _wait_for_conversion(version)
    assert version.conversion_status == ConversionStatus.FAILED
    assert "LibreOffice" in version.conversion_error
    assert version.pdf_file is None


# The watchdog and the claim: what keeps a conversion to one run whatever the workers do.


def _upload_pptx(presentation) -> PresentationFile:
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pptx", pptx_bytes()), by=presentation.presenter.user
    )
    return _wait_for_conversion(version)


def _stall(version: PresentationFile, *, attempts: int) -> None:
    """As a worker that died mid-conversion leaves it: converting, long ago, by a task now gone."""
    PresentationFile.objects.filter(pk=version.pk).update(
        conversion_status=ConversionStatus.CONVERTING,
        conversion_started_at=timezone.now() - datetime.timedelta(hours=1),
        conversion_task_id="task-of-a-dead-worker",
        conversion_attempts=attempts,
        pdf="",
    )


def test_the_watchdog_restarts_a_conversion_whose_worker_vanished(celery_worker_process, presentation):
    version = _upload_pptx(presentation)
    _stall(version, attempts=1)
    assert conversions_watchdog()["queued"] == [version.pk]
    version = _wait_for_conversion(version)
    assert version.conversion_status == ConversionStatus.CONVERTED
    assert version.conversion_attempts == 2
    assert version.conversion_task_id != "task-of-a-dead-worker"


def test_a_conversion_that_keeps_dying_stops_after_three_attempts_as_failed(celery_worker_process, presentation):
    version = _upload_pptx(presentation)
    _stall(version, attempts=MAX_CONVERSION_ATTEMPTS)
    assert conversions_watchdog() == {"queued": [], "failed": [version.pk], "unreachable": []}
    version.refresh_from_db()
    assert version.conversion_status == ConversionStatus.FAILED
    assert "stopped 3 times" in version.conversion_error
    assert conversions_watchdog() == {"queued": [], "failed": [], "unreachable": []}


def test_a_second_task_leaves_a_running_conversion_alone(celery_worker_process, presentation):
    version = _upload_pptx(presentation)
    PresentationFile.objects.filter(pk=version.pk).update(
        conversion_status=ConversionStatus.CONVERTING,
        conversion_started_at=timezone.now(),
        conversion_task_id="the-running-task",
        conversion_attempts=1,
        pdf="",
    )
    untouched = presentation_file_convert(version=version, task_id="a-duplicate-message")
    assert untouched.conversion_status == ConversionStatus.CONVERTING
    assert untouched.conversion_attempts == 1
    assert not untouched.pdf
    # The task that holds it may take it again (its message came back after its process died).
    finished = presentation_file_convert(version=version, task_id="the-running-task")
    assert finished.conversion_status == ConversionStatus.CONVERTED
    assert finished.conversion_attempts == 2


def test_the_scheduler_runs_both_watchdogs_every_minute(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["reports.proceedings_watchdog"] == 60.0
    assert schedule["presentations.conversions_watchdog"] == 60.0


def _broken_pptx() -> bytes:
    """A structurally valid PPTX whose presentation part is garbage: LibreOffice cannot load it."""
    import zipfile

    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pptx_bytes())) as original, zipfile.ZipFile(broken, "w") as copy:
        for item in original.infolist():
            data = b"<not-xml" if item.filename == "ppt/presentation.xml" else original.read(item.filename)
            copy.writestr(item, data)
    return broken.getvalue()


def test_a_failed_conversion_is_logged_and_tells_the_delegate_what_to_do(
    celery_worker_process, presentation, client, caplog
):
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("broken.pptx", _broken_pptx()), by=presentation.presenter.user
    )
    version = _wait_for_conversion(version)
    assert version.conversion_status == ConversionStatus.FAILED
    # Run it once more in this process (the worker logs to its own file) to read the log record.
    PresentationFile.objects.filter(pk=version.pk).update(
        conversion_status=ConversionStatus.PENDING, conversion_attempts=0, conversion_task_id=""
    )
    caplog.clear()  # inline, the first conversion logged here too
    with caplog.at_level("WARNING", logger="presentations.conversion_jobs"):
        presentation_file_convert(version=version, task_id="log-check")
    records = [r for r in caplog.records if r.name == "presentations.conversion_jobs" and r.levelname == "WARNING"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert f"presentation {presentation.pk}, file {version.pk} (version 1) ended failed: LibreOffice" in message

    client.force_login(presentation.presenter.user)
    page = client.get(presentation.get_absolute_url()).content.decode()
    assert "upload that PDF as a new version" in page


def test_a_pdf_upload_says_in_words_that_it_needs_no_conversion(presentation, client):
    from testkit.files import pdf_bytes

    presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", pdf_bytes()), by=presentation.presenter.user
    )
    client.force_login(presentation.presenter.user)
    page = client.get(presentation.get_absolute_url()).content.decode()
    assert "Ready: already a PDF, no conversion needed" in page
    assert "Not needed (PDF)" not in page
