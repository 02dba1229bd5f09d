"""The JSON API: every file in the built site validates against its published schema."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from hub_builder.load.schemas import schema_text
from hub_builder.pipeline import BuildReport, build
from hub_builder.render import api
from hub_builder.status.report import status_report
from tests.conftest import BUILT_AT, FIXTURE_HUB, build_options, fixture_hub

SCHEMA_OF = {
    "build.json": "build.schema.json",
    "changes.json": "changes.schema.json",
    "dates.json": "dates.schema.json",
    "feeds.json": "feeds.schema.json",
    "index.json": "index.schema.json",
    "national.json": "national-calendar.schema.json",
    "organisations.json": "organisations.schema.json",
    "status.json": "status.schema.json",
}
# openapi.json is checked by an OpenAPI validator (tests/test_outputs_clients.py).
WITHOUT_SCHEMA = {"openapi.json"}


def published_validator(schema_dir: Path, name: str) -> Draft202012Validator:
    """A validator built from the schema files as the site publishes them."""
    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in schema_dir.glob("*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (file, Resource.from_contents(contents)) for file, contents in schemas.items()
    )
    Draft202012Validator.check_schema(schemas[name])
    return Draft202012Validator(schemas[name], registry=registry, format_checker=FormatChecker())


def schema_for(path: Path) -> str:
    if path.parent.name == "organisations":
        return "organisation-detail.schema.json"
    return SCHEMA_OF[path.name]


def test_every_json_file_validates_against_its_published_schema(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    root = site / "api" / "v1"
    files = sorted((p for p in root.rglob("*.json") if p.parent.name != "schema"), key=str)
    assert [p.relative_to(root).as_posix() for p in files] == [
        "build.json",
        "changes.json",
        "dates.json",
        "feeds.json",
        "index.json",
        "national.json",
        "openapi.json",
        "organisations.json",
        "organisations/example-awarding-body.json",
        "status.json",
    ]
    for path in (p for p in files if p.name not in WITHOUT_SCHEMA):
        validator = published_validator(root / "schema", schema_for(path))
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_text("utf-8")))]
        assert errors == [], path


def test_the_schemas_catch_a_broken_file(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    site, _ = built_fixture_hub
    root = site / "api" / "v1"
    dates = json.loads((root / "dates.json").read_text("utf-8"))
    dates["dates"][0]["start"] = "12 August 2027"
    del dates["dates"][1]["organisation"]
    validator = published_validator(root / "schema", "dates.schema.json")
    messages = {e.message for e in validator.iter_errors(dates)}
    assert "'organisation' is a required property" in messages
    assert "'12 August 2027' is not a 'date'" in messages


def test_dates_hold_every_date_in_order_with_names_and_groups(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    dates = json.loads((site / "api" / "v1" / "dates.json").read_text("utf-8"))["dates"]
    assert len(dates) == 7
    assert [d["start"] for d in dates] == sorted(d["start"] for d in dates)
    claims = next(d for d in dates if d["id"] == "claims-deadline-2027")
    assert claims["uid"] == "example-awarding-body-claims-deadline-2027"
    assert claims["organisation"] == "Example Awarding Body"
    assert (claims["start"], claims["end"], claims["time"]) == ("2027-06-30", None, "23:59")
    checkpoint = next(d for d in dates if d["id"] == "checkpoint-1-2026-27")
    assert checkpoint["qualification_groups"] == ["example-nationals", "example-tech-awards"]
    ucas = next(d for d in dates if d["organisation_id"] == "national" and d["time"])
    assert ucas["organisation"] == "National calendar"


def test_build_metadata_names_clock_revision_and_freshness(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    build = json.loads((site / "api" / "v1" / "build.json").read_text("utf-8"))
    assert build["built_at"] == "2026-11-23T09:30:00+00:00"
    assert build["source_revision"] == "unknown"
    assert build["organisations"] == [
        {
            "id": "example-awarding-body",
            "name": "Example Awarding Body",
            "compiled_on": "2026-11-01",
            "days_since_compiled": 22,
            "confirmed_on": None,
        }
    ]


def test_output_is_sorted_and_deterministic() -> None:
    hub = fixture_hub()
    status = status_report(hub)
    first, second = list(api.render(hub, status)), list(api.render(replace(hub), status))
    assert first == second
    for output in first:
        if output.path.endswith(".json") and "/schema/" not in output.path:
            text = output.content.decode("utf-8")
            assert text == json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n"


def test_the_revision_is_injected_not_computed() -> None:
    hub = replace(fixture_hub(), source_revision="0123456789abcdef0123456789abcdef01234567")
    build = next(o for o in api.render(hub, status_report(hub)) if o.path == "api/v1/build.json")
    assert json.loads(build.content)["source_revision"] == hub.source_revision


@pytest.mark.parametrize("name", api.SCHEMA_FILES)
def test_each_schema_is_published_beside_the_files(
    built_fixture_hub: tuple[Path, BuildReport], name: str
) -> None:
    site, _ = built_fixture_hub
    published = json.loads((site / "api" / "v1" / "schema" / name).read_text("utf-8"))
    Draft202012Validator.check_schema(published)
    assert published == json.loads(schema_text(f"api/{name}"))


def test_machine_outputs_are_byte_identical_across_builds(
    tmp_path: Path, built_fixture_hub: tuple[Path, BuildReport]
) -> None:
    first, _ = built_fixture_hub
    build(build_options(FIXTURE_HUB, tmp_path))
    second = tmp_path / "site"
    folders = ("api", "downloads", "calendars")
    files = sorted(
        p.relative_to(first) for f in folders for p in (first / f).rglob("*") if p.is_file()
    )
    # the "Data and API" page, JSON (with index and openapi), schemas, CSV (every date, the
    # Ofqual upload, this year at a glance), calendars (all, national, the organisation, its
    # two groups with and without the national dates, 15 kinds)
    assert len(files) == 1 + 10 + 10 + 3 + 22
    assert files == sorted(
        p.relative_to(second) for f in folders for p in (second / f).rglob("*") if p.is_file()
    )
    for relative in [*files, Path("changes.xml")]:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def without_clock(path: Path) -> Any:
    data = json.loads(path.read_text("utf-8"))
    data.pop("generated_at", None)
    if path.name == "build.json":
        data.pop("built_at")
    return data


def test_what_changes_between_builds_of_the_same_sources_is_what_the_readme_says(
    tmp_path: Path, built_fixture_hub: tuple[Path, BuildReport]
) -> None:
    """Same sources, later that day: only generated_at (and build.json's clock) differ.
    The next day: status.json (worked out for the day) and build.json's ages differ too."""
    first, _ = built_fixture_hub
    later = BUILT_AT + timedelta(hours=5)
    build(replace(build_options(FIXTURE_HUB, tmp_path / "later"), clock=lambda: later))
    next_day = BUILT_AT + timedelta(days=1)
    build(replace(build_options(FIXTURE_HUB, tmp_path / "next"), clock=lambda: next_day))
    files = sorted(p.relative_to(first) for p in (first / "api").rglob("*.json"))
    for relative in files:
        same_day = tmp_path / "later" / "site" / relative
        stamped = "generated_at" in json.loads((first / relative).read_text("utf-8"))
        identical = (first / relative).read_bytes() == same_day.read_bytes()
        assert identical is not stamped, relative
        assert without_clock(first / relative) == without_clock(same_day), relative
    changed = {
        relative.as_posix()
        for relative in files
        if without_clock(first / relative) != without_clock(tmp_path / "next" / "site" / relative)
    }
    assert changed == {"api/v1/build.json", "api/v1/status.json"}


@pytest.mark.parametrize(
    "entries",
    [
        [],
        [{}],
        [{"b": [1, {"c": []}], "a": 'line\nbreak "quoted" \u00e9 \\ \u2028'}, {"z": None}],
        [{"title": "Final claims", "groups": ["a", "b"], "nested": {"x": {"y": [[], [1]]}}}] * 3,
    ],
)
def test_a_long_list_encoded_entry_by_entry_is_the_same_bytes(entries: list[object]) -> None:
    data = {"url": None, "api_version": 1, "total": len(entries), "a": [1], "z": {"k": "v"}}
    whole = api.json_output("x.json", {**data, "dates": entries})
    assert api.json_list_output("x.json", data, "dates", iter(entries)) == whole
