"""Fixtures the hostile-upload tests share: a presentation to upload to, and a canary HTTP server
on loopback that counts every request a file (or its conversion) makes."""

import pytest

from testkit.factories import host_state_presentation
from tests.canary import Canary


@pytest.fixture
def presentation():
    return host_state_presentation()


@pytest.fixture
def canary():
    with Canary() as server:
        yield server
