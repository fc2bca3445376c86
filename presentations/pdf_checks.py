"""The PDF half of the upload check (validation.inspect_upload calls inspect_pdf).

pypdf opens the file and walks its whole page tree, so damaged, truncated or disguised files fail
here rather than later in conversion or in a delegate's viewer; then the policy: no password, at most
MAX_PDF_PAGES pages, no JavaScript or launch actions where a viewer would run them.

Why pypdf here and pikepdf (qpdf) in pdf_clean.py: this check only reads object dictionaries and
never decodes a stream, which pypdf does lazily from an open file, cheaply and without a native
library. pdf_clean.py has to rewrite the whole file into an inert copy, which needs qpdf's writer;
it runs after this check and walks the document with its own (pikepdf) walker.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from presentations.refusals import FileRejectedError, pdf_damaged, reject

# A workshop presentation is rarely over 100 pages; 500 leaves room for annexes while keeping
# thumbnails, conversion and page-by-page checks bounded.
MAX_PDF_PAGES = 500
# An action chain (/Next) or form-field tree longer than this is not something a real PDF contains.
MAX_PDF_OBJECTS_WALKED = 10_000
PDF_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Launch"})


def inspect_pdf(path: Path) -> int:
    """Open the PDF, walk its page tree and look for scripts; return the number of pages."""
    try:
        # An open file rather than the path: given a path, pypdf first copies the whole file into memory.
        with path.open("rb") as fh:
            reader = PdfReader(fh, strict=False)
            page_count = _check_pages(reader)
            has_scripts = _pdf_has_scripts(reader)
    except FileRejectedError:
        raise
    except Exception as exc:
        # pypdf signals broken input with many exception types (PdfReadError, ValueError, KeyError,
        # RecursionError on reference cycles, ...): any of them means the file cannot be trusted.
        raise pdf_damaged() from exc
    if has_scripts:
        raise reject(
            "pdf_scripts",
            gettext(
                "This PDF contains scripts or actions that start programs, which are not accepted. "
                "Export or print it again as a plain PDF and upload the new file."
            ),
        )
    return page_count


def _check_pages(reader: PdfReader) -> int:
    """Refuse an encrypted PDF or one with no or too many pages; return the number of pages."""
    if reader.is_encrypted:
        raise reject(
            "pdf_encrypted",
            gettext("This PDF is password-protected. Remove the password and upload it again."),
        )
    # Walks the whole page tree: missing, cyclic or truncated page objects fail here.
    page_count = len(reader.pages)
    if page_count > MAX_PDF_PAGES:
        raise reject(
            "pdf_too_many_pages",
            gettext("This PDF has %(count)s pages. The limit is %(limit)s pages."),
            count=page_count,
            limit=MAX_PDF_PAGES,
        )
    if page_count == 0:
        raise reject("pdf_no_pages", gettext("This PDF has no pages."))
    return page_count


def _resolve(obj: Any) -> Any:
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _walk(start: Any, next_key: str) -> Iterator[DictionaryObject]:
    """Each dictionary reachable from `start` through arrays and `next_key` entries, once.

    The one bounded walk behind both action chains (/Next) and form-field trees (/Kids): every array
    and dictionary is entered once, so a cycle ends, and more than MAX_PDF_OBJECTS_WALKED
    dictionaries refuse the file as damaged. Stopping the iteration early (a script was found)
    stops the walk.
    """
    pending = [start]
    seen: set[int] = set()
    dictionaries = 0
    while pending:
        node = _resolve(pending.pop())
        if not isinstance(node, (ArrayObject, DictionaryObject)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ArrayObject):
            # Entered once as well: through an indirect reference an array can contain itself,
            # which kept the walk going forever when only dictionaries were remembered.
            pending.extend(node)
            continue
        dictionaries += 1
        if dictionaries > MAX_PDF_OBJECTS_WALKED:
            raise pdf_damaged()
        yield node
        pending.append(node.get(next_key))


def _pdf_has_scripts(reader: PdfReader) -> bool:
    """Look for JavaScript and launch actions where a viewer would run them.

    These refuse the file. Everything else active (and these again, wherever they hide) is removed
    from the stored copy by pdf_clean.py, which also refuses a program attached inside the PDF.

    Only dictionaries are inspected: page content streams are never decoded, so a compressed
    content stream cannot be used as a decompression bomb against this check.
    """
    catalog = reader.root_object
    names = _resolve(catalog.get("/Names"))
    if isinstance(names, DictionaryObject) and "/JavaScript" in names:
        return True
    if _has_script_action(catalog.get("/OpenAction")):  # an array here is a plain destination
        return True
    # Document-level additional actions (will close, will print, ...) have no use in a presentation.
    catalog_aa = _resolve(catalog.get("/AA"))
    if isinstance(catalog_aa, DictionaryObject) and len(catalog_aa) > 0:
        return True
    if any(_page_has_scripts(page) for page in reader.pages):
        return True
    acroform = _resolve(catalog.get("/AcroForm"))
    if isinstance(acroform, DictionaryObject):
        # Form fields carry keystroke/format/validate/calculate scripts in their own /AA.
        return any(_runs_script(field) for field in _walk(acroform.get("/Fields"), "/Kids"))
    return False


def _page_has_scripts(page: DictionaryObject) -> bool:
    # Resolving (not decoding) the content streams makes a file whose streams were cut off fail here.
    contents = _resolve(page.get("/Contents"))
    if isinstance(contents, ArrayObject):
        for part in contents:
            _resolve(part)
    if _additional_actions_have_script(page.get("/AA")):
        return True
    annotations = _resolve(page.get("/Annots"))
    if isinstance(annotations, ArrayObject):
        for annotation in annotations:
            annotation = _resolve(annotation)
            if isinstance(annotation, DictionaryObject) and _runs_script(annotation):
                return True
    return False


def _runs_script(node: DictionaryObject) -> bool:
    """True if the action (/A) or additional actions (/AA) of an annotation or form field run a script."""
    return _has_script_action(node.get("/A")) or _additional_actions_have_script(node.get("/AA"))


def _additional_actions_have_script(additional_actions: Any) -> bool:
    additional_actions = _resolve(additional_actions)
    if not isinstance(additional_actions, DictionaryObject):
        return False
    return any(_has_script_action(action) for action in additional_actions.values())


def _has_script_action(action: Any) -> bool:
    """True if this action, or any action chained after it with /Next, runs JavaScript or launches a program."""
    # /JS also appears in rendition actions, which run the script as well.
    return any(node.get("/S") in PDF_SCRIPT_ACTIONS or "/JS" in node for node in _walk(action, "/Next"))
