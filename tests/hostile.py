"""Hostile hubs for the security tests: the fictional Example Awarding Body's file with any
value put in its text or address fields, a clean reference build to compare against, and
the Hypothesis strategies for hostile text. ``HUB_FUZZ_EXAMPLES`` sets every property's
number of examples (``HUB_FUZZ_EXAMPLES=5000`` for a long run).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from hub_builder.check import validate_documents
from hub_builder.load.strict_yaml import load
from hub_builder.pipeline import build
from hub_builder.problems import Problem
from tests.conftest import FIXTURE_HUB, FIXTURES, build_options
from tests.html_safety import Reference, parse

EXAMPLE = FIXTURE_HUB / "organisations" / "example-awarding-body.yaml"

# Where AO text goes: one-line fields, then the long ones (descriptions and summaries).
SHORT_FIELDS = (
    ("name",),
    ("acronym",),
    ("qualification_groups", "*", "name"),
    ("key_dates", "*", "title"),
    ("key_dates", "*", "series"),
    ("guidance", "*", "title"),
    ("contacts", "*", "label"),
    ("contacts", "*", "hours"),
)
LONG_FIELDS = (
    ("qualification_groups", "*", "description"),
    ("qualification_groups", "*", "quote", "statement"),  # backs the description's quotes
    ("key_dates", "*", "description"),
    ("key_dates", "*", "quote", "statement"),
    ("guidance", "*", "summary"),
)
URL_FIELDS = (
    ("website",),
    ("source_url",),
    ("qualification_groups", "*", "source_url"),
    ("key_dates", "*", "source_url"),
    ("guidance", "*", "url"),
    ("contacts", "*", "url"),
    ("contacts", "*", "source_url"),
)


def corpus(name: str) -> Any:
    """One file of known attack strings from ``tests/fixtures/attacks/``."""
    return yaml.safe_load((FIXTURES / "attacks" / f"{name}.yaml").read_text("utf-8"))


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["compiled_on"] = data["compiled_on"].isoformat()
    for item in data["key_dates"]:
        for key in ("start", "end"):
            if key in item:
                item[key] = item[key].isoformat()
    del data["recognition_number"]  # one organisation file owns an RN
    for item in (*data["qualification_groups"], *data["key_dates"]):
        item.setdefault("quote", {"statement": "The page's own words."})  # behind any description
    return data


def with_values(data: dict[str, Any], fields: tuple[tuple[str, ...], ...], value: str) -> None:
    """Set ``value`` at every path in ``fields`` (``*``: every item of the list)."""
    for path in fields:
        _set(data, path, value)


def _set(node: Any, path: tuple[str, ...], value: str) -> None:
    head, *rest = path
    if head == "*":
        for item in node:
            _set(item, tuple(rest), value)
    elif rest:
        _set(node[head], tuple(rest), value)
    else:
        node[head] = value


def organisation_file(org_id: str, data: dict[str, Any]) -> bytes:
    data = {**data, "id": org_id}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6).encode()


def problems_of(org_id: str, content: bytes) -> list[Problem]:
    path = f"hub/organisations/{org_id}.yaml"
    return [p for p in validate_documents([load(content, path)]) if p.is_error]


CONTROL = "attack-control"  # the example with plain text: what a page of its kind holds


def reference_pages(tmp: Path) -> dict[str, Reference]:
    """What the theme and templates put in each page of a clean hub, by page path: the
    fixture hub and the example with plain text in every field, built for real in ``tmp``."""
    sources = tmp / "hub"
    shutil.copytree(FIXTURE_HUB, sources)
    data = example()
    with_values(data, SHORT_FIELDS + LONG_FIELDS, "Plain text")
    (sources / "organisations" / f"{CONTROL}.yaml").write_bytes(organisation_file(CONTROL, data))
    build(build_options(sources, tmp))
    site = tmp / "site"
    refs: dict[str, Reference] = {}
    for page in site.rglob("*.html"):
        reference = Reference()
        reference.add(parse(page.read_text("utf-8")))
        refs[page.relative_to(site).as_posix()] = reference
    return refs


def any_page(refs: dict[str, Reference]) -> Reference:
    """What any page of the clean hub may hold (the union of them all)."""
    union = Reference()
    for reference in refs.values():
        union.active |= reference.active
        union.controls |= reference.controls
        union.content_tags |= reference.content_tags
        union.scripts |= reference.scripts
    return union


# --- Hypothesis -------------------------------------------------------------------------

SCALE = int(os.environ.get("HUB_FUZZ_EXAMPLES", "0"))


def examples(default: int) -> Any:
    return settings(
        max_examples=SCALE or default,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


ATTACK_PIECES = [
    *corpus("text"),
    *corpus("urls-tricky"),
    "<",
    ">",
    "&",
    '"',
    "'",
    "`",
    "](",
    "{:",
    "--8<--",
    "javascript:",
    "on",
    "=",
]
# Text an AO might type, hostile pieces included ("typed"), or anything at all ("text").
UNTYPEABLE = ["Cc", "Cf", "Cs", "Zl", "Zp"]  # controls, format characters, line separators
typed = st.one_of(
    st.text(st.characters(exclude_categories=UNTYPEABLE), min_size=1, max_size=40),
    st.lists(
        st.sampled_from([p for p in ATTACK_PIECES if p.isprintable()])
        | st.text(st.characters(exclude_categories=UNTYPEABLE), max_size=5),
        min_size=1,
        max_size=6,
    ).map("".join),
).filter(lambda value: not value.isspace() and value.strip() != "")
text = st.one_of(typed, st.text(min_size=1, max_size=40), st.sampled_from(ATTACK_PIECES))
