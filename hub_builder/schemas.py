"""The JSON Schemas that are the source files' contract, loaded once.

``SCHEMA_FILES`` maps each published schema file name to its path inside the package;
``validator(name)`` returns a ready validator that resolves the cross-file ``$ref``s.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

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
    registry: Registry[Any] = Registry().with_resources(
        (file, Resource.from_contents(schema(file))) for file in SCHEMA_FILES
    )
    return Draft202012Validator(schema(name), registry=registry)
