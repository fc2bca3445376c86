"""Benchmark: one 100 MB PDF uploaded through the real upload view, served by gunicorn on loopback.

Prints one JSON line: the file size, seconds, throughput, and how much the serving process's
peak memory grew during the upload (target: under 32 MB, since uploads stream to disk).

    .venv/bin/python bench/upload.py [--size-mb 100]
"""

import argparse
import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._environment import bench_environment, bench_workdir  # noqa: E402  (after the path is set)


def write_big_pdf(path: Path, size_mb: int) -> None:
    """A valid PDF of about size_mb: pages that each show one large image (random bytes, never decoded)."""
    chunk = 4 * 1024 * 1024
    pages = max(1, size_mb // 4)
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(pages))
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()
    with path.open("wb") as out:
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = {}
        for number in (1, 2):
            offsets[number] = out.tell()
            out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
        for index in range(pages):
            page, content, image = 3 + 3 * index, 4 + 3 * index, 5 + 3 * index
            offsets[page] = out.tell()
            out.write(
                b"%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>\nendobj\n" % (page, image, content)
            )
            stream = b"q 842 0 0 595 0 0 cm /Im0 Do Q"
            offsets[content] = out.tell()
            out.write(b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (content, len(stream), stream))
            offsets[image] = out.tell()
            out.write(
                b"%d 0 obj\n<< /Type /XObject /Subtype /Image /Width 1024 /Height 1024 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (image, chunk)
            )
            out.write(os.urandom(chunk))
            out.write(b"\nendstream\nendobj\n")
        count = 3 + 3 * pages
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        for number in range(1, count):
            out.write(b"%010d 00000 n \n" % offsets[number])
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def multipart(boundary: str, fields: dict, file_field: str, file_path: Path, filename: str):
    head = b""
    for name, value in fields.items():
        head += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + file_path.stat().st_size + len(tail)

    def body():
        yield head
        with file_path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                yield chunk
        yield tail

    return length, body()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    args = parser.parse_args()

    workdir = bench_workdir("portal-bench-upload-")
    env = bench_environment(
        workdir, f"sqlite:///{workdir}/bench.sqlite3", PRESENTATION_MAX_UPLOAD_MB=str(args.size_mb + 50)
    )

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from testkit.factories import host_state_presentation

    call_command("migrate", verbosity=0)
    presentation = host_state_presentation(title="Big deck")
    presenter = presentation.presenter
    client = Client()
    client.force_login(presenter.user)
    session_cookie = client.cookies["sessionid"].value
    csrf = secrets.token_hex(16)

    pdf = workdir / "big.pdf"
    write_big_pdf(pdf, args.size_mb)
    small = workdir / "small.pdf"
    write_big_pdf(small, 4)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "workshop_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "300", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        worker = int(subprocess.check_output(["pgrep", "-P", str(server.pid)]).split()[0])

        def post(path: Path) -> tuple[int, float]:
            boundary = secrets.token_hex(16)
            length, body = multipart(boundary, {"csrfmiddlewaretoken": csrf}, "file", path, path.name)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            started = time.perf_counter()
            connection.request(
                "POST",
                f"/presentations/{presentation.pk}/upload/",
                body=body,
                headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Content-Length": str(length),
                    "Cookie": f"sessionid={session_cookie}; csrftoken={csrf}",
                    "Referer": f"http://127.0.0.1:{port}/",
                },
                encode_chunked=False,
            )
            status = connection.getresponse().status
            return status, time.perf_counter() - started

        warm_status, _ = post(small)  # imports and first-request work happen here, not in the measure
        rss_before = status_kb(worker, "VmRSS")
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
        status, seconds = post(pdf)
        peak = status_kb(worker, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)

    size = pdf.stat().st_size
    stored = presentation.files.order_by("-version").first()
    print(
        json.dumps(
            {
                "file_mb": round(size / 1024 / 1024, 1),
                "status": status,
                "warm_up_status": warm_status,
                "seconds": round(seconds, 2),
                "throughput_mb_s": round(size / 1024 / 1024 / seconds, 1),
                "worker_rss_before_mb": round(rss_before / 1024, 1),
                "worker_peak_growth_mb": round((peak - rss_before) / 1024, 1),
                "target_peak_growth_mb": 32,
                "stored_versions": presentation.files.count(),
                "stored_size_matches": stored is not None and stored.size == size,
            }
        )
    )


if __name__ == "__main__":
    main()
