"""What the documents app holds on a person: shown, exported, withdrawn on erasure."""

import json
import zipfile

import pytest
from django.urls import reverse

from documents.batches import document_batch_request, document_batch_run
from documents.models import IssuedDocument
from documents.services import document_issue
from privacy.erasure import erasure_carry_out, erasure_request_create
from privacy.export import personal_data_export
from privacy.purge import workshop_purge_personal_data
from tests.documents.support import ATTENDANCE, target_of
from tests.privacy.support import move_to_the_past
from workshop_portal import personal_data

pytestmark = pytest.mark.django_db


def _issue(world, key):
    workshop = world["workshop"]
    return document_issue(
        workshop=workshop, kind=ATTENDANCE, target=target_of(workshop, ATTENDANCE, world[key]), by=None
    )


def _source():
    return next(source for source in personal_data.sources() if source.key == "documents")


def test_a_person_sees_and_exports_their_documents_with_the_files(world):
    document = _issue(world, "claire")
    _issue(world, "omar")
    user = world["claire"].user
    [item] = _source().summary(user)
    assert item.title == "Certificate of attendance: Workshop on Cooperation"
    assert ("Verification code", document.code) in item.details
    path = personal_data_export(user=user)
    try:
        with zipfile.ZipFile(path) as archive:
            data = json.loads(archive.read("data.json"))
            [exported] = data["sections"]["documents"]
            assert exported["code"] == document.code
            assert exported["holder_name"] == "Claire Martin"
            pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
            assert len(pdfs) == 1  # hers, not Omar's
            with document.file.open("rb") as stored:
                assert archive.read(pdfs[0]) == stored.read()
    finally:
        path.unlink()


def test_an_erasure_withdraws_the_documents_and_deletes_their_files(client, world, django_capture_on_commit_callbacks):
    document = _issue(world, "claire")
    kept = _issue(world, "omar")
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(
            request=erasure_request_create(user=world["claire"].user, reason="Moving on"), by=world["organiser"]
        )
    document.refresh_from_db()
    assert document.revocation == "erased"
    assert document.revoked_at is not None
    assert document.holder_name == ""
    assert not document.file
    assert not storage.exists(name)
    assert storage.exists(kept.file.name)
    html = client.get(reverse("documents:verify", args=[document.code])).content.decode()
    assert "This document is no longer valid." in html
    assert "Claire" not in html
    assert IssuedDocument.objects.current().get() == kept


def test_an_erasure_also_deletes_the_batch_zips_that_held_a_copy(world, django_capture_on_commit_callbacks):
    batch = document_batch_run(
        batch=document_batch_request(workshop=world["workshop"], kind=ATTENDANCE, by=world["organiser"]), task_id="t"
    )
    storage, name = batch.file.storage, batch.file.name
    with django_capture_on_commit_callbacks(execute=True):
        erasure_carry_out(request=erasure_request_create(user=world["omar"].user, reason="x"), by=world["organiser"])
    batch.refresh_from_db()
    assert not batch.file
    assert not storage.exists(name)


def test_the_retention_purge_drops_the_zips_and_keeps_the_documents(world, settings):
    batch = document_batch_run(
        batch=document_batch_request(workshop=world["workshop"], kind=ATTENDANCE, by=world["organiser"]), task_id="t"
    )
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    move_to_the_past(world["workshop"], ended_days_ago=40)
    cleanup = workshop_purge_personal_data(workshop=world["workshop"], by=None)
    assert "document ZIP files deleted: 1" in cleanup.describe()
    batch.refresh_from_db()
    assert not batch.file
    assert IssuedDocument.objects.current().count() == 3
