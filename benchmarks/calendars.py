"""Every calendar of a hub written on the plain path (icalendar) or a large hub's (directly).

    python benchmarks/calendars.py --sources .hub-cache/bench/hub/sources --path plain
    python benchmarks/calendars.py --sources .hub-cache/bench/hub/sources --path large

Reads and models the sources, then writes every calendar in memory, one at a time, and
prints one JSON object: the seconds the calendars took, how many files and bytes. Time the
two paths against each other as whole processes; the model is the same for both.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path

from hub_builder.calendar import LONDON
from hub_builder.check import load_valid
from hub_builder.normalise import normalise
from hub_builder.render import calendars


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--path", choices=("plain", "large"), required=True)
    args = parser.parse_args()
    documents = load_valid(args.sources).documents
    hub = normalise(documents, built_at=datetime(2026, 11, 23, 9, 0, tzinfo=LONDON))
    started = time.perf_counter()
    files = written = 0
    for output in calendars.render(hub, large=args.path == "large"):
        files += 1
        written += len(output.content)
    seconds = time.perf_counter() - started
    print(json.dumps({"path": args.path, "seconds": seconds, "files": files, "bytes": written}))


if __name__ == "__main__":
    main()
