"""A real HTTP server on 127.0.0.1 for the feed tests: serves fixture feeds, injects faults.

    with FeedServer() as server:
        server.route("/calendar.ics", feed("calendar.ics"))
        server.route("/down", status(503, retry_after=1))
        url = server.url("/calendar.ics")

Each route is a function of the request handler. ``server.seen`` records every request
(path, headers, monotonic time) so tests can check retries, waits and conditional GETs.
Slow routes wait on an event that ``stop()`` sets, so the server always stops promptly.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from tests.conftest import FIXTURE_HUB, FIXTURES

FEEDS = FIXTURES / "feeds"
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".csv": "text/csv",
}
LAST_MODIFIED = formatdate(1_792_400_000, usegmt=True)

Route = Callable[["_Handler"], None]


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]
    at: float


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    feed_server: FeedServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        owner = self.server.feed_server
        owner.seen.append(Seen(self.path, dict(self.headers), time.monotonic()))
        route = owner.routes.get(self.path)
        try:
            if route is None:
                send(self, 404, b"not found", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should on a slow or oversized answer

    def log_message(self, format: str, *args: object) -> None:
        pass

    @property
    def stopping(self) -> threading.Event:
        return self.server.feed_server.stopping


class FeedServer:
    def __init__(self, address: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        self._server = _Server((address, port), _Handler)
        self._server.feed_server = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Route) -> str:
        self.routes[path] = handler
        return self.url(path)

    def requests_to(self, path: str) -> list[Seen]:
        return [seen for seen in self.seen if seen.path == path]

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def send(
    handler: BaseHTTPRequestHandler,
    code: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str] | None = None,
    length: bool = True,
) -> None:
    handler.send_response(code)
    handler.send_header("Content-Type", content_type)
    if length:
        handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


# --- routes ---------------------------------------------------------------------------------


def feed(name: str, content_type: str | None = None) -> Route:
    """A fixture feed with an ETag and Last-Modified, answering 304 when they match."""
    body = (FEEDS / name).read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    kind = content_type or CONTENT_TYPES[(FEEDS / name).suffix]

    def route(handler: _Handler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            send(handler, 304, b"", kind, {"ETag": etag}, length=False)
        else:
            send(handler, 200, body, kind, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

    return route


def status(code: int, retry_after: int | None = None) -> Route:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return lambda handler: send(handler, code, b"<h1>Sorry</h1>", "text/html", headers)


def body(content: bytes, content_type: str) -> Route:
    return lambda handler: send(handler, 200, content, content_type)


def silent() -> Route:
    """Accepts the connection, then says nothing until the server stops: a client can
    only time out on it."""
    return lambda handler: handler.stopping.wait() and None


def drip(total: int, every: float) -> Route:
    """Headers at once, then one byte of the body every ``every`` seconds."""

    def route(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/calendar")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        for _ in range(total):
            if handler.stopping.wait(every):
                return
            handler.wfile.write(b"x")
            handler.wfile.flush()

    return route


def oversized(size: int, declare: bool) -> Route:
    """A body of ``size`` bytes, with or without a Content-Length saying so."""
    return lambda handler: send(handler, 200, b"X" * size, "text/calendar", length=declare)


def redirect(location: str, code: int = 302) -> Route:
    return lambda handler: send(handler, code, b"", "text/plain", {"Location": location})


# --- sources that declare feeds -------------------------------------------------------------


def sources_with_feeds(tmp: Path, feeds_yaml: str) -> Path:
    """A copy of the fixture hub whose Example Awarding Body file ends with ``feeds_yaml``."""
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    organisation = sources / "organisations" / "example-awarding-body.yaml"
    organisation.write_text(organisation.read_text("utf-8") + "\n" + feeds_yaml, "utf-8")
    return sources
