"""The hub's own sources: valid, every fact sourced, no fictional organisation published, the
coverage the README states, and the corrections an audit of the data found."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from hub_builder.calendar import LONDON
from hub_builder.check import validate_documents
from hub_builder.check.evidence import is_quoted_in, quoted_phrases
from hub_builder.load.sources import read_documents, source_paths
from hub_builder.model import Hub
from hub_builder.normalise import normalise
from hub_builder.pipeline import build
from tests.conftest import ROOT, build_options

SOURCES = ROOT / "sources"


@pytest.fixture(scope="module")
def hub() -> Hub:
    documents = read_documents(source_paths(SOURCES))
    assert validate_documents(documents) == []
    return normalise(documents, datetime(2026, 11, 23, tzinfo=LONDON))


def test_every_fact_has_an_https_source(hub: Hub) -> None:
    for org in hub.organisations:
        assert org.source_url.startswith("https://")
        for item in (*org.key_dates, *org.qualification_groups, *org.contacts):
            assert item.source_url.startswith("https://"), (org.id, item.id)
    for day in hub.national.results_days:
        assert day.source_url.startswith("https://")


def test_no_example_organisation_is_published(hub: Hub) -> None:
    assert not [o for o in hub.organisations if "example" in f"{o.id} {o.name}".lower()]


def test_every_file_points_editors_at_the_schema() -> None:
    for path in source_paths(SOURCES):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file(), path


def test_results_days_for_2026_are_the_published_ones(hub: Hub) -> None:
    days = {d.id: d.date.isoformat() for d in hub.national.results_days}
    assert days["level-3-results-day-2026"] == "2026-08-13"
    assert days["level-2-results-day-2026"] == "2026-08-20"


# What the hub holds: coverage, and the README that lists it


def test_the_readme_lists_every_organisation_and_what_it_lacks(hub: Hub) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## What the hub holds\n", 1)[1].split("\n## ", 1)[0]
    listed = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    expected = []
    for org in hub.organisations:
        missing = [
            what for what, held in (("contact", org.contacts), ("guidance page", org.guidance))
            if not held
        ]  # fmt: skip
        expected.append(
            org.name + (f" (no {' or '.join(missing)} on the hub yet)" if missing else "")
        )
    assert listed == expected
    complete = sum(1 for o in hub.organisations if o.contacts and o.guidance)
    assert f"{len(hub.organisations)} awarding organisations, {complete} of them" in section
    groups = [g for o in hub.organisations for g in o.qualification_groups]
    timings = [g.results.timing if g.results else None for g in groups]
    said = " ".join(section.split())
    assert (
        f"{len(groups)} qualification groups each answer when their results come out: "
        f"{timings.count('results-day')} on a national results day, "
        f"{timings.count('own-timing')} on the organisation's own timing"
    ) in said
    assert f"and {timings.count(None)} not found on a public page yet" in said


def test_coverage_reaches_the_organisations_families_ask_about(hub: Hub) -> None:
    ids = {o.id for o in hub.organisations}
    assert len(ids) >= 25
    assert {"pearson", "ocr", "ncfe", "city-and-guilds", "aqa", "wjec-eduqas", "vtct"} <= ids
    with_contacts = [o for o in hub.organisations if o.contacts]
    assert len([o for o in with_contacts if o.guidance]) >= 25
    for org in with_contacts:
        for contact in org.contacts:
            assert contact.phone or contact.email or contact.url, (org.id, contact.id)


def test_every_quotation_names_a_listed_page(hub: Hub) -> None:
    """A quotation is attributed to the page it comes from, and the page's date goes with it."""
    for org in hub.organisations:
        listed = {page.url: page.seen_on for page in org.pages}
        for quotation in org.quotations:
            assert quotation.source_url in listed, (org.id, quotation.source_url)
            assert quotation.seen_on == listed[quotation.source_url]
        for rule in org.standing_rules:
            assert rule.source_url in listed, (org.id, rule.id)


# Corrections an audit of the data found, each pinned


def test_pearson_registration_dates_never_reach_tech_awards_2022(hub: Hub) -> None:
    """Pearson's registration page says it is not for BTEC Tech Awards (2022)."""
    pearson = next(o for o in hub.organisations if o.id == "pearson")
    assert not [g for g in pearson.qualification_groups if g.name.startswith("All ")]
    registration = [d for d in pearson.key_dates if d.kind == "registration"]
    assert registration, "the registration dates and fee bands are on the hub"
    for key_date in registration:
        assert "btec-tech-awards-2022" not in {g.id for g in pearson.groups_for(key_date)}


def test_no_group_mixes_t_level_technical_qualifications_with_other_types(hub: Hub) -> None:
    for org in hub.organisations:
        for group in org.qualification_groups:
            if "extended project" in group.name.casefold():
                assert group.qualification_type != "Technical Qualification", (org.id, group.id)
            if "t level" in group.name.casefold():
                assert "extended project" not in group.description.casefold(), (org.id, group.id)


def test_aqa_dates_from_its_a_level_days_say_they_are_inferred(hub: Hub) -> None:
    aqa = next(o for o in hub.organisations if o.id == "aqa")
    results = [d for d in aqa.key_dates if d.kind.startswith("results-to-")]
    assert results
    for key_date in results:
        assert key_date.inferred_from is not None, key_date.id
        assert "in line with our GCSE and A-level results" in key_date.inferred_from.statement
        assert key_date.status == "inferred", "never shown as confirmed"


def test_no_date_inferred_from_a_general_statement_is_labelled_confirmed(hub: Hub) -> None:
    for org in hub.organisations:
        for key_date in org.key_dates:
            assert (key_date.inferred_from is not None) == (key_date.status == "inferred"), (
                org.id,
                key_date.id,
            )


def test_every_note_is_backed_by_the_pages_own_words(hub: Hub) -> None:
    """Each description has a stored quotation of its page, and every phrase a note puts in
    double quotes (a description, an own timing) is found in the words that back it."""
    for org in hub.organisations:
        for group in org.qualification_groups:
            if group.description:
                assert group.quote is not None, (org.id, group.id)
                for phrase in quoted_phrases(group.description):
                    assert is_quoted_in(phrase, group.quote.statement), (org.id, group.id, phrase)
            if group.results and group.results.own_timing:
                statements = [e.quotation.statement for e in group.results.evidence]
                for phrase in quoted_phrases(group.results.own_timing):
                    assert is_quoted_in(phrase, statements), (org.id, group.id, phrase)
        for key_date in org.published_dates:
            if key_date.description:
                backing = [q.statement for q in (key_date.quote, key_date.inferred_from) if q]
                assert backing, (org.id, key_date.id)
                for phrase in quoted_phrases(key_date.description):
                    assert is_quoted_in(phrase, backing), (org.id, key_date.id, phrase)


def test_the_ncfe_portal_note_is_quoted_from_the_page_that_says_it(hub: Hub) -> None:
    ncfe = next(o for o in hub.organisations if o.id == "ncfe")
    [note] = [d for d in ncfe.key_dates if d.id == "checkpoint-1-opens-2025-26"]
    assert note.quote is not None
    assert note.quote.source_url == "https://www.ncfe.org.uk/servicecontinuity"
    assert "from Monday 9 February" in note.quote.statement


def test_results_answers_follow_the_evidence_not_a_flag(hub: Hub) -> None:
    """The qualifications families ask about most are answered from a page, the strongest
    first: the organisation's own practice before a scope list, and graded and on-demand
    exams by their own timing, never a national results day."""
    timing = {
        (o.id, g.id): (g.results.timing if g.results else "not-found", g.results)
        for o in hub.organisations
        for g in o.qualification_groups
    }
    for key in [
        ("pearson", "btec-nationals"),
        ("pearson", "btec-tech-awards-2022"),
        ("pearson", "pearson-t-level-tqs"),
        ("ncfe", "t-level-technical-qualifications"),
        ("city-and-guilds", "t-level-technical-qualifications"),
        ("ocr", "cambridge-technicals"),
        ("ocr", "cambridge-nationals"),
        ("ocr", "cambridge-advanced-nationals"),
        ("ncfe", "technical-awards-ks4"),
    ]:
        assert timing[key][0] == "results-day", key
    for key in [
        ("trinity", "music-graded-exams"),
        ("trinity", "drama-graded-exams"),
        ("abrsm", "graded-music-exams"),
        ("aat", "accounting-qualifications"),
    ]:
        assert timing[key][0] == "own-timing", key
    nationals = timing[("pearson", "btec-nationals")][1]
    assert nationals is not None and nationals.evidence[0].says == "practice"
    assert nationals.evidence[0].years == (2023,)


def test_examples_in_code_and_docs_are_never_future_dates() -> None:
    """A date in a message, docstring, form or document is a real, past one (like 13 August
    2026): a reader could take a future example for a real deadline."""
    today = datetime.now(LONDON).date()
    files = [
        *(ROOT / "hub_builder").rglob("*.py"),
        *(ROOT / "hub_builder").rglob("*.j2"),
        *(ROOT / "hub_builder" / "schema").rglob("*.json"),
        *(ROOT / "site_content").rglob("*.md"),
        *(ROOT / ".github").rglob("*.yml"),
        *ROOT.glob("*.md"),
    ]
    future = [
        f"{path.relative_to(ROOT)}: {found}"
        for path in files
        for found in dates_written_in(path.read_text("utf-8"))
        if found > today
    ]
    assert future == []


ISO_DATE = re.compile(r"\b(20\d\d)-([01]\d)-([0-3]\d)\b")
GOVUK_DATE = re.compile(
    r"\b([1-9]|[12]\d|3[01]) (January|February|March|April|May|June|July|August|September"
    r"|October|November|December) (20\d\d)\b"
)
MONTHS = "January February March April May June July August September October November December"


def dates_written_in(text: str) -> list[date]:
    found = [date(int(y), int(m), int(d)) for y, m, d in ISO_DATE.findall(text)]
    months = MONTHS.split()
    found += [date(int(y), months.index(m) + 1, int(d)) for d, m, y in GOVUK_DATE.findall(text)]
    return found


# The built site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("embedded")
    build(build_options(SOURCES, tmp))
    return tmp / "site"


def page_text(path: Path) -> str:
    text = re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))
    return " ".join(html.unescape(text).split())


LEVEL_3 = (
    "A level and Level 3 results day. Summer 2026: 13 August 2026. Summer 2027: not on the hub yet."
)
LEVEL_2 = (
    "GCSE and Level 2 results day. Summer 2026: 20 August 2026. Summer 2027: not on the hub yet."
)
ANSWERS = [
    ("pearson-btec-nationals", "BTEC Nationals", LEVEL_3, "Pearson, for summer 2023"),
    ("pearson-btec-tech-awards-2022", "BTEC Tech Awards", LEVEL_2, "Pearson, for summer 2024"),
    ("pearson-pearson-t-level-tqs", "T Level", LEVEL_3, "Ofqual, for summer 2024"),
    ("ncfe-t-level-technical-qualifications", "T Level", LEVEL_3, "NCFE:"),
    ("city-and-guilds-t-level-technical-qualifications", "T Level", LEVEL_3, "City & Guilds:"),
    ("ocr-cambridge-technicals", "Cambridge Technicals",
     LEVEL_3.replace(" day. ", " day for Level 3. "), "OCR, for summer 2022"),
    ("ocr-cambridge-nationals", "Cambridge Nationals", LEVEL_2, "OCR, for summer 2021"),
    ("ocr-cambridge-advanced-nationals", "Cambridge Advanced Nationals", LEVEL_3, "OCR:"),
    ("ncfe-technical-awards-ks4", "V Cert", LEVEL_2, "NCFE:"),
    ("trinity-music-graded-exams", "Music graded exams",
     "Within two weeks of a face-to-face exam", "TCL:"),
    ("abrsm-graded-music-exams", "Graded music exams",
     "Usually within a week of a practical exam, ABRSM says. Not on a national results day.",
     "ABRSM:"),
    ("aat-accounting-qualifications", "AAT accounting qualifications",
     "Normally within 24 hours for a computer-marked assessment", "AAT:"),
]  # fmt: skip


@pytest.mark.parametrize(("anchor", "name", "answer", "evidence"), ANSWERS)
def test_the_home_page_answers_by_qualification_name(
    site: Path, anchor: str, name: str, answer: str, evidence: str
) -> None:
    """The answer in one line, from the evidence, with its source one tap away; never "cannot
    say" where a page the hub cites says."""
    home = (site / "index.html").read_text("utf-8")
    assert f'id="results-{anchor}"' in home
    card = home.split(f'id="results-{anchor}"', 1)[1].split("</section>", 1)[0]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", card)).split())
    assert name in text
    assert answer in text
    assert evidence in text
    assert "cannot say" not in text and "not found" not in text.casefold()


def test_no_page_hedges_where_a_page_the_hub_cites_answers(site: Path) -> None:
    for path in (site / "index.html", site / "guides" / "families" / "index.html"):
        text = page_text(path)
        assert "cannot say" not in text, path
        assert "has not found BTEC Nationals" not in text, path


def test_no_public_page_blames_an_organisation_or_speaks_to_a_taskforce(site: Path) -> None:
    for path in site.rglob("*.html"):
        text = page_text(path)
        assert "has not published" not in text, path
        assert "taskforce" not in text.casefold(), path


def test_dates_page_counts_the_organisations_that_have_dates(site: Path, hub: Hub) -> None:
    with_dates = sum(1 for o in hub.organisations if o.key_dates)
    assert with_dates < len(hub.organisations)
    text = page_text(site / "dates" / "index.html")
    assert (
        f"from the {with_dates} of {len(hub.organisations)} awarding organisations with dates"
        in text
    )


def test_expected_dates_are_never_shown_as_confirmed(site: Path) -> None:
    text = page_text(site / "organisations" / "ocr" / "index.html")
    assert "Expected from OCR's yearly rule (its page shows no date): “This is" in text
    assert "OCR's own date for 2026 to 2027 is not on the hub yet." in text


def test_a_recognition_number_no_page_shows_is_said_to_be_unconfirmed(site: Path, hub: Hub) -> None:
    unsourced = [
        o for o in hub.organisations if o.recognition_number and not o.recognition_number_source
    ]
    assert unsourced, "the case this test is about"
    for org in unsourced:
        text = page_text(site / "organisations" / org.id / "index.html")
        assert (
            f"{org.recognition_number} (not yet confirmed: no public page the hub holds shows it, "
            "nor Ofqual's Register)"
        ) in text, org.id
