"""A real SMTP server on loopback (aiosmtpd) with the faults a mail server has: recipients refused
for good (550) or for now (451, once), a connection dropped after some messages, a slow answer.

Shared by the tests (tests/smtp.py reads its messages parsed) and the benchmarks. It keeps each message received
with its envelope recipients and Message-ID, so a test counts deliveries per Message-ID.
"""

import asyncio
import contextlib
import email
import email.policy
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    recipients: list[str]
    message_id: str
    data: bytes

    def message(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)


class _Handler:
    def __init__(self, server: "LoopbackSmtp"):
        self.server = server

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        drop_after = self.server.drop_after
        if drop_after is not None and getattr(session, "accepted", 0) >= drop_after:
            # Gone without a word, as a server restarting or a middlebox timing out.
            self.server.dropped += 1
            server.transport.close()
            return "421 4.3.2 Closing"  # never reaches the client
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        answer = self.server.refuse.get(address)
        if answer is None and address in self.server.refuse_once:
            answer = self.server.refuse_once.pop(address)
        if answer is not None:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        data = envelope.original_content or envelope.content
        headers = BytesHeaderParser().parsebytes(data, headersonly=True)
        self.server._keep(Received(list(envelope.rcpt_tos), str(headers.get("Message-ID", "")), data))
        session.accepted = getattr(session, "accepted", 0) + 1
        return "250 2.0.0 Message accepted for delivery"


class LoopbackSmtp:
    """`start()`, send, read `received()`, `stop()`. `refuse`: address -> answer, every time;
    `refuse_once`: address -> answer, the first time only; `drop_after`: close each connection
    without a word at the MAIL command after this many messages on it; `delay`: seconds before
    answering the end of each message."""

    def __init__(self, *, refuse=None, refuse_once=None, drop_after: int | None = None, delay: float = 0):
        self.host, self.port = "127.0.0.1", free_port()
        self.refuse = dict(refuse or {})
        self.refuse_once = dict(refuse_once or {})
        self.drop_after, self.delay = drop_after, delay
        self.dropped = 0
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> "LoopbackSmtp":
        self._controller.start()
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._controller.stop()

    def _keep(self, received: Received) -> None:
        with self._lock:
            self._received.append(received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def received(self, to: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self._received if to is None or to in r.recipients]

    def message_ids(self) -> Counter:
        """How many times each Message-ID arrived."""
        return Counter(r.message_id for r in self.received())

    def wait_for(self, count: int, timeout: float = 30, *, to: str | None = None) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received(to)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received(to)


def nothing_listening() -> tuple[str, int]:
    """A loopback address where no server runs (a mail server that is down)."""
    return "127.0.0.1", free_port()
