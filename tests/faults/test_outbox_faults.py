"""The outbox's worker killed by SIGKILL while it sends: after the watchdog and a new worker, every
email is either delivered exactly once or marked "outcome unknown" (at most one per killed worker
process, delivered at most once), and none is lost or sent twice.

A real Celery worker in its own process group, its own redis-server, and a real SMTP server on
loopback (testkit/smtp.py) that counts deliveries per Message-ID.
"""

import datetime
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communications.delivery import outbox_watchdog
from communications.enums import EmailStatus
from communications.models import OutboundEmail
from communications.services import MESSAGE_TEMPLATE, Recipient, email_queue
from testkit.smtp import LoopbackSmtp
from testkit.workers import RedisServer, Worker, broker_switched

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.requires_worker]

RECIPIENTS = 400
CONCURRENCY = 2


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def slow_smtp():
    # 5 ms before each 250: a batch is still being sent when the worker is killed.
    server = LoopbackSmtp(delay=0.005).start()
    yield server
    server.stop()


def _wait_until(condition, timeout: float = 120, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def _pending() -> int:
    return OutboundEmail.objects.filter(
        status__in=(EmailStatus.QUEUED, EmailStatus.SENDING, EmailStatus.RETRYING)
    ).count()


def test_a_worker_killed_mid_send_neither_loses_nor_duplicates_an_email(tmp_path, redis_server, slow_smtp):
    started: list[Worker] = []
    env = {"REDIS_URL": redis_server.url, "PORTAL_TEST_SMTP": slow_smtp.address, "OUTBOX_BATCH_SIZE": "25"}
    try:
        with broker_switched(redis_server.url) as app:
            first = Worker(tmp_path / "worker-1.log", concurrency=CONCURRENCY, **env)
            started.append(first)
            first.wait_ready(app)
            with transaction.atomic():
                ids = email_queue(
                    template=MESSAGE_TEMPLATE,
                    recipients=[
                        Recipient(address=f"p{n:04d}@example.org", language="en", context={"body": f"Hello {n}"})
                        for n in range(RECIPIENTS)
                    ],
                    context={"subject": "Practical information"},
                )
            assert len(ids) == RECIPIENTS
            # Killed in full flight: some sent, most not yet.
            assert _wait_until(lambda: len(slow_smtp.received()) >= 60, timeout=60), first.log()[-3000:]
            first.kill()
            delivered_before = len(slow_smtp.received())
            assert delivered_before < RECIPIENTS, "all sent before the kill: nothing was tested"
            in_flight = OutboundEmail.objects.filter(status=EmailStatus.SENDING)
            assert in_flight.exists()

            # The watchdog, once the claims are stale: unsent rows back to the queue, handed-over
            # ones uncertain; then a new worker sends what is left.
            later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 1)
            figures = outbox_watchdog(now=later)
            assert figures["uncertain"] <= CONCURRENCY
            assert figures["requeued"] >= 1
            second = Worker(tmp_path / "worker-2.log", concurrency=CONCURRENCY, **env)
            started.append(second)
            second.wait_ready(app)
            assert _wait_until(lambda: _pending() == 0, timeout=180), second.log()[-3000:]
    finally:
        for worker in started:
            worker.stop()

    time.sleep(0.5)  # anything still on the wire arrives
    rows = list(OutboundEmail.objects.values_list("message_id", "status"))
    deliveries = slow_smtp.message_ids()
    assert max(deliveries.values()) == 1, "an email was delivered twice"
    statuses = {status for _message_id, status in rows}
    assert statuses <= {EmailStatus.SENT, EmailStatus.UNCERTAIN}, statuses
    sent = [message_id for message_id, status in rows if status == EmailStatus.SENT]
    uncertain = [message_id for message_id, status in rows if status == EmailStatus.UNCERTAIN]
    assert len(sent) + len(uncertain) == RECIPIENTS  # none lost
    assert all(deliveries[message_id] == 1 for message_id in sent)
    assert len(uncertain) <= CONCURRENCY
    assert all(deliveries[message_id] <= 1 for message_id in uncertain)
    assert set(deliveries) <= {message_id for message_id, _status in rows}
