"""Every document of a kind for a workshop, issued by a worker through the one job lifecycle (jobs/),
and a ZIP of them.

A batch issues a document to each holder its kind targets who has no current one, or whose current
one no longer says what it should (another name, language or presentation title); a holder whose
current document is still right keeps it. So a batch started again, or an attempt run again after
its worker died, issues nothing twice: what the first attempt issued is current and still right.
The ZIP holds every holder's current document (issued now or kept) and an index.csv; it is written
to a file in the job's scratch folder, one document at a time, never held in memory.
"""

import csv
import datetime
import io
import logging
import secrets
import shutil
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

import jobs
from documents.enums import BatchStatus
from documents.kinds import kind_spec
from documents.models import DocumentBatch, IssuedDocument
from documents.rendering import verify_url
from documents.services import document_issue
from registrations.exports import spreadsheet_safe
from workshop_portal.models import User, Workshop
from workshop_portal.storage import private_storage, store_local_file
from workshop_portal.workdirs import job_workdir

logger = logging.getLogger(__name__)

DOCUMENT_BATCHES = jobs.JobSpec(
    name="documents.batches",
    model="documents.DocumentBatch",
    task="documents.generate_batch",
    id_kwarg="batch_id",
    task_id_field="task_id",
    progress_done_field="progress_done",
    progress_total_field="progress_total",
    waiting=BatchStatus.QUEUED,
    running=BatchStatus.RUNNING,
    failed=BatchStatus.FAILED,
    # Each document is a sign of life (a few tenths of a second apart): five silent minutes mean the worker is gone.
    stale_after=lambda: datetime.timedelta(minutes=5),
    on_unreachable=jobs.FAIL,  # the person who asked sees why and starts again
    unreachable_message=gettext_lazy("The task queue cannot be reached just now. Start again in a few minutes."),
    exhausted_message=gettext_lazy("The batch stopped %(count)s times without finishing."),
)


class BatchAlreadyRunningError(Exception):
    def __init__(self, batch: DocumentBatch):
        super().__init__(batch.pk)
        self.batch = batch


@transaction.atomic
def document_batch_request(*, workshop: Workshop, kind: str, by: User) -> DocumentBatch:
    """Queue a batch of `kind` for the workshop; BatchAlreadyRunningError (with that batch) when one of the
    same kind is waiting or running: nothing is started."""
    kind_spec(kind)  # a kind nobody registered is refused here, not in the worker
    Workshop.objects.select_for_update().get(pk=workshop.pk)
    pending = DocumentBatch.objects.filter(
        workshop=workshop, kind=kind, status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]
    ).first()
    if pending is not None:
        raise BatchAlreadyRunningError(pending)
    batch = DocumentBatch.objects.create(workshop=workshop, kind=kind, requested_by=by)
    jobs.enqueue_on_commit(DOCUMENT_BATCHES, batch.pk)
    return batch


def document_batch_run(*, batch: DocumentBatch, task_id: str = "") -> DocumentBatch:
    """Issue the batch's documents and write its ZIP. Never leaves it running: it ends ready, or failed
    with the reason (a worker that dies leaves it to the watchdog, which starts it again)."""
    if not jobs.claim(DOCUMENT_BATCHES, batch.pk, task_id=task_id):
        batch.refresh_from_db()
        return batch
    batch.refresh_from_db()
    try:
        documents = _issue_all(batch)
        with job_workdir("documents") as workdir:
            name, size = _store_zip(batch, documents, workdir)
    except Exception as error:
        logger.exception("document batch %s failed", batch.pk)
        jobs.finish(
            DOCUMENT_BATCHES, batch.pk, BatchStatus.FAILED, task_id=task_id, error=f"{type(error).__name__}: {error}"
        )
    else:
        issued = sum(1 for document in documents if document.batch_id == batch.pk)
        recorded = jobs.finish(
            DOCUMENT_BATCHES,
            batch.pk,
            BatchStatus.READY,
            task_id=task_id,
            file=name,
            size=size,
            issued_count=issued,
            kept_count=len(documents) - issued,
        )
        if not recorded:
            private_storage().delete(name)  # taken over by another task: its ZIP is the one kept
    batch.refresh_from_db()
    return batch


def _issue_all(batch: DocumentBatch) -> list[IssuedDocument]:
    spec = kind_spec(batch.kind)
    targets = spec.targets(batch.workshop)
    current = {
        document.holder_key: document
        for document in IssuedDocument.objects.current().filter(workshop=batch.workshop, kind=batch.kind)
    }
    # A new attempt counts from the start again: what an earlier one issued is kept, not issued twice.
    DocumentBatch.objects.filter(pk=batch.pk).update(progress_done=0)
    jobs.progress(DOCUMENT_BATCHES, batch.pk, step=0, total=len(targets))
    documents = []
    for target in targets:
        document = current.get(target.holder_key)
        if document is None or document.content_key != target.content_key or not document.file:
            document = _issue_one(batch, target)
        documents.append(document)
        jobs.progress(DOCUMENT_BATCHES, batch.pk, step=1)
    return documents


def _issue_one(batch: DocumentBatch, target) -> IssuedDocument:
    try:
        return document_issue(
            workshop=batch.workshop, kind=batch.kind, target=target, by=batch.requested_by, batch=batch
        )
    except ValidationError as error:
        if error.code != "issued_meanwhile":
            raise
    # Someone issued this holder's document again from the admin at the same moment: theirs stands.
    return IssuedDocument.objects.current().get(workshop=batch.workshop, kind=batch.kind, holder_key=target.holder_key)


def _store_zip(batch: DocumentBatch, documents: list[IssuedDocument], workdir: Path) -> tuple[str, int]:
    path = workdir / "batch.zip"
    index = io.StringIO()
    rows = csv.writer(index)
    rows.writerow(["file", "holder", "language", "code", "issued_at", "verify_url"])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for document in documents:
            # PDFs are compressed already: stored as they are, copied a megabyte at a time.
            with document.file.open("rb") as source, archive.open(document.filename, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
            cells = (
                document.filename,
                document.holder_name,
                document.language,
                document.code,
                document.issued_at.isoformat(),
                verify_url(document.code),
            )
            rows.writerow([spreadsheet_safe(cell) for cell in cells])
        archive.writestr("index.csv", "\ufeff" + index.getvalue())
    size = path.stat().st_size
    name = store_local_file(private_storage(), f"documents/batches/{secrets.token_hex(16)}.zip", path)
    return name, size


def batch_filename(batch: DocumentBatch) -> str:
    return f"{batch.workshop.slug}-{batch.kind.replace('_', '-')}-{batch.pk}.zip"
