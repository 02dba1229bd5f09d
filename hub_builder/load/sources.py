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

``read_documents(paths)`` returns one :class:`strict_yaml.Document` per file, problems
included; a file that cannot be read becomes a document with a problem, never an exception.
A file larger than ``strict_yaml.Limits.max_bytes`` is reported, not read whole. The other
files are read by the stage that owns their format (history, snapshots, status inputs),
each through the path this module names.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path, PurePath

from hub_builder.load import strict_yaml

NATIONAL_FILE = "national.yaml"
ORGANISATIONS_DIR = "organisations"
REDIRECTS_FILE = "redirects.yaml"
HISTORY_FILE = "history.json"
SNAPSHOTS_DIR = "snapshots"
REGISTER_DIR = "register"
LINK_REPORT_FILE = "link-report.json"
LINK_ALLOWLIST_FILE = "link-allowlist.yaml"
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
    """One source file, read strictly. A file not named ``.yaml``, or a link to a file
    outside the sources folder, is refused unread (the link's target is not named: the
    message may be printed in a public log)."""
    shown = display_path(path)
    refused = refusal(path)
    if refused:
        return strict_yaml.Document(shown, None, [strict_yaml.Problem(shown, 1, 1, "", refused)])
    limits = strict_yaml.Limits()
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            content = file.read(limits.max_bytes + 1)
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror
        return strict_yaml.Document(
            shown, None, [strict_yaml.Problem(shown, 1, 1, "", f"cannot read the file: {reason}")]
        )
    if max(size, len(content)) > limits.max_bytes:
        return strict_yaml.Document(
            shown, None, [strict_yaml.Problem(shown, 1, 1, "", strict_yaml.too_big(size, limits))]
        )
    return strict_yaml.load(content, shown, limits)


def refusal(path: Path) -> str:
    """Why a source file is not read, or ``""``."""
    if path.suffix != ".yaml":
        return (
            f"this file is not read: source files are named <id>.yaml; "
            f"rename it to {path.stem}.yaml"
        )
    root = path.parent.parent if path.parent.name == ORGANISATIONS_DIR else path.parent
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return "this file is a link to a file outside the sources folder; copy the file in"
    return ""


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


def read_feed_file(path: Path) -> bytes:
    """A feed file committed with the sources (an AO's Ofqual key-dates CSV, say).

    Raises OSError when it cannot be read, or is larger than a fetched feed may be
    (``MAX_FEED_FILE_BYTES``); the caller reports it where the file is named."""
    with path.open("rb") as file:
        content = file.read(MAX_FEED_FILE_BYTES + 1)
    if len(content) > MAX_FEED_FILE_BYTES:
        raise OSError(errno.EFBIG, f"it is larger than the limit of {MAX_FEED_FILE_BYTES:,} bytes")
    return content
