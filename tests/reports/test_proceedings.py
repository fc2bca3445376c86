"""The proceedings volume, read back from the PDF it produces."""

import io
import re

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from presentations.services import presentation_accept_upload
from reports.enums import BuildStatus
from reports.models import ProceedingsBuild, ProceedingsPart
from reports.proceedings.services import proceedings_build_now
from testkit.files import pdf_bytes
from tests.reports.proceedings_fixtures import build_material

pytestmark = pytest.mark.django_db


@pytest.fixture
def material():
    return build_material()


@pytest.fixture
def build(material):
    result = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert result.status == BuildStatus.READY, result.error
    return result


def _reader(build) -> pypdf.PdfReader:
    with build.file.open("rb") as handle:
        return pypdf.PdfReader(io.BytesIO(handle.read()))


def _outline(reader, items=None, depth=0):
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            yield from _outline(reader, item, depth + 1)
        else:
            yield depth, item.title, reader.get_destination_page_number(item)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_bookmark_lands_on_the_page_that_shows_its_title(build):
    reader = _reader(build)
    entries = list(_outline(reader))
    assert len(entries) >= 15
    for depth, title, page in entries:
        if depth == 0:
            continue  # the volume's own title, on the cover
        # Compared without spaces: a long title wraps, and extraction keeps the line break.
        text = re.sub(r"\s+", "", reader.pages[page].extract_text())
        shown = re.sub(r"\s+", "", title.split(" — ")[0])
        assert shown in text, f"bookmark {title!r} points to page {page + 1}, which does not show it"


def test_bookmarks_nest_workshop_session_segment_presentation(build):
    depths = {title: depth for depth, title, _page in _outline(_reader(build))}
    assert depths["Workshop on Cooperation with Central Asia"] == 0
    assert depths["Country working session: Kazakhstan"] == 1
    assert depths["Best practices of OIC partner member states"] == 2
    assert (
        depths["Reverse Linkage — " + next(t.split(" — ")[1] for t in depths if t.startswith("Reverse Linkage"))] == 3
    )


def test_the_contents_page_numbers_match_the_pages(build):
    reader = _reader(build)
    labels = reader.page_labels
    contents = _squash(" ".join(reader.pages[i].extract_text() for i in range(1, 3)))
    checked = 0
    for depth, title, page in _outline(reader):
        if depth != 1 or title == "Contents":
            continue
        match = re.search(re.escape(_squash(title)) + r" (\d+)", contents)
        assert match, f"{title!r} is missing from the contents"
        assert match.group(1) == labels[page], f"{title!r}: contents say {match.group(1)}, the page is {labels[page]}"
        checked += 1
    assert checked >= 3


def test_page_labels_number_the_front_matter_in_roman_and_the_body_from_one(build):
    reader = _reader(build)
    labels = reader.page_labels
    assert labels[0] == "i"
    first_session = next(page for depth, title, page in _outline(reader) if title.startswith("Country working session"))
    assert labels[first_session] == "1"
    assert labels[first_session - 1].isalpha()
    assert labels[-1] == str(len(labels) - first_session)
    assert build.page_count == len(reader.pages)


def test_the_volume_holds_the_programme_participants_reports_decks_and_index(build, material):
    reader = _reader(build)
    text = _squash(" ".join(page.extract_text() for page in reader.pages))
    for expected in (
        "PROCEEDINGS",
        "Programme",
        "List of participants",
        "Нурлан Сагинтаев",
        "Coordination between donors",
        "Fragmented funding",
        "Conclusions of the workshop",
        "Three partnership models",
        "Index of participating member states and institutions",
        "Islamic Development Bank",
    ):
        assert expected in text, expected
    # The decks themselves follow their abstract pages: their slides' text is in the volume.
    assert text.count("Slide 2") >= 4


def test_arabic_and_cyrillic_names_extract_back(build):
    text = " ".join(page.extract_text() for page in _reader(build).pages)
    assert "Нурлан Сагинтаев" in text
    assert "عبد" in text
    assert "الحربي" in text


def test_a_deck_that_cannot_be_used_is_noted_on_its_page_and_in_the_log(build):
    reader = _reader(build)
    page = next(p for d, t, p in _outline(reader) if t.startswith("Vocational training"))
    assert "is not included" in _squash(reader.pages[page].extract_text())
    assert "Vocational training" in build.log
    assert "not included" in build.log


def test_metadata_names_the_workshop_and_the_host(build):
    metadata = _reader(build).metadata
    assert metadata.title == "Proceedings: Workshop on Cooperation with Central Asia"
    assert metadata.author == "COMCEC Coordination Office"


def test_the_build_records_its_inputs_size_and_checksum(build, material):
    manifest = build.manifest
    assert [s["title"] for s in manifest["sessions"]][-1].startswith("Special session")
    first = manifest["sessions"][0]
    assert first["report"]["revision"] == 1
    decks = [i["deck"] for s in manifest["sessions"] for g in s["segments"] for i in g["items"]]
    assert sum(1 for d in decks if d) == 4
    assert build.size == build.file.size
    assert len(build.sha256) == 64
    assert build.duration is not None


def test_a_rebuild_after_one_deck_changed_renders_only_the_contents_again(material, build):
    parts_before = ProceedingsPart.objects.count()
    presentation = material["presentations"]["partner"]
    presentation_accept_upload(
        presentation=presentation,
        uploaded_file=SimpleUploadedFile("new.pdf", pdf_bytes(pages=5, title="A replaced deck")),
        by=material["organiser"],
    )
    second = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert second.status == BuildStatus.READY
    # The sessions' text and the front matter are reused; only the contents, whose page numbers
    # moved with the longer deck, are rendered again.
    new_parts = list(ProceedingsPart.objects.order_by("-pk")[: ProceedingsPart.objects.count() - parts_before])
    assert len(new_parts) == 1
    assert "index_page" in new_parts[0].outline
    assert second.page_count == build.page_count + 2
    assert "A replaced deck" in " ".join(p.extract_text() for p in _reader(second).pages)
    assert ProceedingsBuild.objects.filter(status=BuildStatus.READY).count() == 2


def test_user_text_is_escaped_in_the_pdf(material):
    presentation = material["presentations"]["host"]
    type(presentation).objects.filter(pk=presentation.pk).update(abstract='<img src="file:///etc/passwd"><b>bold?</b>')
    build = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    text = re.sub(r"\s+", "", " ".join(p.extract_text() for p in _reader(build).pages))
    assert '<imgsrc="file:///etc/passwd">' in text
    assert "root:x:0:0" not in text
