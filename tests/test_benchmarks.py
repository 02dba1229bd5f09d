"""Smoke test of the benchmark code (no time asserted): a synthetic hub is valid sources, and
one benchmark build of a tiny one reports every figure. The benchmark itself, at small
scale and above, is ``make bench`` (``benchmarks/run``), not part of the tests."""

import json
import runpy
import subprocess
import sys
from pathlib import Path

from benchmarks.synthetic import Scale, write_hub
from hub_builder.load.sources import source_paths
from hub_builder.pipeline import validate_paths
from tests.conftest import ROOT, fixed_clock

TINY = Scale(organisations=2, groups=6, dates=40)


def test_a_synthetic_hub_is_valid_sources(tmp_path: Path) -> None:
    write_hub(TINY, tmp_path / "sources")
    problems = validate_paths(source_paths(tmp_path / "sources"), clock=fixed_clock)
    assert [p.format() for p in problems if p.is_error] == []


def test_one_benchmark_build_reports_every_figure(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_hub(TINY, sources)
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/full_build.py",
            *("--sources", str(sources), "--out", str(tmp_path / "site")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,  # a guard against a hung build, not a timing
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["dates"] == TINY.dates + 2  # and the national calendar's two
    stages = {"load and check", "feeds", "normalise", "status", "render", "publish"}
    assert stages <= set(figures["stages"])
    assert figures["peak_mb"] > 0 and figures["pages"] > 10
    sizes = runpy.run_path(str(ROOT / "benchmarks" / "run"))["sizes"](tmp_path / "site")
    assert sizes["site_files"] > 30 and sizes["pages_over_2_mb"] == 0
