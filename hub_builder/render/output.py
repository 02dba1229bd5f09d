"""The record every renderer returns and the one writer (:mod:`hub_builder.publish`) writes.

    Output("organisations/ncfe.md", b"...")      # becomes /organisations/ncfe/

``path`` is relative to the docs folder mkdocs reads; a page is Markdown, any other file
is copied into the site as it is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Output:
    """One file of the built site: where it goes and what it holds.

    ``fragments`` are blocks of HTML set aside from a generated page before mkdocs reads it
    (tables, and long lists a template marks, :func:`render.pages.set_aside`): the page
    holds ``<!--hub:fragment:N-->`` in their place and publish puts them back in the built
    HTML. Markdown would pass them through unchanged, but only after parsing every tag,
    which at hub scale is most of the engine's time.
    """

    path: str
    content: bytes
    fragments: tuple[str, ...] = ()


def fragment_marker(index: int) -> str:
    return f"<!--hub:fragment:{index}-->"
