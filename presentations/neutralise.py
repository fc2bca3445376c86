"""Make an accepted upload inert before it is stored: what the portal keeps, serves and merges is a
rewritten copy, never the bytes as uploaded.

`inspect_upload` (validation.py) decides whether a file is acceptable at all; this module then
produces the copy that is stored. PDFs are rewritten by pikepdf (pdf_clean.py), PPTX/DOCX packages
by office_clean.py. Each returns the codes of what it removed (enums.RemovedContent), which the
delegate sees on the presentation's page. Either may still refuse the file (FileRejectedError),
e.g. an executable attached to a PDF.
"""

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from presentations.enums import FileKind
from presentations.validation import InspectedFile


@dataclass(frozen=True)
class NeutralisedFile:
    path: Path  # the copy to store
    removed: list[str]  # RemovedContent codes, in the order found, without repeats
    page_count: int | None  # pages of the copy (a PDF); None for PPTX/DOCX (known after conversion)


def neutralise_upload(path: Path, inspected: InspectedFile, workdir: Path) -> NeutralisedFile:
    """Write the inert copy of an inspected upload into `workdir` and say what was removed."""
    from presentations.office_clean import clean_office
    from presentations.pdf_clean import clean_pdf

    target = Path(workdir) / f"neutralised{inspected.extension}"
    page_count = None
    if inspected.kind == FileKind.PDF:
        removed = clean_pdf(Path(path), target)
        # Counted on the copy that is stored and merged, not on the bytes as uploaded.
        page_count = pdf_page_count(target)
    else:
        removed = clean_office(Path(path), target, kind=inspected.kind)
    return NeutralisedFile(path=target, removed=list(dict.fromkeys(removed)), page_count=page_count)


def pdf_page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)
