"""The whole generated site of a small fixture hub, byte for byte, against golden files.

``tests/fixtures/golden/`` is a fictional hub with a bit of everything: two organisations,
a feed read from a committed Ofqual CSV, a recorded move, a link report, a Register
snapshot and a redirect. ``tests/golden/`` holds every file the render stage makes from it
(pages with their tables put back, JSON, CSV, calendars, Atom), as of the last intended
change. After an intended change, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil

from hub_builder import pipeline
from hub_builder.render import Rendering, render
from hub_builder.render.output import Output, fragment_marker
from hub_builder.status import status_of
from tests.conftest import ROOT, fixed_clock

GOLDEN_HUB = ROOT / "tests" / "fixtures" / "golden"
GOLDEN = ROOT / "tests" / "golden"
REVISION = "0" * 40


def rendered_files() -> dict[str, bytes]:
    """Every file rendered from the golden hub, tables put back, by path."""
    options = pipeline.BuildOptions(sources=GOLDEN_HUB, clock=fixed_clock, revision=REVISION)
    loaded = pipeline.load_hub(options)
    status, _ = status_of(loaded.hub, GOLDEN_HUB, options.status)
    records = render(Rendering(loaded.hub, status, loaded.redirects))
    return {record.path: whole(record) for record in records}


def whole(record: Output) -> bytes:
    content = record.content
    for index, fragment in enumerate(record.fragments):
        content = content.replace(fragment_marker(index).encode(), fragment.encode())
    return content


def golden_files() -> dict[str, bytes]:
    return {
        path.relative_to(GOLDEN).as_posix(): path.read_bytes()
        for path in sorted(GOLDEN.rglob("*"))
        if path.is_file()
    }


def test_the_rendered_site_matches_the_golden_files() -> None:
    files = rendered_files()
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, content in files.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(content)
    golden = golden_files()
    assert sorted(files) == sorted(golden), "files added or removed: UPDATE_GOLDEN=1 to accept"
    changed = [path for path in files if files[path] != golden[path]]
    assert not changed, f"changed: {changed[:10]} (UPDATE_GOLDEN=1 to accept, then review)"
