"""Reading and checking every source file of a hub, as a build starts, on one path.

    python benchmarks/load_check.py --sources .hub-cache/bench/hub/sources --path plain
    python benchmarks/load_check.py --sources .hub-cache/bench/hub/sources --path large

Prints one JSON object: the seconds ``check.load_valid`` took, documents and warnings. On the
large path every other file is read and checked by a forked child (hub_builder.scale).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from hub_builder.check import load_valid


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--path", choices=("plain", "large"), required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    checked = load_valid(args.sources, large=args.path == "large")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "path": args.path,
                "seconds": seconds,
                "documents": len(checked.documents),
                "warnings": len(checked.warnings),
            }
        )
    )


if __name__ == "__main__":
    main()
