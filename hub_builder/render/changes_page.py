"""The /changes/ page: every recorded change, newest first, grouped by the day it was
recorded; shared wording for the Atom feed (:mod:`atom`).

``change_rows(hub)`` turns ``Hub.changes`` into :class:`ChangeRow` view records: the
change's headline, a sentence in GOV.UK style ("Moved from 28 June 2024, 11:59pm UK time
to 5 July 2024, 11:59pm UK time.") and a link, relative to the site's root, to the record
where it still exists (a removed record links to its organisation's page, or to none).

    >>> render(hub)[0].path                                            # doctest: +SKIP
    'changes/index.md'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import groupby

from hub_builder.calendar import LONDON
from hub_builder.formatting import govuk_date, when_text_label
from hub_builder.model import (
    NATIONAL_ID,
    NATIONAL_NAME,
    PUBLIC_CHANGE_KINDS,
    Change,
    Hub,
    RecordedChange,
)
from hub_builder.normalise.history import change_order
from hub_builder.render.output import Output
from hub_builder.render.pages import page

VERBS = {
    "added": "added",
    "moved": "moved",
    "cancelled": "cancelled",
    "removed": "removed",
    "guidance-changed": "guidance link changed",
    "contact-changed": "contact details changed",
}


def _added(c: Change) -> str:
    return f"Added: {when_text_label(c.after)}."


def _moved(c: Change) -> str:
    return f"Moved from {when_text_label(c.before)} to {when_text_label(c.after)}."


def _cancelled(c: Change) -> str:
    return f"Cancelled (it was {c.before})."


def _removed(c: Change) -> str:
    return f"Removed from the hub (it was {when_text_label(c.before)})."


def _text_change(what: str) -> Callable[[Change], str]:
    def sentence(c: Change) -> str:
        if not c.before:
            return f"New {what}: {c.after}."
        if not c.after:
            return f"{what.capitalize()} removed (it was {c.before})."
        return f"{what.capitalize()} changed from {c.before} to {c.after}."

    return sentence


SENTENCES: dict[str, Callable[[Change], str]] = {
    "added": _added,
    "moved": _moved,
    "cancelled": _cancelled,
    "removed": _removed,
    "guidance-changed": _text_change("guidance link"),
    "contact-changed": _text_change("contact details"),
}


@dataclass(frozen=True)
class ChangeRow:
    on: date
    headline: str  # "Example Awarding Body: Final claims deadline moved"
    sentence: str
    organisation_name: str
    url: str  # relative to the site's root; "" when the record has no page any more


@dataclass(frozen=True)
class ChangeDay:
    label: str
    anchor: str
    rows: tuple[ChangeRow, ...]


def render(hub: Hub) -> list[Output]:
    rows = change_rows(hub)
    return [page("changes/index.md", "changes.md.j2", root="../", days=change_days(rows))]


def public_changes(hub: Hub) -> list[RecordedChange]:
    """The changes readers are told of (``PUBLIC_CHANGE_KINDS``: not a date's new id),
    newest first by the moment each was recorded."""
    shown = [r for r in hub.changes if r.change.kind in PUBLIC_CHANGE_KINDS]
    return sorted(shown, key=lambda r: (recorded_at(r), *change_order(r)), reverse=True)


def recorded_at(recorded: RecordedChange) -> datetime:
    """The moment a change was recorded: midnight UK time of its day for changes recorded
    before moments were kept."""
    return recorded.at or datetime.combine(recorded.on, time(0), LONDON)


def change_rows(hub: Hub) -> list[ChangeRow]:
    """A row for each of :func:`public_changes`, in that order."""
    names = {o.id: o.name for o in hub.organisations} | {NATIONAL_ID: NATIONAL_NAME}
    return [change_row(hub, recorded, names) for recorded in public_changes(hub)]


def change_row(hub: Hub, recorded: RecordedChange, names: dict[str, str]) -> ChangeRow:
    c = recorded.change
    name = names.get(c.organisation_id, c.organisation_id)
    return ChangeRow(
        on=recorded.on,
        headline=f"{name}: {c.title} {VERBS[c.kind]}",
        sentence=SENTENCES[c.kind](c),
        organisation_name=name,
        url=record_url(hub, c),
    )


def record_url(hub: Hub, change: Change) -> str:
    """Where the changed record is now shown, relative to the site's root."""
    if change.organisation_id == NATIONAL_ID:
        present = any(d.id == change.record_id for d in hub.national.dates)
        return f"dates/#{NATIONAL_ID}-{change.record_id}" if present else "dates/"
    org = next((o for o in hub.organisations if o.id == change.organisation_id), None)
    if org is None:
        return ""
    anchors = {
        *(d.id for d in org.key_dates),
        *(f"guidance-{g.id}" for g in org.guidance),
        *(f"contact-{c.id}" for c in org.contacts),
    }
    prefix = {"guidance-changed": "guidance-", "contact-changed": "contact-"}.get(change.kind, "")
    anchor = prefix + change.record_id
    return f"organisations/{org.id}/" + (f"#{anchor}" if anchor in anchors else "")


def change_days(rows: Iterable[ChangeRow]) -> list[ChangeDay]:
    return [
        ChangeDay(govuk_date(on), f"changes-{on.isoformat()}", tuple(group))
        for on, group in groupby(rows, key=lambda row: row.on)
    ]
