"""Normalise: validated documents become one sorted, frozen model."""

import dataclasses
from datetime import date, time

import pytest

from hub_builder.load.sources import read_documents, source_paths
from hub_builder.model import Contact
from hub_builder.normalise import normalise
from tests.conftest import BUILT_AT, FIXTURE_HUB


@pytest.fixture
def hub():  # type: ignore[no-untyped-def]
    return normalise(read_documents(source_paths(FIXTURE_HUB)), BUILT_AT)


def test_fixture_hub_model(hub) -> None:  # type: ignore[no-untyped-def]
    [org] = hub.organisations
    assert org.id == "example-awarding-body"
    assert [d.id for d in org.key_dates] == [
        "results-to-learners-2025",
        "checkpoint-1-2026-27",
        "claims-deadline-2027",
        "results-to-learners-2027",
    ]
    claims = org.key_dates[2]
    assert (claims.start, claims.end, claims.time) == (date(2027, 6, 30), None, time(23, 59))
    assert claims.academic_year == "2026-27"
    assert claims.uid == "example-awarding-body-claims-deadline-2027"
    assert [g.name for g in org.groups_for(claims)] == ["Example Nationals"]
    assert [g.name for g in org.groups_for(org.key_dates[1])] == [
        "Example Nationals",
        "Example Tech Awards",
    ]


def test_results_days_join_the_national_dates(hub) -> None:  # type: ignore[no-untyped-def]
    kinds = [(d.id, d.kind) for d in hub.national.dates]
    assert ("level-3-results-day-2027", "results-day") in kinds
    assert hub.all_dates == tuple(
        sorted(hub.all_dates, key=lambda d: (d.start, d.last_day, d.organisation_id, d.id))
    )


def test_model_is_immutable(hub) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hub.organisations[0].name = "Changed"


def test_normalising_twice_gives_equal_hubs(hub) -> None:  # type: ignore[no-untyped-def]
    again = normalise(read_documents(source_paths(FIXTURE_HUB)), BUILT_AT)
    assert again == hub


def test_a_contact_is_named_by_its_role_and_label_or_by_its_label_alone() -> None:
    contact = Contact("c", "customer-support", "", "", "0300 123 4567", "", "", "https://x.org/")
    assert contact.heading == "Customer support"
    assert dataclasses.replace(contact, label="Helpdesk").heading == "Customer support: Helpdesk"
    quality = dataclasses.replace(contact, role="other", label="Quality assurance")
    assert quality.heading == "Quality assurance"
    assert dataclasses.replace(contact, role="other").heading == "Other"
