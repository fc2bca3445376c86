"""Where private files live: uploads, generated PDFs. No URL leads there; views check who asks.

On local disk by default; on an S3-compatible object store (workshop_portal/storage_s3.py) when
AWS_STORAGE_BUCKET_NAME is set. Model fields hold `private_storage()`, a proxy that looks up
STORAGES["private"] at every use, so the backend a process runs with is the one its settings
name now, not the one in force when the models were imported.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import LazyObject


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files. Asking one for a URL is a bug: it would bypass the access checks."""

    def url(self, name):
        raise ValueError("Private files are not accessible via a URL; serve them through a view that checks access.")


class _PrivateStorage(LazyObject):
    """STORAGES["private"], looked up at every use (never cached here)."""

    # A data descriptor wins over LazyObject's instance attribute: every access resolves anew, and
    # STORAGES changed by a test (the setting_changed signal resets `storages`) reaches the fields.
    _wrapped = property(lambda self: storages["private"], lambda self, value: None)

    def _setup(self):  # never reached: _wrapped is never empty
        raise AssertionError

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (private_storage, ())


_private_storage = _PrivateStorage()


def private_storage():
    # A callable, so migrations keep a reference (workshop_portal.storage.private_storage).
    return _private_storage


class LocalFile(File):
    """A file on local disk handed to a storage: FileSystemStorage moves it into place (one rename
    on the same disk) instead of copying it; object storage uploads it in parts."""

    def __init__(self, path: Path):
        super().__init__(path.open("rb"), name=path.name)
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)


def store_local_file(storage, name: str, path: Path) -> str:
    """Store the local file at path under name (moved when the storage is on this disk); the stored name."""
    content = LocalFile(path)
    try:
        return storage.save(name, content)
    finally:
        content.close()


@contextmanager
def local_path(field_file, workdir: Path) -> Iterator[Path]:
    """A path on this disk to read a stored file from: its own on local disk, else a copy in workdir
    (removed on leaving), so a tool that reads files (qpdf, pikepdf) never holds it in memory."""
    try:
        own = Path(field_file.storage.path(field_file.name))
    except NotImplementedError:  # object storage has no local path
        own = None
    if own is not None:
        yield own
        return
    workdir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=workdir, suffix=Path(field_file.name).suffix)
    copy = Path(name)
    try:
        with os.fdopen(fd, "wb") as target, field_file.open("rb") as source:
            shutil.copyfileobj(source, target, 1024 * 1024)
        yield copy
    finally:
        copy.unlink(missing_ok=True)
