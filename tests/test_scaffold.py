"""`vtq-hub new`: a file that validates at once, says what to fill in, and never overwrites."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from hub_builder.load import schemas
from hub_builder.load.sources import source_paths
from hub_builder.pipeline import build, validate_paths
from hub_builder.repo.scaffold import SECTIONS, organisation_file
from tests.conftest import FIXTURE_HUB, ROOT, build_options
from tests.test_cli import vtq_hub

LISTS = (
    "pages",
    "qualification_groups",
    "key_dates",
    "standing_rules",
    "guidance",
    "contacts",
    "feeds",
)


def new_file(tmp_path: Path, *args: str) -> Path:
    result = vtq_hub("new", "acme-awards", "--sources", str(tmp_path), *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wrote organisations/acme-awards.yaml.\n")
    assert "vtq-hub validate organisations/acme-awards.yaml" in result.stdout
    return tmp_path / "organisations" / "acme-awards.yaml"


def test_the_new_file_validates_with_a_warning_for_each_placeholder(tmp_path: Path) -> None:
    path = new_file(tmp_path, "--maintainer", "@acme/exams-team")
    problems = validate_paths([path])
    assert [(p.line, p.field, p.is_error) for p in problems] == [
        (14, "name", False),
        (29, "website", False),
        (32, "source_url", False),
    ]
    assert all("if merged, the hub will" in p.message for p in problems)
    text = path.read_text("utf-8")
    assert 'maintainers: ["@acme/exams-team"]' in text
    assert text.startswith("# yaml-language-server: $schema=")


def test_filled_in_it_has_no_problems_and_builds(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    path = new_file(sources)
    text = path.read_text("utf-8")
    text = text.replace("REPLACE with the organisation's name", "Acme Awards")
    text = text.replace("https://replace.invalid/", "https://acme.example.org/")
    path.write_text(text, "utf-8")
    assert validate_paths([path]) == []
    report = build(build_options(sources, tmp_path))
    assert report.organisations == 2
    page = tmp_path / "site" / "organisations" / "acme-awards" / "index.html"
    assert "Acme Awards" in page.read_text("utf-8")


def test_its_commented_examples_are_valid_once_uncommented_and_still_flagged(
    tmp_path: Path,
) -> None:
    path = new_file(tmp_path)
    text = re.sub(
        rf"^# ((?:{'|'.join(LISTS)}):|  .*)$",
        r"\1",
        path.read_text("utf-8"),
        flags=re.MULTILINE,
    )
    path.write_text(text, "utf-8")
    problems = validate_paths([path])
    assert not [p.format() for p in problems if p.is_error]
    flagged = {str(p.field).split("[")[0] for p in problems}
    assert flagged == {"name", "website", "source_url", *LISTS}


def test_an_existing_id_is_refused_and_the_file_left_alone(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    path.write_text("id: acme-awards\n", "utf-8")
    result = vtq_hub("new", "acme-awards", "--sources", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {tmp_path}/organisations/acme-awards.yaml exists already: edit it instead, "
        f"or choose another id (the organisations are listed in {tmp_path}/organisations)\n"
    )
    assert path.read_text("utf-8") == "id: acme-awards\n"


def test_a_bad_id_or_handle_is_refused_with_what_to_write(tmp_path: Path) -> None:
    result = vtq_hub("new", "Acme Awards", "--sources", str(tmp_path))
    assert result.returncode == 1
    assert "'Acme Awards' cannot be an id: use lower-case letters" in result.stderr
    result = vtq_hub("new", "acme", "--maintainer", "jane", "--sources", str(tmp_path))
    assert result.returncode == 1
    assert "'jane' is not a GitHub handle or team" in result.stderr
    assert not (tmp_path / "organisations").exists()


def test_the_scaffold_has_a_section_for_every_schema_field_in_schema_order() -> None:
    assert list(SECTIONS) == list(schemas.schema(schemas.ORGANISATION)["properties"])


def test_each_field_comment_is_the_schema_description() -> None:
    text = organisation_file("acme", (), date(2026, 11, 23))
    flat = " ".join(line.removeprefix("# ") for line in text.splitlines())
    for name, prop in schemas.schema(schemas.ORGANISATION)["properties"].items():
        assert prop["description"] in flat, name


def test_the_schema_reference_points_at_the_packaged_schema(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    schema_ref = path.read_text("utf-8").splitlines()[0].split("=", 1)[1]
    assert (path.parent / schema_ref).resolve() == (
        Path(schemas.__file__).parent.parent / "schema" / schemas.ORGANISATION
    )


def test_the_real_sources_have_no_placeholder_left() -> None:
    """Placeholders are warnings while an entry is written, but never reach the public: this
    test fails the pull request's tests and stops the publish job if one is merged."""
    left = [p.format() for p in validate_paths(source_paths(ROOT / "sources")) if not p.is_error]
    assert left == []
