"""deploy/nginx/portal.conf for real: Debian's nginx in front of gunicorn on the test database.

Both listen on free loopback ports. gunicorn runs the portal with PROTECTED_FILES_SERVER=nginx,
so a download leaves the view as an empty response with X-Accel-Redirect and nginx sends the
file from the private folder.
"""

import http.client
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from presentations.services import presentation_accept_upload
from testkit.factories import host_state_presentation
from testkit.files import pdf_bytes, upload
from testkit.nginx import NGINX, Nginx, stop_group, wait_for_port
from testkit.workers import free_port, worker_environment

BASE_DIR = Path(__file__).resolve().parents[2]
# What deploy/nginx/10-portal-limits.envsh adds to PRESENTATION_MAX_UPLOAD_MB for the form around the file.
UPLOAD_MARGIN_MB = 2

pytestmark = [
    pytest.mark.skipif(not os.access(NGINX, os.X_OK), reason="nginx is not installed (apt-get install nginx)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def static_root(settings, tmp_path):
    root = tmp_path / "static"
    settings.STATIC_ROOT = root
    call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def gunicorn(tmp_path):
    """The portal under gunicorn, on the test database, handing downloads to nginx."""
    port = free_port()
    env = worker_environment(PROTECTED_FILES_SERVER="nginx", LOG_LEVEL="WARNING")
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    log = tmp_path / "gunicorn.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "workshop_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--no-control-socket", "--access-logfile", "-"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for_port(port, process, log)
        yield port
    finally:
        stop_group(process)


@pytest.fixture
def nginx(tmp_path, gunicorn, static_root):
    """nginx with deploy/nginx/portal.conf, everything it writes kept under tmp_path."""
    max_body_mb = settings.PRESENTATION_MAX_UPLOAD_BYTES // (1024 * 1024) + UPLOAD_MARGIN_MB
    server = Nginx(tmp_path / "nginx", worker_processes=1, worker_connections=256).start(
        upstream=gunicorn,
        static_root=static_root,
        private_media_root=settings.PRIVATE_MEDIA_ROOT,
        client_max_body_size=f"{max_body_mb}m",
    )
    try:
        yield server.port
    finally:
        server.stop()


def request(port: int, method: str, path: str, *, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


@pytest.fixture
def owned_file():
    """An approved delegate, signed in, with a presentation and its uploaded PDF (as stored: rewritten)."""
    presentation = host_state_presentation(slug="nginx")
    presenter = presentation.presenter
    version = presentation_accept_upload(
        presentation=presentation, uploaded_file=upload("deck.pdf", pdf_bytes(pages=3)), by=presenter.user
    )
    with version.file.open("rb") as stored:
        content = stored.read()
    client = Client()
    client.force_login(presenter.user)
    name = settings.SESSION_COOKIE_NAME
    return version, content, {"Cookie": f"{name}={client.cookies[name].value}"}


def test_the_owner_gets_the_file_from_nginx_through_x_accel_redirect(nginx, gunicorn, owned_file):
    version, content, cookie = owned_file
    path = reverse("presentations:download", args=[version.pk])

    # gunicorn alone answers with an empty body and the internal location to send.
    status, headers, body = request(gunicorn, "GET", path, headers=cookie)
    assert status == 200
    assert headers["X-Accel-Redirect"] == f"{settings.PROTECTED_FILES_NGINX_LOCATION}{version.file.name}"
    assert body == b""

    # Through nginx: the very bytes, as a download, and nothing of the internal location leaks.
    status, headers, body = request(nginx, "GET", path, headers=cookie)
    assert status == 200
    assert body == content
    assert "X-Accel-Redirect" not in headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith("attachment;")
    assert headers["Cache-Control"] == "private, no-store"
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert headers.get_all("Content-Security-Policy") == ["sandbox"]

    # Without a session the view refuses before nginx sends anything.
    status, headers, body = request(nginx, "GET", path)
    assert status == 302
    assert content not in body


def test_the_internal_location_is_not_reachable_from_outside(nginx, owned_file):
    version, _content, cookie = owned_file
    for path in (f"/protected/{version.file.name}", "/protected/", f"/static/../protected/{version.file.name}"):
        status, _headers, body = request(nginx, "GET", path, headers=cookie)
        assert status == 404, path
        assert b"%PDF" not in body


def test_an_oversized_upload_is_refused_by_nginx_before_the_portal(nginx, owned_file):
    version, _content, cookie = owned_file
    limit = settings.PRESENTATION_MAX_UPLOAD_BYTES + UPLOAD_MARGIN_MB * 1024 * 1024
    connection = http.client.HTTPConnection("127.0.0.1", nginx, timeout=30)
    try:
        # Only the headers: nginx answers from the announced length, without reading a byte of the body.
        connection.putrequest("POST", reverse("presentations:upload", args=[version.presentation_id]), skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{nginx}")
        connection.putheader("Cookie", cookie["Cookie"])
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(limit + 1))
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413
        assert response.getheader("Server") == "nginx"
    finally:
        connection.close()
    assert version.presentation.files.count() == 1


def test_static_files_are_served_by_nginx_from_the_collected_folder(nginx, gunicorn, static_root):
    status, headers, body = request(nginx, "GET", "/static/css/portal.css")
    assert status == 200
    assert body == (BASE_DIR / "static" / "css" / "portal.css").read_bytes()
    assert headers["Content-Type"].startswith("text/css")
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]

    # A file only the collected folder has: nginx serves it, the portal (WhiteNoise) knows nothing of it.
    probe = f"probe-{secrets.token_hex(4)}.txt"
    (static_root / probe).write_text("collected")
    assert request(nginx, "GET", f"/static/{probe}")[::2] == (200, b"collected")
    assert request(gunicorn, "GET", f"/static/{probe}")[0] == 404

    # Names with a content hash (the manifest storage in production) are cached for good.
    (static_root / "css" / "portal.0123456789ab.css").write_text("body{}")
    status, headers, _body = request(nginx, "GET", "/static/css/portal.0123456789ab.css")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert request(nginx, "GET", "/static/no-such-file.css")[0] == 404


def test_pages_keep_djangos_security_headers_once_and_get_a_request_id(nginx):
    status, headers, _body = request(nginx, "GET", "/")
    assert status == 200
    for name in ("X-Frame-Options", "X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy"):
        assert len(headers.get_all(name) or []) == 1, name
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert headers["Server"] == "nginx"  # no version


def test_the_health_check_answers_through_nginx(nginx, owned_file):
    status, headers, body = request(nginx, "GET", "/healthz")
    assert status == 200, body
    assert headers["Content-Type"] == "application/json"
