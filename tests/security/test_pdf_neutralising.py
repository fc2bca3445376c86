"""Hostile PDFs through the real upload view: what the portal stores, serves and merges is inert.

Every file is generated here (tests/presentations/hostile_pdfs.py). For each accepted one, the bytes
the two download views serve are re-opened with pikepdf and walked object by object; the page
count must not change, and the presentation's page says in words what was removed. An attached
program refuses the file and leaves nothing behind.
"""

import io
import time

import pikepdf
import pypdf
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from presentations.conversion import libreoffice_path
from presentations.conversion_jobs import presentation_file_convert
from presentations.enums import ConversionStatus, RemovedContent
from presentations.models import PresentationFile
from presentations.services import presentation_accept_upload
from reports.enums import BuildStatus
from reports.proceedings.services import proceedings_build_now
from testkit.factories import staff_user
from testkit.files import upload
from tests.presentations import hostile_pdfs as h
from tests.reports.proceedings_fixtures import build_material
from tests.security.support import stored_files
from workshop_portal.roles import ORGANISERS

pytestmark = pytest.mark.django_db

R = RemovedContent
needs_libreoffice = pytest.mark.skipif(libreoffice_path() is None, reason="LibreOffice is not installed")


def _post(client, presentation, name: str, data: bytes):
    client.force_login(presentation.presenter.user)
    return client.post(reverse("presentations:upload", args=[presentation.pk]), {"file": upload(name, data)})


def _served(client, version: PresentationFile) -> list[bytes]:
    """The bytes of the "original" and the "pdf" download, as the presenter gets them."""
    bodies = []
    for view in ("presentations:download", "presentations:download_pdf"):
        response = client.get(reverse(view, args=[version.pk]))
        assert response.status_code == 200
        bodies.append(b"".join(response.streaming_content))
    return bodies


def _page_count(data: bytes) -> tuple[int, int]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pypdf.PdfReader(io.BytesIO(data)).pages), len(pdf.pages)


ACCEPTED = {
    "embedded harmless attachment": (
        lambda: h.build(lambda pdf: h.attach(pdf, b"Agenda", "agenda.txt")),
        [R.PDF_ATTACHMENTS],
    ),
    "file attachment annotation": (lambda: h.build(h.file_attachment_annotation), [R.PDF_ATTACHMENTS]),
    "open action submitting a form": (
        lambda: h.build(h.open_action_submit_form),
        [R.PDF_OPEN_ACTION, R.PDF_FORM_SUBMISSION],
    ),
    "additional actions on a page": (
        lambda: h.build(h.page_additional_actions),
        [R.PDF_OPEN_ACTION, R.PDF_FORM_SUBMISSION],
    ),
    "javascript: link annotation": (lambda: h.build(h.javascript_link), [R.PDF_SCRIPT_LINKS]),
    "launch (in a bookmark)": (lambda: h.build(h.launch_in_bookmark), [R.PDF_EXTERNAL_LINKS]),
    "goto remote": (lambda: h.build(h.goto_remote), [R.PDF_EXTERNAL_LINKS]),
    "goto embedded": (lambda: h.build(h.goto_embedded), [R.PDF_EXTERNAL_LINKS]),
    "import data": (lambda: h.build(h.import_data), [R.PDF_EXTERNAL_LINKS]),
    "javascript only reachable indirectly": (lambda: h.build(h.hidden_javascript), [R.PDF_JAVASCRIPT]),
    "pdf and zip polyglot": (h.with_zip, [R.PDF_TRAILING_DATA]),
    "pdf and pptx polyglot": (h.with_pptx, [R.PDF_TRAILING_DATA]),
}


@pytest.mark.parametrize("case", list(ACCEPTED), ids=list(ACCEPTED))
def test_a_hostile_pdf_is_served_only_as_its_inert_copy(client, presentation, case):
    build, expected = ACCEPTED[case]
    data = build()
    assert h.inert_problems(data) != []  # the upload really carries it

    response = _post(client, presentation, "deck.pdf", data)
    assert response.status_code == 302
    version = PresentationFile.objects.get(presentation=presentation)
    assert version.removed_content == [code.value for code in expected]

    original, pdf = _served(client, version)
    with version.file.open("rb") as stored:
        assert original == pdf == stored.read()
    assert original != data
    assert h.inert_problems(original) == []
    assert _page_count(original) == _page_count(data) == (2, 2) == (version.page_count, 2)
    assert h.MARKER in pypdf.PdfReader(io.BytesIO(original)).pages[0].extract_text()

    page = client.get(presentation.get_absolute_url()).content.decode()
    assert "We removed from this file:" in page
    for code in expected:
        assert str(code.label) in page
    assert "The rest is unchanged." in page


def test_a_javascript_link_goes_and_the_web_link_next_to_it_stays(client, presentation):
    _post(client, presentation, "deck.pdf", h.build(h.javascript_link))
    [original, _pdf] = _served(client, PresentationFile.objects.get())
    assert h.web_links(original) == ["https://example.org/kept"]


def test_a_clean_weasyprint_pdf_keeps_its_pages_and_links_and_shows_no_removal(client, presentation):
    from weasyprint import HTML

    html = (
        "<h1>Water diplomacy</h1><p><a href='https://example.org/water'>The programme</a></p>"
        "<h2 style='break-before: page'>Annex</h2><p>Figures.</p>"
    )
    data = HTML(string=html).write_pdf()
    assert _post(client, presentation, "talk.pdf", data).status_code == 302
    version = PresentationFile.objects.get()
    assert version.removed_content == []
    [original, _pdf] = _served(client, version)
    assert _page_count(original) == (2, 2)
    assert h.web_links(original) == ["https://example.org/water"]
    assert "We removed from this file" not in client.get(presentation.get_absolute_url()).content.decode()


EXECUTABLES = {
    "windows executable under a harmless name": lambda: h.build(lambda pdf: h.attach(pdf, h.EXE, "agenda.pdf")),
    "linux executable": lambda: h.build(lambda pdf: h.attach(pdf, h.ELF, "notes.txt")),
    "script named .bat": lambda: h.build(lambda pdf: h.attach(pdf, b"@echo off\r\ndel C:\\*", "start.bat")),
    "executable in a file attachment annotation": lambda: h.build(
        lambda pdf: h.file_attachment_annotation(pdf, h.EXE, "setup.exe")
    ),
}


@pytest.mark.parametrize("case", list(EXECUTABLES), ids=list(EXECUTABLES))
def test_an_embedded_executable_is_refused_and_leaves_nothing(
    client, presentation, case, django_capture_on_commit_callbacks
):
    before = stored_files()
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(client, presentation, "deck.pdf", EXECUTABLES[case]())
    assert response.status_code == 400
    assert "This PDF has a program attached inside it, which is not accepted." in response.content.decode()
    assert not PresentationFile.objects.exists()
    assert stored_files() == before
    assert callbacks == []


def test_document_javascript_is_still_refused_by_the_upload_check(client, presentation):
    response = _post(client, presentation, "deck.pdf", h.build(h.document_javascript))
    assert response.status_code == 400
    assert "contains scripts or actions that start programs" in response.content.decode()
    assert not PresentationFile.objects.exists()


def test_the_admin_says_why_an_attached_program_is_refused_and_lists_removals(client, presentation):
    organiser = staff_user("organiser@example.org", ORGANISERS)
    client.force_login(organiser)
    url = reverse("admin:presentations_presentation_change", args=[presentation.pk])
    data = {
        "segment": presentation.segment.pk,
        "presenter": presentation.presenter.pk,
        "title": presentation.title,
        "abstract": presentation.abstract,
        "order": "1",
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
    }
    exe = h.build(lambda pdf: h.attach(pdf, h.EXE, "agenda.pdf"))
    response = client.post(url, {**data, "new_file": upload("deck.pdf", exe)})
    assert response.status_code == 200
    assert "This PDF has a program attached inside it" in response.content.decode()
    assert not PresentationFile.objects.exists()

    response = client.post(url, {**data, "new_file": upload("deck.pdf", h.build(h.javascript_link))})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "We removed from this file:" in page
    assert str(R.PDF_SCRIPT_LINKS.label) in page


def test_the_proceedings_merge_the_clean_copy(client):
    material = build_material()
    organiser = material["organiser"]
    presentation = material["presentations"]["host"]

    def everything(pdf):
        h.page_additional_actions(pdf)
        h.javascript_link(pdf)
        h.hidden_javascript(pdf)
        h.file_attachment_annotation(pdf)

    hostile = h.build(everything, pages=3)
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", hostile + h.zip_bytes()), by=organiser
    )
    assert set(version.removed_content) == {
        R.PDF_OPEN_ACTION.value,
        R.PDF_FORM_SUBMISSION.value,
        R.PDF_ATTACHMENTS.value,
        R.PDF_SCRIPT_LINKS.value,
        R.PDF_JAVASCRIPT.value,
        R.PDF_TRAILING_DATA.value,
    }

    build = proceedings_build_now(workshop=material["workshop"], by=organiser)
    assert build.status == BuildStatus.READY, build.error
    assert any(deck["version_id"] == version.pk for deck in _decks(build.manifest))
    with build.file.open("rb") as handle:
        volume = handle.read()
    assert h.inert_problems(volume) == []
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(volume)).pages)
    assert text.count(h.MARKER) >= 3  # the deck's three pages are in the volume
    assert "https://example.org/kept" in h.all_link_targets(volume)


def _decks(manifest: dict) -> list[dict]:
    return [
        item["deck"]
        for session in manifest["sessions"]
        for segment in session["segments"]
        for item in segment["items"]
        if item["deck"]
    ]


# --- converted PDFs ------------------------------------------------------------------------------------


def _pptx_with_links() -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Linked slide"
    text = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1)).text_frame
    script = text.paragraphs[0].add_run()
    script.text, script.hyperlink.address = "Click here", "javascript:alert(document.cookie)"
    web = text.add_paragraph().add_run()
    web.text, web.hyperlink.address = "Our website", "https://example.org/cooperation"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


@needs_libreoffice
def test_the_conversion_stores_the_clean_copy_and_adds_what_it_removed(
    presentation, django_capture_on_commit_callbacks
):
    # The conversion step alone: the PPTX reaches LibreOffice with its javascript: link (whatever
    # the Office side does to uploads), and LibreOffice turns it into a PDF link annotation.
    with django_capture_on_commit_callbacks(execute=False):
        version = presentation_accept_upload(
            presentation=presentation,
            uploaded_file=upload("deck.pptx", _pptx_with_links()),
            by=presentation.presenter.user,
        )
    name = version.file.name
    version.file.storage.delete(name)
    version.file.storage.save(name, ContentFile(_pptx_with_links()))
    PresentationFile.objects.filter(pk=version.pk).update(removed_content=["earlier_code"])

    version = presentation_file_convert(version=version, task_id="")
    assert version.conversion_status == ConversionStatus.CONVERTED, version.conversion_error
    version.refresh_from_db()
    assert version.removed_content == ["earlier_code", R.PDF_SCRIPT_LINKS.value]
    with version.pdf.open("rb") as handle:
        converted = handle.read()
    assert h.inert_problems(converted) == []
    assert h.web_links(converted) == ["https://example.org/cooperation"]
    assert version.page_count == _page_count(converted)[0] == 1


@needs_libreoffice
@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_converted_deck_is_served_as_an_inert_pdf(client, celery_worker_process, presentation):
    response = _post(client, presentation, "deck.pptx", _pptx_with_links())
    assert response.status_code == 302
    version = PresentationFile.objects.get(presentation=presentation)
    deadline = time.monotonic() + 120
    while version.conversion_status in (ConversionStatus.PENDING, ConversionStatus.CONVERTING):
        assert time.monotonic() < deadline, "the conversion did not finish"
        time.sleep(0.2)
        version.refresh_from_db()
    assert version.conversion_status == ConversionStatus.CONVERTED, version.conversion_error
    response = client.get(reverse("presentations:download_pdf", args=[version.pk]))
    converted = b"".join(response.streaming_content)
    assert h.inert_problems(converted) == []
    assert h.web_links(converted) == ["https://example.org/cooperation"]
    assert not any("javascript" in target.lower() for target in h.all_link_targets(converted))
    assert version.removed_content  # the javascript: link, removed from the deck or from its PDF
