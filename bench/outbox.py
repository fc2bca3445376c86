"""Outbox benchmark: one Celery worker sending a 1,000-recipient batch to a real SMTP server on
loopback (aiosmtpd), then the same worker killed by SIGKILL mid-batch, then each kind of failure.

Prints one JSON line:

- `throughput`: recipients, seconds to render and queue them (the web side), seconds from commit
  to the last one sent, messages per second through one worker process, deliveries counted at the
  server, and the worker's peak resident memory (pool process and main process, MB);
- `sigkill`: the worker (its whole process group) killed once a third of a second batch has
  arrived; after the watchdog and a new worker: deliveries, duplicates (Message-IDs that arrived
  twice: must be 0), lost (rows neither sent nor uncertain: must be 0), rows marked uncertain;
- `failures`: for a recipient refused for good (550), one refused for now (451), a connection
  dropped mid-batch and a server that is down, the rows' statuses, attempts and the server's
  answer as the admin shows it.

PostgreSQL when it runs on 127.0.0.1:5432 (a database of its own, dropped at the end), else SQLite;
its own redis-server. `--recipients 60` is what CI runs (tests/deploy/test_benchmarks.py).
"""

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment  # noqa: E402  (after the path is set)
from bench.burst.memory import WebWorkerMemory, status_kb  # noqa: E402
from bench.burst.processes import start_celery_worker  # noqa: E402
from bench.proceedings import _database_url, _drop_database  # noqa: E402
from testkit.nginx import stop_group  # noqa: E402
from testkit.smtp import LoopbackSmtp, nothing_listening  # noqa: E402
from testkit.workers import RedisServer, tasks_inline  # noqa: E402

# Rows per worker task (one SMTP connection each), as production's default.
BATCH_SIZE = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000, help="recipients of each batch (default 1000)")
    parser.add_argument("--concurrency", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for a batch")
    return parser.parse_args()


def _queue(count: int, prefix: str) -> tuple[list[int], float]:
    from django.db import transaction

    from communications.services import MESSAGE_TEMPLATE, Recipient, email_queue

    languages = ("en", "fr", "ar", "ru")
    started = time.perf_counter()
    with transaction.atomic():  # handed to the worker when this commits
        ids = email_queue(
            template=MESSAGE_TEMPLATE,
            recipients=[
                Recipient(
                    address=f"{prefix}{n:05d}@example.org",
                    language=languages[n % 4],
                    context={"body": f"Dear participant {n},\n\nThe programme is online.\n\nThe organisers"},
                    dedupe_key=f"bench.{prefix}:{n}",
                )
                for n in range(count)
            ],
            context={"subject": "Practical information"},
            kind=f"bench.{prefix}",
        )
    return ids, time.perf_counter() - started


def _pending(ids) -> int:
    from communications.enums import EmailStatus
    from communications.models import OutboundEmail

    return OutboundEmail.objects.filter(
        pk__in=ids, status__in=(EmailStatus.QUEUED, EmailStatus.SENDING, EmailStatus.RETRYING)
    ).count()


def _wait(condition, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def _statuses(ids) -> dict:
    from communications.models import OutboundEmail

    return dict(Counter(OutboundEmail.objects.filter(pk__in=ids).values_list("status", flat=True)))


def throughput(args, env, workdir, smtp) -> dict:
    worker = start_celery_worker(env, args.concurrency, workdir / "celery-1.log")
    try:
        memory = WebWorkerMemory(worker.pid)
        memory.take_baseline()
        main_baseline_kb = status_kb(worker.pid, "VmRSS")
        with memory:
            ids, queue_s = _queue(args.recipients, "t")
            committed = time.perf_counter()
            done = _wait(lambda: _pending(ids) == 0, args.timeout)
            send_s = time.perf_counter() - committed
        main_peak_kb = status_kb(worker.pid, "VmHWM")
    finally:
        stop_group(worker, 60)
    return {
        "recipients": args.recipients,
        "worker_processes": args.concurrency,
        "queue_s": round(queue_s, 2),
        "send_s": round(send_s, 2),
        "messages_per_s": round(args.recipients / send_s, 1),
        "all_sent": done,
        "statuses": _statuses(ids),
        "delivered": len([r for r in smtp.received() if r.recipients[0].startswith("t")]),
        "pool_process_peak_mb": round(max(memory.peak_kb.values(), default=0) / 1024, 1),
        "pool_process_idle_mb": round(max(memory.baseline_kb.values(), default=0) / 1024, 1),
        "main_process_peak_mb": round(main_peak_kb / 1024, 1),
        "main_process_idle_mb": round(main_baseline_kb / 1024, 1),
    }


def sigkill(args, env, workdir, smtp) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from communications.delivery import outbox_watchdog
    from communications.enums import EmailStatus
    from communications.models import OutboundEmail

    first = start_celery_worker(env, args.concurrency, workdir / "celery-2.log")
    try:
        ids, _queue_s = _queue(args.recipients, "k")
        arrived = lambda: len([r for r in smtp.received() if r.recipients[0].startswith("k")])  # noqa: E731
        _wait(lambda: arrived() >= args.recipients // 3, args.timeout, step=0.005)
    finally:
        with contextlib.suppress(ProcessLookupError):  # the whole group at once: no warm shutdown
            os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    delivered_at_kill = arrived()
    later = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 1)
    watchdog = outbox_watchdog(now=later)
    second = start_celery_worker(env, args.concurrency, workdir / "celery-3.log")
    try:
        done = _wait(lambda: _pending(ids) == 0, args.timeout)
    finally:
        stop_group(second, 60)
    time.sleep(0.3)
    rows = dict(OutboundEmail.objects.filter(pk__in=ids).values_list("message_id", "status"))
    deliveries = Counter(r.message_id for r in smtp.received() if r.recipients[0].startswith("k"))
    sent = [m for m, status in rows.items() if status == EmailStatus.SENT]
    uncertain = [m for m, status in rows.items() if status == EmailStatus.UNCERTAIN]
    return {
        "recipients": args.recipients,
        "delivered_when_killed": delivered_at_kill,
        "watchdog": watchdog,
        "all_final": done,
        "statuses": _statuses(ids),
        "delivered": sum(deliveries.values()),
        "duplicates": sum(count - 1 for count in deliveries.values() if count > 1),
        "sent_not_delivered": sum(1 for m in sent if deliveries[m] == 0),
        "lost": len(rows) - len(sent) - len(uncertain),
        "uncertain": len(uncertain),
        "uncertain_delivered": sum(1 for m in uncertain if deliveries[m]),
    }


def failures() -> dict:
    """Each failure kind, sent from this process (the same code a worker runs) against its server."""
    from django.test import override_settings
    from django.utils import timezone

    from communications.delivery import outbox_watchdog
    from communications.models import OutboundEmail

    def shown(ids) -> dict:
        rows = OutboundEmail.objects.filter(pk__in=ids).order_by("pk")
        return {
            "statuses": dict(Counter(row.status for row in rows)),
            "attempts": sorted({row.attempts for row in rows}),
            "answers": sorted({row.last_error for row in rows if row.last_error})[:3],
        }

    def smtp_settings(host, port):
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=host,
            EMAIL_PORT=port,
            EMAIL_TIMEOUT=5,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        )

    def queued(prefix: str, count: int) -> list[int]:
        from communications.services import MESSAGE_TEMPLATE, Recipient, email_queue

        return email_queue(
            template=MESSAGE_TEMPLATE,
            recipients=[Recipient(address=f"{prefix}{n}@example.org", language="en") for n in range(count)],
            context={"subject": "S", "body": "B"},
            kind=f"bench.{prefix}",
        )

    figures = {}
    refusing = LoopbackSmtp(
        refuse={"r1@example.org": "550 5.1.1 <r1@example.org>: Recipient address rejected: User unknown"},
        refuse_once={"r2@example.org": "451 4.7.1 Greylisted, please try again later"},
    ).start()
    dropping = LoopbackSmtp(drop_after=3).start()
    try:
        for name, server, count in (("refused", refusing, 4), ("dropped", dropping, 10)):
            with smtp_settings(server.host, server.port), tasks_inline():
                ids = queued(name[0], count)  # sent at once, in this process
                figures[name] = {"first_pass": shown(ids)}
                outbox_watchdog(now=timezone.now() + datetime.timedelta(minutes=2))
                figures[name]["after_retry"] = shown(ids)
                figures[name]["deliveries"] = len(server.received())
                figures[name]["duplicates"] = sum(c - 1 for c in server.message_ids().values() if c > 1)
    finally:
        refusing.stop()
        dropping.stop()
    host, port = nothing_listening()
    with smtp_settings(host, port), tasks_inline():
        ids = queued("x", 3)
        figures["down"] = {"first_pass": shown(ids)}
        for minutes in (2, 8, 25, 90):  # after waits of 1, 5, 15 and 60 minutes
            outbox_watchdog(now=timezone.now() + datetime.timedelta(minutes=minutes))
        figures["down"]["after_all_attempts"] = shown(ids)
    return figures


def run(args, workdir: Path, cleanup: contextlib.ExitStack) -> dict:
    database_url = _database_url(workdir)
    cleanup.callback(_drop, database_url)
    redis = RedisServer(workdir).start()
    cleanup.callback(redis.stop)
    smtp = LoopbackSmtp().start()
    cleanup.callback(smtp.stop)
    env = bench_environment(
        workdir,
        database_url,
        REDIS_URL=redis.url,
        CELERY_QUEUE=f"bench-outbox-{os.getpid()}",
        EMAIL_URL=f"smtp://{smtp.host}:{smtp.port}",
        OUTBOX_BATCH_SIZE=str(BATCH_SIZE),
        DATABASE_CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    connections.close_all()
    figures = {
        "database": connections["default"].vendor,
        "batch_size": BATCH_SIZE,
        "throughput": throughput(args, env, workdir, smtp),
        "sigkill": sigkill(args, env, workdir, smtp),
        "failures": failures(),
    }
    return figures


def _drop(url: str) -> None:
    from django.conf import settings
    from django.db import connections

    if settings.configured:
        connections.close_all()
    _drop_database(url)


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-outbox-"))
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        figures = run(args, workdir, cleanup)
        kill = figures["sigkill"]
        ok = (
            figures["throughput"]["all_sent"]
            and kill["duplicates"] == 0
            and kill["lost"] == 0
            and kill["sent_not_delivered"] == 0
        )
        figures["ok"] = bool(ok)
        print(json.dumps(figures), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
