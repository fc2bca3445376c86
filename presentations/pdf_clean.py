"""Rewrite a PDF with pikepdf (qpdf) into an inert copy: what the portal stores, serves and merges.

Refused and removed. `validation.inspect_upload` runs first and still REFUSES a PDF with JavaScript or
a Launch action where a viewer runs them (document scripts, /OpenAction, page, annotation and form
field actions), or document-level /AA: those files are made to do harm, and the delegate is told to
export a plain PDF. This module is the defence behind it and REFUSES only one more thing, an
executable file attached inside the PDF (code "pdf_executable_attachment"). Everything else it
REMOVES and names (enums.RemovedContent), wherever it sits, including places a viewer is not
expected to look (the upload check's blind spots, e.g. bookmarks):

- attached files: /EmbeddedFiles, /EF in any file specification, /AF, portfolios (/Collection) and
  file attachment annotations;
- JavaScript: the /JavaScript name tree and any dictionary carrying /JS;
- /OpenAction and /AA (automatic actions) everywhere; a destination-only /OpenAction goes silently;
- every action except GoTo, Thread (within the file), URI to http(s)/mailto/tel, the standard
  Named page moves, Hide, SetOCGState and Trans: Launch, GoToR, GoToE, GoToDp and ImportData,
  SubmitForm and ResetForm, Rendition, Movie, Sound, RichMediaExecute and unknown actions;
- URI actions with any other scheme (javascript:, vbscript:, data:, file:, UNC paths, ...);
- multimedia annotations (RichMedia, Movie, Sound, Screen, 3D), XFA forms;
- bytes after the final %%EOF and anything no object refers to: qpdf writes the file from scratch.

Memory: qpdf reads the file as a stream (no mmap) and loads object dictionaries, never page
content or image data, which is copied as it is written, still compressed (a 50 MB deck of 80
photos: 4 MB above the process's baseline, 0.3 s). Only attached files are read, their raw bytes
once (about twice their size, at most the upload limit), and only their first bytes decoded.
"""

import logging
import re
from pathlib import Path

import pikepdf
from django.utils.translation import gettext
from pikepdf import Array, Name, ObjectType

from presentations.enums import RemovedContent as R
from presentations.pdf_inspect import (
    check_embedded_file,
    check_file_specification,
    has_trailing_data,
    hides_zip_archive,
)
from presentations.refusals import FileRejectedError, pdf_damaged

logger = logging.getLogger(__name__)

# A 500-page deck exported from PowerPoint holds a few thousand objects, a long report with many
# links a few tens of thousands. qpdf needs about 3 KB for each object it loads and the walk about
# 60 µs (measured: 90,000 link annotations, 280 MB and 6 s), where millions of tiny objects (which
# fit in 50 MB, in compressed object streams) would exhaust the process.
MAX_INDIRECT_OBJECTS = 100_000
# Dictionaries and arrays visited, direct ones included (fonts' width arrays count too).
MAX_CONTAINERS = 1_500_000
APPENDED_DATA_WARNING = "startxref was more than 1024 bytes before end of file"
_HIGHEST_OBJECT = re.compile(r"highest object number \((\d+)\)")

# Actions that stay inside the document and run nothing.
HARMLESS_ACTIONS = frozenset({"/GoTo", "/Thread", "/Named", "/URI", "/Hide", "/SetOCGState", "/Trans"})
STANDARD_NAMED_ACTIONS = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage", "/GoBack", "/GoForward"})
REMOVED_ACTIONS = {
    "/JavaScript": R.PDF_JAVASCRIPT,
    "/Launch": R.PDF_EXTERNAL_LINKS,
    "/GoToR": R.PDF_EXTERNAL_LINKS,
    "/GoToE": R.PDF_EXTERNAL_LINKS,
    "/GoToDp": R.PDF_EXTERNAL_LINKS,
    "/ImportData": R.PDF_EXTERNAL_LINKS,
    "/SubmitForm": R.PDF_FORM_SUBMISSION,
    "/ResetForm": R.PDF_FORM_SUBMISSION,
    "/Rendition": R.PDF_MEDIA,
    "/Movie": R.PDF_MEDIA,
    "/Sound": R.PDF_MEDIA,
    "/RichMediaExecute": R.PDF_MEDIA,
    "/GoTo3DView": R.PDF_MEDIA,
}
REMOVED_ANNOTATIONS = {
    "/FileAttachment": R.PDF_ATTACHMENTS,
    "/RichMedia": R.PDF_MEDIA,
    "/Movie": R.PDF_MEDIA,
    "/Sound": R.PDF_MEDIA,
    "/Screen": R.PDF_MEDIA,
    "/3D": R.PDF_MEDIA,
}
# Entries of the catalog's /Names dictionary.
REMOVED_NAME_TREES = {
    "/JavaScript": R.PDF_JAVASCRIPT,
    "/EmbeddedFiles": R.PDF_ATTACHMENTS,
    "/AlternatePresentations": R.PDF_MEDIA,
    "/Renditions": R.PDF_MEDIA,
}
WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})
WEB_PREFIXES = ("http://", "https://", "mailto:", "tel:")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")

_CONTAINERS = (ObjectType.dictionary, ObjectType.stream, ObjectType.array)
_DICTIONARIES = (ObjectType.dictionary, ObjectType.stream)


def clean_pdf(source: Path, target: Path) -> list[str]:
    """Write the clean copy of `source` to `target`; return the RemovedContent codes of what was removed.

    Raises FileRejectedError for a PDF qpdf cannot open or write ("pdf_damaged"), one too complex to
    check ("pdf_too_complex"), an executable attached inside it ("pdf_executable_attachment"), or an
    archive hidden in its data that would survive the rewrite ("pdf_hidden_archive").
    """
    source, target = Path(source), Path(target)
    try:
        with pikepdf.open(source, access_mode=pikepdf.AccessMode.stream) as pdf:
            cleaner = _Cleaner(pdf)
            cleaner.walk()
            cleaner.apply()
            # qpdf looks for the PDF's end in the last kilobyte of the file; more appended, it says so.
            appended = any(APPENDED_DATA_WARNING in warning for warning in pdf.get_warnings())
            pdf.save(
                target,
                deterministic_id=True,  # the same upload gives the same bytes, hence the same SHA-256
                # Copy stream data as it is: decoding would inflate a Flate bomb; qpdf still
                # compresses streams that had no filter.
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                encryption=False,
            )
    except FileRejectedError:
        raise
    except Exception as exc:
        # qpdf reports broken input as PdfError (and a few others): the file cannot be trusted.
        logger.info("PDF could not be rewritten: %s: %s", type(exc).__name__, exc)
        raise pdf_damaged() from exc
    if hides_zip_archive(target):
        raise FileRejectedError(
            gettext(
                "This PDF hides another file (an archive) inside its data, which is not accepted. "
                "Export or print it again as a plain PDF and upload the new file."
            ),
            code="pdf_hidden_archive",
        )
    found = cleaner.found
    if appended or has_trailing_data(source):
        found[R.PDF_TRAILING_DATA.value] = None
    return list(found)


def _too_complex() -> FileRejectedError:
    return FileRejectedError(
        gettext(
            "This PDF is built from too many parts to be checked. "
            "Export or print it again as a plain PDF and upload the new file."
        ),
        code="pdf_too_complex",
    )


def _name(value) -> str | None:
    return str(value) if isinstance(value, Name) else None


def _type(value) -> ObjectType | None:
    # pikepdf hands numbers and booleans back as Python values, without a type code.
    return getattr(value, "_type_code", None)


def _is_dictionary(value) -> bool:
    return _type(value) in _DICTIONARIES


def uri_codes(uri) -> list[str]:
    """What removing this URI action would be named as; [] if it is an ordinary web or mail link."""
    try:
        text = str(uri)
    except Exception:
        return [R.PDF_EXTERNAL_LINKS.value]
    if text[:8].lower().startswith(WEB_PREFIXES):
        return []
    # Browsers drop spaces, tabs, newlines and controls inside a scheme ("java\tscript:"): so does this.
    squeezed = _INVISIBLE.sub("", text).lower()
    match = _SCHEME.match(squeezed)
    if match:
        scheme = match.group(1)
        if scheme in WEB_SCHEMES:
            return []
        return [R.PDF_SCRIPT_LINKS.value if scheme in SCRIPT_SCHEMES else R.PDF_EXTERNAL_LINKS.value]
    if squeezed.startswith(("www.", "#")):
        return []
    # A path, a UNC share (\\host\share) or a relative name resolves to a file next to the PDF.
    return [R.PDF_EXTERNAL_LINKS.value]


def action_codes(action, *, in_action_slot: bool) -> list[str]:
    """Codes of what is removed if `action` is dangerous; [] if it stays.

    `in_action_slot`: the dictionary sits where a viewer runs an action (/A, /Next, /OpenAction,
    /AA), so an unknown action type is removed too. Elsewhere only the unmistakable ones count.
    """
    if not _is_dictionary(action):
        return []  # a destination, or nothing
    codes = []
    if "/JS" in action:
        codes.append(R.PDF_JAVASCRIPT.value)
    kind = _name(action.get("/S"))
    if kind == "/URI":
        codes += uri_codes(action.get("/URI"))
    elif kind == "/Named":
        if _name(action.get("/N")) not in STANDARD_NAMED_ACTIONS:
            codes.append(R.PDF_OTHER_ACTIONS.value)
    elif kind == "/Thread":
        if action.get("/F") is not None:  # an article in another file
            codes.append(R.PDF_EXTERNAL_LINKS.value)
    elif kind in REMOVED_ACTIONS:
        codes.append(REMOVED_ACTIONS[kind].value)
    elif (
        kind not in HARMLESS_ACTIONS
        and kind is not None
        and (in_action_slot or _name(action.get("/Type")) == "/Action")
    ):
        codes.append(R.PDF_OTHER_ACTIONS.value)
    return codes


class _Cleaner:
    """Walks every object once, notes what to take out, then takes it out (apply)."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.found: dict[str, None] = {}  # codes in the order found
        self.containers = 0
        self.deletions: list[tuple[pikepdf.Object, str]] = []
        self.clears: list[pikepdf.Object] = []
        self.annotation_holders: list[pikepdf.Object] = []
        self.action_lists: list[pikepdf.Object] = []  # actions whose /Next is an array
        self.embedded_streams: list[pikepdf.Object] = []

    def note(self, *codes: str) -> None:
        for code in codes:
            self.found[str(code)] = None

    def walk(self) -> None:
        # Counted from the cross-reference table before qpdf loads any object (pdf.objects loads all).
        # qpdf warns when the trailer's /Size understates the highest object number.
        size = self.pdf.trailer.get("/Size")
        highest = [int(m.group(1)) for w in self.pdf.get_warnings() if (m := _HIGHEST_OBJECT.search(w))]
        if max([size if isinstance(size, int) else 0, *highest]) > MAX_INDIRECT_OBJECTS:
            raise _too_complex()
        self._walk_from(self.pdf.trailer)
        for obj in self.pdf.objects:
            # Every indirect object is a root here, reachable or not: an action cannot hide in a
            # place nobody looks. Indirect children are skipped below: they are roots themselves.
            if _type(obj) in _CONTAINERS:
                self._walk_from(obj)

    def _walk_from(self, root: pikepdf.Object) -> None:
        pending = [root]
        while pending:
            obj = pending.pop()
            self.containers += 1
            if self.containers > MAX_CONTAINERS:
                raise _too_complex()
            children = obj if _type(obj) == ObjectType.array else self._inspect(obj)
            for child in children:
                if _type(child) in _CONTAINERS and not child.is_indirect:
                    pending.append(child)

    def _inspect(self, obj: pikepdf.Object) -> list[pikepdf.Object]:
        """Note what to remove from one dictionary (or stream dictionary); return its values."""
        codes = action_codes(obj, in_action_slot=False)
        if codes:
            self.note(*codes)
            if "/S" in obj:
                self.clears.append(obj)  # an action: nothing of it stays
            else:
                self.deletions.append((obj, "/JS"))
        annotation = REMOVED_ANNOTATIONS.get(_name(obj.get("/Subtype")))
        if annotation is not None:
            self.note(annotation.value)
            self.clears.append(obj)
        if _type(obj) == ObjectType.stream and _name(obj.get("/Type")) == "/EmbeddedFile":
            check_embedded_file(obj)
            self.note(R.PDF_ATTACHMENTS.value)
            self.embedded_streams.append(obj)

        values = []
        for key in list(obj.keys()):
            value = obj.get(key)
            if value is None:
                continue
            values.append(value)
            self._inspect_entry(obj, key, value)
        return values

    def _inspect_entry(self, obj: pikepdf.Object, key: str, value: pikepdf.Object) -> None:
        if key == "/OpenAction":
            codes = action_codes(value, in_action_slot=True)
            if codes or (_is_dictionary(value) and (_name(value.get("/S")) != "/GoTo" or "/Next" in value)):
                self.note(R.PDF_OPEN_ACTION.value, *codes)
            self.deletions.append((obj, key))  # a plain "open at this page" goes silently
        elif key == "/AA":
            if _is_dictionary(value) and len(value.keys()) > 0:
                self.note(R.PDF_OPEN_ACTION.value)
                for action in value.values():
                    self.note(*action_codes(action, in_action_slot=True))
            self.deletions.append((obj, key))
        elif key == "/A":
            codes = action_codes(value, in_action_slot=True)
            if codes:
                self.note(*codes)
                self.deletions.append((obj, key))
        elif key == "/Next" and "/S" in obj:  # (an outline item's /Next is its next sibling)
            if _type(value) == ObjectType.array:
                for action in value:
                    self.note(*action_codes(action, in_action_slot=True))
                self.action_lists.append(obj)
            elif codes := action_codes(value, in_action_slot=True):
                self.note(*codes)
                self.deletions.append((obj, key))
        elif key == "/EF":
            check_file_specification(obj, value)
            self.note(R.PDF_ATTACHMENTS.value)
            self.deletions.append((obj, key))
        elif key in ("/AF", "/RF", "/Collection", "/NeedsRendering"):
            # Associated and related files, portfolios: the files themselves are /EF, named above.
            self.deletions.append((obj, key))
        elif key == "/XFA":
            self.note(R.PDF_XFA_FORM.value)
            self.deletions.append((obj, key))
        elif key == "/Names" and _is_dictionary(value):
            for tree, code in REMOVED_NAME_TREES.items():
                if tree in value:
                    self.note(code.value)
                    self.deletions.append((value, tree))
        elif key == "/Annots" and _type(value) == ObjectType.array:
            self.annotation_holders.append(obj)

    def apply(self) -> None:
        for obj, key in self.deletions:
            if key in obj:
                del obj[key]
        for obj in self.clears:
            for key in list(obj.keys()):
                del obj[key]
        for stream in self.embedded_streams:
            stream.write(b"")  # in case something unusual still refers to it
        # Actions and annotations emptied above leave the lists that named them.
        for action in self.action_lists:
            if _type(action.get("/Next")) == ObjectType.array:
                action.Next = Array(_kept(action.Next, lambda a: not action_codes(a, in_action_slot=True)))
        for holder in self.annotation_holders:
            if _type(holder.get("/Annots")) == ObjectType.array:
                kept = _kept(holder.Annots)
                if len(kept) != len(holder.Annots):
                    holder.Annots = Array(kept)


def _kept(items, keep=lambda item: True) -> list:
    return [item for item in items if not (_is_dictionary(item) and len(item.keys()) == 0) and keep(item)]
