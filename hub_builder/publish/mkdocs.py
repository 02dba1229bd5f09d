"""The site engine: the real ``mkdocs build`` with mkdocs-material, in process.

    warnings = run_mkdocs(Path("mkdocs.yml"), Path(".hub-build/docs"), staging, address)

The site's address and repository (``SiteAddress``) replace mkdocs.yml's ``site_url`` and
``extra.repository``, so an override given to the build reaches the theme too.

Raises :class:`errors.BuildError` with mkdocs' own reasons when the build fails; returns its
warnings otherwise (mkdocs' INFO chatter is kept quiet).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hub_builder.errors import BuildError
from hub_builder.load.site_address import UNSET, SiteAddress


def run_mkdocs(
    config: Path, docs: Path, site: Path, address: SiteAddress = UNSET
) -> tuple[str, ...]:
    """The real ``mkdocs build``, in process; returns its warnings."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with _captured_warnings() as warnings:
        try:
            settings = load_config(
                config_file=str(config),
                docs_dir=str(docs.resolve()),
                site_dir=str(site.resolve()),
            )
            # The address as the hub resolved it, even when an override left it unset.
            settings["site_url"] = address.site_url or None
            settings["extra"]["repository"] = address.repository
            settings["extra"]["report_email"] = address.report_email
            build(settings)
        except (MkDocsException, OSError) as exc:
            details = "; ".join(warnings) or str(exc)
            raise BuildError(f"mkdocs could not build the site: {details}") from exc
    return tuple(warnings)


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """Collect mkdocs' warnings instead of letting it print; keep its INFO chatter quiet."""
    logger = logging.getLogger("mkdocs")
    messages: list[str] = []
    handler = _ListHandler(messages)
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
