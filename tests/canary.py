"""A canary HTTP server on loopback: it counts every TCP connection and every request it receives.

A hostile document points at it; a conversion that fetched anything named inside the file shows up
here as a connection (even one that never sends a byte) or a request.
"""

import contextlib
import http.server
import threading

PNG_4X4 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000004000000040802000000269309290000001449444154789c633c2127c700034c0c48"
    "003707003476010caf6ab9b50000000049454e44ae426082"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    server: "_Server"

    def parse_request(self) -> bool:
        # Every request line counts, whatever its method (GET, HEAD, PROPFIND, OPTIONS, ...).
        with self.server.lock:
            self.server.requests.append(self.raw_requestline.decode("latin-1", "replace").strip())
        return super().parse_request()

    def _answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG_4X4)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(PNG_4X4)

    do_GET = do_HEAD = do_POST = do_PROPFIND = do_OPTIONS = _answer  # noqa: N815

    def log_message(self, format, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.lock = threading.Lock()
        self.connections = 0
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    def get_request(self):
        accepted = super().get_request()
        with self.lock:
            self.connections += 1
        return accepted


class Canary:
    """Started with `with Canary() as canary:`; `canary.url(path)` names it, `hits()` says what reached it."""

    def __init__(self):
        self._server = _Server()
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "canary.png") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def hits(self) -> tuple[int, list[str]]:
        """(TCP connections accepted, request lines received) so far."""
        with self._server.lock:
            return self._server.connections, list(self._server.requests)

    def __enter__(self) -> "Canary":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        with contextlib.suppress(Exception):
            self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
