"""Where the site is published, which repository keeps it, and where readers' reports go:
one setting each in mkdocs.yml.

    site_url: https://example.github.io/vtq-hub/      # mkdocs' own setting
    extra:
      repository: https://github.com/example/vtq-hub  # the hub's
      report_email: hub-team@example.org              # the maintainers' address

A build may override any of them (``vtq-hub build --site-url … --repo-url …
--report-email …``); the publish workflow passes GitHub Pages' address, the repository it
runs in and the repository variable ``REPORT_EMAIL``. Canonical links, the sitemap,
robots.txt, Open Graph tags, absolute links in feeds, and every "Report a mistake" link are
made from these. Any may be unset (a local build): then those links are left out, never
guessed, and the pages say where else a reader can go.

    read_site_address(Path("mkdocs.yml"))   # SiteAddress(site_url="…/", repository="…")

Raises :class:`errors.BuildError` when a setting is not an address the hub can use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hub_builder.errors import BuildError, RefusedFile
from hub_builder.files import read_inside

# A web address of RFC 3986's characters only, ending "/" (http only for a local preview).
SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@-]*)*/")
# Plain http is for a preview on this machine only.
LOOPBACK = re.compile(r"http://(?:localhost|127\.[0-9.]+|\[::1\])(?::[0-9]+)?/")
# A repository on GitHub or a GitHub Enterprise server: https://<host>/<owner>/<name>.
REPOSITORY = re.compile(r"https://[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
# A plain e-mail address: what a mailto: link may carry without escaping.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class SiteAddress:
    site_url: str = ""  # "https://example.github.io/vtq-hub/", always ending "/"; "" unset
    repository: str = ""  # "https://github.com/example/vtq-hub"; "" unset
    report_email: str = ""  # the maintainers' address for readers' reports; "" unset


UNSET = SiteAddress()


def read_site_address(
    config: Path,
    site_url: str | None = None,
    repository: str | None = None,
    report_email: str | None = None,
) -> SiteAddress:
    """The settings from ``config``, each replaced by its override when one is given."""
    settings = mkdocs_settings(config)
    extra = settings.get("extra") or {}
    return checked(
        SiteAddress(
            site_url=_text(site_url if site_url is not None else settings.get("site_url")),
            repository=_text(repository if repository is not None else extra.get("repository")),
            report_email=_text(
                report_email if report_email is not None else extra.get("report_email")
            ),
        )
    )


def checked(address: SiteAddress) -> SiteAddress:
    site_url = address.site_url
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    if site_url and not SITE_URL.fullmatch(site_url):
        raise BuildError(
            f"site_url {site_url!r} is not a web address: write it like "
            "https://example.github.io/vtq-hub/"
        )
    if site_url.startswith("http://") and not LOOPBACK.match(site_url):
        raise BuildError(
            f"site_url {site_url!r} is not https: a published site is served over https "
            "(plain http only for a preview on this machine, like http://127.0.0.1:8000/)"
        )
    repository = address.repository.removesuffix("/").removesuffix(".git")
    if repository and not REPOSITORY.fullmatch(repository):
        raise BuildError(
            f"the repository {repository!r} is not a GitHub repository's address: write it "
            "like https://github.com/example/vtq-hub"
        )
    if address.report_email and not EMAIL.fullmatch(address.report_email):
        raise BuildError(
            f"report_email {address.report_email!r} is not an e-mail address: write it like "
            "hub-team@example.org"
        )
    return SiteAddress(site_url, repository, address.report_email)


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold mkdocs' own tags (!ENV, !relative, !!python/name): read as text."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    return None


_Loader.add_multi_constructor("!", _any_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


MAX_CONFIG_BYTES = 1_000_000


def mkdocs_settings(config: Path) -> dict[str, Any]:
    """mkdocs.yml as data (its own tags read as text), read as every file of the checkout is
    (:func:`files.read_inside`: never through a link); raises :class:`errors.BuildError`."""
    try:
        text = read_inside(config.parent, config, MAX_CONFIG_BYTES).decode("utf-8")
        data = yaml.load(text, Loader=_Loader)
    except RefusedFile as exc:
        raise BuildError(f"{config} is refused: {exc.reason}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BuildError(f"{config} could not be read: {exc}") from exc
    return data if isinstance(data, dict) else {}


def theme_folder(config: Path) -> Path | None:
    """The theme's own folder (``theme.custom_dir`` of mkdocs.yml), which the engine reads."""
    theme = mkdocs_settings(config).get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return config.parent / custom if isinstance(custom, str) and custom else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
