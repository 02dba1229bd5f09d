"""The sources' revision: the git commit they were built from, read at the command's edge.

    >>> git_revision(Path("sources"))                                  # doctest: +SKIP
    '7a26aba5c0ffee...'

Returns ``"unknown"`` when the folder is not in a git work tree, git is missing, or the tree
has no commit yet. The CLI passes the result into :class:`pipeline.BuildOptions`; nothing
deeper in the build runs git.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

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
