"""What the calendars cannot hold, checked on the model before anything is rendered.

``clashes_of(hub)`` lists every key date a calendar would get wrong, with the reason: two
dates with one UID (``<organisation id>-<date id>@vtq-hub`` can repeat when one
organisation's id continues another's), and a UK time that does not exist (the hour the
clocks go forward). ``vtq-hub validate`` reports them at the lines of the source files, and
the calendar renderer refuses them, so a valid pull request always builds. Pure: it reads
the model only, so validation needs none of the renderers.

    >>> clashes_of(hub)                                                # doctest: +SKIP
    []
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from hub_builder.calendar import exists_in_london
from hub_builder.load.sources import NATIONAL_FILE
from hub_builder.model import NATIONAL_ID, Hub, KeyDate

UID_DOMAIN = "vtq-hub"


def source_record(hub: Hub, key_date: KeyDate) -> str:
    """The source record behind a date, for messages: ``sources/organisations/ncfe.yaml: key
    date results-2026``."""
    if key_date.organisation_id == NATIONAL_ID:
        return f"{NATIONAL_FILE}: date {key_date.id}"
    org = hub.organisation(key_date.organisation_id)
    return f"{org.source_path}: key date {key_date.id}"


def event_uid(key_date: KeyDate) -> str:
    """The date's calendar UID, the same in every file: ``<organisation id>-<date id>@vtq-hub``,
    with the id the date was first recorded under (:attr:`KeyDate.calendar_uid`)."""
    return f"{key_date.calendar_uid}@{UID_DOMAIN}"


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
        earlier = first.setdefault(key_date.calendar_uid, key_date)
        if earlier is key_date and key_date.uid != key_date.calendar_uid:
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
