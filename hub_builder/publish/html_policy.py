"""Check and finish every built HTML page before the site is swapped in.

Text from AO files and feeds is escaped by the templates; this is the last line, run by
:mod:`hub_builder.publish` on the staging folder after mkdocs and before the swap. For each
``*.html``:

1. **Refuse** (:class:`errors.UnsafeOutput`, so the old site stays) a page with an inline
   script that is not one of the theme's (``THEME_SCRIPTS``), a script loaded from another
   site, an event-handler attribute (``onclick``…), a ``<base>``, ``<iframe>``, ``<frame>``,
   ``<object>``, ``<embed>``, a ``<meta http-equiv="refresh">`` to anywhere but another page
   of the site (the redirect pages of old addresses), or a link or source whose
   scheme, read as a browser reads it, is not https, mailto, tel or within the site.
2. **Mark** every link to another site ``rel="noopener noreferrer"`` (hand-written pages and
   the theme's footer included), so the page it opens cannot reach back.
3. **Insert** a ``<meta http-equiv="Content-Security-Policy">`` right after ``<meta
   charset>``, before the theme's first script, allowing exactly that page's inline scripts
   by their sha256 hashes (the theme's scope script differs with the page's depth, so the
   hashes are per page).

A large hub's pages are shared between processes (:mod:`hub_builder.scale`): the same
pages and the same first refusal as in one process.
A page the engine wrote byte for byte as in an earlier build was checked then: with a cache
folder, its secured text is taken from there (:class:`SecuredPages`).

Pages are read with a small tokenizer (comments, scripts, start tags) rather than
``html.parser``: it reads a 5 MB page three to four times faster, and where it could misread, it
errs towards refusing. The tests judge the built pages again with html5lib.

The theme's inline scripts are recognised by the hash of their text with the path to the
site's root in ``new URL("../..",location)`` (or ``new URL("/vtq-hub/",location)`` on the 404
page) written as ``"."``; a theme upgrade that changes one
fails the build with a message naming the page, until the new script is reviewed and its
hash added here.

    report = secure_site(Path("site.staging"))   # → PolicyReport(pages=11, links_marked=3)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import stat
import sys
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from itertools import repeat
from pathlib import Path
from typing import Any

from hub_builder import link_policy, scale
from hub_builder.errors import UnsafeOutput
from hub_builder.files import write_atomic, write_text_atomic
from hub_builder.link_policy import (
    is_allowed_in_page,
    is_external,
    is_within_site,
    page_link_scheme,
)

# sha256 of the theme's inline scripts (mkdocs-material 9.8 and Zensical), relative paths
# written as ".".
THEME_SCRIPTS = {
    # partials/javascripts/base.html: __md_scope, __md_get/__md_set (local storage helpers)
    "6a9a103c779f08d5a3c5b0a6f87cd50ce016e024955a163b5729508e0385c9f9",
    # base.html: restores the reader's chosen colour palette
    "0eb10c249dbdb0beef225a10ce5cbe55418cc4a7014cc208f8e7d6ed8f00906e",
    # partials/javascripts/content.html: opens the content tab named in the address
    "ffcc0f7735fdab434d257c80e65cec2e88d716991e69757185b7e450e41a5b2f",
    # Zensical 0.0.73, partials/javascripts/base.html: the same helpers, the scope always
    # ending "/", and data-platform on <html> (its other inline scripts are mkdocs-material's)
    "36d0d2a6ab1b4474c2baf3b4c34f475b2c10141f306ac0b7cff8a45382a04669",
}
MAX_WORKERS = 4  # on a large hub's path, the pages are shared among this many at most
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
FORBIDDEN_ELEMENTS = frozenset({"base", "iframe", "frame", "frameset", "object", "embed"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background"}
)
REL_EXTERNAL = ("noopener", "noreferrer")
POLICY = (
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'{hashes}",  # Pagefind's search runs as WebAssembly
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
_REFRESH_URL = re.compile(r"url\s*=\s*(.*)$", re.I | re.S)
# The scope is the path to the site's root: relative ("../..") on pages, the site's own path
# ("/vtq-hub/", from site_url; Zensical writes "/vtq-hub") on the 404 page, which is served at
# any depth.
_SCOPE_PATH = re.compile(
    r'new URL\("(?:[./]*|/(?:[A-Za-z0-9._~-]+/)*(?:[A-Za-z0-9._~-]+)?)",location\)'
)


@dataclass(frozen=True)
class PolicyReport:
    pages: int
    links_marked: int


def secure_site(site: Path, cache: Path | None = None, large: bool = False) -> PolicyReport:
    """Check, mark and add the policy to every page in ``site``, in place. On a large hub's
    path the pages are shared among processes, one per core; the first page refused, in
    path order, is the one reported either way. With a ``cache`` folder, a page the engine
    wrote exactly as in an earlier build is secured as it was then (:class:`SecuredPages`)."""
    pages = sorted(site.rglob("*.html"))
    secured = SecuredPages(cache) if cache else None
    restored = {page: secured.restore(page) for page in pages} if secured else {}
    todo = [page for page in pages if restored.get(page) is None]
    marked = dict(zip(todo, secure_files(site, todo, large), strict=True))
    if secured:
        for page in todo:
            secured.store(page, marked[page])
        secured.keep_only_used()
    total = sum(marked.values()) + sum(count or 0 for count in restored.values())
    return PolicyReport(pages=len(pages), links_marked=total)


def secure_files(site: Path, pages: list[Path], large: bool) -> list[int]:
    """How many links of each page were marked, in one process or in several."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if not large or workers < 2:
        return [secure_file(site, path) for path in pages]
    # "spawn": a fresh interpreter per worker, never a copy of a process that runs threads.
    with scale.pool_of(workers, "spawn") as pool:
        return list(pool.map(secure_file, repeat(site), pages, chunksize=4))


class SecuredPages:
    """Pages secured by earlier builds, in a folder of the work folder (safe to delete).

    An entry is named by the sha256 of what decides a secured page (this module,
    link_policy, ada-url's version, Python's) and of the page as the engine wrote it, so a
    page that differs by a byte, or a policy that changed, finds none. The index keeps each
    entry's links-marked count and the sha256 of its secured text, checked before the entry
    is used: an entry that does not match is ignored and the page secured again. The folder
    is a cache: one that cannot be written costs the next build time, never this one its
    pages. After a build it keeps that build's entries only."""

    INDEX = "index.json"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            index = json.loads((folder / self.INDEX).read_text("utf-8"))
            self.index: dict[str, list[Any]] = index if isinstance(index, dict) else {}
        except (OSError, ValueError):
            self.index = {}
        self.keys: dict[Path, str] = {}
        self.used: dict[str, list[Any]] = {}

    def restore(self, page: Path) -> int | None:
        """Write the page as an earlier build secured it and return its count of links
        marked; ``None`` (the page untouched) when there is no matching entry."""
        key = hashlib.sha256(policy_code_digest().encode() + page.read_bytes()).hexdigest()
        self.keys[page] = key
        entry = self.index.get(key)
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int)):
            return None
        try:
            text = (self.folder / key).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(text).hexdigest() != entry[1]:
            return None
        replace_page(page, text)
        self.used[key] = entry
        return entry[0]

    def store(self, page: Path, marked: int) -> None:
        text = page.read_bytes()
        key = self.keys[page]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / key).write_bytes(text)
        except OSError:
            return
        self.used[key] = [marked, hashlib.sha256(text).hexdigest()]

    def keep_only_used(self) -> None:
        try:
            for entry in self.folder.iterdir():
                if entry.name not in self.used and entry.name != self.INDEX and entry.is_file():
                    entry.unlink(missing_ok=True)
            write_text_atomic(self.folder / self.INDEX, json.dumps(self.used, sort_keys=True))
        except OSError:
            return


@cache
def policy_code_digest() -> str:
    """The sha256 of what decides a secured page besides the page itself."""
    code = Path(__file__).read_bytes() + Path(link_policy.__file__ or "").read_bytes()
    versions = f"{metadata.version('ada-url')} {sys.version}".encode()
    return hashlib.sha256(code + versions).hexdigest()


def secure_file(site: Path, path: Path) -> int:
    """One page secured in place; how many of its links were marked."""
    text, count = secure_page(path.read_text("utf-8"), path.relative_to(site).as_posix())
    replace_page(path, text.encode("utf-8"))
    return count


def replace_page(path: Path, content: bytes) -> None:
    """Write a page whole, by renaming a finished copy over it, with the page's mode: the
    search indexer, reading the site meanwhile, sees the page before or after, never part."""
    write_atomic(path, content, mode=stat.S_IMODE(path.stat().st_mode), durable=False)


def secure_page(text: str, name: str) -> tuple[str, int]:
    """The page with its links marked and its policy inserted; how many links were marked."""
    reader = _PageReader(text)
    if reader.refusals:
        raise UnsafeOutput(f"{name}: {reader.refusals[0]}; the site was not replaced")
    edits = [*reader.link_edits, (reader.policy_at, 0, policy_meta(reader.inline_scripts))]
    return edited(text, edits), len(reader.link_edits)


def edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(offset, length, replacement)`` made, in one pass: a page with a
    link to mark on each row of a 1,500-row table is not copied once per link."""
    pieces, at = [], 0
    for offset, length, replacement in sorted(edits):
        pieces += [text[at:offset], replacement]
        at = offset + length
    pieces.append(text[at:])
    return "".join(pieces)


def policy_meta(inline_scripts: list[str]) -> str:
    hashes = "".join(f" 'sha256-{script_hash(s)}'" for s in sorted(set(inline_scripts)))
    policy = "; ".join(POLICY).format(hashes=hashes)
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def script_hash(script: str) -> str:
    """The CSP source hash of an inline script: base64 of the sha256 of its exact text."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def theme_script_id(script: str) -> str:
    """The hex sha256 that identifies a theme script, whatever the page's depth."""
    return hashlib.sha256(_SCOPE_PATH.sub('new URL(".",location)', script).encode()).hexdigest()


# A start tag's attributes: quoted values may hold ">"; a quote never closed is one character
# (as a browser reads it inside an unquoted value). Atomic and possessive: linear time.
_ATTRIBUTE_TEXT = r"""(?:(?>"[^"]*")|(?>'[^']*')|[^'">]|['"])*+"""
# A page is read as a stream of comments, scripts (with their text) and start tags. Anything
# that looks like a tag counts as one, even where a browser would see text (in a <title>, say):
# such a misreading can only refuse a page, never let something through.
_TOKENS = re.compile(
    r"<!---?>|<!--.*?(?:--!?>|$)"  # as browsers end comments: "<!-->" is a whole one
    rf"|<(?P<script>script)\b(?P<script_attrs>{_ATTRIBUTE_TEXT})>(?P<body>.*?)(?:</script\s*>|$)"
    rf"|<(?P<tag>[a-zA-Z][^\s/>]*)(?P<attrs>{_ATTRIBUTE_TEXT})>",
    re.S | re.I,
)
_ATTRIBUTES = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
# (a value-less attribute reads as "", as in a browser)


def attributes(text: str) -> list[tuple[str, str | None]]:
    """The attributes of a start tag's text, names lower-cased, values unescaped."""
    if not text.strip(" /"):
        return []
    return [
        (
            name.lower(),
            html.unescape(double or single or bare) if "&" in text else double or single or bare,
        )
        for name, double, single, bare in _ATTRIBUTES.findall(text)
    ]


class _PageReader:
    """Reads one page: what to refuse, which links to mark, where the policy goes.

    What a start tag gets (its problems, its link marked) depends on its text alone, so a
    tag written again on the page, as each cell of a date table is, is judged once
    (``verdicts``); only where a tag is, for a refusal's line and a link's edit, is
    worked out each time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.refusals: list[str] = []
        self.inline_scripts: list[str] = []
        self.link_edits: list[tuple[int, int, str]] = []
        self.policy_at = 0
        self.verdicts: dict[str, tuple[list[str], str | None]] = {}
        head_at = charset_at = None
        for token in _TOKENS.finditer(text):
            if token["script"]:
                self._script(token, attributes(token["script_attrs"]))
            elif token["tag"]:
                tag = token["tag"].lower()
                self._tag(token)
                if tag == "head" and head_at is None:
                    head_at = token.end()
                elif tag == "meta" and charset_at is None and is_charset(token["attrs"]):
                    charset_at = token.end()
        self.policy_at = charset_at or head_at or 0

    def _line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def _tag(self, token: re.Match[str]) -> None:
        verdict = self.verdicts.get(token[0])
        if verdict is None:
            tag, attrs = token["tag"].lower(), attributes(token["attrs"])
            marked = _marked_external(attrs) if tag == "a" else None
            verdict = self.verdicts[token[0]] = (problems_of(tag, attrs), marked)
        problems, marked = verdict
        if problems:
            self.refusals += [f"line {self._line(token.start())}: {p}" for p in problems]
        if marked is not None:
            self.link_edits.append((token.start(), token.end() - token.start(), marked))

    def _script(self, token: re.Match[str], attrs: list[tuple[str, str | None]]) -> None:
        problems = problems_of("script", attrs)
        self.refusals += [f"line {self._line(token.start())}: {p}" for p in problems]
        values = dict(attrs)
        kind = (values.get("type") or "").strip().lower()
        if values.get("src") is not None or kind in DATA_SCRIPT_TYPES:
            return  # loaded from the site (checked above), or data a browser does not run
        script = token["body"]
        if theme_script_id(script) not in THEME_SCRIPTS:
            self.refusals.append(
                f"line {self._line(token.start())}: an inline script that is not the theme's "
                f"({script[:60]!r}); if the theme was upgraded, review it and add its hash to "
                "html_policy.THEME_SCRIPTS"
            )
        self.inline_scripts.append(script)


def is_charset(attrs_text: str) -> bool:
    return "charset" in dict(attributes(attrs_text))


def problems_of(tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
    """What the policy refuses in one start tag."""
    problems = []
    if tag in FORBIDDEN_ELEMENTS:
        problems.append(f"a <{tag}> element")
    for name, value in attrs:
        if name.startswith("on"):
            problems.append(f"an event-handler attribute ({name})")
        elif name in URL_ATTRIBUTES and value is not None and not is_allowed_in_page(value):
            scheme = page_link_scheme(value) or "an unreadable address"
            problems.append(f"a {name} to {scheme} in <{tag}>")
    values = dict(attrs)
    if tag == "script" and values.get("src") and is_external(values["src"] or ""):
        problems.append("a script from another site")
    if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
        target = _REFRESH_URL.search(values.get("content") or "")
        if not target or not is_within_site(target.group(1).strip("'\" ")):
            problems.append("a <meta> refresh to another site")
    return problems


def _marked_external(attrs: list[tuple[str, str | None]]) -> str | None:
    """A link's start tag with ``rel="noopener noreferrer"`` when it leads to another site
    and lacks either; ``None`` when it needs no change."""
    values = dict(attrs)
    href = values.get("href")
    if not href or not is_external(href):
        return None
    rel = (values.get("rel") or "").split()
    if all(token in rel for token in REL_EXTERNAL):
        return None
    rel += [token for token in REL_EXTERNAL if token not in rel]
    kept = [(n, v) for n, v in attrs if n != "rel"]
    return _start_tag("a", [*kept, ("rel", " ".join(rel))])


def _start_tag(tag: str, attrs: list[tuple[str, str | None]]) -> str:
    parts = [tag, *(n if v is None else f'{n}="{html.escape(v, quote=True)}"' for n, v in attrs)]
    return "<" + " ".join(parts) + ">"
