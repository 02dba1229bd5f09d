"""Check and finish every built HTML page before the site is swapped in.

Text from AO files and feeds is escaped by the templates; this is the last line, run by
:mod:`hub_builder.publish` on the staging folder after mkdocs and before the swap. Each page
is read by an HTML5 parser (lexbor, through selectolax), which builds the tree a browser
builds from the same text: comments, the text of scripts, styles, titles and text areas,
SVG and MathML, unclosed and mis-nested tags and attributes written without spaces are read
as the HTML standard says. For each ``*.html``, on that tree:

1. **Refuse** (:class:`errors.UnsafeOutput`, so the old site stays) a page with an inline
   script that is not one of the theme's (``THEME_SCRIPTS``), a script loaded from another
   site, an event-handler attribute (``onclick``…), a ``<base>``, ``<iframe>``, ``<frame>``,
   ``<object>``, ``<embed>``, a ``<meta http-equiv="refresh">`` to anywhere but another page
   of the site (the redirect pages of old addresses), or a link or source whose
   scheme, read as a browser reads it, is not https, mailto, tel or within the site. The
   contents of a ``<template>`` are judged as if they were on the page (a script can put
   them there). A ``<noscript>`` is read as a browser running scripts reads it (its
   contents are text), and its text as a browser without scripts reads it (markup, judged
   as the page is); it must be written as the parser writes it back, so that both read it
   the same.
2. **Mark** every link to another site ``rel="noopener noreferrer"`` (hand-written pages and
   the theme's footer included), so the page it opens cannot reach back.
3. **Insert** a ``<meta http-equiv="Content-Security-Policy">`` right after ``<meta
   charset>`` (or first in the head when a script comes before it), allowing exactly that
   page's inline scripts by their sha256 hashes (the theme's scope script differs with the
   page's depth, so the hashes are per page).

The page written is that tree written out again by the parser, and read back before it is
kept (:func:`secure_page`), so what was judged is what a browser reads. A refusal names the
line where the element's start tag ends, found by parsing longer and longer beginnings of
the page (only a refused page pays for that). The tests judge the built pages again with
another parser (html5lib).

A large hub's pages are shared between processes (:mod:`hub_builder.scale`): the same
pages and the same first refusal as in one process. A page the engine wrote byte for byte
as in an earlier build was checked then: with a cache folder, its secured text is taken
from there (:class:`SecuredPages`).

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
import json
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from itertools import repeat
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

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
    link_policy, the versions of ada-url, selectolax and Python) and of the page as the
    engine wrote it, so a
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
    versions = " ".join([*(metadata.version(p) for p in ("ada-url", "selectolax")), sys.version])
    return hashlib.sha256(code + versions.encode()).hexdigest()


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
    """The page with its links marked and its policy inserted, as the parser writes it
    back; how many links were marked.

    What the parser writes is read back before it is kept: a tree written out does not
    always read back as the same tree (mis-nested SVG and MathML, say, can move text into
    markup), and the browser reads what is written. Read back, the page must hold nothing
    to refuse, no link left to mark and the same inline scripts."""
    reader = _PageReader(parse(text))
    if reader.refusal is not None:
        raise UnsafeOutput(f"{name}: {reader.refused_at(text)}; the site was not replaced")
    reader.insert_policy()
    secured = reader.document.html or ""
    verdicts, scripts, marked = reader.verdicts, reader.inline_scripts, reader.marked
    del reader  # its tree, before the next is made: a page's tree takes many times its size
    again = _PageReader(parse(secured), verdicts)
    if again.refusal is not None or again.marked or again.inline_scripts != scripts:
        found = again.refused_at(secured) if again.refusal else "its links or scripts differ"
        raise UnsafeOutput(
            f"{name}: the page as the HTML check writes it reads back otherwise ({found}); "
            "the site was not replaced"
        )
    return secured, marked


def parse(text: str) -> LexborHTMLParser:
    """The page as a browser running scripts reads it (a ``<noscript>``'s contents are its
    text: :meth:`_PageReader._noscript` reads them as a browser without scripts does)."""
    return LexborHTMLParser(text, scripting=True)


def elements(root: LexborNode | None) -> Iterator[LexborNode]:
    """Every element from ``root`` on, in the order of their start tags in the page, the
    contents of a ``<template>`` (which the parser holds apart) right after it."""
    if root is None:
        return
    for node in root.traverse(include_text=False):
        if not node.is_element_node:
            continue  # a comment
        yield node
        if node.tag == "template":
            for contents in node.template_fragments():
                yield from elements(contents)


def line_of(text: str, tag: str, index: int) -> int:
    """The line of the ``index``-th ``<tag>`` element (from 0, in :func:`elements` order) of
    the page: the first line by which the parser, given only the lines up to it, has made
    that many and one more (an element the parser makes of no tag of its own, such as a
    formatting element it opens again, counts where it is made)."""
    starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def made_by(lines: int) -> bool:
        beginning = text[: starts[lines]] if lines < len(starts) else text
        found = (node for node in elements(parse(beginning).root) if node.tag == tag)
        return sum(1 for _ in zip(range(index + 1), found, strict=False)) > index

    low, high = 1, len(starts)
    while low < high:
        middle = (low + high) // 2
        if made_by(middle):
            high = middle
        else:
            low = middle + 1
    return low


def policy_content(inline_scripts: list[str]) -> str:
    hashes = "".join(f" 'sha256-{script_hash(s)}'" for s in sorted(set(inline_scripts)))
    return "; ".join(POLICY).format(hashes=hashes)


def script_hash(script: str) -> str:
    """The CSP source hash of an inline script: base64 of the sha256 of its exact text."""
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def theme_script_id(script: str) -> str:
    """The hex sha256 that identifies a theme script, whatever the page's depth."""
    return hashlib.sha256(_SCOPE_PATH.sub('new URL(".",location)', script).encode()).hexdigest()


Attributes = tuple[tuple[str, str | None], ...]  # as the parser gives them: None, no value
# What an element's tag and attributes get: its problems, the rel its link needs, and
# whether it needs a closer look (a script, a <noscript>, a <template>, <meta charset>).
Verdict = tuple[list[str], str | None, bool]
Verdicts = dict[tuple[str, Attributes], Verdict]
CLOSER_LOOK = frozenset({"script", "noscript", "template", "meta"})
NEEDS_A_LOOK = CLOSER_LOOK | FORBIDDEN_ELEMENTS  # even with no attributes


def verdict_on(tag: str, attrs: Attributes) -> Verdict:
    values = tuple((name, value or "") for name, value in attrs)
    marked = _marked_external(values) if tag == "a" else None
    return problems_of(tag, values), marked, tag in CLOSER_LOOK


class _PageReader:
    """Reads one parsed page: what to refuse (the first refusal, with its element, for the
    line), which links to mark (marked on the tree as they are met), where the policy goes.

    What an element gets (its problems, its link marked) depends on its tag and attributes
    alone, so an element written again on the page, as each cell of a date table is, is
    judged once (``verdicts``, which a second reading may share)."""

    def __init__(self, document: LexborHTMLParser, verdicts: Verdicts | None = None) -> None:
        self.document = document
        self.refusal: tuple[str, LexborNode] | None = None
        self.inline_scripts: list[str] = []
        self.marked = 0
        self.charset: LexborNode | None = None
        self.script_first = False  # a script before the charset: the policy goes first
        self.verdicts: Verdicts = {} if verdicts is None else verdicts
        if document.root is not None:
            self._read(document.root)

    def _read(self, root: LexborNode) -> None:
        verdicts = self.verdicts
        for node in root.traverse(include_text=False):
            tag = node.tag
            if not tag or tag[0] == "-":
                continue  # a comment, or the fragment a <template>'s contents are held in
            attributes = node.attributes
            if not attributes and tag not in NEEDS_A_LOOK:
                continue  # most table cells: nothing to judge
            key = (tag, tuple(attributes.items()))
            verdict = verdicts.get(key)
            if verdict is None:
                verdict = verdicts[key] = verdict_on(*key)
            problems, marked, closer_look = verdict
            if problems:
                self.refusal = (problems[0], node)
            elif marked is not None:
                if "rel" in node.attrs:
                    del node.attrs["rel"]  # written again last, as the other links' are
                node.attrs["rel"] = marked
                self.marked += 1
            elif closer_look:
                self._look_closer(node, tag, dict(key[1]))
            if self.refusal is not None:
                return

    def _look_closer(self, node: LexborNode, tag: str, values: dict[str, str | None]) -> None:
        if tag == "script":
            self._script(node, values)
        elif tag == "noscript":
            self._noscript(node)
        elif tag == "template":
            for contents in node.template_fragments():
                self._read(contents)
        elif self.charset is None and "charset" in values:
            self.charset = node

    def refused_at(self, text: str) -> str:
        """The refusal, after the line of ``text`` (the page read) where its element is."""
        assert self.refusal is not None
        problem, refused = self.refusal
        tag = refused.tag or ""
        same = (node for node in elements(self.document.root) if node.tag == tag)
        index = next(n for n, node in enumerate(same) if node.mem_id == refused.mem_id)
        return f"line {line_of(text, tag, index)}: {problem}"

    def _script(self, node: LexborNode, values: dict[str, str | None]) -> None:
        if self.charset is None:
            self.script_first = True
        kind = (values.get("type") or "").strip().lower()
        if "src" in values or kind in DATA_SCRIPT_TYPES:
            return  # loaded from the site (checked above), or data a browser does not run
        script = node.text(deep=True)
        if theme_script_id(script) not in THEME_SCRIPTS:
            self.refusal = (
                f"an inline script that is not the theme's ({script[:60]!r}); if the theme "
                "was upgraded, review it and add its hash to html_policy.THEME_SCRIPTS",
                node,
            )
            return
        self.inline_scripts.append(script)

    def _noscript(self, node: LexborNode) -> None:
        """A ``<noscript>`` is text to a browser running scripts, and markup to one without:
        that markup is judged as a page is, and must be written as the parser writes it
        back, so that nothing in it (a quote or a comment left open) can run on past the
        ``</noscript>`` the other reading ends at."""
        if node.child is None or any(child.is_element_node for child in node.iter()):
            return  # not an HTML <noscript> (one inside an <svg>): its elements are read
        markup = node.text(deep=True)
        without_scripts = LexborHTMLParser(markup, is_fragment=True)
        if (without_scripts.html or "") != markup:
            self.refusal = (
                "a <noscript> whose contents the parser writes otherwise "
                f"({markup[:60]!r}): a browser without scripts could read them otherwise",
                node,
            )
            return
        inner = _PageReader(without_scripts)
        if inner.refusal is not None:
            self.refusal = (f"in a <noscript>: {inner.refusal[0]}", node)

    def insert_policy(self) -> None:
        policy = self.document.create_node("meta")
        policy.attrs["http-equiv"] = "Content-Security-Policy"
        policy.attrs["content"] = policy_content(self.inline_scripts)
        head = self.document.head
        if self.charset is not None and not self.script_first:
            self.charset.insert_after(policy)
        elif head is not None and head.child is not None:
            head.child.insert_before(policy)
        elif head is not None:
            head.insert_child(policy)


def problems_of(tag: str, attrs: tuple[tuple[str, str], ...]) -> list[str]:
    """What the policy refuses in one element."""
    problems = []
    if tag in FORBIDDEN_ELEMENTS:
        problems.append(f"a <{tag}> element")
    for name, value in attrs:
        if name.startswith("on"):
            problems.append(f"an event-handler attribute ({name})")
        elif name in URL_ATTRIBUTES and not is_allowed_in_page(value):
            scheme = page_link_scheme(value) or "an unreadable address"
            problems.append(f"a {name} to {scheme} in <{tag}>")
    values = dict(attrs)
    if tag == "script" and values.get("src") and is_external(values["src"]):
        problems.append("a script from another site")
    if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
        target = _REFRESH_URL.search(values.get("content", ""))
        if not target or not is_within_site(target.group(1).strip("'\" ")):
            problems.append("a <meta> refresh to another site")
    return problems


def _marked_external(attrs: tuple[tuple[str, str], ...]) -> str | None:
    """The ``rel`` a link needs when it leads to another site and lacks ``noopener`` or
    ``noreferrer``; ``None`` when it needs no change."""
    values = dict(attrs)
    href = values.get("href")
    if not href or not is_external(href):
        return None
    rel = values.get("rel", "").split()
    if all(token in rel for token in REL_EXTERNAL):
        return None
    return " ".join([*rel, *(token for token in REL_EXTERNAL if token not in rel)])
