"""An attacker's second look at the upload neutralising: variants of hostile PPTX, DOCX and PDF files
that the first round of tests did not try, each through the real upload view.

An accepted file must be served inert (the stored package searched, the served PDF walked by
tests/presentations/hostile_pdfs.py's own checker); a refused one must say what to do and leave
nothing (no row, no stored file).
"""

from pathlib import Path

import pytest
from django.urls import reverse

from presentations.models import PresentationFile
from testkit.files import upload
from tests.office_files import (
    DOCUMENT,
    DOCUMENT_RELS,
    SLIDE_RELS,
    edit_package,
    ordinary_docx,
    parts,
    pptx_external_picture,
)
from tests.security.support import stored_files

pytestmark = pytest.mark.django_db

# More whitespace than the 64 bytes the checks first read of a part, before its first tag.
PADDING = " \r\n\t" * 40


def _post(client, presentation, name: str, data: bytes):
    client.force_login(presentation.presenter.user)
    return client.post(reverse("presentations:upload", args=[presentation.pk]), {"file": upload(name, data)})


def _messages(response) -> list[str]:
    form = response.context["upload_form"]
    return [str(m) for m in form.non_field_errors()] + [str(m) for m in form.errors.get("file", [])]


def _refused_and_nothing_left(response, before: set[Path], advice: str) -> None:
    assert response.status_code == 400
    assert any(advice in message for message in _messages(response)), _messages(response)
    assert not PresentationFile.objects.exists()
    assert stored_files() == before


# --- Office: parts whose first tag comes after a long run of whitespace --------------------------------


def _without_declaration(xml: str) -> str:
    """The part without its XML declaration, which may not follow whitespace: what remains is well-formed."""
    return xml.partition("?>")[2].lstrip() if xml.startswith("<?xml") else xml


def docx_padded_xxe(system_id: str) -> bytes:
    def declare(xml: str) -> str:
        body = _without_declaration(xml).replace("<w:sectPr", "<w:p><w:r><w:t>&secret;</w:t></w:r></w:p><w:sectPr", 1)
        return f'{PADDING}<!DOCTYPE w:document [<!ENTITY secret SYSTEM "{system_id}">]>{body}'

    return edit_package(ordinary_docx("A paper with a padded DTD"), {DOCUMENT: declare})


def docx_padded_billion_laughs() -> bytes:
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {n} "{f"&{p};" * 10}">' for p, n in zip("abcdefg", "bcdefgh", strict=True)
    )

    def declare(xml: str) -> str:
        body = _without_declaration(xml).replace("<w:sectPr", "<w:p><w:r><w:t>&h;</w:t></w:r></w:p><w:sectPr", 1)
        return f"{PADDING}<!DOCTYPE w:document [{entities}]>{body}"

    return edit_package(ordinary_docx("A paper with padded entities"), {DOCUMENT: declare})


def docx_utf16_xxe_after_a_space(system_id: str) -> bytes:
    """word/document.xml in UTF-16 without a byte order mark, one space before its DOCTYPE."""
    xml = parts(docx_padded_xxe(system_id))[DOCUMENT].decode("utf-8").lstrip()
    return edit_package(ordinary_docx("A paper in UTF-16"), {DOCUMENT: (" " + xml).encode("utf-16-le")})


def padded_rels_with_dtd(canary_url: str) -> bytes:
    def declare(xml: str) -> str:
        return f'{PADDING}<!DOCTYPE Relationships SYSTEM "{canary_url}">{_without_declaration(xml)}'

    return edit_package(ordinary_docx("A paper with a padded rels DTD"), {DOCUMENT_RELS: declare})


@pytest.mark.parametrize(
    "build",
    [
        lambda canary: docx_padded_xxe(canary.url("xxe")),
        lambda canary: docx_padded_xxe("file:///etc/passwd"),
        lambda canary: docx_padded_billion_laughs(),
        lambda canary: padded_rels_with_dtd(canary.url("dtd")),
        lambda canary: docx_utf16_xxe_after_a_space(canary.url("xxe16")),
    ],
    ids=["xxe to the canary", "xxe reading a local file", "billion laughs", "dtd in a rels part", "utf-16 no bom"],
)
def test_a_dtd_after_leading_whitespace_is_refused_and_leaves_nothing(client, presentation, canary, build):
    before = stored_files()
    response = _post(client, presentation, "paper.docx", build(canary))
    _refused_and_nothing_left(response, before, "Save it again from PowerPoint or Word, or export it as PDF")
    assert canary.hits() == (0, [])


def test_an_external_picture_in_a_padded_rels_part_is_removed(client, presentation, canary):
    uploaded = edit_package(
        pptx_external_picture(canary.url("picture.png")), {SLIDE_RELS: lambda xml: PADDING + _without_declaration(xml)}
    )
    response = _post(client, presentation, "deck.pptx", uploaded)
    assert response.status_code == 302
    with PresentationFile.objects.get().file.open("rb") as handle:
        stored = b"".join(parts(handle.read()).values())
    assert f"127.0.0.1:{canary.port}".encode() not in stored
    assert canary.hits() == (0, [])
