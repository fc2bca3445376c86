"""Files in storage that no row references, and rows whose file is gone.

Every path that stores a file deletes it again when its own step fails, but a worker killed
between storing a file and recording it (SIGKILL, the out-of-memory killer, a host lost), or a
transaction rolled back by a caller after a step had stored its files, leaves a file nobody
references: a deck's web copy, a proceedings volume, a cloned letterhead. Nothing serves such a
file and no backup copies it (backups copy what the file fields reference), but it takes space,
and with decks of tens of megabytes it adds up.

The sweep lists both storages (local disk or object storage, through the storage API), compares
them with every file field of every table, and reports the files no row references and the
references whose file is missing. With `delete` it removes the unreferenced files older than
`min_age`: a file stored a moment ago may belong to a row not committed yet, and no step of the
portal takes a day between storing a file and recording it. The references are read again just
before deleting, so a row saved during the sweep keeps its file.
"""

import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone

from workshop_portal.backups.databases import file_fields

logger = logging.getLogger(__name__)

STORAGE_ALIASES = ("default", "private")


@dataclass(frozen=True)
class StoredFile:
    storage: str  # "default" (public) or "private"
    name: str
    size: int
    modified: datetime.datetime


@dataclass
class StorageSweep:
    files: int = 0  # files found in the storages
    unreferenced: list[StoredFile] = field(default_factory=list)  # old enough to go
    recent: int = 0  # unreferenced but younger than min_age: left for a later sweep
    missing: list[tuple[str, str]] = field(default_factory=list)  # referenced, not in storage
    deleted: list[StoredFile] = field(default_factory=list)

    @property
    def unreferenced_bytes(self) -> int:
        return sum(stored.size for stored in self.unreferenced)

    @property
    def freed_bytes(self) -> int:
        return sum(stored.size for stored in self.deleted)


def referenced_files() -> set[tuple[str, str]]:
    """(storage alias, name) of every file a row references, in every table (soft-deleted rows too)."""
    referenced = set()
    for model, file_field, alias in file_fields():
        names = model._base_manager.exclude(**{file_field.attname: ""}).values_list(file_field.attname, flat=True)
        referenced.update((alias, name) for name in names.iterator(chunk_size=2000) if name)
    return referenced


def stored_names(storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage under `folder`, depth first (none when a local storage's
    folder was never created: nothing was ever stored there)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise  # a folder listed a moment ago: not an empty storage
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in folders:
        yield from stored_names(storage, f"{folder}/{name}" if folder else name)


def storage_sweep(*, delete: bool = False, min_age: datetime.timedelta | None = None, now=None) -> StorageSweep:
    """Compare the storages with the references; with `delete`, remove what no row references and
    is older than `min_age` (STORAGE_SWEEP_MIN_AGE_HOURS by default)."""
    min_age = min_age if min_age is not None else datetime.timedelta(hours=settings.STORAGE_SWEEP_MIN_AGE_HOURS)
    now = now or timezone.now()
    referenced = referenced_files()
    sweep = StorageSweep()
    found: set[tuple[str, str]] = set()
    for alias in STORAGE_ALIASES:
        storage = storages[alias]
        for name in stored_names(storage):
            sweep.files += 1
            found.add((alias, name))
            if (alias, name) in referenced:
                continue
            modified = storage.get_modified_time(name)
            if now - modified < min_age:
                sweep.recent += 1
                continue
            sweep.unreferenced.append(StoredFile(alias, name, storage.size(name), modified))
    sweep.missing = sorted(referenced - found)
    if delete and sweep.unreferenced:
        still_referenced = referenced_files()  # a row saved meanwhile keeps its file
        for stored in sweep.unreferenced:
            if (stored.storage, stored.name) in still_referenced:
                continue
            storages[stored.storage].delete(stored.name)
            sweep.deleted.append(stored)
        logger.info(
            "storage sweep: %d unreferenced files deleted (%d bytes), %d missing",
            len(sweep.deleted), sweep.freed_bytes, len(sweep.missing),
        )  # fmt: skip
    for alias, name in sweep.missing:
        logger.warning("storage sweep: a row references %s in the %s storage, which is not there", name, alias)
    return sweep
