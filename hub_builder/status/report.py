"""Is results delivery on track? One row per awarding organisation, for exams officers,
awarding organisations and Ofqual.

Input: a :class:`model.Hub`, what the checks outside the build found (:class:`StatusInputs`:
the link report, the Ofqual Register cross-check, feed health; each optional) and
:class:`StatusOptions` (how old a confirmation, how long a feed failure, may be).
Output: a frozen :class:`StatusReport`, rows sorted by state (at risk, gaps, on track), then
name. Pure: no I/O; the only clock is ``hub.today``.

The results-deadline check takes its facts from the sources, never from code, through the
rules of :mod:`domain.results` (the coming summer series and its results days); the rule
shown is the national calendar's latest published rule. For every qualification group whose
evidence puts its results on or before a national results day
(``QualificationGroup.on_results_day``), results to learners must fall on or before the
results day for the group's level, and results to centres before it. A group
that spans levels is checked once for each results day its levels have (Level 3 against the
Level 3 day, Level 1/2 and Level 2 against the GCSE and Level 2 day); levels Ofqual's
arrangements do not cover (Level 1, Level 4) have no deadline. Expected dates (from
standing rules) are counted apart from published ones: they say what a rule implies, not
what the organisation has published.

    >>> report = status_report(hub)                      # doctest: +SKIP
    >>> [(row.organisation.id, row.state.value) for row in report.rows]  # doctest: +SKIP
    [('example-awarding-body', 'at-risk')]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property

from hub_builder.domain.results import (
    LevelSets,
    Series,
    coming_summer,
    level_sets,
    results_day_for,
    results_days_in,
    split_by_day,
)
from hub_builder.formatting import govuk_date, govuk_range
from hub_builder.model import (
    TIMELY_RESULTS_LEVELS,
    Contact,
    FeedStatus,
    Guidance,
    Hub,
    KeyDate,
    Organisation,
    QualificationGroup,
    ResultsDay,
    Rule,
)
from hub_builder.status.watch import PageRecord, WatchRecord

#: An AO that confirms its entry once a term (every four months or so) is never flagged;
#: one that has let a whole term and a holiday pass without confirming is.
DEFAULT_STALE_AFTER_DAYS = 120
#: A feed that has failed for a week of daily runs is a risk, not a blip.
DEFAULT_FEED_FAILING_AFTER_DAYS = 7

RESULTS_KINDS = ("results-to-centres", "results-to-learners")


class Outcome(StrEnum):
    """What one comparison (or a group, or an AO) came to, worst first."""

    MISSED = "missed"
    NOT_PUBLISHED = "not-published"
    NO_LEVEL = "no-level"
    NO_RESULTS_DAY = "no-results-day"
    NO_GROUPS = "no-groups"
    MET = "met"


OUTCOME_ORDER = tuple(Outcome)

OUTCOME_LABELS = {
    Outcome.MET: "Met",
    Outcome.MISSED: "Missed",
    Outcome.NOT_PUBLISHED: "Not on the hub yet",
    Outcome.NO_RESULTS_DAY: "Results day not yet confirmed",
    Outcome.NO_LEVEL: "No results day for its level",
    Outcome.NO_GROUPS: "No groups with results on a national results day",
}
#: For a series that is over, "not yet" is no longer true.
PAST_OUTCOME_LABELS = {**OUTCOME_LABELS, Outcome.NOT_PUBLISHED: "Not found on the hub"}


class State(StrEnum):
    AT_RISK = "at-risk"
    GAPS = "gaps"
    ON_TRACK = "on-track"


STATE_LABELS = {State.AT_RISK: "At risk", State.GAPS: "Incomplete", State.ON_TRACK: "On track"}


class Concern(StrEnum):
    RISK = "risk"
    GAP = "gap"


#: Each kind of finding as the summary counts it: "9 AOs: no results dates on the hub yet".
FINDING_SUMMARIES = {
    "deadline-missed": "miss the results deadline",
    "confirmation-lapsed": "confirmation lapsed",
    "feed-failing": "feed failing",
    "no-checkpoint": "no checkpoint before May",
    "no-results-dates": "no results dates on the hub yet",
    "results-date-missing": "some results dates missing",
    "no-level": "a group at a level with no results deadline",
    "no-groups": "no groups with results on a national results day",
    "no-out-of-term-contact": "no out-of-term contact",
    "no-exams-officer-guidance": "no guidance for exams officers",
    "never-confirmed": "not yet checked by the AO",
    "broken-link": "broken guidance links",
    "register": "disagree with the Ofqual Register",
}


class FeedState(StrEnum):
    NONE = "no-feed"
    HEALTHY = "healthy"
    FAILING = "failing"


FEED_LABELS = {
    FeedState.NONE: "No feed",
    FeedState.HEALTHY: "Healthy",
    FeedState.FAILING: "Failing",
}


# Inputs from the checks that run outside the build -----------------------------------------


@dataclass(frozen=True)
class LinkResult:
    """The last check of one URL: ``redirects`` lists each hop's target, ``final_url`` the
    last; ``allowlisted`` holds the reason when the URL is known to be flaky."""

    url: str
    ok: bool
    status: int | None
    reason: str
    checked_on: date
    final_url: str = ""
    redirects: tuple[str, ...] = ()
    allowlisted: str = ""


@dataclass(frozen=True)
class RegisterCheck:
    """What the Ofqual Register snapshot says about one AO: each disagreement in words, and
    whether it gives the AO's recognition number as the AO's."""

    checked_on: date
    problems: tuple[str, ...]
    recognition_number_confirmed: bool = False


@dataclass(frozen=True)
class StatusInputs:
    """``links`` and ``register`` are None when never checked. Feed health comes from the
    model (``Organisation.feeds``, read from the feed snapshots by the build)."""

    links: Mapping[str, LinkResult] | None = None
    register: Mapping[str, RegisterCheck] | None = None
    watch: Mapping[str, WatchRecord] | None = None  # by organisation id (vtq-hub watch)


@dataclass(frozen=True)
class StatusOptions:
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS
    feed_failing_after_days: int = DEFAULT_FEED_FAILING_AFTER_DAYS


# The report ----------------------------------------------------------------------------------


def outcome_label(series: Series, outcome: Outcome) -> str:
    """How an outcome is said for a series: "not yet" only while it is still to come."""
    return (PAST_OUTCOME_LABELS if series.completed else OUTCOME_LABELS)[outcome]


@dataclass(frozen=True)
class GroupDeadline:
    """One in-scope group, at the levels one results day covers, in one series."""

    group: QualificationGroup
    levels: tuple[str, ...]
    results_day: ResultsDay | None
    to_learners: KeyDate | None
    to_centres: KeyDate | None
    learners: Outcome
    centres: Outcome
    verdict: Outcome
    learners_label: str
    centres_label: str
    verdict_label: str


@dataclass(frozen=True)
class DeadlineCheck:
    series: Series
    groups: tuple[GroupDeadline, ...]
    verdict: Outcome
    verdict_label: str

    @property
    def group_counts(self) -> tuple[tuple[str, int], ...]:
        """How many of its groups (at each level) had each verdict: ``(("Met", 2),)``."""
        counts: dict[str, int] = {}
        for g in self.groups:
            counts[g.verdict_label] = counts.get(g.verdict_label, 0) + 1
        return tuple(sorted(counts.items()))


@dataclass(frozen=True)
class Confirmation:
    confirmed_on: date | None
    compiled_on: date
    age_days: int | None
    stale: bool


@dataclass(frozen=True)
class LinkHealth:
    checked: bool
    total: int
    broken: tuple[tuple[Guidance, LinkResult], ...]
    allowlisted: tuple[tuple[Guidance, LinkResult], ...]
    unchecked: int


@dataclass(frozen=True)
class WatchHealth:
    """What the watcher recorded of the pages an organisation's entry cites: when it last
    recorded a check, and how many pages changed after the entry was compiled (their facts
    may be out of date), are gone or cannot be read."""

    pages: Mapping[str, PageRecord]  # by address; empty when never watched
    checked_at: datetime | None
    changed_since_compiled: tuple[PageRecord, ...]
    gone: tuple[PageRecord, ...]
    failing: tuple[PageRecord, ...]


def watch_health(org: Organisation, record: WatchRecord | None) -> WatchHealth:
    pages = dict(record.pages) if record else {}
    return WatchHealth(
        pages=pages,
        checked_at=record.checked_at if record else None,
        changed_since_compiled=tuple(
            p
            for p in pages.values()
            if p.state == "ok" and p.changed_at and p.changed_at.date() > org.compiled_on
        ),
        gone=tuple(p for p in pages.values() if p.state == "gone"),
        failing=tuple(p for p in pages.values() if p.state == "failing"),
    )


@dataclass(frozen=True)
class FeedHealth:
    state: FeedState
    since: date | None
    days_failing: int | None
    detail: str

    @property
    def label(self) -> str:
        return FEED_LABELS[self.state]


@dataclass(frozen=True)
class Finding:
    severity: Concern
    code: str
    text: str


@dataclass(frozen=True)
class StatusRow:
    organisation: Organisation
    state: State
    findings: tuple[Finding, ...]
    results_dates: tuple[KeyDate, ...]
    checkpoints: tuple[KeyDate, ...]
    expected_dates: tuple[KeyDate, ...]
    out_of_term_contacts: tuple[Contact, ...]
    exams_officer_guidance: tuple[Guidance, ...]
    confirmation: Confirmation
    feed: FeedHealth
    links: LinkHealth
    register: RegisterCheck | None
    watch: WatchHealth
    deadline: DeadlineCheck
    previous_deadline: DeadlineCheck

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class StatusReport:
    today: date
    options: StatusOptions
    series: Series
    previous_series: Series
    results_days: tuple[ResultsDay, ...]
    previous_results_days: tuple[ResultsDay, ...]
    rule: Rule | None
    rows: tuple[StatusRow, ...]

    def row(self, organisation_id: str) -> StatusRow:
        return self.rows_by_id[organisation_id]

    @cached_property
    def rows_by_id(self) -> dict[str, StatusRow]:
        return {r.organisation.id: r for r in self.rows}

    def count(self, state: State) -> int:
        return sum(1 for row in self.rows if row.state is state)

    @property
    def at_risk(self) -> int:
        return self.count(State.AT_RISK)

    @property
    def with_gaps(self) -> int:
        return self.count(State.GAPS)

    @property
    def on_track(self) -> int:
        return self.count(State.ON_TRACK)

    @property
    def finding_counts(self) -> tuple[tuple[str, int], ...]:
        """How many AOs have each kind of finding: risks first, then the commonest."""
        counts: dict[tuple[int, str], int] = {}
        for row in self.rows:
            for key in {(tuple(Concern).index(f.severity), f.code) for f in row.findings}:
                counts[key] = counts.get(key, 0) + 1
        order = list(FINDING_SUMMARIES)
        ordered = sorted(
            counts.items(), key=lambda item: (item[0][0], -item[1], order.index(item[0][1]))
        )
        return tuple((FINDING_SUMMARIES[code], count) for (_, code), count in ordered)

    @property
    def results_dates_published(self) -> int:
        return sum(1 for row in self.rows if row.results_dates)

    @property
    def expected_count(self) -> int:
        """Dates in the coming series expected from standing rules, not published."""
        return sum(len(row.expected_dates) for row in self.rows)


# Building it -------------------------------------------------------------------------------


def status_report(
    hub: Hub, inputs: StatusInputs | None = None, options: StatusOptions | None = None
) -> StatusReport:
    inputs = inputs or StatusInputs()
    options = options or StatusOptions()
    series = coming_summer(hub.today)
    previous = Series(series.year - 1, completed=True)
    days = results_days_in(hub.national.results_days, series)
    previous_days = results_days_in(hub.national.results_days, previous)
    scope = level_sets(hub.national.results_days)
    rows = [
        status_row(
            hub.today, org, inputs, options, (series, days), (previous, previous_days), scope
        )
        for org in hub.organisations
    ]
    rows.sort(key=lambda r: (tuple(State).index(r.state), r.organisation.name.casefold()))
    return StatusReport(
        today=hub.today,
        options=options,
        series=series,
        previous_series=previous,
        results_days=days,
        previous_results_days=previous_days,
        rule=latest_rule(hub.national.rules, hub.today),
        rows=tuple(rows),
    )


def latest_rule(rules: Iterable[Rule], today: date) -> Rule | None:
    published = [r for r in rules if r.published_on <= today]
    return max(published, key=lambda r: (r.published_on, r.id), default=None)


SeriesDays = tuple[Series, tuple[ResultsDay, ...]]


def status_row(
    today: date,
    org: Organisation,
    inputs: StatusInputs,
    options: StatusOptions,
    coming: SeriesDays,
    previous: SeriesDays,
    scope: LevelSets,
) -> StatusRow:
    series = coming[0]
    in_series = [d for d in org.published_dates if series.holds(d) and d.status != "cancelled"]
    results = tuple(d for d in in_series if d.kind in RESULTS_KINDS)
    checkpoints = tuple(
        d for d in in_series if d.kind == "checkpoint" and d.start < series.checkpoint_by
    )
    expected = tuple(d for d in org.expected_dates if series.holds(d))
    out_of_term = tuple(c for c in org.contacts if c.role == "out-of-term")
    guidance = tuple(g for g in org.guidance if "exams-officers" in g.audience)
    confirmation = confirmation_of(org, today, options)
    feed = feed_status(org.feeds, today)
    links = link_health(org, inputs.links)
    register = None if inputs.register is None else inputs.register.get(org.id)
    deadline = deadline_check(org, *coming, scope)
    findings = tuple(
        sorted(
            [
                *deadline_findings(deadline, results),
                *checkpoint_findings(series, checkpoints, expected, today),
                *presence_findings(out_of_term, guidance),
                *confirmation_findings(confirmation, options),
                *feed_findings(feed, options),
                *link_findings(links),
                *register_findings(register),
            ],
            key=lambda f: tuple(Concern).index(f.severity),
        )
    )
    return StatusRow(
        organisation=org,
        state=state_of(findings),
        findings=findings,
        results_dates=results,
        checkpoints=checkpoints,
        expected_dates=expected,
        out_of_term_contacts=out_of_term,
        exams_officer_guidance=guidance,
        confirmation=confirmation,
        feed=feed,
        links=links,
        register=register,
        watch=watch_health(org, (inputs.watch or {}).get(org.id)),
        deadline=deadline,
        previous_deadline=deadline_check(org, *previous, scope),
    )


def state_of(findings: Sequence[Finding]) -> State:
    if any(f.severity is Concern.RISK for f in findings):
        return State.AT_RISK
    return State.GAPS if findings else State.ON_TRACK


# The results-deadline check ----------------------------------------------------------------


def deadline_check(
    org: Organisation, series: Series, days: Sequence[ResultsDay], scope: LevelSets
) -> DeadlineCheck:
    dates = standing_series_dates(org, series)
    groups = tuple(
        group_deadline(group, levels, dates.get(group.id, []), series, days)
        for group in org.qualification_groups
        if group.on_results_day
        for levels in levels_checked(group, scope)
    )
    verdict = worst(g.verdict for g in groups) if groups else Outcome.NO_GROUPS
    return DeadlineCheck(series, groups, verdict, outcome_label(series, verdict))


def levels_checked(group: QualificationGroup, scope: LevelSets) -> list[tuple[str, ...]]:
    """The group's levels under Ofqual's arrangements, split by the results day they share;
    the group's own levels, once, when none is covered (it then has no deadline)."""
    covered = group.timely_results_levels
    return split_by_day(covered, scope) if covered else [group.levels]


def standing_series_dates(org: Organisation, series: Series) -> dict[str, list[KeyDate]]:
    """The series' published dates that stand (not cancelled), under each group they apply
    to."""
    found: dict[str, list[KeyDate]] = {}
    for key_date in org.published_dates:
        if series.holds(key_date) and key_date.status != "cancelled":
            for group in org.groups_for(key_date):
                found.setdefault(group.id, []).append(key_date)
    return found


def group_deadline(
    group: QualificationGroup,
    levels: tuple[str, ...],
    dates: Sequence[KeyDate],
    series: Series,
    days: Sequence[ResultsDay],
) -> GroupDeadline:
    to_learners = latest(d for d in dates if d.kind == "results-to-learners")
    to_centres = latest(d for d in dates if d.kind == "results-to-centres")
    day = results_day_for(levels, days)
    if not TIMELY_RESULTS_LEVELS.intersection(levels):
        learners = centres = verdict = Outcome.NO_LEVEL
    else:
        learners = outcome_of(to_learners, day, on_or_before=True)
        centres = outcome_of(to_centres, day, on_or_before=False)
        verdict = worst((learners, centres))
    labels = (outcome_label(series, o) for o in (learners, centres, verdict))
    return GroupDeadline(
        group, levels, day, to_learners, to_centres, learners, centres, verdict, *labels
    )


def latest(dates: Iterable[KeyDate]) -> KeyDate | None:
    return max(dates, key=lambda d: (d.last_day, d.id), default=None)


def outcome_of(key_date: KeyDate | None, day: ResultsDay | None, *, on_or_before: bool) -> Outcome:
    if key_date is None:
        return Outcome.NOT_PUBLISHED
    if day is None:
        return Outcome.NO_RESULTS_DAY
    last = key_date.last_day
    met = last <= day.date if on_or_before else last < day.date
    return Outcome.MET if met else Outcome.MISSED


def worst(outcomes: Iterable[Outcome]) -> Outcome:
    return min(outcomes, key=OUTCOME_ORDER.index)


# Findings: each says what is wrong in words a reader takes in at a glance -----------------


def deadline_findings(deadline: DeadlineCheck, results: Sequence[KeyDate]) -> Iterable[Finding]:
    label = deadline.series.label
    if deadline.verdict is Outcome.NO_GROUPS:
        yield Finding(Concern.GAP, "no-groups", "No qualification group whose results a page "
                      "puts on a national results day, so the results deadline cannot be "
                      "checked")  # fmt: skip
    for g in deadline.groups:
        if g.learners is Outcome.MISSED and g.to_learners and g.results_day:
            yield Finding(
                Concern.RISK,
                "deadline-missed",
                f"{group_label(g)}: results to learners {date_span(g.to_learners)}, after "
                f"{g.results_day.title} ({govuk_date(g.results_day.date)})",
            )
        if g.centres is Outcome.MISSED and g.to_centres and g.results_day:
            yield Finding(
                Concern.RISK,
                "deadline-missed",
                f"{group_label(g)}: results to centres {date_span(g.to_centres)}, not before "
                f"{g.results_day.title} ({govuk_date(g.results_day.date)})",
            )
        if g.verdict is Outcome.NO_LEVEL:
            level = (
                f"Ofqual's results deadline does not cover level {', '.join(g.levels)}"
                if g.levels
                else "level not recorded"
            )
            yield Finding(
                Concern.GAP,
                "no-level",
                f"{group_label(g)}: {level}",
            )
    if not results:
        yield Finding(
            Concern.GAP, "no-results-dates", f"No {label.lower()} results dates on the hub yet"
        )
        return
    for g in deadline.groups:
        missing = [
            name
            for name, outcome in (("learners", g.learners), ("centres", g.centres))
            if outcome is Outcome.NOT_PUBLISHED
        ]
        if missing:
            yield Finding(
                Concern.GAP,
                "results-date-missing",
                f"{group_label(g)}: no {label.lower()} date for results to "
                f"{' or to '.join(missing)} on the hub yet",
            )


def checkpoint_findings(
    series: Series, checkpoints: Sequence[KeyDate], expected: Sequence[KeyDate], today: date
) -> Iterable[Finding]:
    """No published checkpoint before May is a gap, and a risk once May has come; a
    checkpoint expected from a standing rule keeps it a gap, and says so."""
    if checkpoints:
        return
    rule = next(
        (d for d in expected if d.kind == "checkpoint" and d.start < series.checkpoint_by), None
    )
    text = f"No term-time checkpoint before May {series.year} on the hub yet"
    if rule is not None:
        text += f" (one is expected {date_span(rule)}, from a standing rule)"
    past = today >= series.checkpoint_by and rule is None
    yield Finding(Concern.RISK if past else Concern.GAP, "no-checkpoint", text)


def presence_findings(
    out_of_term: Sequence[Contact], guidance: Sequence[Guidance]
) -> Iterable[Finding]:
    if not out_of_term:
        yield Finding(Concern.GAP, "no-out-of-term-contact", "No out-of-term contact on the hub")
    if not guidance:
        yield Finding(Concern.GAP, "no-exams-officer-guidance", "No guidance for exams officers")


def confirmation_of(org: Organisation, today: date, options: StatusOptions) -> Confirmation:
    if org.confirmed_on is None:
        return Confirmation(None, org.compiled_on, None, stale=False)
    age = (today - org.confirmed_on).days
    return Confirmation(org.confirmed_on, org.compiled_on, age, age > options.stale_after_days)


def confirmation_findings(c: Confirmation, options: StatusOptions) -> Iterable[Finding]:
    if c.confirmed_on is None:
        yield Finding(
            Concern.GAP,
            "never-confirmed",
            "Not yet checked by the AO: the hub compiled the entry from its public pages on "
            f"{govuk_date(c.compiled_on)}",
        )
    elif c.stale:
        yield Finding(
            Concern.RISK,
            "confirmation-lapsed",
            f"Last confirmed {govuk_date(c.confirmed_on)}, {c.age_days} days ago "
            f"(more than {options.stale_after_days})",
        )


def feed_status(feeds: Sequence[FeedStatus], today: date) -> FeedHealth:
    """One line for all an AO's feeds: failing when any is stale or missing, since the
    earliest failure, with each failing feed's reason."""
    if not feeds:
        return FeedHealth(FeedState.NONE, None, None, "")
    failing = [f for f in feeds if f.is_stale]
    if not failing:
        return FeedHealth(FeedState.HEALTHY, None, None, "")
    starts = [f.failing_since.date() for f in failing if f.failing_since is not None]
    since = min(starts, default=None)
    detail = "; ".join(f"{f.id}: {f.reason}" if len(feeds) > 1 else f.reason for f in failing)
    days = (today - since).days if since else None
    return FeedHealth(FeedState.FAILING, since, days, detail)


def feed_findings(feed: FeedHealth, options: StatusOptions) -> Iterable[Finding]:
    if feed.state is not FeedState.FAILING:
        return
    days = feed.days_failing or 0
    since = f" since {govuk_date(feed.since)} ({days} days)" if feed.since else ""
    detail = f": {feed.detail}" if feed.detail else ""
    severity = Concern.RISK if days > options.feed_failing_after_days else Concern.GAP
    yield Finding(severity, "feed-failing", f"Feed failing{since}{detail}")


def link_health(org: Organisation, links: Mapping[str, LinkResult] | None) -> LinkHealth:
    if links is None:
        return LinkHealth(False, len(org.guidance), (), (), len(org.guidance))
    found = [(g, links.get(g.url)) for g in org.guidance]
    failed = [(g, r) for g, r in found if r is not None and not r.ok]
    return LinkHealth(
        checked=True,
        total=len(found),
        broken=tuple((g, r) for g, r in failed if not r.allowlisted),
        allowlisted=tuple((g, r) for g, r in failed if r.allowlisted),
        unchecked=sum(1 for _, r in found if r is None),
    )


def link_findings(links: LinkHealth) -> Iterable[Finding]:
    for guidance, result in links.broken:
        yield Finding(
            Concern.GAP, "broken-link", f"Broken guidance link: {guidance.title} ({result.reason})"
        )


def register_findings(register: RegisterCheck | None) -> Iterable[Finding]:
    for problem in register.problems if register else ():
        yield Finding(Concern.GAP, "register", f"Ofqual Register: {problem}")


def group_label(g: GroupDeadline) -> str:
    """A group's name, with the levels checked when the group spans more than one day."""
    if tuple(g.levels) == tuple(g.group.levels):
        return g.group.name
    return f"{g.group.name} (level {', '.join(g.levels)})"


def date_span(key_date: KeyDate) -> str:
    """A date's days without its time: ``1 March to 30 April 2025``."""
    return govuk_range(key_date.start, key_date.end)
