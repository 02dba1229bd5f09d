"""A problem found in a source file, with its place, in the one format users see.

    >>> Problem("sources/organisations/ncfe.yaml", 12, 5, "key_dates[0].end",
    ...         "ends before it starts").format()
    'sources/organisations/ncfe.yaml:12:5: key_dates[0].end: ends before it starts'

Lines and columns are 1-based. ``field`` is a dotted path with list indexes in brackets.

:class:`Places` is where each value of one source file is written, kept from loading
(:mod:`load.strict_yaml` makes it) in the model, so a problem found in any later stage is
placed on its line without the file's data:

    >>> places = Places("ncfe.yaml", {(): (1, 1), ("key_dates", 0, "id"): (5, 9)})
    >>> places.problem(("key_dates", 0, "id"), "two dates share it").format()
    'ncfe.yaml:5:9: key_dates[0].id: two dates share it'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]  # line, column


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


class Places:
    """Where each value and key of one source file is written, by field path, and which
    item of each list has which ``id`` (or, in a list of plain values, which value).

    A subclass may work its maps out only when first asked for (``_place``); this one holds
    them as given. A field not in the map is placed at its nearest parent's position."""

    def __init__(
        self,
        path: str = "",
        positions: dict[FieldPath, Position] | None = None,
        key_positions: dict[FieldPath, Position] | None = None,
        items: dict[tuple[FieldPath, object], int] | None = None,
    ) -> None:
        self.path = path
        self.positions = positions or {}
        self.key_positions = key_positions or {}
        self.items = items or {}

    def _place(self) -> None:
        """Work the maps out, for a subclass that keeps them for later."""

    def position(self, path: FieldPath) -> Position:
        """The line and column of the value at ``path``, or of its nearest parent."""
        self._place()
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def key_position(self, path: FieldPath) -> Position:
        """Where the key of the value at ``path`` is written (its value's place if none)."""
        self._place()
        return self.key_positions.get(path) or self.position(path)

    def item(self, list_path: FieldPath, key: object) -> int:
        """The index of the first item of the list at ``list_path`` whose ``id`` is
        ``key`` (or, in a list of plain values, which is ``key``); KeyError if none is."""
        self._place()
        return self.items[(list_path, key)]

    def problem(
        self,
        path: FieldPath,
        message: str,
        *,
        at_key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        """A problem at the value (or the key) at ``path``."""
        line, col = self.key_position(path) if at_key else self.position(path)
        return Problem(self.path, line, col, field_name(path), message, severity)


def field_name(path: FieldPath) -> str:
    """``("key_dates", 0, "end")`` → ``"key_dates[0].end"``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, line, column order, each once."""
    return sorted(set(problems))
