"""Where private files live: uploads, generated PDFs. No URL leads there; views check who asks.

On local disk by default; on an S3-compatible object store (workshop_portal/storage_s3.py) when
AWS_STORAGE_BUCKET_NAME is set. Model fields hold `private_storage()`, a proxy that looks up
STORAGES["private"] at every use, so the backend a process runs with is the one its settings
name now, not the one in force when the models were imported.
"""

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
