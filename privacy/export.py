"""What the portal holds on a person, as the "Your data" page lists it, and their copy of it as a ZIP."""

import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.text import get_valid_filename

from workshop_portal import personal_data
from workshop_portal.models import User
from workshop_portal.personal_data import SummaryItem

logger = logging.getLogger(__name__)

EXPORT_FORMAT = 1


@dataclass
class SummarySection:
    key: str
    title: str
    items: list[SummaryItem]
    empty_text: str


def privacy_summary(*, user: User) -> list[SummarySection]:
    return [
        SummarySection(key=s.key, title=s.title, items=s.summary(user), empty_text=s.empty_text)
        for s in personal_data.sources()
    ]


def _archive_name(name: str, taken: set[str]) -> str:
    parts = [get_valid_filename(part) or "file" for part in PurePosixPath(name).parts if part not in ("", ".", "..")]
    candidate = "files/" + "/".join(parts or ["file"])
    stem, dot, suffix = candidate.rpartition(".")
    number = 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}.{suffix}" if dot else f"{suffix}-{number}"
    taken.add(candidate)
    return candidate


def personal_data_export(*, user: User) -> Path:
    """A ZIP of everything the portal holds on `user`: data.json, and their own files under files/.

    The caller removes the file when done with it.
    """
    sections, files = {}, []
    for source in personal_data.sources():
        section = source.export(user)
        sections[source.key] = section.data
        files.extend(section.files)
    handle, name = tempfile.mkstemp(prefix="portal-data-export-", suffix=".zip")
    os.close(handle)
    path = Path(name)
    try:
        included, missing, taken = [], [], set()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for wanted, field_file in files:
                if not field_file or not field_file.name:
                    continue
                arcname = _archive_name(wanted, taken)
                try:
                    with field_file.storage.open(field_file.name, "rb") as source, archive.open(arcname, "w") as target:
                        shutil.copyfileobj(source, target, 1024 * 1024)
                except OSError:  # missing from the storage: said in data.json, not fatal
                    logger.warning("file %s of user %s missing from the export", field_file.name, user.pk)
                    missing.append(wanted)
                    continue
                included.append(arcname)
            document = {
                "format": EXPORT_FORMAT,
                "generated_at": timezone.now(),
                "portal": settings.PORTAL_BASE_URL,
                "sections": sections,
                "files": included,
                "files_missing": missing,
            }
            archive.writestr("data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
