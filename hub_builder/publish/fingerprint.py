"""A fingerprint of everything a build reads, so an unchanged rebuild can reuse the last site.

The fingerprint covers the sources, the hand-written pages, the theme overrides, the mkdocs
config, the hub_builder package itself, the build's date (pages say what is "upcoming",
so a new day is a change) and the source revision. ``fingerprint(...)`` returns a hex
digest; ``read``/``write`` keep the last successful build's digest, counts, warnings and
problems in the work folder, beside the laid-out docs, so a build that reuses the site
reports what the build that made it reported.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hub_builder.files import write_text_atomic
from hub_builder.problems import Problem, Severity

PACKAGE = Path(__file__).resolve().parent.parent
STAMP = "last-build.json"


@dataclass(frozen=True)
class LastBuild:
    digest: str
    organisations: int
    dates: int
    pages: int
    files: int
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())


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
        data: dict[str, Any] = json.loads((work / STAMP).read_text("utf-8"))
        return LastBuild(
            **{
                **data,
                "warnings": tuple(data.get("warnings", ())),
                "problems": tuple(_problem(p) for p in data.get("problems", ())),
            }
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _problem(data: dict[str, Any]) -> Problem:
    return Problem(**{**data, "severity": Severity(data["severity"])})


def write(work: Path, last: LastBuild) -> None:
    write_text_atomic(work / STAMP, json.dumps(asdict(last), sort_keys=True) + "\n")
