"""``vtq-hub register``: refresh the Ofqual Register snapshots beside the sources.

For every AO with a recognition number, GET ``/api/Organisations/{RN}`` and
``/api/Qualifications/{QN}`` for each of its qualification numbers, through the hub's one
HTTP client, and write ``sources/register/<id>.json``; a failed read keeps the AO's last
snapshot. The snapshot's format, and the cross-check the build makes against it, are
:mod:`hub_builder.status.register`'s.

    done = refresh_register(BuildOptions(sources=Path("sources")), HttpClient())
    done.written, done.failed, done.findings
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hub_builder.errors import FetchFailed, HubError
from hub_builder.files import write_text_atomic
from hub_builder.model import Hub, Organisation
from hub_builder.pipeline import BuildOptions, load_hub
from hub_builder.problems import Problem
from hub_builder.remote.http import HttpClient
from hub_builder.status.register import (
    REGISTER_API,
    RegisterFinding,
    RegisterSnapshot,
    organisation_record,
    qualification_record,
    read_snapshots,
    register_findings,
    register_problems,
    snapshot_json,
    snapshot_path,
)

#: GET a Register API path and return its parsed JSON, or None when the API answers 404.
GetJson = Callable[[str], Any]


def fetch_snapshot(get_json: GetJson, org: Organisation, today: date) -> RegisterSnapshot:
    number = org.recognition_number
    found = get_json(f"/api/Organisations/{number}")
    qualifications = {}
    for qn in sorted({qn for g in org.qualification_groups for qn in g.qualification_numbers}):
        answer = get_json(f"/api/Qualifications/{qn}")
        qualifications[qn] = None if answer is None else qualification_record(answer)
    return RegisterSnapshot(
        organisation_id=org.id,
        recognition_number=number,
        fetched_on=today,
        organisation=None if found is None else organisation_record(found),
        qualifications=qualifications,
    )


@dataclass(frozen=True)
class Refresh:
    """What ``refresh_snapshots`` did: AOs written, and those whose fetch failed (kept)."""

    written: tuple[str, ...]
    failed: tuple[tuple[str, str], ...]
    skipped: tuple[str, ...]


def refresh_snapshots(hub: Hub, get_json: GetJson, today: date, sources_dir: Path) -> Refresh:
    """Fetch and write a snapshot for every AO with an RN. A failed fetch keeps the AO's last
    snapshot; an AO with no RN is skipped."""
    written, failed, skipped = [], [], []
    for org in hub.organisations:
        if not org.recognition_number:
            skipped.append(org.id)
            continue
        try:
            snapshot = fetch_snapshot(get_json, org, today)
        except HubError as exc:
            failed.append((org.id, str(exc)))
            continue
        write_text_atomic(snapshot_path(sources_dir, org.id), snapshot_json(snapshot))
        written.append(org.id)
    return Refresh(tuple(written), tuple(failed), tuple(skipped))


@dataclass(frozen=True)
class RegisterRefresh:
    """What ``vtq-hub register`` did, and what the sources disagree with afterwards."""

    refresh: Refresh
    findings: tuple[RegisterFinding, ...]
    problems: tuple[Problem, ...]


def refresh_register(
    options: BuildOptions, client: HttpClient, api: str = REGISTER_API
) -> RegisterRefresh:
    """Refresh every snapshot, then cross-check the valid sources against them."""
    hub = load_hub(options, lambda _: None).hub
    done = refresh_snapshots(hub, api_getter(client, api), hub.today, options.sources)
    snapshots, problems = read_snapshots(options.sources)
    findings = register_findings(hub, snapshots or {})
    return RegisterRefresh(done, tuple(findings), (*problems, *register_problems(findings, hub)))


def api_getter(client: HttpClient, base: str = REGISTER_API) -> GetJson:
    """GET ``base + path`` with the hub's HTTP client; None for 404 (not on the Register)."""

    def get_json(path: str) -> Any:
        try:
            response = client.get(base.rstrip("/") + path)
        except FetchFailed as exc:
            if exc.status == 404:
                return None
            raise
        try:
            return json.loads(response.body)
        except ValueError as exc:
            raise FetchFailed(f"{path}: the Register's answer is not JSON ({exc})") from exc

    return get_json
