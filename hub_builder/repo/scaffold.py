"""``vtq-hub new <id>``: a new organisation file that is valid from its first line.

``organisation_file(org_id, maintainers, today, schema_ref)`` returns the text of
``sources/organisations/<id>.yaml``; ``write_organisation_file(...)`` writes it, refusing
(:class:`errors.NewSourceRefused`) an id the schema would reject or a file that exists.

The file validates as written, so its author can check each step. Every value still to be
filled in is a placeholder that :mod:`placeholders` reports as a warning with its place,
and the optional lists are commented-out examples. Each field's comment is its description
in the schema, and ``SECTIONS`` must name every field of the schema (a test checks it), so
the scaffold cannot fall behind the schema.

    >>> text = organisation_file("example-ab", ("@example-ab/exams",), date(2026, 11, 23))
    >>> "id: example-ab" in text and 'maintainers: ["@example-ab/exams"]' in text
    True
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from hub_builder.check.placeholders import HOST, MARKER, placeholder_url
from hub_builder.errors import NewSourceRefused
from hub_builder.files import write_text_atomic
from hub_builder.load import schemas
from hub_builder.load.sources import ORGANISATIONS_DIR


@dataclass(frozen=True)
class Context:
    org_id: str
    maintainers: tuple[str, ...]
    today: date


Section = Callable[[Context], str]


def _commented(block: str) -> str:
    return textwrap.indent(textwrap.dedent(block).strip("\n"), "# ", lambda _: True)


def _maintainers(context: Context) -> str:
    if not context.maintainers:
        return '# maintainers: ["@your-github-handle", "@your-organisation/your-team"]'
    return f"maintainers: {json.dumps(list(context.maintainers))}"


def _example_key_dates(context: Context) -> str:
    return _commented(
        f"""
        key_dates:
          - id: results-to-learners-summer-2026
            title: {MARKER} with what happens, like Results day for BTEC Nationals
            kind: results-to-learners
            start: {context.today.isoformat()}
            # end: {context.today.isoformat()}
            # time: "09:00"
            series: {MARKER} with the exam series, like Summer 2026
            applies_to: [main-qualifications]
            status: provisional
            source_url: {placeholder_url("page-that-gives-this-date")}
        """
    )


SECTIONS: dict[str, Section] = {
    "id": lambda c: f"id: {c.org_id}",
    "name": lambda c: f"name: {MARKER} with the organisation's name",
    "acronym": lambda c: f"# acronym: {MARKER}",
    "recognition_number": lambda c: "# recognition_number: RN",
    "recognition_number_source": lambda c: (
        "# recognition_number_source: https://register.ofqual.gov.uk/…"
    ),
    "website": lambda c: f"website: {placeholder_url('your-home-page')}",
    "source_url": lambda c: f"source_url: {placeholder_url('page-that-confirms-your-name')}",
    "maintainers": _maintainers,
    "confirmed_on": lambda c: f"# confirmed_on: {c.today.isoformat()}",
    "compiled_on": lambda c: f"compiled_on: {c.today.isoformat()}",
    "pages": lambda c: _commented(
        f"""
        pages:
          - url: {placeholder_url("page-that-confirms-your-name")}
            seen_on: {c.today.isoformat()}
        """
    ),
    "qualification_groups": lambda c: _commented(
        f"""
        qualification_groups:
          - id: main-qualifications
            name: {MARKER} with the group's name, like BTEC Nationals
            qualification_type: Applied General Qualification
            levels: ["3"]
            results:
              timing: results-day
              evidence:
                - says: scope
                  statement: {MARKER} with your page's own words on the group's results
                  source_url: {placeholder_url("page-that-lists-qualifications-in-scope")}
            source_url: {placeholder_url("page-that-describes-the-group")}
        """
    ),
    "key_dates": _example_key_dates,
    "standing_rules": lambda c: _commented(
        f"""
        standing_rules:
          - id: checkpoint-declaration
            title: {MARKER} with what happens every year, like Term-time checkpoint
            kind: checkpoint
            every_year: {{start: "03-01", end: "04-30"}}
            applies_to: [main-qualifications]
            wording: {MARKER} with your page's own words, like must be completed by 30 April
            source_url: {placeholder_url("page-that-states-the-rule")}
        """
    ),
    "guidance": lambda c: _commented(
        f"""
        guidance:
          - id: results-guide
            title: {MARKER} with the page's title
            url: {placeholder_url("guidance-page")}
            audience: [exams-officers]
            topic: results
        """
    ),
    "contacts": lambda c: _commented(
        f"""
        contacts:
          - id: out-of-term
            role: out-of-term
            email: {MARKER}@{HOST}
            hours: {MARKER} with when it is answered, like 9am to 5pm, Monday to Friday
            source_url: {placeholder_url("page-that-gives-this-contact")}
        """
    ),
    "feeds": lambda c: _commented(
        f"""
        feeds:
          - id: key-dates
            url: {placeholder_url("your-key-dates.ics")}
            format: ics
            applies_to: [main-qualifications]
        """
    ),
}


def organisation_file(
    org_id: str,
    maintainers: Sequence[str],
    today: date,
    schema_ref: str = "../../hub_builder/schema/organisation.schema.json",
) -> str:
    context = Context(org_id, tuple(maintainers), today)
    properties = schemas.schema(schemas.ORGANISATION)["properties"]
    sections = [
        f"{_comment(properties[name].get('description', ''))}\n{section(context)}"
        for name, section in SECTIONS.items()
    ]
    return _header(org_id, schema_ref) + "\n\n".join(sections) + "\n"


def _header(org_id: str, schema_ref: str) -> str:
    return (
        f"# yaml-language-server: $schema={schema_ref}\n"
        + _comment(
            f"The VTQ Hub entry for {org_id}, started by `vtq-hub new {org_id}`. "
            "CONTRIBUTING.md explains every field. Before you open a pull request: "
            f"(1) replace every value marked {MARKER} or replace.invalid: `vtq-hub validate` "
            "warns about each one left; "
            "(2) give every fact a source_url, the public page where anyone can check it, and "
            "never add a date that is not published; "
            "(3) to add a list, remove the '# ' at the start of its example lines and copy "
            "an entry for each item."
        )
        + "\n\n"
    )


def _comment(text: str) -> str:
    return "\n".join(f"# {line}" for line in textwrap.wrap(text, 90, break_on_hyphens=False))


def write_organisation_file(
    sources_dir: Path, org_id: str, maintainers: Sequence[str], today: date
) -> Path:
    """Write the new file and return its path; refuse a bad id or an existing file."""
    pattern = schemas.schema(schemas.ORGANISATION)["$defs"]["id"]["pattern"]
    if not re.fullmatch(pattern, org_id) or len(org_id) > 64:
        raise NewSourceRefused(
            f"'{org_id}' cannot be an id: use lower-case letters, digits and single hyphens "
            "(at most 64), like city-and-guilds"
        )
    handle = schemas.schema(schemas.ORGANISATION)["properties"]["maintainers"]["items"]
    for maintainer in maintainers:
        if not re.fullmatch(handle["pattern"], maintainer):
            raise NewSourceRefused(
                f"'{maintainer}' is not {handle['$comment']}; "
                "write the @ and the handle, like @jane-doe"
            )
    folder = sources_dir / ORGANISATIONS_DIR
    path = folder / f"{org_id}.yaml"
    if path.exists():
        raise NewSourceRefused(
            f"{path} exists already: edit it instead, or choose another id "
            f"(the organisations are listed in {folder})"
        )
    schema_file = Path(str(resources.files("hub_builder").joinpath("schema", schemas.ORGANISATION)))
    schema_ref = Path(os.path.relpath(schema_file, folder.resolve())).as_posix()
    write_text_atomic(path, organisation_file(org_id, maintainers, today, schema_ref))
    return path
