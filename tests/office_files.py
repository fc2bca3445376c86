"""PPTX and DOCX files for the neutralising tests, built here: ordinary ones with python-pptx and
python-docx, and hostile ones made by editing those packages the way an attacker would (external
relationships, DTDs, embedded objects, field codes). No binary fixture is committed.
"""

import io
import zipfile
from collections.abc import Callable

import docx
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = R_NS + "/"
EXTERNAL = ' TargetMode="External"'
HYPERLINK_TEXT = "Workshop website"
HTTPS_LINK = "https://www.example.org/workshop?lang=en&amp;day=2"


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def edit_package(
    data: bytes, edits: dict[str, Callable[[str], str] | bytes], added: dict[str, bytes] | None = None
) -> bytes:
    """A copy of the package with parts rewritten (by a function of their text, or with new bytes) and parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info)
            edit = edits.get(info.filename)
            if callable(edit):
                content = edit(content.decode("utf-8")).encode("utf-8")
            elif edit is not None:
                content = edit
            new.writestr(info.filename, content)
        for name, content in (added or {}).items():
            new.writestr(name, content)
    return out.getvalue()


def read_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _add_relationship(rels: str, rel_id: str, rel_type: str, target: str, external: bool = True) -> str:
    mode = EXTERNAL if external else ""
    return rels.replace(
        "</Relationships>", f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"{mode}/></Relationships>'
    )


def _add_content_type(types: str, xml: str) -> str:
    return types.replace("</Types>", xml + "</Types>")


# --- Ordinary files -------------------------------------------------------------------------------


def ordinary_pptx(title: str = "Regional cooperation in practice") -> bytes:
    """Two slides, a picture, a chart and an ordinary https hyperlink: what a delegate sends."""
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = title
    slide.shapes.add_picture(io.BytesIO(png_bytes()), Inches(1), Inches(2), Inches(2), Inches(2))
    box = slide.shapes.add_textbox(Inches(4), Inches(2), Inches(5), Inches(1))
    run = box.text_frame.paragraphs[0].add_run()
    run.text = HYPERLINK_TEXT
    run.hyperlink.address = HTTPS_LINK.replace("&amp;", "&")
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Lessons learned"
    # A native chart: PowerPoint keeps its data as an embedded workbook, the one embedding allowed.
    data = CategoryChartData()
    data.categories = ["2010", "2011", "2012"]
    data.add_series("Joint projects", (4, 7, 9))
    second.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def ordinary_docx(heading: str = "Country report on technical cooperation") -> bytes:
    """A heading, text in three scripts and an ordinary https hyperlink."""
    document = docx.Document()
    document.add_heading(heading, level=1)
    paragraph = document.add_paragraph("Казахстан, كازاخستان, and their partners. See ")
    rel_id = document.part.relate_to(HTTPS_LINK.replace("&amp;", "&"), REL + "hyperlink", is_external=True)
    paragraph._p.append(paragraph._p.makeelement(f"{{{docx.oxml.ns.nsmap['w']}}}hyperlink", {f"{{{R_NS}}}id": rel_id}))
    link = paragraph._p[-1]
    run = link.makeelement(docx.oxml.ns.qn("w:r"), {})
    text = run.makeelement(docx.oxml.ns.qn("w:t"), {})
    text.text = HYPERLINK_TEXT
    run.append(text)
    link.append(run)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- PPTX with something pointing outside ---------------------------------------------------------

SLIDE = "ppt/slides/slide1.xml"
SLIDE_RELS = "ppt/slides/_rels/slide1.xml.rels"


def _picture_rel_id(data: bytes) -> str:
    rels = read_part(data, SLIDE_RELS)
    start = rels.index('Type="' + REL + 'image"')
    tag_start = rels.rindex("<Relationship ", 0, start)
    return rels[tag_start:].split('Id="', 1)[1].split('"', 1)[0]


def pptx_external_picture(url: str) -> bytes:
    """The slide's picture is not in the file: `r:link` names an external image relationship."""
    data = ordinary_pptx("A deck whose picture is on a server")
    rel_id = _picture_rel_id(data)
    return edit_package(
        data,
        {
            SLIDE: lambda xml: xml.replace(f'r:embed="{rel_id}"', f'r:link="{rel_id}"'),
            SLIDE_RELS: lambda xml: xml.replace('Target="../media/image1.png"', f'Target="{url}"{EXTERNAL}'),
        },
    )


def _ole_frame(rel_id: str, picture: str, *, linked: bool) -> str:
    """A graphic frame holding an OLE object (a spreadsheet) with its picture as the fallback PowerPoint shows."""
    how = '<p:link updateAutomatic="1"/>' if linked else "<p:embed/>"
    return (
        '<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="20" name="Sheet"/><p:cNvGraphicFramePr/><p:nvPr/>'
        '</p:nvGraphicFramePr><p:xfrm><a:off x="914400" y="4114800"/><a:ext cx="1828800" cy="914400"/></p:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole">'
        f'<p:oleObj name="Worksheet" r:id="{rel_id}" imgW="1828800" imgH="914400" progId="Excel.Sheet.12">'
        f'{how}<p:pic><p:nvPicPr><p:cNvPr id="0" name=""/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>'
        f'<p:blipFill><a:blip r:embed="{picture}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
        '<p:spPr><a:xfrm><a:off x="914400" y="4114800"/><a:ext cx="1828800" cy="914400"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic></p:oleObj></a:graphicData></a:graphic>'
        "</p:graphicFrame>"
    )


def pptx_external_ole_link(url: str) -> bytes:
    """A linked (not embedded) OLE object: a spreadsheet named by URL, with its picture as fallback."""
    data = ordinary_pptx("A deck with a linked spreadsheet")
    frame = _ole_frame("rIdOle", _picture_rel_id(data), linked=True)
    return edit_package(
        data,
        {
            SLIDE: lambda xml: xml.replace("</p:spTree>", frame + "</p:spTree>"),
            SLIDE_RELS: lambda xml: _add_relationship(xml, "rIdOle", REL + "oleObject", url),
        },
    )


def pptx_external_media(url: str, kind: str = "video") -> bytes:
    """A picture that plays a video (or sound) fetched from `url` when the slide is shown."""
    data = ordinary_pptx(f"A deck with an external {kind}")
    element = "a:videoFile" if kind == "video" else "a:audioFile"
    return edit_package(
        data,
        {
            SLIDE: lambda xml: xml.replace(
                "<p:nvPr/></p:nvPicPr><p:blipFill>",
                f'<p:nvPr><{element} r:link="rIdMedia"/></p:nvPr></p:nvPicPr><p:blipFill>',
                1,
            ),
            SLIDE_RELS: lambda xml: _add_relationship(xml, "rIdMedia", REL + kind, url),
        },
    )


def pptx_hyperlink(target: str) -> bytes:
    """The ordinary deck with its hyperlink pointed at `target` (a file: URL, a UNC path, ...)."""
    data = ordinary_pptx("A deck with a link to a file")
    return edit_package(data, {SLIDE_RELS: lambda xml: xml.replace(HTTPS_LINK, target)})


def pptx_embedded_ole() -> bytes:
    """An embedded OLE object (a compound file in ppt/embeddings), as PowerPoint stores an inserted object."""
    data = ordinary_pptx("A deck with an embedded object")
    frame = _ole_frame("rIdOle", _picture_rel_id(data), linked=False)
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"MZ\x90\x00 payload"
    return edit_package(
        data,
        {
            SLIDE: lambda xml: xml.replace("</p:spTree>", frame + "</p:spTree>"),
            SLIDE_RELS: lambda xml: _add_relationship(
                xml, "rIdOle", REL + "oleObject", "../embeddings/oleObject1.bin", external=False
            ),
            "[Content_Types].xml": lambda xml: _add_content_type(
                xml,
                '<Override PartName="/ppt/embeddings/oleObject1.bin" '
                'ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>',
            ),
        },
        added={"ppt/embeddings/oleObject1.bin": cfb},
    )


# --- DOCX -----------------------------------------------------------------------------------------

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
SETTINGS = "word/settings.xml"
SETTINGS_RELS = "word/_rels/settings.xml.rels"
EMPTY_RELS = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
)


def docx_remote_template(url: str) -> bytes:
    """word/settings.xml attaches a template fetched from `url` (Word downloads it when the file opens)."""
    data = ordinary_docx("A paper with a remote template")
    rels = _add_relationship(EMPTY_RELS, "rIdTemplate", REL + "attachedTemplate", url)
    return edit_package(
        data,
        {
            SETTINGS: lambda xml: xml.replace(
                "<w:defaultTabStop ", '<w:attachedTemplate r:id="rIdTemplate"/><w:defaultTabStop ', 1
            )
        },
        added={SETTINGS_RELS: rels.encode()},
    )


def _body(extra: str) -> Callable[[str], str]:
    return lambda xml: xml.replace("<w:sectPr", extra + "<w:sectPr", 1)


def docx_field(code: str, result: str = "Picture") -> bytes:
    """A paragraph holding a complex field whose code is `code`, split over two runs as Word does."""
    half = len(code) // 2
    paragraph = (
        '<w:p><w:r><w:t xml:space="preserve">Before the field. </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code[:half]}</w:instrText></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{code[half:]} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{result}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve"> After the field.</w:t></w:r></w:p>'
    )
    return edit_package(ordinary_docx("A paper with a field"), {DOCUMENT: _body(paragraph)})


def docx_includepicture(url: str) -> bytes:
    return docx_field(f'INCLUDEPICTURE "{url}" \\* MERGEFORMATINET', result="Cached picture text")


def docx_hyperlink(target: str) -> bytes:
    """The ordinary paper with its hyperlink pointed at `target`."""
    data = ordinary_docx("A paper with a link to a file")
    return edit_package(data, {DOCUMENT_RELS: lambda xml: xml.replace(HTTPS_LINK, target)})


def docx_with_dtd(internal_subset: str, text: str) -> bytes:
    """word/document.xml with a DOCTYPE declaring `internal_subset`, its body saying `text`."""

    def declare(xml: str) -> str:
        head, _, rest = xml.partition("?>")
        return f"{head}?>\n<!DOCTYPE w:document [{internal_subset}]>{rest}".replace(
            "<w:sectPr", f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p><w:sectPr", 1
        )

    return edit_package(ordinary_docx("A paper with a DTD"), {DOCUMENT: declare})


def docx_xxe(system_id: str) -> bytes:
    return docx_with_dtd(f'<!ENTITY secret SYSTEM "{system_id}">', "&secret;")


def docx_billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)]
    return docx_with_dtd("".join(entities), f"&lol{levels - 1};")


def docx_alt_chunk(html: str) -> bytes:
    """An "alternative format chunk": HTML that Word (and LibreOffice) import into the document."""
    return edit_package(
        ordinary_docx("A paper with an HTML chunk"),
        {
            DOCUMENT: _body('<w:altChunk r:id="rIdChunk"/>'),
            DOCUMENT_RELS: lambda xml: _add_relationship(xml, "rIdChunk", REL + "aFChunk", "chunk.html", False),
            "[Content_Types].xml": lambda xml: _add_content_type(
                xml, '<Override PartName="/word/chunk.html" ContentType="text/html"/>'
            ),
        },
        added={"word/chunk.html": html.encode()},
    )


def docx_activex() -> bytes:
    """An ActiveX control (its persisted state in word/activeX), as a form with a control has."""
    return edit_package(
        ordinary_docx("A paper with a control"),
        {
            DOCUMENT_RELS: lambda xml: _add_relationship(xml, "rIdAx", REL + "control", "activeX/activeX1.xml", False),
            "[Content_Types].xml": lambda xml: _add_content_type(
                xml,
                '<Override PartName="/word/activeX/activeX1.xml" ContentType="application/vnd.ms-office.activeX+xml"/>',
            ),
        },
        added={
            "word/activeX/activeX1.xml": (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<ax:ocx ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistStorage" '
                b'xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>'
            )
        },
    )
