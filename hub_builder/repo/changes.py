"""``vtq-hub record-changes``: append what changed in the sources to ``history.json``.

    changes = record_changes(Path("sources"), Path("sources/history.json"), london_now())

Compares the sources with the state the history last recorded, appends the changes (stamped
with ``now``, to the second, and its day) and writes the file, only when something changed;
with ``write=False`` (``--check``) it only says what is not recorded yet. Raises
:class:`errors.SourceProblems` when a source (or the history) is invalid; then nothing is
written.

A pull request that changes the sources records its changes in the same pull request
(MAINTAINING.md, "Recording changes"): the history on ``main`` always matches its sources,
and publishing never has to push to a protected branch.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub_builder.model import Change
from hub_builder.normalise.history import read_history, record, write_history
from hub_builder.pipeline import BuildOptions, load_hub


def record_changes(
    sources_dir: Path, history_path: Path, now: datetime, *, write: bool = True
) -> tuple[Change, ...]:
    """The changes to the hub as the build sees it, the dates of the feeds' snapshots
    included, since the history's last record."""
    history = read_history(history_path)
    options = BuildOptions(sources=sources_dir, clock=lambda: now, history=history_path)
    updated, new = record(history, load_hub(options).hub, now)
    if write and updated != history:
        write_history(history_path, updated)
    return new
