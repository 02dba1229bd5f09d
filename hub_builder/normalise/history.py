"""The hub's change history: the committed file ``sources/history.json``.

It holds every change the hub has recorded (each with the day it was recorded) and the
state it last recorded (a :class:`compare.HubState`). Two commands use it (the first through
:mod:`hub_builder.repo.changes`):

* ``vtq-hub record-changes`` (run by the publishing job, before it builds) compares the
  sources with the recorded state, appends what changed, stamped with the build clock's
  day, and writes the file back. The first run records the state and no changes.
* ``vtq-hub build`` only reads it: ``annotate`` gives each key date its changes (so date
  rows show "changed on … (was …)" and calendars raise SEQUENCE) and the hub its whole
  log for /changes/ and /changes.xml. A build never writes ``sources/``, so the same
  sources, history included, always give the same site.

The file is sorted JSON, oldest change first, so a pull request shows new changes as lines
added at the end.

    >>> history = read_history(Path("sources/history.json"))           # doctest: +SKIP
    >>> history, new = record(history, hub, at=london_now())            # doctest: +SKIP
    >>> write_history(Path("sources/history.json"), history)           # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hub_builder.calendar import LONDON, parse_when
from hub_builder.errors import RefusedFile, SourceProblems
from hub_builder.files import write_text_atomic
from hub_builder.load import schemas
from hub_builder.load.sources import display_path, read_source
from hub_builder.model import Hub, KeyDate, Organisation, RecordedChange
from hub_builder.normalise.compare import (
    Change,
    DateState,
    HubState,
    RecordKey,
    TextState,
    changes_between,
    date_changes,
    hub_state,
)
from hub_builder.normalise.compare import date_state as state_of
from hub_builder.problems import Problem, field_name

DATE_CHANGE_KINDS = frozenset({"added", "moved", "cancelled", "removed", "renamed"})
SEQUENCE_KINDS = frozenset({"moved", "cancelled"})  # the changes that raise a SEQUENCE
SCHEMA = "history.schema.json"
MAX_HISTORY_BYTES = 50_000_000


@dataclass(frozen=True)
class History:
    changes: tuple[RecordedChange, ...]  # oldest first
    state: HubState | None  # None before the first record


EMPTY = History((), None)


# Pure: record and annotate.


def record(history: History, hub: Hub, at: datetime) -> tuple[History, tuple[Change, ...]]:
    """The history with the hub's changes since the recorded state, each stamped with the
    moment ``at`` (UK time) and its day, and those changes."""
    current = hub_state(hub)
    new = () if history.state is None else changes_between(history.state, current)
    moment = at.astimezone(LONDON).replace(microsecond=0)
    recorded = tuple(RecordedChange(moment.date(), change, moment) for change in new)
    return History(tuple(sorted((*history.changes, *recorded), key=change_order)), current), new


def change_order(recorded: RecordedChange) -> tuple[date, str, str, str]:
    c = recorded.change
    return (recorded.on, c.organisation_id, c.record_id, c.kind)


def annotate(hub: Hub, history: History) -> Hub:
    """The hub with each key date's recorded changes (and how many of its moves and
    cancellations are not recorded yet) and the whole log, newest first. A date given a new
    id (``renamed``) keeps the changes recorded under its old ids and the calendar identity
    of the first (:attr:`KeyDate.first_id`)."""
    by_record: defaultdict[RecordKey, list[RecordedChange]] = defaultdict(list)
    former: dict[RecordKey, str] = {}  # a renamed date's key -> the id it had before
    for recorded in history.changes:
        change = recorded.change
        if change.kind in DATE_CHANGE_KINDS:
            by_record[(change.organisation_id, change.record_id)].append(recorded)
        if change.kind == "renamed":
            former[(change.organisation_id, change.after)] = change.before

    recorded_state = history.state.dates if history.state else {}

    def earlier_ids(key: RecordKey) -> list[str]:
        """The ids the date had before, first one last (bounded: a chain never loops)."""
        ids: list[str] = []
        while (old := former.get(key)) is not None and old not in ids and len(ids) < len(former):
            ids.append(old)
            key = (key[0], old)
        return ids

    def with_changes(key_date: KeyDate) -> KeyDate:
        key = (key_date.organisation_id, key_date.id)
        before_ids = earlier_ids(key)
        found = tuple(
            sorted(
                (c for i in (key_date.id, *before_ids) for c in by_record.get((key[0], i), ())),
                key=change_order,
            )
        )
        before = recorded_state.get(key)
        pending = (
            sum(
                1
                for c in date_changes({key: before}, {key: state_of(key_date)})
                if c.kind in SEQUENCE_KINDS
            )
            if before is not None and not key_date.is_expected
            else 0
        )
        first_id = before_ids[-1] if before_ids else ""
        if not found and not pending and not first_id:
            return key_date
        return replace(key_date, changes=found, unrecorded_changes=pending, first_id=first_id)

    def organisation(org: Organisation) -> Organisation:
        return replace(org, key_dates=tuple(with_changes(d) for d in org.key_dates))

    national = replace(hub.national, dates=tuple(with_changes(d) for d in hub.national.dates))
    return replace(
        hub,
        organisations=tuple(organisation(o) for o in hub.organisations),
        national=national,
        changes=tuple(sorted(history.changes, key=change_order, reverse=True)),
    )


# The file: JSON text both ways.


def history_text(history: History) -> str:
    state = history.state or HubState({}, {}, {})
    data = {
        "changes": [
            {
                "on": r.on.isoformat(),
                **({"at": r.at.isoformat()} if r.at else {}),
                **{k: getattr(r.change, k) for k in CHANGE_FIELDS},
            }
            for r in history.changes
        ],
        "state": {
            "dates": {
                key_text(k): {"title": s.title, "when": s.when, "status": s.status}
                for k, s in state.dates.items()
            },
            "guidance": {key_text(k): vars(s) for k, s in state.guidance.items()},
            "contacts": {key_text(k): vars(s) for k, s in state.contacts.items()},
        },
    }
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


CHANGE_FIELDS = ("kind", "organisation_id", "record_id", "title", "before", "after")


def parse_history(text: str, path: str) -> History:
    """Raises :class:`errors.SourceProblems` with every problem in the file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceProblems([Problem(path, exc.lineno, exc.colno, "", exc.msg)]) from exc
    errors = sorted(
        schemas.validator(SCHEMA).iter_errors(data),
        key=lambda e: str(list(e.absolute_path)),
    )
    if errors:
        raise SourceProblems(
            [Problem(path, 1, 1, field_name(tuple(e.absolute_path)), e.message) for e in errors]
        )
    state = data["state"]
    return History(
        changes=tuple(
            RecordedChange(
                date.fromisoformat(c["on"]),
                Change(*(c[k] for k in CHANGE_FIELDS)),
                datetime.fromisoformat(c["at"]) if "at" in c else None,
            )
            for c in data["changes"]
        ),
        state=HubState(
            dates={parse_key(k): date_state(v) for k, v in state["dates"].items()},
            guidance={parse_key(k): TextState(**v) for k, v in state["guidance"].items()},
            contacts={parse_key(k): TextState(**v) for k, v in state["contacts"].items()},
        ),
    )


def date_state(data: dict[str, Any]) -> DateState:
    start, end, at = parse_when(data["when"])
    return DateState(data["title"], start, end, at, data["status"])


def key_text(key: RecordKey) -> str:
    return "/".join(key)


def parse_key(text: str) -> RecordKey:
    organisation_id, _, record_id = text.partition("/")
    return organisation_id, record_id


# The edges: read and write the file.


def read_history(path: Path) -> History:
    """The recorded history; empty when the file does not exist yet. Read as every file of
    the sources is (no link followed); raises :class:`errors.SourceProblems`."""
    if not path.is_file() and not path.is_symlink():
        return EMPTY
    shown = display_path(path)
    try:
        content = read_source(path.parent, path, MAX_HISTORY_BYTES)
    except RefusedFile as exc:
        raise SourceProblems([Problem(shown, 1, 1, "", exc.reason)]) from None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceProblems([Problem(shown, 1, 1, "", f"not UTF-8 text ({exc.reason})")]) from None
    return parse_history(text, shown)


def write_history(path: Path, history: History) -> None:
    """Replace the file in one step, so a failed write never leaves half a history."""
    write_text_atomic(path, history_text(history))
