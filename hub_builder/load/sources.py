"""The sources folder: where each file lives, and reading them.

Layout::

    sources/national.yaml                  the national calendar
    sources/organisations/<id>.yaml        one file per awarding organisation
    sources/redirects.yaml                 old organisation ids and their new ones
    sources/history.json                   the recorded changes (vtq-hub record-changes)
    sources/snapshots/<id>/<feed>.*        the last good copy of each feed (vtq-hub fetch)
    sources/register/<id>.json             what the Ofqual Register said (vtq-hub register)
    sources/link-report.json               guidance links checked (vtq-hub check-links)
    sources/link-allowlist.yaml            guidance links known to be flaky
    sources/watch/<id>.json                the pages each organisation cites, as last read
                                           (vtq-hub watch)

``read_documents(paths)`` returns one :class:`strict_yaml.Document` per file, problems
included; a file that cannot be read becomes a document with a problem, never an exception.
A file larger than ``strict_yaml.Limits.max_bytes`` is reported, not read whole. The other
files are read by the stage that owns their format (history, snapshots, status inputs),
each through the path this module names.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePath

from hub_builder.errors import RefusedFile
from hub_builder.files import files_below, read_inside
from hub_builder.load import strict_yaml
from hub_builder.model import NATIONAL_FILE

ORGANISATIONS_DIR = "organisations"
REDIRECTS_FILE = "redirects.yaml"
HISTORY_FILE = "history.json"
SNAPSHOTS_DIR = "snapshots"
REGISTER_DIR = "register"
LINK_REPORT_FILE = "link-report.json"
LINK_ALLOWLIST_FILE = "link-allowlist.yaml"
WATCH_DIR = "watch"
MAX_FEED_FILE_BYTES = 5_000_000  # as http.Policy.max_bytes for a fetched feed


def source_paths(sources_dir: Path) -> list[Path]:
    """The national calendar and every file in ``organisations/``, in a fixed order. A file
    not named ``<id>.yaml`` is listed too, so that reading it says so instead of the hub
    passing over it in silence."""
    return [
        sources_dir / NATIONAL_FILE,
        *organisation_paths(sources_dir),
        *stray_paths(sources_dir),
    ]


def organisation_paths(sources_dir: Path) -> list[Path]:
    return sorted((sources_dir / ORGANISATIONS_DIR).glob("*.yaml"))


def stray_paths(sources_dir: Path) -> list[Path]:
    """Files in ``organisations/`` that are not organisation files (``ncfe.yml``, say)."""
    folder = sources_dir / ORGANISATIONS_DIR
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.suffix != ".yaml" and not p.is_dir()
    )


def is_national(path: str) -> bool:
    """Whether a source file is the national calendar, from its name."""
    return PurePath(path).name == NATIONAL_FILE


def read_documents(paths: Iterable[Path]) -> list[strict_yaml.Document]:
    return [read_document(path) for path in paths]


def read_document(path: Path) -> strict_yaml.Document:
    """One source file, read strictly. A file not named ``.yaml``, a link, or a file that is
    not a regular one is refused unread (:func:`files.read_inside`: a link's target is never
    named, since the message may be printed in a public log)."""
    shown = display_path(path)
    if path.suffix != ".yaml":
        return _unread(
            shown,
            f"this file is not read: source files are named <id>.yaml; "
            f"rename it to {path.stem}.yaml",
        )
    limits = strict_yaml.Limits()
    try:
        content = read_source(sources_root(path), path, limits.max_bytes)
    except RefusedFile as exc:
        return _unread(shown, exc.reason)
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror
        return _unread(shown, f"cannot read the file: {reason}")
    return strict_yaml.load(content, shown, limits)


def _unread(shown: str, message: str) -> strict_yaml.Document:
    return strict_yaml.Document(shown, None, [strict_yaml.Problem(shown, 1, 1, "", message)])


def sources_root(path: Path) -> Path:
    """The sources folder a source file belongs to, from where it is."""
    return path.parent.parent if path.parent.name == ORGANISATIONS_DIR else path.parent


def read_source(root: Path, path: Path, limit: int) -> bytes:
    """A file of the sources folder ``root``, as every reader of the sources reads one:
    :func:`files.read_inside` (no link followed, a regular file, at most ``limit`` bytes)."""
    return read_inside(root, path, limit)


def refused_files(sources_dir: Path) -> list[strict_yaml.Problem]:
    """An error for each entry of the sources folder that the hub refuses to read (a link,
    a pipe…), checked before a build or ``validate`` reads anything: one rule for every
    file there, whichever stage reads it."""
    _, refused = files_below(sources_dir)
    return [strict_yaml.Problem(display_path(Path(r.path)), 1, 1, "", r.reason) for r in refused]


def read_redirects(sources_dir: Path) -> strict_yaml.Document | None:
    """The redirects file, or None when the sources have none."""
    path = sources_dir / REDIRECTS_FILE
    return read_document(path) if path.is_file() else None


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it,
    ``..`` steps taken out (``organisations/../feeds/x.ics`` → ``feeds/x.ics``)."""
    absolute = Path(os.path.abspath(path))  # links are not followed: a link shows as itself
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return os.path.normpath(path)


def read_feed_file(sources_dir: Path, path: Path) -> bytes:
    """A feed file committed with the sources (an AO's Ofqual key-dates CSV, say).

    Raises :class:`errors.RefusedFile` when it is a link, not a regular file, outside the
    sources folder, or larger than a fetched feed may be (``MAX_FEED_FILE_BYTES``), and
    ``OSError`` when it cannot be read; the caller reports it where the file is named."""
    return read_source(sources_dir, path, MAX_FEED_FILE_BYTES)
