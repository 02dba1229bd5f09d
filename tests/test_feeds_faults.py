"""The fault matrix: feeds served by a real HTTP server on 127.0.0.1 misbehave after one good
fetch, and each time the fetch keeps the right snapshot, gives the right reason, and the
real build (mkdocs included) completes and shows the last good dates, flagged stale.

One organisation per fault (``example-<fault>``), all fetched together and built once.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from hub_builder.calendar import LONDON
from hub_builder.feeds import snapshots
from hub_builder.pipeline import build
from hub_builder.remote import feeds as refresh
from hub_builder.remote.http import HttpClient, Policy
from tests import feed_server as fs
from tests.conftest import FIXTURE_HUB, build_options
from tests.test_outputs_api import published_validator

FIRST_FETCH = datetime(2026, 11, 20, 6, 0, tzinfo=LONDON)
FAULT_FETCH = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
# A silent server is the only way the read timeout is met and a drip of bytes every 0.1 s
# the only way the deadline is: a good answer comes at once, and a thread of the server
# would have to stall for 2 s on a loaded machine for a drip to meet the read timeout.
POLICY = Policy(
    allow_loopback=True,
    connect_timeout=10.0,
    read_timeout=2.0,
    deadline=6.0,
    max_bytes=50_000,
    retries=1,
    backoff=0.05,
    max_retry_after=2.0,
)
GOOD = (fs.FEEDS / "calendar.ics").read_bytes()


@dataclass(frozen=True)
class Fault:
    name: str
    route: fs.Route
    result: str
    reason: str


def faults(base: str) -> list[Fault]:
    path = "/faults/"
    return [
        Fault(
            "http-500", fs.status(500), "stale", "HTTP 500 Internal Server Error after 2 attempts"
        ),
        Fault(
            "http-503-retry-after",
            fs.status(503, retry_after=1),
            "stale",
            "HTTP 503 Service Unavailable after 2 attempts",
        ),
        Fault("http-404", fs.status(404), "stale", "HTTP 404 Not Found"),
        Fault("not-modified", fs.feed("calendar.ics"), "not-modified", ""),
        Fault("timeout", fs.silent(), "stale", "no response within 2 s"),
        Fault(
            "slow-drip",
            fs.drip(200, every=0.1),
            "stale",
            "incomplete: the 6 s deadline was reached before the whole body arrived",
        ),
        Fault(
            "body-past-cap",
            fs.oversized(60_000, declare=False),
            "stale",
            "the body passed the limit of 50,000 bytes",
        ),
        Fault(
            "declared-too-big",
            fs.oversized(60_000, declare=True),
            "stale",
            "the body is 60,000 bytes; the limit is 50,000",
        ),
        Fault(
            "redirect-loop",
            fs.redirect(f"{path}redirect-loop-2"),
            "stale",
            f"redirect loop: led back to {base}{path}redirect-loop",
        ),
        Fault(
            "redirect-private",
            fs.redirect("https://10.20.30.40/calendar.ics"),
            "stale",
            "refused 10.20.30.40: 10.20.30.40 is a private address; "
            "the hub fetches from public addresses only",
        ),
        Fault(
            "redirect-link-local",
            fs.redirect("http://169.254.169.254/latest/meta-data/"),
            "stale",
            "refused 169.254.169.254: 169.254.169.254 is a link-local address; "
            "the hub fetches from public addresses only",
        ),
        Fault(
            "wrong-content-type",
            fs.body(GOOD, "text/html; charset=utf-8"),
            "stale",
            "wrong content type: served as text/html, expected ics",
        ),
        Fault(
            "invalid-utf8",
            fs.feed("invalid-utf8.ics"),
            "stale",
            "could not be read: not UTF-8 text (byte 239 is b'\\xff'); the feed must be UTF-8",
        ),
        Fault("empty-body", fs.body(b"", "text/calendar"), "stale", "the response was empty"),
        Fault(
            "malformed-ics",
            fs.feed("malformed.ics"),
            "stale",
            "could not be read: not a valid iCalendar file: Content line could not be parsed "
            "into parts: 'this is not a calendar': Invalid content line",
        ),
        Fault(
            "shrinks",
            fs.feed("calendar-shrunk.ics"),
            "stale",
            "suspect: 1 entry, down from 7 at the last good fetch; if that is right (a new "
            "year's shorter feed), run vtq-hub fetch --accept example-shrinks/calendar",
        ),
    ]


FAULT_NAMES = [f.name for f in faults("")]


@dataclass(frozen=True)
class Matrix:
    sources: Path
    site: Path
    outcomes: dict[str, refresh.FetchOutcome]
    faults: dict[str, Fault]
    server: fs.FeedServer


def organisation_file(name: str, url: str) -> str:
    return (
        f"id: example-{name}\n"
        f"name: Example Awarding Body ({name})\n"
        "source_url: https://example.org/about\n"
        "compiled_on: 2026-11-01\n"
        "qualification_groups:\n"
        "  - id: example-nationals\n"
        "    name: Example Nationals\n"
        "    qualification_type: Vocationally Related Qualification\n"
        "    source_url: https://example.org/about\n"
        "feeds:\n"
        "  - id: calendar\n"
        f"    url: {url}\n"
        "    format: ics\n"
        "    id_prefix: cal\n"
    )


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    tmp = tmp_path_factory.mktemp("fault-matrix")
    sources = tmp / "sources"
    (sources / "organisations").mkdir(parents=True)
    shutil.copy(FIXTURE_HUB / "national.yaml", sources / "national.yaml")
    with fs.FeedServer() as server:
        by_name = {f.name: f for f in faults(server.base)}
        for name in by_name:
            url = server.route(f"/faults/{name}", fs.feed("calendar.ics"))
            (sources / "organisations" / f"example-{name}.yaml").write_text(
                organisation_file(name, url), "utf-8"
            )
        specs = refresh.fetchable_feeds(sources)
        client = HttpClient(POLICY)
        first = list(refresh.refresh_all(specs, client, clock=lambda: FIRST_FETCH))
        assert {o.result for o in first} == {"ok"}, [o.reason for o in first]
        for fault in by_name.values():
            server.route(f"/faults/{fault.name}", fault.route)
        server.route("/faults/redirect-loop-2", fs.redirect("/faults/redirect-loop"))
        outcomes = {
            o.organisation_id.removeprefix("example-"): o
            for o in refresh.refresh_all(specs, client, clock=lambda: FAULT_FETCH)
        }
        build(build_options(sources, tmp))
        yield Matrix(sources, tmp / "site", outcomes, by_name, server)


@pytest.mark.parametrize("name", FAULT_NAMES)
def test_fetch_reports_the_right_result_and_reason(matrix: Matrix, name: str) -> None:
    outcome, fault = matrix.outcomes[name], matrix.faults[name]
    assert (outcome.result, outcome.reason) == (fault.result, fault.reason)
    assert outcome.fetched_at == FIRST_FETCH


@pytest.mark.parametrize("name", FAULT_NAMES)
def test_the_last_good_snapshot_is_kept(matrix: Matrix, name: str) -> None:
    snapshot = snapshots.read_snapshot(matrix.sources, f"example-{name}", "calendar", "ics")
    assert snapshot is not None
    assert snapshot.body == GOOD
    meta = snapshot.meta
    # the metadata is rewritten only when something changed: not for an unchanged feed
    checked = FAULT_FETCH if matrix.faults[name].result == "stale" else FIRST_FETCH
    assert (meta.fetched_at, meta.checked_at, meta.entries) == (FIRST_FETCH, checked, 7)
    assert meta.sha256 == snapshots.sha256(GOOD)
    assert meta.error == matrix.faults[name].reason
    assert meta.failing_since == (FAULT_FETCH if meta.error else None)


@pytest.mark.parametrize("name", FAULT_NAMES)
def test_the_build_shows_the_last_good_dates_flagged_stale(matrix: Matrix, name: str) -> None:
    page = (matrix.site / "organisations" / f"example-{name}" / "index.html").read_text("utf-8")
    assert 'id="cal-assessment-window-jan-2027-example-org"' in page
    assert "11 January to 22 January 2027" in page
    notice = (
        "Feed unavailable since 23 November 2026, 9am UK time, showing data from "
        "20 November 2026, 6am UK time."
    )
    if matrix.faults[name].result == "stale":
        assert notice in page
        assert f"Reason: {matrix.faults[name].reason}" in page.replace("&#39;", "'")
    else:
        assert "Feed unavailable" not in page
        assert "7 entries, fetched 20 November 2026, 6am UK time" in page
    dates = (matrix.site / "dates" / "index.html").read_text("utf-8")
    assert f'id="example-{name}-cal-assessment-window-jan-2027-example-org"' in dates


@pytest.mark.parametrize("name", FAULT_NAMES)
def test_the_machine_readable_status_says_the_same(matrix: Matrix, name: str) -> None:
    status = json.loads((matrix.site / "api" / "v1" / "feeds.json").read_text("utf-8"))
    feed = next(f for f in status["feeds"] if f["organisation"] == f"example-{name}")
    fault = matrix.faults[name]
    assert feed["state"] == ("stale" if fault.result == "stale" else "ok")
    assert feed["reason"] == fault.reason
    assert feed["fetched_at"] == FIRST_FETCH.isoformat()
    if fault.result == "stale":
        assert feed["failing_since"] == FAULT_FETCH.isoformat()
        assert feed["message"].startswith(
            "feed unavailable since 23 November 2026, 9am UK time, "
            "showing data from 20 November 2026, 6am UK time"
        )


def test_retry_after_is_honoured(matrix: Matrix) -> None:
    tries = matrix.server.requests_to("/faults/http-503-retry-after")[-2:]
    assert tries[1].at - tries[0].at >= 0.95


def test_the_refused_address_is_never_contacted(matrix: Matrix) -> None:
    """The redirect's target is refused before any connection: only our server saw a request."""
    assert matrix.server.requests_to("/faults/redirect-private")
    assert not [s for s in matrix.server.seen if s.path.startswith("/calendar.ics")]


def test_the_conditional_get_sent_the_validators(matrix: Matrix) -> None:
    last = matrix.server.requests_to("/faults/not-modified")[-1]
    assert last.headers["If-None-Match"].startswith('"')
    assert last.headers["If-Modified-Since"] == fs.LAST_MODIFIED
    assert last.headers["User-Agent"].startswith("vtq-hub/")


def test_the_status_file_validates_against_its_published_schema(matrix: Matrix) -> None:
    root = matrix.site / "api" / "v1"
    validator = published_validator(root / "schema", "feeds.schema.json")
    status = json.loads((root / "feeds.json").read_text("utf-8"))
    assert len(status["feeds"]) == len(FAULT_NAMES)
    assert [e.message for e in validator.iter_errors(status)] == []
