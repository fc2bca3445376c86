"""Where private files live: uploads, generated PDFs. No URL leads there; views check who asks."""

from django.core.files.storage import storages


def private_storage():
    # A callable, so migrations keep a reference and tests or deployments can swap the backend.
    return storages["private"]
