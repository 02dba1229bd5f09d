"""Stage 6, render: every file of the site as an :class:`output.Output` record, nothing
written (the one writer is :mod:`hub_builder.publish`).

``RENDERERS`` lists what the site is made of, each a pure function of :class:`Rendering`:

==================  =========================================================================
pages               the Markdown pages (:mod:`pages`) and the key-dates explorer's files
source-schemas      ``/schema/*.schema.json``, the source files' contract for editors
api                 the JSON API, its schemas, index.json and openapi.json (:mod:`api`,
                    :mod:`openapi`), status.json included, and the "Data and API" page
csv                 the CSV downloads (:mod:`csv_files`)
ics                 the calendar subscriptions (:mod:`calendars`)
changes             the changes page and its Atom feed (:mod:`changes_page`, :mod:`atom`)
redirects           the pages at old organisation addresses (:mod:`redirects`)
robots              ``/robots.txt``, naming the sitemap when the site's address is known
==================  =========================================================================

A big hub is rendered by two processes (``IN_PARALLEL_FROM``), with the same records in the
same order. Every path here is a public address that must never break. An output that would
be invalid raises :class:`errors.OutputProblems` naming every source record at fault.

    >>> [o.path for o in render(Rendering(hub, status))][:2]          # doctest: +SKIP
    ['index.md', 'dates/index.md']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from hub_builder import processes
from hub_builder.errors import BuildError
from hub_builder.load import schemas
from hub_builder.model import Hub
from hub_builder.render import api, atom, calendars, changes_page, csv_files, pages
from hub_builder.render.output import Output
from hub_builder.render.redirects import Redirect, redirect_outputs
from hub_builder.status.report import StatusReport


@dataclass(frozen=True)
class Rendering:
    """What the site is rendered from: the hub, its status, and the old addresses."""

    hub: Hub
    status: StatusReport
    redirects: tuple[Redirect, ...] = ()


def source_schemas(rendering: Rendering) -> list[Output]:
    """The source files' schemas, for editors and validators, each with its ``$id``."""
    return [
        Output(path, api.published_schema(name, rendering.hub, path))
        for name in schemas.SCHEMA_FILES
        for path in [f"schema/{name}"]
    ]


def robots(rendering: Rendering) -> list[Output]:
    """robots.txt: every page may be indexed; the sitemap is named when the site's address
    is known (mkdocs writes sitemap.xml from it)."""
    lines = ["User-agent: *", "Allow: /"]
    if rendering.hub.site_url:
        lines.append(f"Sitemap: {rendering.hub.site_url}sitemap.xml")
    return [Output("robots.txt", ("\n".join(lines) + "\n").encode())]


RENDERERS: dict[str, Callable[[Rendering], list[Output]]] = {
    "pages": lambda r: pages.render_pages(r.hub, r.status),
    "source-schemas": source_schemas,
    "api": lambda r: api.render(r.hub, r.status),
    "csv": lambda r: csv_files.render(r.hub),
    "ics": lambda r: calendars.render(r.hub),
    "changes": lambda r: [*changes_page.render(r.hub), *atom.render(r.hub)],
    "redirects": lambda r: redirect_outputs(r.redirects),
    "robots": robots,
}


# A hub with at least this many dates is rendered by two processes: the pages by a child
# forked from this one, which shares the model (processes.py) and sends back its records,
# every other renderer here at the same time. The pages are the smaller share of the records
# (a third at hub scale), so the least crosses between the processes. Below this many dates,
# forking would cost more than it saves.
IN_PARALLEL_FROM = 20_000
IN_A_CHILD = ("pages",)


def render(rendering: Rendering, in_parallel_from: int = IN_PARALLEL_FROM) -> list[Output]:
    """Every file of the site, renderer by renderer, in a fixed order."""
    if len(rendering.hub.all_dates) >= in_parallel_from and processes.can_fork():
        by_renderer = rendered_in_two_processes(rendering)
    else:
        by_renderer = rendered(rendering, RENDERERS)
    return [output for name in RENDERERS for output in by_renderer[name]]


_FORKED: dict[str, Rendering] = {}  # what a forked child renders, inherited, never pickled


def rendered_in_two_processes(rendering: Rendering) -> dict[str, list[Output]]:
    """As :func:`rendered` over every renderer, the same records and the same first error:
    the pages come first, so their error is the one raised when both processes meet one."""
    _FORKED["rendering"] = rendering
    try:
        with processes.forked(1) as child:
            theirs = child.submit(render_in_child)
            try:
                mine = rendered(rendering, [name for name in RENDERERS if name not in IN_A_CHILD])
            except Exception:
                theirs.result()
                raise
            return {**mine, **theirs.result()}
    except BrokenProcessPool as exc:
        raise BuildError(
            "the process rendering the pages stopped before it finished (out of memory?)"
        ) from exc
    finally:
        _FORKED.clear()


def render_in_child() -> dict[str, list[Output]]:
    return rendered(_FORKED["rendering"], IN_A_CHILD)


def rendered(rendering: Rendering, names: Iterable[str]) -> dict[str, list[Output]]:
    return {name: RENDERERS[name](rendering) for name in names}
