"""The one HTTP client, against a real server on 127.0.0.1 (and addresses it must refuse
without ever connecting to them)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from hub_builder import __version__
from hub_builder.errors import FetchFailed
from hub_builder.remote.http import HttpClient, Policy, address_kind
from tests import feed_server as fs

# Generous: every answer here comes at once, so no timeout is met on a loaded machine; the
# tests of timeouts and deadlines set their own.
LOOPBACK = Policy(
    allow_loopback=True,
    read_timeout=10.0,
    deadline=30.0,
    retries=2,
    backoff=0.05,
    max_retry_after=2.0,
)
CALENDAR = (fs.FEEDS / "calendar.ics").read_bytes()


@pytest.fixture
def server() -> Iterator[fs.FeedServer]:
    with fs.FeedServer() as running:
        yield running


def failure(client: HttpClient, url: str) -> str:
    with pytest.raises(FetchFailed) as caught:
        client.get(url)
    return str(caught.value)


def test_a_good_feed_with_validators_and_a_declared_user_agent(server: fs.FeedServer) -> None:
    url = server.route("/calendar.ics", fs.feed("calendar.ics"))
    response = HttpClient(LOOPBACK).get(url)
    assert (response.status, response.body, response.attempts) == (200, CALENDAR, 1)
    assert response.content_type.startswith("text/calendar")
    assert server.seen[0].headers["User-Agent"].startswith(f"vtq-hub/{__version__} ")
    again = HttpClient(LOOPBACK).get(url, etag=response.etag, last_modified=response.last_modified)
    assert again.not_modified and again.body == b""
    assert server.seen[1].headers["If-None-Match"] == response.etag


def test_loopback_and_plain_http_are_refused_unless_allowed(server: fs.FeedServer) -> None:
    url = server.route("/calendar.ics", fs.feed("calendar.ics"))
    strict = HttpClient(Policy())
    assert failure(strict, url) == f"{url} is not https; the hub fetches feeds over https only"
    https_loopback = url.replace("http://", "https://")
    assert failure(strict, https_loopback) == (
        "refused 127.0.0.1: 127.0.0.1 is a loopback address; "
        "the hub fetches from public addresses only"
    )
    assert server.seen == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://10.1.2.3/a.ics", "refused 10.1.2.3: 10.1.2.3 is a private address"),
        ("https://192.168.0.10/a.ics", "refused 192.168.0.10: 192.168.0.10 is a private address"),
        ("https://[::1]/a.ics", "refused ::1: ::1 is a loopback address"),
        ("https://0.0.0.0/a.ics", "refused 0.0.0.0: 0.0.0.0 is an unspecified address"),
        (
            "http://93.184.216.34/a.ics",
            "http://93.184.216.34/a.ics is not https; the hub fetches feeds over https only",
        ),
        (
            "ftp://example.org/a.ics",
            "ftp://example.org/a.ics is not a web address the hub can fetch",
        ),
    ],
)
def test_addresses_are_checked_before_any_connection(url: str, reason: str) -> None:
    """IP literals need no lookup, and a refused address is never contacted."""
    with pytest.raises(FetchFailed) as caught:
        HttpClient(Policy()).check_address(url)
    assert str(caught.value).startswith(reason)


def test_with_loopback_allowed_plain_http_goes_nowhere_else() -> None:
    client = HttpClient(Policy(allow_loopback=True))
    with pytest.raises(FetchFailed) as caught:
        client.check_address("http://93.184.216.34/a.ics")
    assert str(caught.value) == (
        "http://93.184.216.34/a.ics is not https; plain http is allowed only on loopback"
    )
    with pytest.raises(FetchFailed, match=r"10\.0\.0\.1 is a private address"):
        client.check_address("http://10.0.0.1/")


def test_every_resolved_address_is_checked() -> None:
    """A name that resolves to a public and a private address is refused."""
    both = [ipaddress.ip_address("93.184.216.34"), ipaddress.ip_address("10.0.0.7")]
    client = HttpClient(Policy(), resolver=lambda host, port: both)
    with pytest.raises(FetchFailed, match=r"refused feeds\.example\.org: 10\.0\.0\.7 is a private"):
        client.check_address("https://feeds.example.org/a.ics")


@contextmanager
def two_servers_on_one_port() -> Iterator[tuple[fs.FeedServer, fs.FeedServer]]:
    """A server on 127.0.0.2 and another on 127.0.0.1 at the same port (a port taken on
    127.0.0.1 is tried again with another)."""
    for _ in range(20):
        with fs.FeedServer("127.0.0.2") as checked:
            try:
                other = fs.FeedServer("127.0.0.1", checked.port)
            except OSError:
                continue
            with other:
                yield checked, other
            return
    pytest.fail("no port free on both 127.0.0.1 and 127.0.0.2")


def test_the_connection_goes_to_the_address_that_was_checked() -> None:
    """DNS rebinding: the name answers one address when it is checked and another when it is
    looked up again (the resolver here, and this machine's, which gives 127.0.0.1 for
    localhost). The GET goes to the address checked, with the name in the Host header, and
    the name is looked up once."""
    asked: list[str] = []

    def rebinding(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        asked.append(host)
        return [ipaddress.ip_address("127.0.0.2" if len(asked) == 1 else "127.0.0.1")]

    with two_servers_on_one_port() as (checked, other):
        for server in (checked, other):
            server.route("/calendar.ics", fs.feed("calendar.ics"))
        url = f"http://localhost:{checked.port}/calendar.ics"
        response = HttpClient(LOOPBACK, resolver=rebinding).get(url)
    assert (response.status, response.body) == (200, CALENDAR)
    assert [seen.path for seen in checked.seen] == ["/calendar.ics"] and other.seen == []
    assert checked.seen[0].headers["Host"] == f"localhost:{checked.port}"
    assert asked == ["localhost"]


def test_a_checked_address_that_refuses_is_passed_over_for_the_next() -> None:
    with fs.FeedServer("127.0.0.2") as server:
        server.route("/calendar.ics", fs.feed("calendar.ics"))
        with socket.socket() as closed:  # bound, never listening: connections are refused
            closed.bind(("127.0.0.3", server.port))
            addresses = [ipaddress.ip_address(a) for a in ("127.0.0.3", "127.0.0.2")]
            client = HttpClient(LOOPBACK, resolver=lambda host, port: addresses)
            response = client.get(f"http://feeds.example.test:{server.port}/calendar.ics")
    assert (response.status, response.attempts, len(server.seen)) == (200, 1, 1)


def test_ipv4_mapped_ipv6_addresses_are_judged_as_ipv4() -> None:
    assert address_kind(ipaddress.ip_address("::ffff:10.0.0.1")) == "private"
    assert address_kind(ipaddress.ip_address("::ffff:127.0.0.1")) == "loopback"
    assert address_kind(ipaddress.ip_address("93.184.216.34")) == ""


def test_a_retry_waits_as_retry_after_asks_then_succeeds(server: fs.FeedServer) -> None:
    answers = iter([fs.status(503, retry_after=1), fs.feed("calendar.ics")])
    # a new answer for each request, so not `next(answers)` once
    url = server.route(
        "/flaky.ics",
        lambda handler: next(answers)(handler),  # noqa: PLW0108
    )
    started = time.monotonic()
    response = HttpClient(LOOPBACK).get(url)
    assert (response.status, response.attempts) == (200, 2)
    assert time.monotonic() - started >= 1.0
    first, second = server.requests_to("/flaky.ics")
    assert second.at - first.at >= 0.95


def test_429_is_retried_with_backoff(server: fs.FeedServer) -> None:
    url = server.route("/busy.ics", fs.status(429))
    assert failure(HttpClient(LOOPBACK), url) == "HTTP 429 Too Many Requests after 3 attempts"
    assert len(server.requests_to("/busy.ics")) == 3


def test_a_retry_after_longer_than_the_hub_waits_is_not_waited_for(server: fs.FeedServer) -> None:
    url = server.route("/later.ics", fs.status(503, retry_after=120))
    assert failure(HttpClient(LOOPBACK), url) == (
        "HTTP 503 Service Unavailable; Retry-After asks for 120 s, more than the 2 s the hub waits"
    )
    assert len(server.requests_to("/later.ics")) == 1


def test_redirects_are_followed_by_hand_and_bounded(server: fs.FeedServer) -> None:
    server.route("/calendar.ics", fs.feed("calendar.ics"))
    url = server.route("/moved", fs.redirect("/calendar.ics", 301))
    response = HttpClient(LOOPBACK).get(url)
    assert (response.url, response.body) == (server.url("/calendar.ics"), CALENDAR)
    for hop in range(7):
        server.route(f"/hop/{hop}", fs.redirect(f"/hop/{hop + 1}"))
    assert failure(HttpClient(LOOPBACK), server.url("/hop/0")) == "more than 5 redirects"
    assert len(server.requests_to("/hop/5")) == 1 and not server.requests_to("/hop/6")


HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nX-Pad: "
    + b"a" * 30
    + (b"\r\nContent-Length: 2\r\n\r\nok")
)


@contextmanager
def header_drip(delay: float, sent: list[int]) -> Iterator[str]:
    """A server on 127.0.0.1 that sends its status line and headers one byte every
    ``delay`` seconds (each byte well inside the read timeout), then a small body; ``sent``
    counts the bytes it got out before the client hung up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    done = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            try:
                for byte in HEAD:
                    conn.sendall(bytes([byte]))
                    sent.append(byte)
                    time.sleep(delay)
            except OSError:
                pass
        done.set()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/dates.ics"
        done.wait(timeout=30)
    finally:
        listener.close()


def test_the_deadline_holds_while_headers_drip_in() -> None:
    """Headers one byte every 0.2 s take 17 s; the deadline is 2 s: the client hangs up
    before the headers are over, instead of reading them all and failing afterwards."""
    client = HttpClient(Policy(allow_loopback=True, read_timeout=30.0, deadline=2.0, retries=0))
    sent: list[int] = []
    with header_drip(0.2, sent) as url:
        assert failure(client, url) == "took longer than the 2 s deadline"
    assert 0 < len(sent) < len(HEAD)


@contextmanager
def answering(head: bytes, parts: list[bytes], pause: float = 0.0) -> Iterator[str]:
    """A server on 127.0.0.1 that answers one GET with ``head`` then each of ``parts``,
    ``pause`` seconds apart, and closes: a body that ends where the server stops."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    stop = threading.Event()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            try:
                conn.sendall(head)
                for part in parts:
                    if stop.wait(pause):
                        return
                    conn.sendall(part)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/dates.ics"
    finally:
        stop.set()
        listener.close()


HEAD_200 = b"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nConnection: close\r\n"


@pytest.mark.parametrize(
    ("head", "parts", "reason"),
    [
        (
            HEAD_200 + b"Content-Length: 1000\r\n\r\n",
            [b"x" * 300],
            "incomplete: the server stopped after 300 bytes of the 1,000 it announced",
        ),
        (
            HEAD_200 + b"Transfer-Encoding: chunked\r\n\r\n",
            [b"100\r\n" + b"x" * 100],
            "incomplete: the server stopped after 100 bytes",
        ),
    ],
    ids=["shorter than its Content-Length", "a chunked body that stops"],
)
def test_a_body_the_server_cuts_short_is_a_failure(
    head: bytes, parts: list[bytes], reason: str
) -> None:
    client = HttpClient(Policy(allow_loopback=True, retries=0))
    with answering(head, parts) as url:
        assert failure(client, url) == reason


def test_a_body_the_deadline_cuts_short_is_a_failure_not_a_shorter_feed() -> None:
    """No Content-Length, and the body still coming when the deadline ends the read: before,
    the part read was returned as the whole body and stored as a good snapshot."""
    client = HttpClient(Policy(allow_loopback=True, read_timeout=30.0, deadline=1.0, retries=0))
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/calendar\r\n\r\n"
    with answering(head, [b"BEGIN:VCALENDAR\r\n"] * 40, pause=0.25) as url:
        reason = failure(client, url)
    assert reason == "incomplete: the 1 s deadline was reached before the whole body arrived"
