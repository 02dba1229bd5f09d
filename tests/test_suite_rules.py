"""Rules of the suite itself: Hypothesis draws the same examples every run, so a test fails
for a reason in the code and never for the luck of a draw."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile import examples


@pytest.fixture(autouse=True)
def _not_exploring() -> None:
    if settings.get_current_profile_name() == "explore":
        pytest.skip("random draws were asked for (--hypothesis-profile=explore)")


def test_hypothesis_is_derandomised_and_keeps_no_database() -> None:
    assert settings.get_current_profile_name() == "vtq-hub"
    for chosen in (settings.default, examples(10)):
        assert chosen is not None
        assert chosen.derandomize and chosen.database is None


def test_two_runs_of_a_property_draw_the_same_examples() -> None:
    drawn: list[list[str]] = []

    @settings(max_examples=25)
    @given(st.text())
    def record(text: str) -> None:
        drawn[-1].append(text)

    for _ in range(2):
        drawn.append([])
        record()
    assert drawn[0] == drawn[1] and len(set(drawn[0])) > 5
