"""Time to read and check a synthetic hub's source files, in one process and with the
forked child that ``check.read_and_check`` uses from ``IN_PARALLEL_FROM`` bytes (a script,
not a test; the figure in hub_builder/check/__init__.py comes from here).

    .venv/bin/python benchmarks/read_and_check.py --scale hub [--repeat 2]

Prints the files, their size, and the best wall-clock time of ``--repeat`` runs each way.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import SCALES, write_hub  # noqa: E402
from hub_builder import check  # noqa: E402
from hub_builder.load.sources import source_paths  # noqa: E402


def best_of(repeat: int, paths: list[Path], in_parallel_from: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        _, problems = check.read_and_check(paths, in_parallel_from=in_parallel_from)
        times.append(time.perf_counter() - started)
        if any(p.is_error for p in problems):
            sys.exit("the synthetic sources have errors")
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="hub")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vtq-hub-read-and-check-") as folder:
        sources = Path(folder) / "sources"
        write_hub(SCALES[args.scale], sources)
        paths = source_paths(sources)
        size = check.total_size(paths)
        print(f"{args.scale}: {len(paths)} files, {size / 1e6:.1f} MB")
        print(f"  one process:         {best_of(args.repeat, paths, 10**15):.1f} s")
        print(f"  with a forked child: {best_of(args.repeat, paths, 0):.1f} s")


if __name__ == "__main__":
    main()
