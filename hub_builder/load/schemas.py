"""The JSON Schemas that are the source files' contract, loaded once.

``SCHEMA_FILES`` names the published schema files inside the package. ``is_valid(name,
data)`` is the fast check (jsonschema-rs, compiled once); ``validator(name)`` is the
pure-Python validator whose errors carry the paths and details that problems are explained
from. Valid data, the usual case, never reaches the slow one. The two must agree: the slow
one reads ``pattern`` as JSON Schema does (ECMA-262, where ``$`` is the very end of the text;
Python's ``$`` would also match before a final newline).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from hub_builder.files import package_text

if TYPE_CHECKING:  # imported when first needed: most runs never need them
    from jsonschema import Draft202012Validator

ORGANISATION = "organisation.schema.json"
NATIONAL = "national.schema.json"
SCHEMA_FILES = (ORGANISATION, NATIONAL)


def schema_text(name: str) -> str:
    """A packaged schema file's text: ``schema_text("api/status.schema.json")``."""
    return package_text("schema", *name.split("/"))


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


@cache
def validator(name: str) -> Draft202012Validator:
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (file, Resource.from_contents(schema(file))) for file in SCHEMA_FILES
    )
    checker: Draft202012Validator = _ecma_validator_class()(schema(name), registry=registry)
    return checker


@cache
def _ecma_validator_class() -> Any:
    """Draft 2020-12 with ``pattern`` read as ECMA-262 reads it (see the module's docstring)."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": _ecma_pattern}
    )


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[Any]:
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not re.search(_python_regex(pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _python_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern))


_BASE = "https://schema.vtq-hub.invalid/"


def is_valid(name: str, data: Any) -> bool:
    try:
        return bool(_fast_validator(name).is_valid(data))
    except UnicodeEncodeError:  # text that is not Unicode (a lone surrogate): never valid
        return False


@cache
def _fast_validator(name: str) -> Any:
    return jsonschema_rs.validator_for(
        schema(name), base_uri=_BASE + name, retriever=lambda uri: schema(uri.removeprefix(_BASE))
    )
