"""One JSON shape of a key date: every key-date object of every JSON file the build writes
is the one shape (:func:`shapes.key_date_json`), whole or some of its fields."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hub_builder.load.schemas import schema_text
from hub_builder.model import Hub, KeyDate
from hub_builder.pipeline import BuildReport, load_hub
from hub_builder.render.records import groups_of, organisation_name
from hub_builder.shapes import STATUS_DATE_FIELDS, fields_of, key_date_json
from tests.conftest import FIXTURE_HUB, build_options

# What makes a JSON object a key date, in any output.
KEY_DATE_MARKS = {"id", "title", "kind", "start", "status"}


def key_date_objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every object in a JSON document that gives a key date (not a schema describing one):
    one with its fields, or with its uid and start."""
    if isinstance(value, dict):
        marked = value.keys() >= KEY_DATE_MARKS or value.keys() >= {"uid", "start"}
        if marked and isinstance(value["start"], str):
            yield value
        for item in value.values():
            yield from key_date_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from key_date_objects(item)


def shape_of(hub: Hub, found: dict[str, Any]) -> dict[str, Any] | None:
    """The one shape of the hub's date the object gives, cut to the object's fields (with
    the organisation's name where the object names it); None when no date matches."""
    for key_date in hub.all_dates:
        if found.get("uid", key_date.uid) != key_date.uid:
            continue
        if (found.get("id", key_date.id), found["start"]) != (
            key_date.id,
            key_date.start.isoformat(),
        ):
            continue
        if found.get("organisation_id", key_date.organisation_id) != key_date.organisation_id:
            continue
        shape = one_shape(hub, key_date)
        if found == fields_of(shape, found.keys()):
            return found
    return None


def one_shape(hub: Hub, key_date: KeyDate) -> dict[str, Any]:
    groups = [g.id for g in groups_of(hub, key_date)]
    return {**key_date_json(key_date, groups), "organisation": organisation_name(hub, key_date)}


def test_every_key_date_object_is_the_one_shape(
    built_fixture_hub: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    site, _ = built_fixture_hub
    hub = load_hub(build_options(FIXTURE_HUB, tmp_path)).hub
    found: dict[str, int] = {}
    for path in sorted(site.rglob("*.json")):
        name = str(path.relative_to(site))
        if name.endswith((".schema.json", "openapi.json")):
            continue  # a schema's examples are not the hub's dates
        for item in key_date_objects(json.loads(path.read_text("utf-8"))):
            assert shape_of(hub, item) == item, f"{name}: {item} is not the one shape"
            found[name] = found.get(name, 0) + 1
    organisation_file = "api/v1/organisations/example-awarding-body.json"
    expected = {"api/v1/dates.json", "api/v1/national.json", organisation_file}
    assert expected | {"api/v1/status.json"} <= found.keys()
    assert found["api/v1/dates.json"] == len(hub.all_dates)


def test_the_one_shape_has_the_fields_of_the_api_schema_key_date(tmp_path: Path) -> None:
    """The fields the schema's ``keyDate`` requires, in its order, and no other
    (``organisation`` is dates.json's own addition); status.json's are some of them."""
    schema = json.loads(schema_text("api/defs.schema.json"))["$defs"]["keyDate"]
    hub = load_hub(build_options(FIXTURE_HUB, tmp_path)).hub
    for key_date in hub.all_dates:
        shape = key_date_json(key_date, [g.id for g in groups_of(hub, key_date)])
        assert list(shape) == schema["required"]
    assert set(STATUS_DATE_FIELDS) <= set(schema["required"])
