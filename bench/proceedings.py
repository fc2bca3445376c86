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
- rebuild seconds after one deck is replaced;
- the floor, measured in the same run on the same content: the front matter rendered alone by
  WeasyPrint, and qpdf merging the same decks alone (the `qpdf` command, else the same library
  through pikepdf); the whole text rendered alone too, for reference;
- with Redis at REDIS_URL (or 127.0.0.1:6379): the build through one Celery worker and through
  two, on a queue of their own, with the peak memory of each worker process.

    .venv/bin/python bench/proceedings.py [--heavy-mb 2048] [--dpi 300] [--no-workers]
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
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

    latest = {}  # the newest version of each deck, in the programme's order is not needed for the floor
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


def _scratch_mb(root: Path) -> float:
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with contextlib.suppress(OSError):  # removed meanwhile
                total += os.path.getsize(os.path.join(folder, name))
    return total / 1e6


def _build_in_fresh_process(env: dict) -> dict:
    """`manage.py build_proceedings` in a process of its own: its time, pages, peak memory (its own
    rusage), the peak size of the jobs' scratch folder while it ran and what it left there."""
    scratch = Path(env["JOB_WORK_DIR"])
    peak = {"mb": 0.0}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "build_proceedings", "bench-proceedings"],
        cwd=ROOT, env={k: v for k, v in env.items() if k != "REDIS_URL"}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip

    def watch():
        while process.poll() is None:
            peak["mb"] = max(peak["mb"], _scratch_mb(scratch))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout = process.stdout.read()
    process.wait()
    watcher.join()
    wall = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"build failed: {stdout}")
    return {
        # The command times the build itself, without starting Python and Django (as the floor does).
        "seconds": float(re.search(r"seconds: ([\d.]+)", stdout).group(1)),
        "pages": int(re.search(r"pages: (\d+)", stdout).group(1)),
        "wall_s": wall,
        "peak_rss_mb": float(re.search(r"peak memory of this process: ([\d.]+) MB", stdout).group(1)),
        "scratch_peak_mb": round(peak["mb"], 1),
        "scratch_left_mb": round(_scratch_mb(scratch), 1),
    }


def _web_copies_from_scratch(env: dict) -> dict:
    """The web copies of every deck made again, in one process of their own (as one worker makes them)."""
    code = (
        "import django, time; django.setup()\n"
        "from presentations.models import PresentationFile\n"
        "from presentations.web_copies import web_copies_make_missing\n"
        "for v in PresentationFile.objects.exclude(web_pdf=''):\n"
        "    v.web_pdf.storage.delete(v.web_pdf.name)\n"
        "PresentationFile.objects.update(web_pdf='')\n"
        "t = time.perf_counter(); r = web_copies_make_missing(limit=100000)\n"
        "from workshop_portal.workdirs import peak_memory_mb\n"
        "print(time.perf_counter() - t, r['made'], r['failed'], peak_memory_mb())\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env={k: v for k, v in env.items() if k != "REDIS_URL"},
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    stdout = process.stdout.read()
    process.wait()
    seconds, made, failed, peak = stdout.split()[-4:]
    return {
        "seconds": round(float(seconds), 2),
        "made": int(made),
        "failed": int(failed),
        "peak_rss_mb": float(peak),
    }


def _check_editions(workshop) -> dict:
    """Both editions of the newest build: sizes, and whether every bookmark lands on its title."""
    import pypdf

    from reports.models import ProceedingsBuild

    build = ProceedingsBuild.objects.filter(workshop=workshop, status="ready").latest("pk")
    result = {"print_mb": round(build.size / 1e6, 1), "web_mb": round(build.web_size / 1e6, 1)}
    result["web_over_print"] = round(build.web_size / build.size, 3)
    for edition, field_file in (("print", build.file), ("web", build.web_file)):
        reader = pypdf.PdfReader(field_file.path)
        missed, checked = [], 0

        def walk(items, depth=0, reader=reader, missed=missed):
            nonlocal checked
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                    continue
                if depth == 0:
                    continue  # the volume's title, on the cover
                page = reader.get_destination_page_number(item)
                text = re.sub(r"\s+", "", reader.pages[page].extract_text())
                checked += 1
                if re.sub(r"\s+", "", item.title.split(" — ")[0]) not in text:
                    missed.append(item.title)

        walk(reader.outline)
        result[f"{edition}_bookmarks_checked"] = checked
        result[f"{edition}_bookmarks_missed"] = missed[:5]
        result[f"{edition}_pages"] = len(reader.pages)
    result["editions_same_pages"] = result["print_pages"] == result["web_pages"] == build.page_count
    return result


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"
    host, port = re.match(r"redis://([^:/]+):?(\d*)", url).groups()
    try:
        socket.create_connection((host, int(port or 6379)), timeout=1).close()
    except OSError:
        return ""
    return url


def _process_tree_peaks(root: int) -> list[float]:
    """The peak memory (VmHWM, MB) of a process and each of its descendants, still running."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    peaks, todo = [], [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(round(int(match.group(1)) / 1024, 1))
    return peaks


def _build_with_workers(env: dict, workers: int) -> tuple[float, list[float]]:
    """The build through Celery: `workers` worker processes of one slot each, on a queue of their own.
    Its seconds, and the peak memory of every worker process (main and pool child)."""
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
        peaks = [peak for proc in procs for peak in _process_tree_peaks(proc.pid)]
        return float(out.stdout.strip().splitlines()[-1]), peaks
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=60)


def _heavy_decks(total_mb: float, dpi: int):
    """A deck maker for `total_mb` of photo decks at `dpi` over the 60 presentations, and its pages per deck."""
    from testkit.files import photo_deck_pdf, photograph_jpeg

    page = (720, 540)  # a 10 x 7.5 inch slide
    size = (round(page[0] / 72 * dpi), round(page[1] / 72 * dpi))
    pool = [photograph_jpeg(*size, seed=n) for n in range(12)]
    per_picture = sum(len(p) for p in pool) / len(pool)
    pages = max(1, round(total_mb * 1e6 / 60 / per_picture))

    def make(number: int, title: str, presenter: str) -> bytes:
        rotated = pool[number % len(pool) :] + pool[: number % len(pool)]
        return photo_deck_pdf(pages, title=title, page_size=page, pictures=rotated)

    return make, pages


def _web_tool_comparison(deck: bytes, workdir: Path) -> dict:
    """The web copy of one heavy deck by the portal (pikepdf with Pillow) and by Ghostscript's pdfwrite
    at its /ebook setting (150 dpi), when `gs` is installed: how the tool was chosen, kept measurable."""
    from workshop_portal.pdf_web import write_web_copy

    source = workdir / "compare-deck.pdf"
    source.write_bytes(deck)
    started = time.perf_counter()
    result = write_web_copy(source, workdir / "compare-pikepdf.pdf")
    figures = {
        "deck_mb": round(len(deck) / 1e6, 1),
        "pikepdf_pillow_s": round(time.perf_counter() - started, 2),
        "pikepdf_pillow_ratio": round(result.written_bytes / len(deck), 3),
    }
    gs = shutil.which("gs")
    if gs:
        output = workdir / "compare-gs.pdf"
        started = time.perf_counter()
        subprocess.run(
            [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/ebook",
             f"-sOutputFile={output}", str(source)],
            check=True,
        )  # fmt: skip
        figures["ghostscript_s"] = round(time.perf_counter() - started, 2)
        figures["ghostscript_ratio"] = round(output.stat().st_size / len(deck), 3)
        output.unlink()
    for name in ("compare-deck.pdf", "compare-pikepdf.pdf"):
        (workdir / name).unlink(missing_ok=True)
    return figures


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

    presentation = Presentation.objects.filter(workshop=workshop).order_by("pk")[10]
    replacement = (
        deck_bytes(999, "A replaced deck", "bench")
        if deck_bytes
        else demo_pdf("A replaced deck", "bench", [(f"New slide {n}", ["Changed"]) for n in range(2, 26)])
    )
    presentation_accept_upload(
        presentation=presentation, uploaded_file=SimpleUploadedFile("new.pdf", replacement), by=organiser
    )
    rebuild = _build_in_fresh_process(env)

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
                "rebuild_peak_rss_mb": rebuild["peak_rss_mb"],
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
