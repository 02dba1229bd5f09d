"""compare(old, new): every kind of change, found on the fixture hub with one edit each."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from hub_builder.calendar import parse_when, when_text
from hub_builder.model import Contact, Guidance, Hub, KeyDate, Organisation
from hub_builder.normalise.compare import Change, compare
from tests.conftest import fixture_hub

ORG = "example-awarding-body"


def edit_org(hub: Hub, **fields: object) -> Hub:
    org = hub.organisation(ORG)
    return replace(hub, organisations=(replace(org, **fields),))  # type: ignore[arg-type]


def edit_date(hub: Hub, date_id: str, **fields: object) -> Hub:
    org = hub.organisation(ORG)
    dates = tuple(
        replace(d, **fields) if d.id == date_id else d  # type: ignore[arg-type]
        for d in org.key_dates
    )
    return edit_org(hub, key_dates=dates)


def the_org(hub: Hub) -> Organisation:
    return hub.organisation(ORG)


def test_the_same_hub_has_no_changes() -> None:
    assert compare(fixture_hub(), fixture_hub()) == ()


def test_a_moved_date_says_from_and_to() -> None:
    old = fixture_hub()
    new = edit_date(old, "claims-deadline-2027", start=date(2027, 7, 2))
    assert compare(old, new) == (
        Change(
            "moved",
            ORG,
            "claims-deadline-2027",
            "Final claims deadline",
            "2027-06-30T23:59",
            "2027-07-02T23:59",
        ),
    )


def test_a_changed_end_or_time_is_a_move() -> None:
    old = fixture_hub()
    longer = edit_date(old, "checkpoint-1-2026-27", end=date(2027, 2, 5))
    earlier = edit_date(old, "claims-deadline-2027", time=time(17, 0))
    assert [(c.kind, c.before, c.after) for c in compare(old, longer)] == [
        ("moved", "2026-12-07/2027-01-29", "2026-12-07/2027-02-05")
    ]
    assert [(c.kind, c.after) for c in compare(old, earlier)] == [("moved", "2027-06-30T17:00")]


def test_a_cancelled_and_moved_date_gives_two_changes() -> None:
    old = fixture_hub()
    new = edit_date(old, "claims-deadline-2027", status="cancelled", start=date(2027, 7, 1))
    assert [(c.kind, c.before, c.after) for c in compare(old, new)] == [
        ("cancelled", "provisional", "cancelled"),
        ("moved", "2027-06-30T23:59", "2027-07-01T23:59"),
    ]


def test_added_and_removed_dates() -> None:
    old = fixture_hub()
    dates = the_org(old).key_dates
    checkpoint = next(d for d in dates if d.id == "checkpoint-1-2026-27")
    extra = replace(checkpoint, id="checkpoint-2-2026-27", start=date(2027, 3, 1), end=None)
    new = edit_org(old, key_dates=(*(d for d in dates if d != checkpoint), extra))
    assert [(c.kind, c.record_id, c.before, c.after) for c in compare(old, new)] == [
        ("removed", "checkpoint-1-2026-27", "2026-12-07/2027-01-29", ""),
        ("added", "checkpoint-2-2026-27", "", "2027-03-01"),
    ]


def test_national_dates_are_compared_too() -> None:
    old = fixture_hub()
    national = old.national
    moved = tuple(
        replace(d, start=date(2027, 1, 14)) if d.id == "example-ucas-deadline-2027" else d
        for d in national.dates
    )
    new = replace(old, national=replace(national, dates=moved))
    (change,) = compare(old, new)
    assert (change.organisation_id, change.kind, change.after) == (
        "national",
        "moved",
        "2027-01-14T18:00",
    )


def test_guidance_link_changed_added_and_removed() -> None:
    old = fixture_hub()
    link: Guidance = the_org(old).guidance[0]
    moved_link = edit_org(old, guidance=(replace(link, url="https://example.org/new-guide"),))
    retitled = edit_org(old, guidance=(replace(link, title="A new title"),))
    gone = edit_org(old, guidance=())
    assert [(c.kind, c.record_id, c.before, c.after) for c in compare(old, moved_link)] == [
        ("guidance-changed", link.id, link.url, "https://example.org/new-guide")
    ]
    assert compare(old, retitled) == ()
    assert [(c.before, c.after) for c in compare(old, gone)] == [(link.url, "")]
    assert [(c.before, c.after) for c in compare(gone, old)] == [("", link.url)]


def test_contact_changed() -> None:
    old = fixture_hub()
    contact: Contact = the_org(old).contacts[0]
    new = edit_org(old, contacts=(replace(contact, phone="01234 000000"),))
    (change,) = compare(old, new)
    assert change.kind == "contact-changed"
    assert change.title == "Out-of-term contact"
    assert "phone: 01234 567890" in change.before
    assert "phone: 01234 000000" in change.after


def test_changes_are_frozen() -> None:
    change = Change("added", ORG, "x", "X", "", "2027-01-01")
    with pytest.raises(AttributeError):
        change.kind = "removed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    ["2027-06-30", "2027-06-30/2027-07-02", "2027-06-30T23:59", "2027-06-30T09:00/2027-07-02"],
)
def test_when_text_round_trips(text: str) -> None:
    assert when_text(*parse_when(text)) == text


def test_when_text_of_a_key_date() -> None:
    key_date: KeyDate = next(d for d in the_org(fixture_hub()).key_dates if d.time)
    assert when_text(key_date.start, key_date.end, key_date.time) == "2027-06-30T23:59"
