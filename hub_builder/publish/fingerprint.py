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
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hub_builder.errors import RefusedFile
from hub_builder.files import files_below, read_inside, write_text_atomic
from hub_builder.problems import Problem, Severity

PACKAGE = Path(__file__).resolve().parent.parent
STAMP = "last-build.json"
MAX_INPUT_BYTES = 50_000_000  # the largest input file the build reads (the history)


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
        for path, content in _contents(root):
            digest.update(f"{path}\n".encode())
            digest.update(content)
    return digest.hexdigest()


def _contents(root: Path) -> Iterator[tuple[Path, bytes]]:
    """Each file under ``root`` (or ``root`` itself) and its bytes, read as the build reads
    them (no link followed); a file the build would refuse counts as its refusal, so that
    the build goes on to refuse it."""
    if root.is_dir():
        found, refused = files_below(root)
        paths = [p for p in found if "__pycache__" not in p.parts]
        folder = root
    else:
        paths, refused, folder = [root], [], root.parent
    for path in paths:
        try:
            yield path, read_inside(folder, path, MAX_INPUT_BYTES)
        except (RefusedFile, OSError) as exc:
            yield path, str(exc).encode()
    for refusal in refused:
        yield Path(refusal.path), refusal.reason.encode()


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
