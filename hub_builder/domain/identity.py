"""Each key date's identity in the calendars, and what the calendars cannot hold.

A date's calendar event keeps one UID in every file and every build:
``<organisation id>-<date id>@vtq-hub``, with the id the date was first recorded under
(:attr:`model.KeyDate.first_id`, set from the history when a date is renamed), so a
calendar app updates a moved or renamed date instead of adding it twice.

``clashes_of(hub)`` lists every key date a calendar would get wrong, with the reason: two
dates with one UID (``<organisation id>-<date id>`` can repeat when one organisation's id
continues another's), and a UK time that does not exist (the hour the clocks go forward).
``vtq-hub validate`` reports them at the lines of the source files, and the calendar
renderer refuses them, so a valid pull request always builds. Pure: it reads the model only,
so validation needs none of the renderers, and the renderers nothing of validation.

    >>> event_uid(key_date)                                           # doctest: +SKIP
    'ncfe-results-2026@vtq-hub'
    >>> clashes_of(hub)                                                # doctest: +SKIP
    []
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from hub_builder.calendar import exists_in_london
from hub_builder.model import NATIONAL_FILE, NATIONAL_ID, Hub, KeyDate

UID_DOMAIN = "vtq-hub"


def calendar_uid(key_date: KeyDate) -> str:
    """The date's calendar identity, which outlives a new id in its file (``renamed``
    changes): the ``uid`` of the id it was first recorded under."""
    return f"{key_date.organisation_id}-{key_date.first_id or key_date.id}"


def event_uid(key_date: KeyDate) -> str:
    """The date's calendar UID, the same in every file: ``<organisation id>-<date id>@vtq-hub``,
    with the id the date was first recorded under (:func:`calendar_uid`)."""
    return f"{calendar_uid(key_date)}@{UID_DOMAIN}"


def source_record(hub: Hub, key_date: KeyDate) -> str:
    """The source record behind a date, for messages: ``sources/organisations/ncfe.yaml: key
    date results-2026``."""
    if key_date.organisation_id == NATIONAL_ID:
        return f"{NATIONAL_FILE}: date {key_date.id}"
    org = hub.organisation(key_date.organisation_id)
    return f"{org.source_path}: key date {key_date.id}"


@dataclass(frozen=True)
class Clash:
    """A key date the calendars cannot hold as it is, and why (after the source record)."""

    key_date: KeyDate
    reason: str


def clashes_of(hub: Hub) -> list[Clash]:
    """What the calendar renderer refuses, one :class:`Clash` each; ``vtq-hub validate``
    reports the same at the lines of the source files, so a valid pull request always
    builds."""
    return [*uid_clashes(hub), *inexpressible_times(hub)]


def uid_clashes(hub: Hub) -> Iterator[Clash]:
    """Two dates with one UID: ``<organisation id>-<date id>`` can repeat when one
    organisation's id continues another's (``ncfe`` + ``tlevels-results`` and
    ``ncfe-tlevels`` + ``results``), or when a new date takes the id a renamed one had."""
    first: dict[str, KeyDate] = {}
    for key_date in hub.all_dates:
        identity = calendar_uid(key_date)
        earlier = first.setdefault(identity, key_date)
        if earlier is key_date and key_date.uid != identity:
            earlier = first.setdefault(key_date.uid, key_date)
        if earlier is not key_date:
            yield Clash(
                key_date,
                f"its calendar UID {event_uid(key_date)} is also the UID of "
                f"{source_record(hub, earlier)}; change one of the ids",
            )


def inexpressible_times(hub: Hub) -> Iterator[Clash]:
    """UK times that do not exist. Sources never give one (validation refuses it, and feeds
    read it an hour on), so this only guards the outputs."""
    for key_date in hub.all_dates:
        if key_date.time is None:
            continue
        if not exists_in_london(datetime.combine(key_date.start, key_date.time)):
            yield Clash(
                key_date,
                f"{key_date.time:%H:%M} on {key_date.start.isoformat()} does not exist in UK "
                "time (the clocks go forward then); choose another time",
            )
