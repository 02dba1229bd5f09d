"""A real HTTP server on 127.0.0.1 for the link checker and the Register client.

Routes: ``/ok`` (200), ``/moved`` (301 to ``/ok``), ``/missing`` (404), ``/error`` and every
path below it (500), ``/slow`` (answers only once the server is stopping, so a client
always times out on it, however loaded the machine), ``/no-head`` (405 to HEAD, 200 to GET),
and a
Register API: ``/api/Organisations/{RN}`` and ``/api/Qualifications/{QN}`` answering from
``ORGANISATIONS`` and ``QUALIFICATIONS`` (some camelCase, some PascalCase), 404 otherwise.
``requests`` counts the requests per (method, path).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ORGANISATIONS: dict[str, dict[str, Any]] = {
    # camelCase, as the API's serializer writes
    "RN9999": {
        "recognitionNumber": "RN9999",
        "name": "Example Awarding Body",
        "legalName": "Example Awarding Body Limited",
        "acronym": "EAB",
        "ofqualOrganisationStatus": "Recognised",
    },
    # PascalCase, as one of the API's README examples shows
    "RN8888": {
        "RecognitionNumber": "RN8888",
        "Name": "Another Example Body",
        "LegalName": "Another Example Body Ltd",
        "Acronym": "AEB",
        "OfqualOrganisationStatus": "Recognised",
    },
}
QUALIFICATIONS: dict[str, dict[str, Any]] = {
    "601/0000/X": {
        "qualificationNumber": "601/0000/X",
        "title": "Example Level 3 National Extended Diploma",
        "status": "Available to learners",
        "organisationName": "Example Awarding Body",
        "organisationRecognitionNumber": "RN9999",
    },
    "601/0001/X": {
        "QualificationNumber": "601/0001/X",
        "Title": "Another Example Level 3 Diploma",
        "Status": "Available to learners",
        "OrganisationName": "Another Example Body",
        "OrganisationRecognitionNumber": "RN8888",
    },
    "601/0002/X": {
        "qualificationNumber": "601/0002/X",
        "title": "Example Level 3 Certificate (withdrawn)",
        "status": "No longer available to new learners",
        "organisationName": "Example Awarding Body",
        "organisationRecognitionNumber": "RN9999",
    },
}


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        self.answer(head=False)

    def answer(self, head: bool) -> None:
        self.server.requests[(self.command, self.path)] += 1
        path = self.path
        if path.startswith("/api/Organisations/"):
            self.json_answer(ORGANISATIONS.get(path.rsplit("/", 1)[1]), head)
        elif path.startswith("/api/Qualifications/"):
            self.json_answer(QUALIFICATIONS.get(path.removeprefix("/api/Qualifications/")), head)
        elif path == "/ok":
            self.send(200, b"<p>ok</p>", head)
        elif path == "/moved":
            self.send(301, b"", head, {"Location": "/ok"})
        elif path == "/missing":
            self.send(404, b"not found", head)
        elif path.startswith("/error"):
            self.send(500, b"broken", head)
        elif path == "/slow":
            self.server.stopping.wait()
            self.send(200, b"late", head)
        elif path == "/no-head":
            self.send(405 if head else 200, b"get only", head)
        else:
            self.send(404, b"no such page", head)

    def json_answer(self, data: dict[str, Any] | None, head: bool) -> None:
        if data is None:
            self.send(404, b'{"message":"Not found"}', head, {"Content-Type": "application/json"})
        else:
            body = json.dumps(data).encode()
            self.send(200, body, head, {"Content-Type": "application/json"})

    def send(
        self, status: int, body: bytes, head: bool, headers: dict[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: Counter[tuple[str, str]] = Counter()
        self.stopping = threading.Event()  # set as the server stops: /slow answers then

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
