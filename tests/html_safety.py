"""What counts as live content in a built page, judged by a real HTML parser (html5lib).

A page is safe when, parsed as a browser parses it, it holds no script, no event-handler
attribute, no link to a scheme other than https, mailto, tel or the site itself, and no
element that can run, frame, restyle or load something, beyond what the same kind of page of
the clean fixture hub holds (the theme's). ``findings(page, reference)`` lists every breach;
an empty list is a safe page. This is written apart from ``hub_builder.html_policy`` (another
parser, other code) so that the tests do not trust the code they test.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

import ada_url
import html5lib

# Elements that run, frame, load or restyle something: a page may hold no more of each than
# the same kind of clean page does.
ACTIVE = frozenset(
    {
        "script", "svg", "math", "iframe", "frame", "frameset", "object", "embed", "applet",
        "base", "style", "link", "meta", "img", "video", "audio", "source", "track",
        "picture", "template", "noscript", "portal", "fencedframe",
    }
)  # fmt: skip
# Form controls: the key-dates explorer has one a filter option (an organisation, say), so
# their number grows with the hub; each must have a shape (tag and attribute names) that a
# clean page's controls have.
CONTROLS = frozenset({"form", "input", "button", "textarea", "select", "dialog", "details"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "data", "background", "srcset", "ping"}
)
SAFE_SCHEMES = frozenset({"https:", "mailto:", "tel:"})
# Attributes a browser follows, loads or runs. AO text also appears, escaped, in
# ``aria-label`` and the description ``<meta content>``, where "javascript:" is only words;
# in a URL attribute what counts is the scheme the browser reads (``https://x/?q=javascript:``
# is an https link).
ACTIVE_ATTRIBUTES = URL_ATTRIBUTES | {"style", "srcdoc", "codebase"}
SITE = "https://hub.invalid/page/"
_SCOPE_PATH = re.compile(r'new URL\("[./]*",location\)')
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def local(name: str) -> str:
    """A tag or attribute name without html5lib's namespace: ``{…/svg}svg`` → ``svg``."""
    return name.rsplit("}", 1)[-1].lower()


def parse(text: str) -> Element:
    tree: Element = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)
    return tree


def theme_script(text: str) -> str:
    return _SCOPE_PATH.sub('new URL(".",location)', text)


@dataclass
class Reference:
    """What the theme puts in a page of one kind (from the clean fixture hub's build)."""

    active: Counter[str] = field(default_factory=Counter)
    controls: set[str] = field(default_factory=set)
    content_tags: set[str] = field(default_factory=set)
    scripts: set[str] = field(default_factory=set)

    def add(self, page: Element) -> None:
        self.active |= active_elements(page)
        self.controls |= set(control_shapes(page))
        self.content_tags |= {local(e.tag) for e in content(page)}
        self.scripts |= set(scripts(page))


def elements(root: Element) -> Iterator[Element]:
    """Every element under ``root`` (comments left out)."""
    return (e for e in root.iter() if isinstance(e.tag, str))


def active_elements(page: Element) -> Counter[str]:
    return Counter(local(e.tag) for e in elements(page) if local(e.tag) in ACTIVE)


def control_shapes(page: Element) -> Iterator[str]:
    for element in elements(page):
        if local(element.tag) in CONTROLS:
            yield f"<{local(element.tag)} {' '.join(sorted(map(local, element.attrib)))}>"


def content(page: Element) -> Iterator[Element]:
    """The elements inside the page's <article> (where the hub's own content goes)."""
    for article in page.iter("article"):
        yield from elements(article)


def scripts(page: Element) -> Iterator[str]:
    for element in elements(page):
        if local(element.tag) == "script":
            src = element.get("src")
            if src:
                yield "src:" + re.sub(r"^(\.\./)+|^/", "", src)
            elif element.get("type") != "application/json":
                yield "inline:" + theme_script(element.text or "")


def scheme(value: str) -> str:
    try:
        return ada_url.URL(value, base=SITE).protocol
    except ValueError:
        return ""


def findings(page: Element, reference: Reference) -> list[str]:
    """Every piece of live content in ``page`` that ``reference`` (the theme's) lacks."""
    found: list[str] = []
    extra = active_elements(page) - reference.active
    found += [f"{count} extra <{tag}>" for tag, count in extra.items()]
    found += [f"a control {s}" for s in set(control_shapes(page)) - reference.controls]
    new_tags = {local(e.tag) for e in content(page)} - reference.content_tags
    found += [f"a <{tag}> in the content" for tag in sorted(new_tags)]
    found += [
        f"a script not the theme's: {s[:80]}" for s in scripts(page) if s not in reference.scripts
    ]
    for element in elements(page):
        for name, value in element.attrib.items():
            found += attribute_findings(local(element.tag), local(name), value)
    return found


def attribute_findings(tag: str, name: str, value: str) -> list[str]:
    found = []
    if name.startswith("on"):
        found.append(f"an event handler {name} on <{tag}>")
    if (
        name in URL_ATTRIBUTES
        and scheme(value.split(maxsplit=1)[0] if name == "srcset" else value) not in SAFE_SCHEMES
    ):
        found.append(f"a {name} to {scheme(value) or 'nowhere'} on <{tag}>: {value[:60]!r}")
    squashed = _INVISIBLE.sub("", value).lower()
    if (name in ACTIVE_ATTRIBUTES - URL_ATTRIBUTES or name.startswith("on")) and any(
        s in squashed for s in ("javascript:", "vbscript:", "data:text/html")
    ):
        found.append(f"a script scheme in {name} on <{tag}>: {value[:60]!r}")
    return found


def pages_without_their_policy_first(site: Path) -> list[str]:
    """The built pages of ``site`` that do not hold exactly one Content-Security-Policy,
    before any script (the redirect pages of old addresses have no script)."""
    wrong = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text("utf-8")
        first_script = text.find("<script")
        if text.count('http-equiv="Content-Security-Policy"') != 1 or (
            first_script >= 0 and text.index("Content-Security-Policy") > first_script
        ):
            wrong.append(path.relative_to(site).as_posix())
    return wrong
