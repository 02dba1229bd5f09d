"""Rules a schema cannot say about standing rules, and the key dates that name them.

- ``every_year`` days must be real days in every year: ``"02-30"`` never is, and
  ``"02-29"`` is not in three years out of four;
- the expected dates a rule gives are ``<rule id>-<academic year>``: no key date may have
  such an id, or the two would share a web address and a calendar entry;
- a key date's ``standing_rule`` names a rule of the same file.

    >>> from hub_builder.load.strict_yaml import load
    >>> document = load(b"standing_rules:\\n  - id: ecd\\n    every_year: {start: '02-30'}\\n",
    ...     "x.yaml")
    >>> [p.message for p in standing_rule_problems(document, document.data)]
    ["'02-30' is not a day of the year; check the month and day"]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from hub_builder.load.strict_yaml import Document, listed
from hub_builder.problems import Problem

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_YEAR_SUFFIX = re.compile(r"-20[0-9]{2}-[0-9]{2}$")


def standing_rule_problems(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    rules = listed(data, "standing_rules")
    key_dates = listed(data, "key_dates")
    rule_ids = sorted(r["id"] for _, r in rules if isinstance(r.get("id"), str))
    for index, rule in rules:
        every_year = rule.get("every_year")
        for field in ("start", "end"):
            value = every_year.get(field) if isinstance(every_year, dict) else None
            message = _month_day_problem(value)
            if message:
                yield document.problem(("standing_rules", index, "every_year", field), message)
    for index, key_date in key_dates:
        date_id = key_date.get("id")
        if isinstance(date_id, str) and _YEAR_SUFFIX.search(date_id):
            stem = _YEAR_SUFFIX.sub("", date_id)
            if stem in rule_ids:
                yield document.problem(
                    ("key_dates", index, "id"),
                    f"'{date_id}' is the id of an expected date of the standing rule '{stem}'; "
                    f"give the date another id and name the rule with standing_rule: {stem}",
                )
        named = key_date.get("standing_rule")
        if isinstance(named, str) and named not in rule_ids:
            known = ", ".join(rule_ids) if rule_ids else "this file has no standing_rules"
            yield document.problem(
                ("key_dates", index, "standing_rule"),
                f"unknown standing rule '{named}'; expected one of: {known}",
            )


def _month_day_problem(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{2}-[0-9]{2}", value):
        return ""  # missing or malformed: the schema says so
    month, day = int(value[:2]), int(value[3:])
    if value == "02-29":
        return "29 February is not in every year; the rule needs a day that is"
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        return f"'{value}' is not a day of the year; check the month and day"
    return ""
