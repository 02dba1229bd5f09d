"""The hub's machine outputs: JSON API, CSV downloads, iCalendar files, the changes page and
its Atom feed. Each format is a module with one pure function ``Hub -> list[Output]``,
listed in ``FORMATS``; ``render_outputs`` runs them all, and the one writer in
:mod:`publish` writes the records with the pages.

    >>> [o.path for o in render_outputs(hub)][:2]                       # doctest: +SKIP
    ['api/v1/build.json', 'api/v1/changes.json']

Every path here is a public address that must never break. An output that would be invalid
raises :class:`errors.OutputProblems` naming every source record at fault; nothing is
ever written half-right.
"""

from __future__ import annotations

from collections.abc import Callable

from hub_builder.model import Hub
from hub_builder.outputs import api, atom, calendars, changes_page, csv_files
from hub_builder.render import Output

FORMATS: dict[str, Callable[[Hub], list[Output]]] = {
    "api": api.render,
    "csv": csv_files.render,
    "ics": calendars.render,
    "changes-page": changes_page.render,
    "atom": atom.render,
}


def render_outputs(hub: Hub) -> list[Output]:
    """Every machine output, format by format, in a fixed order."""
    return [output for render in FORMATS.values() for output in render(hub)]
