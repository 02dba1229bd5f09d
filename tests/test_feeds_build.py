"""Declared feeds through the whole build: fetched from a real server on 127.0.0.1, stored,
built by the real pipeline and mkdocs; and what happens when the server goes away."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from hub_builder import cli
from hub_builder.calendar import LONDON
from hub_builder.errors import SourceProblems
from hub_builder.feeds import snapshots
from hub_builder.feeds.ingest import merged_dates
from hub_builder.model import KeyDate
from hub_builder.pipeline import build, validate_paths
from hub_builder.remote import feeds as refresh
from hub_builder.remote.http import HttpClient, Policy
from tests import feed_server as fs
from tests.conftest import build_options

FIRST_FETCH = datetime(2026, 11, 20, 6, 0, tzinfo=LONDON)
LATER_FETCH = datetime(2026, 11, 22, 6, 0, tzinfo=LONDON)
# Generous: every answer here comes at once, so no timeout is met on a loaded machine.
POLICY = Policy(
    allow_loopback=True,
    connect_timeout=10.0,
    read_timeout=10.0,
    deadline=30.0,
    retries=1,
    backoff=0.05,
)
ORG = "example-awarding-body"


def calendar_feed(url: str) -> str:
    return (
        "feeds:\n"
        "  - id: calendar\n"
        f"    url: {url}\n"
        "    format: ics\n"
        "    applies_to: [example-nationals]\n"
    )


def fetch(sources: Path, at: datetime) -> list[refresh.FetchOutcome]:
    specs = refresh.fetchable_feeds(sources)
    return list(refresh.refresh_all(specs, HttpClient(POLICY), clock=lambda: at))


def page(site: Path, organisation: str = ORG) -> str:
    return (site / "organisations" / organisation / "index.html").read_text("utf-8")


def test_a_declared_feed_builds_into_dates_and_survives_the_server_going_away(
    tmp_path: Path,
) -> None:
    server = fs.FeedServer().start()
    try:
        url = server.route("/eab/calendar.ics", fs.feed("calendar.ics"))
        sources = fs.sources_with_feeds(tmp_path, calendar_feed(url))
        assert [(o.result, o.entries) for o in fetch(sources, FIRST_FETCH)] == [("ok", 7)]
    finally:
        server.stop()
    report = build(build_options(sources, tmp_path / "first"))
    assert report.dates == 7 + 7
    first = page(tmp_path / "first" / "site")
    assert 'id="entries-2027-example-org"' in first
    assert "21 February 2027, 6pm UK time" in first
    assert "Feed unavailable" not in first
    dates = (tmp_path / "first" / "site" / "dates" / "index.html").read_text("utf-8")
    assert f'id="{ORG}-entries-2027-example-org"' in dates

    # The server is off now: the fetch fails, the snapshot stays, the rebuild keeps the dates.
    [outcome] = fetch(sources, LATER_FETCH)
    assert outcome.result == "stale"
    assert outcome.reason == "could not connect: [Errno 111] Connection refused after 2 attempts"
    build(build_options(sources, tmp_path / "second"))
    second = page(tmp_path / "second" / "site")
    assert 'id="entries-2027-example-org"' in second
    assert (
        "Feed unavailable since 22 November 2026, 6am UK time, showing data from "
        "20 November 2026, 6am UK time." in second
    )
    assert "Reason: could not connect: [Errno 111] Connection refused after 2 attempts" in second
    status = json.loads((tmp_path / "second" / "site" / "api/v1/feeds.json").read_text("utf-8"))
    assert status["feeds"][0]["state"] == "stale"
    assert status["feeds"][0]["fetched_at"] == "2026-11-20T06:00:00+00:00"


def test_a_feed_never_fetched_builds_with_no_dates_and_says_so(tmp_path: Path) -> None:
    sources = fs.sources_with_feeds(tmp_path, calendar_feed("https://example.org/dates.ics"))
    report = build(build_options(sources, tmp_path))
    assert report.dates == 7
    html = page(tmp_path / "site")
    assert "Feed unavailable.</strong> No dates from EAB's calendar (iCalendar) feed" in html
    assert "Reason: not fetched yet; run vtq-hub fetch." in html


def test_feed_dates_carry_provenance_groups_and_kinds(tmp_path: Path) -> None:
    with fs.FeedServer() as server:
        url = server.route("/eab/calendar.ics", fs.feed("calendar.ics"))
        sources = fs.sources_with_feeds(tmp_path, calendar_feed(url))
        fetch(sources, FIRST_FETCH)
    from hub_builder.feeds.ingest import ingest
    from hub_builder.load import sources as source_files

    documents = source_files.read_documents(source_files.source_paths(sources))
    ingested = ingest(documents, today=FIRST_FETCH.date())
    entries = {d.id: d for d in ingested.dates[ORG]}
    claims = entries["claims-2027-example-org"]
    assert (claims.kind, claims.applies_to, claims.status) == (
        "claims",
        ("example-nationals",),
        "confirmed",
    )
    assert claims.provenance is not None
    assert (claims.provenance.feed_url, claims.provenance.entry_uid) == (
        url,
        "claims-2027@example.org",
    )
    assert claims.provenance.fetched_at == FIRST_FETCH
    # No URL in the entry: the feed would be the source, but this test feed is plain http on
    # loopback, which pages never link to, so the organisation's page stands in.
    assert claims.source_url == "https://example.org/about"


OFQUAL_FEED = (
    "feeds:\n"
    "  - id: ofqual\n"
    "    path: ../ofqual/eab.csv\n"
    "    format: ofqual-csv\n"
    "    source_url: https://example.org/key-dates\n"
)


def sources_with_csv(tmp: Path, csv_name: str, feeds_yaml: str = OFQUAL_FEED) -> Path:
    sources = fs.sources_with_feeds(tmp, feeds_yaml)
    (sources / "ofqual").mkdir()
    shutil.copy(fs.FEEDS / csv_name, sources / "ofqual" / "eab.csv")
    return sources


def test_the_csv_uploaded_to_ofqual_builds_with_rows_merged_not_doubled(tmp_path: Path) -> None:
    sources = sources_with_csv(tmp_path, "key-dates.csv")
    report = build(build_options(sources, tmp_path))
    # 7 dates before; the CSV's 5 rows are 3 dates, one of which the AO file already has.
    assert report.dates == 7 + 2
    html = page(tmp_path / "site")
    assert html.count('aria-label="Link to Term-time checkpoint 1"') == 1
    row = html[html.index('id="certificates-to-centres-2027-09-17"') :]
    row = row[: row.index("</tr>")]
    assert "Example Nationals, Example Tech Awards" in row
    assert 'href="https://example.org/certificates"' in row
    assert "../ofqual/eab.csv (Ofqual key-dates CSV): 5 entries." in html


def test_bad_csv_rows_fail_the_build_with_file_row_column_message(tmp_path: Path) -> None:
    sources = sources_with_csv(tmp_path, "key-dates-unknown-group.csv")
    with pytest.raises(SourceProblems) as caught:
        build(build_options(sources, tmp_path))
    shown = [p.format().split("ofqual/", 1)[1] for p in caught.value.problems]
    assert shown == [
        "eab.csv:2:1: AOQualificationGroup: unknown qualification group 'Example Diplomas'; "
        "expected the name or id of one of: example-nationals, example-tech-awards"
    ]
    assert not (tmp_path / "site").exists()
    # validate reports the same problem, with the YAML file's own
    problems = validate_paths([sources / "organisations" / f"{ORG}.yaml"])
    assert [p.field for p in problems] == ["AOQualificationGroup"]


def test_a_feed_path_must_stay_inside_the_sources(tmp_path: Path) -> None:
    feeds = OFQUAL_FEED.replace("../ofqual/eab.csv", "../../outside.csv")
    sources = sources_with_csv(tmp_path, "key-dates.csv", feeds)
    (tmp_path / "outside.csv").write_bytes((fs.FEEDS / "key-dates.csv").read_bytes())
    with pytest.raises(SourceProblems) as caught:
        build(build_options(sources, tmp_path))
    [problem] = caught.value.problems
    assert problem.field == "feeds[0].path"
    assert problem.message == (
        "'../../outside.csv' is refused: it leads outside sources/; keep the file inside it"
    )


@pytest.mark.parametrize(
    ("feed", "message"),
    [
        (
            "  - {id: x, url: 'http://example.org/a.ics', format: ics}",
            "feeds[0].url: expected a full web address starting https:// (plain http only for "
            "a local test server), got 'http://example.org/a.ics'",
        ),
        (
            "  - {id: x, url: 'https://example.org/a.ics', path: a.csv, format: ics}",
            "feeds[0].path: give a url or a path, not both; remove one",
        ),
        (
            "  - {id: x, path: a.csv, format: ofqual-csv}",
            "feeds[0]: expected either a url, or a path with a source_url, got a group of fields",
        ),
        (
            "  - {id: x, url: 'https://example.org/a', format: ics, applies_to: [nope]}",
            "feeds[0].applies_to[0]: unknown qualification group 'nope' Expected one of: "
            "example-nationals, example-tech-awards",
        ),
    ],
)
def test_feed_declarations_are_validated(tmp_path: Path, feed: str, message: str) -> None:
    sources = fs.sources_with_feeds(tmp_path, "feeds:\n" + feed + "\n")
    problems = validate_paths([sources / "organisations" / f"{ORG}.yaml"])
    assert [p.format().split(": ", 1)[1] for p in problems if p.is_error] == [message]


def _date(id: str, title: str, day: int, applies_to: tuple[str, ...] = ()) -> KeyDate:
    from datetime import date

    return KeyDate(
        ORG,
        id,
        title,
        "other",
        date(2027, 3, day),
        None,
        None,
        "",
        "2026-27",
        applies_to,
        "confirmed",
        "",
        "https://example.org/",
        None,
    )


def test_yaml_dates_win_and_duplicates_are_merged() -> None:
    own = [_date("briefing", "Briefing (from the AO file)", 1)]
    from_feeds = [
        _date("briefing", "Briefing (from the feed)", 1),  # same id: the AO file wins
        _date("results", "Results", 2, ("example-nationals",)),
        _date("results-2", "results", 2, ("example-tech-awards",)),  # same date: merged
        _date("results", "Something else", 3),  # same id, another date: a hash keeps it apart
    ]
    merged = merged_dates(own, from_feeds)
    assert [(d.id.split("-")[0], d.title, d.applies_to) for d in merged] == [
        ("briefing", "Briefing (from the AO file)", ()),
        ("results", "Results", ("example-nationals", "example-tech-awards")),
        ("results", "Something else", ()),
    ]
    assert len({d.id for d in merged}) == 3


def test_vtq_hub_fetch_prints_a_summary_and_exits_0_unless_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with fs.FeedServer() as server:
        feeds = calendar_feed(server.route("/ok.ics", fs.feed("calendar.ics"))) + (
            f"  - id: gone\n    url: {server.url('/gone.ics')}\n    format: ics\n"
        )
        sources = fs.sources_with_feeds(tmp_path, feeds)
        assert cli.main(["fetch", "--sources", str(sources), "--allow-loopback"]) == 0
        out, err = capsys.readouterr()
        assert "[2/2]" in err
        lines = out.splitlines()
        assert lines[0].split() == [
            "feed",
            "result",
            "entries",
            "seconds",
            "data",
            "from",
            "reason",
        ]
        assert lines[1].split()[:3] == [f"{ORG}/calendar", "ok", "7"]
        assert lines[2].split()[:3] == [f"{ORG}/gone", "stale", "0"]
        assert lines[2].endswith("HTTP 404 Not Found")
        assert lines[3] == "2 feeds: 1 ok, 0 not modified, 1 stale"
        args = ["fetch", "--sources", str(sources), "--allow-loopback", "--strict", "--quiet"]
        assert cli.main(args) == 1
        out, err = capsys.readouterr()
        assert "1 not modified, 1 stale" in out and err == ""


def test_vtq_hub_fetch_refuses_loopback_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with fs.FeedServer() as server:
        sources = fs.sources_with_feeds(
            tmp_path, calendar_feed(server.route("/a.ics", fs.feed("calendar.ics")))
        )
        assert cli.main(["fetch", "--sources", str(sources), "--quiet"]) == 0
        assert server.seen == []
    out, _ = capsys.readouterr()
    assert "is not https; the hub fetches feeds over https only" in out
    meta = snapshots.read_meta(sources, ORG, "calendar")
    assert meta is not None and meta.fetched_at is None and meta.error.endswith("https only")


def test_build_says_it_never_fetches(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.make_parser().parse_args(["build", "--help"])
    assert "never fetches" in " ".join(capsys.readouterr().out.split())
