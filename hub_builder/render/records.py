"""What every output format shares: how a key date's organisation and groups read.

``groups_of`` resolves a date's groups (all of its organisation's when it names none);
``organisation_name`` names a date's organisation. (The source record behind a date, for
build errors, is :func:`domain.identity.source_record`.)
"""

from __future__ import annotations

from hub_builder.model import NATIONAL_ID, NATIONAL_NAME, Hub, KeyDate, QualificationGroup


def organisation_name(hub: Hub, key_date: KeyDate) -> str:
    if key_date.organisation_id == NATIONAL_ID:
        return NATIONAL_NAME
    return hub.organisation(key_date.organisation_id).name


def groups_of(hub: Hub, key_date: KeyDate) -> tuple[QualificationGroup, ...]:
    """The groups a date applies to; none for national dates."""
    if key_date.organisation_id == NATIONAL_ID:
        return ()
    return hub.organisation(key_date.organisation_id).groups_for(key_date)
