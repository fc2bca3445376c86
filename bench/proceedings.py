"""Benchmark: the proceedings of a full-size workshop, built the way the portal builds them.

The benchmark workshop has 5 country sessions and the special session, 60 presentations with
25-page PDF decks (1,500 deck pages), 150 participants and 6 reports. Prints one JSON line:

- full build seconds and output pages (a fresh process, `manage.py build_proceedings`), and the
  peak memory (RSS) of that process;
- rebuild seconds after one deck is replaced;
- the floor, measured in the same run on the same content: WeasyPrint rendering the same pages
  alone (the front matter: cover, contents, programme, participants, index; and the session text
  the build renders) plus pypdf merging the same decks alone;
- with Redis at REDIS_URL (or 127.0.0.1:6379): the build through one Celery worker and through
  two, on a queue of its own.

    .venv/bin/python bench/proceedings.py
"""

import json
import os
import re
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment, bench_workdir  # noqa: E402  (after the path is set)

COUNTRY_CODES = ["KZ", "KG", "TJ", "TM", "UZ"]
PARTNERS_PER_SESSION = 7
INSTITUTIONS_PER_SESSION = 4
DECK_PAGES = 25
PARTICIPANTS = 150


def _database_url(workdir: Path) -> str:
    """PostgreSQL when it runs here (what production uses; workers write concurrently), else SQLite."""
    try:
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=5432, user="postgres", dbname="postgres", connect_timeout=2
        )
    except Exception:
        return f"sqlite:///{workdir}/bench.sqlite3"
    name = f"portal_bench_{os.getpid()}"
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _drop_database(url: str) -> None:
    if not url.startswith("postgres://"):
        return
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
    connection.close()


def _setup_environment(workdir: Path, redis_url: str) -> dict:
    # The web side builds inline; the workers started for the pipeline runs get the broker.
    env = bench_environment(workdir, _database_url(workdir), CELERY_QUEUE=f"bench-{os.getpid()}", LOG_LEVEL="WARNING")
    return {**env, "REDIS_URL": redis_url} if redis_url else env


def _create_workshop():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demo.files import demo_pdf
    from presentations.enums import PresentationStatus
    from presentations.models import Presentation
    from presentations.services import presentation_accept_upload, presentation_create, presentation_decide
    from registrations.enums import RegistrationStatus
    from reports.models import SessionReport
    from reports.services import report_save
    from sessions.enums import SegmentKind
    from testkit.factories import (
        RegistrationFactory,
        WorkshopFactory,
        approved_delegate,
        country_session,
        institution_delegate,
        segment_of,
        special_session,
        staff_user,
    )
    from workshop_portal.models import MemberState
    from workshop_portal.roles import ORGANISERS

    organiser = staff_user("bench-organiser@example.org", ORGANISERS)
    workshop = WorkshopFactory(
        slug="bench-proceedings", title="Benchmark Workshop on Technical Cooperation", capacity=500
    )
    sessions = [
        country_session(workshop, code, day=index // 3, start=(9 + 2 * (index % 3), 0), end=(10 + 2 * (index % 3), 30))
        for index, code in enumerate(COUNTRY_CODES)
    ]
    special = special_session(workshop, day=1, start=(15, 0), end=(17, 0))
    partners = iter(MemberState.objects.filter(is_central_asian=False).order_by("code"))
    institutions = ["IsDB", "SESRIC", "UNDP", "WB", "ADB", "ICDT", "IOFS", "ESCAP"]
    slides = [
        (f"Slide {n}", ["A finding of the programme", "Partners and funding", "What comes next"])
        for n in range(2, DECK_PAGES + 1)
    ]

    def present(presenter, session, kind, title):
        presentation = presentation_create(
            presentation=Presentation(
                presenter=presenter, segment=segment_of(session, kind), title=title,
                abstract=f"{title}. What was done, with which partners, what stood in the way, what it suggests. " * 3,
            ),
            by=organiser,
        )  # fmt: skip
        deck = SimpleUploadedFile("deck.pdf", demo_pdf(title, presenter.participant_name, slides))
        presentation_accept_upload(presentation=presentation, uploaded_file=deck, by=organiser)
        return presentation_decide(presentation=presentation, status=PresentationStatus.ACCEPTED, by=organiser)

    count = 0
    for session in sessions:
        code = session.country.code.code
        present(
            approved_delegate(workshop, code),
            session,
            SegmentKind.HOST_STATE,
            f"Technical cooperation in {session.country.name}",
        )
        count += 1
        for _ in range(PARTNERS_PER_SESSION):
            state = next(partners)
            present(
                approved_delegate(workshop, state.code.code),
                session,
                SegmentKind.PARTNER_BEST_PRACTICES,
                f"A best practice of {state.name}",
            )
            count += 1
        for index in range(INSTITUTIONS_PER_SESSION):
            acronym = institutions[(count + index) % len(institutions)]
            present(
                institution_delegate(workshop, acronym),
                session,
                SegmentKind.INTERNATIONAL_INSTITUTIONS,
                f"Programme {count} of {acronym}",
            )
            count += 1
    for _ in range(PARTICIPANTS - workshop.registrations.count()):
        RegistrationFactory(workshop=workshop, status=RegistrationStatus.APPROVED)
    paragraph = "The participants discussed the programmes under way, their obstacles and their results. " * 6
    for session in [*sessions, special]:
        report = SessionReport.objects.create(session=session)
        report.summary = f"# Findings\n\n{paragraph}\n\n{paragraph}"
        report.challenges = "\n".join(f"- Challenge {n}: {paragraph[:120]}" for n in range(6))
        report.best_practices = "\n".join(f"- Practice {n}: {paragraph[:120]}" for n in range(6))
        report.expectations = paragraph
        report.recommendations = "\n".join(f"{n}. {paragraph[:100]}" for n in range(1, 8))
        report_save(report=report, by=organiser)
    return workshop, organiser, count


def _floor(workshop) -> dict:
    """The same pages rendered by WeasyPrint alone, and the same decks merged by pypdf alone."""
    import io

    from django.template.loader import render_to_string
    from pypdf import PdfReader, PdfWriter

    from presentations.models import PresentationFile
    from reports.proceedings import render
    from reports.proceedings.manifest import proceedings_manifest
    from workshop_portal.pdf import html_render

    manifest = proceedings_manifest(workshop=workshop, language="en")
    # The same front matter the volume has: cover and programme, participants, contents and index.
    contents = [{"level": 1, "title": s["title"], "page": 100} for s in manifest["sessions"]]
    for session in manifest["sessions"]:
        for segment in session["segments"]:
            contents.append({"level": 2, "title": segment["title"], "page": 100})
            contents += [
                {"level": 3, "title": f"{i['title']} — {i['presenter']}", "page": 100} for i in segment["items"]
            ]
    names = sorted(
        {
            n
            for s in manifest["sessions"]
            for g in s["segments"]
            for i in g["items"]
            for n in (i["state"], i["institution"])
            if n
        }
    )
    index = [{"name": name, "pages": [100, 200]} for name in names]
    started = time.perf_counter()
    front_pages = 0
    for document in (
        render.render_front(manifest),
        render.render_participants(manifest),
        html_render(render_to_string("reports/pdf/contents_index.html", {"contents": contents, "index": index})),
    ):
        document.write_pdf()
        front_pages += len(document.pages)
    front_seconds = time.perf_counter() - started
    started = time.perf_counter()
    text_pages = front_pages
    for session in manifest["sessions"]:
        document, _outline = render.render_session(manifest, session)
        document.write_pdf()
        text_pages += len(document.pages)
    text_seconds = time.perf_counter() - started + front_seconds
    started = time.perf_counter()
    writer = PdfWriter()
    for version in PresentationFile.objects.filter(presentation__workshop=workshop).order_by("pk"):
        with version.file.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        for page in reader.pages:
            writer.add_page(page)
    writer.write(io.BytesIO())
    merge_seconds = time.perf_counter() - started
    return {
        "front_matter_render_s": round(front_seconds, 2),
        "all_text_render_s": round(text_seconds, 2),
        "text_pages": text_pages,
        "deck_merge_s": round(merge_seconds, 2),
        "deck_pages": len(writer.pages),
    }


def _build_in_fresh_process(env: dict) -> tuple[float, int]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "manage.py", "build_proceedings", "bench-proceedings"],
        cwd=ROOT, env={k: v for k, v in env.items() if k != "REDIS_URL"}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    pages = int(re.search(r"pages: (\d+)", out.stdout).group(1))
    # The command times the build itself, without starting Python and Django (as the floor does).
    seconds = float(re.search(r"seconds: ([\d.]+)", out.stdout).group(1))
    return seconds, pages, wall


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        return ""
    return url


def _build_with_workers(env: dict, workers: int) -> float | None:
    """The build through Celery: `workers` worker processes of one slot each, on a queue of their own."""
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workshop_portal",
                "worker",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                env["CELERY_QUEUE"],
                "-n",
                f"bench{n}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    try:
        code = (
            "import time, django; django.setup()\n"
            "from workshop_portal.celery import app\n"
            "from reports.models import ProceedingsPart, ProceedingsBuild\n"
            "from reports.proceedings.services import proceedings_request_build\n"
            "from workshop_portal.models import Workshop, User\n"
            "deadline = time.monotonic() + 60\n"
            f"while len(app.control.ping(timeout=0.5)) < {workers} and time.monotonic() < deadline: pass\n"
            "ProceedingsPart.objects.all().delete(); ProceedingsBuild.objects.all().delete()\n"
            "w = Workshop.objects.get(slug='bench-proceedings')\n"
            "u = User.objects.get(email='bench-organiser@example.org')\n"
            "t = time.perf_counter(); b = proceedings_request_build(workshop=w, by=u).build\n"
            "while True:\n"
            "    b.refresh_from_db()\n"
            "    if not b.is_pending: break\n"
            "    time.sleep(0.05)\n"
            "assert b.status == 'ready', b.error\n"
            "print(time.perf_counter() - t)\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        return float(out.stdout.strip().splitlines()[-1])
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)


def main() -> None:
    workdir = bench_workdir("portal-bench-proceedings-")
    redis_url = _redis_url()
    env = _setup_environment(workdir, redis_url)

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from demo.files import demo_pdf
    from presentations.models import Presentation
    from presentations.services import presentation_accept_upload

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    workshop, organiser, presentations = _create_workshop()
    setup_seconds = time.perf_counter() - started

    floor = _floor(workshop)
    full_seconds, pages, full_wall = _build_in_fresh_process(env)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    presentation = Presentation.objects.filter(workshop=workshop).order_by("pk")[10]
    replacement = demo_pdf("A replaced deck", "bench", [(f"New slide {n}", ["Changed"]) for n in range(2, 26)])
    presentation_accept_upload(
        presentation=presentation, uploaded_file=SimpleUploadedFile("new.pdf", replacement), by=organiser
    )
    rebuild_seconds, _pages, _wall = _build_in_fresh_process(env)

    one_worker = two_workers = None
    if redis_url:
        one_worker = _build_with_workers(env, 1)
        two_workers = _build_with_workers(env, 2)

    from django.db import connections

    connections.close_all()
    _drop_database(env["DATABASE_URL"])
    floor_seconds = floor["all_text_render_s"] + floor["deck_merge_s"]
    print(
        json.dumps(
            {
                "database": env["DATABASE_URL"].split(":", 1)[0],
                "presentations": presentations,
                "setup_s": round(setup_seconds, 1),
                "full_build_s": round(full_seconds, 2),
                "full_build_process_wall_s": round(full_wall, 2),
                "output_pages": pages,
                "peak_rss_mb": round(peak_rss_mb, 1),
                "rebuild_after_one_deck_s": round(rebuild_seconds, 2),
                "floor": floor,
                "floor_s": round(floor_seconds, 2),
                "full_over_floor": round(full_seconds / floor_seconds, 2),
                "rebuild_over_full": round(rebuild_seconds / full_seconds, 2),
                "celery_one_worker_s": round(one_worker, 2) if one_worker else None,
                "celery_two_workers_s": round(two_workers, 2) if two_workers else None,
                "two_over_one": round(two_workers / one_worker, 2) if one_worker and two_workers else None,
                "targets": {"full_over_floor": 1.25, "rebuild_over_full": 0.2, "peak_rss_mb": 400, "two_over_one": 0.7},
            }
        )
    )


if __name__ == "__main__":
    main()
