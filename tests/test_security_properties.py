"""Property tests over untrusted input: for any input, a reported problem or a safe build.

Hypothesis generates the input; the code under test is the real one. The pure stages get
many examples, the full mkdocs build a few (a build takes about two seconds); set
``HUB_FUZZ_EXAMPLES`` to run each property longer, e.g. ``HUB_FUZZ_EXAMPLES=2000``.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from hub_builder.calendar import LONDON
from hub_builder.check.validate import schema_name, validate_documents
from hub_builder.errors import SourceProblems
from hub_builder.load import schemas
from hub_builder.load.strict_yaml import Document, Limits, load
from hub_builder.normalise import normalise
from hub_builder.pipeline import build
from hub_builder.render.pages import render_pages
from hub_builder.status.report import status_report
from tests.conftest import FIXTURE_HUB, build_options
from tests.hostile import (
    LONG_FIELDS,
    SHORT_FIELDS,
    any_page,
    example,
    examples,
    organisation_file,
    reference_pages,
    text,
    typed,
)
from tests.html_safety import Reference, findings, parse

BUILT_AT = datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)
YAML_SYMBOLS = [*":-?[]{},&*!|>'\"%@`#\n \t\\", "---", "...", "<<", "!!", "\ufeff"]
yaml_like = st.lists(
    st.sampled_from(YAML_SYMBOLS) | st.text(max_size=4) | st.sampled_from(["id", "name", "a"]),
    max_size=40,
).map("".join)
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "name", "key_dates", "contacts", "url", "title", "start"])
            | text,
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@st.composite
def organisation(draw: st.DrawFn) -> dict[str, Any]:
    """The example file with generated text in each text field (each field drawn apart):
    mostly text an AO could type, so most files build; now and then anything at all."""
    strategy = text if draw(st.integers(0, 4)) == 0 else typed
    data = example()
    for path in SHORT_FIELDS + LONG_FIELDS:
        _set_each(data, path, lambda: draw(strategy))
    return data


def _set_each(node: Any, path: tuple[str, ...], value: Any) -> None:
    head, *rest = path
    if head == "*":
        for item in node:
            _set_each(item, tuple(rest), value)
    elif rest:
        _set_each(node[head], tuple(rest), value)
    else:
        node[head] = value()


# --- the loader and the validator: never an exception -------------------------------------


@examples(1500)
@given(st.binary(max_size=600) | yaml_like.map(str.encode))
def test_the_loader_gives_data_or_problems_for_any_bytes(content: bytes) -> None:
    document = load(content, "sources/organisations/x.yaml", Limits(max_bytes=500))
    assert document.data is not None or document.problems
    assert all(p.line >= 1 and p.col >= 1 for p in document.problems)


@examples(800)
@given(json_like.filter(lambda data: data is not None))  # the loader reports an empty file
def test_the_validator_explains_whatever_it_refuses(data: Any) -> None:
    for name in ("sources/organisations/x.yaml", "sources/national.yaml"):
        document = Document(name, data)
        problems = validate_documents([document])
        schema = schema_name(name)
        fast = schemas.is_valid(schema, data)
        assert fast == (not list(schemas.validator(schema).iter_errors(data)))
        if not fast:
            assert any(p.is_error for p in problems)


# --- the renderer: any accepted text comes out as text ------------------------------------


@pytest.fixture(scope="module")
def clean_page(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    return any_page(reference_pages(tmp_path_factory.mktemp("property-reference")))


@examples(150)
@given(data=organisation())
def test_rendered_pages_hold_no_live_content(data: dict[str, Any], clean_page: Reference) -> None:
    """The generated pages through Python-Markdown with the site's extensions (what mkdocs
    does to them, without the theme), judged by html5lib."""
    content = organisation_file("fuzzed", data)
    documents = [load(content, "hub/organisations/fuzzed.yaml")]
    if any(p.is_error for p in validate_documents(documents)):
        event("refused with a problem")
        return
    event("rendered")
    hub = normalise(documents, built_at=BUILT_AT)
    for output in render_pages(hub, status_report(hub)):
        if not output.path.endswith(".md"):
            continue
        body = output.content.decode().split("\n---\n", 1)[-1]
        html = markdown.markdown(body, extensions=["admonition", "tables", "toc"])
        page = parse(f"<article>{html}</article>")
        assert findings(page, clean_page) == [], (output.path, data)


# --- the whole build: a problem or a safe site --------------------------------------------


@examples(12)
@given(data=organisation())
def test_any_accepted_file_builds_a_safe_site(data: dict[str, Any], clean_page: Reference) -> None:
    with tempfile.TemporaryDirectory(prefix="hub-fuzz-") as folder:
        tmp = Path(folder)
        sources = tmp / "hub"
        (sources / "organisations").mkdir(parents=True)
        (sources / "national.yaml").write_bytes((FIXTURE_HUB / "national.yaml").read_bytes())
        path = sources / "organisations" / "fuzzed.yaml"
        path.write_bytes(organisation_file("fuzzed", data))
        try:
            build(build_options(sources, tmp))
        except SourceProblems as exc:
            assert all(p.line >= 1 for p in exc.problems)
            event("refused with a problem")
            return
        event("built")
        for page in (tmp / "site").rglob("*.html"):
            assert findings(parse(page.read_text("utf-8")), clean_page) == [], (page, data)
