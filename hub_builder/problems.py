"""A problem found in a source file, with its place, in the one format users see.

    >>> Problem("sources/organisations/ncfe.yaml", 12, 5, "key_dates[0].end",
    ...         "ends before it starts").format()
    'sources/organisations/ncfe.yaml:12:5: key_dates[0].end: ends before it starts'

Lines and columns are 1-based. ``field`` is a dotted path with list indexes in brackets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

FieldPath = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        label = "" if self.is_error else "warning: "
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{self.col}:{field} {label}{self.message}"


def field_name(path: FieldPath) -> str:
    """``("key_dates", 0, "end")`` → ``"key_dates[0].end"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order, each once."""
    return sorted(set(problems))
