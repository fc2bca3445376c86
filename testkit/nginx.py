"""Debian's nginx with deploy/nginx/portal.conf on a free loopback port, started and stopped like the rest.

tests/deploy/test_nginx.py and bench/upload_burst.py put it in front of their gunicorn. The site is
the template filled as the nginx image's envsubst fills it, inside a small nginx.conf that keeps
everything nginx writes (logs, pid, request bodies) under one folder. Also here: waiting for a
port and stopping a process group, which both use for gunicorn too.
"""

import contextlib
import os
import shutil
import signal
import socket
import string
import subprocess
import time
from pathlib import Path

from testkit.workers import free_port

BASE_DIR = Path(__file__).resolve().parent.parent
PORTAL_CONF = BASE_DIR / "deploy" / "nginx" / "portal.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def render_portal_conf(values: dict) -> str:
    """The template filled the way the nginx image's envsubst fills it: ${NAME} only, nginx's $vars untouched."""
    rendered = string.Template(PORTAL_CONF.read_text()).safe_substitute(values)
    directives = [line for line in rendered.splitlines() if not line.lstrip().startswith("#")]
    unfilled = [line for line in directives if "${" in line]
    assert not unfilled, f"placeholders left in {PORTAL_CONF}: {unfilled}"
    return rendered


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    """Until something listens on the loopback port; the end of `log` in the error when `process` died first."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"nothing listens on {port}:\n{log.read_text(errors='replace')[-4000:]}")
        time.sleep(0.1)


def stop_group(process: subprocess.Popen, grace_s: float = 30) -> None:
    """SIGTERM to a process started with start_new_session, then SIGKILL to whatever is left of its group."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything the group left behind
    process.wait(timeout=30)


class Nginx:
    """nginx in the foreground, in its own process group, with everything it writes under `prefix`:
    nginx.conf, portal.conf, error.log, access.log, stdout.log, nginx.pid and temp/."""

    def __init__(self, prefix: Path, *, worker_processes: int | str = 1, worker_connections: int = 256):
        self.prefix = prefix
        self.port = free_port()
        self.worker_processes = worker_processes
        self.worker_connections = worker_connections
        self.error_log = prefix / "error.log"
        self.process: subprocess.Popen | None = None

    def start(
        self, *, upstream: int, static_root: Path | str, private_media_root: Path | str, client_max_body_size: str
    ) -> "Nginx":
        """portal.conf in front of gunicorn on the loopback `upstream` port; `nginx -t` must accept it."""
        temp = self.prefix / "temp"
        temp.mkdir(parents=True)
        site = render_portal_conf(
            {
                "NGINX_LISTEN": f"127.0.0.1:{self.port}",
                "PORTAL_UPSTREAM": f"127.0.0.1:{upstream}",
                "STATIC_ROOT": str(static_root),
                "PRIVATE_MEDIA_ROOT": str(private_media_root),
                "NGINX_CLIENT_MAX_BODY_SIZE": client_max_body_size,
            }
        )
        (self.prefix / "portal.conf").write_text(site)
        (self.prefix / "nginx.conf").write_text(self._main_conf(temp))
        command = [NGINX, "-p", f"{self.prefix}/", "-c", str(self.prefix / "nginx.conf"), "-e", str(self.error_log)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        with (self.prefix / "stdout.log").open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for_port(self.port, self.process, self.error_log)
        except BaseException:
            self.stop()
            raise
        return self

    def _main_conf(self, temp: Path) -> str:
        prefix = self.prefix
        # As root (CI), the worker processes would otherwise run as nobody and could not read the
        # test's tmp_path or the bench's work folder, where the static and private files are.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return (
            f"{user}daemon off;\nworker_processes {self.worker_processes};\npid {prefix}/nginx.pid;\n"
            f"error_log {self.error_log} info;\n"
            f"events {{ worker_connections {self.worker_connections}; }}\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            f"    access_log {prefix}/access.log;\n"
            # Not Debian's /var/lib/nginx (root's, and shared): request bodies are buffered under
            # `prefix`, where the bench counts the files left behind.
            f"    client_body_temp_path {temp}/body;\n    proxy_temp_path {temp}/proxy;\n"
            f"    fastcgi_temp_path {temp}/fastcgi;\n    uwsgi_temp_path {temp}/uwsgi;\n"
            f"    scgi_temp_path {temp}/scgi;\n"
            "    sendfile on;\n"
            f"    include {prefix}/portal.conf;\n"
            "}\n"
        )

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)
        self.process = None
