"""The measurements of bench/proceedings.py: a build in a process of its own, the web copies, both
editions read back, builds through Celery workers with each process's peak memory, heavy decks."""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
