"""Strict YAML: bytes in, plain data plus the line and column of every value out.

Input is untrusted, so the loader accepts a small, predictable subset of YAML:

* one document; UTF-8 text; at most ``Limits.max_bytes``, nesting ``max_depth`` deep and
  ``max_nodes`` values in all;
* no duplicate keys, no anchors or aliases, no tags (``!!python/object``, ``!!str``…);
* no character that YAML forbids in a file (control characters, lone surrogates, U+FFFE),
  even when written as an escape such as ``"\\0"`` or ``"\\ud800"``;
* plain scalars become ``None`` (``null``, ``~``, empty), ``True``/``False`` (``true``,
  ``false`` only: ``NO``, ``yes`` and ``on`` stay text) or ``int``; everything else,
  dates included, stays text, so ``2026-08-13`` is the string the schema checks.

Every problem is a :class:`Problem`; loading never raises on bad input.

    >>> doc = load(b"id: ncfe\\nname: NCFE\\n", "ncfe.yaml")
    >>> doc.data, doc.position(("name",))
    ({'id': 'ncfe', 'name': 'NCFE'}, (2, 7))

The places of a file (:class:`TextPlaces`) outlive its data: the model keeps them, so a
problem found after normalising is still placed on its line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from hub_builder.problems import FieldPath, Places, Position, Problem, Severity, field_name

__all__ = ["Document", "Limits", "Problem", "TextPlaces", "listed", "load"]

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
# What YAML 1.1 does not allow in a stream (PyYAML's reader refuses these in the raw text).
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


@dataclass(frozen=True)
class Limits:
    """Bounds on one source file. Each is reported, with the limit, when hit."""

    max_bytes: int = 1_000_000
    max_depth: int = 12
    max_nodes: int = 100_000


_UNLIMITED = Limits(max_bytes=sys.maxsize, max_depth=sys.maxsize, max_nodes=sys.maxsize)


class TextPlaces(Places):
    """The places of a loaded file, kept as its text and worked out again the first time
    one is asked for (to place a problem): the positions of every value take ten times the
    text's memory, and most files have no problem to place."""

    def __init__(self, path: str, text: str | None) -> None:
        super().__init__(path)
        self.text = text  # until the places are worked out

    def _place(self) -> None:
        if self.text is not None:
            # The same text was read within its limits: no limit can be met again.
            builder = _Builder(self.path, _UNLIMITED)
            for event in yaml.parse(self.text, Loader=_Loader):
                builder.feed(event)
            self.positions, self.key_positions = builder.positions, builder.key_positions
            self.items = _items(builder.root)
            self.text = None


def _items(data: Any, path: FieldPath = ()) -> dict[tuple[FieldPath, object], int]:
    """Every list's items by their ``id`` (a mapping's) or their value (a plain one's)."""
    found: dict[tuple[FieldPath, object], int] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            found.update(_items(value, (*path, key)))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            key = item.get("id") if isinstance(item, dict) else item
            if isinstance(key, str | int) and (path, key) not in found:
                found[(path, key)] = index
            found.update(_items(item, (*path, index)))
    return found


@dataclass
class Document:
    """A loaded file: ``data`` (None when unreadable), its problems, and ``places``: where
    each value and key sits (:class:`TextPlaces`, worked out when first asked for), which
    the model keeps after the data is gone."""

    path: str
    data: Any
    problems: list[Problem] = field(default_factory=list)
    written: dict[FieldPath, str] = field(default_factory=dict)  # a number as the file wrote it
    places: Places = field(default_factory=Places, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.places.path:
            self.places = Places(self.path)

    def position(self, path: FieldPath) -> Position:
        """The line and column of the value at ``path``, or of its nearest parent."""
        return self.places.position(path)

    def key_position(self, path: FieldPath) -> Position:
        return self.places.key_position(path)

    def problem(
        self,
        path: FieldPath,
        message: str,
        *,
        at_key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        return self.places.problem(path, message, at_key=at_key, severity=severity)


def listed(data: dict[str, Any], key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of the list at ``data[key]``, each with its index: how the checks walk a
    file's records, passing over what is not a mapping (the schema reports that).

    >>> listed({"key_dates": [{"id": "a"}, "b", {"id": "c"}]}, "key_dates")
    [(0, {'id': 'a'}), (2, {'id': 'c'})]
    """
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def load(content: bytes, path: str, limits: Limits | None = None) -> Document:
    """Parse ``content`` strictly; problems are collected in ``Document.problems``."""
    limits = limits or Limits()
    if len(content) > limits.max_bytes:
        return _unreadable(path, too_big(len(content), limits))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return _unreadable(
            path, f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8", line=line
        )
    builder = _Builder(path, limits)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.reader.ReaderError as exc:
        line, col = _line_and_column(text, exc.position)
        return _unreadable(
            path,
            f"the file contains the character {_code_point(exc.character)}, "
            "which is not allowed; remove it",
            line=line,
            col=col,
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or "not valid YAML"
        return _unreadable(path, f"YAML syntax error: {reason}", line=line, col=col)
    except yaml.YAMLError as exc:
        return _unreadable(path, f"YAML syntax error: {exc}")
    except _TooBig as exc:
        return _unreadable(path, str(exc), line=exc.line, col=exc.col)
    document = builder.document(text)
    if document.data is None and not document.problems:
        return _unreadable(path, "the file holds no fields; start it with 'id: …'")
    return document


def too_big(size: int, limits: Limits) -> str:
    return (
        f"the file is {size:,} bytes; the limit is {limits.max_bytes:,}. "
        "Split it or remove old dates"
    )


def _line_and_column(text: str, position: int) -> Position:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _code_point(character: object) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def _unreadable(path: str, message: str, line: int = 1, col: int = 1) -> Document:
    return Document(path, None, [Problem(path, line, col, "", message)])


class _TooBig(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.line, self.col = mark.line + 1, mark.column + 1


@dataclass
class _Frame:
    value: dict[str, Any] | list[Any]
    path: FieldPath
    key: str | None = None
    key_mark: Position | None = None


class _Builder:
    """Turns the parser's event stream into data, positions and problems."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.nodes = 0
        self.problems: list[Problem] = []
        self.positions: dict[FieldPath, Position] = {}
        self.key_positions: dict[FieldPath, Position] = {}
        self.written: dict[FieldPath, str] = {}

    def document(self, text: str) -> Document:
        """What was read, with its text in place of its positions (:class:`Document`)."""
        return Document(
            self.path,
            self.root,
            self.problems,
            written=self.written,
            places=TextPlaces(self.path, text),
        )

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._problem(event, "", "only one YAML document is allowed; remove the '---'")
        elif isinstance(event, yaml.ScalarEvent):
            self._check_node(event)
            value = self._scalar(event)
            is_key = bool(self.stack) and self._awaits_key()
            path = self._add(event, value)
            if isinstance(value, int) and not isinstance(value, bool) and not is_key:
                self.written[path] = event.value
        elif isinstance(event, yaml.AliasEvent):
            self._problem(
                event,
                self._here(),
                f"aliases (*{event.anchor}) are not allowed; write the value out in full",
            )
            self._add(event, None)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self._check_node(event)
            if len(self.stack) >= self.limits.max_depth:
                raise _TooBig(
                    f"nesting is deeper than {self.limits.max_depth} levels", event.start_mark
                )
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            path = self._add(event, container)
            self.stack.append(_Frame(container, path))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.stack.pop()

    def _check_node(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise _TooBig(
                f"the file has more than {self.limits.max_nodes:,} values", event.start_mark
            )
        if event.anchor is not None:
            self._problem(
                event,
                self._here(),
                f"anchors (&{event.anchor}) are not allowed; write each value out in full",
            )
        if event.tag is not None and event.tag != "!":
            self._problem(
                event,
                self._here(),
                f"tags ({event.tag}) are not allowed; write a plain value, quoted if it is text",
            )

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        value: str = event.value
        forbidden = _NOT_PRINTABLE.search(value)
        if forbidden:
            self._problem(
                event,
                self._here(),
                f"the text contains the character {_code_point(forbidden.group())}, "
                "which is not allowed; remove it",
            )
            return _NOT_PRINTABLE.sub("", value)
        plain = event.implicit[0] and event.tag is None
        if not plain:
            return value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        return value

    def _awaits_key(self) -> bool:
        frame = self.stack[-1]
        return isinstance(frame.value, dict) and frame.key is None

    def _here(self) -> str:
        if not self.stack:
            return ""
        frame = self.stack[-1]
        if isinstance(frame.value, dict):
            path = frame.path if frame.key is None else (*frame.path, frame.key)
        else:
            path = (*frame.path, len(frame.value))
        return field_name(path)

    def _add(self, event: Any, value: Any) -> FieldPath:
        """Place ``value`` in the current container (or as a key); return its path."""
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        if not self.stack:
            self.root = value
            self.positions[()] = mark
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            path = (*frame.path, len(frame.value))
            frame.value.append(value)
        elif frame.key is None:
            self._take_key(frame, event, value, mark)
            return frame.path
        else:
            path = (*frame.path, frame.key)
            if frame.key in frame.value:
                line, col = frame.key_mark or mark
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        col,
                        field_name(path),
                        f"duplicate key '{frame.key}': it is "
                        f"already set on line {self.key_positions[path][0]}; keep one",
                    )
                )
            else:
                frame.value[frame.key] = value
                self.key_positions[path] = frame.key_mark or mark
            frame.key = None
        self.positions.setdefault(path, mark)
        return path

    def _take_key(self, frame: _Frame, event: Any, value: Any, mark: Position) -> None:
        if isinstance(value, dict | list) or value is None:
            self._problem(event, field_name(frame.path), "a key must be plain text")
            value = f"<invalid key on line {mark[0]}>"
        frame.key, frame.key_mark = str(value), mark

    def _problem(self, event: Any, field: str, message: str) -> None:
        mark = event.start_mark
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, field, message))
