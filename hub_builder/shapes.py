"""The JSON shape of each of the model's records, written once.

:func:`key_date_json` is the one JSON shape of a :class:`model.KeyDate`: the fields of the
API's ``keyDate`` schema (``hub_builder/schema/api/defs.schema.json``), in that order. Every
output that gives a key date as a JSON object takes it from there: the API's organisation
files, ``dates.json`` (with the organisation's name added) and ``national.json`` whole,
``status.json`` the few fields of :data:`STATUS_DATE_FIELDS` (:func:`fields_of`).

Two records look like a key date and are not one: the comparable state of
:class:`normalise.compare.DateState` (title, when and status: what a change is measured
on) and, in ``sources/history.json``, that state as the history keeps it. They describe the
date as it was recorded, not the date, and keep their own smaller shape.

    >>> from datetime import date
    >>> shape = key_date_json(KeyDate("ncfe", "results-2026", "Results", "results-day",
    ...     date(2026, 8, 13), None, None, "", "2025-26", (), "confirmed", "",
    ...     "https://www.ncfe.org.uk/", None), [])
    >>> fields_of(shape, ("uid", "start", "end", "time"))
    {'uid': 'ncfe-results-2026', 'start': '2026-08-13', 'end': None, 'time': None}
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Any

from hub_builder.domain.identity import calendar_uid
from hub_builder.model import KeyDate, Quotation, RecordedChange, ResultsDay

Json = dict[str, Any]

#: What ``status.json`` gives of a key date.
STATUS_DATE_FIELDS = ("id", "title", "kind", "start", "end", "status", "source_url")
#: What ``status.json`` gives of a results day.
STATUS_RESULTS_DAY_FIELDS = ("id", "title", "date", "levels", "source_url")


def key_date_json(key_date: KeyDate, group_ids: list[str]) -> Json:
    """The key date as the API's ``keyDate`` schema gives it; ``group_ids`` are the groups
    it applies to (``applies_to`` resolved: every group of its organisation when it names
    none)."""
    return {
        "uid": key_date.uid,
        "calendar_uid": calendar_uid(key_date),
        "organisation_id": key_date.organisation_id,
        "id": key_date.id,
        "title": key_date.title,
        "kind": key_date.kind,
        "kind_label": key_date.kind_label,
        "start": key_date.start.isoformat(),
        "end": iso(key_date.end),
        "time": hh_mm(key_date.time),
        "series": key_date.series,
        "academic_year": key_date.academic_year,
        "applies_to": list(key_date.applies_to),
        "qualification_groups": group_ids,
        "status": key_date.status,
        "description": key_date.description,
        "source_url": key_date.source_url,
        "confirmed_on": iso(key_date.confirmed_on),
        "sequence": key_date.sequence,
        "changes": [change_json(c) for c in key_date.changes],
        "standing_rule": key_date.standing_rule,
        "inferred_from": quotation_json(key_date.inferred_from),
        "quote": quotation_json(key_date.quote),
        "yearly_key": key_date.yearly_key,
    }


def results_day_json(day: ResultsDay) -> Json:
    """A national results day as ``national.json`` gives it."""
    return {
        "id": day.id,
        "title": day.title,
        "date": day.date.isoformat(),
        "levels": list(day.levels),
        "series": day.series,
        "description": day.description,
        "source_url": day.source_url,
    }


def fields_of(shape: Json, fields: Iterable[str]) -> Json:
    """Some of a shape's fields, in the order given: a smaller view of the same record."""
    return {name: shape[name] for name in fields}


def change_json(recorded: RecordedChange) -> Json:
    """A recorded change as the API's ``change`` schema gives it."""
    change = recorded.change
    return {
        "on": recorded.on.isoformat(),
        "kind": change.kind,
        "organisation_id": change.organisation_id,
        "record_id": change.record_id,
        "title": change.title,
        "before": change.before,
        "after": change.after,
    }


def quotation_json(quotation: Quotation | None) -> Json | None:
    if quotation is None:
        return None
    return {
        "statement": quotation.statement,
        "source_url": quotation.source_url,
        "seen_on": iso(quotation.seen_on),
    }


def iso(day: date | None) -> str | None:
    """``YYYY-MM-DD``, or ``None`` for no day.

    >>> iso(date(2026, 8, 13)), iso(None)
    ('2026-08-13', None)
    """
    return day.isoformat() if day else None


def hh_mm(moment: time | None) -> str | None:
    """A UK time as the API writes it, ``HH:MM``, or ``None``.

    >>> hh_mm(time(23, 59)), hh_mm(None)
    ('23:59', None)
    """
    return moment.strftime("%H:%M") if moment else None
