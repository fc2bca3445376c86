"""The registry of personal data: each app says here what it holds on a person.

Each app registers one `PersonalDataSource` from its own `privacy.py`, called by its
AppConfig.ready(); the privacy app (privacy/) reads the registry to show, export, erase and purge.
The registry sits in the ground floor so that every app can fill it without importing the privacy
app above it. A source:

- `summary(user)`: what the "Your data" page lists, in a fixed number of queries;
- `export(user)`: its section of data.json, and the person's own files for the archive;
- `erase(user, cleanup)`: anonymise what is the person's;
- `purge_workshop(workshop, cleanup)`: blank what the retention period no longer justifies.

Erasure and purge call the sources in the reverse order of registration (the order of
INSTALLED_APPS): the apps that build on others go first, so that the reports app can still read a
presenter's name it scrubs before the registrations app anonymises it, and the account goes last.
A source refuses with a ValidationError.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from workshop_portal.models import User, Workshop

logger = logging.getLogger(__name__)


@dataclass
class SummaryItem:
    """One thing the portal holds on a person, as the "Your data" page lists it."""

    title: str
    details: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class ExportSection:
    """A source's part of the archive: JSON-serialisable data, and (archive name, file) pairs."""

    data: Any
    files: list[tuple[str, FieldFile]] = field(default_factory=list)


class Cleanup:
    """What one erasure or purge changed, and the files to delete once its transaction commits."""

    def __init__(self, *, by: User | None, now: datetime.datetime | None = None):
        self.by = by
        self.now = now or timezone.now()
        self.counts: dict[str, int] = {}
        self._files: dict[tuple[Storage, str], None] = {}

    def count(self, label, number: int) -> None:
        """Record `number` things done under `label` (a translatable phrase, e.g. "badge batches deleted")."""
        if number:
            self.counts[str(label)] = self.counts.get(str(label), 0) + number

    def delete_file(self, field_file: FieldFile | None) -> None:
        """Delete this stored file after commit (a rollback keeps it)."""
        if field_file and field_file.name:
            self._files[(field_file.storage, field_file.name)] = None

    @property
    def file_count(self) -> int:
        return len(self._files)

    @property
    def changed(self) -> bool:
        return bool(self.counts or self._files)

    def describe(self) -> str:
        parts = [f"{label}: {number}" for label, number in self.counts.items()]
        if self._files:
            parts.append(f"{_('files deleted')}: {len(self._files)}")
        return "; ".join(parts)

    def schedule_file_deletion(self) -> None:
        files = list(self._files)
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # one stuck file must not keep the others
            logger.exception("could not delete %s after a privacy cleanup", name)


@dataclass(frozen=True)
class PersonalDataSource:
    key: str
    title: str
    summary: Callable[[User], list[SummaryItem]]
    export: Callable[[User], ExportSection]
    erase: Callable[[User, Cleanup], None]
    purge_workshop: Callable[[Workshop, Cleanup], None] | None = None
    empty_text: str = ""


_sources: dict[str, PersonalDataSource] = {}


def register(source: PersonalDataSource) -> None:
    """Called from an app's privacy.py at ready(). Registering the same key again replaces it in place."""
    _sources[source.key] = source


def sources() -> list[PersonalDataSource]:
    """Every registered source, in the order of registration."""
    return list(_sources.values())
