"""Benchmark: the public pages of the demo workshop, served in-process by Django's test client.

Creates a throwaway database (SQLite in a temporary folder unless DATABASE_URL is set), seeds the
demo workshop and prints one JSON line: queries, median and 95th percentile latency, requests per
second for the home page, the programme and its ICS download.

    .venv/bin/python bench/programme.py [--requests 300]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._environment import bench_workdir


def _recorder(queries: list):
    def record(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page (default 300)")
    args = parser.parse_args()

    workdir = str(bench_workdir("portal-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ["STATIC_ROOT"] = workdir
    os.environ["DJANGO_SETTINGS_MODULE"] = "workshop_portal.settings.base"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from demo.seed import DEMO_SLUG

    call_command("migrate", verbosity=0)
    call_command("seed_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115

    client = Client()
    pages = {
        "home": "/",
        "programme": f"/workshops/{DEMO_SLUG}/",
        "programme_ics": f"/workshops/{DEMO_SLUG}/programme.ics",
    }
    figures = {"database": connection.vendor, "requests_per_page": args.requests}
    for name, url in pages.items():
        queries = []
        with connection.execute_wrapper(_recorder(queries)):
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        figures[name] = {
            "queries": len(queries),
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "requests_per_s": round(1000 * len(timings) / sum(timings), 1),
        }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
