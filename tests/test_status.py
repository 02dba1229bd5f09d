"""The status report: fixture hubs that meet, miss and omit the results deadline.

Whole outputs are compared with golden files in tests/fixtures/status/<hub>/; after a
reviewed change, regenerate them with ``UPDATE_GOLDEN=1 pytest tests/test_status.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from hub_builder import pipeline
from hub_builder.calendar import LONDON
from hub_builder.load.schemas import schema_text
from hub_builder.model import FeedStatus, Hub
from hub_builder.render.status_views import status_document
from hub_builder.status.nudges import nudges
from hub_builder.status.report import (
    FeedState,
    LinkResult,
    Outcome,
    RegisterCheck,
    State,
    StatusInputs,
    StatusOptions,
    StatusReport,
    status_report,
)
from tests.conftest import BUILT_AT, FIXTURES, ROOT, build_options
from tests.test_cli import vtq_hub
from tests.test_outputs_api import published_validator

STATUS_HUBS = FIXTURES / "status"
HUBS = ("meets", "misses", "omits")
TODAY = BUILT_AT.date().isoformat()


def hub_of(name: str, at: datetime = BUILT_AT) -> Hub:
    options = pipeline.BuildOptions(sources=STATUS_HUBS / name, clock=lambda: at)
    hub = pipeline.load_hub(options).hub
    return hub


def report_of(name: str, inputs: StatusInputs | None = None, **options: int) -> StatusReport:
    return status_report(hub_of(name), inputs, StatusOptions(**options))


def with_feed(hub: Hub, state: str, failing_since: date | None, reason: str = "") -> Hub:
    """The hub with one feed on its one AO, as the build reads it from the feed snapshot."""
    since = None if failing_since is None else datetime.combine(failing_since, time(6), LONDON)
    feed = FeedStatus(
        "dates", "https://example.org/dates.ics", "ics", state, 3, None, None, since, reason
    )
    [org] = hub.organisations
    return replace(hub, organisations=(replace(org, feeds=(feed,)),))


def golden(path: Path, actual: str) -> str:
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, "utf-8")
    return path.read_text("utf-8")


@pytest.mark.parametrize("name", HUBS)
def test_report_table_is_exactly_the_golden_file(name: str) -> None:
    result = vtq_hub("report", "--sources", str(STATUS_HUBS / name), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert result.stdout == golden(STATUS_HUBS / name / "expected-report.txt", result.stdout)


def api_status_validator() -> Draft202012Validator:
    """The packaged status schema, with the shared definitions it refers to."""
    names = ("status.schema.json", "defs.schema.json")
    schemas = {name: json.loads(schema_text(f"api/{name}")) for name in names}
    registry: Registry[Any] = Registry().with_resources(
        (name, Resource.from_contents(contents)) for name, contents in schemas.items()
    )
    Draft202012Validator.check_schema(schemas["status.schema.json"])
    return Draft202012Validator(schemas["status.schema.json"], registry=registry)


@pytest.mark.parametrize("name", HUBS)
def test_report_json_is_exactly_the_golden_file_and_valid(name: str) -> None:
    result = vtq_hub(
        "report", "--sources", str(STATUS_HUBS / name), "--today", TODAY, "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == golden(STATUS_HUBS / name / "expected-status.json", result.stdout)
    api_status_validator().validate(json.loads(result.stdout))


def test_a_hub_that_meets_the_deadline_is_on_track() -> None:
    row = report_of("meets").row("example-awarding-body")
    assert row.state is State.ON_TRACK and row.findings == ()
    assert row.deadline.verdict is Outcome.MET
    nationals, tech_awards = row.deadline.groups
    assert (nationals.group.id, nationals.results_day and nationals.results_day.date) == (
        "example-nationals",
        date(2027, 8, 12),
    )
    assert (tech_awards.results_day and tech_awards.results_day.date) == date(2027, 8, 19)
    # a group no page puts on a results day is kept out of the check
    assert "example-short-courses" not in {g.group.id for g in row.deadline.groups}


def test_a_hub_that_misses_the_deadline_is_at_risk_and_says_why() -> None:
    row = report_of("misses").row("example-awarding-body")
    assert row.state is State.AT_RISK
    nationals, tech_awards = row.deadline.groups
    # results to centres on results day itself is not "before" it
    assert (nationals.centres, nationals.learners) == (Outcome.MISSED, Outcome.MET)
    assert (tech_awards.centres, tech_awards.learners) == (Outcome.MET, Outcome.MISSED)
    assert [f.text for f in row.findings] == [
        "Example Nationals: results to centres 12 August 2027, not before "
        "Example Level 3 results day (12 August 2027)",
        "Example Tech Awards: results to learners 26 August 2027, after "
        "Example Level 2 results day (19 August 2027)",
        "Last confirmed 2 March 2026, 266 days ago (more than 120)",
    ]


def test_a_hub_that_omits_dates_is_not_yet_published_not_broken() -> None:
    report = report_of("omits")
    row = report.row("example-awarding-body")
    assert report.results_days == ()
    assert row.state is State.GAPS
    assert row.deadline.verdict is Outcome.NOT_PUBLISHED
    assert row.deadline.verdict_label == "Not on the hub yet"
    assert row.previous_deadline.verdict_label == "Not found on the hub"
    assert {f.code for f in row.findings} == {
        "no-results-dates",
        "no-out-of-term-contact",
        "never-confirmed",
    }


@pytest.mark.parametrize(("stale_after", "stale"), [(266, False), (265, True)])
def test_confirmation_lapses_after_the_configured_days(stale_after: int, stale: bool) -> None:
    row = report_of("misses", stale_after_days=stale_after).row("example-awarding-body")
    assert row.confirmation.age_days == 266  # confirmed 2 March 2026, built 23 November 2026
    assert row.confirmation.stale is stale
    assert ("confirmation-lapsed" in {f.code for f in row.findings}) is stale


def test_a_missing_checkpoint_becomes_a_risk_once_may_begins() -> None:
    hub = hub_of("omits")
    no_checkpoint = replace(
        hub, organisations=tuple(replace(o, key_dates=()) for o in hub.organisations)
    )
    before = status_report(no_checkpoint).row("example-awarding-body")
    may = replace(no_checkpoint, built_at=datetime(2027, 5, 1, 9, 0, tzinfo=LONDON))
    after = status_report(may).row("example-awarding-body")
    [before_finding] = [f for f in before.findings if f.code == "no-checkpoint"]
    [after_finding] = [f for f in after.findings if f.code == "no-checkpoint"]
    assert (before_finding.severity.value, after_finding.severity.value) == ("gap", "risk")
    assert after.state is State.AT_RISK


def test_feed_health_is_shown_and_a_long_failure_is_a_risk() -> None:
    failing = with_feed(hub_of("meets"), "stale", date(2026, 11, 13), "HTTP 500 from the feed")
    row = status_report(failing).row("example-awarding-body")
    assert (row.feed.state, row.feed.days_failing) == (FeedState.FAILING, 10)
    assert row.state is State.AT_RISK
    assert [f.text for f in row.findings] == [
        "Feed failing since 13 November 2026 (10 days): HTTP 500 from the feed"
    ]
    patient = status_report(failing, options=StatusOptions(feed_failing_after_days=10))
    assert patient.row("example-awarding-body").state is State.GAPS
    healthy = status_report(with_feed(hub_of("meets"), "ok", None))
    assert healthy.row("example-awarding-body").feed.label == "Healthy"
    assert report_of("meets").row("example-awarding-body").feed.label == "No feed"


def test_broken_links_count_and_allowlisted_ones_do_not() -> None:
    url = "https://example.org/guides/results"
    broken = LinkResult(url, False, 404, "404 Not Found", date(2026, 11, 22))
    row = report_of("meets", StatusInputs(links={url: broken})).row("example-awarding-body")
    assert [(g.id, r.reason) for g, r in row.links.broken] == [("results-guide", "404 Not Found")]
    assert row.state is State.GAPS
    flaky = LinkResult(url, False, 500, "500", date(2026, 11, 22), allowlisted="Often down")
    row = report_of("meets", StatusInputs(links={url: flaky})).row("example-awarding-body")
    assert (row.links.broken, len(row.links.allowlisted), row.state) == ((), 1, State.ON_TRACK)
    assert report_of("meets").row("example-awarding-body").links.checked is False


def test_register_disagreements_are_findings() -> None:
    check = RegisterCheck(date(2026, 11, 22), ("601/0000/X is not on the Register",))
    row = report_of("meets", StatusInputs(register={"example-awarding-body": check})).row(
        "example-awarding-body"
    )
    assert [f.text for f in row.findings] == ["Ofqual Register: 601/0000/X is not on the Register"]
    assert status_document(report_of("meets"))["organisations"][0]["register"] is None


def test_nudges_are_due_for_lapsed_confirmation_and_long_feed_failures() -> None:
    assert nudges(report_of("meets")) == []
    assert nudges(report_of("omits")) == []  # never confirmed is not lapsed
    [nudge] = nudges(report_of("misses"))
    assert nudge.title == "Hub entry needs attention: Example Awarding Body"
    assert nudge.maintainers == ("@example-ab/exams-team",)
    assert nudge.body.startswith("@example-ab/exams-team\n")
    failing = with_feed(hub_of("meets"), "stale", date(2026, 11, 1), "HTTP 404 Not Found")
    [nudge] = nudges(status_report(failing))
    assert nudge.reasons == ("The feed has been failing for 22 days (HTTP 404 Not Found).",)


def test_nudges_command_prints_one_issue_per_due_organisation() -> None:
    result = vtq_hub(
        "nudges", "--sources", str(STATUS_HUBS / "misses"), "--today", TODAY, "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    [nudge] = document["nudges"]
    assert nudge["organisation_id"] == "example-awarding-body"
    assert "@example-ab/exams-team" in nudge["body"]
    assert "- The entry was last confirmed on 2 March 2026, 266 days ago" in nudge["body"]
    quiet = vtq_hub("nudges", "--sources", str(STATUS_HUBS / "meets"), "--today", TODAY)
    assert quiet.stdout == "No organisation is due a nudge.\n"


def test_bad_options_are_usage_errors() -> None:
    result = vtq_hub("report", "--stale-after", "soon")
    assert result.returncode == 2
    assert "expected a whole number of days, got 'soon'" in result.stderr
    result = vtq_hub("report", "--today", "23/11/2026")
    assert result.returncode == 2 and "expected a date written YYYY-MM-DD" in result.stderr


def test_nudges_workflow_is_a_valid_github_workflow_with_least_permissions() -> None:
    workflow = ROOT / ".github" / "workflows" / "nudges.yml"
    checker = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(workflow)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = workflow.read_text("utf-8")
    assert "permissions: {}\n" in text
    assert "    permissions:\n      issues: write # " in text
    assert ".venv/bin/vtq-hub nudges --format json" in text


def test_status_page_json_and_organisation_section_in_the_built_site(tmp_path: Path) -> None:
    report = pipeline.build(build_options(STATUS_HUBS / "misses", tmp_path))
    assert report.warnings == ()
    site = tmp_path / "site"
    page = (site / "status" / "index.html").read_text("utf-8")
    assert "1 of 1 AOs at risk" in page
    assert "Example Tech Awards: results to learners 26 August 2027, after" in page
    assert 'id="status-example-awarding-body"' in page
    published = json.loads((site / "api" / "v1" / "status.json").read_text("utf-8"))
    published_validator(site / "api" / "v1" / "schema", "status.schema.json").validate(published)
    assert published["organisations"][0]["state"] == "at-risk"
    org_page = (site / "organisations" / "example-awarding-body" / "index.html").read_text("utf-8")
    assert 'id="for-awarding-organisations"' in org_page
    assert "Results deadline, summer 2027" in org_page
    assert "Missed" in org_page
