"""A browser's requests: the presentation's page (the CSRF cookie and the form's token), then the
multipart upload streamed from disk, every delegate's released at one moment."""

import http.client
import re
import secrets
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie

from bench.burst.delegates import Delegate

PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


@dataclass
class Upload:
    status: int
    seconds: float
    location: str
    body_bytes: int
    message: str = ""  # what the page said, when it was not the redirect


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
