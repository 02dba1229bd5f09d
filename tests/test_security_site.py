"""The built site's defences: its HTML policy, its links, its config and its inputs' edges."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from hub_builder.errors import BuildError, RefusedFile, UnsafeOutput
from hub_builder.link_policy import is_allowed_in_page, web_address_problem
from hub_builder.load import schemas
from hub_builder.load.sources import MAX_FEED_FILE_BYTES, read_document, read_feed_file
from hub_builder.load.strict_yaml import Limits, load
from hub_builder.pipeline import BuildReport
from hub_builder.publish import PublishPaths, html_policy, publish
from hub_builder.render.output import Output
from tests.conftest import ROOT
from tests.html_safety import elements, local, pages_without_their_policy_first, parse

THEME_HEAD = (
    '<!doctype html><html><head><meta charset="utf-8">'
    '<script>__md_scope=new URL("..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_'
    ".charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t."
    'pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+'
    '"."+e,JSON.stringify(_))}catch(e){}}</script></head><body>'
)


def page(body: str) -> str:
    return f"{THEME_HEAD}{body}</body></html>"


# --- html_policy: the last check before the swap -----------------------------------------


def test_a_theme_page_gets_its_policy_right_after_the_charset() -> None:
    text, marked = html_policy.secure_page(page("<p>Hello</p>"), "index.html")
    assert marked == 0
    head = text.split("<script>", 1)[0]
    assert head.endswith(
        '<meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="'
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"
        + html_policy.script_hash(THEME_HEAD.split("<script>")[1].split("</script>", maxsplit=1)[0])
        + "'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'\">"
    )


def a_site(folder: Path, bodies: dict[str, str]) -> Path:
    for name, body in bodies.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(page(body), "utf-8")
    return folder


def test_a_large_hubs_site_is_secured_in_several_processes_exactly_as_in_one(
    tmp_path: Path,
) -> None:
    bodies = {
        f"organisations/o{n}/index.html": f'<p><a href="https://example.org/{n}">{n}</a></p>'
        for n in range(12)
    }
    alone = a_site(tmp_path / "alone", bodies)
    shared = a_site(tmp_path / "shared", bodies)
    assert html_policy.secure_site(alone) == html_policy.secure_site(shared, large=True)
    for name in bodies:
        assert (shared / name).read_bytes() == (alone / name).read_bytes()
        assert 'rel="noopener noreferrer"' in (shared / name).read_text("utf-8")


def test_pages_secured_from_the_cache_are_the_pages_secured_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = {f"o{n}/index.html": f'<a href="https://example.org/{n}">{n}</a>' for n in range(4)}
    cache = tmp_path / "secured"
    fresh = a_site(tmp_path / "fresh", bodies)
    expected = html_policy.secure_site(fresh)
    first = a_site(tmp_path / "first", bodies)
    assert html_policy.secure_site(first, cache=cache) == expected
    assert len(html_policy.SecuredPages(cache).index) == len(bodies)

    def unread(text: str, name: str) -> tuple[str, int]:
        raise AssertionError(f"{name} was read again")

    monkeypatch.setattr(html_policy, "secure_page", unread)
    second = a_site(tmp_path / "second", bodies)
    assert html_policy.secure_site(second, cache=cache) == expected
    for name in bodies:
        assert (first / name).read_bytes() == (fresh / name).read_bytes()
        assert (second / name).read_bytes() == (fresh / name).read_bytes()


def test_a_cache_that_cannot_be_written_costs_time_not_pages(tmp_path: Path) -> None:
    blocked = tmp_path / "secured"
    blocked.write_text("a file where the cache folder would be", "utf-8")
    site = a_site(tmp_path / "site", {"a.html": '<a href="https://example.org/">x</a>'})
    assert html_policy.secure_site(site, cache=blocked).links_marked == 1
    assert 'rel="noopener noreferrer"' in (site / "a.html").read_text("utf-8")


def test_a_changed_policy_finds_no_cached_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "secured"
    html_policy.secure_site(a_site(tmp_path / "first", {"a.html": "<p>a</p>"}), cache=cache)
    monkeypatch.setattr(html_policy, "policy_code_digest", lambda: "another policy")
    secured = html_policy.SecuredPages(cache)
    assert secured.restore(a_site(tmp_path / "second", {"a.html": "<p>a</p>"}) / "a.html") is None


def test_the_policy_digest_covers_every_module_that_decides_a_secured_page() -> None:
    """Besides itself, the policy reads link_policy; errors, files and scale only raise,
    write and share the work between processes."""
    tree = ast.parse(Path(html_policy.__file__).read_text("utf-8"))
    ours: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "hub_builder":
            ours |= {f"hub_builder.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hub_builder."):
            ours.add(node.module or "")
    assert ours == {
        "hub_builder.link_policy",
        "hub_builder.errors",
        "hub_builder.files",
        "hub_builder.scale",
    }


def test_the_cache_never_lets_a_changed_page_through(tmp_path: Path) -> None:
    cache = tmp_path / "secured"
    html_policy.secure_site(a_site(tmp_path / "first", {"a.html": "<p>fine</p>"}), cache=cache)
    changed = a_site(tmp_path / "second", {"a.html": "<p>fine</p><script>alert(1)</script>"})
    with pytest.raises(UnsafeOutput, match=r"^a\.html: line 1: an inline script"):
        html_policy.secure_site(changed, cache=cache)


def test_a_damaged_cache_entry_is_ignored_and_the_page_secured_again(tmp_path: Path) -> None:
    bodies = {"a.html": '<a href="https://example.org/">x</a>', "b.html": "<p>b</p>"}
    cache = tmp_path / "secured"
    html_policy.secure_site(a_site(tmp_path / "first", bodies), cache=cache)
    for entry in cache.iterdir():
        if entry.name != "index.json":
            entry.write_text("<p>not what was secured</p>", "utf-8")
    site = a_site(tmp_path / "second", bodies)
    assert html_policy.secure_site(site, cache=cache).links_marked == 1
    assert "not what was secured" not in (site / "a.html").read_text("utf-8")
    assert 'rel="noopener noreferrer"' in (site / "a.html").read_text("utf-8")
    (cache / "index.json").write_text("[not an index", "utf-8")
    again = a_site(tmp_path / "third", bodies)
    html_policy.secure_site(again, cache=cache)
    assert (again / "a.html").read_bytes() == (site / "a.html").read_bytes()


def test_the_cache_keeps_only_the_last_builds_pages(tmp_path: Path) -> None:
    cache = tmp_path / "secured"
    html_policy.secure_site(a_site(tmp_path / "first", {"a.html": "<p>old</p>"}), cache=cache)
    html_policy.secure_site(a_site(tmp_path / "second", {"a.html": "<p>new</p>"}), cache=cache)
    entries = sorted(e.name for e in cache.iterdir())
    assert len(entries) == 2 and "index.json" in entries
    assert set(html_policy.SecuredPages(cache).index) == set(entries) - {"index.json"}


def test_in_several_processes_the_first_refused_page_in_path_order_is_named(
    tmp_path: Path,
) -> None:
    bodies = {f"p{n:02d}.html": "<p>fine</p>" for n in range(12)}
    bodies["p03.html"] = '<img src="x.png" onerror="alert(1)">'
    bodies["p09.html"] = "<script>alert(1)</script>"
    with pytest.raises(UnsafeOutput, match=r"^p03\.html: line 1: an event-handler"):
        html_policy.secure_site(a_site(tmp_path, bodies), large=True)


def test_every_link_of_a_long_page_is_marked_and_the_policy_goes_in_once() -> None:
    rows = "".join(f'<p><a href="https://example.org/{n}">{n}</a></p>' for n in range(1500))
    text, marked = html_policy.secure_page(page(rows), "dates/index.html")
    assert marked == 1500
    assert text.count('rel="noopener noreferrer"') == 1500
    assert text.count("Content-Security-Policy") == 1
    assert '<a href="https://example.org/1499" rel="noopener noreferrer">1499</a>' in text


def test_a_tag_written_again_is_judged_again_where_it_stands() -> None:
    link = '<a href="https://example.org/">x</a>'
    text, marked = html_policy.secure_page(page(f"{link}\n<p>{link}</p>"), "index.html")
    assert marked == 2 and text.count('rel="noopener noreferrer">x</a>') == 2
    hostile = '<img src="x.png" onerror="alert(1)">'
    body = f"<p>safe</p>\n{hostile}\n<p>{hostile}</p>"
    with pytest.raises(UnsafeOutput, match=r": line 2: an event-handler attribute"):
        html_policy.secure_page(page(body), "index.html")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<script>alert(1)</script>", "an inline script that is not the theme's"),
        ('<script src="https://evil.example/x.js"></script>', "a script from another site"),
        ('<img src="x.png" onerror="alert(1)">', "an event-handler attribute (onerror)"),
        ('<a href="javascript:alert(1)">x</a>', "a href to javascript: in <a>"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "a href to javascript: in <a>"),
        ('<a href=" JAVASCRIPT:alert(1)">x</a>', "a href to javascript: in <a>"),
        ('<a href="data:text/html,x">x</a>', "a href to data: in <a>"),
        ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "a xlink:href to javascript:"),
        ('<iframe src="https://example.org/"></iframe>', "a <iframe> element"),
        ('<object data="x.swf"></object>', "a <object> element"),
        ('<embed src="x">', "a <embed> element"),
        ('<base href="https://evil.example/">', "a <base> element"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "refresh"),
        ('<meta http-equiv="refresh" content="0; URL=//evil.example/">', "refresh"),
        ('<meta http-equiv="refresh" content="0; url=javascript:alert(1)">', "refresh"),
        ('<meta http-equiv="Refresh" content="5">', "refresh"),
        ('<form action="javascript:alert(1)"></form>', "a action to javascript:"),
        ("<!--><script>alert(1)</script>-->", "an inline script that is not the theme's"),
        ("<!--x--!><img src=x onerror=alert(1)>-->", "an event-handler attribute (onerror)"),
        ("<a/href='javascript:alert(1)'>x</a>", "a href to javascript: in <a>"),
        ("<img src=x' onerror=alert(1)>", "an event-handler attribute (onerror)"),
        ('<a title="x>" onclick="alert(1)">x</a>', "an event-handler attribute (onclick)"),
        ('<a href="../x"\nONCLICK="alert(1)">x</a>', "an event-handler attribute (onclick)"),
    ],
)
def test_a_page_with_foreign_live_content_is_refused(body: str, reason: str) -> None:
    with pytest.raises(UnsafeOutput, match=re.escape(reason)):
        html_policy.secure_page(page(body), "organisations/x/index.html")


# Where a browser reads a page otherwise than a pattern over its text would: the gate reads
# it with an HTML5 parser, as a browser does.


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        # A script's text ends at "</script" and a space, "/" or ">": what follows is markup.
        (
            '<script type="application/json">{}</script x><img src=x onerror=alert(1)>',
            "an event-handler attribute (onerror)",
        ),
        (
            '<script type="application/json">{}</script/><img src=x onerror=alert(1)>',
            "an event-handler attribute (onerror)",
        ),
        # A browser running scripts reads a <noscript> as text to "</noscript>", wherever
        # that is; one without scripts, as markup.
        (
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
            "a <noscript> whose contents the parser writes otherwise",
        ),
        (
            '<noscript><style></noscript><a title="</style><a href=javascript:x>x</a>">y</a>',
            "a <noscript> whose contents the parser writes otherwise",
        ),
        (
            '<noscript><meta http-equiv="refresh" content="0;url=https://evil.example/">'
            "</noscript>",
            "in a <noscript>: a <meta> refresh to another site",
        ),
        # A <template>'s contents are judged as if they were on the page.
        ("<template><script>alert(1)</script></template>", "an inline script that is not"),
        (
            "<template><template><img src=x onerror=alert(1)></template></template>",
            "an event-handler attribute (onerror)",
        ),
        # A tag left open runs on into the next one; an element left open is still one.
        ("<p><img src=x onerror=alert(1)</p>", "an event-handler attribute (onerror)"),
        ('<a href="javascript:alert(1)">never closed', "a href to javascript: in <a>"),
        ("<script>alert(1)", "an inline script that is not the theme's"),
        # MathML that, written out as parsed, a browser reads back with a live image in it.
        (
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "reads back otherwise (line 1: an event-handler attribute (onerror))",
        ),
    ],
)
def test_a_page_is_refused_for_what_a_browser_would_read_in_it(body: str, reason: str) -> None:
    with pytest.raises(UnsafeOutput, match=re.escape(reason)):
        html_policy.secure_page(page(body), "organisations/x/index.html")


@pytest.mark.parametrize(
    "body",
    [
        '<p title="<script>alert(1)</script>">x</p>',  # an attribute's value is text
        "<!-- <script>alert(1)</script> <img src=x onerror=alert(1)> -->",
        "<!x <img src=x onerror=alert(1)>",  # a bogus comment, to the first ">"
        "</p <img src=x onerror=alert(1)>",  # an end tag's attributes are dropped
        "<title><img src=x onerror=alert(1)></title>",  # a title holds text
        "<textarea><script>alert(1)</script></textarea>",
        '<a href="https://example.org/" href="javascript:alert(1)">x</a>',  # the first one wins
        '<noscript><link rel="stylesheet" href="../assets/no-script.css"></noscript>',
        "<template><p>Shown only when a script shows it</p></template>",
    ],
)
def test_what_a_browser_reads_as_text_or_drops_passes_and_stays_inert(body: str) -> None:
    """Judged by the parser, not refused; and the page written, read by another parser
    (html5lib), holds no handler, no script but the theme's and no javascript: link."""
    secured, _ = html_policy.secure_page(page(body), "index.html")
    tree = [element for element in elements(parse(secured)) if isinstance(element.tag, str)]
    assert not [e for e in tree if any(local(name).startswith("on") for name in e.attrib)]
    assert [local(e.tag) for e in tree].count("script") == 1, "the theme's only"
    assert not [e for e in tree if "javascript" in e.get("href", "").lower()]
    assert secured.count("'sha256-") == 1


def test_a_refusal_names_the_line_where_the_elements_start_tag_ends() -> None:
    lines = [
        "<p>",
        '<img src="a.png" alt="fine">',
        "<p>text</p>",
        "<p>",
        "<img",
        "src=x",
        "onerror=alert(1)>",
    ]
    with pytest.raises(UnsafeOutput, match=r"^x\.html: line 7: an event-handler attribute"):
        html_policy.secure_page(page("\n".join(lines)), "x.html")


def test_a_redirect_page_to_another_page_of_the_site_is_allowed() -> None:
    body = '<meta http-equiv="refresh" content="0; url=../example-awarding-body/">'
    text, _ = html_policy.secure_page(page(body), "organisations/old/index.html")
    assert body in text


def test_data_scripts_are_not_executable_and_need_no_hash() -> None:
    body = '<script id="__config" type="application/json">{"base": ".."}</script>'
    text, _ = html_policy.secure_page(page(body), "index.html")
    assert text.count("'sha256-") == 1


def test_external_links_are_marked_noopener_and_internal_ones_left_alone() -> None:
    body = (
        '<a href="https://example.org/">a</a>'
        '<a href="https://example.org/" rel="noopener" target="_blank">b</a>'
        '<a href="https://example.org/" rel="noopener noreferrer">c</a>'
        '<a href="../dates/">d</a><a href="#top">e</a><a href="mailto:x@example.org">f</a>'
    )
    text, marked = html_policy.secure_page(page(body), "index.html")
    assert marked == 2
    assert '<a href="https://example.org/" rel="noopener noreferrer">a</a>' in text
    assert '<a href="https://example.org/" target="_blank" rel="noopener noreferrer">b</a>' in text
    assert '<a href="../dates/">d</a>' in text
    assert '<a href="mailto:x@example.org">f</a>' in text


# --- links: an allowlist after WHATWG parsing ------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://example.org/", "https://www.example.org/a/b?c=d#e", "https://example.org:8443/x"],
)
def test_plain_public_https_addresses_are_accepted(url: str) -> None:
    assert web_address_problem(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("java\tscript:alert(1)", "not 'javascript:'"),
        ("https:example.org", "starting https://"),
        ("https://user:pw@example.org/", "user name or password"),
        ("https://127.0.0.1/", "IP address"),
        ("https://[::1]/", "IP address"),
        ("https://localhost/", "not a public domain name"),
        ("https://evil.example\\@example.org/", "would read the host as 'evil.example'"),
        ("https://xn--80ak6aa92e.com/", "international domain name"),
        ("https://\u0430\u0440\u0440\u04cf\u0435.com/", "international domain name"),  # Cyrillic
    ],
)
def test_addresses_a_browser_would_read_otherwise_are_refused(url: str, reason: str) -> None:
    assert reason in (web_address_problem(url) or "")


@pytest.mark.parametrize(
    ("href", "allowed"),
    [
        ("../dates/", True),
        ("#anchor", True),
        ("mailto:results@example.org", True),
        ("tel:+441234567890", True),
        ("https://example.org/", True),
        ("http://example.org/", False),
        ("\x01javascript:alert(1)", False),
        ("vbscript:x", False),
        ("data:image/svg+xml,<svg onload=alert(1)>", False),
    ],
)
def test_which_links_a_built_page_may_hold(href: str, allowed: bool) -> None:
    assert is_allowed_in_page(href) is allowed


# --- strict YAML: characters and limits, each with its place -------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a: 1\nb: x\x00y\n", "f.yaml:2:5: the file contains the character U+0000"),
        (b'a: 1\nb: "\\0"\n', "f.yaml:2:4: b: the text contains the character U+0000"),
        (b'a: "\\e[31m"\n', "f.yaml:1:4: a: the text contains the character U+001B"),
        (b'a: "\\x7f"\n', "f.yaml:1:4: a: the text contains the character U+007F"),
        (b'a: "\\ud800"\n', "f.yaml:1:"),
    ],
)
def test_forbidden_characters_are_problems_with_their_place(content: bytes, expected: str) -> None:
    problems = [p.format() for p in load(content, "f.yaml").problems]
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_an_oversized_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * (Limits().max_bytes // 5 + 1))
    document = read_document(path)
    assert document.data is None
    assert "the limit is 1,000,000" in document.problems[0].message


# --- the schema: one-line text, emails and phone numbers ---------------------------------


def _defs() -> dict[str, dict[str, str]]:
    organisation = schemas.schema(schemas.ORGANISATION)
    return {
        "short": organisation["$defs"]["shortText"],
        "long": organisation["$defs"]["longText"],
        "email": organisation["$defs"]["contact"]["properties"]["email"],
        "phone": organisation["$defs"]["contact"]["properties"]["phone"],
    }


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("short", "Example Nationals results day", True),
        ("short", "Résultats: été 2026", True),
        ("short", "Line one\nLine two", False),
        ("short", "Title\n", False),
        ("short", "Tab\there", False),
        ("short", "Example\u202eydoB", False),
        ("short", "Example\u2028Body", False),
        ("short", "   ", False),
        ("long", "Paragraph one.\n\nParagraph two.\n", True),
        ("long", "Bell\x07", False),
        ("email", "results@example.org", True),
        ("email", "first.last+vtq@mail.example.co.uk", True),
        ("email", "results@example.org?bcc=x@evil.example", False),
        ("email", "a@b", False),
        ("phone", "0300 123 4567", True),
        ("phone", "+44 (0)300 123 4567", True),
        ("phone", "(((((((", False),
        ("phone", "0300 123 4567;ext=1", False),
    ],
)
def test_field_patterns_agree_in_both_validators(kind: str, value: str, ok: bool) -> None:
    """The fast validator (Rust) and the one that explains (Python) must agree."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **_defs()[kind]}
    import jsonschema_rs

    from hub_builder.load.schemas import _ecma_validator_class

    assert jsonschema_rs.validator_for(schema).is_valid(value) is ok
    assert (not list(_ecma_validator_class()(schema).iter_errors(value))) is ok


# --- the built site -------------------------------------------------------------------------


def test_mkdocs_config_keeps_authors_to_plain_markdown() -> None:
    """No attribute lists (``{: onclick=…}``), file inclusion (snippets), raw-HTML markdown
    or Google Fonts: hand-written pages are trusted, but the config must not grow a way for
    any text to add attributes or pull in files."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names == ["admonition", "tables", "toc"]
    assert config["theme"]["font"] == "false"
    local_files = [*config.get("extra_css", []), *config.get("extra_javascript", [])]
    assert all(not str(path).startswith(("http:", "https:", "//")) for path in local_files)


def test_every_page_has_its_policy_before_any_script(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    assert pages_without_their_policy_first(site) == []


def test_every_external_link_is_noopener_noreferrer(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    external = 0
    for path in site.rglob("*.html"):
        for element in elements(parse(path.read_text("utf-8"))):
            href = element.get("href", "")
            if local(element.tag) == "a" and href.startswith(("https:", "http:", "//")):
                external += 1
                assert {"noopener", "noreferrer"} <= set(element.get("rel", "").split()), (
                    path,
                    href,
                )
    assert external > 20  # the hand-written guides' links, the sources and the theme's footer


def test_nothing_is_loaded_from_another_site(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    """No fonts, scripts, styles or images from third parties at page load."""
    site, _ = built_fixture_hub
    for path in site.rglob("*.html"):
        for element in elements(parse(path.read_text("utf-8"))):
            tag = local(element.tag)
            loaded = element.get("src") or (element.get("href") if tag == "link" else None)
            if loaded:
                assert not re.match(r"^(https?:)?//", loaded), (path, tag, loaded)
    for css in site.rglob("*.css"):
        assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css.read_text("utf-8")), css


@pytest.mark.parametrize("content", [b"", b"# only a comment\n", b"~\n", b"---\n...\n"])
def test_a_file_without_fields_is_a_problem_not_a_crash(content: bytes) -> None:
    """Regression: an empty organisation file passed validation, then broke the build."""
    problems = [p.format() for p in load(content, "f.yaml").problems]
    assert problems == ["f.yaml:1:1: the file holds no fields; start it with 'id: …'"]


# --- nothing lost: a refused or interrupted build keeps the last good site ----------------


def _old_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the last good site", "utf-8")
    return out


def _paths(tmp_path: Path, theme: str = "material") -> PublishPaths:
    """A one-page site with the hub's theme (or a missing one, to make mkdocs fail)."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Test\ntheme:\n  name: {theme}\n", "utf-8")
    return PublishPaths(
        config=config,
        content=tmp_path / "no-content",
        docs=tmp_path / "work" / "docs",
        out=tmp_path / "site",
    )


def test_a_page_the_policy_refuses_leaves_the_last_site_and_no_staging(tmp_path: Path) -> None:
    out = _old_site(tmp_path)
    slipped = Output("index.md", b"# Home\n\n<script>alert(1)</script>\n")
    with pytest.raises(UnsafeOutput, match=r"index\.html: line [0-9]+: an inline script"):
        publish([slipped], _paths(tmp_path))
    assert (out / "index.html").read_text("utf-8") == "the last good site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml", "site", "work"]


def test_a_swap_cut_between_its_renames_is_undone_by_the_next_publish(tmp_path: Path) -> None:
    """The machine stopped after ``site`` became ``.site.old`` and before the new one took
    its place: the next publish puts the last good site back first, even if it then fails."""
    _old_site(tmp_path).rename(tmp_path / ".site.old")
    with pytest.raises(BuildError):
        publish([Output("index.md", b"# Home\n")], _paths(tmp_path, theme="no-such-theme"))
    assert (tmp_path / "site" / "index.html").read_text("utf-8") == "the last good site"
    assert not (tmp_path / ".site.old").exists()


def test_a_committed_feed_file_is_read_only_up_to_its_limit(tmp_path: Path) -> None:
    big = tmp_path / "key-dates.csv"
    big.write_bytes(b"x" * (MAX_FEED_FILE_BYTES + 1))
    with pytest.raises(RefusedFile, match="it is 5,000,001 bytes; the limit is 5,000,000"):
        read_feed_file(tmp_path, big)
