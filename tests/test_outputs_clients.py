"""Every published output read by more than one independent client, as real programs read it.

The site is the hub's own sources built as the publish workflow builds it (with its address,
so schemas carry their ``$id``), plus a fixture hub in which a date moves with and without
``vtq-hub record-changes``. Calendars: icalendar, recurring-ical-events and vobject (the
``ics`` library was tried too: it overflows its recursion limit after parsing a few dozen
time zones, whatever their form).
JSON: jsonschema with the schemas found by their ``$id`` alone, and check-jsonschema.
OpenAPI: openapi-spec-validator, and each file checked against its path's response schema
inside the document. Atom: feedparser, and the RFC 4287 musts read with ElementTree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import feedparser
import pytest
import recurring_ical_events
import vobject
from icalendar import Calendar
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from hub_builder.calendar import LONDON
from hub_builder.load.schemas import schema
from hub_builder.pipeline import build
from hub_builder.repo.changes import record_changes
from tests.conftest import BUILT_AT, FIXTURE_HUB, PUBLISHED_AT, ROOT, build_options

SOURCES = ROOT / "sources"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("clients")
    build(replace(build_options(SOURCES, tmp), site_url=PUBLISHED_AT))
    return tmp / "site"


def calendars(site: Path) -> list[Path]:
    return sorted((site / "calendars").rglob("*.ics"), key=str)


# Calendars --------------------------------------------------------------------------------


def test_every_calendar_reads_the_same_in_three_libraries(site: Path) -> None:
    files = calendars(site)
    assert len(files) > 40
    for path in files:
        text = path.read_text("utf-8")
        parsed = Calendar.from_ical(text)
        uids = sorted(str(e["UID"]) for e in parsed.walk("VEVENT"))
        expanded = recurring_ical_events.of(parsed).between(date(2015, 1, 1), date(2035, 1, 1))
        assert sorted({str(e["UID"]) for e in expanded}) == uids, path
        [card] = list(vobject.readComponents(text))
        assert sorted(str(e.uid.value) for e in card.contents.get("vevent", [])) == uids, path


def test_a_timed_deadline_has_no_end_and_every_end_is_later_than_its_start(site: Path) -> None:
    parsed = Calendar.from_ical((site / "calendars" / "all.ics").read_bytes())
    timed = [e for e in parsed.walk("VEVENT") if isinstance(e.decoded("DTSTART"), datetime)]
    assert timed, "the hub has timed deadlines (UCAS 18:00)"
    for event in parsed.walk("VEVENT"):
        if "DTEND" in event:
            assert event.decoded("DTEND") > event.decoded("DTSTART"), event["UID"]
    assert any("DTEND" not in e for e in timed)


def test_a_summer_deadline_is_read_at_the_same_instant_by_every_client(site: Path) -> None:
    """A 18:00 UK-time deadline in June is 17:00 UTC: in British Summer Time, not GMT."""
    text = (site / "calendars" / "national.ics").read_text("utf-8")
    summer = [
        e
        for e in Calendar.from_ical(text).walk("VEVENT")
        if isinstance(e.decoded("DTSTART"), datetime) and e.decoded("DTSTART").month in (6, 7)
    ]
    assert summer, "the national calendar has a summer deadline with a time"
    uid = str(summer[0]["UID"])
    expected = summer[0].decoded("DTSTART").astimezone(UTC)
    assert expected.hour == 17
    [card] = list(vobject.readComponents(text))
    by_vobject = next(e for e in card.vevent_list if e.uid.value == uid).dtstart.value
    assert by_vobject.astimezone(UTC) == expected


def test_the_time_zone_is_written_as_yearly_rules_matching_the_iana_zone(site: Path) -> None:
    text = (site / "calendars" / "all.ics").read_text("utf-8")
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert block.count("RRULE:FREQ=YEARLY") == 2 and "RDATE" not in block
    zone = Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz()
    iana = ZoneInfo("Europe/London")
    moment = datetime(2022, 1, 1, tzinfo=UTC)
    while moment < datetime(2031, 1, 1, tzinfo=UTC):
        # Every hour around each change, and noon on every other day.
        near_change = moment.month in (3, 10) and moment.day >= 24
        step = timedelta(hours=1) if near_change else timedelta(days=1)
        assert moment.astimezone(zone).utcoffset() == moment.astimezone(iana).utcoffset(), moment
        moment += step


def test_sequence_rises_for_a_moved_date_with_or_without_record_changes(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    history = sources / "history.json"
    record_changes(sources, history, BUILT_AT)
    uid = "example-awarding-body-claims-deadline-2027@vtq-hub"
    org = sources / "organisations" / "example-awarding-body.yaml"

    def sequence_after(step: str) -> int:
        site = tmp_path / step
        build(build_options(sources, site))
        calendar = Calendar.from_ical((site / "site" / "calendars" / "all.ics").read_bytes())
        return int(next(e for e in calendar.walk("VEVENT") if e["UID"] == uid)["SEQUENCE"])

    assert sequence_after("baseline") == 0
    org.write_text(org.read_text("utf-8").replace("2027-06-30", "2027-07-02"), "utf-8")
    assert sequence_after("moved, not recorded") == 1, "a preview build raises it too"
    record_changes(sources, history, BUILT_AT + timedelta(days=1))
    assert sequence_after("recorded") == 1, "recording the move keeps it"
    org.write_text(org.read_text("utf-8").replace("2027-07-02", "2027-07-05"), "utf-8")
    assert sequence_after("moved again") == 2


# JSON ---------------------------------------------------------------------------------------


def published_schemas(site: Path) -> dict[str, dict[str, Any]]:
    """Every published schema, by its ``$id``: no file path is used to find one."""
    found = [
        json.loads(p.read_text("utf-8"))
        for folder in (site / "api" / "v1" / "schema", site / "schema")
        for p in folder.glob("*.json")
    ]
    return {s["$id"]: s for s in found}


def api_files(site: Path) -> list[Path]:
    root = site / "api" / "v1"
    return sorted(
        (p for p in root.rglob("*.json") if "schema" not in p.parts and p.name != "openapi.json"),
        key=str,
    )


def schema_id(site: Path, path: Path) -> str:
    """The file's schema address, as index.json gives it."""
    index = json.loads((site / "api" / "v1" / "index.json").read_text("utf-8"))
    relative = "/" + path.relative_to(site).as_posix()
    for endpoint in index["endpoints"]:
        pattern = endpoint["path"].replace("{id}", path.stem)
        if pattern == relative:
            return str(endpoint["schema"])
    raise AssertionError(f"{relative} is not in index.json")


def test_every_schema_has_an_absolute_id_under_the_site_address(site: Path) -> None:
    schemas = published_schemas(site)
    assert len(schemas) == 12
    assert all(i.startswith(PUBLISHED_AT) for i in schemas)
    names = [i.rsplit("/", 1)[1] for i in schemas]
    assert len(set(names)) == len(names), "two schemas share a name"


def test_every_api_file_validates_with_schemas_found_by_id(site: Path) -> None:
    schemas = published_schemas(site)
    registry: Registry[Any] = Registry().with_resources(
        (i, Resource.from_contents(s)) for i, s in schemas.items()
    )
    files = api_files(site)
    assert len(files) == 8 + len(list((site / "api" / "v1" / "organisations").glob("*.json")))
    for path in files:
        wanted = schemas[schema_id(site, path)]
        checker = Draft202012Validator(wanted, registry=registry, format_checker=FormatChecker())
        data = json.loads(path.read_text("utf-8"))
        assert [e.message for e in checker.iter_errors(data)] == [], path
        assert data["api_version"] == 1 and data["generated_at"]
        assert data["url"] is None or data["url"].startswith(PUBLISHED_AT)
        lists = [v for v in data.values() if isinstance(v, list)]
        if "total" in data:
            assert data["total"] in [len(v) for v in lists]


def test_check_jsonschema_reads_every_api_file(site: Path) -> None:
    schema_dir = site / "api" / "v1" / "schema"
    for path in api_files(site):
        name = schema_id(site, path).rsplit("/", 1)[1]
        done = subprocess.run(
            [
                sys.executable,
                *("-m", "check_jsonschema"),
                *("--schemafile", str(schema_dir / name)),
                *("--base-uri", (schema_dir / name).as_uri()),
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"{path}: {done.stdout}{done.stderr}"


def test_the_index_lists_every_file_and_the_openapi_document_validates(site: Path) -> None:
    root = site / "api" / "v1"
    index = json.loads((root / "index.json").read_text("utf-8"))
    paths = {e["path"] for e in index["endpoints"]}
    assert len(paths) == index["total"] == 9
    for path in api_files(site):
        relative = "/" + path.relative_to(site).as_posix()
        assert relative in paths or relative.replace(path.stem, "{id}") in paths, relative
    document = json.loads((root / "openapi.json").read_text("utf-8"))
    validate_openapi(document)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": f"{PUBLISHED_AT}api/v1"}]
    registry: Registry[Any] = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    for path in api_files(site):
        key = "/" + path.relative_to(root).as_posix()
        key = key if key in document["paths"] else key.replace(path.stem, "{id}")
        response = document["paths"][key]["get"]["responses"]["200"]
        ref = response["content"]["application/json"]["schema"]["$ref"]
        checker = Draft202012Validator(
            {"$ref": f"urn:openapi{ref}"}, registry=registry, format_checker=FormatChecker()
        )
        data = json.loads(path.read_text("utf-8"))
        assert [e.message for e in checker.iter_errors(data)] == [], path


def test_the_api_page_lists_every_endpoint(site: Path) -> None:
    page = (site / "api" / "index.html").read_text("utf-8")
    index = json.loads((site / "api" / "v1" / "index.json").read_text("utf-8"))
    for endpoint in index["endpoints"]:
        assert endpoint["path"] in page, endpoint["path"]
    assert "openapi.json" in page


# The source files' schema --------------------------------------------------------------------


def test_the_source_schema_checks_real_dates_and_gives_an_example_for_every_field() -> None:
    organisation = schema("organisation.schema.json")
    checker = Draft202012Validator(organisation["$defs"]["date"], format_checker=FormatChecker())
    assert not checker.is_valid("2025-02-30") and checker.is_valid("2025-02-28")
    missing: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, where)
        if not isinstance(node, dict):
            return
        for name, field in node.get("properties", {}).items():
            if isinstance(field, dict) and "examples" not in field:
                missing.append(f"{where}.{name}")
        for key, value in node.items():
            walk(value, f"{where}/{key}")

    for name in ("organisation.schema.json", "national.schema.json"):
        walk(schema(name), name)
        assert '"x-' not in json.dumps(schema(name)), "a keyword strict validators do not know"
    assert missing == []


# Atom -------------------------------------------------------------------------------------------


def test_the_changes_feed_is_valid_atom_with_absolute_links(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    history = sources / "history.json"
    record_changes(sources, history, BUILT_AT)
    org = sources / "organisations" / "example-awarding-body.yaml"
    org.write_text(org.read_text("utf-8").replace("2027-06-30", "2027-07-02"), "utf-8")
    recorded_at = datetime(2026, 11, 24, 14, 5, 9, tzinfo=LONDON)
    record_changes(sources, history, recorded_at)
    build(replace(build_options(sources, tmp_path), site_url=PUBLISHED_AT))
    text = (tmp_path / "site" / "changes.xml").read_bytes()

    feed = feedparser.parse(text)
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert entry.updated == recorded_at.isoformat()
    assert entry.link.startswith(PUBLISHED_AT)

    root = ET.fromstring(text)
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == f"{PUBLISHED_AT}changes.xml"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert root.find(ATOM + required) is not None, required
    for item in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert item.find(ATOM + required) is not None, required


def test_every_page_names_the_feed_and_an_organisation_page_its_calendar(site: Path) -> None:
    for path in site.rglob("index.html"):
        page = path.read_text("utf-8")
        if 'http-equiv="refresh"' in page:
            continue
        assert 'rel="alternate" type="application/atom+xml"' in page, path
        assert 'type="text/calendar"' not in page, "the theme would fetch a missing sitemap"
    page = (site / "organisations" / "ocr" / "index.html").read_text("utf-8")
    assert 'data-webcal="" href="../../calendars/organisations/ocr.ics"' in page
