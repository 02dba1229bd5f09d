"""Smoke test: the benchmark runs at small scale and reports every figure (no time asserted)."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_small_benchmark_completes_with_all_figures(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/run", "--scale", "small", "--work", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ratio build / floor" in result.stdout
    figures = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert figures["full"]["dates"] == 5002
    stages = {"load and check", "feeds", "normalise", "status", "render", "publish"}
    assert stages <= set(figures["full"]["stages"])
    assert figures["sizes"]["site_files"] > 30
    # What any rebuild costs in the engine and Pagefind, measured on the pages built.
    tools = figures["rebuild_tools_floor"]
    assert tools["engine_s"] > 0 and tools["pagefind_s"] > 0
    assert tools["total"] == tools["engine_s"] + tools["pagefind_s"]
    assert "the engine and Pagefind over every page" in result.stdout
    site = tmp_path / "site"
    assert (site / "organisations/example-ab-0025/index.html").is_file()
