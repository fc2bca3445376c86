"""Hostile PDFs built with pikepdf for the neutralising tests, and an independent check that a PDF is inert.

Every builder starts from a real two-page deck (testkit.files.pdf_bytes) and adds one hostile part.
`inert_problems` does not reuse presentations.pdf_clean: it walks the re-opened file on its own.
"""

import io
import re
import zipfile
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from testkit.files import pdf_bytes, pptx_bytes

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48) + b"This program cannot be run in DOS mode.\r\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
MARKER = "Deck under test"
COLLECT_URL = "http://127.0.0.1:9/collect"

FORBIDDEN_KEYS = {
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/AA",
    "/EmbeddedFiles",
    "/EF",
    "/AF",
    "/XFA",
    "/RichMediaContent",
}
FORBIDDEN_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ResetForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/GoToDp",
    "/Rendition",
    "/Movie",
    "/Sound",
    "/RichMediaExecute",
}
FORBIDDEN_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}
WEB_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def deck(pages: int = 2) -> bytes:
    return pdf_bytes(pages=pages, title=MARKER)


def build(change: Callable[[pikepdf.Pdf], None], *, pages: int = 2) -> bytes:
    """A real deck with `change` applied, saved by pikepdf."""
    with pikepdf.open(io.BytesIO(deck(pages))) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _rect() -> Array:
    return Array([72, 72, 300, 100])


def add_annotation(pdf: pikepdf.Pdf, annotation: Dictionary, page: int = 0) -> None:
    annotation.Type = Name.Annot
    annotation.Rect = _rect()
    target = pdf.pages[page].obj
    if "/Annots" not in target:
        target.Annots = Array()
    target.Annots.append(pdf.make_indirect(annotation))


def link(pdf: pikepdf.Pdf, action: Dictionary, page: int = 0) -> None:
    add_annotation(pdf, Dictionary(Subtype=Name.Link, A=action), page)


def uri(address: str) -> Dictionary:
    return Dictionary(S=Name.URI, URI=String(address))


def attach(pdf: pikepdf.Pdf, data: bytes, name: str) -> None:
    pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, filename=name)


def file_attachment_annotation(pdf: pikepdf.Pdf, data: bytes = b"Speaker notes", name: str = "notes.txt") -> None:
    embedded = pdf.make_stream(data)
    embedded.Type = Name.EmbeddedFile
    spec = Dictionary(Type=Name.Filespec, F=String(name), UF=String(name), EF=Dictionary(F=embedded))
    add_annotation(pdf, Dictionary(Subtype=Name.FileAttachment, FS=spec, Name=Name.PushPin))


def document_javascript(pdf: pikepdf.Pdf) -> None:
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('hello');")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), script])))


def open_action_submit_form(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String(COLLECT_URL)), Flags=4)


def page_additional_actions(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.AA = Dictionary(
        O=uri("http://127.0.0.1:9/opened"), C=Dictionary(S=Name.SubmitForm, F=String(COLLECT_URL))
    )


def javascript_link(pdf: pikepdf.Pdf) -> None:
    link(pdf, uri("  JavaScript:app.alert(document.title)"))
    link(pdf, uri("https://example.org/kept"))


def launch_in_bookmark(pdf: pikepdf.Pdf) -> None:
    # Bookmarks are a place the upload check does not look at.
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Start", 0))
        launch = pikepdf.OutlineItem("Open the calculator")
        launch.action = Dictionary(S=Name.Launch, F=String("C:\\Windows\\System32\\calc.exe"))
        outline.root.append(launch)


def goto_remote(pdf: pikepdf.Pdf) -> None:
    link(pdf, Dictionary(S=Name.GoToR, F=String("\\\\127.0.0.1\\share\\other.pdf"), D=Array([0, Name.Fit])))


def goto_embedded(pdf: pikepdf.Pdf) -> None:
    link(pdf, Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("payload.pdf")), D=Array([0, Name.Fit])))


def import_data(pdf: pikepdf.Pdf) -> None:
    link(pdf, Dictionary(S=Name.ImportData, F=String("answers.fdf")))


def hidden_javascript(pdf: pikepdf.Pdf) -> None:
    # Only reachable through a private key of a page's /PieceInfo: no viewer rule leads there.
    script = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("this.exportDataObject({cName: 'x'});")))
    pdf.pages[1].obj.PieceInfo = Dictionary(Portal=Dictionary(Private=Dictionary(Hidden=script)))


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.sh", "#!/bin/sh\necho owned\n")
    return out.getvalue()


def with_zip() -> bytes:
    return deck() + zip_bytes()


def with_pptx() -> bytes:
    return deck() + pptx_bytes("A second life")


# --- the check --------------------------------------------------------------------------------------


def _walk(pdf: pikepdf.Pdf):
    """Every dictionary (stream dictionaries included) in the file, direct or indirect."""
    pending = [pdf.trailer, *pdf.objects]
    seen: set[tuple[int, int]] = set()
    while pending:
        obj = pending.pop()
        kind = getattr(obj, "_type_code", None)
        if kind not in (pikepdf.ObjectType.dictionary, pikepdf.ObjectType.stream, pikepdf.ObjectType.array):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if kind == pikepdf.ObjectType.array:
            pending.extend(obj)
            continue
        yield obj
        pending.extend(value for _key, value in obj.items())


def inert_problems(data: bytes) -> list[str]:
    """What in this PDF could still act or carry a second file; [] if nothing."""
    problems = []
    end = data.rfind(b"%%EOF")
    if end < 0 or data[end + 5 :].strip(b" \r\n\t\x00"):
        problems.append("bytes after the final %%EOF")
    if b"PK\x03\x04" in data[end:]:
        problems.append("a ZIP after %%EOF")
    if zipfile.is_zipfile(io.BytesIO(data)):
        problems.append("opens as a ZIP archive")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in _walk(pdf):
            problems += [f"key {key}" for key in FORBIDDEN_KEYS if key in obj]
            kind = obj.get("/S")
            if isinstance(kind, Name) and str(kind) in FORBIDDEN_ACTIONS:
                problems.append(f"action {kind}")
            if isinstance(kind, Name) and str(kind) == "/URI" and not WEB_LINK.match(str(obj.get("/URI", ""))):
                problems.append(f"link {obj.get('/URI')}")
            subtype = obj.get("/Subtype")
            if isinstance(subtype, Name) and str(subtype) in FORBIDDEN_ANNOTATIONS:
                problems.append(f"annotation {subtype}")
            if isinstance(obj.get("/Type"), Name) and str(obj.get("/Type")) == "/EmbeddedFile":
                problems.append("an embedded file stream")
    return problems


def web_links(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            str(annotation.A.URI)
            for page in pdf.pages
            for annotation in page.obj.get("/Annots", [])
            if "/A" in annotation and annotation.A.get("/S") == Name.URI
        ]


def all_link_targets(data: bytes) -> list[str]:
    """Every URI action's target anywhere in the file (annotations, bookmarks, anything)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(obj.URI) for obj in _walk(pdf) if obj.get("/S") == Name.URI and "/URI" in obj]
