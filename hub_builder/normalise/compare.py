"""What changed between two states of the hub: a pure comparison, no I/O, no rendering.

``compare(old, new)`` returns one frozen :class:`Change` per difference, sorted by
organisation, record and kind:

==================  ==========================================  =================  ============
kind                when                                        before             after
==================  ==========================================  =================  ============
added               a key date is new                           ``""``             its when
moved               a key date's start, end or time differs     old when           new when
cancelled           a key date's status became ``cancelled``    old status         cancelled
removed             a key date is gone                          its when           ``""``
renamed             a key date has a new id: one gone and one   old id             new id
                    new in the organisation, on the same when
guidance-changed    a guidance link's URL or title changed,     old URL (or "")    new URL
                    or the link was added or removed
contact-changed     a contact's email, phone, URL or hours      old details        new details
                    changed, or the contact was added or removed
==================  ==========================================  =================  ============

A "when" is ISO text (:func:`calendar.when_text`): ``2024-07-05``,
``2024-07-05/2024-07-08`` (an inclusive range), ``2024-07-05T23:59`` (a UK time on the
start). A date both moved and cancelled gives two changes. Titles and descriptions that
change alone are not changes here.

The comparison works on a :class:`HubState`, the few fields it needs, so a state kept
elsewhere (the committed history file) compares the same way as a whole hub:

    >>> def state(day: date) -> HubState:
    ...     when = DateState("Claims deadline", day, None, None, "confirmed")
    ...     return HubState({("pearson", "claims-2024"): when}, {}, {})
    >>> changes_between(state(date(2024, 6, 28)), state(date(2024, 7, 5)))
    ... # doctest: +NORMALIZE_WHITESPACE
    (Change(kind='moved', organisation_id='pearson', record_id='claims-2024',
            title='Claims deadline', before='2024-06-28', after='2024-07-05'),)

(``compare(old_hub, new_hub)`` is the same for two whole hubs.)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, time

from hub_builder.calendar import when_text
from hub_builder.link_policy import without_tracking
from hub_builder.model import CONTACT_ROLE_LABELS, Change, Contact, Hub, KeyDate

__all__ = [
    "Change",
    "DateState",
    "HubState",
    "RecordKey",
    "TextState",
    "changes_between",
    "compare",
    "hub_state",
]

RecordKey = tuple[str, str]  # (organisation id, record id)


@dataclass(frozen=True)
class DateState:
    title: str
    start: date
    end: date | None
    time: time | None
    status: str

    @property
    def when(self) -> str:
        return when_text(self.start, self.end, self.time)


@dataclass(frozen=True)
class TextState:
    """A guidance link or contact: its title and the one text whose change matters."""

    title: str
    value: str


@dataclass(frozen=True)
class HubState:
    """The comparable state of a hub. Treat the mappings as read-only."""

    dates: Mapping[RecordKey, DateState]
    guidance: Mapping[RecordKey, TextState]
    contacts: Mapping[RecordKey, TextState]


def compare(old: Hub, new: Hub) -> tuple[Change, ...]:
    """Every change from ``old`` to ``new``, sorted."""
    return changes_between(hub_state(old), hub_state(new))


def hub_state(hub: Hub) -> HubState:
    """The published dates, guidance and contacts; expected dates follow from the rules and
    the day, so they are not changes of their own."""
    dates = [*hub.national.dates, *(d for o in hub.organisations for d in o.published_dates)]
    return HubState(
        dates={(d.organisation_id, d.id): date_state(d) for d in dates},
        guidance={
            (o.id, g.id): TextState(g.title, g.url) for o in hub.organisations for g in o.guidance
        },
        contacts={(o.id, c.id): contact_state(c) for o in hub.organisations for c in o.contacts},
    )


def date_state(key_date: KeyDate) -> DateState:
    return DateState(key_date.title, key_date.start, key_date.end, key_date.time, key_date.status)


def contact_state(contact: Contact) -> TextState:
    title = CONTACT_ROLE_LABELS[contact.role] + (f": {contact.label}" if contact.label else "")
    details = (
        ("email", contact.email),
        ("phone", contact.phone),
        ("url", contact.url),
        ("hours", contact.hours),
    )
    return TextState(title, "; ".join(f"{name}: {value}" for name, value in details if value))


def changes_between(old: HubState, new: HubState) -> tuple[Change, ...]:
    changes = [
        *renamed(date_changes(old.dates, new.dates)),
        *text_changes("guidance-changed", _addresses(old.guidance), _addresses(new.guidance)),
        *text_changes("contact-changed", _addresses(old.contacts), _addresses(new.contacts)),
    ]
    return tuple(sorted(changes, key=lambda c: (c.organisation_id, c.record_id, c.kind)))


def date_changes(
    old: Mapping[RecordKey, DateState], new: Mapping[RecordKey, DateState]
) -> Iterator[Change]:
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before is None and after is not None:
            yield Change("added", *key, after.title, "", after.when)
        elif after is None and before is not None:
            yield Change("removed", *key, before.title, before.when, "")
        elif before is not None and after is not None:
            if before.when != after.when:
                yield Change("moved", *key, after.title, before.when, after.when)
            if after.status == "cancelled" and before.status != "cancelled":
                yield Change("cancelled", *key, after.title, before.status, after.status)


def _addresses(texts: Mapping[RecordKey, TextState]) -> dict[RecordKey, TextState]:
    """Guidance links and contacts by the pages they name: an address that only lost (or
    gained) its tracking parameters is the same (:func:`link_policy.without_tracking`)."""
    return {
        key: TextState(t.title, _WEB_ADDRESS.sub(lambda m: without_tracking(m[0]), t.value))
        for key, t in texts.items()
    }


_WEB_ADDRESS = re.compile(r"https://[^\s;]+")


def text_changes(
    kind: str, old: Mapping[RecordKey, TextState], new: Mapping[RecordKey, TextState]
) -> Iterator[Change]:
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        before_value = before.value if before else ""
        after_value = after.value if after else ""
        if before_value != after_value:
            title = (after or before or TextState("", "")).title
            yield Change(kind, *key, title, before_value, after_value)


def renamed(changes: Iterable[Change]) -> list[Change]:
    """The changes, with a date removed and one added in the same organisation on the same
    when (the only such pair there) taken as one date given a new id: ``renamed``, from the
    old id to the new, keeping its calendar event and its past changes."""
    found = list(changes)
    gone: dict[tuple[str, str], list[Change]] = defaultdict(list)
    new: dict[tuple[str, str], list[Change]] = defaultdict(list)
    for change in found:
        if change.kind == "removed":
            gone[(change.organisation_id, change.before)].append(change)
        elif change.kind == "added":
            new[(change.organisation_id, change.after)].append(change)
    pairs = {
        (before[0], after[0])
        for key, before in gone.items()
        if len(before) == 1 and len(after := new.get(key, [])) == 1
    }
    paired = {id(c) for pair in pairs for c in pair}
    return [
        *(c for c in found if id(c) not in paired),
        *(
            Change("renamed", a.organisation_id, a.record_id, a.title, r.record_id, a.record_id)
            for r, a in pairs
        ),
    ]
