"""Messages benchmark: an organiser's message to a 1,000-recipient audience, sent as the admin sends
it (registrations.message_sending.message_send), through one Celery worker to a real SMTP server on
loopback (aiosmtpd), on PostgreSQL when it runs on 127.0.0.1:5432 (else SQLite), its own Redis.

The audience: 1,000 approved delegates of one workshop in English, French, Arabic and Russian (a
quarter each; the message has texts in English, French and Russian: the Arabic quarter reads the
workshop's first language), optional (each copy with its unsubscribe link and RFC 8058 headers),
20 of them unsubscribed (left out). Prints one JSON line:

- `audience`: the queries and seconds of resolving the audience at 100 and at 1,000 registrations
  (the same number of queries at both);
- `send`: seconds of the click (checks, claim), seconds until every copy is queued by the worker
  (rendered per recipient, one outbox row each), seconds until the last is sent, messages per
  second end to end (from the click to the last delivery), deliveries counted at the server,
  duplicates (Message-IDs that arrived twice: 0), a second click's answer and what it queued (0).

`--recipients 60` is a quick run.
"""

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment  # noqa: E402  (after the path is set)
from bench.burst.processes import start_celery_worker  # noqa: E402
from bench.outbox import BATCH_SIZE, _drop, _wait  # noqa: E402
from bench.proceedings import _database_url  # noqa: E402
from testkit.nginx import stop_group  # noqa: E402
from testkit.smtp import LoopbackSmtp  # noqa: E402
from testkit.workers import RedisServer  # noqa: E402

LANGUAGES = ("en", "fr", "ar", "ru")
UNSUBSCRIBED = 20
TEXTS = (
    ("en", "{workshop}: practical information",
     "Dear {first_name},\n\nThe programme: {programme_link}\n\nYour page: {dashboard_link}"),
    ("fr", "{workshop} : informations pratiques",
     "Cher {first_name},\n\nLe programme : {programme_link}\n\nVotre page : {dashboard_link}"),
    ("ru", "{workshop}: практическая информация",
     "Уважаемый(ая) {full_name},\n\nПрограмма: {programme_link}\n\nВаша страница: {dashboard_link}"),
)  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000, help="people in the audience (default 1000)")
    parser.add_argument("--concurrency", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the sending")
    return parser.parse_args()


def _audience(count: int, title: str):
    """A workshop with `count` approved delegates (bulk-created), and its host state's id."""
    from registrations.enums import ParticipantCategory, RegistrationStatus
    from registrations.models import Registration
    from testkit.factories import WorkshopFactory
    from workshop_portal.models import MemberState, User

    workshop = WorkshopFactory(title=title, capacity=count + 10)
    state = MemberState.objects.get(code="KZ")
    users = User.objects.bulk_create(
        [
            User(email=f"{title[:1].lower()}{n:05d}@example.org", first_name=f"Name{n}", language=LANGUAGES[n % 4])
            for n in range(count)
        ]
    )
    if users[0].pk is None:  # SQLite before returning ids from bulk inserts
        users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("email"))
    Registration.objects.bulk_create(
        [
            Registration(
                workshop=workshop,
                user=user,
                participant_name=f"{user.first_name} Delegate",
                position="Expert",
                category=ParticipantCategory.CENTRAL_ASIAN_STATE,
                member_state=state,
                email=user.email,
                status=RegistrationStatus.APPROVED,
            )
            for user in users
        ]
    )
    return workshop, users


def _measure_audience(workshop) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registrations.audiences import AudienceSpec, audience_members

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        members = audience_members(workshop, AudienceSpec.from_json({"statuses": ["approved"]}), essential=False)
        seconds = time.perf_counter() - started
    return {"members": len(members), "queries": len(queries), "seconds": round(seconds, 3)}


def _message(workshop):
    from communications.models import Message, MessageText

    message = Message.objects.create(
        workshop=workshop, title="Practical information", audience={"statuses": ["approved"]}
    )
    for language, subject, body in TEXTS:
        MessageText.objects.create(message=message, language=language, subject=subject, body=body)
    return message


def send(args, env, workdir, smtp) -> dict:
    from django.core.exceptions import ValidationError

    from communications.enums import EmailStatus, MessageStatus
    from communications.models import Message, OutboundEmail
    from communications.unsubscribe import opt_out
    from registrations.message_sending import message_send
    from workshop_portal.models import User

    small, _users = _audience(100, "Small")
    workshop, users = _audience(args.recipients, "Bench")
    audience = {"at_100": _measure_audience(small)}
    for user in users[:UNSUBSCRIBED]:
        opt_out(user.email, workshop.pk)
    audience[f"at_{args.recipients}"] = _measure_audience(workshop)
    message = _message(workshop)
    organiser = User.objects.create(email="organiser@example.org")
    expected = args.recipients - UNSUBSCRIBED

    worker = start_celery_worker(env, args.concurrency, workdir / "celery.log")
    try:
        started = time.perf_counter()
        message_send(message, by=organiser)  # commits at once (autocommit): the task is sent
        click_s = time.perf_counter() - started
        queued = _wait(lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists(), args.timeout)
        queued_s = time.perf_counter() - started
        rows = OutboundEmail.objects.filter(kind="message", workshop=workshop)
        done = _wait(lambda: rows.filter(status=EmailStatus.SENT).count() >= expected, args.timeout)
        sent_s = time.perf_counter() - started
        try:
            message_send(Message.objects.get(pk=message.pk), by=organiser)
            second_click = "sent again"
        except ValidationError as error:
            second_click = error.messages[0]
        time.sleep(0.5)
    finally:
        stop_group(worker, 60)
    deliveries = Counter(r.message_id for r in smtp.received())
    languages = Counter(rows.values_list("language", flat=True))
    sample = rows.filter(language="fr").first()
    return {
        "audience": audience,
        "send": {
            "recipients": expected,
            "unsubscribed_left_out": UNSUBSCRIBED,
            "worker_processes": args.concurrency,
            "click_s": round(click_s, 3),
            "all_queued": queued,
            "queued_s": round(queued_s, 2),
            "all_sent": done,
            "sent_s": round(sent_s, 2),
            "messages_per_s": round(expected / sent_s, 1),
            "rows": rows.count(),
            "languages": dict(languages),
            "delivered": sum(deliveries.values()),
            "duplicates": sum(count - 1 for count in deliveries.values() if count > 1),
            "second_click": second_click,
            "rows_after_second_click": rows.count(),
            "list_unsubscribe_header": bool(sample and sample.headers.get("List-Unsubscribe")),
        },
    }


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
        CELERY_QUEUE=f"bench-messages-{os.getpid()}",
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
    return {"database": connections["default"].vendor, "batch_size": BATCH_SIZE, **send(args, env, workdir, smtp)}


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-messages-"))
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        figures = run(args, workdir, cleanup)
        sent = figures["send"]
        audience = list(figures["audience"].values())
        ok = (
            sent["all_sent"]
            and sent["delivered"] == sent["recipients"]
            and sent["duplicates"] == 0
            and sent["rows_after_second_click"] == sent["recipients"]
            and audience[0]["queries"] == audience[1]["queries"]
        )
        figures["ok"] = bool(ok)
        print(json.dumps(figures, ensure_ascii=False), flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
