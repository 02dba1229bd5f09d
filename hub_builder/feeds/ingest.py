"""The build's feed stage: declared feeds → key dates with provenance, and each feed's status.

    ingested = ingest(documents, today=built_at.date())   # reads snapshots, never the network
    hub = attach(normalise(documents, built_at), ingested)

Input: validated source documents. For a feed with a ``url`` the last good snapshot is read
(:mod:`snapshots`); for a feed with a ``path`` the committed file. Output:
:class:`Ingested`: key dates by organisation, a :class:`model.FeedStatus` per feed, and
problems. Problems in a committed file keep their severity, and say so: a bad entry is an
error to fix ("fix this entry"), which fails the build as a bad YAML file does. Problems in
a fetched snapshot are warnings, since the AO's server is not the pull request's fault: a
bad entry is "skipped" and the entries that could be read are kept.

Each entry becomes a :class:`model.KeyDate`: the id from the entry's UID (or its title and
start) with the feed's ``id_prefix``; the kind, groups and status the entry names, else the
feed's defaults; groups named by id or by name (an unknown one is a problem, and the entry
is left out rather than shown against every group).

:func:`attach` merges them into the organisations: a key date in the AO file wins over a feed
entry with the same id, and over one with the same title and dates; entries that are the same
date (title, start, end, time) are merged into one with their groups joined, not doubled; an
id that two different entries would share gets a short hash, so ids stay unique in the AO.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from hub_builder.calendar import academic_year_of
from hub_builder.errors import RefusedFile
from hub_builder.feeds import snapshots
from hub_builder.feeds.declared import FeedSpec, declared_feeds
from hub_builder.feeds.entries import FeedEntry, ParseContext, ParsedFeed, entry_id, short_hash
from hub_builder.feeds.formats import FORMATS, parse
from hub_builder.load import sources
from hub_builder.load.strict_yaml import Document
from hub_builder.model import FeedStatus, Hub, KeyDate, Provenance, date_order
from hub_builder.problems import Problem, Severity

NOT_FETCHED = "not fetched yet; run vtq-hub fetch"
ADDRESS_CHANGED = "the feed's address changed since the last fetch; run vtq-hub fetch"


@dataclass(frozen=True)
class Ingested:
    dates: Mapping[str, tuple[KeyDate, ...]]
    statuses: Mapping[str, tuple[FeedStatus, ...]]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Read:
    """One feed read at build time: what was parsed, from where, and how the feed stands."""

    parsed: ParsedFeed
    shown_path: str
    status: FeedStatus
    fetched_at: datetime | None
    severity: Severity | None


def ingest(documents: Iterable[Document], today: date) -> Ingested:
    context = ParseContext(today)
    dates: dict[str, tuple[KeyDate, ...]] = {}
    statuses: dict[str, tuple[FeedStatus, ...]] = {}
    problems: list[Problem] = []
    for document in documents:
        specs = [] if sources.is_national(document.path) else declared_feeds(document)
        if not specs:
            continue
        groups = _group_index(document)
        organisation_dates: list[KeyDate] = []
        organisation_statuses: list[FeedStatus] = []
        for spec in specs:
            read = (
                _read_local(spec, document, context) if spec.path else _read_fetched(spec, context)
            )
            if isinstance(read, Problem):
                problems.append(read)
                continue
            problems += _with_severity(read.parsed.problems, read.severity)
            made, mapping_problems = key_dates(spec, read, groups)
            organisation_dates += made
            problems += mapping_problems
            organisation_statuses.append(read.status)
        dates[document.data["id"]] = tuple(organisation_dates)
        statuses[document.data["id"]] = tuple(organisation_statuses)
    return Ingested(dates, statuses, tuple(problems))


def attach(hub: Hub, ingested: Ingested) -> Hub:
    """The hub with each organisation's feed dates merged in and its feed statuses set."""
    organisations = tuple(
        replace(
            org,
            key_dates=merged_dates(org.key_dates, ingested.dates.get(org.id, ())),
            feeds=ingested.statuses.get(org.id, ()),
        )
        if org.id in ingested.statuses
        else org
        for org in hub.organisations
    )
    return replace(hub, organisations=organisations)


def merged_dates(own: Iterable[KeyDate], from_feeds: Iterable[KeyDate]) -> tuple[KeyDate, ...]:
    own = list(own)
    taken_ids = {d.id for d in own}
    taken_dates = {_same_date(d) for d in own}
    merged: dict[tuple[object, ...], KeyDate] = {}
    for key_date in from_feeds:
        key = _same_date(key_date)
        if key_date.id in taken_ids or key in taken_dates:
            continue
        merged[key] = _join_groups(merged[key], key_date) if key in merged else key_date
    unique: list[KeyDate] = []
    for candidate in merged.values():
        key_date = candidate
        if key_date.id in taken_ids:
            digest = short_hash(key_date.title, key_date.start.isoformat(), str(key_date.end))
            key_date = replace(key_date, id=f"{key_date.id[:55]}-{digest}")
        taken_ids.add(key_date.id)
        unique.append(key_date)
    return tuple(sorted([*own, *unique], key=date_order))


def key_dates(
    spec: FeedSpec, read: _Read, groups: Mapping[str, str]
) -> tuple[list[KeyDate], list[Problem]]:
    made: list[KeyDate] = []
    problems: list[Problem] = []
    field = FORMATS[spec.format].groups_field
    for entry in read.parsed.entries:
        unknown = [name for name in entry.groups if _group_key(name) not in groups]
        if unknown:
            problems += _with_severity(
                [_unknown_group(read.shown_path, entry, field, name, groups) for name in unknown],
                read.severity,
            )
            continue
        named = tuple(sorted({groups[_group_key(name)] for name in entry.groups}))
        made.append(_key_date(spec, entry, named or spec.applies_to, read.fetched_at))
    return made, problems


def _key_date(
    spec: FeedSpec, entry: FeedEntry, applies_to: tuple[str, ...], fetched_at: datetime | None
) -> KeyDate:
    return KeyDate(
        organisation_id=spec.organisation_id,
        id=entry_id(entry, spec.id_prefix),
        title=entry.title,
        kind=entry.kind or spec.default_kind,
        start=entry.start,
        end=entry.end,
        time=entry.time,
        series="",
        academic_year=academic_year_of(entry.start),
        applies_to=applies_to,
        status=entry.status or spec.status,
        description=entry.description,
        source_url=entry.link or spec.source_url,
        confirmed_on=None,
        provenance=Provenance(spec.id, spec.address, fetched_at, entry.uid),
    )


# --- reading a feed -------------------------------------------------------------------------


def _read_local(spec: FeedSpec, document: Document, context: ParseContext) -> _Read | Problem:
    """A feed file committed with the sources: a regular file inside the sources folder,
    reached without a link (:func:`sources.read_feed_file`)."""
    target = Path(document.path).parent / spec.path
    try:
        content = sources.read_feed_file(spec.sources_dir, target)
    except RefusedFile as exc:
        return document.problem((*spec.field, "path"), f"'{spec.path}' is refused: {exc.reason}")
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror
        return document.problem((*spec.field, "path"), f"cannot read '{spec.path}': {reason}")
    shown = sources.display_path(target)
    parsed = parse(spec.format, content, shown, replace(context, committed=True))
    state, reason = ("ok", "") if parsed.entries else ("missing", parsed.unreadable_reason)
    status = FeedStatus(
        spec.id, spec.path, spec.format, state, len(parsed.entries), None, None, None, reason
    )
    return _Read(parsed, shown, status, None, None)


def _read_fetched(spec: FeedSpec, context: ParseContext) -> _Read | Problem:
    """The last good snapshot of a fetched feed, and how the feed stands; an error when a
    file of the snapshot is refused (a link, say), which no fetch can have written."""
    suffix = FORMATS[spec.format].suffix
    try:
        snapshot = snapshots.read_snapshot(spec.sources_dir, spec.organisation_id, spec.id, suffix)
    except RefusedFile as exc:  # never a fetch's fault: a pull request put it there
        return Problem(sources.display_path(Path(exc.path)), 1, 1, "", exc.reason)
    except snapshots.UnreadableSnapshot as exc:
        reason = f"its stored copy cannot be used: {exc}; run vtq-hub fetch"
        status = FeedStatus(spec.id, spec.url, spec.format, "missing", 0, None, None, None, reason)
        return _Read(ParsedFeed(()), "", status, None, Severity.WARNING)
    if snapshot is None or snapshot.body is None:
        reason = snapshot.meta.error if snapshot and snapshot.meta.error else NOT_FETCHED
        checked = snapshot.meta.checked_at if snapshot else None
        since = snapshot.meta.failing_since if snapshot else None
        status = FeedStatus(
            spec.id, spec.url, spec.format, "missing", 0, None, checked, since, reason
        )
        return _Read(ParsedFeed(()), "", status, None, Severity.WARNING)
    meta = snapshot.meta
    shown = sources.display_path(snapshot.body_path)
    parsed = parse(spec.format, snapshot.body, shown, context)
    reason = meta.error or ("" if meta.url == spec.url else ADDRESS_CHANGED)
    status = FeedStatus(
        id=spec.id,
        url=spec.url,
        format=spec.format,
        state="stale" if reason else "ok",
        entries=len(parsed.entries),
        fetched_at=meta.fetched_at,
        checked_at=meta.checked_at,
        failing_since=meta.failing_since if meta.error else None,
        reason=reason,
    )
    return _Read(parsed, shown, status, meta.fetched_at, Severity.WARNING)


# --- groups ---------------------------------------------------------------------------------


def _group_index(document: Document) -> dict[str, str]:
    """Group ids by id and by name (case and spacing ignored)."""
    index: dict[str, str] = {}
    for group in document.data.get("qualification_groups", ()):
        index[_group_key(group["name"])] = group["id"]
        index[_group_key(group["id"])] = group["id"]
    return index


def _group_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _unknown_group(
    shown: str, entry: FeedEntry, field: str, name: str, groups: Mapping[str, str]
) -> Problem:
    known = sorted({g for g in groups.values()})
    listed = (
        f"; expected the name or id of one of: {', '.join(known)}"
        if known
        else ("; the AO file defines no qualification_groups")
    )
    return Problem(shown, entry.line, 1, field, f"unknown qualification group '{name}'{listed}")


def _with_severity(problems: Iterable[Problem], severity: Severity | None) -> list[Problem]:
    return [replace(p, severity=severity) if severity else p for p in problems]


def _same_date(key_date: KeyDate) -> tuple[object, ...]:
    return (
        " ".join(key_date.title.split()).casefold(),
        key_date.start,
        key_date.end,
        key_date.time,
    )


def _join_groups(kept: KeyDate, other: KeyDate) -> KeyDate:
    if not kept.applies_to or not other.applies_to:
        return replace(kept, applies_to=())
    return replace(kept, applies_to=tuple(sorted({*kept.applies_to, *other.applies_to})))
