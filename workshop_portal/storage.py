"""Where private files live: uploads, generated PDFs. No URL leads there; views check who asks."""

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files. Asking one for a URL is a bug: it would bypass the access checks."""

    def url(self, name):
        raise ValueError("Private files are not accessible via a URL; serve them through a view that checks access.")


def private_storage():
    # A callable, so migrations keep a reference and tests or deployments can swap the backend.
    return storages["private"]
