"""ARCHITECTURE.md names only what exists: every file, folder and module it names is in the
checkout, so the page cannot drift from the code unnoticed."""

from __future__ import annotations

import re

from tests.conftest import ROOT

DOC = ROOT / "ARCHITECTURE.md"
CODE = re.compile(r"`([^`\n]+)`")
MODULE = re.compile(r"^hub_builder(?:\.[a-z_]+)+$")
PATH = re.compile(r"^[\w.-]+(?:/[\w.-]*)+$|^[\w-]+\.(?:md|toml)$")  # a bare .py: see below


def named() -> tuple[list[str], list[str]]:
    """The paths and the dotted module names the page gives in code spans."""
    spans = CODE.findall(DOC.read_text("utf-8"))
    return [s for s in spans if PATH.match(s)], [s for s in spans if MODULE.match(s)]


def test_every_file_and_folder_named_exists() -> None:
    paths, _ = named()
    assert len(paths) > 30, "the page names the files it describes"
    assert [p for p in paths if not (ROOT / p).exists()] == []


def test_every_module_named_exists() -> None:
    _, modules = named()
    missing = [
        m
        for m in modules
        if not (ROOT / f"{m.replace('.', '/')}.py").is_file()
        and not (ROOT / m.replace(".", "/") / "__init__.py").is_file()
    ]
    assert missing == []
    modules_on_disk = {p.name for p in (ROOT / "hub_builder").rglob("*.py")}
    bare = set(re.findall(r"`([a-z_]+\.py)`", DOC.read_text("utf-8")))
    assert sorted(bare - modules_on_disk) == []


def test_every_stage_package_is_described() -> None:
    """Each package of hub_builder/ has its place on the page."""
    text = DOC.read_text("utf-8")
    packages = sorted(
        p.name for p in (ROOT / "hub_builder").iterdir() if (p / "__init__.py").is_file()
    )
    assert [p for p in packages if f"`hub_builder/{p}/`" not in text] == []


def test_the_files_named_in_a_stage_are_in_its_package() -> None:
    """``sources.py`` under load means hub_builder/load/sources.py: a bare file name in a
    stage's paragraph is one of that stage's modules."""
    text = DOC.read_text("utf-8")
    stages = re.findall(r"\*\*([a-z]+)\*\* \(`hub_builder/[a-z]+/`\)", text)
    assert stages == ["load", "check", "feeds", "normalise", "status", "render", "publish"]
    for stage, body in re.findall(
        r"\*\*([a-z]+)\*\* \(`hub_builder/[a-z]+/`\)(.*?)(?=\n\d\. |\n\n)", text, re.S
    ):
        for name in re.findall(r"`([a-z_]+\.py)`", body):
            assert (ROOT / "hub_builder" / stage / name).is_file(), f"{stage}: {name}"
