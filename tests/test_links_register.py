"""Link checking and the Ofqual Register cross-check, against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from hub_builder import pipeline
from hub_builder.load.sources import LINK_ALLOWLIST_FILE, LINK_REPORT_FILE
from hub_builder.remote import links as link_check
from hub_builder.remote import register as register_refresh
from hub_builder.remote.http import HttpClient, Policy
from hub_builder.status import links, register
from hub_builder.status.report import LinkResult
from tests.conftest import BUILT_AT, FIXTURES
from tests.local_server import LocalServer, local_server
from tests.test_cli import vtq_hub

TODAY = BUILT_AT.date()
TEST_POLICY = Policy(
    # /slow never answers while a client waits: the read timeout is the only way out, and
    # every other answer comes at once, so a loaded machine has time to spare.
    connect_timeout=10.0,
    read_timeout=2.0,
    deadline=30.0,
    retries=1,
    backoff=0.05,
    allow_loopback=True,
)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_server() as running:
        yield running


def checked(server: LocalServer, *paths: str) -> dict[str, LinkResult]:
    check = link_check.http_checker(HttpClient(TEST_POLICY), TODAY)
    return link_check.check_links([server.base + p for p in paths], check, {}, TODAY, workers=4)


def test_each_kind_of_answer_is_recorded(server: LocalServer) -> None:
    results = checked(server, "/ok", "/moved", "/missing", "/error", "/slow", "/no-head")
    by_path = {url.removeprefix(server.base): r for url, r in results.items()}
    assert (by_path["/ok"].ok, by_path["/ok"].status) == (True, 200)
    moved = by_path["/moved"]
    assert (moved.ok, moved.final_url, moved.redirects) == (True, server.base + "/ok", (
        server.base + "/ok",
    ))  # fmt: skip
    assert (by_path["/missing"].ok, by_path["/missing"].status) == (False, 404)
    assert "404" in by_path["/missing"].reason
    assert (by_path["/error"].ok, by_path["/error"].status) == (False, 500)
    assert by_path["/slow"].ok is False and "within" in by_path["/slow"].reason
    assert (by_path["/no-head"].ok, by_path["/no-head"].status) == (True, 200)
    # HEAD first; GET only when HEAD is refused
    assert server.requests[("HEAD", "/ok")] >= 1 and server.requests[("GET", "/ok")] == 0
    assert server.requests[("GET", "/no-head")] == 1


def test_recent_good_results_are_reused_and_broken_ones_checked_again(
    server: LocalServer,
) -> None:
    ok, missing = server.base + "/ok", server.base + "/missing"
    previous = {
        ok: LinkResult(ok, True, 200, "HTTP 200", date(2026, 11, 20)),
        missing: LinkResult(missing, True, 200, "HTTP 200", date(2026, 11, 1)),  # too old
    }
    before = server.requests[("HEAD", "/ok")]
    check = link_check.http_checker(HttpClient(TEST_POLICY), TODAY)
    results = link_check.check_links([ok, missing], check, previous, TODAY, max_age_days=7)
    assert results[ok] is previous[ok]
    assert server.requests[("HEAD", "/ok")] == before
    assert results[missing].ok is False and results[missing].checked_on == TODAY


def test_the_report_is_sorted_and_read_back_with_the_allowlist(
    server: LocalServer, tmp_path: Path
) -> None:
    results = checked(server, "/missing", "/ok", "/error")
    link_check.write_report(tmp_path, results)
    text = (tmp_path / LINK_REPORT_FILE).read_text("utf-8")
    urls = [link["url"] for link in json.loads(text)["links"]]
    assert urls == sorted(urls)
    assert links.report_json(links.read_report(tmp_path / LINK_REPORT_FILE)[0] or {}) == text
    (tmp_path / LINK_ALLOWLIST_FILE).write_text(
        f"- url: {server.base.replace('http:', 'https:')}/error\n"
        "  reason: Fails at night while the site is backed up.\n"
        "- url: http://example.org/\n"
        "  reason: not https\n",
        "utf-8",
    )
    allowed, problems = links.read_allowlist(tmp_path / LINK_ALLOWLIST_FILE)
    assert list(allowed.values()) == ["Fails at night while the site is backed up."]
    [problem] = problems
    assert problem.format().endswith(
        "link-allowlist.yaml:3:1: [1]: warning: expected an https url and a reason; ignored"
    )


def test_a_broken_report_is_a_warning_not_a_failed_build(tmp_path: Path) -> None:
    (tmp_path / LINK_REPORT_FILE).write_text("{not json", "utf-8")
    results, [problem] = links.read_link_inputs(tmp_path)
    assert results is None
    assert "the link report cannot be read" in problem.message and not problem.is_error


@pytest.fixture
def hub_with_register(tmp_path: Path) -> Path:
    """The 'meets' hub, with QNs that exist, belong elsewhere, are withdrawn or are missing."""
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURES / "status" / "meets", sources)
    org = sources / "organisations" / "example-awarding-body.yaml"
    org.write_text(
        org.read_text("utf-8").replace(
            "qualification_numbers: [601/0000/X]",
            "qualification_numbers: [601/0000/X, 601/0001/X, 601/0002/X, 601/0003/X]",
        ),
        "utf-8",
    )
    return sources


def test_register_command_writes_snapshots_and_the_build_warns(
    server: LocalServer, hub_with_register: Path
) -> None:
    result = vtq_hub(
        "register", "--sources", str(hub_with_register), "--api", server.base,
        "--allow-loopback", "--today", TODAY.isoformat(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Wrote 1 Register snapshots" in result.stdout
    assert "3 disagreements with the sources" in result.stdout
    snapshot = json.loads(
        (hub_with_register / "register" / "example-awarding-body.json").read_text("utf-8")
    )
    assert snapshot["organisation"]["legal_name"] == "Example Awarding Body Limited"
    # PascalCase keys read as well as camelCase
    assert snapshot["qualifications"]["601/0001/X"]["organisation_recognition_number"] == "RN8888"
    assert snapshot["qualifications"]["601/0003/X"] is None
    warnings = [line for line in result.stderr.splitlines() if "Ofqual Register" in line]
    assert [w.split(": ", 2)[-1] for w in warnings] == [
        "warning: Ofqual Register: 601/0001/X belongs to RN8888 (Another Example Body), not RN9999",
        'warning: Ofqual Register: 601/0002/X is "No longer available to new learners" on '
        "the Register",
        "warning: Ofqual Register: 601/0003/X is not on the Register",
    ]
    assert warnings[0].split(": ")[1] == "qualification_groups[0].qualification_numbers[1]"
    report, problems = pipeline.status(
        pipeline.BuildOptions(sources=hub_with_register, clock=lambda: BUILT_AT)
    )
    assert len(problems) == 3
    row = report.row("example-awarding-body")
    assert row.register is not None and len(row.register.problems) == 3
    assert row.state.value == "gaps"


def test_a_name_or_rn_the_register_does_not_give_is_a_warning(
    server: LocalServer, hub_with_register: Path
) -> None:
    org = hub_with_register / "organisations" / "example-awarding-body.yaml"
    text = org.read_text("utf-8").replace("RN9999", "RN8888")
    org.write_text(text, "utf-8")
    get_json = register_refresh.api_getter(HttpClient(TEST_POLICY), server.base)
    loaded = pipeline.load_hub(
        pipeline.BuildOptions(sources=hub_with_register, clock=lambda: BUILT_AT)
    )
    hub = loaded.hub
    register_refresh.refresh_snapshots(hub, get_json, TODAY, hub_with_register)
    findings = register.register_findings(hub, register.read_snapshots(hub_with_register)[0] or {})
    assert findings[0].message == (
        'the Register names RN8888 "Another Example Body" (AEB), not "Example Awarding Body"'
    )
    [name_problem] = [p for p in register.register_problems(findings, hub) if p.field == "name"]
    assert (name_problem.line, name_problem.col) == (3, 7)
    # an RN that is not on the Register
    org.write_text(text.replace("RN8888", "RN7777"), "utf-8")
    hub = pipeline.load_hub(
        replace(pipeline.BuildOptions(sources=hub_with_register), clock=lambda: BUILT_AT)
    ).hub
    register_refresh.refresh_snapshots(hub, get_json, TODAY, hub_with_register)
    findings = register.register_findings(hub, register.read_snapshots(hub_with_register)[0] or {})
    assert findings[0].message == "RN7777 is not on the Register"


def test_names_agree_word_for_word_from_the_start() -> None:
    assert register.names_agree(["City & Guilds"], ["City and Guilds of London Institute"])
    assert register.names_agree(["Pearson (BTEC)", "Pearson"], ["Pearson Education Ltd"])
    assert not register.names_agree(["UAL Awarding Body"], ["University of the Arts London"])


def test_an_unreachable_register_keeps_the_last_snapshot(
    server: LocalServer, hub_with_register: Path
) -> None:
    hub = pipeline.load_hub(
        pipeline.BuildOptions(sources=hub_with_register, clock=lambda: BUILT_AT)
    ).hub
    register_refresh.refresh_snapshots(
        hub,
        register_refresh.api_getter(HttpClient(TEST_POLICY), server.base),
        TODAY,
        hub_with_register,
    )
    kept = (hub_with_register / "register" / "example-awarding-body.json").read_text("utf-8")
    failing = register_refresh.api_getter(HttpClient(TEST_POLICY), server.base + "/error")
    done = register_refresh.refresh_snapshots(hub, failing, date(2026, 11, 24), hub_with_register)
    assert done.written == () and done.failed[0][0] == "example-awarding-body"
    assert (hub_with_register / "register" / "example-awarding-body.json").read_text(
        "utf-8"
    ) == kept
