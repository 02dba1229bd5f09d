"""The hub's one typed, immutable model: Hub → Organisation → QualificationGroup, KeyDate,
Guidance, Contact; plus the national calendar (results days, national dates, rules) and the
redirects from organisations' old ids.

Every stage after ``normalise`` reads these frozen dataclasses and nothing else. Collections
are tuples in a fixed order, so the same sources always give the same model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from hub_builder.problems import Places

KIND_LABELS = {
    "registration": "Registration",
    "entries": "Entries",
    "checkpoint": "Checkpoint",
    "assessment-window": "Assessment window",
    "claims": "Claims",
    "results-to-centres": "Results to centres",
    "results-to-learners": "Results to learners",
    "certificates": "Certificates",
    "post-results-services": "Post-results services",
    "resits": "Resits",
    "results-day": "Results day",
    "ucas-deadline": "UCAS deadline",
    "exam-series": "Exam series",
    "contingency-day": "Contingency day",
    "other": "Other",
}

AUDIENCE_LABELS = {
    "families": "Families",
    "learners": "Learners",
    "exams-officers": "Exams officers",
    "centres": "Centres",
}

CONTACT_ROLE_LABELS = {
    "results-enquiries": "Results enquiries",
    "exams-officer-helpdesk": "Exams officer helpdesk",
    "out-of-term": "Out-of-term contact",
    "customer-support": "Customer support",
    "other": "Other",
}

#: Ofqual's timely-results arrangements cover Level 3, Level 1/2 and Level 2 VTQs used for
#: progression ("Delivery of VTQ results for 2024 and beyond", 12 October 2023).
TIMELY_RESULTS_LEVELS = frozenset({"3", "1/2", "2"})

#: A key date's status. The first five are written in source files (``inferred``: worked
#: out from a general statement of the organisation's, never confirmed for the date itself);
#: ``expected`` is the hub's own, for a date worked out from an organisation's standing rule.
STATUS_LABELS = {
    "provisional": "Provisional",
    "confirmed": "Confirmed",
    "changed": "Changed",
    "cancelled": "Cancelled",
    "inferred": "Inferred",
    "expected": "Expected",
}

#: When a qualification group's results come out, as its evidence shows: on or before the
#: national results day for its level, or at the organisation's own timing (graded and
#: on-demand exams). A group with no evidence has no timing: the hub says it has not found it.
TIMINGS = ("results-day", "own-timing")

#: What a piece of evidence says, strongest first: the organisation's statement of when this
#: qualification's results were or are issued; a page naming the qualification, or its type,
#: as covered by Ofqual's timely-results arrangements; the organisation's own timing.
EVIDENCE_KINDS = ("practice", "scope", "timing")

#: Whose page a piece of evidence is: the organisation's own (named by its short name), or
#: the regulator's or the exam boards' joint council's.
SPEAKERS = {"organisation": "", "ofqual": "Ofqual", "jcq": "JCQ"}

#: The columns of Ofqual's "VTQ Information Hub: Key Dates" file, which the hub both reads
#: (a feed) and writes (each organisation's download), in Ofqual's order.
OFQUAL_CSV_COLUMNS = (
    "Event",
    "QualificationType",
    "AOQualificationGroup",
    "StartDate",
    "EndDate",
    "AdditionalDescription",
)

NATIONAL_ID = "national"
NATIONAL_NAME = "National calendar"  # how the national calendar is named wherever it is listed
NATIONAL_FILE = "national.yaml"  # its file in the sources folder (an organisation's: source_path)

CHANGE_KINDS = (
    "added",
    "moved",
    "cancelled",
    "removed",
    "renamed",
    "guidance-changed",
    "contact-changed",
)
#: The changes readers are told of (/changes/, the Atom feed): a date given a new id in its
#: file is the same date, so its calendar event and its changes carry over to the new id.
PUBLIC_CHANGE_KINDS = frozenset(CHANGE_KINDS) - {"renamed"}


@dataclass(frozen=True)
class Change:
    """One difference between two states of the hub (see :mod:`normalise.compare`).

    ``kind`` is one of ``CHANGE_KINDS``; ``record_id`` is a key date's, guidance link's or
    contact's id within ``organisation_id``. ``before`` and ``after`` are plain text, ``""``
    when there is none: for dates the ISO "when" of :func:`compare.when_text`
    (``2024-07-05T23:59``), a status for ``cancelled``, the old and new ids for ``renamed``
    (``record_id`` is the new one), a URL for guidance, a contact's details.
    """

    kind: str
    organisation_id: str
    record_id: str
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class RecordedChange:
    """A change as the history file keeps it: the day the hub recorded it, and the moment
    (``None`` for changes recorded before moments were kept)."""

    on: date
    change: Change
    at: datetime | None = None


@dataclass(frozen=True)
class Quotation:
    """An organisation's own words, and the page they are quoted from."""

    statement: str
    source_url: str
    seen_on: date | None = None  # the date the page shows, where it shows one


@dataclass(frozen=True)
class Evidence:
    """A public page's words on when a group's results come out (``EVIDENCE_KINDS``), whose
    page it is (``SPEAKERS``) and, for a stated practice, the summers it speaks of."""

    says: str
    quotation: Quotation
    by: str = "organisation"
    years: tuple[int, ...] = ()

    @property
    def strength(self) -> int:
        """0 is strongest: the organisation's own practice, then its scope, then a scope
        the regulator or the exam boards publish, then its own timing."""
        if self.says == "scope":
            return 1 if self.by == "organisation" else 2
        return 0 if self.says == "practice" else 3


@dataclass(frozen=True)
class ResultsTiming:
    """When a group's results come out (``TIMINGS``), from the evidence, strongest first;
    ``own_timing`` says the organisation's timing in a few words (``own-timing`` only)."""

    timing: str
    evidence: tuple[Evidence, ...]
    own_timing: str = ""


@dataclass(frozen=True)
class QualificationGroup:
    id: str
    name: str
    qualification_type: str
    levels: tuple[str, ...]
    qualification_numbers: tuple[str, ...]
    description: str
    source_url: str
    also_known_as: tuple[str, ...] = ()
    results: ResultsTiming | None = None  # None: no public page the hub holds says
    quote: Quotation | None = None  # the page's words behind the description

    @property
    def on_results_day(self) -> bool:
        """Whether the evidence puts the group's results on or before the results day for
        its level: the results-deadline check applies to it."""
        return self.results is not None and self.results.timing == "results-day"

    @property
    def timely_results_levels(self) -> tuple[str, ...]:
        """The group's levels with a national results day that its results fall on or
        before: none unless the evidence says so."""
        if not self.on_results_day:
            return ()
        return tuple(level for level in self.levels if level in TIMELY_RESULTS_LEVELS)


@dataclass(frozen=True)
class Provenance:
    """Where a key date taken from a feed came from: the feed, when it was fetched, which entry.

    ``fetched_at`` is None for a feed read from a file committed with the sources."""

    feed_id: str
    feed_url: str
    fetched_at: datetime | None
    entry_uid: str


@dataclass(frozen=True)
class KeyDate:
    """One dated event. ``end`` is inclusive; ``time`` is UK time on ``start``."""

    organisation_id: str
    id: str
    title: str
    kind: str
    start: date
    end: date | None
    time: time | None
    series: str
    academic_year: str
    applies_to: tuple[str, ...]
    status: str
    description: str
    source_url: str
    confirmed_on: date | None
    changes: tuple[RecordedChange, ...] = ()  # this date's recorded changes, oldest first
    unrecorded_changes: int = 0  # moves and cancellations since the recorded state
    first_id: str = ""  # the id it was first recorded under, when it has been renamed since
    provenance: Provenance | None = None
    standing_rule: str = ""  # the standing rule it was worked out from, or is the date of
    inferred_from: Quotation | None = None  # the general statement it follows from
    quote: Quotation | None = None  # the page's words behind the description
    yearly: str = ""  # the name the date has every year (model.yearly_key), when given

    @property
    def is_expected(self) -> bool:
        """Worked out from a standing rule, not published for its year."""
        return self.status == "expected"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def uid(self) -> str:
        """Globally unique and stable: the anchor on /dates/ and the calendar UID's stem."""
        return f"{self.organisation_id}-{self.id}"

    @property
    def yearly_key(self) -> str:
        """What makes it the same date as other years' (``checkpoint-1`` for
        ``checkpoint-1-2024-25`` and ``checkpoint-1-2025-26``): the ``yearly`` name its
        file gives, else the standing rule it is the date of, else its id without the year
        (:func:`without_year`)."""
        return self.yearly or self.standing_rule or without_year(self.id)

    @property
    def last_day(self) -> date:
        return self.end or self.start

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def applies_to_group(self, group_id: str) -> bool:
        """Whether the date applies to the group: it names the group, or names none."""
        return not self.applies_to or group_id in self.applies_to

    @property
    def sequence(self) -> int:
        """How often the date moved or was cancelled, its calendar SEQUENCE: the recorded
        changes, and those ``vtq-hub record-changes`` has not recorded yet (a preview or a
        local build), which it will record as exactly as many, so the number only rises."""
        recorded = sum(1 for c in self.changes if c.change.kind in ("moved", "cancelled"))
        return recorded + self.unrecorded_changes


@dataclass(frozen=True)
class Guidance:
    id: str
    title: str
    url: str
    audience: tuple[str, ...]
    topic: str
    summary: str

    @property
    def audience_labels(self) -> tuple[str, ...]:
        return tuple(AUDIENCE_LABELS[a] for a in self.audience)


@dataclass(frozen=True)
class Contact:
    id: str
    role: str
    label: str
    email: str
    phone: str
    url: str
    hours: str
    source_url: str

    @property
    def role_label(self) -> str:
        return CONTACT_ROLE_LABELS[self.role]

    @property
    def heading(self) -> str:
        """What a page calls the contact: ``'Customer support: Customer Support Centre'``,
        and a contact of no listed role by its label alone (``'Quality assurance'``)."""
        if self.role == "other" and self.label:
            return self.label
        return f"{self.role_label}: {self.label}" if self.label else self.role_label

    @property
    def phone_link(self) -> str:
        """The number as a ``tel:`` link wants it: digits and a leading +."""
        return "".join(c for c in self.phone if c.isdigit() or c == "+")


@dataclass(frozen=True)
class StandingRule:
    """A date an organisation states for every year, without the year: "between 1 March and
    30 April". ``start`` and ``end`` are (month, day); an end earlier in the calendar than
    the start falls in the next calendar year."""

    id: str
    title: str
    kind: str
    start: tuple[int, int]
    end: tuple[int, int] | None
    time: time | None
    applies_to: tuple[str, ...]
    wording: str
    description: str
    source_url: str

    def days_in(self, academic_year: str) -> tuple[date, date | None]:
        """The rule's first and last day in an academic year (``2026-27``)."""
        first_year = int(academic_year[:4])
        start = _day_in(first_year, self.start)
        if self.end is None:
            return start, None
        end = _day_in(first_year, self.end)
        if end < start:
            end = end.replace(year=end.year + 1)
        return start, end


def _day_in(first_year: int, month_day: tuple[int, int]) -> date:
    """The day of an academic year (1 September to 31 August) that falls on a month and day."""
    month, day = month_day
    return date(first_year if month >= 9 else first_year + 1, month, day)


@dataclass(frozen=True)
class Page:
    """A public page a source file cites; ``seen_on`` is the date of the version read."""

    url: str
    seen_on: date | None


FEED_STATES = ("ok", "stale", "missing")
FEED_FORMAT_LABELS = {
    "ics": "calendar (iCalendar)",
    "rss": "RSS",
    "atom": "Atom",
    "json": "JSON",
    "ofqual-csv": "Ofqual key-dates CSV",
}


@dataclass(frozen=True)
class FeedStatus:
    """How one declared feed stands at build time, from its snapshot's metadata.

    ``state`` is ``ok`` (the last fetch was good), ``stale`` (the last fetch failed or was
    suspect: the dates shown are from ``fetched_at``, the last good fetch) or ``missing``
    (never fetched successfully: no dates). ``failing_since`` is the first failure in the
    current run of failures; ``reason`` says what went wrong."""

    id: str
    url: str
    format: str
    state: str
    entries: int
    fetched_at: datetime | None
    checked_at: datetime | None
    failing_since: datetime | None
    reason: str

    @property
    def is_stale(self) -> bool:
        return self.state != "ok"

    @property
    def format_label(self) -> str:
        return FEED_FORMAT_LABELS[self.format]

    @property
    def link(self) -> str:
        """The feed's address as a link: https only (links are allowlisted)."""
        return self.url if self.url.startswith("https://") else ""


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str
    acronym: str
    recognition_number: str
    website: str
    source_url: str
    maintainers: tuple[str, ...]
    confirmed_on: date | None
    compiled_on: date
    qualification_groups: tuple[QualificationGroup, ...]
    key_dates: tuple[KeyDate, ...]
    guidance: tuple[Guidance, ...]
    contacts: tuple[Contact, ...]
    source_path: str
    feeds: tuple[FeedStatus, ...] = ()
    recognition_number_source: str = ""  # the page the RN was read on; "" when none is cited
    pages: tuple[Page, ...] = ()
    standing_rules: tuple[StandingRule, ...] = ()
    # Where each field of its source file is written: a problem found after normalising
    # (a Register finding, a calendar clash) is placed on its line.
    places: Places = field(default_factory=Places, compare=False, repr=False)

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    @cached_property
    def published_dates(self) -> tuple[KeyDate, ...]:
        """The dates the organisation published, not the expected ones."""
        return tuple(d for d in self.key_dates if not d.is_expected)

    @cached_property
    def expected_dates(self) -> tuple[KeyDate, ...]:
        return tuple(d for d in self.key_dates if d.is_expected)

    def group(self, group_id: str) -> QualificationGroup:
        return self._groups_by_id[group_id]

    @cached_property
    def _groups_by_id(self) -> dict[str, QualificationGroup]:
        return {g.id: g for g in self.qualification_groups}

    @property
    def quotations(self) -> tuple[Quotation, ...]:
        """Every page's words the entry quotes: results evidence, the words behind
        descriptions, and the statements dates are inferred from."""
        found: list[Quotation | None] = []
        for group in self.qualification_groups:
            found += [e.quotation for e in group.results.evidence] if group.results else []
            found.append(group.quote)
        for key_date in self.key_dates:
            found += [key_date.quote, key_date.inferred_from]
        return tuple(q for q in found if q is not None)

    def groups_for(self, key_date: KeyDate) -> tuple[QualificationGroup, ...]:
        """The groups a date applies to (:meth:`KeyDate.applies_to_group`), in the order
        the date names them."""
        if not key_date.applies_to:
            return self.qualification_groups
        return tuple(self.group(group_id) for group_id in key_date.applies_to)


@dataclass(frozen=True)
class ResultsDay:
    """A national results day; VTQ results at ``levels`` are due on or before it."""

    id: str
    title: str
    date: date
    levels: tuple[str, ...]
    series: str
    description: str
    source_url: str


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    summary: str
    published_on: date
    source_url: str


@dataclass(frozen=True)
class NationalCalendar:
    results_days: tuple[ResultsDay, ...]
    dates: tuple[KeyDate, ...]
    rules: tuple[Rule, ...]
    compiled_on: date
    pages: tuple[Page, ...] = ()
    featured: tuple[tuple[str, str], ...] = ()  # (organisation id, group id) the home page answers
    places: Places = field(default_factory=Places, compare=False, repr=False)  # as Organisation's


@dataclass(frozen=True)
class Redirect:
    """An organisation's old id (``sources/redirects.yaml``) and its id now."""

    old: str
    new: str


@dataclass(frozen=True)
class Hub:
    """Everything the site shows. ``built_at`` is the one clock every output reads.

    ``changes`` is the recorded history, newest first; ``source_revision`` names the sources'
    version (a git commit, or ``"unknown"``); ``site_url`` is the site's absolute address and
    ``repository`` the address of the repository that keeps it, when configured (``""``
    otherwise). All four are injected by the pipeline.
    """

    organisations: tuple[Organisation, ...]
    national: NationalCalendar
    built_at: datetime
    changes: tuple[RecordedChange, ...] = ()
    source_revision: str = "unknown"
    site_url: str = ""
    repository: str = ""
    report_email: str = ""  # where readers report a mistake, when the maintainers set one

    @property
    def today(self) -> date:
        return self.built_at.date()

    @cached_property
    def all_dates(self) -> tuple[KeyDate, ...]:
        """Every key date, national ones included, in date order."""
        dates = [*self.national.dates, *(d for o in self.organisations for d in o.key_dates)]
        return tuple(sorted(dates, key=date_order))

    def organisation(self, organisation_id: str) -> Organisation:
        return self._organisations_by_id[organisation_id]

    @cached_property
    def _organisations_by_id(self) -> dict[str, Organisation]:
        return {o.id: o for o in self.organisations}


# A year in a key date's id: 2026, 2025-26 or 2025-2026, with the hyphen before it.
_YEAR_IN_ID = re.compile(r"-(?:19|20)[0-9]{2}(?:-(?:[0-9]{2}|(?:19|20)[0-9]{2}))?(?=-|$)")


def without_year(date_id: str) -> str:
    """A key date's id without the year in it: what it is called every year.

    >>> without_year("btec-claims-deadline-june-2024"), without_year("checkpoint-1-2025-26")
    ('btec-claims-deadline-june', 'checkpoint-1')
    """
    return _YEAR_IN_ID.sub("", date_id).strip("-") or date_id


_YEAR_IN_TITLE = re.compile(r"\s*\b(?:19|20)[0-9]{2}(?:(?:-| to )(?:19|20)?[0-9]{2})?\b")


def title_without_year(title: str) -> str:
    """A key date's title without the year in it, for the same date in another year.

    >>> title_without_year("Access to scripts deadline, January 2026 series")
    'Access to scripts deadline, January series'
    >>> title_without_year("Autumn 2025 music exam bookings open")
    'Autumn music exam bookings open'
    """
    return _YEAR_IN_TITLE.sub("", title).strip(" ,") or title


def date_order(key_date: KeyDate) -> tuple[date, date, str, str]:
    return (key_date.start, key_date.last_day, key_date.organisation_id, key_date.id)


def academic_year_label(year: str) -> str:
    """``"2025-26"`` → ``"2025 to 2026"`` (GOV.UK style)."""
    return f"{year[:4]} to {year[:2]}{year[5:]}"
