"""Hostile decks and papers, neutralised at upload, then really converted (inline without a broker, by
a real Celery worker on the conversion queue with REDIS_URL): each ends as a PDF, and the canary
server they all name sees no request and no connection."""

import io
import time

import pypdf
import pytest
from django.urls import reverse

from presentations.conversion import libreoffice_path
from presentations.enums import ConversionStatus
from presentations.models import PresentationFile
from testkit.factories import host_state_presentation
from testkit.files import upload
from tests.canary import Canary
from tests.office_files import (
    docx_hyperlink,
    docx_includepicture,
    docx_remote_template,
    ordinary_docx,
    ordinary_pptx,
    pptx_external_media,
    pptx_external_ole_link,
    pptx_external_picture,
    pptx_hyperlink,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.worker,
    pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed"),
]

# What is uploaded, its name, words its PDF shows, whether something was removed.
CASES = {
    "ordinary deck with a chart and a web link": (lambda c: ordinary_pptx(), "deck.pptx", "Lessons learned", False),
    "ordinary paper with a web link": (lambda c: ordinary_docx(), "paper.docx", "Казахстан", False),
    "picture linked from the canary": (
        lambda c: pptx_external_picture(c.url("picture.png")),
        "deck.pptx",
        "on a server",
        True,
    ),
    "OLE object linked from the canary": (
        lambda c: pptx_external_ole_link(c.url("sheet.xlsx")),
        "deck.pptx",
        "linked spreadsheet",
        True,
    ),
    "video linked from the canary": (
        lambda c: pptx_external_media(c.url("video.mp4")),
        "deck.pptx",
        "external video",
        True,
    ),
    "sound linked from the canary": (
        lambda c: pptx_external_media(c.url("sound.mp3"), "audio"),
        "deck.pptx",
        "external audio",
        True,
    ),
    "template attached from the canary": (
        lambda c: docx_remote_template(c.url("template.dotx")),
        "paper.docx",
        "remote template",
        True,
    ),
    "INCLUDEPICTURE field naming the canary": (
        lambda c: docx_includepicture(c.url("field.png")),
        "paper.docx",
        "Cached picture text",
        True,
    ),
    "file: hyperlink": (lambda c: pptx_hyperlink("file:///etc/passwd"), "deck.pptx", "link to a file", True),
    "UNC path hyperlink": (
        lambda c: docx_hyperlink("\\\\127.0.0.1\\share\\budget.docx"),
        "paper.docx",
        "link to a file",
        True,
    ),
}


def _wait_for_conversion(version: PresentationFile, timeout: float = 120) -> PresentationFile:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.conversion_status not in (ConversionStatus.PENDING, ConversionStatus.CONVERTING):
            break
        time.sleep(0.2)
    return version


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_neutralised_upload_converts_and_nothing_reaches_the_canary(celery_worker_process, client, case):
    build, name, expected_text, something_removed = CASES[case]
    presentation = host_state_presentation()
    client.force_login(presentation.presenter.user)

    with Canary() as canary:
        response = client.post(
            reverse("presentations:upload", args=[presentation.pk]), {"file": upload(name, build(canary))}
        )
        assert response.status_code == 302
        version = _wait_for_conversion(PresentationFile.objects.get(presentation=presentation))
        time.sleep(0.3)  # a connection would be accepted by the canary's thread, not at once
        hits = canary.hits()

    assert version.conversion_status == ConversionStatus.CONVERTED, version.conversion_error
    assert bool(version.removed_content) == something_removed
    with version.pdf_file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == version.page_count >= 1
    assert expected_text in " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert hits == (0, [])
