"""Which awarding organisations to nudge, and what the nudge says.

Input: a :class:`status.StatusReport`. Output: one :class:`Nudge` per AO that is due, in the
report's order: its confirmation has lapsed (confirmed more than ``stale_after_days`` ago),
or its feed has been failing for more than ``feed_failing_after_days``. An entry the AO
has never confirmed is not due: it was compiled from public pages and nothing has lapsed.
Each nudge is a GitHub issue title (stable, so the daily run updates the same issue) and a
Markdown body that mentions the AO's maintainers. Pure: nothing is sent from here; the
``nudges`` workflow opens or edits the issues with ``gh``.

    >>> [n.title for n in nudges(report)]            # doctest: +SKIP
    ['Hub entry needs attention: Example Awarding Body']
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from hub_builder.formatting import govuk_date
from hub_builder.status.report import StatusReport, StatusRow

TITLE_PREFIX = "Hub entry needs attention: "


@dataclass(frozen=True)
class Nudge:
    organisation_id: str
    maintainers: tuple[str, ...]
    reasons: tuple[str, ...]
    title: str
    body: str


def nudges(report: StatusReport) -> list[Nudge]:
    return [nudge for row in report.rows if (nudge := nudge_for(row, report)) is not None]


def nudge_for(row: StatusRow, report: StatusReport) -> Nudge | None:
    reasons = due_reasons(row, report)
    if not reasons:
        return None
    org = row.organisation
    return Nudge(
        organisation_id=org.id,
        maintainers=org.maintainers,
        reasons=reasons,
        title=f"{TITLE_PREFIX}{org.name}",
        body=issue_body(row, reasons, report),
    )


def due_reasons(row: StatusRow, report: StatusReport) -> tuple[str, ...]:
    reasons = []
    c = row.confirmation
    if c.stale and c.confirmed_on is not None:
        reasons.append(
            f"The entry was last confirmed on {govuk_date(c.confirmed_on)}, {c.age_days} days "
            f"ago; entries are confirmed at least every {report.options.stale_after_days} days."
        )
    days = row.feed.days_failing
    if days is not None and days > report.options.feed_failing_after_days:
        detail = f" ({row.feed.detail})" if row.feed.detail else ""
        reasons.append(f"The feed has been failing for {days} days{detail}.")
    return tuple(reasons)


def issue_body(row: StatusRow, reasons: Sequence[str], report: StatusReport) -> str:
    org = row.organisation
    mentions = (
        " ".join(org.maintainers)
        if org.maintainers
        else "No maintainers are recorded for this entry, so the hub's editors will contact "
        f"{org.acronym or org.name}."
    )
    lines = [
        f"{mentions}",
        "",
        f"The VTQ Hub entry for {org.name} (`sources/organisations/{org.id}.yaml`) needs "
        f"attention, as of {govuk_date(report.today)}:",
        "",
        *(f"- {reason}" for reason in reasons),
        "",
        "To fix it, check the entry against your published dates, guidance and contacts, "
        "update anything that has changed, set `confirmed_on` to the day you checked, and open "
        "a pull request. This issue is updated every day while it stays due.",
        "",
        f"Status page: `status/#status-{org.id}`",
    ]
    return "\n".join(lines) + "\n"


def nudges_text(items: Sequence[Nudge]) -> str:
    """One block per nudge: the title, then the body."""
    if not items:
        return "No organisation is due a nudge.\n"
    return "\n".join(f"# {n.title}\n\n{n.body}" for n in items)


def nudges_json(items: Sequence[Nudge], report: StatusReport) -> str:
    document = {
        "today": report.today.isoformat(),
        "stale_after_days": report.options.stale_after_days,
        "feed_failing_after_days": report.options.feed_failing_after_days,
        "nudges": [
            {
                "organisation_id": n.organisation_id,
                "maintainers": list(n.maintainers),
                "reasons": list(n.reasons),
                "title": n.title,
                "body": n.body,
            }
            for n in items
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
