"""The JSON Schemas that are the source files' contract, loaded once.

``SCHEMA_FILES`` names the published schema files inside the package. ``is_valid(name,
data)`` is the fast check (jsonschema-rs, compiled once); ``validator(name)`` is the
pure-Python validator whose errors carry the paths and details that problems are explained
from. Valid data, the usual case, never reaches the slow one.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:  # imported when first needed: most runs never need them
    from jsonschema import Draft202012Validator

ORGANISATION = "organisation.schema.json"
NATIONAL = "national.schema.json"
SCHEMA_FILES = (ORGANISATION, NATIONAL)


def schema_text(name: str) -> str:
    return resources.files("hub_builder").joinpath("schema", name).read_text("utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


@cache
def validator(name: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (file, Resource.from_contents(schema(file))) for file in SCHEMA_FILES
    )
    return Draft202012Validator(schema(name), registry=registry)


_BASE = "https://schema.vtq-hub.invalid/"


def is_valid(name: str, data: Any) -> bool:
    return bool(_fast_validator(name).is_valid(data))


@cache
def _fast_validator(name: str) -> Any:
    return jsonschema_rs.validator_for(
        schema(name), base_uri=_BASE + name, retriever=lambda uri: schema(uri.removeprefix(_BASE))
    )
