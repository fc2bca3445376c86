"""Benchmark: the scheduled reminders for a workshop of 1,000 approved participants.

Creates a throwaway database (SQLite in a temporary folder unless DATABASE_URL is set), a workshop
with a programme and N approved participants in four languages, and prints one JSON line: the time
and queries of the run that queues the day-before reminder (rendering each email in its language,
the programme's ICS attached), of the run after it (nothing left to queue), and of the admin's
schedule panel. Sending is not measured (bench/outbox.py does): the emails go to Django's
in-memory backend.

    .venv/bin/python bench/reminders.py [--participants 1000]
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._environment import bench_environment, bench_workdir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    args = parser.parse_args()
    workdir = bench_workdir("portal-bench-reminders-")
    bench_environment(
        workdir,
        os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3",
        EMAIL_URL="memorymail://",
    )

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from communications.models import EmailAttachment, OutboundEmail
    from registrations.enums import RegistrationStatus
    from registrations.models import Registration
    from reports.reminders import reminders_run, workshop_reminder_schedule
    from testkit.factories import WorkshopFactory, country_session, member_state
    from workshop_portal.models import User

    call_command("migrate", verbosity=0)
    now = timezone.now()
    start = (now + datetime.timedelta(days=1)).date()
    workshop = WorkshopFactory(
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        registration_opens_at=now - datetime.timedelta(days=40),
        registration_closes_at=now - datetime.timedelta(days=5),
        upload_deadline=now - datetime.timedelta(days=2),
    )
    slots = [
        (0, (9, 0), (10, 30)),
        (0, (11, 0), (12, 30)),
        (0, (14, 0), (15, 30)),
        (1, (9, 0), (10, 30)),
        (1, (11, 0), (12, 30)),
    ]
    for code, (day, begins, ends) in zip(("KZ", "KG", "TJ", "TM", "UZ"), slots, strict=True):
        country_session(workshop, code, day=day, start=begins, end=ends)
    languages = ("en", "fr", "ar", "ru")
    users = User.objects.bulk_create(
        [
            User(
                email=f"participant{n}@example.org", first_name="Aida", last_name=f"Bek {n}", language=languages[n % 4]
            )
            for n in range(args.participants)
        ]
    )
    kazakhstan = member_state("KZ")
    Registration.objects.bulk_create(
        [
            Registration(
                workshop=workshop,
                user=user,
                participant_name=f"Aida Bek {n}",
                position="Head of Division",
                category="central_asian_state",
                member_state=kazakhstan,
                delegation_role="member",
                email=user.email,
                status=RegistrationStatus.APPROVED,
            )
            for n, user in enumerate(users)
        ]
    )
    # The day before at 09:00 in the venue's zone.
    due = workshop.local_datetime(start - datetime.timedelta(days=1), datetime.time(9)) + datetime.timedelta(minutes=1)

    def measure(fn):
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - started
        return result, round(seconds, 3), len(queries.captured_queries)

    # Inside the transaction: what the beat task costs before the rows are handed to workers.
    first, first_s, first_q = measure(lambda: reminders_run(now=due))
    again, again_s, again_q = measure(lambda: reminders_run(now=due + datetime.timedelta(minutes=15)))
    _schedule, panel_s, panel_q = measure(lambda: workshop_reminder_schedule(workshop, now=due))
    sent = OutboundEmail.objects.filter(kind="reminder:day_before").count()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "participants": args.participants,
                "queued": first["day_before"],
                "queue_seconds": first_s,
                "queue_queries": first_q,
                "per_email_ms": round(1000 * first_s / max(1, first["day_before"]), 2),
                "second_run_queued": again["day_before"],
                "second_run_seconds": again_s,
                "second_run_queries": again_q,
                "admin_panel_seconds": panel_s,
                "admin_panel_queries": panel_q,
                "outbox_rows": sent,
                "attachments_stored": EmailAttachment.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main()
