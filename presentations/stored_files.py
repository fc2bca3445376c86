"""Files stored before neutralising existed: rewrite them, or withhold them for good.

Every upload is neutralised before it is stored (neutralise.py). Versions stored by an earlier
release carry `neutralised=False` (set by migration 0006): `PresentationFile.pdf_file` and the
download view withhold them until this module has rewritten them under today's rules, file and
converted PDF alike. A file today's rules refuse (an executable attached to a PDF, say) stays
withheld with the reason, for the organisers to ask its presenter for a new version.

`neutralise_stored_files` runs from `manage.py neutralise_stored_files` and every ten minutes from
the scheduler, a batch at a time, so an upgraded deployment catches up on its own.
"""

import logging
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.db import transaction

from presentations.enums import FileKind
from presentations.models import PresentationFile
from presentations.neutralise import neutralise_upload, pdf_page_count
from presentations.page_cache import presentation_files_changed
from presentations.pdf_clean import clean_pdf
from presentations.validation import FileRejectedError, file_size_and_sha256, inspect_upload
from presentations.web_copies import web_copy_queue_on_commit

logger = logging.getLogger(__name__)

BATCH_SIZE = 25


@dataclass
class NeutralisingReport:
    neutralised: list[int] = field(default_factory=list)
    withheld: dict[int, str] = field(default_factory=dict)  # version id: why
    remaining: int = 0  # still waiting after this run (a batch was set)


def stored_files_waiting():
    """Versions not yet rewritten whose file today's rules have not refused."""
    return PresentationFile.objects.filter(neutralised=False, withheld_reason="").order_by("pk")


def neutralise_stored_files(*, limit: int | None = BATCH_SIZE, dry_run: bool = False) -> NeutralisingReport:
    """Rewrite up to `limit` waiting versions (all with None); with dry_run only count them."""
    report = NeutralisingReport()
    waiting = stored_files_waiting()
    pks = list(waiting.values_list("pk", flat=True)[:limit] if limit else waiting.values_list("pk", flat=True))
    if dry_run:
        report.remaining = len(pks) if limit is None else waiting.count()
        return report
    for pk in pks:
        version = PresentationFile.objects.select_related("presentation").get(pk=pk)
        reason = neutralise_stored_version(version)
        if reason:
            report.withheld[pk] = reason
        else:
            report.neutralised.append(pk)
    report.remaining = stored_files_waiting().count()
    return report


def neutralise_stored_version(version: PresentationFile) -> str:
    """Rewrite one stored version (file and converted PDF). Returns "" when done, or why it stays withheld."""
    workdir = Path(tempfile.mkdtemp(prefix="portal-renew-"))
    new_names: list[str] = []
    try:
        source = workdir / f"stored.{version.kind}"
        _copy_out(version.file, source)
        size = source.stat().st_size
        try:
            # The size limit of the day it was accepted may have been higher: keep what was accepted.
            inspected = inspect_upload(source, max_bytes=max(size, 1))
            neutralised = neutralise_upload(source, inspected, workdir)
            converted = _clean_converted_pdf(version, workdir)
        except FileRejectedError as error:
            return _withhold(version, error.messages[0])
        changes = {"removed_content": list(dict.fromkeys([*version.removed_content, *neutralised.removed]))}
        changes["size"], changes["sha256"] = file_size_and_sha256(neutralised.path)
        changes["file"] = _store(version, version.file, neutralised.path, inspected.extension, new_names)
        if inspected.kind == FileKind.PDF:
            changes["page_count"] = neutralised.page_count
        if converted is not None:
            clean_path, removed = converted
            changes["pdf"] = _store(version, version.pdf, clean_path, ".pdf", new_names)
            changes["page_count"] = pdf_page_count(clean_path)
            changes["removed_content"] = list(dict.fromkeys([*changes["removed_content"], *removed]))
        old_names = [name for name in (version.file.name, version.pdf.name if converted else "") if name]
        with transaction.atomic():
            recorded = PresentationFile.objects.filter(pk=version.pk, neutralised=False).update(
                neutralised=True, **changes
            )
            if recorded:
                # The bytes as first stored go once the new ones are recorded.
                transaction.on_commit(lambda: _delete(version.file.storage, old_names))
        if not recorded:
            _delete(version.file.storage, new_names)  # another run got there first
        else:
            presentation_files_changed([version.pk])
            web_copy_queue_on_commit(version)
            logger.info("stored presentation file %s neutralised: %s", version.pk, changes["removed_content"])
        return ""
    except Exception:
        _delete(version.file.storage, new_names)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _clean_converted_pdf(version: PresentationFile, workdir: Path) -> tuple[Path, list[str]] | None:
    if version.kind == FileKind.PDF or not version.pdf:
        return None
    converted = workdir / "converted.pdf"
    _copy_out(version.pdf, converted)
    clean_path = workdir / "converted-clean.pdf"
    return clean_path, clean_pdf(converted, clean_path)


def _withhold(version: PresentationFile, reason: str) -> str:
    PresentationFile.objects.filter(pk=version.pk, neutralised=False).update(withheld_reason=reason)
    presentation_files_changed([version.pk])
    logger.warning("stored presentation file %s withheld: %s", version.pk, reason)
    return reason


def _copy_out(stored, target: Path) -> None:
    # A local copy: the file may live in object storage.
    with stored.open("rb") as original, target.open("wb") as copy:
        shutil.copyfileobj(original, copy, length=1024 * 1024)


def _store(version: PresentationFile, stored, path: Path, extension: str, new_names: list[str]) -> str:
    with path.open("rb") as handle:
        name = stored.storage.save(
            stored.field.generate_filename(version, f"{secrets.token_hex(16)}{extension}"), File(handle)
        )
    new_names.append(name)
    return name


def _delete(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a file left behind costs space, not safety: it is no longer referenced
            logger.warning("could not delete %s", name, exc_info=True)
