"""Benchmark: a burst of deck uploads through nginx and gunicorn, and their conversion to PDF.

100 approved delegates of one workshop, each with a draft presentation (the project's factories and
services; the accounts in bulk), upload a ~20 MB PowerPoint deck at the same moment, each over a
connection of its own, as a browser does: the presentation's page first (the CSRF cookie and the
form's token), then a multipart POST to the upload view, streamed from disk. In front, Debian's
nginx with deploy/nginx/portal.conf, started by tests/nginx.py as for tests/deploy/test_nginx.py
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
import hashlib
import http.client
import io
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment  # noqa: E402  (after the path is set)
from bench.proceedings import _database_url, _drop_database  # noqa: E402
from tests.nginx import Nginx, stop_group, wait_for_port  # noqa: E402
from tests.workers import RedisServer, free_port  # noqa: E402

MB = 1024 * 1024
LIMITS_SCRIPT = ROOT / "deploy" / "nginx" / "10-portal-limits.envsh"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

TARGET_WORKER_GROWTH_MB = 64
SAMPLE_EVERY_S = 0.2
WARM_UPS_PER_WEB_WORKER = 2
WARM_UP_DECK_MB, WARM_UP_SLIDES = 1, 2
# Pillow's JPEG of RGB noise at quality 90 (measured): what sizes the pictures.
NOISE_JPEG_BYTES_PER_PIXEL = 0.9
# On the first slide of the deck built once; each copy puts its owner there instead.
OWNER_MARK = "OWNER-MARK-000"

NGINX_ERRORS = ("[error]", "[crit]", "[alert]", "[emerg]")
GUNICORN_ERRORS = (" ERROR ", "[ERROR]", " CRITICAL ", "[CRITICAL]")
CELERY_ERRORS = ("ERROR/", "CRITICAL/")


@dataclass
class Delegate:
    """A signed-in delegate, their presentation, and the deck they upload."""

    presentation_id: int
    session: str
    deck: Path
    sha256: str
    pages: int
    csrf_cookie: str = ""
    csrf_token: str = ""


@dataclass
class Upload:
    status: int
    seconds: float
    location: str
    body_bytes: int
    message: str = ""  # what the page said, when it was not the redirect


# --- The decks ----------------------------------------------------------------------------------


def noise_jpeg(seed: int, size_bytes: int) -> bytes:
    """A 4:3 JPEG of random pixels of about `size_bytes`: nothing compresses it further."""
    from PIL import Image

    pixels = max(64 * 48, size_bytes / NOISE_JPEG_BYTES_PER_PIXEL)
    width = int(math.sqrt(pixels * 4 / 3))
    height = width * 3 // 4
    image = Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def deck_parts(size_mb: float, slides: int) -> list[tuple[str, bytes]]:
    """The parts (ZIP entries) of a real deck of `slides` slides, each a picture of noise, about size_mb in all."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for number in range(1, slides + 1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
        slide.shapes.title.text = f"{OWNER_MARK}: slide 1" if number == 1 else f"Slide {number}"
        # A picture of its own per slide: python-pptx stores identical pictures once.
        picture = noise_jpeg(seed=number, size_bytes=int(size_mb * MB / slides))
        slide.shapes.add_picture(io.BytesIO(picture), Inches(1.25), Inches(1.6), width=Inches(7.5))
    out = io.BytesIO()
    deck.save(out)
    with zipfile.ZipFile(out) as package:
        return [(info.filename, package.read(info)) for info in package.infolist()]


def write_deck_copy(parts: list[tuple[str, bytes]], path: Path, owner: str) -> str:
    """The deck with `owner` on its first slide, written to `path`; returns its SHA-256."""
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts:
            if name == "ppt/slides/slide1.xml":
                assert OWNER_MARK.encode() in data, "the first slide lost its owner mark"
                data = data.replace(OWNER_MARK.encode(), owner.encode())
            # JPEGs stored as they are (deflate gains nothing on them and would slow 100 copies down).
            method = zipfile.ZIP_STORED if name.startswith("ppt/media/") else zipfile.ZIP_DEFLATED
            package.writestr(name, data, compress_type=method)
    return file_sha256(path)


def package_parts(path: Path) -> dict[str, tuple[int, int]]:
    """Each part of a PPTX package with its size and CRC-32: its content, whatever the ZIP's own bytes."""
    with zipfile.ZipFile(path) as package:
        return {entry.filename: (entry.file_size, entry.CRC) for entry in package.infolist()}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(MB):
            digest.update(chunk)
    return digest.hexdigest()


# --- The workshop and its delegates ---------------------------------------------------------------


def create_workshop(count: int):
    """A workshop with a Kazakh country session, and `count` approved Kazakh delegates, each with a
    draft presentation in the host state's segment. Returns the workshop and the presentations."""
    from presentations.models import Presentation
    from presentations.services import presentation_create
    from sessions.enums import SegmentKind
    from tests.factories import WorkshopFactory, approved_delegate, country_session, segment_of
    from workshop_portal.models import User

    workshop = WorkshopFactory(slug="bench-upload-burst", capacity=count)
    segment = segment_of(country_session(workshop, "KZ"), SegmentKind.HOST_STATE)
    # In bulk, without a password: hashing 100 passwords would take most of a minute.
    users = User.objects.bulk_create(
        User(email=f"burst-{n:03d}@example.org", password="!", first_name="Delegate", last_name=f"{n:03d}")
        for n in range(count)
    )
    presentations = []
    for number, user in enumerate(users):
        presenter = approved_delegate(workshop, "KZ", user=user)
        presentation = Presentation(presenter=presenter, segment=segment, title=f"Deck {number:03d}", abstract="A")
        presentations.append(presentation_create(presentation=presentation, by=user))
    return workshop, presentations


def signed_in_session(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def prepare_delegates(presentations, decks: Path, size_mb: float, slides: int, prefix: str) -> list[Delegate]:
    """Each presentation's presenter signed in, with a copy of the deck of their own."""
    parts = deck_parts(size_mb, slides)
    delegates = []
    for number, presentation in enumerate(presentations):
        deck = decks / f"{prefix}-{number:03d}.pptx"
        sha256 = write_deck_copy(parts, deck, owner=f"{prefix} delegate {number:03d}")
        session = signed_in_session(presentation.presenter.user)
        delegates.append(Delegate(presentation.pk, session, deck, sha256, pages=slides))
    return delegates


# --- Processes ------------------------------------------------------------------------------------


def start_process(command: list[str], log: Path, env: dict) -> subprocess.Popen:
    """In a process group of its own, so stopping it takes its children too."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def start_gunicorn(env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """As docker-compose.yml runs it (--timeout 300, an access log), on a loopback port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "workshop_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--timeout", "300", "--no-control-socket",
               "--access-logfile", "-"]  # fmt: skip
    process = start_process(command, log, env)
    wait_for_port(port, process, log)
    return process, port


def nginx_body_limit(max_upload_mb: int) -> str:
    """NGINX_CLIENT_MAX_BODY_SIZE as deploy/nginx/10-portal-limits.envsh sets it in the nginx container."""
    script = '. "$1" && printf %s "$NGINX_CLIENT_MAX_BODY_SIZE"'
    return subprocess.run(
        ["sh", "-c", script, "sh", str(LIMITS_SCRIPT)],
        env={"PATH": os.environ["PATH"], "PRESENTATION_MAX_UPLOAD_MB": str(max_upload_mb)},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def start_nginx(prefix: Path, upstream: int, env: dict) -> Nginx:
    """Debian's nginx with the portal's site, everything it writes under `prefix`."""
    # The official image's worker_processes and worker_connections: 100 clients plus 100 upstream
    # connections are more than test_nginx.py's 256.
    return Nginx(prefix, worker_processes="auto", worker_connections=1024).start(
        upstream=upstream,
        static_root=env["STATIC_ROOT"],
        private_media_root=env["PRIVATE_MEDIA_ROOT"],
        client_max_body_size=nginx_body_limit(int(env["PRESENTATION_MAX_UPLOAD_MB"])),
    )


def start_celery_worker(env: dict, concurrency: int, log: Path) -> subprocess.Popen:
    """A real worker, as docker-compose.yml runs it, answering to a node name of its own."""
    from workshop_portal.celery import app

    node = f"bench-burst-{os.getpid()}@{socket.gethostname()}"
    command = [sys.executable, "-m", "celery", "-A", "workshop_portal", "worker", "--loglevel=INFO",
               f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "-n", node]  # fmt: skip
    process = start_process(command, log, env)
    deadline = time.monotonic() + 90
    while not app.control.ping(destination=[node], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Celery worker did not start:\n{log.read_text(errors='replace')[-4000:]}")
    return process


# --- A browser's requests -------------------------------------------------------------------------


def fetch_upload_form(port: int, delegate: Delegate) -> None:
    """The presentation's page, as the signed-in delegate: the CSRF cookie and the form's token."""
    from django.conf import settings
    from django.urls import reverse

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "GET",
            reverse("presentations:detail", args=[delegate.presentation_id]),
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={delegate.session}"},
        )
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"the presentation's page answered {response.status}")
    cookies = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        cookies.load(header)
    delegate.csrf_cookie = cookies[settings.CSRF_COOKIE_NAME].value
    delegate.csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def multipart_body(delegate: Delegate, boundary: str) -> tuple[int, object]:
    """The upload form's body (its token, then the file), its length, and the body streamed from disk."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{delegate.csrf_token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{delegate.deck.name}"\r\n'
        f"Content-Type: {PPTX_TYPE}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def chunks():
        yield head
        with delegate.deck.open("rb") as handle:
            while chunk := handle.read(256 * 1024):
                yield chunk
        yield tail

    return len(head) + delegate.deck.stat().st_size + len(tail), chunks()


def upload_deck(port: int, delegate: Delegate, start: threading.Barrier) -> Upload:
    """One delegate's upload, on a connection of its own, once every delegate is ready."""
    from django.conf import settings
    from django.urls import reverse

    boundary = secrets.token_hex(16)
    length, body = multipart_body(delegate, boundary)
    origin = f"http://127.0.0.1:{port}"
    cookies = {settings.SESSION_COOKIE_NAME: delegate.session, settings.CSRF_COOKIE_NAME: delegate.csrf_cookie}
    headers = {
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
        "Origin": origin,
        "Referer": origin + reverse("presentations:detail", args=[delegate.presentation_id]),
    }
    path = reverse("presentations:upload", args=[delegate.presentation_id])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    start.wait()
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=body, headers=headers, encode_chunked=False)
        response = connection.getresponse()
        page = response.read()
        seconds = time.perf_counter() - started
        message = "" if response.status == 302 else page_message(page)
        return Upload(response.status, seconds, response.getheader("Location", ""), length, message)
    except (OSError, http.client.HTTPException) as error:
        print(f"upload to {path} failed: {error!r}", file=sys.stderr)
        return Upload(0, time.perf_counter() - started, "", length)
    finally:
        connection.close()


def page_message(page: bytes) -> str:
    """The alert a refused upload's page shows (or the start of the page), for the report on stderr."""
    text = page.decode(errors="replace")
    alert = re.search(r'class="[^"]*(?:alert|invalid-feedback)[^"]*"[^>]*>(.*?)</', text, re.S)
    return re.sub(r"\s+", " ", alert.group(1) if alert else text[:200]).strip()


def report_refusals(uploads: list[Upload]) -> None:
    for upload in uploads:
        if upload.status != 302:
            print(f"upload answered {upload.status} after {upload.seconds:.1f} s: {upload.message}", file=sys.stderr)


def upload_all_at_once(port: int, delegates: list[Delegate]) -> tuple[list[Upload], float, float]:
    """Every delegate's upload released at one moment. Returns the uploads, the start (epoch) and the wall time."""
    start = threading.Barrier(len(delegates) + 1, timeout=120)
    with ThreadPoolExecutor(max_workers=len(delegates)) as pool:
        futures = [pool.submit(upload_deck, port, delegate, start) for delegate in delegates]
        start.wait()
        started, started_at = time.perf_counter(), time.time()
        uploads = [future.result() for future in futures]
    return uploads, started_at, time.perf_counter() - started


# --- Memory of the web workers --------------------------------------------------------------------


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class WebWorkerMemory:
    """The resident memory of gunicorn's workers: each one's idle baseline, then its peak, sampled
    in a thread every SAMPLE_EVERY_S and read from the kernel's high-water mark (VmHWM) too."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid
        self.baseline_kb: dict[int, int] = {}
        self.peak_kb: dict[int, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    def take_baseline(self) -> None:
        for pid in self.workers():
            self.baseline_kb[pid] = status_kb(pid, "VmRSS")
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # the high-water mark starts again from here

    def sample(self) -> None:
        for pid in self.workers():
            with contextlib.suppress(OSError, KeyError):  # a worker that just ended
                peak = max(status_kb(pid, "VmRSS"), status_kb(pid, "VmHWM"))
                self.peak_kb[pid] = max(self.peak_kb.get(pid, 0), peak)
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()

    def figures(self) -> dict:
        # gunicorn replaces a worker that died or timed out under a new pid.
        restarted = len(set(self.baseline_kb) - set(self.workers()))
        workers = [
            {
                "baseline_mb": round(self.baseline_kb[pid] / 1024, 1),
                "peak_mb": round(self.peak_kb.get(pid, 0) / 1024, 1),
                "growth_mb": round((self.peak_kb.get(pid, 0) - self.baseline_kb[pid]) / 1024, 1),
            }
            for pid in sorted(self.baseline_kb)
        ]
        return {
            "workers": workers,
            "max_growth_mb": max(worker["growth_mb"] for worker in workers),
            "samples": self.samples,
            "restarts": restarted,
        }


# --- Waiting and checking -------------------------------------------------------------------------


def wait_for_conversions(workshop, worker: subprocess.Popen, deadline: float) -> bool:
    """Until no version of the workshop waits or converts; False at the deadline or when the worker died."""
    from presentations.enums import ConversionStatus
    from presentations.models import PresentationFile

    unfinished = PresentationFile.objects.filter(
        presentation__workshop=workshop,
        conversion_status__in=[ConversionStatus.PENDING, ConversionStatus.CONVERTING],
    )
    while unfinished.exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def quantiles(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    return {
        "p50_s": round(statistics.median(ordered), 2),
        "p95_s": round(ordered[max(0, math.ceil(len(ordered) * 0.95) - 1)], 2),
        "max_s": round(ordered[-1], 2),
    }


def upload_figures(uploads: list[Upload], wall_s: float, delegates: list[Delegate]) -> dict:
    from django.urls import reverse

    redirected = sum(
        1
        for upload, delegate in zip(uploads, delegates, strict=True)
        if upload.status == 302 and upload.location == reverse("presentations:detail", args=[delegate.presentation_id])
    )
    sent_mb = sum(upload.body_bytes for upload in uploads) / MB
    return {
        "wall_s": round(wall_s, 2),
        **quantiles([upload.seconds for upload in uploads]),
        "aggregate_mb_s": round(sent_mb / wall_s, 1),
        "statuses": dict(Counter(str(upload.status) for upload in uploads)),
        "redirected_to_presentation": redirected,
    }


def conversion_figures(versions, burst_ids: set[int], burst_started_at: float, uploads_wall_s: float) -> dict:
    from presentations.enums import ConversionStatus

    burst = [version for version in versions if version.presentation_id in burst_ids]
    done = [version for version in burst if version.conversion_status == ConversionStatus.CONVERTED]
    last = max((version.converted_at.timestamp() for version in done), default=None)
    per_deck = [(version.converted_at - version.conversion_started_at).total_seconds() for version in done]
    waits = [(version.conversion_started_at - version.conversion_queued_at).total_seconds() for version in done]
    wall_s = last - burst_started_at if last else None
    return {
        "converted": len(done),
        "statuses": dict(Counter(version.conversion_status for version in versions)),
        "max_attempts": max((version.conversion_attempts for version in versions), default=0),
        "wall_s_from_burst_start": round(wall_s, 1) if wall_s else None,
        "after_last_upload_s": round(wall_s - uploads_wall_s, 1) if wall_s else None,
        "decks_per_minute": round(len(done) / wall_s * 60, 1) if wall_s else None,
        "per_deck": quantiles(per_deck),
        "queue_wait_max_s": round(max(waits), 1) if waits else None,
    }


def storage_figures(versions, delegates: list[Delegate], private_root: Path) -> dict:
    """What is stored against what was sent: one version per presentation, its bytes, and the folder's files."""
    from presentations.enums import ConversionStatus

    sent = {delegate.presentation_id: delegate for delegate in delegates}
    per_presentation = Counter(version.presentation_id for version in versions)
    referenced = {version.file.name for version in versions} | {version.pdf.name for version in versions if version.pdf}
    on_disk = {str(path.relative_to(private_root)) for path in private_root.rglob("*") if path.is_file()}
    # The portal stores the neutralised copy of a deck (a rewritten package), not the bytes sent: a
    # deck is intact when its stored file matches its recorded SHA-256 and holds every part sent, unchanged.
    intact = sum(
        1
        for version in versions
        if version.presentation_id in sent
        and (private_root / version.file.name).is_file()
        and file_sha256(private_root / version.file.name) == version.sha256
        and package_parts(private_root / version.file.name) == package_parts(sent[version.presentation_id].deck)
    )
    complete_pdfs = sum(
        1
        for version in versions
        if version.conversion_status == ConversionStatus.CONVERTED
        and version.pdf
        and (private_root / version.pdf.name).is_file()
        and version.page_count == sent[version.presentation_id].pages
    )
    return {
        "presentations": len(sent),
        "stored_once": sum(1 for presentation_id in sent if per_presentation[presentation_id] == 1),
        "versions": len(versions),
        "intact_sha256": intact,
        "deck_files": sum(1 for name in on_disk if name.endswith(".pptx")),
        "pdf_files": sum(1 for name in on_disk if name.endswith(".pdf")),
        "pdfs_complete": complete_pdfs,
        "orphan_files": len(on_disk - referenced),
        "missing_files": len(referenced - on_disk),
    }


def lines_with(path: Path, markers: tuple[str, ...]) -> int:
    if not path.exists():
        return 0
    return sum(1 for line in path.read_text(errors="replace").splitlines() if any(m in line for m in markers))


def files_under(*folders: Path) -> int:
    return sum(1 for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file())


# --- The run --------------------------------------------------------------------------------------


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


TARGETS = {
    "upload_status": 302,
    "web_worker_growth_mb": TARGET_WORKER_GROWTH_MB,
    "versions_per_presentation": 1,
    "orphan_or_missing_files": 0,
    "failed_conversions": 0,
    "conversion_attempts": 1,
    "error_log_lines": 0,
    "web_worker_restarts": 0,
    "celery_worker_alive": True,
    "leftover_temp_files": 0,
}


def missed_targets(figures: dict, delegates: int) -> list[str]:
    """The names of the targets this run missed (none: it meets them all)."""
    storage, conversion = figures["storage"], figures["conversion"]
    uploads = storage["presentations"]
    logged_errors = figures["nginx_error_lines"] + figures["gunicorn_error_lines"] + figures["celery_error_lines"]
    checks = {
        "every upload redirected": figures["upload"]["redirected_to_presentation"] == delegates,
        "web worker memory": figures["web_memory"]["max_growth_mb"] <= TARGET_WORKER_GROWTH_MB,
        "web workers never restarted": figures["web_memory"]["restarts"] == 0,
        "stored once": storage["stored_once"] == uploads == storage["versions"],
        "stored decks hold the parts sent": storage["intact_sha256"] == uploads,
        "one deck file per upload": storage["deck_files"] == uploads,
        "one PDF per conversion": storage["pdf_files"] == storage["pdfs_complete"] == uploads,
        "no orphan or missing file": storage["orphan_files"] == storage["missing_files"] == 0,
        "every conversion done": figures["conversions_finished"] and conversion["converted"] == delegates,
        "converted at the first attempt": conversion["max_attempts"] == 1,
        "no error logged": logged_errors == 0,
        "celery worker alive": figures["celery_worker_alive"],
        "no temporary file left": figures["leftover_temp_files"] == 0,
    }
    return [name for name, met in checks.items() if not met]


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
