"""Shared fixtures: paths to the fixture hub, a fixed clock, and one real build of it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hub_builder.model import Hub
from hub_builder.normalise import normalise
from hub_builder.pipeline import LONDON, BuildOptions, BuildReport, build
from hub_builder.sources import read_documents, source_paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_HUB = FIXTURES / "hub"
BUILT_AT = datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)


def fixed_clock() -> datetime:
    return BUILT_AT


def build_options(sources: Path, tmp: Path) -> BuildOptions:
    """Options for a build of ``sources`` into ``tmp/site`` with the project's config."""
    return BuildOptions(
        sources=sources,
        out=tmp / "site",
        config=ROOT / "mkdocs.yml",
        content=ROOT / "site_content",
        work=tmp / "work",
        clock=fixed_clock,
    )


@pytest.fixture(scope="session")
def built_fixture_hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The fixture hub, built once by the real pipeline and the real mkdocs."""
    tmp = tmp_path_factory.mktemp("fixture-build")
    report = build(build_options(FIXTURE_HUB, tmp))
    return tmp / "site", report


def fixture_hub() -> Hub:
    """The fixture hub as a model (no rendering), on the fixed clock."""
    return normalise(read_documents(source_paths(FIXTURE_HUB)), built_at=BUILT_AT)
