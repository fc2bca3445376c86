"""The processes under test, as docker-compose.yml runs them: gunicorn, Debian's nginx with the
portal's site (testkit/nginx.py) and a Celery worker, each in a process group of its own."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from testkit.nginx import Nginx, wait_for_port
from testkit.workers import free_port

ROOT = Path(__file__).resolve().parents[2]
LIMITS_SCRIPT = ROOT / "deploy" / "nginx" / "10-portal-limits.envsh"


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
