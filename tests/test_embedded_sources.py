"""The hub's own sources: valid, every fact sourced, no fictional organisation published."""

from __future__ import annotations

from datetime import datetime

import pytest

from hub_builder.calendar import LONDON
from hub_builder.check import validate_documents
from hub_builder.load.sources import read_documents, source_paths
from hub_builder.model import Hub
from hub_builder.normalise import normalise
from tests.conftest import ROOT

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
