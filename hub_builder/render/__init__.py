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

A build hands each record to the writer as soon as it is made (:func:`render_into`), so
that no copy of them all is held: at hub scale they come to a gigabyte. On a large hub's
path (:mod:`hub_builder.scale`, ``Rendering.large``) they are rendered by two processes,
each writing its own records, with the same records and paths in the same order.
``render`` gives them all in memory, in one process. Every path here is a public address
that must never break. An output that would be invalid raises
:class:`errors.OutputProblems` naming every source record at fault.

    >>> [o.path for o in render(Rendering(hub, status))][:2]          # doctest: +SKIP
    ['index.md', 'dates/index.md']
    >>> render_into(Rendering(hub, status), site.write)[:2]           # doctest: +SKIP
    ['index.md', 'dates/index.md']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hub_builder import scale
from hub_builder.load import schemas
from hub_builder.model import Hub, Redirect
from hub_builder.render import api, atom, calendars, changes_page, csv_files, pages
from hub_builder.render.output import Output
from hub_builder.render.redirects import redirect_outputs
from hub_builder.status.report import StatusReport


@dataclass(frozen=True)
class Rendering:
    """What the site is rendered from: the hub, its status, and the old addresses."""

    hub: Hub
    status: StatusReport
    redirects: tuple[Redirect, ...] = ()
    large: bool = False  # on a large hub's path (hub_builder.scale)


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


RENDERERS: dict[str, Callable[[Rendering], Iterable[Output]]] = {
    "pages": lambda r: pages.render_pages(r.hub, r.status),
    "source-schemas": source_schemas,
    "api": lambda r: api.render(r.hub, r.status),
    "csv": lambda r: csv_files.render(r.hub),
    "ics": lambda r: calendars.render(r.hub, r.large),
    "changes": lambda r: [*changes_page.render(r.hub), *atom.render(r.hub)],
    "redirects": lambda r: redirect_outputs(r.redirects),
    "robots": robots,
}


# On a large hub's path, the pages are rendered and written by a child forked from this
# process, which shares the model (hub_builder.scale), and every other renderer here at the
# same time.
IN_A_CHILD = ("pages",)

Write = Callable[[Output], str]  # writes a record, and gives its path


def render(rendering: Rendering) -> list[Output]:
    """Every file of the site, in memory, in a fixed order."""
    return [output for name in RENDERERS for output in RENDERERS[name](rendering)]


def render_into(rendering: Rendering, write: Write) -> list[str]:
    """Every file of the site handed to ``write`` as it is made; their paths, in the fixed
    order of :func:`render`. Two processes on a large hub's path."""
    if rendering.large and scale.can_fork():
        by_renderer = written_by_two_processes(rendering, write)
    else:
        by_renderer = written(rendering, write, RENDERERS)
    return [path for name in RENDERERS for path in by_renderer[name]]


def written_by_two_processes(rendering: Rendering, write: Write) -> dict[str, list[str]]:
    """As :func:`written` over every renderer, the same paths and the same first error: the
    pages come first, so their error is the one raised when both processes meet one."""
    mine, theirs = scale.alongside(
        in_child=lambda: written(rendering, write, IN_A_CHILD),
        here=lambda: written(rendering, write, [n for n in RENDERERS if n not in IN_A_CHILD]),
        stopped="the process rendering the pages stopped",
    )
    return {**mine, **theirs}


def written(rendering: Rendering, write: Write, names: Iterable[str]) -> dict[str, list[str]]:
    return {name: [write(output) for output in RENDERERS[name](rendering)] for name in names}
