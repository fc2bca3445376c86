"""Converting an uploaded PPTX or DOCX to PDF as a background job (jobs/): queued after the upload
commits, claimed by one task, at most three attempts, restarted by the watchdog when its worker
vanished, and sent again when the broker was unreachable at upload time.

The LibreOffice run itself is in conversion.py; this module records its outcome on the version.
"""

import datetime
import logging
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader

import jobs
from presentations.conversion import ConversionFailedError, ConversionUnavailableError, convert_to_pdf
from presentations.enums import ConversionStatus
from presentations.models import PresentationFile
from presentations.page_cache import presentation_files_changed
from presentations.pdf_clean import clean_pdf
from presentations.refusals import FileRejectedError
from presentations.web_copies import web_copy_queue_on_commit

logger = logging.getLogger(__name__)

MAX_CONVERSION_ATTEMPTS = 3


def _conversion_stale_after() -> datetime.timedelta:
    # Past the task's hard time limit, a conversion still "converting" has lost its worker.
    return datetime.timedelta(seconds=settings.CONVERSION_TIMEOUT_SECONDS + 180)


def _requeue_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.CONVERSION_REQUEUE_AFTER_SECONDS)


def _status_changed(event: str, file_ids: list[int], detail: str) -> None:
    if event != "queued":
        presentation_files_changed(file_ids)  # the status its presenter's dashboard shows


CONVERSION = jobs.JobSpec(
    name="presentations.conversion",
    model="presentations.PresentationFile",
    task="presentations.convert_presentation_file",
    id_kwarg="file_id",
    status_field="conversion_status",
    attempts_field="conversion_attempts",
    task_id_field="conversion_task_id",
    started_field="conversion_started_at",
    heartbeat_field="conversion_started_at",
    queued_field="conversion_queued_at",
    error_field="conversion_error",
    finished_field=None,
    waiting=ConversionStatus.PENDING,
    running=ConversionStatus.CONVERTING,
    failed=ConversionStatus.FAILED,
    max_attempts=MAX_CONVERSION_ATTEMPTS,
    stale_after=_conversion_stale_after,
    requeue_after=_requeue_after,
    on_unreachable=jobs.WAIT,  # the upload is kept; the watchdog queues it when the broker is back
    exhausted_message=gettext_lazy("The conversion stopped %(count)s times without finishing."),
    on_event=_status_changed,
    scheduled_by="presentations.conversions_watchdog",
)


def conversion_queue_on_commit(version: PresentationFile) -> None:
    """Queue the version's conversion once the upload's transaction has committed."""
    jobs.enqueue_on_commit(CONVERSION, version.pk)


def conversions_watchdog() -> dict[str, list[int]]:
    """Queue the conversions the broker never took, restart those whose worker vanished."""
    return jobs.watchdog_for(CONVERSION)


def presentation_file_convert(*, version: PresentationFile, task_id: str = "") -> PresentationFile:
    """Turn a PPTX or DOCX version into PDF with LibreOffice. Ends converted, failed or unavailable.

    Runs at most once to its end per version: the result is recorded only while this task still
    holds the claim, so a restarted conversion and a late duplicate cannot both store a PDF.
    """
    if not jobs.claim(CONVERSION, version.pk, task_id=task_id):
        version.refresh_from_db()
        return version
    version.refresh_from_db()
    workdir = Path(tempfile.mkdtemp(prefix="portal-convert-"))
    try:
        _convert(version, workdir)
    except Exception as error:
        logger.exception("conversion of presentation file %s failed", version.pk)
        version.conversion_status = ConversionStatus.FAILED
        version.conversion_error = f"{type(error).__name__}: {error}"[:1000]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _record(version, task_id)
    return version


def _convert(version: PresentationFile, workdir: Path) -> None:
    """Convert and neutralise into `workdir`, setting the outcome on `version` (not saved)."""
    # A local copy: the original may live in object storage, not on this worker's disk.
    source = workdir / f"source.{version.kind}"
    with version.file.open("rb") as original, source.open("wb") as copy:
        shutil.copyfileobj(original, copy, length=1024 * 1024)
    try:
        pdf_path = convert_to_pdf(source, workdir / "out", timeout=settings.CONVERSION_TIMEOUT_SECONDS)
    except ConversionUnavailableError:
        version.conversion_status = ConversionStatus.UNAVAILABLE
        version.conversion_error = _("LibreOffice is not installed where the conversion runs.")
        return
    except ConversionFailedError as error:
        version.conversion_status = ConversionStatus.FAILED
        version.conversion_error = str(error)[:1000]
        return
    # LibreOffice carries a deck's hyperlinks (javascript: ones too) and media into the PDF:
    # what is stored and merged is the rewritten copy, as for an uploaded PDF.
    clean_path = workdir / "clean.pdf"
    try:
        removed = clean_pdf(pdf_path, clean_path)
    except FileRejectedError as error:
        version.conversion_status = ConversionStatus.FAILED
        version.conversion_error = error.messages[0]
        return
    version.removed_content = list(dict.fromkeys([*version.removed_content, *removed]))
    version.page_count = len(PdfReader(clean_path).pages)
    with clean_path.open("rb") as handle:
        version.pdf.save(f"{secrets.token_hex(16)}.pdf", File(handle), save=False)
    version.conversion_status = ConversionStatus.CONVERTED
    version.conversion_error = ""
    version.converted_at = timezone.now()


def _record(version: PresentationFile, task_id: str) -> None:
    """Store the outcome while this task still holds the claim; otherwise drop it."""
    recorded = jobs.finish(
        CONVERSION,
        version.pk,
        version.conversion_status,
        task_id=task_id,
        conversion_error=version.conversion_error,
        pdf=version.pdf.name or "",
        page_count=version.page_count,
        converted_at=version.converted_at,
        removed_content=version.removed_content,
    )
    if recorded and version.conversion_status == ConversionStatus.CONVERTED:
        web_copy_queue_on_commit(version)
    if not recorded:
        logger.warning("conversion of presentation file %s was taken over; dropping this result", version.pk)
        if version.pdf:
            version.pdf.storage.delete(version.pdf.name)
        version.refresh_from_db()
    elif version.conversion_status in (ConversionStatus.FAILED, ConversionStatus.UNAVAILABLE):
        # The delegate sees the reason on their page; the secretariat needs it in the log to help.
        logger.warning(
            "conversion of presentation %s, file %s (version %s) ended %s: %s",
            version.presentation_id,
            version.pk,
            version.version,
            version.conversion_status,
            version.conversion_error,
            extra={"presentation_id": version.presentation_id, "presentation_file_id": version.pk},
        )
