"""What a change to the sources does to the hub, written for its reviewers in Markdown.

``load_side(folder, built_at)`` reads one state of the sources with the build's own stages
(read → validate → feeds → normalise, as ``pipeline.load_hub`` does) and raises
:class:`errors.SourceProblems` when it is invalid.
``summary_markdown(old, new, author)`` is pure: the changes that :func:`compare.compare`
finds, per organisation (dates added, moved from old to new, cancelled, removed; guidance
links and contacts changed), the other fields each file edits, and in bold what a reviewer
must check first:

* a change that touches more than one organisation, or the national calendar;
* a change to an organisation whose maintainers (as they were before the change) do not
  name ``author``, the pull request's author; team membership cannot be seen here, so the
  message says so;
* a change to who maintains an organisation;
* a date given a new id (its calendar event carries over: check it is the same date);
* changes that ``sources/history.json`` does not record yet.

Text from the sources is shown in code spans fenced longer than any run of backticks in it
(:func:`code_span`), so it can neither leave its span, format the comment, link nor mention
anyone.

    >>> summary_markdown(side, side)[:60]                            # doctest: +SKIP
    '## What this change does to the hub\\n\\nNo date, guidance link'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_builder.calendar import parse_when
from hub_builder.check import load_valid
from hub_builder.errors import SourceProblems
from hub_builder.formatting import code_span, govuk_range, govuk_time
from hub_builder.load.sources import HISTORY_FILE, display_path, is_national
from hub_builder.model import NATIONAL_ID, NATIONAL_NAME, Change, Hub
from hub_builder.normalise.compare import compare
from hub_builder.normalise.history import read_history, record
from hub_builder.pipeline import BuildOptions, load_hub

HEADING = "## What this change does to the hub"
LISTED = ("key_dates", "guidance", "contacts", "results_days", "dates", "rules")
"""Fields whose edits the change list already describes, or that only hold records."""


@dataclass(frozen=True)
class Side:
    """One state of the sources: the hub built from it, each file's data by owner id, and how
    many of its changes its history does not record yet."""

    hub: Hub
    files: dict[str, dict[str, Any]]
    unrecorded: int = 0


def load_side(folder: Path, built_at: datetime, shown_as: str = "") -> Side:
    """The sources in ``folder``; problems name their files under ``shown_as`` if given."""
    try:
        checked = load_valid(folder)
        history = read_history(folder / HISTORY_FILE)
        # The hub as the build makes it, the feeds' snapshots included (a refreshed feed's
        # moved dates are changes too), as the history records it.
        built = load_hub(BuildOptions(sources=folder, clock=lambda: built_at)).hub
    except SourceProblems as exc:
        if not shown_as:
            raise
        prefix = display_path(folder)
        raise SourceProblems(
            [replace(p, path=shown_as + p.path.removeprefix(prefix)) for p in exc.problems]
        ) from exc
    return Side(
        hub=built,
        files={
            _owner(d.path, d.data): d.data for d in checked.documents if isinstance(d.data, dict)
        },
        unrecorded=len(record(history, built, built_at)[1]),
    )


def _owner(path: str, data: dict[str, Any]) -> str:
    return NATIONAL_ID if is_national(path) else str(data.get("id"))


def invalid_markdown(spec: str) -> str:
    return (
        f"{HEADING}\n\n**The sources at `{spec}` have errors, so this change cannot be "
        "summarised yet.** The validation check lists each one on its line; the summary "
        "appears when they are fixed.\n"
    )


# --- The summary ---------------------------------------------------------------------------


def summary_markdown(old: Side, new: Side, author: str = "") -> str:
    changes = compare(old.hub, new.hub)
    touched = sorted(
        (owner for owner in old.files.keys() | new.files.keys() if _edited_fields(old, new, owner)),
        key=lambda owner: (owner != NATIONAL_ID, _name(new, owner, old).casefold(), owner),
    )
    lines = [HEADING, ""]
    flags = list(_flags(old, new, touched, author, changes))
    if flags:
        lines += ["### Check first", "", *(f"- **{flag}**" for flag in flags), ""]
    if not touched:
        lines += ["It changes no source file: the hub stays as it is.", ""]
    for owner in touched:
        lines += _section(old, new, owner, [c for c in changes if c.organisation_id == owner])
    return "\n".join(lines)


def _flags(
    old: Side, new: Side, touched: list[str], author: str, changes: tuple[Change, ...]
) -> Iterator[str]:
    organisations = [owner for owner in touched if owner != NATIONAL_ID]
    if NATIONAL_ID in touched:
        yield "It changes the national calendar, which only the hub's maintainers change."
    if len(organisations) > 1:
        yield (
            f"It changes {len(organisations)} awarding organisations at once "
            f"({', '.join(organisations)}): check that each one agrees."
        )
    renamed = [c for c in changes if c.kind == "renamed"]
    if renamed:
        yield (
            f"It gives {len(renamed)} date{'s' if len(renamed) != 1 else ''} a new id: "
            "calendars keep each as the same event, so check that each is the same date."
        )
    if new.unrecorded:
        yield (
            f"sources/{HISTORY_FILE} does not record {new.unrecorded} of its changes yet: run "
            f"`.venv/bin/vtq-hub record-changes` and commit sources/{HISTORY_FILE} to this "
            "pull request (a maintainer can, where the author cannot)."
        )
    for owner in organisations:
        before = _maintainers(old, owner)
        after = _maintainers(new, owner)
        if owner in old.files and before != after:
            yield (
                f"It changes who maintains {owner}: "
                f"{_handles(before)} before, {_handles(after)} after."
            )
        named = before if owner in old.files else after
        if author and author.casefold() not in {m.casefold() for m in named}:
            teams = any("/" in m for m in named)
            yield (
                f"{author} is not named as a maintainer of {owner} "
                f"({_handles(named) if named else 'it names none'})"
                + ("; if they are in that team, all is well." if teams else ".")
            )


def _section(old: Side, new: Side, owner: str, changes: list[Change]) -> list[str]:
    heading = (
        NATIONAL_NAME if owner == NATIONAL_ID else f"{code_span(_name(new, owner, old))} ({owner})"
    )
    if owner not in old.files:
        heading += ": new"
    elif owner not in new.files:
        heading += ": removed"
    lines = [f"### {heading}", ""]
    ordered = sorted(changes, key=lambda c: (ORDER.get(c.kind, len(ORDER)), c.record_id))
    lines += [f"- {_change_line(change)}" for change in ordered]
    whole_file = owner not in old.files or owner not in new.files
    others = [] if whole_file else [f for f in _edited_fields(old, new, owner) if f not in LISTED]
    if others:
        lines.append(f"- Other fields edited: {', '.join(code_span(f) for f in others)}")
    if not changes and not others:
        lines.append("- Wording only: no date, guidance link or contact changes.")
    return [*lines, ""]


_DATE_LINES: dict[str, Callable[[str, Change], str]] = {
    "moved": lambda what, c: f"Date moved: {what}: {_when(c.before)} → {_when(c.after)}",
    "cancelled": lambda what, c: f"Date cancelled: {what} (it was {c.before})",
    "added": lambda what, c: f"Date added: {what}: {_when(c.after)}",
    "removed": lambda what, c: f"Date removed: {what}: {_when(c.before)}",
    "renamed": lambda what, c: f"Date given a new id: {what}, was {code_span(c.before)}",
}
_RECORD_NOUNS = {"guidance-changed": "Guidance link", "contact-changed": "Contact"}
ORDER = {kind: rank for rank, kind in enumerate((*_DATE_LINES, *_RECORD_NOUNS))}
"""Changes are listed in this order within an organisation, then by record id."""


def _change_line(change: Change) -> str:
    what = f"{code_span(change.title)} ({code_span(change.record_id)})"
    if change.kind in _DATE_LINES:
        return _DATE_LINES[change.kind](what, change)
    noun = _RECORD_NOUNS.get(change.kind, change.kind)
    if not change.before:
        return f"{noun} added: {what}: {code_span(change.after)}"
    if not change.after:
        return f"{noun} removed: {what}: {code_span(change.before)}"
    return f"{noun} changed: {what}: {code_span(change.before)} → {code_span(change.after)}"


def _when(text: str) -> str:
    if not text:
        return ""
    start, end, at = parse_when(text)
    when = govuk_range(start, end)
    return when + (f", {govuk_time(at)} UK time" if at else "")


def _edited_fields(old: Side, new: Side, owner: str) -> list[str]:
    before, after = old.files.get(owner, {}), new.files.get(owner, {})
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _name(side: Side, owner: str, fallback: Side | None = None) -> str:
    data = side.files.get(owner) or (fallback.files.get(owner) if fallback else None) or {}
    return str(data.get("name", owner))


def _maintainers(side: Side, owner: str) -> tuple[str, ...]:
    return tuple(side.files.get(owner, {}).get("maintainers", ()))


def _handles(handles: tuple[str, ...]) -> str:
    return ", ".join(code_span(h) for h in handles) if handles else "nobody"
