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
from itertools import islice
from typing import Any

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
# forked from this one, which shares the model (processes.py), every other renderer here at
# the same time. The pages are the smaller share of the records (a third at hub scale), and
# the child sends them back a few megabytes at a time, so that no copy of them all is held
# in passing. Below this many dates, forking would cost more than it saves.
IN_PARALLEL_FROM = 20_000
IN_A_CHILD = ("pages",)
BATCH_BYTES = 16_000_000


def render(rendering: Rendering, in_parallel_from: int = IN_PARALLEL_FROM) -> list[Output]:
    """Every file of the site, renderer by renderer, in a fixed order."""
    if len(rendering.hub.all_dates) >= in_parallel_from and processes.can_fork():
        by_renderer = rendered_in_two_processes(rendering)
    else:
        by_renderer = rendered(rendering, RENDERERS)
    return [output for name in RENDERERS for output in by_renderer[name]]


def rendered_in_two_processes(rendering: Rendering) -> dict[str, list[Output]]:
    """As :func:`rendered` over every renderer, the same records and the same first error:
    the pages come first, so their error is the one raised when both processes meet one."""
    _IN_THE_CHILD["rendering"] = rendering
    try:
        with processes.forked(1) as child:
            counts = child.submit(render_in_child)
            try:
                mine = rendered(rendering, [name for name in RENDERERS if name not in IN_A_CHILD])
            except Exception:
                counts.result()
                raise
            theirs: dict[str, list[Output]] = {}
            for name, count in counts.result().items():
                theirs[name] = []
                while len(theirs[name]) < count:
                    theirs[name] += child.submit(next_batch, name, len(theirs[name])).result()
            return {**mine, **theirs}
    except BrokenProcessPool as exc:
        raise BuildError(
            "the process rendering the pages stopped before it finished (out of memory?)"
        ) from exc
    finally:
        _IN_THE_CHILD.clear()


# In the build's process, what the child is forked with; in the child, what it rendered.
_IN_THE_CHILD: dict[str, Any] = {}


def render_in_child() -> dict[str, int]:
    """The child's records, kept until they are sent back; how many each renderer made."""
    records = rendered(_IN_THE_CHILD.pop("rendering"), IN_A_CHILD)
    _IN_THE_CHILD["records"] = records
    return {name: len(outputs) for name, outputs in records.items()}


def next_batch(name: str, start: int) -> list[Output]:
    """The child's records of ``name`` from ``start``, up to ``BATCH_BYTES`` (at least one)."""
    outputs: list[Output] = _IN_THE_CHILD["records"][name]
    batch: list[Output] = []
    size = 0
    for output in islice(outputs, start, None):
        size += len(output.content) + sum(map(len, output.fragments))
        if batch and size > BATCH_BYTES:
            break
        batch.append(output)
    return batch


def rendered(rendering: Rendering, names: Iterable[str]) -> dict[str, list[Output]]:
    return {name: RENDERERS[name](rendering) for name in names}
