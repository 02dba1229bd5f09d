"""Installs come from the lock files: every dependency pinned to one version, every file
checked against its hash, and nothing fetched unpinned on the way."""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.conftest import ROOT

LOCKS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def pinned(lock: str) -> dict[str, str]:
    """``{name: version}`` of every package the lock file pins with at least one hash."""
    text = (LOCKS / lock).read_text("utf-8")
    found = {}
    # name==version, any environment marker, then one or more hashes on their own lines
    pin = r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)[^\n]*?((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)"
    for match in re.finditer(pin, text, re.M):
        found[normal(match.group(1))] = match.group(2)
    return found


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def names(requirements: list[str]) -> set[str]:
    return {normal(re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0]) for r in requirements}


@pytest.mark.parametrize(
    ("lock", "extras"), [("site.txt", []), ("test.txt", ["test"])], ids=["site", "test"]
)
def test_every_dependency_is_pinned_with_hashes(lock: str, extras: list[str]) -> None:
    project = PYPROJECT["project"]
    wanted = names(
        [
            *project["dependencies"],
            *(r for extra in extras for r in project["optional-dependencies"][extra]),
            *PYPROJECT["build-system"]["requires"],
        ]
    )
    locked = pinned(lock)
    assert wanted <= set(locked), sorted(wanted - set(locked))
    packages = {
        normal(re.split(r"[=; ]", line, maxsplit=1)[0])
        for line in (LOCKS / lock).read_text("utf-8").splitlines()
        if re.match(r"^[A-Za-z0-9]", line)
    }
    assert packages == set(locked), "every package line is pinned with its hashes"


def test_the_test_lock_pins_the_site_lock_the_same() -> None:
    site, test = pinned("site.txt"), pinned("test.txt")
    assert {name: test[name] for name in site} == site


def test_the_makefile_installs_only_from_the_locks() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    installs = re.findall(r"pip install (.*)", makefile)
    assert installs == [
        "--quiet --require-hashes -r requirements/site.txt",
        "--quiet --no-deps --no-build-isolation -e .",
        "--quiet --require-hashes -r requirements/test.txt",
        "--quiet --no-deps --no-build-isolation -e .",
    ]
    assert "uv pip compile pyproject.toml requirements/build.in --generate-hashes" in makefile
