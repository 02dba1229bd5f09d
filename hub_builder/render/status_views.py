"""The status report as programs and people read it: JSON, and a plain-text table.

Input: a :class:`status.StatusReport`. Output: ``status_document(report)`` (plain data),
``status_json(report, generated_at)`` (that document in the API's envelope, as sorted,
indented JSON text that validates against ``api/v1/schema/status.schema.json``, published as
``api/v1/status.json`` by :mod:`api`) and
``status_table(report)`` (what ``vtq-hub report`` prints). Pure: nothing is written or
printed here.

    >>> print(status_table(report))            # doctest: +SKIP
    Status on 23 November 2026 for the summer 2027 series
    …
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from hub_builder.domain.results import Series
from hub_builder.formatting import govuk_date, govuk_range, plural, table
from hub_builder.model import KeyDate, ResultsDay, Rule
from hub_builder.shapes import (
    STATUS_DATE_FIELDS,
    STATUS_RESULTS_DAY_FIELDS,
    fields_of,
    iso,
    key_date_json,
    results_day_json,
)
from hub_builder.status.report import (
    DeadlineCheck,
    GroupDeadline,
    Outcome,
    StatusReport,
    StatusRow,
    outcome_label,
)

API_VERSION = 1


def status_json(report: StatusReport, generated_at: datetime, url: str | None = None) -> str:
    """The document in the API's envelope: ``api_version``, ``generated_at`` and ``url`` (the
    status page's address, when the site's is known)."""
    document = {
        "api_version": API_VERSION,
        "generated_at": generated_at.isoformat(),
        "url": url,
        "total": len(report.rows),
        **status_document(report),
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# JSON ----------------------------------------------------------------------------------------


def status_document(report: StatusReport) -> dict[str, Any]:
    return {
        "today": report.today.isoformat(),
        "stale_after_days": report.options.stale_after_days,
        "feed_failing_after_days": report.options.feed_failing_after_days,
        "rule": rule_json(report.rule) if report.rule else None,
        "series": series_document(report.series, report.results_days),
        "previous_series": series_document(report.previous_series, report.previous_results_days),
        "summary": {
            "organisations": len(report.rows),
            "at_risk": report.at_risk,
            "gaps": report.with_gaps,
            "on_track": report.on_track,
            "results_dates_published": report.results_dates_published,
            "findings": {
                code: sum(1 for r in report.rows if any(f.code == code for f in r.findings))
                for code in sorted({f.code for r in report.rows for f in r.findings})
            },
            "deadline": {
                outcome.value: sum(1 for r in report.rows if r.deadline.verdict is outcome)
                for outcome in Outcome
            },
        },
        "organisations": [row_document(row) for row in report.rows],
    }


def rule_json(rule: Rule) -> dict[str, str]:
    """Ofqual's rule as the JSON API gives it (in status.json and national.json)."""
    return {
        "id": rule.id,
        "title": rule.title,
        "summary": rule.summary,
        "published_on": rule.published_on.isoformat(),
        "source_url": rule.source_url,
    }


def series_document(series: Series, days: Sequence[ResultsDay]) -> dict[str, Any]:
    return {
        "label": series.label,
        "academic_year": series.academic_year,
        "completed": series.completed,
        "results_days": [results_day_document(d) for d in days],
    }


def results_day_document(day: ResultsDay) -> dict[str, Any]:
    return fields_of(results_day_json(day), STATUS_RESULTS_DAY_FIELDS)


def row_document(row: StatusRow) -> dict[str, Any]:
    org = row.organisation
    return {
        "id": org.id,
        "name": org.name,
        "recognition_number": org.recognition_number or None,
        "page": f"organisations/{org.id}/",
        "maintainers": list(org.maintainers),
        "state": row.state.value,
        "findings": [
            {"severity": f.severity.value, "code": f.code, "text": f.text} for f in row.findings
        ],
        "results_dates": [date_document(d) for d in row.results_dates],
        "expected_dates": [date_document(d) for d in row.expected_dates],
        "checkpoints_before_may": [date_document(d) for d in row.checkpoints],
        "out_of_term_contact": bool(row.out_of_term_contacts),
        "exams_officer_guidance": len(row.exams_officer_guidance),
        "confirmation": {
            "confirmed_on": iso(row.confirmation.confirmed_on),
            "compiled_on": row.confirmation.compiled_on.isoformat(),
            "age_days": row.confirmation.age_days,
            "stale": row.confirmation.stale,
        },
        "feed": {
            "state": row.feed.state.value,
            "since": iso(row.feed.since),
            "days_failing": row.feed.days_failing,
            "detail": row.feed.detail,
        },
        "links": {
            "checked": row.links.checked,
            "total": row.links.total,
            "unchecked": row.links.unchecked,
            "broken": [link_document(g.url, r.reason, r.allowlisted) for g, r in row.links.broken],
            "allowlisted": [
                link_document(g.url, r.reason, r.allowlisted) for g, r in row.links.allowlisted
            ],
        },
        "cited_pages": {
            "watched": len(row.watch.pages),
            "checked_at": row.watch.checked_at.isoformat() if row.watch.checked_at else None,
            "changed_since_compiled": [p.url for p in row.watch.changed_since_compiled],
            "gone": [p.url for p in row.watch.gone],
            "failing": [p.url for p in row.watch.failing],
        },
        "register": None
        if row.register is None
        else {
            "checked_on": row.register.checked_on.isoformat(),
            "problems": list(row.register.problems),
        },
        "deadline": deadline_document(row.deadline),
        "previous_deadline": deadline_document(row.previous_deadline),
    }


def date_document(key_date: KeyDate) -> dict[str, Any]:
    """A few fields of the key date's one shape (:func:`shapes.key_date_json`)."""
    return fields_of(key_date_json(key_date, []), STATUS_DATE_FIELDS)


def link_document(url: str, reason: str, allowlisted: str) -> dict[str, str]:
    return {"url": url, "reason": reason, "allowlisted": allowlisted}


def deadline_document(check: DeadlineCheck) -> dict[str, Any]:
    return {
        "series": check.series.label,
        "verdict": check.verdict.value,
        "groups": [group_document(g) for g in check.groups],
    }


def group_document(g: GroupDeadline) -> dict[str, Any]:
    return {
        "id": g.group.id,
        "name": g.group.name,
        "levels": list(g.levels),
        "results_day": None if g.results_day is None else results_day_document(g.results_day),
        "to_learners": None if g.to_learners is None else date_document(g.to_learners),
        "to_centres": None if g.to_centres is None else date_document(g.to_centres),
        "learners": g.learners.value,
        "centres": g.centres.value,
        "verdict": g.verdict.value,
    }


# Plain text ----------------------------------------------------------------------------------

TABLE_HEADINGS = (
    "Organisation",
    "State",
    "Results dates",
    "Checkpoint",
    "Published",
    "Expected",
    "Out-of-term",
    "EO guidance",
    "Confirmed",
    "Feed",
    "Broken links",
    "Deadline",
)


def status_table(report: StatusReport) -> str:
    """The status as ``vtq-hub report`` prints it: headline, table, reasons, deadline."""
    lines = [
        *headline(report),
        "",
        *table([TABLE_HEADINGS, *(table_cells(row, report.series) for row in report.rows)]),
        "",
        *reasons(report),
        *deadline_lines(report, report.series, report.results_days, current=True),
        *deadline_lines(report, report.previous_series, report.previous_results_days, False),
    ]
    return "\n".join(lines) + "\n"


def headline(report: StatusReport) -> list[str]:
    series = report.series
    lines = [
        f"Status on {govuk_date(report.today)} for the {series.label.lower()} series "
        f"(academic year {series.academic_year})",
        f"{plural(len(report.rows), 'organisation')}: {report.at_risk} at risk, "
        f"{report.with_gaps} incomplete, {report.on_track} on track.",
        f"Results dates published for {series.label.lower()}: "
        f"{report.results_dates_published} of {len(report.rows)}.",
        f"Results days: {results_days_text(report.results_days, series)}",
    ]
    if report.finding_counts:
        lines.append(f"Why, with the number of organisations: {findings_text(report)}.")
    if report.rule:
        lines.append(
            f"Rule: {report.rule.title} ({govuk_date(report.rule.published_on)}), "
            f"{report.rule.source_url}"
        )
    else:
        lines.append("Rule: none in the national calendar")
    return lines


def findings_text(report: StatusReport) -> str:
    return "; ".join(f"{label} ({count})" for label, count in report.finding_counts)


def results_days_text(days: Sequence[ResultsDay], series: Series) -> str:
    if not days:
        return f"not yet confirmed for {series.label.lower()} in the national calendar"
    return "; ".join(f"{d.title} {govuk_date(d.date)}" for d in days)


def table_cells(row: StatusRow, series: Series) -> tuple[str, ...]:
    return (
        row.organisation.name,
        row.state_label,
        f"{len(row.results_dates)} published" if row.results_dates else "not on the hub yet",
        govuk_date(row.checkpoints[0].start) if row.checkpoints else "none on the hub",
        str(published_this_year(row, series)),
        str(len(row.expected_dates)),
        "yes" if row.out_of_term_contacts else "no",
        str(len(row.exams_officer_guidance)),
        confirmed_text(row),
        feed_text(row),
        links_text(row),
        row.deadline.verdict_label.lower(),
    )


def published_this_year(row: StatusRow, series: Series) -> int:
    """The organisation's own dates in the series' academic year, expected ones apart."""
    return sum(
        1 for d in row.organisation.published_dates if d.academic_year == series.academic_year
    )


def confirmed_text(row: StatusRow) -> str:
    c = row.confirmation
    if c.confirmed_on is None:
        return "never"
    return f"{c.confirmed_on.isoformat()}{' (lapsed)' if c.stale else ''}"


def feed_text(row: StatusRow) -> str:
    if row.feed.days_failing is not None:
        return f"failing {row.feed.days_failing} days"
    return row.feed.label.lower()


def links_text(row: StatusRow) -> str:
    if not row.links.checked:
        return "not checked"
    return str(len(row.links.broken))


def reasons(report: StatusReport) -> list[str]:
    """Per organisation: what is missing or wrong, then what its standing rules lead the hub
    to expect (counted apart from what it has published)."""
    lines = []
    for row in report.rows:
        if row.findings or row.expected_dates:
            lines.append(f"{row.organisation.name} ({row.state_label.lower()}):")
            lines.extend(f"  - {f.severity.value}: {f.text}" for f in row.findings)
            lines.extend(
                f"  - expected: {d.title}, {date_text(d)} (from a standing rule; "
                "not published for this year)"
                for d in row.expected_dates
            )
    return [*lines, ""] if lines else []


def deadline_lines(
    report: StatusReport, series: Series, days: Sequence[ResultsDay], current: bool
) -> list[str]:
    title = "coming series" if current else "last completed series, for context"
    lines = [f"Results deadline, {series.label.lower()} ({title}):"]
    for row in report.rows:
        check = row.deadline if current else row.previous_deadline
        if not check.groups:
            lines.append(f"  {row.organisation.name}: {check.verdict_label.lower()}")
        for g in check.groups:
            lines.append(f"  {row.organisation.name}, {g.group.name}: {g.verdict_label.lower()}")
            lines.append(f"    {group_detail(g, series)}")
    return [*lines, ""]


def group_detail(g: GroupDeadline, series: Series) -> str:
    day = (
        f"{g.results_day.title} {govuk_date(g.results_day.date)}"
        if g.results_day
        else "no results day on the hub yet"
    )
    return (
        f"level {', '.join(g.levels) or 'not recorded'}; {day}; "
        f"to centres {date_text(g.to_centres)} ({outcome_label(series, g.centres).lower()}); "
        f"to learners {date_text(g.to_learners)} ({outcome_label(series, g.learners).lower()})"
    )


def date_text(key_date: KeyDate | None) -> str:
    return "-" if key_date is None else govuk_range(key_date.start, key_date.end)
