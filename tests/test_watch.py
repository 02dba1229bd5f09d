"""`vtq-hub watch`: every cited page read from loopback copies of its sites, changed between
runs, and the report a maintainer reads.

The sources cite https addresses; the watcher's Fetcher reads each from a real HTTP server on
127.0.0.1 that serves every site under its own folder (``https://example.org/claims`` is
``http://127.0.0.1:<port>/example.org/claims``), so every request is a real one through the
hub's HTTP client: robots.txt, conditional requests, redirects, deadlines and size limits.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import html5lib
import pytest
from markdown_it import MarkdownIt

from hub_builder.calendar import LONDON
from hub_builder.pipeline import build, validate_paths
from hub_builder.remote import page_text, watch_report
from hub_builder.remote.http import HttpClient
from hub_builder.remote.watch import Fetcher, WatchRun, cited_pages, watch, watch_policy
from hub_builder.status.watch import read_watch
from tests.conftest import FIXTURE_HUB, ROOT, build_options

FIRST = datetime(2026, 12, 7, 6, 0, tzinfo=LONDON)
SECOND = datetime(2026, 12, 8, 6, 0, tzinfo=LONDON)
THIRD = datetime(2026, 12, 9, 6, 0, tzinfo=LONDON)
ORG = "example-awarding-body"

Page = tuple[int, dict[str, str], bytes]  # status, headers, body


def html(*paragraphs: str) -> Page:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"<!doctype html><html><head><title>Page</title></head><body><main>{body}</main>"
    return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()


def pdf(*lines: str) -> Page:
    """A one-page PDF whose text is ``lines``, made here byte by byte."""
    text = " ".join(f"({line}) Tj 0 -20 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return 200, {"Content-Type": "application/pdf"}, bytes(out)


@dataclass
class Sites:
    """Every site's pages, by "host/path", served on 127.0.0.1, with an ETag each: a
    request naming the page's current ETag is answered 304."""

    pages: dict[str, Page | Callable[[], Page]] = field(default_factory=dict)
    requests: list[tuple[str, str, int]] = field(
        default_factory=list
    )  # path, If-None-Match, status
    release: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def page(self, key: str) -> Page:
        found = self.pages.get(key)
        if found is None:
            return 404, {}, b"not here"
        return found() if callable(found) else found


def handler_for(sites: Sites) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            key = self.path.lstrip("/")
            status, headers, body = sites.page(key)
            etag = f'"{abs(hash(body))}"'
            asked = self.headers.get("If-None-Match", "")
            if status == 200 and asked == etag:
                status, body = 304, b""
            sites.requests.append((key, asked, status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value.replace("PORT", str(sites.port)))
            if status in (200, 304):
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up on a slow page: expected here


@pytest.fixture
def sites() -> Iterator[Sites]:
    served = Sites()
    server = QuietServer(("127.0.0.1", 0), handler_for(served))
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)


def fetcher(sites: Sites, **policy: Any) -> Fetcher:
    """Reads https://<host>/<path> from the loopback copy of its site, and names what it
    found by the cited address again."""
    base = f"http://127.0.0.1:{sites.port}/"
    other = f"http://localhost:{sites.port}/"

    def address(url: str) -> str:
        return re.sub(r"^https://", base, url)

    def cited(url: str) -> str:
        return re.sub(rf"^({re.escape(base)}|{re.escape(other)})", "https://", url)

    settings = {"allow_loopback": True, "retries": 0, "deadline": 10.0, **policy}
    return Fetcher(HttpClient(replace(watch_policy(""), **settings)), address, cited)


def run(sources: Path, sites: Sites, now: datetime, **policy: Any) -> WatchRun:
    return watch(sources, fetcher(sites, **policy), now, pause=0, workers=2)


def fixture_sites(sites: Sites) -> None:
    """The pages the fixture hub cites, as their sites first serve them."""
    sites.pages.update(
        {
            "example.org/robots.txt": (
                200,
                {"Content-Type": "text/plain"},
                b"User-agent: *\nAllow: /\n",
            ),
            "example.org/national/results-days": html("Level 3 results day: 12 August 2027."),
            "example.org/national/rule": html("Results go out on or before results day."),
            "example.org/national/ucas": html("Apply by 27 January 2027."),
            "example.org/about": pdf("About us", "Founded on 1 March 2019"),
            "example.org/nationals": html("Example Nationals: results in August."),
            "example.org/tech-awards": html("Example Tech Awards: results in August."),
            "example.org/results-2025": html("Results day was 14 August 2025."),
            "example.org/checkpoints": html(
                "Term-time checkpoint 1 runs from 7 December 2026 to 29 January 2027.",
                "Checkpoint 2 opens on 1 March 2027.",
            ),
            "example.org/claims": html("Final claims by 30 June 2027."),
            "example.org/results": html("Results to learners on 12 August 2027."),
            "example.org/guides/results": html("How results work."),
            "example.org/contact": html("Call us on weekdays."),
        }
    )


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, folder)
    return folder


def written(sources: Path) -> dict[str, str]:
    folder = sources / "watch"
    return {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.json"))}


def test_the_first_run_records_every_cited_page_and_a_second_writes_nothing(
    sources: Path, sites: Sites
) -> None:
    fixture_sites(sites)
    first = run(sources, sites, FIRST)
    assert {c.outcome for c in first.checks} == {"new"}
    assert sorted(p.name for p in first.written) == [f"{ORG}.json", "national.json"]
    records, problems = read_watch(sources)
    assert problems == []
    checkpoints = records[ORG].pages["https://example.org/checkpoints"]
    assert checkpoints.date_lines == (
        "Term-time checkpoint 1 runs from 7 December 2026 to 29 January 2027.",
        "Checkpoint 2 opens on 1 March 2027.",
    )
    assert (checkpoints.first_checked_at, checkpoints.changed_at) == (FIRST, None)
    about = records[ORG].pages["https://example.org/about"]
    assert about.date_lines == ("Founded on 1 March 2019",), "a PDF's words, read by pypdf"
    report = watch_report.markdown(first)
    assert "9 pages read for the first time; the next change" in report

    before = written(sources)
    sites.requests.clear()
    second = run(sources, sites, SECOND)
    assert {c.outcome for c in second.checks} == {"unchanged"}
    assert second.written == () and written(sources) == before, "an unchanged day writes nothing"
    assert "Nothing changed." in watch_report.markdown(second)
    conditional = [r for r in sites.requests if r[0] != "example.org/robots.txt"]
    assert conditional and all(asked and status == 304 for _, asked, status in conditional), (
        "each page asked conditionally, and answered 304"
    )

    a_week_on = FIRST + timedelta(days=7)
    refreshed = run(sources, sites, a_week_on)
    assert len(refreshed.written) == 2, "a week on, the checks are recorded again"
    records, _ = read_watch(sources)
    checkpoints = records[ORG].pages["https://example.org/checkpoints"]
    assert (checkpoints.first_checked_at, checkpoints.checked_at) == (FIRST, a_week_on)
    assert checkpoints.changed_at is None


def test_changes_are_reported_with_their_dates_and_the_facts_that_cite_them(
    sources: Path, sites: Sites
) -> None:
    fixture_sites(sites)
    run(sources, sites, FIRST)
    sites.pages.update(
        {
            "example.org/checkpoints": html(
                "Term-time checkpoint 1 runs from 7 December 2026 to 29 January 2027.",
                "Checkpoint 2 opens on 8 March 2027.",
                "Entries for the summer series close on 21 February 2027.",
            ),
            "example.org/about": pdf(
                "About us", "Founded on 1 March 2019", "Claims close on 2 July 2027"
            ),
        }
    )
    del sites.pages["example.org/claims"]  # gone: 404
    sites.pages["example.org/results"] = (
        301,
        {"Location": "http://localhost:PORT/results.example.net/2027"},
        b"",
    )
    sites.pages["results.example.net/robots.txt"] = (404, {}, b"")
    sites.pages["results.example.net/2027"] = html("Results to learners on 19 August 2027.")

    done = run(sources, sites, SECOND)
    outcomes = {c.url: c.outcome for c in done.checks}
    assert outcomes["https://example.org/checkpoints"] == "changed"
    assert outcomes["https://example.org/about"] == "changed"
    assert outcomes["https://example.org/claims"] == "gone"
    assert outcomes["https://example.org/results"] == "moved"
    assert [p.name for p in done.written] == [f"{ORG}.json"]

    report = watch_report.markdown(done)
    section = report.split("### `Example Awarding Body`", 1)[1]
    assert section.index("**Gone:**") < section.index("**Moved:**") < section.index("**Changed:**")
    assert (
        "**Gone:** `https://example.org/claims` (`HTTP 404`). The hub cites it for 1 fact "
        "(key date claims-deadline-2027)."
    ) in section
    assert (
        "**Moved:** `https://example.org/results` is now found at "
        "`https://results.example.net/2027`."
    ) in section
    assert "- **New date: 19 August 2027**\n- **No longer there: 12 August 2027**" in section
    assert (
        "**Changed:** `https://example.org/checkpoints`. The hub cites it for 1 fact "
        "(key date checkpoint-1-2026-27)."
    ) in section
    assert "- **New date: 8 March 2027**\n- **New date: 21 February 2027**" in section
    assert "- **No longer there: 1 March 2027**" in section
    assert "-Checkpoint 2 opens on 1 March 2027.\n+Checkpoint 2 opens on 8 March 2027." in section
    assert "- **New date: 2 July 2027**" in section, "the PDF's new line"
    assert "For @example-ab/exams-team." in section

    records, _ = read_watch(sources)
    claims = records[ORG].pages["https://example.org/claims"]
    assert (claims.state, claims.failing_since, claims.date_lines) == (
        "gone",
        SECOND,
        ("Final claims by 30 June 2027.",),
    ), "a page gone keeps what it last said"
    checkpoints = records[ORG].pages["https://example.org/checkpoints"]
    assert (checkpoints.first_checked_at, checkpoints.changed_at) == (FIRST, SECOND)

    assert run(sources, sites, THIRD).written == (), "reported once: the next day is quiet"


def test_a_suggested_key_date_is_refused_until_a_person_sets_its_kind_and_status(
    sources: Path, sites: Sites, tmp_path: Path
) -> None:
    fixture_sites(sites)
    run(sources, sites, FIRST)
    sites.pages["example.org/checkpoints"] = html(
        "Term-time checkpoint 1 runs from 7 December 2026 to 29 January 2027.",
        "Checkpoint 2 opens on 1 March 2027.",
        "Entries for the summer series close on 21 February 2027.",
    )
    report = watch_report.markdown(run(sources, sites, SECOND))
    [block] = re.findall(r"~~~yaml\n(.*?)\n~~~", report, re.S)
    assert block == (
        "- id: replace-with-its-id-2027-02-21\n"
        "  title: REPLACE with the date's name\n"
        "  kind: REPLACE  # the words suggest entries (Entries)\n"
        "  start: 2027-02-21\n"
        "  status: REPLACE  # provisional or confirmed, as the page says\n"
        '  source_url: "https://example.org/checkpoints"\n'
        "  quote:\n"
        "    statement: Entries for the summer series close on 21 February 2027."
    )
    organisation = sources / "organisations" / f"{ORG}.yaml"
    text = organisation.read_text("utf-8")
    pasted = text.replace(
        "key_dates:\n", "key_dates:\n" + re.sub("^", "  ", block, flags=re.M) + "\n", 1
    )
    organisation.write_text(pasted, "utf-8")
    refused = [p for p in validate_paths([organisation]) if p.is_error]
    assert sorted(p.field for p in refused) == ["key_dates[0].kind", "key_dates[0].status"]


def test_pages_that_cannot_be_read_keep_their_record_and_say_why(
    sources: Path, sites: Sites
) -> None:
    fixture_sites(sites)
    run(sources, sites, FIRST)
    sites.pages["example.org/robots.txt"] = (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: vtq-hub-watch\nDisallow: /guides/\n",
    )

    def slow() -> Page:
        sites.release.wait(60)  # held until the test ends: the deadline must end the wait
        return html("late")

    sites.pages["example.org/contact"] = slow
    sites.pages["example.org/nationals"] = (
        200,
        {"Content-Type": "text/html"},
        b"<p>" + b"x" * 300_000 + b"</p>",
    )
    sites.pages["example.org/tech-awards"] = (
        200,
        {"Content-Type": "application/pdf"},
        b"%PDF-1.4 broken",
    )

    sites.requests.clear()
    done = run(sources, sites, SECOND, deadline=3.0, max_bytes=200_000)
    reasons = {c.url: c.record.reason for c in done.checks if c.outcome == "failing" and c.record}
    assert reasons["https://example.org/guides/results"] == (
        "the site's robots.txt asks robots not to read it"
    )
    assert re.match(
        r"(no response within|took longer than) ", reasons["https://example.org/contact"]
    )
    assert reasons["https://example.org/nationals"] == (
        "the body is 300,007 bytes; the limit is 200,000"
    )
    assert reasons["https://example.org/tech-awards"].startswith("the PDF cannot be read")
    assert not any(r[0] == "example.org/guides/results" for r in sites.requests), (
        "a page robots.txt refuses is never requested"
    )
    records, _ = read_watch(sources)
    contact = records[ORG].pages["https://example.org/contact"]
    assert (contact.state, contact.date_lines, contact.failing_since) == ("failing", (), SECOND)
    report = watch_report.markdown(done)
    assert (
        "**Could not be read since 8 December 2026:** `https://example.org/guides/results`"
        in report
    )


def test_a_site_whose_robots_txt_fails_is_not_read_at_all(sources: Path, sites: Sites) -> None:
    fixture_sites(sites)
    sites.pages["example.org/robots.txt"] = (503, {}, b"busy")
    done = run(sources, sites, FIRST)
    assert {c.outcome for c in done.checks} == {"failing"}
    assert [r[0] for r in sites.requests] == ["example.org/robots.txt"]


HOSTILE = [
    "`` **bold** `` on 1 May 2027",
    "~~~ fence closed on 2 May 2027",
    "@example-ab/exams-team see [this](https://evil.example) on 3 May 2027",
    "<img src=x onerror=alert(1)> <b>4 May 2027</b>",
    "![x](https://evil.example/x.png) 5 May 2027 www.evil.example",
]


def test_nothing_a_page_says_is_live_in_the_report(sources: Path, sites: Sites) -> None:
    fixture_sites(sites)
    run(sources, sites, FIRST)
    escaped = [line.replace("&", "&amp;").replace("<", "&lt;") for line in HOSTILE]
    sites.pages["example.org/checkpoints"] = html(*escaped, "Entries close on 6 May 2027 @everyone")
    report = watch_report.markdown(run(sources, sites, SECOND))
    document = html5lib.parse(MarkdownIt("commonmark").render(report), namespaceHTMLElements=False)
    tags = {element.tag for element in document.iter()}
    assert tags <= {"html", "head", "body", "h2", "h3", "p", "ul", "li", "code", "pre", "strong"}
    outside = " ".join(
        text
        for element in document.iter()
        if element.tag not in ("code", "pre")
        for text in (element.text, element.tail)
        if text
    )
    assert "evil" not in outside and "bold" not in outside and "@everyone" not in outside
    mentions = re.findall(r"@[\w/-]+", outside)
    assert mentions == ["@example-ab/exams-team"], "only the maintainers named in the sources"
    blocks = "".join(c.text or "" for c in document.iter("code"))
    for line in HOSTILE:
        assert line in blocks


def test_the_hubs_own_sources_watched_from_loopback_copies(sources: Path, sites: Sites) -> None:
    """Every page the hub's own sources cite, served as a stand-in copy; three changed on the
    second day; the third day is quiet."""
    real = sources.parent / "real"
    shutil.copytree(ROOT / "sources", real)
    from hub_builder.check import load_valid
    from hub_builder.normalise import normalise

    hub = normalise(load_valid(real).documents, built_at=FIRST)
    cited = cited_pages(hub)
    urls = sorted({url for pages in cited.values() for url in pages})
    assert len(urls) > 150
    for url in urls:
        key = url.removeprefix("https://")
        sites.pages[key] = html(f"A copy of {url} as it stood on 1 June 2026.")
        sites.pages[key.split("/", 1)[0] + "/robots.txt"] = (404, {}, b"")
    first = run(real, sites, FIRST)
    assert {c.outcome for c in first.checks} == {"new"}

    pearson = next(u for u in cited["pearson"] if "pearson" in u)
    ncfe = next(u for u in cited["ncfe"] if "ncfe" in u)
    gone = next(u for u in cited["ocr"] if "ocr" in u)
    sites.pages[pearson.removeprefix("https://")] = html(
        f"A copy of {pearson}.",
        "BTEC entries close on 21 February 2027.",
        "Results day: 12 August 2027.",
    )
    sites.pages[ncfe.removeprefix("https://")] = html(f"A copy of {ncfe}, updated.")
    del sites.pages[gone.removeprefix("https://")]
    second = run(real, sites, SECOND)
    report = watch_report.markdown(second)
    assert f"**Changed:** `{pearson}`. The hub cites it for" in report
    assert "- **New date: 21 February 2027**\n- **New date: 12 August 2027**" in report
    assert "- **No longer there: 1 June 2026**" in report
    assert f"**Gone:** `{gone}` (`HTTP 404`)" in report
    assert "kind: REPLACE  # the words suggest entries (Entries)" in report
    assert sorted(p.name for p in second.written) == ["ncfe.json", "ocr.json", "pearson.json"]
    assert run(real, sites, THIRD).written == ()
    stored = json.loads((real / "watch" / "pearson.json").read_text("utf-8"))
    assert stored["organisation"] == "pearson" and stored["format_version"] == 1


def test_the_site_says_what_the_watcher_last_found(sources: Path, sites: Sites) -> None:
    fixture_sites(sites)
    run(sources, sites, FIRST)
    sites.pages["example.org/checkpoints"] = html("Checkpoint 1 opens on 7 December 2026.")
    del sites.pages["example.org/claims"]
    run(sources, sites, SECOND)

    out = sources.parent / "out"
    build(replace(build_options(sources, out), clock=lambda: THIRD))
    site = out / "site"
    page = " ".join((site / "organisations" / ORG / "index.html").read_text("utf-8").split())
    assert (
        "https://example.org/checkpoints</a> (no date shown; its words changed on 8 December 2026)"
    ) in page
    assert (
        "https://example.org/claims</a> (no date shown; not found when checked on 8 December 2026)"
        in page
    )
    assert (
        "https://example.org/results</a> (no date shown; the same words when checked "
        "on 8 December 2026 as on 7 December 2026)"
    ) in page
    assert "Pages this entry cites that changed after it was compiled on" in page
    status = json.loads((site / "api" / "v1" / "status.json").read_bytes())
    row = next(o for o in status["organisations"] if o["id"] == ORG)
    assert row["cited_pages"] == {
        "watched": 9,
        "checked_at": SECOND.isoformat(),
        "changed_since_compiled": ["https://example.org/checkpoints"],
        "gone": ["https://example.org/claims"],
        "failing": [],
    }
    status_page = (site / "status" / "index.html").read_text("utf-8")
    assert "Checked 8 December 2026: 1 changed since the entry was updated, 1 gone" in status_page


def test_a_page_first_read_after_failing_is_new_and_an_odd_charset_is_read(
    sources: Path, sites: Sites
) -> None:
    fixture_sites(sites)
    del sites.pages["example.org/claims"]
    run(sources, sites, FIRST)
    sites.pages["example.org/claims"] = (
        200,
        {"Content-Type": "text/html; charset=idna"},
        b"<p>Final claims by 30 June 2027.</p>",
    )
    done = run(sources, sites, SECOND)
    [claims] = [c for c in done.checks if c.url == "https://example.org/claims"]
    assert (claims.outcome, claims.added_dates) == ("new", [])
    assert claims.record is not None and claims.record.changed_at is None
    assert claims.record.date_lines == ("Final claims by 30 June 2027.",)
    assert "New date" not in watch_report.markdown(done)


def test_a_record_goes_when_its_organisation_leaves_the_hub(sources: Path, sites: Sites) -> None:
    fixture_sites(sites)
    entry = (sources / "organisations" / f"{ORG}.yaml").read_text("utf-8")
    leaving = sources / "organisations" / "leaving-body.yaml"
    leaving.write_text(
        entry.replace(f"id: {ORG}", "id: leaving-body")
        .replace("name: Example Awarding Body", "name: Leaving Body")
        .replace("acronym: EAB", "acronym: LB")
        .replace("RN9999", "RN9998"),
        "utf-8",
    )
    run(sources, sites, FIRST)
    assert "leaving-body.json" in written(sources)

    leaving.unlink()
    only_one = watch(sources, fetcher(sites), SECOND, pause=0, only=["national"])
    assert only_one.removed == () and "leaving-body.json" in written(sources), (
        "a run of some organisations leaves the others' records alone"
    )
    whole = run(sources, sites, SECOND)
    assert whole.removed == ("leaving-body",)
    assert sorted(written(sources)) == [f"{ORG}.json", "national.json"]
    assert "no longer on the hub: `leaving-body`." in watch_report.markdown(whole)
    assert run(sources, sites, THIRD).removed == ()


def test_a_pdf_is_read_in_a_process_of_its_own_that_is_stopped_when_it_runs_on() -> None:
    """pypdf has looped for ever on crafted files; its process is stopped, the page fails."""
    body = pdf("Results on 12 August 2027")[2]
    assert page_text.readable_text(body, "application/pdf") == "Results on 12 August 2027"
    never_ends = [sys.executable, "-c", "import time; time.sleep(3600)"]
    with pytest.raises(page_text.UnreadablePage, match=r"took longer than 0\.5 seconds to read"):
        page_text._pdf_text(body, seconds=0.5, command=never_ends)
    dies = [sys.executable, "-c", "import os; os.abort()"]
    with pytest.raises(page_text.UnreadablePage, match="reader stopped unfinished"):
        page_text._pdf_text(body, command=dies)
    with pytest.raises(page_text.UnreadablePage, match="the PDF cannot be read"):
        page_text._pdf_text(b"%PDF-1.4\n" + b"\x00" * 1000)
