"""A date table's row: every value from a source file is escaped as autoescape escapes it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from markupsafe import Markup, escape

from hub_builder.model import Quotation
from hub_builder.render.date_rows import DateRow, date_row, text
from tests.conftest import fixture_hub

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def hostile_row() -> DateRow:
    key_date = replace(
        fixture_hub().organisations[0].key_dates[0],
        title=f"Title {HOSTILE}",
        description=f"Description {HOSTILE}",
        source_url="https://example.org/page?a=1&b=<2>",
        inferred_from=Quotation(f"Statement {HOSTILE}", 'https://example.org/s?x="1"&y=2'),
    )
    return DateRow(
        key_date,
        anchor="claims",
        start_iso=key_date.start.isoformat(),
        end_iso=key_date.last_day.isoformat(),
        organisation_name=f"Name {HOSTILE}",
        organisation_url="organisations/example/#claims",
        groups=(f"Group {HOSTILE}", "Other & more"),
    )


def test_every_value_from_a_source_is_escaped() -> None:
    html = date_row(hostile_row(), "../", show_organisation=True, anchor_prefix="")
    assert "<script>" not in html and "alert('x')" not in html
    for field in ("Title", "Description", "Statement", "Name"):
        assert escape(f"{field} {HOSTILE}") in html, field
    for written in (
        f"Group {escape(HOSTILE)}, Other &amp; more",
        'href="https://example.org/page?a=1&amp;b=&lt;2&gt;"',
        'href="https://example.org/s?x=&#34;1&#34;&amp;y=2"',
        'aria-label="Link to Title &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;',
    ):
        assert written in html, written


def test_a_row_without_its_organisation_has_no_organisation_cell() -> None:
    row = hostile_row()
    shown = date_row(row, "../", show_organisation=True, anchor_prefix="")
    hidden = date_row(row, "../", show_organisation=False, anchor_prefix="earlier-")
    assert 'data-label="Organisation"' in shown and 'data-label="Organisation"' not in hidden
    assert 'id="earlier-claims"' in hidden and 'href="#earlier-claims"' in hidden


@pytest.mark.parametrize(
    "value",
    [
        *("", "plain", HOSTILE, "&amp; already", "<<>>&&''\"\""),
        "\u2019curly\u2019 \u201cquotes\u201d \xe9 \x00 \u2028",
    ],
)
def test_text_escapes_as_markupsafe_does(value: str) -> None:
    assert text(value) == str(escape(value))
    assert text(Markup(value)) == str(escape(Markup(value)))  # HTML already: left as it is
