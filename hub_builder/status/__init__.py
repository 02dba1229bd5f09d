"""Stage 5, status: is results delivery on track? Worked out from the hub and from what the
checks outside the build committed beside the sources.

- :mod:`report`: the status of every organisation (pure; its one clock is ``hub.today``);
- :mod:`links`, :mod:`register`, :mod:`watch`: the link report, the Ofqual Register
  snapshots and the watcher's records of the cited pages, read;
- :mod:`nudges`: the organisations due a reminder.

    report, warnings = status_of(hub, Path("sources"), StatusOptions())
"""

from __future__ import annotations

from pathlib import Path

from hub_builder.model import Hub
from hub_builder.problems import Problem
from hub_builder.status.links import read_link_inputs
from hub_builder.status.register import (
    read_snapshots,
    register_checks,
    register_findings,
    register_problems,
)
from hub_builder.status.report import StatusInputs, StatusOptions, StatusReport, status_report
from hub_builder.status.watch import read_watch


def status_of(
    hub: Hub, sources_dir: Path, options: StatusOptions
) -> tuple[StatusReport, list[Problem]]:
    """The status from the hub and the checks' committed results beside the sources (link
    report, Register snapshots, watch records), with warnings for what those results
    disagree with."""
    links, link_problems = read_link_inputs(sources_dir)
    snapshots, snapshot_problems = read_snapshots(sources_dir)
    watched, watch_problems = read_watch(sources_dir)
    findings = register_findings(hub, snapshots or {})
    inputs = StatusInputs(links=links, register=register_checks(hub, snapshots), watch=watched)
    warnings = [
        *link_problems,
        *snapshot_problems,
        *watch_problems,
        *register_problems(findings, hub),
    ]
    return status_report(hub, inputs, options), warnings
