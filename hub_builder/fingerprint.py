"""A fingerprint of everything a build reads, so an unchanged rebuild can reuse the last site.

The fingerprint covers the sources, the hand-written pages, the theme overrides, the mkdocs
config, the hub_builder package itself, the build's date (pages say what is "upcoming",
so a new day is a change) and the source revision. ``fingerprint(...)`` returns a hex
digest; ``read``/``write`` keep the last successful build's digest and counts in the work
folder, beside the laid-out docs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STAMP = "last-build.json"


@dataclass(frozen=True)
class LastBuild:
    digest: str
    organisations: int
    dates: int
    pages: int
    files: int


def fingerprint(inputs: Iterable[Path], context: str, out: Path) -> str:
    """``context`` holds what else the pages depend on: the day and the source revision."""
    digest = hashlib.sha256(f"{context}\n{out.resolve()}\n".encode())
    for root in (*inputs, PACKAGE):
        for path in _files(root):
            digest.update(f"{path}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def read(work: Path) -> LastBuild | None:
    try:
        return LastBuild(**json.loads((work / STAMP).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def write(work: Path, last: LastBuild) -> None:
    work.mkdir(parents=True, exist_ok=True)
    temporary = work / f"{STAMP}.tmp"
    temporary.write_text(json.dumps(asdict(last), sort_keys=True) + "\n", "utf-8")
    temporary.replace(work / STAMP)
