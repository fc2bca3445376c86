"""Real Celery workers and Redis servers for the tests, started and killed like in production.

Everything listens on loopback. A fault test gets a Redis server of its own (so stopping it
harms nobody) and a worker pointed at it; the test process publishes to it through
`broker_switched`.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a loopback port; stop() and start() again on the same port."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_dir / f"redis-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        command = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""]
        command += ["--appendonly", "no", "--logfile", str(self.log_path)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def client(self):
        """A redis-py client, to look at or take messages from the broker's lists."""
        import redis

        return redis.Redis.from_url(self.url)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


@contextlib.contextmanager
def broker_switched(url: str):
    """Point this process's Celery app (publishing, control) at another broker for a while."""
    from workshop_portal.celery import app

    saved = app.conf.broker_url, app.conf.result_backend
    app.conf.broker_url = app.conf.result_backend = url
    _forget_connections(app)
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.result_backend = saved
        _forget_connections(app)


def _forget_connections(app) -> None:
    # Celery caches its connection and producer pools, its result backend and its control
    # mailbox; drop them so the next publish or ping uses the new URL.
    app._pool = None
    app.amqp._producer_pool = None
    for cached in ("backend", "control"):
        app.__dict__.pop(cached, None)
        app._local.__dict__.pop(cached, None)


def worker_environment(**overrides: str) -> dict:
    from django.db import connection

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "workshop_portal.settings.test", **overrides}
    if "DATABASE_URL" in os.environ:
        from urllib.parse import urlsplit

        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = url._replace(path="/" + connection.settings_dict["NAME"]).geturl()
    return env


class Worker:
    """`celery worker` in its own process group, so SIGKILL takes it, its pool and LibreOffice at once."""

    def __init__(self, log_path: Path, *, concurrency: int = 2, **env: str):
        self.node = f"tests-{os.getpid()}-{free_port()}@{socket.gethostname()}"
        self.log_path = log_path
        command = [sys.executable, "-m", "celery", "-A", "workshop_portal", "worker", "--loglevel=INFO"]
        command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "-n", self.node]
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=worker_environment(**env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def poll(self):
        return self.process.poll()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, app, timeout: float = 60) -> "Worker":
        deadline = time.monotonic() + timeout
        while not app.control.ping(destination=[self.node], timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start:\n{self.log()[-4000:]}")
        return self

    def kill(self) -> None:
        """SIGKILL to the whole group: no warm shutdown, no acknowledgement, no clean-up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # anything the group left behind


@contextlib.contextmanager
def tasks_inline():
    """Celery tasks run in this process while the block runs, also in the pass with a real worker
    (whose own settings would, for one, send email elsewhere)."""
    from workshop_portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = saved
