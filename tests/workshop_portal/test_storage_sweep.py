"""The storage sweep (workshop_portal/storage_sweep.py, `manage.py sweep_storage`, the daily beat
task): files no row references are reported, and deleted once old enough; every referenced file
stays; references whose file is gone are reported. On local disk here, in a bucket in tests/storage."""

import datetime
import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import transaction

from outcomes.series import workshop_clone
from presentations.models import PresentationFile
from presentations.services import presentation_accept_upload
from testkit.factories import host_state_presentation
from testkit.files import pdf_bytes, upload
from tests.outcomes.followup_support import organiser, workshop_with_letter_pictures
from workshop_portal.storage_sweep import storage_sweep
from workshop_portal.tasks import sweep_storage

pytestmark = pytest.mark.django_db

TWO_DAYS = 2 * 24 * 3600


class CallerFailedError(Exception):
    pass


@pytest.fixture
def storage_folders(settings, tmp_path):
    """Empty public and private storages of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "workshop_portal.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.STORAGE_SWEEP_MIN_AGE_HOURS = 24
    return tmp_path


def _store(alias: str, name: str, data: bytes, *, age_seconds: int = 0) -> str:
    storage = storages[alias]
    stored = storage.save(name, ContentFile(data))
    if age_seconds:
        then = time.time() - age_seconds
        os.utime(storage.path(stored), (then, then))
    return stored


def _age_everything(root, seconds: int = TWO_DAYS) -> None:
    then = time.time() - seconds
    for folder, _dirs, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), (then, then))


@pytest.fixture
def deck(storage_folders):
    presentation = host_state_presentation()
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", pdf_bytes(pages=2)), by=presentation.presenter.user
    )
    _age_everything(storage_folders)  # stored long ago: only being unreferenced may make a file go
    return version


def test_a_report_names_the_unreferenced_and_the_missing_and_deletes_nothing(deck, storage_folders):
    orphan = _store("private", "presentations/lost/web.pdf", b"%PDF- a web copy nobody recorded", age_seconds=TWO_DAYS)
    public_orphan = _store("default", "stray/picture.png", b"png", age_seconds=TWO_DAYS)
    gone = _store("private", "presentations/gone.pdf", b"%PDF-")
    PresentationFile.objects.filter(pk=deck.pk).update(web_pdf=gone)
    storages["private"].delete(gone)

    sweep = storage_sweep()

    assert {(stored.storage, stored.name) for stored in sweep.unreferenced} == {
        ("private", orphan),
        ("default", public_orphan),
    }
    assert sweep.unreferenced_bytes == len(b"%PDF- a web copy nobody recorded") + 3
    assert sweep.missing == [("private", gone)]
    assert sweep.deleted == []
    assert storages["private"].exists(orphan)
    assert storages["default"].exists(public_orphan)


def test_delete_removes_only_unreferenced_files_old_enough_and_a_second_run_finds_nothing(deck):
    old_orphan = _store("private", "presentations/lost/old.pdf", b"%PDF- old", age_seconds=TWO_DAYS)
    # A file stored a moment ago may belong to a row whose transaction has not committed yet.
    fresh_orphan = _store("private", "presentations/lost/fresh.pdf", b"%PDF- fresh")
    referenced = [deck.file.name, *([deck.pdf_file.name] if deck.pdf_file else [])]

    sweep = storage_sweep(delete=True)

    assert [stored.name for stored in sweep.deleted] == [old_orphan]
    assert sweep.freed_bytes == len(b"%PDF- old")
    assert sweep.recent == 1
    assert not storages["private"].exists(old_orphan)
    assert storages["private"].exists(fresh_orphan)
    for name in referenced:
        assert storages["private"].exists(name)
    deck.refresh_from_db()
    assert deck.file.open("rb").read(5) == b"%PDF-"

    again = storage_sweep(delete=True)
    assert again.deleted == []
    assert again.files == sweep.files - 1


def test_pictures_copied_by_a_clone_whose_outer_transaction_rolled_back_are_swept(storage_folders):
    """workshop_clone deletes its copies when it fails itself; a caller's transaction that rolls
    back afterwards (the demo seed runs in one) leaves them behind: the sweep is what removes them."""
    source, letters = workshop_with_letter_pictures()
    storage = letters.letterhead.storage
    before = set(storage.listdir("letters/")[1])

    def clone_then_fail():
        with transaction.atomic():
            workshop_clone(
                source=source,
                title="Next",
                slug="next-one",
                start_date=source.start_date + datetime.timedelta(days=364),
                by=organiser(),
            )
            raise CallerFailedError

    with pytest.raises(CallerFailedError):
        clone_then_fail()

    left_behind = {f"letters/{name}" for name in set(storage.listdir("letters/")[1]) - before}
    assert len(left_behind) == 2  # the letterhead's copy and the signature's

    sweep = storage_sweep(delete=True, min_age=datetime.timedelta(0))

    assert {stored.name for stored in sweep.deleted} == left_behind
    assert set(storage.listdir("letters/")[1]) == before
    assert storage.exists(letters.letterhead.name)
    assert storage.exists(letters.signature.name)


def test_the_command_reports_and_deletes_only_when_asked(deck, storage_folders):
    orphan = _store("private", "documents/lost.pdf", b"%PDF- lost", age_seconds=TWO_DAYS)
    out = io.StringIO()
    call_command("sweep_storage", stdout=out)
    report = out.getvalue()
    assert "Referenced by no row: 1 (10\xa0bytes)" in report
    assert f"Unreferenced: private/{orphan}" in report
    assert "run again with --delete" in report
    assert storages["private"].exists(orphan)

    out = io.StringIO()
    call_command("sweep_storage", "--delete", stdout=out)
    assert "Files deleted: 1 (10\xa0bytes)." in out.getvalue()
    assert not storages["private"].exists(orphan)


def test_the_daily_task_deletes_with_the_configured_age(deck, settings):
    orphan = _store("private", "proceedings/lost.pdf", b"%PDF- a volume never recorded", age_seconds=3 * 3600)
    settings.STORAGE_SWEEP_MIN_AGE_HOURS = 24
    assert sweep_storage()["deleted"] == 0
    assert storages["private"].exists(orphan)
    settings.STORAGE_SWEEP_MIN_AGE_HOURS = 2
    result = sweep_storage()
    assert result["deleted"] == 1
    assert result["freed_bytes"] == len(b"%PDF- a volume never recorded")
    assert not storages["private"].exists(orphan)


def test_an_installation_that_never_stored_a_file_sweeps_cleanly(storage_folders):
    sweep = storage_sweep(delete=True)
    assert (sweep.files, sweep.unreferenced, sweep.missing, sweep.deleted) == (0, [], [], [])
