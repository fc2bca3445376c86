"""Benchmark: the proceedings of a full-size workshop, built the way the portal builds them.

The benchmark workshop has 5 country sessions and the special session, 60 presentations with
PDF decks, 150 participants and 6 reports. Two kinds of decks:

- light (the default): 25 pages of text each (1,500 deck pages);
- heavy (`--heavy-mb N`): full-page photographs exported at print quality (`--dpi`, 300 by
  default), photo-like pictures that JPEG cannot shrink much, as many pages per deck as make
  about N MB of decks in all (a pool of pictures is reused, so writing gigabytes stays quick).

Prints one JSON line:

- full build seconds and output pages (a fresh process, `manage.py build_proceedings`), the peak
  memory (RSS) of that process, and the peak disk its scratch folder used (and what it left);
- both editions' sizes and their ratio, and whether every bookmark of each lands on a page that
  shows its title;
- the web copies of the decks, made when each deck is ready (before any build): seconds for all
  of them in one process, and that process's peak memory;
- rebuild seconds after one deck is replaced (the median of three, a different deck each time);
- the floor, measured in the same run on the same content: the front matter rendered alone by
  WeasyPrint, and qpdf merging the same decks alone (the `qpdf` command, else the same library
  through pikepdf); the whole text rendered alone too, for reference;
- with Redis at REDIS_URL (or 127.0.0.1:6379): the build through one Celery worker and through
  two, on a queue of their own, with the peak memory of each worker process.

    .venv/bin/python bench/proceedings.py [--heavy-mb 2048] [--dpi 300] [--no-workers]
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment, bench_workdir  # noqa: E402  (after the path is set)
from bench._proceedings_measures import (  # noqa: E402
    _build_in_fresh_process,
    _build_with_workers,
    _check_editions,
    _heavy_decks,
    _web_copies_from_scratch,
    _web_tool_comparison,
)

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


def _create_workshop(deck_bytes=None):
    """The benchmark workshop; `deck_bytes(number, title, presenter)` makes each deck (light by default)."""
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
        content = (
            deck_bytes(count, title, presenter.participant_name)
            if deck_bytes
            else demo_pdf(title, presenter.participant_name, slides)
        )
        deck = SimpleUploadedFile("deck.pdf", content)
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
    from django.template.loader import render_to_string

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
    merge = _qpdf_merge(workshop)
    return {
        "front_matter_render_s": round(front_seconds, 2),
        "all_text_render_s": round(text_seconds, 2),
        "text_pages": text_pages,
        **merge,
    }


def _qpdf_merge(workshop) -> dict:
    """qpdf merging the decks alone, from their files into one file: the floor of any merge."""
    import pikepdf

    from presentations.models import PresentationFile

    latest = {}  # each presentation's newest deck
    for version in PresentationFile.objects.filter(presentation__workshop=workshop).order_by("version"):
        latest[version.presentation_id] = version.pdf_file.path
    paths = list(latest.values())
    output = Path(os.environ["PORTAL_VAR_DIR"]) / "qpdf-floor.pdf"
    command = shutil.which("qpdf")
    started = time.perf_counter()
    if command:
        subprocess.run([command, "--empty", "--pages", *paths, "--", str(output)], check=True)
    else:
        pikepdf.Job(
            {"empty": "", "pages": [{"file": p, "range": "1-z"} for p in paths], "outputFile": str(output)}
        ).run()
    seconds = time.perf_counter() - started
    with pikepdf.open(output) as pdf:
        pages = len(pdf.pages)
    output.unlink()
    return {
        "deck_merge_s": round(seconds, 2),
        "deck_merge_tool": "qpdf" if command else "pikepdf.Job",
        "deck_pages": pages,
        "decks_mb": round(sum(os.path.getsize(p) for p in paths) / 1e6, 1),
    }


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        return ""
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--heavy-mb", type=float, default=0, help="photo decks of about this many MB in all")
    parser.add_argument("--dpi", type=int, default=300, help="the photographs' resolution on their slide")
    parser.add_argument("--no-workers", action="store_true", help="skip the builds through Celery workers")
    args = parser.parse_args()

    workdir = bench_workdir("portal-bench-proceedings-")
    redis_url = "" if args.no_workers else _redis_url()
    env = _setup_environment(workdir, redis_url)
    env["JOB_WORK_DIR"] = os.environ["JOB_WORK_DIR"] = str(workdir / "jobs")

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from demo.files import demo_pdf
    from presentations.models import Presentation
    from presentations.services import presentation_accept_upload

    call_command("migrate", verbosity=0)
    deck_bytes, deck_pages = _heavy_decks(args.heavy_mb, args.dpi) if args.heavy_mb else (None, 25)
    started = time.perf_counter()
    workshop, organiser, presentations = _create_workshop(deck_bytes)
    setup_seconds = time.perf_counter() - started

    web_copies = _web_copies_from_scratch(env)
    tools = _web_tool_comparison(deck_bytes(0, "Comparison", "bench"), workdir) if deck_bytes else None
    floor = _floor(workshop)
    full = _build_in_fresh_process(env)
    editions = _check_editions(workshop)

    # The rebuild after one deck is replaced, three times (a different deck each time): the median,
    # so one slow moment of a shared machine does not decide the figure.
    rebuilds = []
    for turn, position in enumerate((10, 30, 50)):
        presentation = Presentation.objects.filter(workshop=workshop).order_by("pk")[position]
        replacement = (
            deck_bytes(999 + turn, "A replaced deck", "bench")
            if deck_bytes
            else demo_pdf(f"A replaced deck {turn}", "bench", [(f"New slide {n}", ["Changed"]) for n in range(2, 26)])
        )
        presentation_accept_upload(
            presentation=presentation, uploaded_file=SimpleUploadedFile("new.pdf", replacement), by=organiser
        )
        rebuilds.append(_build_in_fresh_process(env))
    rebuild = sorted(rebuilds, key=lambda measure: measure["seconds"])[1]

    one_worker = two_workers = None
    if redis_url:
        one_worker = _build_with_workers(env, 1)
        two_workers = _build_with_workers(env, 2)

    from django.db import connections

    connections.close_all()
    _drop_database(env["DATABASE_URL"])
    # The floor: what any build must do at least, measured alone on the same content.
    floor_s = floor["all_text_render_s"] + floor["deck_merge_s"]
    front_floor_s = floor["front_matter_render_s"] + floor["deck_merge_s"]
    print(
        json.dumps(
            {
                "database": env["DATABASE_URL"].split(":", 1)[0],
                "decks": "heavy" if args.heavy_mb else "light",
                "presentations": presentations,
                "deck_pages_each": deck_pages,
                "decks_mb": floor["decks_mb"],
                "setup_s": round(setup_seconds, 1),
                "web_copies": web_copies,
                "web_tool_comparison": tools,
                "full_build_s": round(full["seconds"], 2),
                "full_build_process_wall_s": round(full["wall_s"], 2),
                "output_pages": full["pages"],
                "peak_rss_mb": full["peak_rss_mb"],
                "scratch_peak_mb": full["scratch_peak_mb"],
                "scratch_left_mb": full["scratch_left_mb"],
                "scratch_over_print": round(full["scratch_peak_mb"] / max(editions["print_mb"], 0.1), 2),
                "editions": editions,
                "rebuild_after_one_deck_s": round(rebuild["seconds"], 2),
                "rebuild_runs_s": [round(measure["seconds"], 2) for measure in rebuilds],
                "rebuild_peak_rss_mb": max(measure["peak_rss_mb"] for measure in rebuilds),
                "floor": floor,
                "floor_s": round(floor_s, 2),
                "full_over_floor": round(full["seconds"] / floor_s, 2),
                "full_over_front_matter_and_qpdf": round(full["seconds"] / front_floor_s, 2),
                "rebuild_over_full": round(rebuild["seconds"] / full["seconds"], 2),
                "celery_one_worker_s": round(one_worker[0], 2) if one_worker else None,
                "celery_one_worker_peak_rss_mb": one_worker[1] if one_worker else None,
                "celery_two_workers_s": round(two_workers[0], 2) if two_workers else None,
                "celery_two_workers_peak_rss_mb": two_workers[1] if two_workers else None,
                "two_over_one": round(two_workers[0] / one_worker[0], 2) if one_worker and two_workers else None,
                "targets": {
                    "full_over_floor": 1.5,
                    "rebuild_over_full": 0.2,
                    "peak_rss_mb": 400,
                    "web_over_print": 0.2,
                    "scratch_over_print": 2,
                    "two_over_one": 0.7,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
