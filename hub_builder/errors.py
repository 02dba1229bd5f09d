"""The exceptions the library raises; the CLI turns each into a message and exit code.

HubError               base class: anything the user can act on
├── SourceProblems     raised by check.load_valid() (and so by every command that reads the
│                      sources) when sources have errors;
│                      carries every Problem found, not just the first
├── BuildError         raised by publish when mkdocs or the output tree fails
│   ├── OutputCollision    raised by the writer when two records claim one path
│   ├── OutputProblems     raised by a renderer (hub_builder.render) when a file would be
│   │                      invalid; names every source record at fault
│   └── UnsafeOutput       raised by publish.html_policy when a built page holds a script, event
│                          handler or link that the theme did not put there
├── RefusedFile        raised by files.read_inside when a file the hub would read is a link,
│                      not a regular file, outside its folder or too large; the message
│                      names the file as the checkout has it, never a link's target
├── NewSourceRefused   raised by repo.scaffold when a new file's id is bad or already taken
├── RevisionError      raised by repo.git when a revision's sources cannot be read from git
└── FetchFailed        raised by remote.http.HttpClient when a feed or page cannot be
                       fetched; the message is the short reason shown in fetch summaries
                       and on pages
"""

from __future__ import annotations

from collections.abc import Sequence

from hub_builder.problems import Problem


class HubError(Exception):
    """Something went wrong that the user can fix; the message says what."""


class SourceProblems(HubError):
    """One or more source files are invalid. ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        errors = sum(1 for p in self.problems if p.is_error)
        super().__init__(f"{errors} problem{'s' if errors != 1 else ''} found in the sources")


class BuildError(HubError):
    """The site could not be built from valid sources (mkdocs failed, disk full, …)."""


class OutputCollision(BuildError):
    """Two renderers produced the same output path."""


class OutputProblems(BuildError):
    """An output would be invalid (an inexpressible calendar time, a CSV-breaking character,
    two records with one calendar UID). ``problems`` names each source record at fault."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "the outputs cannot be built from these sources: " + "; ".join(self.problems)
        )

    def __reduce__(self) -> tuple[type[OutputProblems], tuple[tuple[str, ...]]]:
        """Pickled as its problems, so that it arrives from another process as itself."""
        return (type(self), (self.problems,))


class UnsafeOutput(BuildError):
    """A built page holds a script, event handler or link that the theme did not put there."""


class RefusedFile(HubError):
    """A file the hub would read is refused unread: a symbolic link (anywhere below the
    folder it is read from), not a regular file, outside that folder, or larger than the
    limit. The message names the file as it is in the checkout and why; never a link's
    target nor any byte of it, so it may be printed in a public log. ``path`` is the file as
    given and ``reason`` why it is refused."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[RefusedFile], tuple[str, str]]:
        return (type(self), (self.path, self.reason))


class NewSourceRefused(HubError):
    """Raised by scaffold when a new organisation file's id is not usable or already taken."""


class RevisionError(HubError):
    """Raised by repo.git when a revision's sources cannot be read from git."""


class FetchFailed(HubError):
    """A feed could not be fetched, or was refused; the message is the reason, in plain words.
    ``status`` is the HTTP status when the server answered with an error, else None."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
