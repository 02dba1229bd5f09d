"""``vtq-hub record-changes``: append what changed in the sources to ``history.json``.

    changes = record_changes(Path("sources"), Path("sources/history.json"), london_now())

Compares the sources with the state the history last recorded, appends the changes (stamped
with ``now``, to the second, and its day) and writes the file, only when something changed. Raises
:class:`errors.SourceProblems` when a source (or the history) is invalid; then nothing is
written.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub_builder.check import load_valid
from hub_builder.model import Change
from hub_builder.normalise import normalise
from hub_builder.normalise.history import read_history, record, write_history


def record_changes(sources_dir: Path, history_path: Path, now: datetime) -> tuple[Change, ...]:
    history = read_history(history_path)
    checked = load_valid(sources_dir)
    updated, new = record(history, normalise(checked.documents, built_at=now), now)
    if updated != history:
        write_history(history_path, updated)
    return new
