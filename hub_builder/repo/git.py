"""Git, read at the commands' edge: the sources' revision, and the sources as they were at a
revision. The only module that runs git.

``git_revision(folder)`` is the commit the sources were built from, or ``"unknown"`` when
the folder is not in a git work tree, git is missing, or the tree has no commit yet; the CLI
passes it into :class:`pipeline.BuildOptions`.

``sources_folder(spec, work)`` returns a folder of sources for ``spec``: ``spec`` itself
when it is a folder, otherwise the ``sources/`` tree of the git revision ``spec`` (a commit,
branch, tag or ``HEAD^1``) of the repository in the working folder, extracted from
``git archive`` into a new folder under ``work``. Raises :class:`RevisionError` with git's
own reason when the revision or its ``sources/`` cannot be read.

    git_revision(Path("sources"))                  # '7a26aba5c0ffee...'
    folder = sources_folder("main", Path(tmp))     # tmp/main/sources
    folder = sources_folder("sources", Path(tmp))  # sources, as it is on disk
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from pathlib import Path

from hub_builder.errors import RevisionError

SOURCES = "sources"
UNKNOWN = "unknown"
COMMIT = re.compile(r"^[0-9a-f]{40,64}$")


def git_revision(folder: Path) -> str:
    cwd = folder if folder.is_dir() else folder.parent
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    revision = result.stdout.strip()
    return revision if result.returncode == 0 and COMMIT.match(revision) else UNKNOWN


def sources_folder(spec: str, work: Path) -> Path:
    if Path(spec).is_dir():
        return Path(spec)
    dest = work / re.sub(r"[^A-Za-z0-9._-]+", "_", spec)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(_archive(spec))) as archive:
        archive.extractall(dest, filter="data")
    return dest / SOURCES


def _archive(revision: str) -> bytes:
    if revision.startswith("-"):
        raise RevisionError(f"'{revision}' is neither a folder nor a git revision")
    try:
        done = subprocess.run(
            ["git", "archive", "--format=tar", revision, "--", SOURCES],
            capture_output=True,
            timeout=120,
            check=False,
        )
    except FileNotFoundError as exc:
        raise RevisionError(f"'{revision}' is not a folder, and git is not installed") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(
            f"'{revision}' is neither a folder nor a git revision with a {SOURCES}/ folder "
            f"(git: {reason[-1] if reason else 'failed'})"
        )
    return done.stdout
