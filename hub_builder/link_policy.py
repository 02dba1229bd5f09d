"""Which links the hub will print: an allowlist by scheme, after parsing as a browser does.

Addresses come from AO files and feeds, so they are checked the way a browser will read
them: with the WHATWG URL parser (ada-url), which strips tabs, newlines and leading control
characters, lower-cases the scheme and treats ``\\`` as ``/``. A blocklist of bad schemes
(``javascript:``, ``data:``…) is never used; only these are allowed:

* in source files and feeds, ``https`` web addresses written in full (``https://``), to a
  named public host, written as a browser reads it (no IP address, no user name or password,
  no ``\\`` or ``@`` tricks, no international domain name that could pass for another);
* in a built page, those, ``mailto:`` and ``tel:`` (built by the templates from an email
  address and a phone number the schema has checked), and links within the site.

    >>> web_address_problem("https://example.org/results") is None
    True
    >>> web_address_problem("java\\tscript:alert(1)")
    "only https web addresses are allowed, not 'javascript:'"
"""

from __future__ import annotations

import re
from functools import lru_cache

import ada_url

WEB_SCHEMES = frozenset({"https:"})
PAGE_SCHEMES = frozenset({"https:", "mailto:", "tel:"})
SITE_BASE = "https://hub.invalid/page/"  # where a relative link in a built page is resolved


def parsed(value: str, base: str | None = None) -> ada_url.URL | None:
    """``value`` as a browser parses it, or None when a browser would not follow it."""
    try:
        return ada_url.URL(value, base=base) if base else ada_url.URL(value)
    except ValueError:
        return None


WEB_ADDRESS_PARTS = ("protocol", "username", "password", "host_type", "hostname", "host")


def web_address_problem(value: str) -> str | None:
    """Why ``value`` cannot be printed as a link to a public web page; None when it can."""
    try:  # as a browser parses it: the parts read here, in one call
        url = ada_url.parse_url(value, attributes=WEB_ADDRESS_PARTS)
    except ValueError:
        return "the web address cannot be read; write it in full, like https://example.org/page"
    if url["protocol"] not in WEB_SCHEMES:
        return f"only https web addresses are allowed, not '{url['protocol']}'"
    if not value.startswith("https://"):
        return "write the web address in full, starting https://"
    if url["username"] or url["password"]:
        return "the web address has a user name or password in it; remove them"
    if url["host_type"] != ada_url.HostType.DEFAULT:
        return "the web address names an IP address; use the organisation's domain name"
    if any(label.startswith("xn--") for label in url["hostname"].split(".")):
        return (
            "the web address uses an international domain name, which can pass for another; "
            "ask the hub's maintainers"
        )
    written = re.split(r"[/?#]", value.removeprefix("https://"), maxsplit=1)[0]
    if written.lower() != url["host"]:
        return (
            f"a browser would read the host as '{url['host']}', not '{written}' as written; "
            "write the host plainly, without '\\' or '@'"
        )
    host = url["hostname"]
    if "." not in host.strip("."):
        return f"the web address's host '{host}' is not a public domain name"
    return None


# A link within the site, as the templates write them: no scheme, no "//" or "\\" host.
_PLAINLY_RELATIVE = re.compile(r"(?![/\\][/\\])[#?./\w-][^:\\\s\x00-\x1f\x7f]*")


def page_link_scheme(href: str) -> str:
    """The scheme a browser follows for ``href`` found in a built page ("" if it cannot)."""
    if _PLAINLY_RELATIVE.fullmatch(href):
        return "https:"  # the site's own
    return _parsed_scheme(href)


@lru_cache(maxsize=8192)
def _parsed_scheme(href: str) -> str:
    url = parsed(href, SITE_BASE)
    return url.protocol if url else ""


def is_within_site(href: str) -> bool:
    """A link written as the templates write links to the site's own pages."""
    return _PLAINLY_RELATIVE.fullmatch(href) is not None


def is_allowed_in_page(href: str) -> bool:
    return page_link_scheme(href) in PAGE_SCHEMES


def is_external(href: str) -> bool:
    """A link that leaves the site (to another host): it gets ``rel="noopener noreferrer"``."""
    return not _PLAINLY_RELATIVE.fullmatch(href) and _leaves_site(href)


@lru_cache(maxsize=8192)
def _leaves_site(href: str) -> bool:
    url = parsed(href, SITE_BASE)
    return url is not None and url.protocol in {"http:", "https:"} and url.host != "hub.invalid"


# Query parameters that say who clicked from where, or how a page was last edited, never
# which page it is: a link shown or stored with them names the same page as without.
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|__hs(tc|sc|fp)|_hs(enc|mi)|gclid|fbclid|msclkid|mc_(cid|eid)"
    r"|ui-knowledge-components-aura-actions\..*|ui-search-components-.*)$",
    re.IGNORECASE,
)
# The same, on the sites that add their own: Pearson's support articles count views in
# ``r``, NCFE marks the banner a visit came from, ISTD the page a visitor came from.
_TRACKING_ON = {
    "support.pearson.com": frozenset({"r"}),
    "www.ncfe.org.uk": frozenset({"source"}),
    "www.istd.org": frozenset({"from"}),
}


def tracking_parameters(url: str) -> list[str]:
    """The names of the query parameters in ``url`` that track or edit, not address.

    >>> tracking_parameters("https://example.org/a?id=7&utm_source=mail&__hstc=1")
    ['utm_source', '__hstc']
    """
    host = url.partition("://")[2].partition("/")[0].lower()
    own = _TRACKING_ON.get(host, frozenset())
    return [name for name, _ in _query(url) if _TRACKING.match(name) or name in own]


def without_tracking(url: str) -> str:
    """``url`` without its tracking parameters (:func:`tracking_parameters`): the address a
    page is shown and compared by.

    >>> without_tracking("https://example.org/a?id=7&utm_source=mail#top")
    'https://example.org/a?id=7#top'
    """
    tracked = set(tracking_parameters(url))
    if not tracked:
        return url
    base, _, rest = url.partition("?")
    query, hash_, fragment = rest.partition("#")
    kept = "&".join(
        pair for pair in query.split("&") if pair and pair.partition("=")[0] not in tracked
    )
    return base + (f"?{kept}" if kept else "") + (f"#{fragment}" if hash_ else "")


def _query(url: str) -> list[tuple[str, str]]:
    query = url.partition("?")[2].partition("#")[0]
    return [(pair.partition("=")[0], pair.partition("=")[2]) for pair in query.split("&") if pair]
