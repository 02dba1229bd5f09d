"""One full hub build (the real pipeline and mkdocs) on given sources, as JSON figures.

    python benchmarks/full_build.py --sources /tmp/hub/sources --out /tmp/hub/site
    python benchmarks/full_build.py … --engine zensical
    python benchmarks/full_build.py … --scale plain      # or large: one path whatever the size

Prints one JSON object: seconds per stage, total, peak memory, pages and dates.
"""

from __future__ import annotations

import argparse
import json
import resource
from datetime import datetime
from pathlib import Path

from hub_builder.calendar import LONDON
from hub_builder.pipeline import BuildOptions, build
from hub_builder.scale import PATHS

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs")
    parser.add_argument("--scale", choices=PATHS, default="auto")
    args = parser.parse_args()
    report = build(
        BuildOptions(
            sources=args.sources,
            out=args.out,
            config=ROOT / "mkdocs.yml",
            content=ROOT / "site_content",
            work=args.out.parent / "work",
            clock=lambda: datetime(2026, 11, 23, 9, 0, tzinfo=LONDON),
            engine=args.engine,
            scale=args.scale,
        )
    )
    # The build's own process or, if larger, the biggest child it ran (Zensical is one).
    peak_kb = max(
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    peak_mb = peak_kb / 1024
    print(
        json.dumps(
            {
                "stages": dict(report.stages),
                "total": report.seconds,
                "peak_mb": peak_mb,
                "pages": report.pages,
                "dates": report.dates,
            }
        )
    )


if __name__ == "__main__":
    main()
