"""What makes a PPTX or DOCX refused at upload (presentations/office_policy.py, called by inspect_upload).

Every file is an ordinary python-pptx/python-docx document edited the way an attacker (or an odd
program) would; each refusal carries its code and a message that says what to do.
"""

import pytest

from presentations.validation import FileRejectedError, inspect_upload
from tests.office_files import (
    DOCUMENT,
    DOCUMENT_RELS,
    REL,
    SLIDE_RELS,
    docx_activex,
    docx_alt_chunk,
    docx_billion_laughs,
    docx_xxe,
    edit_package,
    ordinary_docx,
    ordinary_pptx,
    pptx_embedded_ole,
)

MB = 1024 * 1024
ILLUSTRATOR_SVG = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n'
    '<!ENTITY ns_svg "http://www.w3.org/2000/svg">]>\n'
    '<svg xmlns="&ns_svg;" width="10" height="10"><rect width="10" height="10"/></svg>'
)


def _inspect(tmp_path, data: bytes, suffix: str):
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(data)
    return inspect_upload(path, max_bytes=100 * MB)


def _refusal(tmp_path, data: bytes, suffix: str) -> FileRejectedError:
    with pytest.raises(FileRejectedError) as excinfo:
        _inspect(tmp_path, data, suffix)
    return excinfo.value


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    return edit_package(data, {}, added={name: content})


def _utf16_with_dtd() -> bytes:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")


DTD_CASES = {
    "external entity over http": (lambda: docx_xxe("http://127.0.0.1:9/xxe"), ".docx"),
    "external entity reading a local file": (lambda: docx_xxe("file:///etc/passwd"), ".docx"),
    "billion laughs": (docx_billion_laughs, ".docx"),
    "doctype in a relationships part": (
        lambda: edit_package(ordinary_docx(), {DOCUMENT_RELS: lambda xml: xml.replace("?>", "?><!DOCTYPE r>", 1)}),
        ".docx",
    ),
    "doctype in a custom XML part": (
        lambda: _with_part(ordinary_pptx(), "customXml/item9.xml", b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/d"><a/>'),
        ".pptx",
    ),
    "doctype in UTF-16": (lambda: _with_part(ordinary_pptx(), "ppt/extra.xml", _utf16_with_dtd()), ".pptx"),
    "doctype behind a syntax error": (
        # Our parser stops at the error; a lenient one might go on and honour the DTD.
        lambda: _with_part(ordinary_pptx(), "ppt/extra.xml", b'<?xml version="1.0"?>\n<a><</a><!DOCTYPE b>'),
        ".pptx",
    ),
}


@pytest.mark.parametrize("case", list(DTD_CASES), ids=list(DTD_CASES))
def test_a_doctype_or_entities_in_any_xml_part_is_refused(tmp_path, case):
    build, suffix = DTD_CASES[case]
    error = _refusal(tmp_path, build(), suffix)
    assert error.code == "office_dtd"
    assert "Save it again from PowerPoint or Word, or export it as PDF" in error.messages[0]


def test_an_svg_picture_with_a_doctype_is_refused_with_advice_about_the_picture(tmp_path):
    error = _refusal(tmp_path, _with_part(ordinary_pptx(), "ppt/media/image9.svg", ILLUSTRATOR_SVG.encode()), ".pptx")
    assert error.code == "office_dtd"
    assert "Replace it with a PNG picture" in error.messages[0]


EMBEDDED_CASES = {
    "embedded OLE object": (pptx_embedded_ole, ".pptx"),
    "ActiveX control": (docx_activex, ".docx"),
    "a document embedded as a package on a slide": (
        lambda: edit_package(
            ordinary_pptx(),
            {
                SLIDE_RELS: lambda xml: xml.replace(
                    "</Relationships>",
                    f'<Relationship Id="rIdPkg" Type="{REL}package" Target="../embeddings/Doc1.docx"/></Relationships>',
                )
            },
            added={"ppt/embeddings/Doc1.docx": ordinary_docx()},
        ),
        ".pptx",
    ),
    "Windows executable among the pictures": (
        lambda: _with_part(ordinary_pptx(), "ppt/media/image7.png", b"MZ\x90\x00" + bytes(200)),
        ".pptx",
    ),
    "Linux executable": (
        lambda: _with_part(ordinary_docx(), "word/media/tool", b"\x7fELF\x02\x01" + bytes(60)),
        ".docx",
    ),
    "file named .exe": (lambda: _with_part(ordinary_docx(), "word/media/setup.exe", b"harmless bytes"), ".docx"),
    "macro workbook hidden inside": (
        lambda: _with_part(ordinary_pptx(), "ppt/media/book.xlsm", b"PK\x03\x04 not really"),
        ".pptx",
    ),
    "part in the ActiveX folder": (
        lambda: _with_part(ordinary_docx(), "word/activeX/activeX1.bin", b"\x00\x01 state"),
        ".docx",
    ),
}


@pytest.mark.parametrize("case", list(EMBEDDED_CASES), ids=list(EMBEDDED_CASES))
def test_embedded_objects_controls_and_executables_are_refused(tmp_path, case):
    build, suffix = EMBEDDED_CASES[case]
    error = _refusal(tmp_path, build(), suffix)
    assert error.code == "office_embedded_objects"
    assert "Replace each object with a picture of it" in error.messages[0]


def test_an_imported_html_chunk_is_refused(tmp_path):
    html = '<html><body><p>Imported</p><img src="http://127.0.0.1:9/chunk.png"></body></html>'
    error = _refusal(tmp_path, docx_alt_chunk(html), ".docx")
    assert error.code == "office_alt_chunk"
    assert "Open it in Word and save it again" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ppt/slides/_rels/slide1.xml.rels", b"<Relationships><Relationship Id="),  # cut off
        ("ppt/extra.xml", b'<?xml version="1.0" encoding="ISO-2022-JP"?><a/>'),
        ("ppt/extra2.xml", b"\x4c\x6f\xa7\x94\x93\x40"),  # "<?xml" in EBCDIC
    ],
    ids=["relationships that do not parse", "an encoding OPC does not allow", "EBCDIC"],
)
def test_parts_the_checks_cannot_read_as_the_converter_would_are_refused_as_damaged(tmp_path, name, content):
    data = edit_package(ordinary_pptx(), {name: content}) if name.endswith(".rels") else None
    data = data or _with_part(ordinary_pptx(), name, content)
    assert _refusal(tmp_path, data, ".pptx").code == "office_damaged"


def test_ordinary_files_with_a_chart_a_picture_and_links_are_accepted(tmp_path):
    # python-pptx's chart keeps its data as an embedded workbook: the one embedding that is allowed.
    assert _inspect(tmp_path, ordinary_pptx(), ".pptx").kind == "pptx"
    assert _inspect(tmp_path, ordinary_docx(), ".docx").kind == "docx"


def test_a_part_that_is_not_well_formed_is_left_to_the_converter(tmp_path):
    # Not a policy matter: LibreOffice fails on it and the version says so (test_conversion_pipeline).
    data = edit_package(ordinary_docx(), {DOCUMENT: b"<w:document><unclosed>"})
    assert _inspect(tmp_path, data, ".docx").kind == "docx"


def test_a_relationships_part_listing_more_than_any_document_has_is_refused_before_it_costs_memory(tmp_path):
    many = "".join(f'<Relationship Id="r{n}" Type="{REL}image" Target="../media/image1.png"/>' for n in range(10_001))
    data = edit_package(
        ordinary_pptx(), {SLIDE_RELS: lambda xml: xml.replace("</Relationships>", many + "</Relationships>")}
    )
    assert _refusal(tmp_path, data, ".pptx").code == "office_damaged"


def test_an_xml_part_too_large_to_parse_is_refused(tmp_path, monkeypatch):
    from presentations import office_policy

    monkeypatch.setattr(office_policy, "MAX_XML_PART_BYTES", 1024 * 1024)  # the real limit is 64 MB
    data = _with_part(
        ordinary_pptx(), "ppt/extra.xml", b"<a>" + b"".join(b"<b>%d</b>" % n for n in range(150_000)) + b"</a>"
    )
    error = _refusal(tmp_path, data, ".pptx")
    assert error.code == "office_xml_part_too_large"
    assert "abnormal size" in error.messages[0]
