"""Benchmark: the portal's busiest pages under load, through gunicorn, against the floor.

The benchmark workshop of bench/proceedings.py (5 country sessions and the special session, 60
accepted presentations, 150 participants, built by its own builder) on PostgreSQL when it runs
at 127.0.0.1:5432 (else SQLite). gunicorn with two sync workers on a loopback port; a load
generator of 50 concurrent clients (asyncio streams, one connection per request, as gunicorn's
sync workers close each) sends a fixed number of requests to each page:

- home: the list of published workshops (anonymous);
- programme: the workshop's page with its programme (anonymous), and its ICS download;
- dashboard: a signed-in delegate's "My workshops";
- participants: the list of participants, as that (approved) delegate;
- schedule_xml, schedule_json: the programme as Frab XML and c3voc JSON (api/schedule.py), and
  api_presentations: the read API's list of the workshop's accepted presentations (anonymous;
  reported against the floor, no target of their own yet);
- floor and floor_signed_in: a view that returns five bytes through the same middleware
  (bench/webfloor, a URLconf of this benchmark only), anonymous and signed in.

Each page's throughput is compared with the floor of the same kind (anonymous or signed in);
the target is at least half of it, with no error. The pages are measured twice, each time on a
gunicorn of its own: with the page cache (PAGE_CACHE_SECONDS as configured, 60 by default) and
without it (PAGE_CACHE_SECONDS=0: what a visitor gets right after a change, and what signed-in
pages cost when their fragments are renewed). Without the cache the targets are lower, per page
(UNCACHED_TARGETS: home 0.3 of the floor, the programme 0.2, the dashboard and the list of
participants 0.5 of the signed-in floor); those figures are under "uncached".
`--page-cache on` or `off` measures only one of the two (PAGE_CACHE_SECONDS=0 in the
environment means `off`). In the same run, in-process, the queries each page costs are counted
on a workshop of 6 presentations and one of 600 (with 15 and 1,500 participants, and a delegate
presenting 1 or 10), with the cache emptied and without it: the counts must be the same.

Prints one JSON line.

    .venv/bin/python bench/web.py [--requests 1500] [--concurrency 50] [--workers 2] [--page-cache both|on|off]
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import proceedings  # noqa: E402  (bench/proceedings.py: the benchmark workshop and its environment)

from bench._environment import bench_workdir  # noqa: E402

TARGET_OVER_FLOOR = 0.5
# Without the page cache (PAGE_CACHE_SECONDS=0): each page's share of its floor (issue #18, item 5).
UNCACHED_TARGETS = {"home": 0.3, "programme": 0.2, "dashboard": 0.5, "participants": 0.5}
FLAT_SIZES = (6, 600)
# Measured and reported (their share of the floor under "ratios"), without a target of their own yet.
FEED_PAGES = ("schedule_xml", "schedule_json", "api_presentations")


# --- The load generator ---------------------------------------------------------------------


async def _one_request(port: int, raw: bytes, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        writer.write(raw)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)  # until the server closes
        writer.close()
    except (OSError, TimeoutError):
        return 0, time.perf_counter() - started
    head, _, body = data.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0, time.perf_counter() - started
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            return 0, time.perf_counter() - started  # cut short
    return status, time.perf_counter() - started


async def _load(port: int, raw: bytes, total: int, concurrency: int, deadline_s: float) -> dict:
    remaining = total
    results: list[tuple[int, float]] = []
    stop_at = time.perf_counter() + deadline_s

    async def client():
        nonlocal remaining
        while remaining > 0 and time.perf_counter() < stop_at:
            remaining -= 1
            results.append(await _one_request(port, raw, timeout=30))

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for _status, seconds in results)
    errors = sum(1 for status, _seconds in results if status != 200)
    return {
        "requests": len(results),
        "requests_per_s": round(len(results) / wall, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1),
        "errors": errors,
    }


def server_cpu_seconds(pid: int) -> float | None:
    """The CPU time (user and system) gunicorn's master `pid` and its workers have used, from
    Linux's /proc; None where there is none."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        entries = [entry for entry in Path("/proc").iterdir() if entry.name.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            # After "(command)": state, ppid, ... utime and stime are the 12th and 13th.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def measure(port: int, path: str, cookie: str, *, total: int, concurrency: int, server_pid: int | None = None) -> dict:
    """Requests per second and latencies of `path`; with `server_pid`, also the web processes' CPU
    time per request (cpu_ms), which other programs sharing the cores do not change as much."""
    headers = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close", "User-Agent: bench/web.py"]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    raw = ("\r\n".join(headers) + "\r\n\r\n").encode()
    asyncio.run(_load(port, raw, min(total, 4 * concurrency), concurrency, deadline_s=60))  # warm up
    cpu_before = server_cpu_seconds(server_pid) if server_pid else None
    figures = asyncio.run(_load(port, raw, total, concurrency, deadline_s=120))
    if cpu_before is not None and figures["requests"]:
        cpu_after = server_cpu_seconds(server_pid)
        figures["cpu_ms"] = round((cpu_after - cpu_before) * 1000 / figures["requests"], 2)
    return figures


def _mean_of(runs: tuple[dict, ...]) -> dict:
    keys = ("requests_per_s", "p50_ms", "p95_ms", *(("cpu_ms",) if all("cpu_ms" in run for run in runs) else ()))
    mean = {key: round(statistics.mean(run[key] for run in runs), 2 if key == "cpu_ms" else 1) for key in keys}
    return {
        "requests": sum(run["requests"] for run in runs),
        **mean,
        "errors": sum(run["errors"] for run in runs),
        "runs_requests_per_s": [run["requests_per_s"] for run in runs],
    }


# --- gunicorn -------------------------------------------------------------------------------


def start_gunicorn(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "workshop_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--no-control-socket", "--pythonpath", str(BENCH), "--backlog", "2048"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Query counts at two sizes ----------------------------------------------------------------


def scaled_workshop(presentations: int):
    """A workshop of `presentations` accepted presentations and 2.5 times as many participants,
    written in bulk (the domain rules are the services' business, not this count's), and a
    delegate who presents one in sixty of them, each with two file versions."""
    from presentations.enums import FileKind, PresentationStatus
    from presentations.models import Presentation, PresentationFile
    from registrations.enums import ParticipantCategory, RegistrationStatus
    from registrations.models import Registration
    from sessions.enums import SegmentKind
    from testkit.factories import WorkshopFactory, country_session, segment_of, special_session
    from workshop_portal.enums import InstitutionKind
    from workshop_portal.models import Institution, MemberState, User

    workshop = WorkshopFactory(slug=f"bench-flat-{presentations}", capacity=100_000)
    sessions = [
        country_session(workshop, code, day=index // 3, start=(9 + 2 * (index % 3), 0), end=(10 + 2 * (index % 3), 30))
        for index, code in enumerate(proceedings.COUNTRY_CODES)
    ]
    special_session(workshop, day=1, start=(15, 0), end=(17, 0))
    states = list(MemberState.objects.order_by("code"))
    institutions = list(
        Institution.objects.filter(kind__in=[InstitutionKind.OIC, InstitutionKind.INTERNATIONAL]).order_by("pk")
    )
    participants = max(15, presentations * 5 // 2)
    users = User.objects.bulk_create(
        User(email=f"flat{presentations}-{n}@example.org", password="!", first_name="Flat", last_name=str(n))
        for n in range(participants + 1)
    )
    delegate_user, users = users[0], users[1:]
    registrations = []
    for n, user in enumerate(users):
        if n % 3 == 2:
            institution = institutions[n % len(institutions)]
            category = (
                ParticipantCategory.OIC_INSTITUTION
                if institution.kind == InstitutionKind.OIC
                else ParticipantCategory.INTERNATIONAL_INSTITUTION
            )
            state = None
        else:
            institution, state = None, states[n % len(states)]
            category = ParticipantCategory.OIC_PARTNER_STATE
            if state.is_central_asian:
                category = ParticipantCategory.CENTRAL_ASIAN_STATE
        registrations.append(
            Registration(
                workshop=workshop, user=user, status=RegistrationStatus.APPROVED, participant_name=f"Participant {n}",
                position="Head of Division", category=category, member_state=state, institution=institution,
                email=user.email, consent_to_list=True,
            )
        )  # fmt: skip
    registrations = Registration.objects.bulk_create(registrations)
    delegate = Registration.objects.create(
        workshop=workshop, user=delegate_user, status=RegistrationStatus.APPROVED, participant_name="The delegate",
        position="Director", category=ParticipantCategory.INTERNATIONAL_INSTITUTION, institution=institutions[0],
        email=delegate_user.email, consent_to_list=True,
    )  # fmt: skip
    presenters = [r for r in registrations if r.institution_id]
    own = max(1, presentations // 60)
    rows = []
    for n in range(presentations):
        session = sessions[n % len(sessions)]
        presenter = delegate if n < own else presenters[n % len(presenters)]
        rows.append(
            Presentation(
                segment=segment_of(session, SegmentKind.INTERNATIONAL_INSTITUTIONS), presenter=presenter,
                title=f"Programme {n}", abstract="What was done, with whom, and what it suggests.",
                status=PresentationStatus.ACCEPTED, order=n, workshop=workshop,
                segment_kind=SegmentKind.INTERNATIONAL_INSTITUTIONS,
            )
        )  # fmt: skip
    rows = Presentation.objects.bulk_create(rows)
    PresentationFile.objects.bulk_create(
        PresentationFile(
            presentation=presentation, version=version, file=f"presentations/bench/{presentation.pk}-{version}.pdf",
            original_name="deck.pdf", kind=FileKind.PDF, size=1000, sha256="0" * 64,
        )
        for presentation in rows
        for version in ((1, 2) if presentation.presenter_id == delegate.pk else (1,))
    )  # fmt: skip
    return workshop, delegate_user


def query_counts(pages_for) -> tuple[dict, dict]:
    """{page: {size: queries}} for each size of FLAT_SIZES: with the page cache emptied before
    each request, and without the cache (PAGE_CACHE_SECONDS=0)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    cached: dict[str, dict[str, int]] = {}
    uncached: dict[str, dict[str, int]] = {}
    for size in FLAT_SIZES:
        workshop, user = scaled_workshop(size)
        for counts, seconds in ((cached, settings.PAGE_CACHE_SECONDS or 60), (uncached, 0)):
            with override_settings(PAGE_CACHE_SECONDS=seconds):
                for name, (path, signed_in) in pages_for(workshop).items():
                    client = Client()
                    if signed_in:
                        client.force_login(user)
                    cache.clear()
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(path)
                    assert response.status_code == 200, (path, response.status_code)
                    counts.setdefault(name, {})[str(size)] = len(queries.captured_queries)
    return cached, uncached


def measure_pages(env: dict, args, pages: dict, cookie: str) -> dict:
    """The floors and every page through a gunicorn of its own started with `env`: each page's
    requests per second and its share of the floor of its kind."""
    server, port = start_gunicorn(env, args.workers)
    pid = server.pid
    figures: dict[str, dict] = {}

    def run(path: str, session: str) -> dict:
        return measure(port, path, session, total=args.requests, concurrency=args.concurrency, server_pid=pid)

    def floors() -> list[dict]:
        """The floor view, anonymous and signed in."""
        return [run("/bench/floor/", session) for session in ("", cookie)]

    try:
        # The floor before and after the pages (it moves a little from one run to the next): their mean counts.
        before = floors()
        for name, (path, signed_in) in pages.items():
            figures[name] = run(path, cookie if signed_in else "")
        after = floors()
        for name, runs in zip(("floor", "floor_signed_in"), zip(before, after, strict=True), strict=True):
            figures = {name: _mean_of(runs), **figures}
        for name, (_path, signed_in) in pages.items():
            floor = figures["floor_signed_in" if signed_in else "floor"]
            figures[name]["over_floor"] = round(figures[name]["requests_per_s"] / floor["requests_per_s"], 2)
            if figures[name].get("cpu_ms") and floor.get("cpu_ms"):
                # The same share in CPU time of the web processes: steadier when the cores are shared.
                figures[name]["cpu_over_floor"] = round(floor["cpu_ms"] / figures[name]["cpu_ms"], 2)
            if signed_in:
                figures[name]["over_anonymous_floor"] = round(
                    figures[name]["requests_per_s"] / figures["floor"]["requests_per_s"], 2
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def _passes(page_cache: str | None) -> tuple[str, ...]:
    """Which passes to run: with the page cache ("on"), without it ("off"), or both."""
    if page_cache is None:
        page_cache = "off" if os.environ.get("PAGE_CACHE_SECONDS", "").strip() == "0" else "both"
    return ("on", "off") if page_cache == "both" else (page_cache,)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="requests per page (default 1500)")
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--page-cache", choices=("both", "on", "off"), default=None,
        help="measure with the page cache, without it (PAGE_CACHE_SECONDS=0), or both (default; "
        "only 'off' when PAGE_CACHE_SECONDS=0 is in the environment)",
    )  # fmt: skip
    args = parser.parse_args()

    workdir = bench_workdir("portal-bench-web-")
    env = proceedings._setup_environment(workdir, "")
    env.update(
        DJANGO_SETTINGS_MODULE="webfloor.settings",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        # The API's throttle would refuse most of the load generator's requests from one address.
        API_THROTTLE_ANON="100000000/hour",
        API_THROTTLE_USER="100000000/hour",
        # As production.py has it: a worker keeps its database connection between requests.
        DATABASE_CONN_MAX_AGE="60",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT)]),
    )
    os.environ.update(env)
    (workdir / "static").mkdir()  # STATIC_ROOT, which collectstatic fills below

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from presentations.models import Presentation
    from registrations.models import Registration

    call_command("migrate", verbosity=0)
    # The manifest every {% static %} reads, as production's storage has it (bench/webfloor/settings.py).
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    # The decks are never opened by these pages: two pages each instead of 25 keep the setup short.
    proceedings.DECK_PAGES = 2
    workshop, _organiser, presentations = proceedings._create_workshop()
    delegate = Presentation.objects.filter(workshop=workshop).order_by("pk").first().presenter.user
    participants = Registration.objects.listed().filter(workshop=workshop).count()
    client = Client()
    client.force_login(delegate)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    setup_seconds = time.perf_counter() - started

    def pages_for(w):
        return {
            "home": ("/", False),
            "programme": (reverse("worksessions:programme", args=[w.slug]), False),
            "programme_ics": (reverse("worksessions:programme_ics", args=[w.slug]), False),
            "dashboard": (reverse("registrations:dashboard"), True),
            "participants": (reverse("registrations:participants", args=[w.slug]), True),
            # The feeds phone apps and signage poll (api/), and the read API's list of presentations.
            "schedule_xml": (reverse("api:schedule_xml", args=[w.slug]), False),
            "schedule_json": (reverse("api:schedule_json", args=[w.slug]), False),
            "api_presentations": (reverse("api-presentations") + f"?workshop={w.slug}", False),
        }

    connections.close_all()
    pages = pages_for(workshop)
    passes = _passes(args.page_cache)
    cached: dict[str, dict] = {}
    uncached: dict[str, dict] = {}
    if "on" in passes:
        on_env = dict(env)
        if on_env.get("PAGE_CACHE_SECONDS", "").strip() == "0":
            del on_env["PAGE_CACHE_SECONDS"]  # the settings' default
        cached = measure_pages(on_env, args, pages, cookie)
    if "off" in passes:
        uncached = measure_pages({**env, "PAGE_CACHE_SECONDS": "0"}, args, pages, cookie)
        for name, target in UNCACHED_TARGETS.items():
            uncached[name]["target_over_floor"] = target

    queries, queries_uncached = query_counts(pages_for)
    flat = all(len(set(by_size.values())) == 1 for counts in (queries, queries_uncached) for by_size in counts.values())
    connections.close_all()
    proceedings._drop_database(env["DATABASE_URL"])

    # The figures with the page cache at the top level (as before), or without it when only that pass ran.
    figures = cached or uncached
    meets_cached = not cached or all(
        cached[name]["over_floor"] >= TARGET_OVER_FLOOR for name in pages if name not in FEED_PAGES
    )
    meets_uncached = not uncached or all(
        uncached[name]["over_floor"] >= target for name, target in UNCACHED_TARGETS.items()
    )
    no_error = all(run[name]["errors"] == 0 for run in (cached, uncached) for name in run)
    print(
        json.dumps(
            {
                "database": env["DATABASE_URL"].split(":", 1)[0],
                "gunicorn_workers": args.workers,
                "concurrency": args.concurrency,
                "requests_per_page": args.requests,
                "workshop": {"presentations": presentations, "listed_participants": participants},
                "setup_s": round(setup_seconds, 1),
                **figures,
                "page_cache": "on" if cached else "off",
                **({"uncached": uncached} if cached and uncached else {}),
                "ratios": {
                    pass_name: {name: run[name]["over_floor"] for name in pages}
                    for pass_name, run in (("cached", cached), ("uncached", uncached))
                    if run
                },
                "queries": queries,
                "queries_uncached": queries_uncached,
                "queries_flat": flat,
                "targets": {
                    "over_floor": TARGET_OVER_FLOOR,
                    "uncached_over_floor": UNCACHED_TARGETS,
                    "errors": 0,
                    "queries_flat": True,
                },
                "meets_cached_targets": meets_cached,
                "meets_uncached_targets": meets_uncached,
                "meets_targets": flat and meets_cached and meets_uncached and no_error,
            }
        )
    )


if __name__ == "__main__":
    main()
