"""Find and read source files: the only module that reads ``sources/``.

Layout::

    sources/national.yaml                  the national calendar
    sources/organisations/<id>.yaml        one file per awarding organisation

``read_documents(paths)`` returns one :class:`strict_yaml.Document` per file, problems
included; a file that cannot be read becomes a document with a problem, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hub_builder import strict_yaml
from hub_builder.validate import NATIONAL_FILE

ORGANISATIONS_DIR = "organisations"


def source_paths(sources_dir: Path) -> list[Path]:
    """The national calendar and every organisation file, in a fixed order."""
    organisations = sorted((sources_dir / ORGANISATIONS_DIR).glob("*.yaml"))
    return [sources_dir / NATIONAL_FILE, *organisations]


def read_documents(paths: Iterable[Path]) -> list[strict_yaml.Document]:
    return [read_document(path) for path in paths]


def read_document(path: Path) -> strict_yaml.Document:
    shown = display_path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror
        return strict_yaml.Document(
            shown, None, [strict_yaml.Problem(shown, 1, 1, "", f"cannot read the file: {reason}")]
        )
    return strict_yaml.load(content, shown)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_feed_file(path: Path) -> bytes:
    """A feed file committed with the sources (an AO's Ofqual key-dates CSV, say).

    Raises OSError when it cannot be read; the caller reports it where the file is named."""
    return path.read_bytes()
