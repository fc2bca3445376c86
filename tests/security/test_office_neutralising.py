"""Hostile PPTX and DOCX files through the real upload view, with a canary HTTP server on loopback
that every hostile file names (tests/canary.py).

Refused files leave no row, no stored file and no task, and say what to do. The others are stored
without what pointed outside the file (the stored package is opened and searched), with what was
removed recorded and shown, and their conversion queued. Nothing reaches the canary. Conversions
themselves run in tests/presentations/test_office_conversion_pipeline.py.
"""

import functools

import pytest
from django.urls import reverse

import jobs
from presentations import conversion_jobs
from presentations.enums import ConversionStatus, RemovedContent
from presentations.models import PresentationFile
from testkit.files import upload
from tests.office_files import (
    DOCUMENT,
    DOCUMENT_RELS,
    SETTINGS,
    SETTINGS_RELS,
    SLIDE,
    SLIDE_RELS,
    docx_activex,
    docx_alt_chunk,
    docx_billion_laughs,
    docx_hyperlink,
    docx_includepicture,
    docx_remote_template,
    docx_xxe,
    ordinary_docx,
    ordinary_pptx,
    parts,
    pptx_embedded_ole,
    pptx_external_media,
    pptx_external_ole_link,
    pptx_external_picture,
    pptx_hyperlink,
)
from tests.security.support import stored_files

pytestmark = pytest.mark.django_db

EXTERNAL = RemovedContent.OFFICE_EXTERNAL_CONTENT.value
LOCAL = RemovedContent.OFFICE_LOCAL_LINKS.value
UNC = "\\\\127.0.0.1\\share\\budget.docx"

REFUSED = {
    "XXE reaching the canary over http": (
        lambda canary: docx_xxe(canary.url("xxe")),
        "paper.docx",
        "Save it again from PowerPoint or Word, or export it as PDF",
    ),
    "XXE reading a local file": (
        lambda canary: docx_xxe("file:///etc/passwd"),
        "paper.docx",
        "Save it again from PowerPoint or Word, or export it as PDF",
    ),
    "billion laughs": (
        lambda canary: docx_billion_laughs(),
        "paper.docx",
        "Save it again from PowerPoint or Word, or export it as PDF",
    ),
    "embedded OLE object": (lambda canary: pptx_embedded_ole(), "deck.pptx", "Replace each object with a picture"),
    "ActiveX control": (lambda canary: docx_activex(), "paper.docx", "Replace each object with a picture"),
    "imported HTML naming the canary": (
        lambda canary: docx_alt_chunk(f'<html><body><img src="{canary.url("chunk.png")}"></body></html>'),
        "paper.docx",
        "Open it in Word and save it again",
    ),
}

# What is uploaded, its name, what is recorded as removed, and the parts that must change.
NEUTRALISED = {
    "picture linked from the canary": (
        lambda canary: pptx_external_picture(canary.url("picture.png")),
        "deck.pptx",
        [EXTERNAL],
        {SLIDE, SLIDE_RELS},
    ),
    "template attached from the canary": (
        lambda canary: docx_remote_template(canary.url("template.dotx")),
        "paper.docx",
        [EXTERNAL],
        {SETTINGS, SETTINGS_RELS},
    ),
    "INCLUDEPICTURE field naming the canary": (
        lambda canary: docx_includepicture(canary.url("field.png")),
        "paper.docx",
        [EXTERNAL],
        {DOCUMENT},
    ),
    "OLE object linked from the canary": (
        lambda canary: pptx_external_ole_link(canary.url("sheet.xlsx")),
        "deck.pptx",
        [EXTERNAL],
        {SLIDE, SLIDE_RELS},
    ),
    "video linked from the canary": (
        lambda canary: pptx_external_media(canary.url("video.mp4")),
        "deck.pptx",
        [EXTERNAL],
        {SLIDE, SLIDE_RELS},
    ),
    "sound linked from the canary": (
        lambda canary: pptx_external_media(canary.url("sound.mp3"), "audio"),
        "deck.pptx",
        [EXTERNAL],
        {SLIDE, SLIDE_RELS},
    ),
    "file: hyperlink": (
        lambda canary: pptx_hyperlink("file:///etc/passwd"),
        "deck.pptx",
        [LOCAL],
        {SLIDE, SLIDE_RELS},
    ),
    "UNC path hyperlink": (lambda canary: docx_hyperlink(UNC), "paper.docx", [LOCAL], {DOCUMENT, DOCUMENT_RELS}),
}


def _post(client, presentation, name: str, content: bytes, django_capture_on_commit_callbacks):
    client.force_login(presentation.presenter.user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("presentations:upload", args=[presentation.pk]), {"file": upload(name, content)})
    return response, callbacks


def _conversions(callbacks) -> list:
    """The on-commit callbacks that queue a conversion (the others renew cached pages)."""
    return [
        c
        for c in callbacks
        if isinstance(c, functools.partial) and c.func is jobs.enqueue and c.args[0] is conversion_jobs.CONVERSION
    ]


def _stored_parts(version: PresentationFile) -> dict[str, bytes]:
    with version.file.open("rb") as handle:
        return parts(handle.read())


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_a_file_that_cannot_be_made_safe_is_refused_and_leaves_nothing(
    client, presentation, canary, case, django_capture_on_commit_callbacks
):
    build, name, advice = REFUSED[case]
    before = stored_files()

    response, callbacks = _post(client, presentation, name, build(canary), django_capture_on_commit_callbacks)

    assert response.status_code == 400
    form = response.context["upload_form"]
    messages = [str(m) for m in form.non_field_errors()] + [str(m) for m in form.errors.get("file", [])]
    assert any(advice in message for message in messages), messages
    assert not PresentationFile.objects.exists()
    assert stored_files() == before
    assert callbacks == []
    assert canary.hits() == (0, [])


@pytest.mark.parametrize("case", list(NEUTRALISED), ids=list(NEUTRALISED))
def test_what_points_outside_is_removed_before_the_file_is_stored(
    client, presentation, canary, case, django_capture_on_commit_callbacks
):
    build, name, removed, changed = NEUTRALISED[case]
    uploaded = build(canary)

    response, callbacks = _post(client, presentation, name, uploaded, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    version = PresentationFile.objects.get()
    assert version.removed_content == removed
    assert version.conversion_status == ConversionStatus.PENDING
    assert len(_conversions(callbacks)) == 1  # queued once the transaction commits
    stored = _stored_parts(version)
    before = parts(uploaded)
    assert list(stored) == list(before)
    assert {part for part in before if before[part] != stored[part]} == changed
    everything = b"".join(stored.values())
    for trace in (f"127.0.0.1:{canary.port}".encode(), b"file:///etc/passwd", UNC.encode()):
        assert trace not in everything
    with version.file.open("rb") as handle:
        content = handle.read()
    assert version.size == len(content)
    assert canary.hits() == (0, [])


def test_the_presentation_page_says_what_was_removed(client, presentation, canary, django_capture_on_commit_callbacks):
    _post(
        client,
        presentation,
        "deck.pptx",
        pptx_external_picture(canary.url("picture.png")),
        django_capture_on_commit_callbacks,
    )
    page = client.get(reverse("presentations:detail", args=[presentation.pk])).content.decode()
    assert "Pictures, media, templates or objects linked from outside the file" in page


@pytest.mark.parametrize(
    ("name", "build"), [("deck.pptx", ordinary_pptx), ("paper.docx", ordinary_docx)], ids=["pptx", "docx"]
)
def test_an_ordinary_file_with_a_web_link_is_stored_unchanged_in_content(
    client, presentation, name, build, django_capture_on_commit_callbacks
):
    uploaded = build()

    response, callbacks = _post(client, presentation, name, uploaded, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    version = PresentationFile.objects.get()
    assert version.removed_content == []
    assert _stored_parts(version) == parts(uploaded)
    assert len(_conversions(callbacks)) == 1
