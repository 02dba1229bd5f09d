"""Known attack strings, in every text and address field of an AO file, built for real.

Each string of ``tests/fixtures/attacks/`` is put in a fictional organisation file (one file
per string), checked by the real validator and, when accepted, built with every other
accepted one by the real pipeline and mkdocs. Every built page is then parsed with html5lib
and compared with a build of a clean hub (what the theme and templates put there): no attack
may come out as live content, and none may raise an exception. (Search results, built in the
browser from Pagefind's index, are checked with the same corpus in test_security_browser.)
"""

from __future__ import annotations

import copy
import shutil
from collections import Counter
from pathlib import Path

import pytest

from hub_builder.pipeline import BuildReport, build
from tests.conftest import FIXTURE_HUB, build_options
from tests.hostile import (
    CONTROL,
    LONG_FIELDS,
    SHORT_FIELDS,
    URL_FIELDS,
    corpus,
    example,
    organisation_file,
    problems_of,
    reference_pages,
    with_values,
)
from tests.html_safety import Reference, findings, parse


class Tally(Counter[str]):
    """How each hostile input ended: refused with a problem, built, live, or an exception."""


def attack_file(org_id: str, attack: str, tally: Tally, kind: str) -> bytes | None:
    """The file with ``attack`` in every text field, else only in the long ones; or None."""
    for fields, outcome in (
        (SHORT_FIELDS + LONG_FIELDS, "built in every text field"),
        (LONG_FIELDS, "built in the long text fields, refused in the one-line ones"),
    ):
        data = example()
        with_values(data, fields, attack)
        content = organisation_file(org_id, data)
        try:
            problems = problems_of(org_id, content)
        except Exception:
            tally[f"{kind}: uncaught exception"] += 1
            raise
        if not problems:
            tally[f"{kind}: {outcome}"] += 1
            return content
        assert all(p.line >= 1 and p.field is not None for p in problems)
    tally[f"{kind}: refused with a problem"] += 1
    return None


def url_file(org_id: str, url: str) -> bytes:
    data = example()
    with_values(data, URL_FIELDS, url)
    return organisation_file(org_id, data)


@pytest.fixture(scope="module")
def attack_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, BuildReport, Tally, dict[str, str]]:
    """One real build of a hub with an organisation file for each accepted attack."""
    tmp = tmp_path_factory.mktemp("attacks")
    sources = tmp / "hub"
    shutil.copytree(FIXTURE_HUB, sources)
    tally = Tally()
    attacks: dict[str, str] = {}
    for index, attack in enumerate(corpus("text")):
        org_id = f"attack-text-{index:02d}"
        content = attack_file(org_id, attack, tally, "text")
        if content:
            (sources / "organisations" / f"{org_id}.yaml").write_bytes(content)
            attacks[org_id] = attack
    for index, url in enumerate(corpus("urls-tricky")):
        org_id = f"attack-url-{index:02d}"
        content = url_file(org_id, url)
        if problems_of(org_id, content):
            tally["tricky https address: refused with a problem"] += 1
            continue
        tally["tricky https address: built in every address field"] += 1
        (sources / "organisations" / f"{org_id}.yaml").write_bytes(content)
        attacks[org_id] = url
    report = build(build_options(sources, tmp))
    return tmp / "site", report, tally, attacks


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reference]:
    return reference_pages(tmp_path_factory.mktemp("attack-reference"))


def reference_for(name: str, refs: dict[str, Reference]) -> Reference:
    if name.startswith("organisations/attack-"):
        return refs[f"organisations/{CONTROL}/index.html"]
    return refs[name]


def test_no_attack_string_is_live_in_any_built_page(
    attack_build: tuple[Path, BuildReport, Tally, dict[str, str]],
    references: dict[str, Reference],
) -> None:
    site, report, tally, attacks = attack_build
    assert report.organisations == 1 + len(attacks)
    live: dict[str, list[str]] = {}
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        name = page.relative_to(site).as_posix()
        found = findings(parse(page.read_text("utf-8")), reference_for(name, references))
        if found:
            live[name] = found
    tally["pages checked"] = len(pages)
    print("\n".join(f"{key}: {count}" for key, count in sorted(tally.items())))
    assert live == {}


def test_each_accepted_attack_is_shown_as_text(
    attack_build: tuple[Path, BuildReport, Tally, dict[str, str]],
) -> None:
    """Inert, not dropped: the organisation's name is the page's heading, character for
    character (so escaping did not eat it either)."""
    site, _, _, attacks = attack_build
    for org_id, attack in attacks.items():
        if not org_id.startswith("attack-text-") or attack != attack.strip():
            continue
        if tally_of(org_id, attack) != "every":
            continue
        page = parse((site / "organisations" / org_id / "index.html").read_text("utf-8"))
        headings = ["".join(h.itertext()) for h in page.iter("h1")]
        assert attack in headings, (org_id, attack, headings)


def tally_of(org_id: str, attack: str) -> str:
    """Whether ``attack`` was accepted in every text field or only in the long ones."""
    data = example()
    with_values(data, SHORT_FIELDS + LONG_FIELDS, attack)
    return "every" if not problems_of(org_id, organisation_file(org_id, data)) else "long"


def test_every_corpus_string_ended_somewhere(
    attack_build: tuple[Path, BuildReport, Tally, dict[str, str]],
) -> None:
    _, _, tally, _ = attack_build
    text = sum(n for key, n in tally.items() if key.startswith("text: "))
    urls = sum(n for key, n in tally.items() if key.startswith("tricky https address: "))
    assert (text, urls) == (len(corpus("text")), len(corpus("urls-tricky")))
    assert not any("exception" in key for key in tally)
    # What a one-line field must refuse, a long one may still refuse: these never build.
    assert tally["text: refused with a problem"] >= 3  # NUL, escape and line separator


@pytest.mark.parametrize("url", corpus("urls-refused"))
def test_every_hostile_address_is_refused_in_every_address_field(url: str) -> None:
    for path in URL_FIELDS:
        data = example()
        with_values(data, (path,), url)
        problems = problems_of("attack-url", organisation_file("attack-url", data))
        dotted = ".".join("0" if part == "*" else part for part in path)
        at_field = [p for p in problems if p.field.replace("[", ".").replace("]", "") == dotted]
        assert at_field, (url, dotted, [p.format() for p in problems])
        assert all(p.line > 1 for p in at_field)  # at the field, not the top of the file


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", v) for v in corpus("contacts-refused")["emails"]]
    + [("phone", v) for v in corpus("contacts-refused")["phones"]],
)
def test_every_hostile_email_and_phone_is_refused(field: str, value: str) -> None:
    data = example()
    data["contacts"][0][field] = value
    problems = problems_of("attack-contact", organisation_file("attack-contact", data))
    assert [p.field for p in problems] == [f"contacts[0].{field}"], value


def test_copy_of_the_example_is_valid() -> None:
    """The base every attack is put into is itself accepted, so a refusal is the attack's."""
    assert (
        problems_of("attack-clean", organisation_file("attack-clean", copy.deepcopy(example())))
        == []
    )
