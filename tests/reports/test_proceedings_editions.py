"""The two editions of a build, read back: print (decks as uploaded) and web (pictures at about 150 dpi)."""

import hashlib
import io
import os
import signal
import subprocess
import sys
import time

import pikepdf
import pypdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from presentations.models import PresentationFile
from presentations.services import presentation_accept_upload
from presentations.web_copies import web_copy_make
from reports.enums import BuildStatus
from reports.proceedings.services import proceedings_build_now
from testkit.files import photo_deck_pdf
from tests.reports.proceedings_fixtures import build_material
from workshop_portal.pdf_web import WEB_DPI
from workshop_portal.workdirs import sweep_stale_workdirs, workdir_root

pytestmark = pytest.mark.django_db

PAGE = (360, 270)  # a small slide, 5 x 3.75 inches: the pictures at 300 dpi are 1500 x 1125 pixels


@pytest.fixture
def material(django_capture_on_commit_callbacks):
    material = build_material()
    for key, seed in (("host", 1), ("partner", 2)):
        deck = photo_deck_pdf(3, title=f"Photographs {key}", page_size=PAGE, seed=seed)
        with django_capture_on_commit_callbacks(execute=True):  # the web copy is asked for on commit
            presentation_accept_upload(
                presentation=material["presentations"][key],
                uploaded_file=SimpleUploadedFile("photos.pdf", deck),
                by=material["organiser"],
            )
    return material


@pytest.fixture
def build(material):
    build = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert build.status == BuildStatus.READY, build.error
    return build


def _bytes(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def _outline(reader, items=None):
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from _outline(reader, item)
        else:
            yield item.title, reader.get_destination_page_number(item)


def _largest_picture_width(pdf_bytes: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return max(int(image.Width) for page in pdf.pages for image in page.get_images().values())


def test_an_uploaded_deck_gets_a_smaller_web_copy_with_the_same_pages_and_text(material):
    version = PresentationFile.objects.filter(presentation=material["presentations"]["host"]).latest("version")
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert version.web_pdf, "the upload asked for its web copy, made inline without a broker"
    else:  # sent to a worker, which cannot see this test's transaction: the same service, here
        assert web_copy_make(version)
    original, web = _bytes(version.file), _bytes(version.web_pdf)
    assert len(web) < 0.3 * len(original), (len(web), len(original))
    web_reader = pypdf.PdfReader(io.BytesIO(web))
    assert len(web_reader.pages) == 3
    assert "Photographs host, page 2" in web_reader.pages[1].extract_text()
    assert _largest_picture_width(original) == 1500
    assert _largest_picture_width(web) <= round(PAGE[0] / 72 * WEB_DPI)
    version.refresh_from_db()
    assert version.web_pdf_downsampled == 3


def test_text_decks_repacked_smaller_still_give_one_edition(django_capture_on_commit_callbacks):
    """A deck without pictures to downsample comes out of the web copy smaller (streams recompressed),
    but the volume's own write recompresses the same way: a second edition would be the same size."""
    material = build_material()
    versions = PresentationFile.objects.filter(presentation__workshop=material["workshop"])
    for version in versions:
        web_copy_make(version)
    made = [version for version in versions.all() if version.web_pdf]
    assert made
    assert all(version.web_pdf_downsampled == 0 for version in made)
    assert any(version.web_pdf.size < 0.9 * version.pdf_file.size for version in made)  # the trap is there
    build = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert build.status == BuildStatus.READY, build.error
    assert (build.web_file.name, build.web_sha256) == (build.file.name, build.sha256)


def test_both_editions_are_stored_with_their_size_and_checksum(build):
    editions = ((build.file, build.size, build.sha256), (build.web_file, build.web_size, build.web_sha256))
    for field_file, size, sha256 in editions:
        content = _bytes(field_file)
        assert len(content) == size
        assert hashlib.sha256(content).hexdigest() == sha256
    assert build.web_file.name != build.file.name
    # The photographs are most of the volume; the web edition keeps a fraction of them.
    assert build.web_size < 0.5 * build.size, (build.web_size, build.size)


def test_the_web_edition_keeps_pages_bookmarks_labels_numbers_and_text(build):
    printed = pypdf.PdfReader(io.BytesIO(_bytes(build.file)))
    web = pypdf.PdfReader(io.BytesIO(_bytes(build.web_file)))
    assert len(web.pages) == len(printed.pages) == build.page_count
    assert list(_outline(web)) == list(_outline(printed))
    assert web.page_labels == printed.page_labels
    assert web.page_labels[0] == "i"
    assert "1" in web.page_labels
    deck_page = next(n for n, page in enumerate(web.pages) if "Photographs partner, page 3" in page.extract_text())
    # The page number is laid over the deck's own page, in both editions.
    label = web.page_labels[deck_page]
    assert label in web.pages[deck_page].extract_text().split()
    assert label in printed.pages[deck_page].extract_text().split()
    assert _largest_picture_width(_bytes(build.web_file)) <= round(PAGE[0] / 72 * WEB_DPI)


def test_the_contents_entries_link_to_the_pages_their_bookmarks_lead_to(build):
    for field_file in (build.file, build.web_file):
        reader = pypdf.PdfReader(io.BytesIO(_bytes(field_file)))
        bookmarked = {page for title, page in _outline(reader)} - {0, 1}  # the cover and the contents
        linked = set()
        for page in reader.pages[1:4]:
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if "/Dest" in annotation:
                    linked.add(reader.get_page_number(annotation["/Dest"][0].get_object()))
                assert "/A" not in annotation, "no link leaves the volume"
        assert linked == bookmarked


def test_the_published_proceedings_offer_the_web_edition_first_and_both_with_sizes(build, material, client):
    from reports.proceedings.services import proceedings_publish

    proceedings_publish(build=build, by=material["organiser"])
    client.force_login(material["organiser"])
    page = client.get(f"/workshops/{material['workshop'].slug}/proceedings/published/").content.decode()
    web_at, print_at = page.index("Web edition"), page.index("Print edition")
    assert web_at < print_at
    assert f"/workshops/{material['workshop'].slug}/proceedings.pdf" in page
    response = client.get(f"/workshops/{material['workshop'].slug}/proceedings.pdf")
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == build.web_sha256
    response = client.get(f"/workshops/{material['workshop'].slug}/proceedings-print.pdf")
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == build.sha256


def test_a_build_leaves_no_scratch_files(material):
    before = set(os.listdir(workdir_root()))
    build = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert build.status == BuildStatus.READY
    assert set(os.listdir(workdir_root())) <= before


def test_what_a_killed_worker_left_behind_is_swept_by_the_next_job():
    script = (
        "import os, sys, time, django; django.setup()\n"
        "from workshop_portal.workdirs import job_workdir\n"
        "with job_workdir('proceedings') as path:\n"
        "    (path / 'half-written.pdf').write_bytes(b'%PDF-1.7' + b'0' * 100000)\n"
        "    print(path.name, flush=True)\n"
        "    time.sleep(60)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "workshop_portal.settings.test"}
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    name = process.stdout.readline().strip()
    assert (workdir_root() / name).is_dir()
    assert name not in sweep_stale_workdirs(), "a running job's directory stays"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    time.sleep(0.1)
    assert (workdir_root() / name).is_dir(), "SIGKILL runs no clean-up"
    assert name in sweep_stale_workdirs()
    assert not (workdir_root() / name).exists()


def test_a_build_that_fails_while_writing_leaves_no_scratch_files_and_no_stored_edition(material, build):
    from reports.models import ProceedingsPart

    # A cached piece damaged on disk: the next build cannot read it and fails at assembly.
    stored_before = set(os.listdir(build.file.storage.path("proceedings")))
    material["presentations"]["partner"].title = "A title that changes the contents"
    material["presentations"]["partner"].save()
    for part in ProceedingsPart.objects.all():
        with open(part.file.path, "wb") as handle:
            handle.write(b"%PDF-1.7 this is not a PDF any more")
    before = set(os.listdir(workdir_root()))
    failed = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert failed.status == BuildStatus.FAILED
    assert failed.error
    assert set(os.listdir(workdir_root())) <= before
    assert set(os.listdir(build.file.storage.path("proceedings"))) == stored_before


def test_when_no_deck_has_pictures_to_spare_the_web_edition_is_the_print_edition(
    client, django_capture_on_commit_callbacks
):
    material = build_material()
    for key in ("host", "partner", "bank", "kyrgyz"):
        # Pictures already at screen resolution: a web copy would save nothing.
        deck = photo_deck_pdf(2, title=f"Screen pictures {key}", page_size=PAGE, dpi=100)
        with django_capture_on_commit_callbacks(execute=True):
            presentation_accept_upload(
                presentation=material["presentations"][key],
                uploaded_file=SimpleUploadedFile("screen.pdf", deck),
                by=material["organiser"],
            )
    build = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert build.status == BuildStatus.READY, build.error
    assert build.web_file.name == build.file.name
    assert (build.web_size, build.web_sha256) == (build.size, build.sha256)
    from reports.proceedings.services import proceedings_publish

    proceedings_publish(build=build, by=material["organiser"])
    client.force_login(material["organiser"])
    page = client.get(f"/workshops/{material['workshop'].slug}/proceedings/published/").content.decode()
    assert "Web edition" in page
    assert "Print edition" not in page  # one file: offered once


@pytest.mark.requires_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_makes_the_web_copy_once_the_uploaded_pdf_is_stored(celery_worker_process):
    material = build_material()
    presentation_accept_upload(
        presentation=material["presentations"]["bank"],
        uploaded_file=SimpleUploadedFile("photos.pdf", photo_deck_pdf(2, page_size=PAGE)),
        by=material["organiser"],
    )
    version = PresentationFile.objects.filter(presentation=material["presentations"]["bank"]).latest("version")
    deadline = time.monotonic() + 60
    while not version.web_pdf and time.monotonic() < deadline:
        time.sleep(0.1)
        version.refresh_from_db()
    assert version.web_pdf, "no worker made the web copy"
    assert _largest_picture_width(_bytes(version.web_pdf)) <= round(PAGE[0] / 72 * WEB_DPI)
