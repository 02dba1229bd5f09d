"""How ``vtq-hub validate`` writes problems: one registry of formats, one line per problem.

``human`` (the default) is the house format, ``path:line:col: field: message``.
``github`` is GitHub Actions' workflow-command format, which GitHub turns into annotations
on the pull request's changed lines::

    >>> from hub_builder.problems import Problem
    >>> print(github(Problem("sources/national.yaml", 12, 5, "dates[0].end", "ends too soon")))
    ::error file=sources/national.yaml,line=12,col=5,title=dates[0].end::ends too soon

Errors fail the check; warnings (``::warning``) do not, and each says what it will cause.
Pure functions of a :class:`Problem`; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable

from hub_builder.problems import Problem

Formatter = Callable[[Problem], str]


def human(problem: Problem) -> str:
    return problem.format()


def github(problem: Problem) -> str:
    properties = ",".join(
        f"{name}={_escape_property(value)}"
        for name, value in (
            ("file", problem.path),
            ("line", str(problem.line)),
            ("col", str(problem.col)),
            ("title", problem.field or "file"),
        )
    )
    return f"::{problem.severity.value} {properties}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    """GitHub's escaping for a command's message (its ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub's escaping for a command's property value (its ``escapeProperty``)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATS: dict[str, Formatter] = {"human": human, "github": github}
