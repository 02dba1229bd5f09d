"""The Ofqual Register cross-check: a committed snapshot, and what disagrees with it.

``vtq-hub register`` (:mod:`hub_builder.remote.register`) reads the public Register API for
every AO with a recognition number (``/api/Organisations/{RN}``, then
``/api/Qualifications/{QN}`` for each of its qualification numbers) and writes one snapshot
per AO; the build only reads the snapshots. The API's keys
are camelCase, but some of its examples are PascalCase, so keys are read case-insensitively.

Files, beside the sources (sorted keys, so a daily refresh gives a reviewable diff):

    sources/register/<id>.json   {"recognition_number": "RN9999", "fetched_on": "2026-11-23",
                                  "organisation": {...} or null when not on the Register,
                                  "qualifications": {"601/0000/X": {...} or null, ...}}

``register_findings(hub, snapshots)`` lists what disagrees, each with the AO source field it
concerns: a name or RN the Register does not give, a QN that does not exist, belongs to another
AO or is no longer available to learners. ``finding_problem`` places a finding in its source
file as a build warning. Pure apart from ``read_snapshots``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from hub_builder.errors import RefusedFile
from hub_builder.load.sources import REGISTER_DIR, display_path, read_source
from hub_builder.model import Hub, Organisation
from hub_builder.problems import FieldPath, Places, Problem, Severity
from hub_builder.status.report import RegisterCheck

SNAPSHOT_VERSION = 1
REGISTER_API = "https://register-api.ofqual.gov.uk"
AVAILABLE = "Available to learners"
#: Words that do not tell one organisation's name from another's.
NAME_NOISE = frozenset({"the", "ltd", "limited", "plc", "uk"})

ORGANISATION_FIELDS = {
    "name": "name",
    "legal_name": "legalname",
    "acronym": "acronym",
    "recognition_number": "recognitionnumber",
    "status": "ofqualorganisationstatus",
}
QUALIFICATION_FIELDS = {
    "qualification_number": "qualificationnumber",
    "title": "title",
    "status": "status",
    "organisation_name": "organisationname",
    "organisation_recognition_number": "organisationrecognitionnumber",
}


@dataclass(frozen=True)
class RegisterSnapshot:
    """What the Register said about one AO's RN and QNs on ``fetched_on``."""

    organisation_id: str
    recognition_number: str
    fetched_on: date
    organisation: Mapping[str, str] | None
    qualifications: Mapping[str, Mapping[str, str] | None]


@dataclass(frozen=True)
class RegisterFinding:
    """One disagreement; ``field`` is the AO source field, ``group_id``/``qn`` narrow it."""

    organisation_id: str
    field: str
    message: str
    group_id: str = ""
    qn: str = ""


# Parsing the API's answers ------------------------------------------------------------------


def record(data: Any, fields: Mapping[str, str]) -> dict[str, str]:
    """The named fields of one API object, whatever the case of its keys."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object from the Register")
    folded = {str(key).casefold(): value for key, value in data.items()}
    return {ours: "" if folded.get(theirs) is None else str(folded[theirs]).strip()
            for ours, theirs in fields.items()}  # fmt: skip


def organisation_record(data: Any) -> dict[str, str]:
    return record(data, ORGANISATION_FIELDS)


def qualification_record(data: Any) -> dict[str, str]:
    return record(data, QUALIFICATION_FIELDS)


def rn(text: str) -> str:
    """``"5133"`` or ``"rn5133"`` → ``"RN5133"``."""
    digits = re.sub(r"\D", "", text)
    return f"RN{digits}" if digits else ""


# The snapshot files ---------------------------------------------------------------------------


def snapshot_json(snapshot: RegisterSnapshot) -> str:
    document = {
        "format_version": SNAPSHOT_VERSION,
        "organisation_id": snapshot.organisation_id,
        "recognition_number": snapshot.recognition_number,
        "fetched_on": snapshot.fetched_on.isoformat(),
        "source": f"{REGISTER_API}/api/Organisations/{snapshot.recognition_number}",
        "organisation": None if snapshot.organisation is None else dict(snapshot.organisation),
        "qualifications": {
            qn: None if q is None else dict(q) for qn, q in snapshot.qualifications.items()
        },
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


MAX_SNAPSHOT_BYTES = 10_000_000


def snapshot_path(sources_dir: Path, organisation_id: str) -> Path:
    return sources_dir / REGISTER_DIR / f"{organisation_id}.json"


def read_snapshots(sources_dir: Path) -> tuple[dict[str, RegisterSnapshot] | None, list[Problem]]:
    """Every snapshot, by AO id; None when the Register has never been checked."""
    folder = sources_dir / REGISTER_DIR
    if not folder.is_dir():
        return None, []
    snapshots, problems = {}, []
    for path in sorted(folder.glob("*.json")):
        try:
            snapshot = snapshot_of(json.loads(read_source(sources_dir, path, MAX_SNAPSHOT_BYTES)))
        except RefusedFile as exc:
            problems.append(Problem(display_path(path), 1, 1, "", exc.reason))
            continue
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(
                Problem(display_path(path), 1, 1, "", f"the Register snapshot cannot be read "
                        f"({exc}); run vtq-hub register again", Severity.WARNING)
            )  # fmt: skip
            continue
        snapshots[snapshot.organisation_id] = snapshot
    return snapshots, problems


def snapshot_of(data: dict[str, Any]) -> RegisterSnapshot:
    organisation = data["organisation"]
    return RegisterSnapshot(
        organisation_id=str(data["organisation_id"]),
        recognition_number=str(data["recognition_number"]),
        fetched_on=date.fromisoformat(data["fetched_on"]),
        organisation=None if organisation is None else organisation_record_stored(organisation),
        qualifications={
            str(qn): None if q is None else {k: str(v) for k, v in q.items()}
            for qn, q in data["qualifications"].items()
        },
    )


def organisation_record_stored(data: dict[str, Any]) -> dict[str, str]:
    return {key: str(data.get(key, "")) for key in ORGANISATION_FIELDS}


# The cross-check ------------------------------------------------------------------------------


def register_checks(
    hub: Hub, snapshots: Mapping[str, RegisterSnapshot] | None
) -> dict[str, RegisterCheck] | None:
    """What the status page shows: each checked AO's disagreements, in words."""
    if snapshots is None:
        return None
    findings = register_findings(hub, snapshots)
    return {
        org.id: RegisterCheck(
            snapshots[org.id].fetched_on,
            tuple(f.message for f in findings if f.organisation_id == org.id),
            recognition_number_confirmed=bool(org.recognition_number)
            and not any(
                f.organisation_id == org.id and f.field == "recognition_number" for f in findings
            ),
        )
        for org in hub.organisations
        if org.id in snapshots
    }


def register_findings(hub: Hub, snapshots: Mapping[str, RegisterSnapshot]) -> list[RegisterFinding]:
    return [
        finding
        for org in hub.organisations
        if org.id in snapshots
        for finding in organisation_findings(org, snapshots[org.id])
    ]


def organisation_findings(
    org: Organisation, snapshot: RegisterSnapshot
) -> Iterable[RegisterFinding]:
    number = org.recognition_number
    if number != snapshot.recognition_number:
        yield RegisterFinding(
            org.id,
            "recognition_number",
            f"the Register snapshot is for {snapshot.recognition_number or 'no RN'}, not "
            f"{number or 'no RN'}; run vtq-hub register again",
        )
        return
    found = snapshot.organisation
    if found is None:
        yield RegisterFinding(org.id, "recognition_number", f"{number} is not on the Register")
        return
    if rn(found["recognition_number"]) not in ("", number):
        yield RegisterFinding(
            org.id,
            "recognition_number",
            f"the Register answers {number} with {rn(found['recognition_number'])}",
        )
    if not names_agree((org.name, org.acronym), register_names(found)):
        yield RegisterFinding(
            org.id,
            "name",
            f'the Register names {number} "{found["name"]}"'
            + (f" ({found['acronym']})" if found["acronym"] else "")
            + f', not "{org.name}"',
        )
    for group in org.qualification_groups:
        for qn in group.qualification_numbers:
            yield from qualification_findings(org, group.id, qn, snapshot)


def qualification_findings(
    org: Organisation, group_id: str, qn: str, snapshot: RegisterSnapshot
) -> Iterable[RegisterFinding]:
    def finding(message: str) -> RegisterFinding:
        return RegisterFinding(org.id, "qualification_numbers", message, group_id, qn)

    if qn not in snapshot.qualifications:
        yield finding(f"{qn} is not in the Register snapshot; run vtq-hub register again")
        return
    found = snapshot.qualifications[qn]
    if found is None:
        yield finding(f"{qn} is not on the Register")
        return
    owner = rn(found["organisation_recognition_number"])
    if owner and owner != org.recognition_number:
        yield finding(
            f"{qn} belongs to {owner} ({found['organisation_name']}), not {org.recognition_number}"
        )
    if found["status"] and found["status"].casefold() != AVAILABLE.casefold():
        yield finding(f'{qn} is "{found["status"]}" on the Register')


def register_names(found: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(found[key] for key in ("name", "legal_name", "acronym") if found[key])


def names_agree(ours: Iterable[str], theirs: Iterable[str]) -> bool:
    """True when one of our names begins, word for word, one of the Register's (or the other
    way round): "City & Guilds" agrees with "City and Guilds of London Institute"."""
    mine = [w for w in map(name_words, ours) if w]
    registered = [w for w in map(name_words, theirs) if w]
    return (
        any(a[: len(b)] == b or b[: len(a)] == a for a in mine for b in registered)
        or not registered
    )


def name_words(name: str) -> tuple[str, ...]:
    words = re.sub(r"[^a-z0-9]+", " ", name.casefold().replace("&", " and ")).split()
    return tuple(w for w in words if w not in NAME_NOISE)


# Placing a finding in its source file -------------------------------------------------------


def finding_problem(finding: RegisterFinding, places: Places) -> Problem:
    """The finding as a build warning at the field it concerns in its AO's file."""
    path: FieldPath = (finding.field,)
    if finding.group_id:
        groups: FieldPath = ("qualification_groups",)
        numbers = (*groups, places.item(groups, finding.group_id), "qualification_numbers")
        path = (*numbers, places.item(numbers, finding.qn))
    message = f"Ofqual Register: {finding.message}"
    return places.problem(path, message, severity=Severity.WARNING)


def register_problems(findings: Iterable[RegisterFinding], hub: Hub) -> list[Problem]:
    """Every finding as a warning in the source file of its AO."""
    return [finding_problem(f, hub.organisation(f.organisation_id).places) for f in findings]
