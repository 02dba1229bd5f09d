"""The hub's only network code: one bounded, polite HTTP GET for feeds and checks.

    client = HttpClient(Policy())
    response = client.get("https://example.org/dates.ics", etag='"v7"')
    response.not_modified        # True for 304: keep the copy you have
    response.body                # the bytes, at most Policy.max_bytes
    client.probe("https://example.org/guide")   # is it there? HEAD, then GET if refused
    response.redirects           # each redirect hop's target, in order

What every GET obeys (each limit is a field of :class:`Policy`):

- **https only.** Plain http, and loopback addresses, only when ``allow_loopback`` is set
  (by the tests, or ``vtq-hub fetch --allow-loopback``), and then plain http only to loopback.
- **Public addresses only.** The host is resolved once and every address checked before
  any connection: private, link-local, loopback, multicast, reserved and unspecified addresses
  are refused. The connection is then made to an address that was checked, never to a second
  lookup's (a name can answer one address when checked and another a moment later: DNS
  rebinding), while TLS (SNI, the certificate) and the ``Host`` header keep the name. Proxies
  from the environment are ignored, so the checked address is the real peer.
- **Redirects by hand.** At most ``max_redirects`` hops, each re-checked as above; a hop back
  to an address already visited is a loop and stops at once.
- **Time.** ``(connect_timeout, read_timeout)`` for each socket operation, and one overall
  ``deadline`` for the whole GET, retries, waits, headers and body included: a watchdog
  (:class:`Watchdog`) shuts every socket of the GET when the deadline passes, so a server
  that sends its headers one byte at a time cannot hold a fetch past it.
- **Size.** The body is read as it arrives; past ``max_bytes`` (after decompression) it is
  refused.
- **Whole or nothing.** A body cut short is a failure ("incomplete: the server stopped
  after N bytes"), never taken for the whole: the server closing before the length it
  announced, a chunked body that ends early, or the deadline ending the read.
- **Retries.** 429 and 5xx answers and failed connections are tried again up to ``retries``
  times, waiting ``backoff * 2**n`` seconds, or what ``Retry-After`` asks when that is at most
  ``max_retry_after`` and within the deadline.
- **Conditional GET.** ``If-None-Match`` / ``If-Modified-Since`` are sent when given.
- **A declared User-Agent.**

Every failure raises :class:`errors.FetchFailed` whose message is a short reason in plain
words ("HTTP 503 Service Unavailable after 3 attempts") and whose ``status`` is the HTTP
status when the server answered with an error. Nothing here writes to disk.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from hub_builder import __version__
from hub_builder.errors import FetchFailed

if TYPE_CHECKING:  # requests is imported when the first request is made
    import requests
    import requests.adapters
    import urllib3.connection

USER_AGENT = f"vtq-hub/{__version__} (VTQ Hub key-dates feed reader; python-requests)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 16_384
INCOMPLETE = "incomplete:"  # how a body cut short is refused: never stored as a whole one

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[Address]]


@dataclass(frozen=True)
class Policy:
    """The bounds of one GET. The defaults suit a daily refresh of AO feeds."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    deadline: float = 60.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    max_retry_after: float = 30.0
    allow_loopback: bool = False
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Response:
    """A successful GET: 200 with its body, or 304 with none."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    attempts: int
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retryable(Exception):
    def __init__(
        self, reason: str, retry_after: float | None = None, status: int | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.status = status


def resolve(host: str, port: int) -> list[Address]:
    """Every address ``host`` resolves to (no connection is made)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"cannot find the host {host}: {exc}") from exc
    return sorted({ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}, key=str)


def address_kind(address: Address) -> str:
    """Why an address is not public, in words; ``""`` when it is public."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        return address_kind(mapped)
    for kind, test in (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("unspecified", address.is_unspecified),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
    ):
        if test:
            return kind
    return "" if address.is_global else "non-public"


class Watchdog:
    """Shuts every socket handed to it when a deadline passes, waking any read blocked on
    it; ``fired`` says whether it did."""

    def __init__(self, seconds: float) -> None:
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.fired = False
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: nothing left to wake
        sock.shutdown(socket.SHUT_RDWR)


def checked_adapter(
    watchdog: Watchdog, host: str, addresses: Sequence[Address]
) -> requests.adapters.HTTPAdapter:
    """A requests adapter whose connections go to ``host`` at the ``addresses`` checked for
    it (each in turn until one answers), never to a new lookup of the name, and hand their
    sockets to ``watchdog`` as soon as they are made (before the TLS handshake, so a slow
    handshake is bounded too). The name stays the connection's ``host``, for SNI, the
    certificate and the ``Host`` header."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class Checked(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = connect_to_checked(self, host, addresses)
            watchdog.watch(sock)
            return sock

    class CheckedTls(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = connect_to_checked(self, host, addresses)
            watchdog.watch(sock)
            return sock

    class Pool(HTTPConnectionPool):
        ConnectionCls = Checked

    class TlsPool(HTTPSConnectionPool):
        ConnectionCls = CheckedTls

    adapter = HTTPAdapter(max_retries=0)
    adapter.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": TlsPool}
    return adapter


def connect_to_checked(
    connection: urllib3.connection.HTTPConnection, host: str, addresses: Sequence[Address]
) -> socket.socket:
    """A socket to ``connection``'s port at the first of ``addresses`` that answers, raising
    what urllib3 raises when none does, for the last one's failure (so requests reports it
    as ever). Each adapter serves one session, which asks for one URL: ``host`` is that
    URL's."""
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
    from urllib3.util.connection import create_connection

    for tried, address in enumerate(addresses, start=1):
        try:
            return create_connection(
                (str(address), connection.port),
                connection.timeout,
                source_address=connection.source_address,
                socket_options=connection.socket_options,
            )
        except OSError as exc:
            if tried < len(addresses):
                continue
            if isinstance(exc, TimeoutError):
                raise ConnectTimeoutError(
                    connection,
                    f"Connection to {host} timed out. (connect timeout={connection.timeout})",
                ) from exc
            raise NewConnectionError(
                connection, f"Failed to establish a new connection: {exc}"
            ) from exc
    raise NewConnectionError(connection, f"{host} has no address to connect to")


class HttpClient:
    """GETs under one :class:`Policy`. Safe to share between threads (a session per GET)."""

    def __init__(self, policy: Policy | None = None, resolver: Resolver = resolve) -> None:
        self.policy = policy or Policy()
        self._resolve = resolver

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Response:
        return self.request("GET", url, etag=etag, last_modified=last_modified)

    def probe(self, url: str) -> Response:
        """Is ``url`` there? HEAD; when the server refuses HEAD with an error status, a GET
        whose body is not read. Raises FetchFailed as ``get`` does."""
        try:
            return self.request("HEAD", url, read_body=False)
        except FetchFailed as exc:
            if exc.status is None:
                raise
            return self.request("GET", url, read_body=False)

    def request(
        self,
        method: str,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        read_body: bool = True,
    ) -> Response:
        policy = self.policy
        deadline = time.monotonic() + policy.deadline
        headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        watchdog = Watchdog(policy.deadline)
        attempt = 0
        try:
            while True:
                attempt += 1
                try:
                    return self._follow(
                        method, url, headers, deadline, attempt, read_body, watchdog
                    )
                except _Retryable as exc:
                    if watchdog.fired:
                        raise self._late() from exc
                    wait = self._wait_before_retry(exc, attempt, deadline)
                except FetchFailed as exc:
                    if watchdog.fired and not str(exc).startswith(INCOMPLETE):
                        raise self._late() from exc
                    raise
                time.sleep(wait)
        finally:
            watchdog.cancel()

    def _late(self) -> FetchFailed:
        return FetchFailed(f"took longer than the {self.policy.deadline:g} s deadline")

    def check_address(self, url: str) -> list[Address]:
        """The addresses ``url``'s host resolves to, each checked; FetchFailed unless ``url``
        may be fetched under the policy."""
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        if scheme not in ("https", "http") or not host:
            raise FetchFailed(f"{url} is not a web address the hub can fetch")
        if scheme == "http" and not self.policy.allow_loopback:
            raise FetchFailed(f"{url} is not https; the hub fetches feeds over https only")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError as exc:
            raise FetchFailed(f"{url} has a bad port: {exc}") from exc
        addresses = self._resolve(host, port)
        for address in addresses:
            kind = address_kind(address)
            if kind == "loopback" and self.policy.allow_loopback:
                continue
            if kind:
                raise FetchFailed(
                    f"refused {host}: {address} is {'an' if kind[0] in 'aeiou' else 'a'} "
                    f"{kind} address; "
                    "the hub fetches from public addresses only"
                )
        if scheme == "http" and not all(address_kind(a) == "loopback" for a in addresses):
            raise FetchFailed(f"{url} is not https; plain http is allowed only on loopback")
        return addresses

    # --- one attempt: redirects, status, body ---------------------------------------------

    def _follow(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        deadline: float,
        attempt: int,
        read_body: bool,
        watchdog: Watchdog,
    ) -> Response:
        visited: set[str] = set()
        hops: list[str] = []
        for _ in range(self.policy.max_redirects + 1):
            addresses = self.check_address(url)
            visited.add(url)
            import requests

            with requests.Session() as session:
                session.trust_env = False
                adapter = checked_adapter(watchdog, urlsplit(url).hostname or "", addresses)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                response = self._request(session, method, url, headers, deadline)
                with response:
                    if response.status_code in REDIRECT_CODES:
                        url = self._next_hop(url, response, visited)
                        hops.append(url)
                        continue
                    answer = self._answer(url, response, deadline, attempt, read_body, watchdog)
                    return replace(answer, redirects=tuple(hops))
        raise FetchFailed(f"more than {self.policy.max_redirects} redirects")

    def _request(
        self,
        session: requests.Session,
        method: str,
        url: str,
        headers: dict[str, str],
        deadline: float,
    ) -> requests.Response:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailed(f"took longer than the {self.policy.deadline:g} s deadline")
        read_timeout = min(self.policy.read_timeout, remaining)
        import requests

        try:
            return session.request(
                method,
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(min(self.policy.connect_timeout, remaining), read_timeout),
            )
        except requests.exceptions.ConnectTimeout as exc:
            raise _Retryable(f"could not connect within {self.policy.connect_timeout:g} s") from exc
        except requests.exceptions.ReadTimeout as exc:
            raise FetchFailed(f"no response within {read_timeout:g} s") from exc
        except requests.exceptions.ConnectionError as exc:
            raise _Retryable(f"could not connect: {_root_cause(exc)}") from exc
        except requests.exceptions.RequestException as exc:
            raise FetchFailed(f"the request failed: {_root_cause(exc)}") from exc

    def _next_hop(self, url: str, response: requests.Response, visited: set[str]) -> str:
        location = response.headers.get("Location", "")
        if not location:
            raise FetchFailed(f"HTTP {response.status_code} redirect without a Location")
        target = urljoin(url, location)
        if target in visited:
            raise FetchFailed(f"redirect loop: led back to {target}")
        return target

    def _answer(
        self,
        url: str,
        response: requests.Response,
        deadline: float,
        attempt: int,
        read_body: bool,
        watchdog: Watchdog,
    ) -> Response:
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Retryable(_status_text(response), retry_after_seconds(response), status)
        if status not in (200, 304):
            raise FetchFailed(_status_text(response), status)
        body = self._body(response, deadline, watchdog) if status == 200 and read_body else b""
        return Response(
            url=url,
            status=status,
            body=body,
            content_type=response.headers.get("Content-Type", ""),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
            attempts=attempt,
        )

    def _body(self, response: requests.Response, deadline: float, watchdog: Watchdog) -> bytes:
        """The whole body, or FetchFailed: a body cut short (by the deadline, or by the
        server closing early) is never taken for the whole of it."""
        import urllib3

        limit = self.policy.max_bytes
        declared = response.headers.get("Content-Length", "")
        announced = int(declared) if declared.isdigit() else None
        if announced is not None and announced > limit:
            raise FetchFailed(f"the body is {announced:,} bytes; the limit is {limit:,}")
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.monotonic() > deadline:
                raise self._cut_by_deadline()
            try:
                chunk = response.raw.read1(CHUNK_BYTES, decode_content=True)
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                if watchdog.fired:
                    raise self._cut_by_deadline() from exc
                if isinstance(exc, urllib3.exceptions.ProtocolError):  # closed before the end
                    raise FetchFailed(_incomplete(response.raw.tell(), announced)) from exc
                if isinstance(exc, urllib3.exceptions.ReadTimeoutError | TimeoutError):
                    raise FetchFailed(
                        f"the body stalled for {self.policy.read_timeout:g} s"
                    ) from exc
                raise FetchFailed(f"the body could not be read: {_root_cause(exc)}") from exc
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise FetchFailed(f"the body passed the limit of {limit:,} bytes")
            chunks.append(chunk)
        if watchdog.fired:  # the watchdog shut the socket: the end seen was not the body's
            raise self._cut_by_deadline()
        if announced is not None and response.raw.tell() != announced:
            raise FetchFailed(_incomplete(response.raw.tell(), announced))
        return b"".join(chunks)

    def _cut_by_deadline(self) -> FetchFailed:
        return FetchFailed(
            f"{INCOMPLETE} the {self.policy.deadline:g} s deadline was reached "
            "before the whole body arrived"
        )

    def _wait_before_retry(self, exc: _Retryable, attempt: int, deadline: float) -> float:
        policy = self.policy
        if attempt > policy.retries:
            raise FetchFailed(f"{exc.reason} after {attempt} attempts", exc.status) from exc
        wait = policy.backoff * 2 ** (attempt - 1) if exc.retry_after is None else exc.retry_after
        if wait > policy.max_retry_after:
            raise FetchFailed(
                f"{exc.reason}; Retry-After asks for {wait:g} s, "
                f"more than the {policy.max_retry_after:g} s the hub waits",
                exc.status,
            ) from exc
        if time.monotonic() + wait >= deadline:
            raise FetchFailed(
                f"{exc.reason}; no time left to retry within the {policy.deadline:g} s deadline",
                exc.status,
            ) from exc
        return wait


def retry_after_seconds(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds (a number or an HTTP date); None when absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _incomplete(received: int, announced: int | None) -> str:
    """Why a body cut short is refused: ``incomplete: the server stopped after N bytes``."""
    of = f" of the {announced:,} it announced" if announced is not None else ""
    return f"{INCOMPLETE} the server stopped after {received:,} bytes{of}"


def _status_text(response: requests.Response) -> str:
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def _root_cause(exc: BaseException) -> str:
    while exc.__context__ is not None and exc.__context__ is not exc:
        exc = exc.__context__
    return str(exc) or type(exc).__name__
