"""The inert copy of an accepted PPTX/DOCX (presentations/office_clean.py, office_rewrite.py).

Each hostile file is an ordinary document with one thing pointing outside it; the copy must lose
exactly that (the relationship and the attribute or element naming it), keep every other part byte
for byte, and still open in python-pptx/python-docx and pass the upload checks again.
"""

import io
import tracemalloc
import xml.etree.ElementTree as ElementTree
import zipfile

import docx
import pptx
import pytest

from presentations.office_clean import clean_office
from presentations.office_rewrite import MAX_FIELD_BUFFER_CHARS, PartRewriter, field_removal
from presentations.validation import inspect_upload
from tests.office_files import (
    DOCUMENT,
    DOCUMENT_RELS,
    HTTPS_LINK,
    REL,
    SETTINGS,
    SETTINGS_RELS,
    SLIDE,
    SLIDE_RELS,
    docx_field,
    docx_hyperlink,
    docx_includepicture,
    docx_remote_template,
    edit_package,
    ordinary_docx,
    ordinary_pptx,
    parts,
    pptx_external_media,
    pptx_external_ole_link,
    pptx_external_picture,
    pptx_hyperlink,
)

EXTERNAL = "office_external_content"
LOCAL = "office_local_links"
URL = "http://127.0.0.1:9/canary.png"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _clean(tmp_path, data: bytes, kind: str) -> tuple[list[str], bytes]:
    source, target = tmp_path / f"in.{kind}", tmp_path / f"out.{kind}"
    source.write_bytes(data)
    removed = clean_office(source, target, kind=kind)
    inspect_upload(target, max_bytes=100 * 1024 * 1024)  # the copy passes the upload checks too
    return removed, target.read_bytes()


def _changed(before: bytes, after: bytes) -> set[str]:
    old, new = parts(before), parts(after)
    assert list(old) == list(new), "same entries, same order"
    return {name for name in old if old[name] != new[name]}


def _targets(data: bytes, rels_part: str) -> list[str]:
    root = ElementTree.fromstring(parts(data)[rels_part])
    return [rel.get("Target") for rel in root.iter(f"{RELS_NS}Relationship")]


HOSTILE_TARGETS = (URL, "file:", "\\\\", "../../secret")
CASES = {
    "linked picture": (pptx_external_picture(URL), "pptx", EXTERNAL, SLIDE_RELS, SLIDE, 'r:link="'),
    "linked OLE object": (pptx_external_ole_link(URL), "pptx", EXTERNAL, SLIDE_RELS, SLIDE, 'r:id="rIdOle"'),
    "linked video": (pptx_external_media(URL), "pptx", EXTERNAL, SLIDE_RELS, SLIDE, "<a:videoFile"),
    "linked sound": (pptx_external_media(URL, "audio"), "pptx", EXTERNAL, SLIDE_RELS, SLIDE, "<a:audioFile"),
    "file: hyperlink": (pptx_hyperlink("file:///etc/passwd"), "pptx", LOCAL, SLIDE_RELS, SLIDE, "hlinkClick r:id"),
    "UNC hyperlink": (docx_hyperlink("\\\\127.0.0.1\\share\\a.docx"), "docx", LOCAL, DOCUMENT_RELS, DOCUMENT, "r:id="),
    "relative path hyperlink": (docx_hyperlink("../../secret.docx"), "docx", LOCAL, DOCUMENT_RELS, DOCUMENT, "r:id="),
    "remote template": (docx_remote_template(URL), "docx", EXTERNAL, SETTINGS_RELS, SETTINGS, "attachedTemplate"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_what_points_outside_is_removed_and_nothing_else_changes(tmp_path, case):
    data, kind, code, rels_part, source_part, reference = CASES[case]
    assert reference in parts(data)[source_part].decode()

    removed, clean = _clean(tmp_path, data, kind)

    assert removed == [code]
    assert _changed(data, clean) == {rels_part, source_part}
    gone = [target for target in _targets(data, rels_part) if target not in _targets(clean, rels_part)]
    assert gone == [target for target in _targets(data, rels_part) if target.startswith(HOSTILE_TARGETS)]
    assert len(gone) == 1
    assert reference not in parts(clean)[source_part].decode()
    # The rest of the part is as it was: the same elements, fewer attributes at most.
    assert parts(clean)[rels_part].startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
    assert (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        in parts(clean)[rels_part]
    )
    opened = pptx.Presentation(io.BytesIO(clean)) if kind == "pptx" else docx.Document(io.BytesIO(clean))
    assert opened is not None


def test_a_linked_picture_keeps_its_embedded_copy(tmp_path):
    # PowerPoint's "link and embed": the picture is in the file and named from outside too.
    data = ordinary_pptx()
    embed = parts(data)[SLIDE].decode().split('r:embed="', 1)[1].split('"', 1)[0]
    hostile = edit_package(
        data,
        {
            SLIDE: lambda xml: xml.replace(f'r:embed="{embed}"', f'r:embed="{embed}" r:link="rIdLink"'),
            SLIDE_RELS: lambda xml: xml.replace(
                "</Relationships>",
                f'<Relationship Id="rIdLink" Type="{REL}image" Target="{URL}" TargetMode="External"/></Relationships>',
            ),
        },
    )
    removed, clean = _clean(tmp_path, hostile, "pptx")
    slide = parts(clean)[SLIDE].decode()
    assert removed == [EXTERNAL]
    assert f'<a:blip r:embed="{embed}"/>' in slide
    assert "rIdLink" not in slide


def test_relationships_of_the_package_and_of_custom_xml_are_read_too(tmp_path):
    hostile = edit_package(
        ordinary_docx(),
        {
            "_rels/.rels": lambda xml: xml.replace(
                "</Relationships>",
                f'<Relationship Id="rIdX" Type="{REL}image" Target="{URL}" TargetMode="External"/></Relationships>',
            ),
            # Internal by mode, but naming a URL: treated as leaving the package.
            "customXml/_rels/item1.xml.rels": lambda xml: xml.replace(
                "</Relationships>",
                f'<Relationship Id="rIdY" Type="{REL}image" Target="\\\\host\\x.png"/></Relationships>',
            ),
        },
    )
    removed, clean = _clean(tmp_path, hostile, "docx")
    assert removed == [EXTERNAL, EXTERNAL]
    assert _changed(hostile, clean) == {"_rels/.rels", "customXml/_rels/item1.xml.rels"}
    assert URL not in parts(clean)["_rels/.rels"].decode()


def test_ordinary_files_are_copied_unchanged(tmp_path):
    for data, kind in ((ordinary_pptx(), "pptx"), (ordinary_docx(), "docx")):
        removed, clean = _clean(tmp_path, data, kind)
        assert removed == []
        assert _changed(data, clean) == set()
        assert HTTPS_LINK.replace("&amp;", "&") in " ".join(
            target for name in parts(clean) if name.endswith(".rels") for target in _targets(clean, name)
        )
        with zipfile.ZipFile(io.BytesIO(clean)) as archive:
            assert {entry.compress_type for entry in archive.infolist()} == {zipfile.ZIP_DEFLATED}


def test_includepicture_loses_its_code_and_keeps_its_result(tmp_path):
    data = docx_includepicture(URL)
    removed, clean = _clean(tmp_path, data, "docx")
    document = parts(clean)[DOCUMENT].decode()
    assert removed == [EXTERNAL]
    assert _changed(data, clean) == {DOCUMENT}
    assert "INCLUDEPICTURE" not in document
    assert "127.0.0.1" not in document
    assert "Cached picture text" in document
    assert "Before the field." in document


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (f'INCLUDEPICTURE "{URL}" \\* MERGEFORMATINET', EXTERNAL),
        (f'includepicture "{URL}"', EXTERNAL),
        ('INCLUDETEXT "\\\\\\\\host\\\\share\\\\a.docx"', EXTERNAL),
        ('LINK Excel.Sheet.12 "C:\\\\data.xlsx" "Sheet1!R1C1" \\a', EXTERNAL),
        ('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"', EXTERNAL),
        ('HYPERLINK "file:///c:/x.doc"', LOCAL),
        ('HYPERLINK "\\\\\\\\host\\\\share"', LOCAL),
        ('HYPERLINK \\o "a tip" "smb://host/share"', LOCAL),
        ('HYPERLINK "https://example.org/link"', None),
        ('HYPERLINK "mailto:secretariat@example.org"', None),
        ('HYPERLINK \\l "_Toc1234"', None),
        ("PAGE \\* MERGEFORMAT", None),
        ("TOC \\o 1-3 \\h", None),
        ("", None),
    ],
)
def test_which_field_codes_are_emptied(code, expected):
    assert field_removal(code) == expected


def _rewrite(xml: str, **options) -> tuple[list[str], str]:
    out: list[str] = []
    removed = PartRewriter(out.append, **{"removed_ids": frozenset(), "fields": True, **options}).rewrite(
        [xml.encode()[i : i + 7] for i in range(0, len(xml.encode()), 7)]  # tiny chunks: splits everywhere
    )
    return removed, "".join(out)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _field(*runs: str) -> str:
    return f"<w:p {W}>" + "".join(runs) + "</w:p>"


def _char(kind: str) -> str:
    return f'<w:r><w:fldChar w:fldCharType="{kind}"/></w:r>'


def _instr(text: str) -> str:
    return f'<w:r><w:instrText xml:space="preserve">{text}</w:instrText></w:r>'


def test_a_field_named_through_a_nested_field_result_is_caught():
    # { {QUOTE "INCLUDE"}PICTURE "url" }: Word builds the outer code from the nested field's result.
    xml = _field(
        _char("begin"),
        _char("begin"),
        _instr('QUOTE "INCLUDE"'),
        _char("separate"),
        "<w:r><w:t>INCLUDE</w:t></w:r>",
        _char("end"),
        _instr(f'PICTURE "{URL}"'),
        _char("separate"),
        "<w:r><w:t>Result</w:t></w:r>",
        _char("end"),
    )
    removed, out = _rewrite(xml)
    assert removed == [EXTERNAL]
    assert URL not in out
    assert "QUOTE" not in out
    assert "<w:t>Result</w:t>" in out


def test_a_harmless_field_with_a_nested_field_is_kept_exactly():
    xml = _field(_char("begin"), _instr("IF "), _char("begin"), _instr("PAGE"), _char("end"), _instr(' = 1 "one"'))
    xml = xml[: -len("</w:p>")] + _char("separate") + "<w:r><w:t>one</w:t></w:r>" + _char("end") + "</w:p>"
    removed, out = _rewrite(xml)
    assert removed == []
    assert ElementTree.canonicalize(out) == ElementTree.canonicalize(xml)


def test_a_simple_field_is_emptied_too():
    removed, out = _rewrite(
        f'<w:p {W}><w:fldSimple w:instr=" INCLUDEPICTURE {URL} "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>'
    )
    assert removed == [EXTERNAL]
    assert 'w:instr=""' in out
    assert "<w:t>x</w:t>" in out


def test_a_field_code_past_the_buffer_limit_is_emptied_without_holding_it():
    filler = "x" * (MAX_FIELD_BUFFER_CHARS + 10)
    removed, out = _rewrite(_field(_char("begin"), _instr("QUOTE " + filler), _instr(" more"), _char("end")))
    assert removed == [EXTERNAL]
    assert filler not in out
    assert "more" not in out


def test_the_rewrite_keeps_prefixes_comments_instructions_and_escapes():
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<p:sld xmlns:p="urn:p" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<!-- a comment --><?mso-application progid?>"
        '<p:a r:id="rId1" note="tab&#9;line&#10;quote&quot;amp&amp;lt&lt;"/>'
        '<p:b r:link="rId2" r:embed="rId3">text &amp; &lt;tags&gt; cr&#13;</p:b>'
        "<p:c><![CDATA[<raw>]]></p:c><p:empty></p:empty></p:sld>"
    )
    removed, out = _rewrite(xml, removed_ids=frozenset({"rId2"}), fields=False)
    assert removed == []
    assert out.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
    expected = xml.replace(' r:link="rId2"', "")
    assert ElementTree.canonicalize(out, with_comments=True) == ElementTree.canonicalize(expected, with_comments=True)
    for kept in ("<p:sld ", "<!-- a comment -->", "<?mso-application progid?>", 'r:embed="rId3"'):
        assert kept in out


def test_a_large_package_is_cleaned_in_bounded_memory(tmp_path):
    # 40 MB of incompressible media and a linked picture: the media is streamed, never held whole.
    import os

    data = edit_package(pptx_external_picture(URL), {}, added={"ppt/media/big.bin": os.urandom(40 * 1024 * 1024)})
    source = tmp_path / "in.pptx"
    source.write_bytes(data)
    del data
    tracemalloc.start()
    try:
        removed = clean_office(source, tmp_path / "out.pptx", kind="pptx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert removed == [EXTERNAL]
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_hyperlink_fields_to_files_are_emptied_and_web_ones_kept(tmp_path):
    removed, clean = _clean(tmp_path, docx_field('HYPERLINK "file:///c:/secret.doc"', result="Secret"), "docx")
    assert removed == [LOCAL]
    assert "secret.doc" not in parts(clean)[DOCUMENT].decode()
    web = docx_field('HYPERLINK "https://www.example.org/"', result="Site")
    removed, clean = _clean(tmp_path, web, "docx")
    assert removed == []
    assert _changed(web, clean) == set()


def test_fields_nested_deeper_than_any_document_are_refused_as_damaged(tmp_path):
    from presentations.refusals import FileRejectedError

    data = edit_package(
        ordinary_docx(), {DOCUMENT: lambda xml: xml.replace("<w:sectPr", _char("begin") * 100 + "<w:sectPr", 1)}
    )
    source = tmp_path / "in.docx"
    source.write_bytes(data)
    with pytest.raises(FileRejectedError) as excinfo:
        clean_office(source, tmp_path / "out.docx", kind="docx")
    assert excinfo.value.code == "office_damaged"
