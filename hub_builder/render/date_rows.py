"""A key date as a row of a date table (``_macros.j2``'s ``date_table``): what the row
shows, and its HTML.

Every key date is a row on its organisation's page and on its month's page: at hub scale
that is 200,000 rows, so the row's HTML is written by one function, a Jinja macro per cell
costing twice the time. Every value is escaped as autoescape escapes it, by
:func:`text`, which makes the same five replacements as markupsafe without making a
``Markup`` of each piece (``tests/test_render_rows.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from hub_builder.formatting import change_note, domain, quoted_from, when
from hub_builder.model import KeyDate

UNSEARCHED = " data-pagefind-ignore"


def text(value: str) -> str:
    """``value`` as HTML text or an attribute's value: markupsafe's ``escape``, as a str (and
    like it, leaving what is already HTML, a ``Markup``, as it is)."""
    if isinstance(value, Markup):
        return str(value)
    return (
        value.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


@dataclass(frozen=True)
class DateRow:
    """A key date as a table row shows it."""

    date: KeyDate
    anchor: str
    start_iso: str
    end_iso: str
    organisation_name: str
    organisation_url: str
    groups: tuple[str, ...]
    search_title: bool = True  # false where the page already showed this title to search
    search_description: bool = True
    expected_passed: bool = False  # an expected date whose days are over: said so


def date_row(row: DateRow, root: str, show_organisation: bool, anchor_prefix: str) -> Markup:
    """``<tr …>…</tr>``, without its final newline."""
    key_date = row.date
    anchor = text(anchor_prefix + row.anchor)
    title = text(key_date.title)
    title_unsearched = "" if row.search_title else UNSEARCHED
    description = (
        f'<br><span class="hub-date__description"'
        f"{'' if row.search_description else UNSEARCHED}>{text(key_date.description)}</span>"
        if key_date.description
        else ""
    )
    note = change_note(key_date)
    changed = f'<br><span class="hub-date__changed">{text(note)}</span>' if note else ""
    groups = ", ".join(text(g) for g in row.groups) if row.groups else "All"
    return Markup(
        f'<tr id="{anchor}" class="hub-date" data-start="{text(row.start_iso)}"'
        f' data-end="{text(row.end_iso)}" data-kind="{text(key_date.kind)}"'
        f' data-organisation="{text(key_date.organisation_id)}">\n'
        f'<td class="hub-date__when"{title_unsearched}>{text(when(key_date))}</td>\n'
        f'<th scope="row" class="hub-date__title"><a class="hub-anchor" href="#{anchor}"'
        f' aria-label="Link to {title}">#</a> <span{title_unsearched}>{title}</span>'
        f"{description}{inferred(key_date)}{changed}"
        f" {source_link(key_date.source_url, key_date.title)}</th>\n"
        f"{organisation_cell(row, root) if show_organisation else ''}"
        f'<td data-label="Type of date" data-pagefind-ignore>{text(key_date.kind_label)}</td>\n'
        f'<td data-label="Qualifications" data-pagefind-ignore>{groups}</td>\n'
        f'<td data-label="Status" data-pagefind-ignore><span class="hub-status'
        f' hub-status--{text(key_date.status)}">{text(key_date.status_label)}</span>'
        f"{' (passed)' if row.expected_passed else ''}</td>\n"
        "</tr>"
    )


def organisation_cell(row: DateRow, root: str) -> str:
    name = text(row.organisation_name)
    if row.organisation_url:
        name = f'<a href="{text(root)}{text(row.organisation_url)}">{name}</a>'
    return f'<td data-label="Organisation">{name}</td>'


def inferred(key_date: KeyDate) -> str:
    statement = key_date.inferred_from
    if statement is None:
        return ""
    return (
        '<br><span class="hub-date__inferred">Inferred from a general statement '
        f"{text(quoted_from(statement.seen_on))}: “{text(statement.statement)}” "
        f"{source_link(statement.source_url, 'the statement')}</span>"
    )


def source(url: str, what: str) -> Markup:
    """A link to the page a fact comes from, on a row and in every template (a global)."""
    return Markup(source_link(url, what))


def source_link(url: str, what: str) -> str:
    """:func:`source`'s HTML, as a str to write into a row."""
    return (
        f'<a class="hub-source" href="{text(url)}" rel="noopener noreferrer"'
        f' data-domain="{text(domain(url))}" data-pagefind-ignore>Source<span'
        f' class="md-visually-hidden"> for {text(what)}</span></a>'
    )
