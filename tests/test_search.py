"""The site's search: the build indexes the main text of every published page (Pagefind), search.html finds a
word that only one article has, in a real browser, under the site's strict policy relaxed for that page alone
(in its meta tag, _headers and .htaccess); it is accessible (axe, both schemes, 390 px, keyboard, announced
results) and says what to do without JavaScript."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from apache import apache_serving
from axe_playwright_python.sync_playwright import Axe
from pelican.settings import read_settings
from test_points import BLOCKS
from test_reader import AXE_OPTIONS, contrast, wait_until

from conftest import (
    ARTICLE,
    ARTICLE_SOURCE,
    ROOT,
    TEST_PREFIX,
    Site,
    add_file,
    build,
    built,
    copy_project,
    effective_headers,
    header_rules,
    metadata_of,
    serving,
    text_of,
    watch,
    zq_article,
)
from stages.hosting import DEFAULTS

SEARCH = "search.html"
WASM = "'wasm-unsafe-eval'"
# A word that only the test article has, in its text (not its title); and one only a draft has
ONLY_HERE = "zqxylophonic"
ONLY_IN_A_DRAFT = "qqvjxdraft"
# A word that MANY articles have: more than the first batch of results (10)
IN_MANY, MANY = "zqmanyword", 12
TITLE_WORDS = metadata_of((ROOT / ARTICLE_SOURCE).read_text())["title"].lower().split()


def policy_of(value: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in value.split(";") if d.strip()}


@pytest.fixture(scope="module")
def settings() -> dict:
    return read_settings(str(ROOT / "pelicanconf.py"))


@pytest.fixture(scope="module")
def strict(settings) -> dict[str, str]:
    """The site's policies: the pages' meta tag and the header (both from the hosting stage's defaults)."""
    return {
        "meta": settings.get("CONTENT_SECURITY_POLICY", DEFAULTS["CONTENT_SECURITY_POLICY"]),
        "header": (settings.get("HTTP_HEADERS") or DEFAULTS["HTTP_HEADERS"])["Content-Security-Policy"],
    }


def relaxed(policy: str) -> dict[str, list[str]]:
    """What the search page's policy must be: the site's, with WebAssembly allowed to scripts."""
    directives = policy_of(policy)
    return {**directives, "script-src": [*directives["script-src"], WASM]}


@pytest.fixture(scope="module")
def searchable(tmp_path_factory) -> Site:
    """A copy of the project with an article that alone has ONLY_HERE, and a draft that alone has ONLY_IN_A_DRAFT."""
    project = copy_project(tmp_path_factory.mktemp("searchable") / "project")
    add_file(
        project,
        f"content/{TEST_PREFIX}findable.md",
        zq_article("findable", f"Breathe slowly. The {ONLY_HERE} stretch eases the lower back.\n"),
    )
    for n in range(MANY):
        add_file(project, f"content/{TEST_PREFIX}many-{n}.md", zq_article(f"many-{n}", f"One of many: {IN_MANY}.\n"))
    add_file(
        project,
        f"content/{TEST_PREFIX}draft.md",
        zq_article("draft", f"Not ready: {ONLY_IN_A_DRAFT}.\n", extra="Status: draft"),
    )
    return built(project, project / "output")


@pytest.fixture(scope="module")
def served_searchable(searchable):
    with serving(searchable.root) as url:
        yield url


def search_for(page, base: str, words: str) -> None:
    """Opens the search page, types the words and waits until the results are announced."""
    page.goto(base + SEARCH, wait_until="networkidle")
    page.fill("#search-query", words)
    page.press("#search-query", "Enter")
    # (a locator, not wait_for_function: the page's policy refuses the eval() that one uses)
    page.locator(".search-status").filter(has_text=re.compile(r"\S")).wait_for()


# --- the index ---------------------------------------------------------------------------------------------


def test_the_build_indexes_each_published_pages_main_text_and_nothing_else(searchable):
    root = searchable.root
    entry = json.loads((root / "pagefind" / "pagefind-entry.json").read_text())
    marked = [p for p in searchable.html_pages if searchable.soup(p).find(attrs={"data-pagefind-body": True})]
    assert entry["languages"]["en"]["page_count"] == len(marked)
    assert {ARTICLE, f"{TEST_PREFIX}findable.html", "index.html", "natural-pain-relief.html"} <= set(marked)
    for page in ("404.html", "offline.html", SEARCH, f"drafts/{TEST_PREFIX}draft.html"):
        assert searchable.exists(page) and page not in marked, page
    body = searchable.soup(ARTICLE).find(attrs={"data-pagefind-body": True})
    assert body.name == "article" and body.h1 and not body.find_parent(["header", "footer", "nav"])
    assert not body.find("nav") and body.find_parent("main") is not None
    # what the site never loads is not published
    assert (root / "pagefind" / "pagefind.js").is_file()
    assert (
        not list((root / "pagefind").glob("pagefind-*ui*")) and not (root / "pagefind" / "pagefind-worker.js").exists()
    )


def test_the_index_is_written_from_a_thread_that_already_runs_an_event_loop(site, tmp_path):
    """A Playwright session (as in these tests) or an async task runner holds a running loop in its thread;
    the build still indexes there."""
    import asyncio
    import shutil
    from concurrent.futures import ThreadPoolExecutor

    from stages.search.index import write_index

    copy = tmp_path / "site"
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("pagefind"))

    async def inside_a_loop() -> int:
        return write_index(copy)

    # a thread of its own: the suite's own thread may already run Playwright's loop
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result() > 0
    assert (copy / "pagefind" / "pagefind-entry.json").is_file()


def test_make_build_and_the_production_build_index_and_the_setting_turns_it_off(site, production_build, tmp_path):
    assert (site.root / "pagefind" / "pagefind-entry.json").is_file()
    assert (production_build("https://example.org/healing").root / "pagefind" / "pagefind-entry.json").is_file()
    result = build(ROOT, tmp_path / "output", "SEARCH_INDEX=false")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / SEARCH).is_file() and not (tmp_path / "output" / "pagefind").exists()


def test_a_word_only_one_article_has_finds_that_article_and_a_drafts_word_finds_nothing(
    searchable, served_searchable, browser
):
    assert (
        ONLY_IN_A_DRAFT in (searchable.root / "drafts" / f"{TEST_PREFIX}draft.html").read_text()
    )  # written, not indexed
    page = browser.new_page()
    try:
        search_for(page, served_searchable, ONLY_HERE)
        links = page.locator(".search-result-title a")
        assert links.count() == 1
        assert text_of_locator(links.first) == "Zq Test findable"
        assert links.first.get_attribute("href") == served_searchable + f"{TEST_PREFIX}findable.html"
        assert page.locator(".search-result-excerpt mark").all_inner_texts() == [ONLY_HERE]
        assert page.locator(".search-status").inner_text() == f"1 page found for “{ONLY_HERE}”."
        assert page.evaluate("location.search") == f"?q={ONLY_HERE}"  # the address can be shared

        search_for(page, served_searchable, ONLY_IN_A_DRAFT)
        assert page.locator(".search-result").count() == 0
        status = page.locator(".search-status")
        assert status.inner_text().startswith(f"Nothing found for “{ONLY_IN_A_DRAFT}”. Try other words")
        hubs = {a.get_attribute("href") for a in status.locator("a").all()}
        assert hubs == {served_searchable + "natural-pain-relief.html", served_searchable + "zq-test-hub.html"}
    finally:
        page.close()


def text_of_locator(locator) -> str:
    return " ".join(locator.inner_text().split())


def test_more_results_come_on_request_and_the_keyboard_lands_on_the_first_new_one(served_searchable, browser):
    page = browser.new_page()
    try:
        search_for(page, served_searchable, IN_MANY)
        assert page.locator(".search-status").inner_text() == f"{MANY} pages found for “{IN_MANY}”."
        assert page.locator(".search-result").count() == 10
        more = page.locator(".search-more")
        assert more.is_visible() and more.inner_text() == "Show more results"
        more.focus()
        page.keyboard.press("Enter")
        page.locator(".search-result").nth(MANY - 1).wait_for()
        assert page.locator(".search-result").count() == MANY and more.is_hidden()
        focused = page.evaluate("document.activeElement.href")
        assert focused == page.locator(".search-result a").nth(10).get_attribute("href")
    finally:
        page.close()


def test_an_excerpt_is_text_and_marks_only(served_searchable, browser):
    """Pagefind's excerpts carry <mark>; the page keeps text and <mark> and nothing else of them."""
    page = browser.new_page()
    try:
        search_for(page, served_searchable, "pain")
        assert page.locator(".search-result").count() >= 2
        tags = page.evaluate("[...document.querySelectorAll('.search-result-excerpt *')].map(e => e.localName)")
        assert tags and set(tags) == {"mark"}
    finally:
        page.close()


# --- the security policy: relaxed on the search page alone ----------------------------------------------------


def test_only_the_search_pages_meta_tag_allows_webassembly(site, strict):
    for page in site.html_pages:
        meta = site.soup(page).find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        if page == SEARCH:
            assert policy_of(meta) == relaxed(strict["meta"])
        else:
            assert policy_of(meta) == policy_of(strict["meta"]), page
            assert "wasm" not in meta, page
    assert policy_of(strict["meta"])["worker-src"] == ["'self'"]  # the service worker, on every page


@pytest.mark.parametrize("host", ["netlify", "cloudflare"])
def test_headers_give_the_search_page_the_relaxed_policy_and_every_other_path_the_strict_one(site, strict, host):
    """_headers as each host reads it: Netlify keeps a header's value from the last matching rule, Cloudflare
    Pages joins the values of every matching rule unless one detaches it first."""
    rules = header_rules(site.root / "_headers")
    paths = ["/", "/search", "/no-such-page.html", "/theme/", "/pagefind/pagefind.js"]
    paths += ["/" + p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.is_file()]
    for path in paths:
        sent = effective_headers(rules, path, host)
        expected = relaxed(strict["header"]) if path in ("/search.html", "/search") else policy_of(strict["header"])
        assert policy_of(sent["content-security-policy"]) == expected, path
        assert sent["x-frame-options"] == "DENY", path
    assert effective_headers(rules, "/sw.js", host)["cache-control"] == "no-cache"
    assert effective_headers(rules, "/pagefind/pagefind.js", host)["cache-control"] == "no-cache"


def test_the_cloudflare_reading_is_not_the_netlify_one():
    """The two readings differ where they must (so the test above checks each host's own), on a made-up file."""
    rules = [("/*", [("X-A", "1")], []), ("/p", [("X-A", "2")], []), ("/q", [("X-A", "3")], ["X-A"])]
    assert effective_headers(rules, "/p", "netlify") == {"x-a": "2"}
    assert effective_headers(rules, "/p", "cloudflare") == {"x-a": "1, 2"}
    assert effective_headers(rules, "/q", "netlify") == effective_headers(rules, "/q", "cloudflare") == {"x-a": "3"}


def test_apache_sends_the_relaxed_policy_for_the_search_page_only(site, strict):
    def headers(url: str):
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=10) as response:
            return response.headers

    with apache_serving(site.root) as base:
        search = headers(f"{base}/{SEARCH}").get_all("Content-Security-Policy")
        assert len(search) == 1 and policy_of(search[0]) == relaxed(strict["header"])
        for path in (ARTICLE, "", "index.html", "offline.html", "theme/js/search.js"):
            sent = headers(f"{base}/{path}").get_all("Content-Security-Policy")
            assert [policy_of(v) for v in sent] == [policy_of(strict["header"])], path
        assert headers(f"{base}/sw.js").get_all("Cache-Control") == ["no-cache"]
        assert headers(f"{base}/pagefind/pagefind.js").get_all("Cache-Control") == ["no-cache"]


def test_searching_under_the_hosts_headers_breaks_no_policy(searchable, browser):
    """Apache sends the header policy and the page carries its meta policy: both are enforced, and search works."""
    context = browser.new_context()
    page = context.new_page()
    complaints: list[str] = []
    watch(page, complaints)
    try:
        with apache_serving(searchable.root) as base:
            search_for(page, base + "/", ONLY_HERE)
            assert page.locator(".search-result").count() == 1
            assert page.evaluate("window.__violations") == []
            page.goto(f"{base}/{ARTICLE}", wait_until="networkidle")  # and WebAssembly stays forbidden elsewhere
            blocked = page.evaluate("""async () => {
                try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return false; }
                catch (error) { return true; } }""")
            assert blocked
    finally:
        context.close()
    assert not [c for c in complaints if "wasm" not in c.lower()], complaints  # only the refusal just provoked


# --- for every reader -------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_results_shown_and_marks_are_readable(served_searchable, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        search_for(page, served_searchable, "back")
        assert page.locator(".search-result").count() >= 2
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
        colours = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)].map(e => [getComputedStyle(e).color,
                getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)'
                  ? getComputedStyle(document.body).backgroundColor : getComputedStyle(e).backgroundColor])""",
            ".search-result-excerpt mark, .search-result a, .search-status, .search-form label, #search-query",
        )
        assert colours and min(contrast(fg, bg) for fg, bg in colours) >= 7, colours
        search_for(page, served_searchable, ONLY_IN_A_DRAFT)  # and the "nothing found" message
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
    finally:
        context.close()


def test_at_390_px_by_keyboard_alone_a_reader_searches_hears_the_count_and_opens_a_result(served_searchable, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(served_searchable + SEARCH, wait_until="networkidle")
        for _ in range(40):  # Tab from the top of the page to the search box
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "search-query":
                break
        assert page.evaluate("document.activeElement.id") == "search-query"
        label = page.locator("label[for=search-query]")
        assert label.is_visible() and text_of_locator(label) == "Search the site"
        page.keyboard.type(ONLY_HERE)
        page.keyboard.press("Enter")
        status = page.locator("[role=status]")
        status.filter(has_text="found").wait_for()
        assert text_of_locator(status) == f"1 page found for “{ONLY_HERE}”."
        page.keyboard.press("Tab")  # the Search button, then the result
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Zq Test findable"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("#search-query").bounding_box()["width"] >= 150
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(f"{TEST_PREFIX}findable.html$"))
    finally:
        context.close()


def test_without_javascript_the_page_says_so_and_links_every_hub(searchable, served_searchable, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served_searchable + SEARCH, wait_until="networkidle")
        message = page.locator(".search-needs-script")
        assert message.is_visible() and "needs JavaScript" in message.inner_text()
        assert page.locator("main input, main button, main form").count() == 0
        links = {a.get_attribute("href") for a in page.locator(".search-topics a").all()}
    finally:
        context.close()
    hubs = {
        p
        for p in searchable.public_pages
        if '"CollectionPage"' in searchable.soup(p).find("script", type="application/ld+json").string
    }
    assert hubs == {"natural-pain-relief.html", "zq-test-hub.html"}
    assert {searchable.resolve(SEARCH, link)[0] for link in links} == hubs


def test_every_page_links_to_the_search_page_with_a_breadcrumb_home(site):
    for page in site.public_pages:
        nav = site.soup(page).select_one('nav[aria-label="Site"]')
        assert [site.resolve(page, a["href"])[0] for a in nav.find_all("a") if text_of(a) == "Search"] == [SEARCH]
    trail = site.soup(SEARCH).select(".breadcrumb-trail li")
    assert [text_of(li) for li in trail] == ["Home", "Search"] and text_of(site.soup(SEARCH).h1) == "Search"
    scripts = [s["src"] for s in site.soup(SEARCH).find_all("script", src=True)]
    assert any("/js/search.js?v=" in src for src in scripts)
    assert all(s.get("type") == "module" for s in site.soup(SEARCH).find_all("script", src=True))
    assert not any("search.js" in s["src"] for s in site.soup(ARTICLE).find_all("script", src=True))


def test_a_header_path_that_is_not_at_the_sites_root_fails_the_build(tmp_path):
    value = json.dumps({"/a/b.html": {"X-Test": "1"}})
    result = build(ROOT, tmp_path / "output", f"HTTP_HEADERS_BY_PATH={value}")
    assert result.returncode == 1
    assert "pelicanconf.py: HTTP_HEADERS_BY_PATH: '/a/b.html' is not a file or a folder at the site's root" in (
        result.stderr
    )


# --- misspellings and sections --------------------------------------------------------------------------


def results_for(page, base: str, words: str) -> tuple[str, list[str]]:
    search_for(page, base, words)
    links = page.eval_on_selector_all(
        ".search-result a", "els => els.map(a => new URL(a.href).pathname.split('/').pop() + new URL(a.href).hash)"
    )
    return page.locator(".search-status").inner_text(), links


def misspelt(word: str) -> str:
    """The word with one doubled letter written once ("acupressure" → "acupresure"), as readers type it."""
    at = next(i for i in range(len(word) - 1, 0, -1) if word[i] == word[i - 1])
    return word[:at] + word[at + 1 :]


def test_a_misspelt_word_finds_the_page_that_has_it_never_a_page_matched_on_one_letter(served_searchable, browser):
    word = next(w for w in TITLE_WORDS if re.search(r"(.)\1", w) and len(w) > 6)
    typo = misspelt(word)
    context = browser.new_context()
    page = context.new_page()
    try:
        status, links = results_for(page, served_searchable, typo)
        assert status.startswith(f"Nothing found for “{typo}”.") and f"for “{word}”." in status, status
        assert links and links[0].split("#")[0] == ARTICLE, links
        for gibberish in ("xqzvwj", "a" + "q" * 8):  # words no page has: nothing, and the topics to browse
            status, links = results_for(page, served_searchable, gibberish)
            assert links == [] and status.startswith(f"Nothing found for “{gibberish}”. Try other words"), status
            assert page.locator(".search-status a").count() >= 1
    finally:
        context.close()


def test_a_result_links_into_the_section_its_words_are_about(served_searchable, browser):
    """Pagefind gives a sub-result for each heading with an id: a point's place links to the point's card."""

    def words(block) -> set[str]:
        return {w.strip(",.").lower() for w in block["where"].split() if len(w.strip(",.")) >= 5}

    # a word of one point's place that no other point's place has, e.g. "crease" (B54)
    point, word = next(
        (b, sorted(words(b) - set().union(*(words(o) for o in BLOCKS if o is not b))))
        for b in BLOCKS
        if words(b) - set().union(*(words(o) for o in BLOCKS if o is not b))
    )
    word = word[0]
    context = browser.new_context()
    page = context.new_page()
    try:
        _, links = results_for(page, served_searchable, word)
        assert f"{ARTICLE}#{point['id']}-name" in links, links
        page.click(f".search-result a[href$='#{point['id']}-name']")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("location.hash") == f"#{point['id']}-name"
        # the point's place on screen, and its diagram above it (site.js, once the page has loaded)
        wait_until(
            page,
            f"""(() => {{ const point = document.getElementById('{point["id"]}');
              const figure = [...point.closest('li').querySelectorAll('figure.diagram')]
                .filter(f => f.compareDocumentPosition(point) & Node.DOCUMENT_POSITION_FOLLOWING).at(-1);
              const where = point.querySelector('[data-field=where]').getBoundingClientRect();
              return figure.getBoundingClientRect().top >= 0 && where.bottom <= innerHeight; }})()""",
        )
    finally:
        context.close()


@pytest.mark.parametrize(("empty_runs", "raises"), [(1, False), (2, True)])
def test_an_index_pagefind_left_with_empty_files_is_made_again_or_refused(tmp_path, monkeypatch, empty_runs, raises):
    from stages.search import index

    runs = []

    def pagefind(site, target):
        runs.append(target)
        target.mkdir(parents=True)
        (target / "pagefind-entry.json").write_text("" if len(runs) <= empty_runs else "{}")
        return 1

    monkeypatch.setattr(index, "_run_index", pagefind)
    if raises:
        with pytest.raises(index.SearchIndexError, match="empty files"):
            index.write_index(tmp_path)
    else:
        assert index.write_index(tmp_path) == 1 and len(runs) == 2
