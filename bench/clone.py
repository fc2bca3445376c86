"""Benchmark: "Prepare the next workshop" on the demo's full 2012 workshop.

Creates a throwaway database (SQLite in a temporary folder unless DATABASE_URL is set), seeds the
demo, then clones the Ankara workshop (sessions, segments, delegations' quotas, letter settings and
texts, reminders, every registered clone step) and prints one JSON line: seconds and queries.

    .venv/bin/python bench/clone.py
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._environment import bench_environment, bench_workdir


def main() -> None:
    workdir = bench_workdir("portal-bench-clone-")
    bench_environment(workdir, os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo.seed import DEMO_SLUG, demo_seed
    from outcomes.series import workshop_clone
    from sessions.models import Segment
    from workshop_portal.models import User, Workshop

    call_command("migrate", verbosity=0)
    demo_seed()
    source = Workshop.objects.get(slug=DEMO_SLUG)
    by = User.objects.filter(is_staff=True).first()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        target = workshop_clone(
            source=source, title="Bench clone", slug="bench-clone", start_date=datetime.date(2013, 2, 20), by=by
        )
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "bench": "clone",
                "seconds": round(seconds, 3),
                "queries": len(queries),
                "sessions": target.working_sessions.count(),
                "segments": Segment.objects.filter(session__workshop=target).count(),
                "delegations": target.delegations.count(),
            }
        )
    )


if __name__ == "__main__":
    main()
