"""The API described for machines and people: ``/api/v1/openapi.json`` (OpenAPI 3.1) and the
site's ``/api/`` page, both made from the endpoints and the same JSON Schemas the files are
checked against.

OpenAPI 3.1 takes JSON Schema 2020-12 as it is, so each schema file becomes one component
(``Build``, ``Dates``… and ``Defs`` for the shared definitions) with its ``$ref``s rewritten
from file addresses (``defs.schema.json#/$defs/date``) to places in the document
(``#/components/schemas/Defs/$defs/date``): the document stands alone, and a validator
needs nothing else.

    >>> document(hub, ENDPOINTS, 1)["paths"]["/dates.json"]["get"]["summary"]  # doctest: +SKIP
    'Every key date, national ones included, in date order.'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hub_builder.load.schemas import schema_text

if TYPE_CHECKING:
    from hub_builder.model import Hub
    from hub_builder.render.api import Endpoint

OPENAPI_VERSION = "3.1.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

Json = dict[str, Any]


def component_name(schema_file: str) -> str:
    """``organisation-detail.schema.json`` → ``OrganisationDetail``."""
    stem = schema_file.removesuffix(".schema.json")
    return "".join(part.capitalize() for part in stem.split("-"))


def document(hub: Hub, endpoints: Sequence[Endpoint], version: int) -> Json:
    schema_files = sorted({e.schema for e in endpoints} | {"defs.schema.json"})
    return {
        "openapi": OPENAPI_VERSION,
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "VTQ Hub API",
            "version": str(version),
            "summary": "Key dates for vocational and technical qualifications in England.",
            "description": (
                "Static JSON files, rebuilt with the site. Dates are YYYY-MM-DD, times HH:MM "
                "UK time (Europe/London); end is the last day, inclusive. Every file carries "
                "api_version, generated_at, url (the page for people) and, for a list, total."
            ),
        },
        # Without the site's address, "." is the folder openapi.json is served from.
        "servers": [{"url": f"{hub.site_url}api/v1" if hub.site_url else "."}],
        "paths": {
            f"/{e.path}": {
                "get": {
                    "operationId": operation_id(e.path),
                    "summary": e.summary,
                    **({"parameters": [id_parameter()]} if "{id}" in e.path else {}),
                    "responses": {
                        "200": {
                            "description": e.summary,
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "$ref": f"#/components/schemas/{component_name(e.schema)}"
                                    }
                                }
                            },
                        },
                        **(
                            {"404": {"description": "No organisation with that id."}}
                            if "{id}" in e.path
                            else {}
                        ),
                    },
                }
            }
            for e in endpoints
        },
        "components": {"schemas": {component_name(f): component(f) for f in schema_files}},
    }


def operation_id(path: str) -> str:
    """``organisations/{id}.json`` → ``getOrganisationsById``."""
    words = path.removesuffix(".json").replace("{id}", "by-id").replace("/", "-").split("-")
    return "get" + "".join(w.capitalize() for w in words)


def id_parameter() -> Json:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "The organisation's id, as in /organisations.json.",
        "schema": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
    }


def component(schema_file: str) -> Json:
    data: Json = json.loads(schema_text(f"api/{schema_file}"))
    data.pop("$schema", None)
    rewritten: Json = rewrite_refs(data, component_name(schema_file))
    return rewritten


def rewrite_refs(node: Any, own: str) -> Any:
    """Every ``$ref`` pointed at its place in the OpenAPI document."""
    if isinstance(node, list):
        return [rewrite_refs(item, own) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: rewrite_refs(value, own) for key, value in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str):
        target, _, pointer = ref.partition("#")
        name = component_name(target) if target else own
        out["$ref"] = f"#/components/schemas/{name}{pointer}"
    return out
