"""The second site engine: Zensical, the successor of mkdocs-material, as a child process.

    warnings = run_zensical(Path("mkdocs.yml"), Path(".hub-build/docs"), staging, address)

Zensical reads mkdocs.yml as it is (theme, palette, overrides, navigation, markdown
extensions) but runs no mkdocs plugins or hooks, which the hub does not use. It wants the
folders it reads and writes given relative to its configuration file, and writes only inside
that file's folder, so the adapter writes a copy of mkdocs.yml beside the laid-out pages
(``.hub-build/zensical.yml``) with ``docs_dir`` and ``theme.custom_dir`` made relative to
it, ``site_dir`` a folder beside it (``.hub-build/zensical-site``, whose files are then
moved into the staging folder), and the site's address and repository
(:class:`SiteAddress`) in place of the file's own, and its own search turned off. Zensical's own
search index (``search.json``) is removed: the hub's search is Pagefind, run afterwards on
either engine's output; ``sitemap.xml.gz`` is written, as mkdocs does.

Raises :class:`errors.BuildError` with Zensical's own output when the build fails.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from hub_builder.errors import BuildError
from hub_builder.files import write_text_atomic
from hub_builder.load.site_address import UNSET, SiteAddress, mkdocs_settings

TIMEOUT_SECONDS = 1800
CONFIG_NAME = "zensical.yml"
OUTPUT_NAME = "zensical-site"


def run_zensical(
    config: Path, docs: Path, site: Path, address: SiteAddress = UNSET
) -> tuple[str, ...]:
    """``zensical build`` of the laid-out pages into ``site``; returns its warnings."""
    output = docs.parent / OUTPUT_NAME
    shutil.rmtree(output, ignore_errors=True)
    settings = engine_settings(config, docs, output, address)
    engine_config = docs.parent / CONFIG_NAME
    write_text_atomic(engine_config, yaml.safe_dump(settings, sort_keys=False, allow_unicode=True))
    # --clean: Zensical's own cache (.hub-build/.cache) is not trusted across builds; the
    # hub decides what to rebuild (publish.fingerprint).
    command = [sys.executable, "-m", "zensical", "build", "--clean", "--config-file", CONFIG_NAME]
    if settings.get("strict"):  # as mkdocs: a warning fails the build
        command.append("--strict")
    try:
        done = subprocess.run(
            command,
            cwd=engine_config.parent,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"Zensical could not build the site: {exc}") from exc
    said = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise BuildError(f"Zensical could not build the site: {said or done.returncode}")
    (output / "search.json").unlink(missing_ok=True)
    compress_sitemap(output)
    try:
        for built in output.iterdir():  # shutil.move: the site may be on another filesystem
            shutil.move(built, site / built.name)
        output.rmdir()
    except OSError as exc:
        raise BuildError(f"Zensical's site could not be moved into place: {exc}") from exc
    return tuple(line for line in said.splitlines() if "warning" in line.lower())


def compress_sitemap(output: Path) -> None:
    """``sitemap.xml.gz`` beside ``sitemap.xml``, as mkdocs writes it (byte-stable: no time
    or name in the header)."""
    sitemap = output / "sitemap.xml"
    if sitemap.is_file():
        packed = gzip.compress(sitemap.read_bytes(), compresslevel=9, mtime=0)
        (output / "sitemap.xml.gz").write_bytes(packed)


def engine_settings(config: Path, docs: Path, site: Path, address: SiteAddress) -> dict[str, Any]:
    """mkdocs.yml's settings with every folder relative to the engine's own config file."""
    settings = mkdocs_settings(config)
    base = docs.parent.resolve()

    def relative(path: Path) -> str:
        return os.path.relpath(path.resolve(), base)

    settings["docs_dir"] = relative(docs)
    settings["site_dir"] = relative(site)
    theme = dict(settings.get("theme") or {})
    if theme.get("custom_dir"):
        theme["custom_dir"] = relative(config.parent / str(theme["custom_dir"]))
    settings["theme"] = theme
    # The address as the hub resolved it, even when an override left it unset.
    settings.pop("site_url", None)
    if address.site_url:
        settings["site_url"] = address.site_url
    settings["extra"] = {
        **(settings.get("extra") or {}),
        "repository": address.repository,
        "report_email": address.report_email,
    }
    # The hub's search is Pagefind's: Zensical's own index is not built (at hub scale it
    # would refuse a long page anyway).
    settings["plugins"] = {"search": {"enabled": False}}
    return settings
