"""Extra chapters supplied by higher apps (reports/proceedings/chapters.py), read back from a real build."""

import io
import re

import pypdf
import pytest

from reports.enums import BuildStatus
from reports.proceedings import chapters
from reports.proceedings.chapters import add_proceedings_chapter
from reports.proceedings.manifest import TEMPLATE_VERSION, chapter_key
from reports.proceedings.services import proceedings_build_now
from tests.reports.proceedings_fixtures import build_material

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(chapters, "CHAPTERS", [])
    return chapters.CHAPTERS


def _evaluation(workshop, language):
    return {
        "title": "Evaluation of the workshop",
        "paragraphs": [f"Answers gathered for {workshop.slug}."],
        "tables": [{"caption": "Overall rating", "header": ["Question", "Average"], "rows": [["Usefulness", "4.5"]]}],
    }


def test_a_registered_chapter_appears_after_the_sessions_before_the_index(registry):
    add_proceedings_chapter("evaluation", _evaluation, "reports/pdf/chapter.html")
    add_proceedings_chapter("nothing", lambda workshop, language: None, "reports/pdf/chapter.html")
    material = build_material()
    build = proceedings_build_now(workshop=material["workshop"], by=material["organiser"])
    assert build.status == BuildStatus.READY, build.error
    assert [c["name"] for c in build.manifest["chapters"]] == ["evaluation"]  # None: no chapter

    with build.file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    top = [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline[1]
        if not isinstance(item, list)
    ]
    titles = [title for title, _page in top]
    chapter = titles.index("Evaluation of the workshop")
    assert titles[chapter - 1] == build.manifest["sessions"][-1]["title"]
    assert titles[chapter + 1].startswith("Index of participating")
    page = top[chapter][1]
    text = re.sub(r"\s+", " ", reader.pages[page].extract_text())
    assert "Evaluation of the workshop" in text
    assert "Usefulness" in text
    assert f"Answers gathered for {material['workshop'].slug}" in text
    contents = re.sub(r"\s+", " ", " ".join(reader.pages[i].extract_text() for i in range(1, 3)))
    assert re.search(r"Evaluation of the workshop (\d+)", contents).group(1) == reader.page_labels[page]


def test_a_chapter_piece_is_cached_under_its_data_and_the_template_version(registry):
    manifest = {"template": TEMPLATE_VERSION, "language": "en"}
    entry = {"name": "evaluation", "template": "reports/pdf/chapter.html", "title": "E", "data": {"a": 1}}
    same = chapter_key(manifest, dict(entry))
    assert chapter_key(manifest, entry) == same
    assert chapter_key(manifest, {**entry, "data": {"a": 2}}) != same
    assert chapter_key({**manifest, "template": "older"}, entry) != same
