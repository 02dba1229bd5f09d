"""What every output format shares: where a key date came from and how its groups read.

``source_record(hub, key_date)`` names the source record behind a date, for build errors:
``sources/organisations/ncfe.yaml: key date results-2026``. ``groups_of`` resolves a
date's groups (all of its organisation's when it names none).
"""

from __future__ import annotations

from hub_builder.load.sources import NATIONAL_FILE
from hub_builder.model import NATIONAL_ID, NATIONAL_NAME, Hub, KeyDate, QualificationGroup


def source_record(hub: Hub, key_date: KeyDate) -> str:
    if key_date.organisation_id == NATIONAL_ID:
        return f"{NATIONAL_FILE}: date {key_date.id}"
    org = hub.organisation(key_date.organisation_id)
    return f"{org.source_path}: key date {key_date.id}"


def organisation_name(hub: Hub, key_date: KeyDate) -> str:
    if key_date.organisation_id == NATIONAL_ID:
        return NATIONAL_NAME
    return hub.organisation(key_date.organisation_id).name


def groups_of(hub: Hub, key_date: KeyDate) -> tuple[QualificationGroup, ...]:
    """The groups a date applies to; none for national dates."""
    if key_date.organisation_id == NATIONAL_ID:
        return ()
    return hub.organisation(key_date.organisation_id).groups_for(key_date)
