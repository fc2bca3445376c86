import pytest

from testkit.smtp import LoopbackSmtp, nothing_listening
from tests.conftest import outbox_sends_inline


def _point_at(settings, host: str, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = host, port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """Start a loopback SMTP server with the faults asked for (testkit.smtp.LoopbackSmtp) and send
    this test's outbox to it, from this process."""
    started = []

    def start(**faults) -> LoopbackSmtp:
        server = LoopbackSmtp(**faults).start()
        started.append(server)
        _point_at(settings, server.host, server.port)
        return server

    with outbox_sends_inline():
        yield start
    for server in started:
        server.stop()


@pytest.fixture
def smtp_down(settings):
    """A mail server that is down: nothing listens at its address."""
    host, port = nothing_listening()
    _point_at(settings, host, port)
    with outbox_sends_inline():
        yield host, port
