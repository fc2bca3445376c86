"""Benchmark: a burst of deck uploads through nginx and gunicorn, and their conversion to PDF.

100 approved delegates of one workshop, each with a draft presentation (the project's factories and
services; the accounts in bulk), upload a ~20 MB PowerPoint deck at the same moment, each over a
connection of its own, as a browser does: the presentation's page first (the CSRF cookie and the
form's token), then a multipart POST to the upload view, streamed from disk. In front, Debian's
nginx with deploy/nginx/portal.conf, started by testkit/nginx.py as for tests/deploy/test_nginx.py
(the body limit from deploy/nginx/10-portal-limits.envsh); behind it gunicorn (2 sync workers, the
compose file's options) and a Celery worker (2 processes) that converts with LibreOffice, on a
redis-server of its own. PostgreSQL at 127.0.0.1:5432 when it runs, else SQLite (the output says
which). Everything on loopback, in a temporary folder removed at the end; no scheduler (no
watchdog is needed).

The deck: 20 slides, each a ~1 MB JPEG of noise (incompressible), built once with python-pptx;
each delegate's copy names them on its first slide, so each has a SHA-256 of its own. Before the
burst, two small uploads per web worker warm the workers up, and their idle memory is taken.

Measured: per-upload latency (p50, p95, max), wall time, aggregate MB/s and HTTP statuses; the
resident memory (VmRSS, VmHWM) of every gunicorn worker, sampled every 0.2 s through the uploads
and the conversions; the conversions' wall time from the burst's start and per-deck time
(conversion_started_at to converted_at).

Targets: every upload answered with the view's redirect; each web worker's peak under its idle
baseline + 64 MB (uploads stream to disk: FILE_UPLOAD_MAX_MEMORY_SIZE = 0); every presentation with
exactly one version, whose stored bytes and SHA-256 are those sent; in the private folder one deck
per upload and one PDF per conversion, nothing else; every conversion done at its first attempt
with a page per slide; no [error], [crit], [alert] or [emerg] in nginx's error log and no error in
gunicorn's or the worker's; no web worker restarted; the Celery worker alive; no temporary file
left. Prints one JSON line; exits 1 when a target is missed.

    .venv/bin/python bench/upload_burst.py [--delegates 100] [--size-mb 20] [--slides 20]
        [--web-workers 2] [--concurrency 2] [--timeout 1800]
"""

import argparse
import contextlib
import json
import math
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment  # noqa: E402  (after the path is set)
from bench.burst.browser import fetch_upload_form, report_refusals, upload_all_at_once  # noqa: E402
from bench.burst.decks import MB  # noqa: E402
from bench.burst.delegates import create_workshop, prepare_delegates  # noqa: E402
from bench.burst.figures import (  # noqa: E402
    CELERY_ERRORS,
    GUNICORN_ERRORS,
    NGINX_ERRORS,
    TARGETS,
    conversion_figures,
    files_under,
    lines_with,
    missed_targets,
    storage_figures,
    upload_figures,
    wait_for_conversions,
)
from bench.burst.memory import WebWorkerMemory  # noqa: E402
from bench.burst.processes import nginx_body_limit, start_celery_worker, start_gunicorn, start_nginx  # noqa: E402
from bench.proceedings import _database_url, _drop_database  # noqa: E402
from testkit.nginx import stop_group  # noqa: E402
from testkit.workers import RedisServer  # noqa: E402

WARM_UPS_PER_WEB_WORKER = 2
WARM_UP_DECK_MB, WARM_UP_SLIDES = 1, 2


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=100, help="uploads at once (default 100)")
    parser.add_argument("--size-mb", type=float, default=20, help="size of each deck (default 20)")
    parser.add_argument("--slides", type=int, default=20, help="slides per deck, a picture each (default 20)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes (default 2)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the conversions")
    return parser.parse_args()


def run(args: argparse.Namespace, workdir: Path, cleanup: contextlib.ExitStack) -> dict:
    run_started = time.perf_counter()
    database_url = _database_url(workdir)
    cleanup.callback(drop_database, database_url)
    redis = RedisServer(workdir).start()
    cleanup.callback(redis.stop)
    for folder in ("private", "static", "tmp", "decks"):
        (workdir / folder).mkdir()
    env = bench_environment(
        workdir,
        database_url,
        REDIS_URL=redis.url,
        PROTECTED_FILES_SERVER="nginx",
        # The portal's default limit, raised only for decks that would not fit under it.
        PRESENTATION_MAX_UPLOAD_MB=str(max(50, math.ceil(args.size_mb) + 10)),
        DATABASE_CONN_MAX_AGE="60",  # as production.py has it
        LOG_LEVEL="WARNING",
        # Every temporary file of the web and worker processes lands here, to be counted at the end.
        TMPDIR=str(workdir / "tmp"),
    )

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from presentations.models import PresentationFile

    call_command("migrate", verbosity=0)
    warm_ups = WARM_UPS_PER_WEB_WORKER * args.web_workers
    workshop, presentations = create_workshop(args.delegates + warm_ups)
    decks = workdir / "decks"
    warm_delegates = prepare_delegates(presentations[:warm_ups], decks, WARM_UP_DECK_MB, WARM_UP_SLIDES, "warm-up")
    delegates = prepare_delegates(presentations[warm_ups:], decks, args.size_mb, args.slides, "burst")
    deck_mb = sum(delegate.deck.stat().st_size for delegate in delegates) / len(delegates) / MB
    connections.close_all()  # the children start without this process's connections
    setup_s = time.perf_counter() - run_started

    gunicorn, gunicorn_port = start_gunicorn(env, args.web_workers, workdir / "gunicorn.log")
    cleanup.callback(stop_group, gunicorn)
    nginx = start_nginx(workdir / "nginx", gunicorn_port, env)
    cleanup.callback(nginx.stop)
    port = nginx.port
    worker = start_celery_worker(env, args.concurrency, workdir / "celery.log")
    cleanup.callback(stop_group, worker, 120)

    for delegate in warm_delegates + delegates:
        fetch_upload_form(port, delegate)
    warm_uploads, _started_at, _wall = upload_all_at_once(port, warm_delegates)
    deadline = time.monotonic() + args.timeout
    if not wait_for_conversions(workshop, worker, deadline):
        raise RuntimeError("the warm-up decks were not converted")
    memory = WebWorkerMemory(gunicorn.pid)
    memory.take_baseline()

    with memory:
        uploads, burst_started_at, uploads_wall_s = upload_all_at_once(port, delegates)
        report_refusals(uploads)
        finished = wait_for_conversions(workshop, worker, deadline)

    versions = list(PresentationFile.objects.filter(presentation__workshop=workshop))
    burst_ids = {delegate.presentation_id for delegate in delegates}
    figures = {
        "database": connections["default"].vendor,
        "database_note": "" if database_url.startswith("postgres") else "PostgreSQL not reachable: SQLite",
        "delegates": args.delegates,
        "deck_mb": round(deck_mb, 1),
        "slides": args.slides,
        "web_workers": args.web_workers,
        "celery_concurrency": args.concurrency,
        "nginx_client_max_body_size": nginx_body_limit(int(env["PRESENTATION_MAX_UPLOAD_MB"])),
        "setup_s": round(setup_s, 1),
        "warm_up_statuses": dict(Counter(str(upload.status) for upload in warm_uploads)),
        "upload": upload_figures(uploads, uploads_wall_s, delegates),
        "web_memory": memory.figures(),
        "conversions_finished": finished,
        "conversion": conversion_figures(versions, burst_ids, burst_started_at, uploads_wall_s),
        "storage": storage_figures(versions, warm_delegates + delegates, workdir / "private"),
        "nginx_error_lines": lines_with(workdir / "nginx" / "error.log", NGINX_ERRORS),
        "gunicorn_error_lines": lines_with(workdir / "gunicorn.log", GUNICORN_ERRORS),
        "celery_error_lines": lines_with(workdir / "celery.log", CELERY_ERRORS),
        "celery_worker_alive": worker.poll() is None,
        "leftover_temp_files": files_under(workdir / "tmp", workdir / "nginx" / "temp"),
    }
    figures["run_s"] = round(time.perf_counter() - run_started, 1)
    return figures


def drop_database(url: str) -> None:
    from django.conf import settings
    from django.db import connections

    if settings.configured:
        connections.close_all()
    _drop_database(url)


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-upload-burst-"))
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        figures = run(args, workdir, cleanup)
        missed = missed_targets(figures, args.delegates)
        figures.update(targets=TARGETS, missed_targets=missed, meets_targets=not missed)
        print(json.dumps(figures), flush=True)
    sys.exit(0 if not missed else 1)


if __name__ == "__main__":
    main()
