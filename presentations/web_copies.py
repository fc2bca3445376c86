"""The web copy of each deck: its pictures at about 150 dpi, for the proceedings' web edition.

Made by a worker when a deck's PDF is ready (an uploaded PDF once stored, an office file once
converted), so a build only merges copies made weeks before; a periodic job makes any that are
missing (files stored before this existed, a broker that was down), and a build makes what is
still missing itself. One deck at a time: memory stays small whatever the deck weighs.
"""

import logging
import secrets

from django.db import transaction

from presentations.enums import ConversionStatus, FileKind
from presentations.models import PresentationFile
from workshop_portal.pdf_web import write_web_copy
from workshop_portal.queueing import send
from workshop_portal.storage import local_path, store_local_file
from workshop_portal.workdirs import job_workdir

logger = logging.getLogger(__name__)

WEB_COPY_TASK = "presentations.make_web_copy"
SWEEP_BATCH = 50


def web_copy_queue_on_commit(version: PresentationFile) -> None:
    """Ask a worker for the version's web copy once the transaction commits (inline without a broker)."""
    transaction.on_commit(lambda: send(WEB_COPY_TASK, file_id=version.pk))


def web_copy_make(version: PresentationFile) -> bool:
    """Make and record the version's web copy unless it has one. True when it has one now."""
    if version.web_pdf:
        return True
    source = version.pdf_file
    if source is None or not source.name:
        return False  # not converted, withheld or not yet neutralised: nothing to copy
    stored = ""
    with job_workdir("webcopy") as workdir:
        try:
            target = workdir / "web.pdf"
            with local_path(source, workdir) as path:
                result = write_web_copy(path, target)
            name = version.web_pdf.field.generate_filename(version, f"{secrets.token_hex(16)}.pdf")
            stored = store_local_file(version.web_pdf.storage, name, target)
            # Recorded only if nobody did meanwhile and the PDF it copies is still the one stored.
            recorded = PresentationFile.objects.filter(pk=version.pk, web_pdf="", **_source_lookup(version)).update(
                web_pdf=stored, web_pdf_downsampled=result.downsampled
            )
        except Exception:
            if stored:
                version.web_pdf.storage.delete(stored)
            raise
    if not recorded:
        version.web_pdf.storage.delete(stored)
        version.refresh_from_db(fields=["web_pdf", "web_pdf_downsampled"])
        return bool(version.web_pdf)
    version.web_pdf.name = stored
    version.web_pdf_downsampled = result.downsampled
    logger.info(
        "web copy of presentation file %s: %d of %d pictures downsampled, %d -> %d bytes",
        version.pk, result.downsampled, result.pictures, result.source_bytes, result.written_bytes,
    )  # fmt: skip
    return True


def _source_lookup(version: PresentationFile) -> dict:
    if version.kind == FileKind.PDF:
        return {"file": version.file.name}
    return {"pdf": version.pdf.name}


def web_copies_missing():
    """Versions whose PDF is ready but that have no web copy yet."""
    ready = PresentationFile.objects.filter(neutralised=True, web_pdf="").exclude(file="")
    return ready.filter(kind=FileKind.PDF) | ready.filter(conversion_status=ConversionStatus.CONVERTED).exclude(pdf="")


def web_copies_make_missing(*, limit: int = SWEEP_BATCH) -> dict:
    """The periodic job: make up to `limit` missing web copies; what it did and what remains."""
    made = failed = 0
    for version in web_copies_missing().order_by("pk")[:limit]:
        try:
            made += web_copy_make(version)
        except Exception:
            failed += 1
            logger.exception("web copy of presentation file %s failed", version.pk)
    return {"made": made, "failed": failed, "remaining": web_copies_missing().count()}
