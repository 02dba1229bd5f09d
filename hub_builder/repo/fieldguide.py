"""The organisation file's fields, read from its JSON Schema: one source for every reference.

``fields()`` walks ``organisation.schema.json`` and returns one :class:`Field` per field,
nested list items included (``key_dates[].start``), in the schema's order, with whether it
is required, what it means (the schema's ``description``) and how to write it (its
``$comment``, enum values or type). ``markdown()`` turns them into the table that
CONTRIBUTING.md carries and ``vtq-hub fields`` prints; a test checks the two are the same,
so the documentation cannot drift from the schema.

    >>> next(f for f in fields() if f.name == "key_dates[].kind").how[:28]
    'one of: `registration`, `ent'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hub_builder.load import schemas

_TYPE_WORDS = {"string": "text", "boolean": "`true` or `false`", "integer": "a whole number"}


@dataclass(frozen=True)
class Field:
    name: str
    required: bool
    meaning: str
    how: str
    rule: str = ""
    """A rule on the entry as a whole, like "at least one of email, phone or url"."""


def fields(schema_name: str = schemas.ORGANISATION) -> tuple[Field, ...]:
    schema = schemas.schema(schema_name)
    return tuple(_object_fields(schema, schema, ""))


def _object_fields(root: dict[str, Any], node: dict[str, Any], prefix: str) -> Iterator[Field]:
    required = set(node.get("required", ()))
    for name, prop in node.get("properties", {}).items():
        target = _resolved(root, prop)
        yield Field(
            name=prefix + name,
            required=name in required,
            meaning=prop.get("description") or target.get("description", ""),
            how=_how(root, prop),
        )
        items = _resolved(root, target.get("items", {}))
        if target.get("type") == "array" and items.get("type") == "object":
            yield from _object_fields(root, items, f"{prefix}{name}[].")
            if "$comment" in items:
                yield Field(f"{prefix}{name}[]", False, "", "", rule=items["$comment"])
        elif target.get("type") == "object":
            yield from _object_fields(root, target, f"{prefix}{name}.")


def _resolved(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with a local ``$ref`` (``#/$defs/x``) followed; other keys of ``node`` win."""
    ref = node.get("$ref", "")
    if not ref.startswith("#/$defs/"):
        return node
    target: dict[str, Any] = root["$defs"][ref.removeprefix("#/$defs/")]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _how(root: dict[str, Any], prop: dict[str, Any]) -> str:
    node = _resolved(root, prop)
    if "enum" in node:
        return "one of: " + ", ".join(f"`{value}`" for value in node["enum"])
    if node.get("type") == "array":
        items = _resolved(root, node.get("items", {}))
        if items.get("type") == "object":
            return "a list of entries with the fields below"
        return f"a list, each {_how(root, items)}"
    if node.get("type") == "object":
        return "a group of the fields below"
    if "$comment" in node:
        return str(node["$comment"])
    return _TYPE_WORDS.get(str(node.get("type")), str(node.get("type", "")))


def markdown(entries: tuple[Field, ...] | None = None) -> str:
    """The fields as a Markdown table (``|`` inside a cell escaped)."""
    entries = fields() if entries is None else entries
    rows = [
        "| field | required | what it means | how to write it |",
        "|---|---|---|---|",
        *(
            f"| `{f.name}` | {'yes' if f.required else ''} | {_cell(f.meaning)} | {_cell(f.how)} |"
            for f in entries
            if not f.rule
        ),
    ]
    rules = [f"Each `{f.name}` entry needs {f.rule}." for f in entries if f.rule]
    return "\n".join(rows) + "\n" + "".join(f"\n{rule}\n" for rule in rules)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
