"""Files on a real S3-compatible server (SeaweedFS on loopback, tests/objectstore.py).

The portal's STORAGES are switched to a bucket of the test's own, as AWS_STORAGE_BUCKET_NAME does
in a deployment; a worker started here gets the same environment variables, an empty media folder
of its own, and still converts an upload and builds the proceedings.
"""

import datetime
import io
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.urls import reverse

from presentations.conversion import libreoffice_path
from presentations.conversion_jobs import presentation_file_convert
from presentations.enums import ConversionStatus, PresentationStatus
from presentations.models import PresentationFile
from presentations.pdf_clean import clean_pdf
from presentations.services import (
    presentation_accept_upload,
    presentation_decide,
)
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild, ProceedingsPart
from reports.proceedings.services import proceedings_build_now, proceedings_request_build
from testkit.factories import (
    approved_delegate,
    host_state_presentation,
    staff_user,
)
from testkit.files import pdf_bytes, upload
from tests.reports.proceedings_fixtures import build_material
from workshop_portal.roles import ORGANISERS, SECRETARIAT
from workshop_portal.storage import private_storage

pytestmark = [pytest.mark.object_storage, pytest.mark.django_db]

needs_libreoffice = pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")


@pytest.fixture
def presentation():
    return host_state_presentation(slug="object-storage")


@pytest.fixture
def upload_bytes():
    return pdf_bytes(pages=3, title="Stored in a bucket")


@pytest.fixture
def deck(upload_bytes, tmp_path):
    """What the portal stores for that upload: the copy pikepdf rewrites (the same bytes every time)."""
    source = tmp_path / "upload.pdf"
    source.write_bytes(upload_bytes)
    clean_pdf(source, tmp_path / "stored.pdf")
    return (tmp_path / "stored.pdf").read_bytes()


@pytest.fixture
def version(object_storage, presentation, upload_bytes):
    return presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", upload_bytes), by=presentation.presenter.user
    )


def _local_files(name: str) -> list[Path]:
    """Files of this name under the local media folders (there should be none)."""
    base = Path(name).name
    return [
        path
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        if Path(root).exists()
        for path in Path(root).rglob(base)
    ]


def _get(url: str) -> tuple[int, bytes, dict]:
    """A plain HTTP GET, as a browser (or a stranger) would send it: no credentials."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def _download(client, version):
    return client.get(reverse("presentations:download", args=[version.pk]))


# Where files go


def test_an_upload_through_the_view_lands_in_the_bucket_and_nowhere_on_disk(
    client, object_storage, seaweedfs, bucket, presentation, upload_bytes, deck
):
    client.force_login(presentation.presenter.user)
    response = client.post(
        reverse("presentations:upload", args=[presentation.pk]), {"file": upload("deck.pdf", upload_bytes)}
    )
    assert response.status_code == 302
    version = PresentationFile.objects.get(presentation=presentation)
    assert seaweedfs.keys(bucket) == [f"private/{version.file.name}"]
    stored = seaweedfs.client().get_object(Bucket=bucket, Key=f"private/{version.file.name}")["Body"].read()
    assert stored == deck
    assert _local_files(version.file.name) == []
    with pytest.raises(NotImplementedError):
        version.file.path  # noqa: B018 (no local path exists)


def test_model_fields_follow_the_storages_setting(object_storage, bucket):
    field = PresentationFile._meta.get_field("file")
    assert field.storage is private_storage()
    assert type(storages["private"]).__name__ == "PrivateS3Storage"
    assert field.storage.bucket_name == bucket
    assert field.storage.location == "private"


def test_private_files_have_no_url_even_in_the_bucket(version):
    with pytest.raises(ValueError, match="not accessible via a URL"):
        version.file.url  # noqa: B018


# Downloads: streamed through the view, or a redirect to a short-lived signed link


def test_stream_mode_sends_the_bytes_through_the_view(client, version, deck):
    client.force_login(version.presentation.presenter.user)
    response = _download(client, version)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == deck
    assert int(response["Content-Length"]) == len(deck)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"


def test_redirect_mode_signs_a_short_lived_link_after_the_access_check(
    client, settings, seaweedfs, bucket, version, deck
):
    settings.PROTECTED_FILES_SERVER = "redirect"
    settings.PROTECTED_FILES_REDIRECT_SECONDS = 2
    client.force_login(version.presentation.presenter.user)
    response = _download(client, version)
    assert response.status_code == 302
    link = response["Location"]
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == seaweedfs.endpoint_url  # http://127.0.0.1:<port>
    assert parts.path == f"/{bucket}/private/{version.file.name}"
    assert "X-Amz-Signature=" in parts.query
    assert "X-Amz-Expires=2&" in parts.query + "&"
    assert response["Cache-Control"] == "private, no-store"

    status, body, headers = _get(link)
    assert (status, body) == (200, deck)
    assert headers["Content-Disposition"].startswith("attachment;")
    assert headers["Content-Type"] == "application/pdf"

    time.sleep(3)
    status, _body, _headers = _get(link)
    assert status == 403  # expired


def test_redirect_mode_gives_others_no_link(client, settings, version):
    settings.PROTECTED_FILES_SERVER = "redirect"
    anonymous = _download(client, version)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert "X-Amz" not in anonymous["Location"]
    client.force_login(approved_delegate(version.presentation.workshop, "KG").user)
    other = _download(client, version)
    assert other.status_code == 404
    assert not other.has_header("Location")


def test_a_stranger_can_neither_fetch_nor_list_without_a_signature(client, settings, seaweedfs, bucket, version):
    key = f"private/{version.file.name}"
    assert _get(f"{seaweedfs.endpoint_url}/{bucket}/{key}")[0] == 403
    assert _get(f"{seaweedfs.endpoint_url}/{bucket}")[0] == 403
    assert _get(f"{seaweedfs.endpoint_url}/{bucket}?list-type=2")[0] == 403
    # A signed link is good for its own object only.
    settings.PROTECTED_FILES_SERVER = "redirect"
    client.force_login(version.presentation.presenter.user)
    link = _download(client, version)["Location"]
    other = link.replace(version.file.name, version.file.name.replace(".pdf", "x.pdf"))
    assert _get(other)[0] == 403


# Conversion and proceedings in this process (no worker)


@needs_libreoffice
def test_conversion_and_proceedings_read_and_write_through_the_bucket(object_storage, seaweedfs, bucket):
    material = build_material()  # stored in the bucket; no conversion queued (nothing commits here)
    pptx = PresentationFile.objects.get(presentation=material["presentations"]["broken"])
    version = presentation_file_convert(version=pptx, task_id="in-process")
    assert version.conversion_status == ConversionStatus.CONVERTED, version.conversion_error
    build = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert build.status == BuildStatus.READY, build.error + build.log
    assert "not included" not in build.log

    keys = seaweedfs.keys(bucket)
    assert f"private/{version.pdf.name}" in keys
    assert f"private/{build.file.name}" in keys
    assert {f"private/{part.file.name}" for part in ProceedingsPart.objects.all()} <= set(keys)
    for name in [version.pdf.name, build.file.name, *(p.file.name for p in ProceedingsPart.objects.all())]:
        assert _local_files(name) == []
    with build.file.open("rb") as handle:
        assert len(pypdf.PdfReader(io.BytesIO(handle.read())).pages) == build.page_count


# A worker with no folder shared with the web process


@pytest.fixture
def redis_server(tmp_path):
    from testkit.workers import RedisServer

    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@needs_libreoffice
@pytest.mark.requires_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_with_its_own_empty_folder_converts_and_builds_from_the_bucket(
    client, object_storage, seaweedfs, bucket, redis_server, tmp_path, mailbox
):
    from testkit.workers import Worker, broker_switched

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        pytest.skip("a worker process shares the test database only on PostgreSQL")
    worker_folder = tmp_path / "worker-media"
    worker_folder.mkdir()
    with broker_switched(redis_server.url) as app:
        worker = Worker(
            tmp_path / "worker.log",
            concurrency=2,
            REDIS_URL=redis_server.url,
            PORTAL_TEST_MEDIA_DIR=str(worker_folder),
            PORTAL_TEST_MAIL_DIR=str(settings.TEST_MAIL_DIR),
            **object_storage,
        )
        try:
            worker.wait_ready(app)
            # The uploads (one PPTX) go from this process to the bucket; the worker converts the PPTX.
            material = build_material()
            pptx = PresentationFile.objects.get(presentation=material["presentations"]["broken"])
            deadline = time.monotonic() + 120
            while pptx.conversion_status in (ConversionStatus.PENDING, ConversionStatus.CONVERTING):
                assert time.monotonic() < deadline, worker.log()[-3000:]
                time.sleep(0.2)
                pptx.refresh_from_db()
            assert pptx.conversion_status == ConversionStatus.CONVERTED, pptx.conversion_error + worker.log()[-3000:]
            assert f"private/{pptx.pdf.name}" in seaweedfs.keys(bucket)

            secretariat = staff_user("secretariat@example.org", SECRETARIAT)
            build = proceedings_request_build(workshop=material["workshop"], by=secretariat).build
            deadline = time.monotonic() + 180
            while build.is_pending:
                assert time.monotonic() < deadline, worker.log()[-3000:]
                time.sleep(0.2)
                build.refresh_from_db()
            assert build.status == BuildStatus.READY, build.error + build.log + worker.log()[-3000:]
            assert "not included" not in build.log
            assert f"private/{build.file.name}" in seaweedfs.keys(bucket)
            assert mailbox.wait_for(1, to="secretariat@example.org")
        finally:
            worker.stop()

    # Nothing the worker made is on any local disk: not in its folder, not in this process's.
    assert list(worker_folder.rglob("*")) == []
    assert _local_files(build.file.name) == []
    assert _local_files(pptx.pdf.name) == []

    # The secretariat downloads the volume through the view, streamed from the bucket.
    client.force_login(secretariat)
    response = client.get(reverse("reports:build_download", args=[build.pk]))
    assert response.status_code == 200
    volume = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(volume.pages) == build.page_count == ProceedingsBuild.objects.get(pk=build.pk).page_count


def test_the_accepted_deck_is_downloaded_by_a_participant_from_the_bucket(client, version, deck):
    presentation_decide(
        presentation=version.presentation,
        status=PresentationStatus.ACCEPTED,
        by=staff_user("o@example.org", ORGANISERS),
    )
    client.force_login(approved_delegate(version.presentation.workshop, "KG").user)
    response = _download(client, version)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == deck


# The storage sweep (workshop_portal/storage_sweep.py) through the storage API, on the bucket


def test_the_storage_sweep_deletes_an_unreferenced_object_and_keeps_the_referenced_ones(version, seaweedfs, bucket):
    from django.core.files.base import ContentFile

    from workshop_portal.storage_sweep import storage_sweep

    orphan = storages["private"].save("presentations/lost/web.pdf", ContentFile(b"%PDF- nobody recorded it"))
    referenced = set(seaweedfs.keys(bucket)) - {f"private/{orphan}"}
    assert referenced  # the upload's objects

    report = storage_sweep()
    assert [(stored.storage, stored.name) for stored in report.unreferenced] == []  # too recent (24 h)
    assert report.recent == 1

    sweep = storage_sweep(delete=True, min_age=datetime.timedelta(0))
    assert [(stored.storage, stored.name) for stored in sweep.deleted] == [("private", orphan)]
    assert set(seaweedfs.keys(bucket)) == referenced
    assert sweep.missing == []
