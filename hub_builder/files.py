"""The hub's two ways to touch files outside the built site: read a file packaged with
hub_builder, and write a file whole or not at all.

``write_atomic(path, content)`` writes a temporary file beside ``path``, flushes it to disk
and renames it over ``path``, so a reader (or a crash) never sees half a file. Every file the
hub writes outside the site goes through it: the change history, feed snapshots, Register
snapshots, the link report, CODEOWNERS, new organisation files and the last build's stamp.
Files are written readable by everyone (0644), as files in a repository are. In the site
being built, the HTML check rewrites each page through it too, with the page's own mode and
without waiting for the disk (the site is swapped in whole afterwards).
``package_text(*parts)`` reads a text file shipped inside the package (schemas, templates).

    write_atomic(Path("sources/history.json"), text.encode("utf-8"))
    package_text("schema", "organisation.schema.json")
"""

from __future__ import annotations

import os
import tempfile
from importlib import resources
from pathlib import Path

FILE_MODE = 0o644


def write_atomic(path: Path, content: bytes, mode: int = FILE_MODE, durable: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Text as UTF-8 with ``\\n`` line ends."""
    write_atomic(path, text.encode("utf-8"))


def package_text(*parts: str) -> str:
    """A UTF-8 text file inside the hub_builder package."""
    return resources.files("hub_builder").joinpath(*parts).read_text("utf-8")
