"""Problems found after normalising are placed from the model: each source file's places,
kept from loading, without the file's data."""

from __future__ import annotations

import pickle
from dataclasses import replace

from hub_builder.load.sources import read_documents, source_paths
from hub_builder.load.strict_yaml import load
from hub_builder.model import NATIONAL_ID
from hub_builder.normalise import normalise
from hub_builder.pipeline import source_field, unplaced
from hub_builder.problems import Severity
from hub_builder.status.register import RegisterFinding, finding_problem
from tests.conftest import BUILT_AT, FIXTURE_HUB

ORG = "example-awarding-body"
TEXT = (
    "id: x\n"
    "qualification_groups:\n"
    "  - id: first\n"  # line 3
    "    qualification_numbers: [601/0000/X, 601/0001/X]\n"
    "  - id: second\n"  # line 5
    "    qualification_numbers:\n"
    "      - 601/0002/X\n"
    "      - 601/0003/X\n"  # line 8
)


def test_a_list_item_is_found_by_its_id_or_its_value() -> None:
    places = load(TEXT.encode(), "x.yaml").places
    groups = ("qualification_groups",)
    assert places.item(groups, "second") == 1
    numbers = (*groups, 1, "qualification_numbers")
    assert places.item(numbers, "601/0003/X") == 1
    assert places.position((*numbers, 1)) == (8, 9)
    assert places.item((*groups, 0, "qualification_numbers"), "601/0001/X") == 1


def fixture_document():  # type: ignore[no-untyped-def]
    documents = read_documents(source_paths(FIXTURE_HUB))
    return next(d for d in documents if d.path.endswith(f"{ORG}.yaml"))


def test_places_outlive_the_data_and_travel_pickled() -> None:
    """The model keeps each file's places; a problem is placed the same once the data is
    dropped, and after the places cross to another process (pickled, as forked checks
    send their documents back)."""
    number = ("qualification_groups", 0, "qualification_numbers", 0)
    expected = fixture_document().problem(number, "m")
    hub = normalise(read_documents(source_paths(FIXTURE_HUB)), BUILT_AT)
    places = pickle.loads(pickle.dumps(hub.organisation(ORG).places))
    assert places.problem(number, "m") == expected
    assert (expected.line, expected.col) == (17, 29)


def test_a_register_finding_is_placed_at_its_qualification_number() -> None:
    hub = normalise(read_documents(source_paths(FIXTURE_HUB)), BUILT_AT)
    message = "601/0000/X is not on the Register"
    finding = RegisterFinding(ORG, "x", message, "example-nationals", "601/0000/X")
    number = ("qualification_groups", 0, "qualification_numbers", 0)
    expected = fixture_document().problem(
        number, f"Ofqual Register: {message}", severity=Severity.WARNING
    )
    assert finding_problem(finding, hub.organisation(ORG).places) == expected


def test_a_key_date_is_placed_at_its_entry_or_the_national_file() -> None:
    hub = normalise(read_documents(source_paths(FIXTURE_HUB)), BUILT_AT)
    org = hub.organisation(ORG)
    own = next(d for d in org.key_dates if not d.is_expected)
    field = source_field(own, org.places)
    assert field[0] == "key_dates" and field[2] == "id"
    assert fixture_document().data["key_dates"][field[1]]["id"] == own.id
    national = next(d for d in hub.national.dates if d.organisation_id == NATIONAL_ID)
    assert source_field(national, hub.national.places)[0] in ("dates", "results_days")
    assert source_field(replace(own, id="no-such-date"), org.places) == ("id",)


def test_a_hub_unplaced_for_rendering_is_the_same_hub_without_the_files_text() -> None:
    hub = normalise(read_documents(source_paths(FIXTURE_HUB)), BUILT_AT)
    assert getattr(hub.organisation(ORG).places, "text", None) is not None
    bare = unplaced(hub)
    assert bare == hub and bare.all_dates == hub.all_dates
    kept = [bare.national.places, *(o.places for o in bare.organisations)]
    assert [getattr(p, "text", None) for p in kept] == [None] * len(kept)
    assert bare.organisation(ORG).places.path == hub.organisation(ORG).source_path
