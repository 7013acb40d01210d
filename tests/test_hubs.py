"""At scale, the site grows by itself: a generated site of 300 articles in 12 hubs (with points, steps, pictures,
tags, drafts and 10 pages) has every hub on the home page with its introduction, hub lists in a helpful order and
paginated, related reading, drafts only in the preview, links that resolve, valid HTML, and a header that stays one
size."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sitegen import generate

from conftest import Site, built, copy_project, text_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def grown_server(tmp_path_factory):
    """(the folder of the grown site's production build, its address): a free port of this machine, under a
    sub-path, served from the start (a service worker and the search need the page and the site at one origin; a
    port held from the start is not taken by another program while the site builds)."""
    from conftest import serving_under

    folder = tmp_path_factory.mktemp("grown-prod") / "output"
    server = serving_under(folder, "/healing")
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/healing"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def production_url(grown_server) -> str:
    return grown_server[1]


@pytest.fixture(scope="module")
def grown(tmp_path_factory, grown_server):
    """12 hubs, the first with 40 articles (more than one page), 300 articles in all, drafts, 10 pages; built for
    the preview and for production (at production_url)."""
    project = copy_project(tmp_path_factory.mktemp("grown") / "project")
    made = generate(project, articles=300, hubs=12, big_hub=40, tiny_hub=2, drafts=2, pages=10, menu_pages=2)
    made.project = project
    development = built(project, tmp_path_factory.mktemp("grown-dev") / "output")
    folder, production_url = grown_server
    production = built(project, folder, production=True, env={"SITEURL": production_url})
    return made, development, production


def links_on(site: Site, page: str, selector: str) -> list[str]:
    return [site.resolve(page, a["href"])[0] for a in site.soup(page).select(selector)]


def hub_page(site: Site, hub: str) -> str:
    return site.page_titled(hub)


def test_every_hub_is_on_the_home_page_with_its_introduction_count_and_newest_articles(grown):
    made, site, _ = grown
    home = site.soup("index.html")
    cards = {text_of(card.h3): card for card in home.select(".hub-card")}
    assert set(made.hubs) <= set(cards), "a new Category appears on the home page by itself"
    for index, hub in enumerate(made.hubs):
        card = cards[hub]
        count = len(made.in_hub(hub))
        assert text_of(card.select_one(".hub-count")) == f"{count} article{'s' if count != 1 else ''}"
        newest = sorted(made.in_hub(hub), key=lambda slug: made.dates[slug], reverse=True)[:3]
        assert [text_of(a) for a in card.select(".hub-newest a")] == [made.titles[slug] for slug in newest]
        if index % 2 == 0:
            assert f"The introduction of {hub}, first sentence." in text_of(card)
            assert "A second sentence." not in text_of(card), "only the first sentence"
    assert "The Energy Healing Site is a unique, free resource." in text_of(home.main), "Nancy's welcome stays"


def test_a_hub_shows_its_introduction_then_pinned_articles_then_newest_first(grown):
    made, site, _ = grown
    hub = made.hubs[0]
    page = hub_page(site, hub)
    soup = site.soup(page)
    intro = soup.select_one(".hub-intro")
    assert "A second sentence." in text_of(intro)
    assert intro.find_next("ul", class_="article-list") is not None, "the introduction is above the list"
    listed = [text_of(a) for a in soup.select(".article-list > li:not(.is-draft) > a")]
    published = list(made.in_hub(hub))
    pinned = made.pinned[hub]
    rest = sorted((s for s in published if s not in pinned), key=lambda s: made.dates[s], reverse=True)
    expected = [made.titles[s] for s in pinned + rest]
    assert listed == expected[: len(listed)], "pinned first, then newest first"
    assert len(soup.select(".article-list > li")) == 30, "30 to a page (here with the hub's draft, marked)"


def test_a_long_hub_is_paginated_and_every_page_links_every_other(grown):
    made, site, _ = grown
    hub = made.hubs[0]
    first = hub_page(site, hub)
    pages = [first] + [p for p in site.html_pages if p.startswith(first.removesuffix(".html") + "/page/")]
    listed = len(made.in_hub(hub)) + sum(1 for draft_hub in made.drafts.values() if draft_hub == hub)
    assert len(pages) == -(-listed // 30) > 1
    seen = []
    for page in pages:
        seen += [text_of(a) for a in site.soup(page).select(".article-list > li:not(.is-draft) > a")]
        linked = set(links_on(site, page, "nav.pagination a"))
        assert linked == set(pages), page
        current = site.soup(page).select_one('nav.pagination a[aria-current="page"]')
        assert site.resolve(page, current["href"])[0] == page
    assert sorted(seen) == sorted(made.titles[s] for s in made.in_hub(hub)), "every article on exactly one page"


def test_every_article_ends_with_three_to_five_related_articles_same_hub_first_never_itself(grown):
    made, site, _ = grown
    for slug, hub in made.articles.items():
        page = f"{slug}.html"
        related = links_on(site, page, ".related-list a")
        assert 3 <= len(related) <= 5, page
        assert page not in related
        hubs = [made.articles[target.removesuffix(".html")] for target in related]
        same = [h == hub for h in hubs]
        assert same == sorted(same, reverse=True), f"{page}: same hub first: {hubs}"
        if len(made.in_hub(hub)) > 5:
            assert all(same), page


def test_small_hubs_borrow_related_reading_by_shared_tags(grown):
    made, site, _ = grown
    small = [slug for slug, hub in made.articles.items() if len(made.in_hub(hub)) < 4]
    assert small
    for slug in small:
        related = [target.removesuffix(".html") for target in links_on(site, f"{slug}.html", ".related-list a")]
        others = [r for r in related if made.articles[r] != made.articles[slug]]
        assert others and any(set(made.tags[r]) & set(made.tags[slug]) for r in others), slug


def test_previous_and_next_follow_the_hubs_order(grown):
    made, site, _ = grown
    hub = made.hubs[1]
    order = sorted(made.in_hub(hub), key=lambda slug: made.dates[slug], reverse=True)
    for index, slug in enumerate(order):
        soup = site.soup(f"{slug}.html")
        previous, following = (
            soup.select_one('.hub-neighbours a[rel="prev"]'),
            soup.select_one('.hub-neighbours a[rel="next"]'),
        )
        assert (previous is None) == (index == 0) and (following is None) == (index == len(order) - 1)
        if previous:
            assert site.resolve(f"{slug}.html", previous["href"])[0] == f"{order[index - 1]}.html"
        if following:
            assert site.resolve(f"{slug}.html", following["href"])[0] == f"{order[index + 1]}.html"


def test_drafts_are_marked_in_the_preview_and_absent_from_the_published_site(grown):
    made, development, production = grown
    for slug, hub in made.drafts.items():
        page = f"drafts/{slug}.html"
        assert "Draft" in text_of(development.soup(page).select_one(".draft-note"))
        listing = development.soup(hub_page(development, hub))
        marked = [li for li in listing.select(".article-list > li") if "is-draft" in li.get("class", [])]
        assert any(text_of(li.a).startswith("Zq Test Draft") and "Draft" in text_of(li) for li in marked)
        assert not list(production.root.rglob(f"{slug}*")), "no page for a draft"
        for published in production.html_pages:
            assert slug not in (production.root / published).read_text(), published
    sitemap = (production.root / "sitemap.xml").read_text()
    feed = (production.root / "feeds" / "all.atom.xml").read_text()
    assert not any(slug in sitemap or slug in feed for slug in made.drafts)


def test_the_menu_lists_every_hub_and_only_the_pages_nancy_chose(grown):
    made, site, _ = grown
    soup = site.soup("index.html")
    hubs = [text_of(a) for a in soup.select("#site-menu-topics + ul a")]
    assert sorted(hubs) == sorted(hubs) and set(made.hubs) <= set(hubs)
    pages = [text_of(a) for a in soup.select("#site-menu-pages + ul a")]
    chosen = [f"Zq Test Page {slug[-2:]}" for slug in made.menu_pages]
    assert set(chosen) <= set(pages) and not set(pages) & {f"Zq Test Page {s[-2:]}" for s in made.pages[2:]}


def test_the_grown_site_passes_every_check_of_the_production_build(grown, production_url):
    made, _, production = grown
    assert production.result.stderr == "", production.result.stderr  # no problem, not even a warning
    root = ET.parse(production.root / "sitemap.xml").getroot()
    assert len(list(root)) == len(production.public_pages)
    for hub in made.hubs:  # every article is on its hub's pages
        first = production.page_titled(hub)
        pages = [first] + [p for p in production.html_pages if p.startswith(first.removesuffix(".html") + "/page/")]
        listed = {
            a["href"].removeprefix(production_url + "/")
            for page in pages
            for a in production.soup(page).select(".article-list a")
        }
        assert listed == {f"{slug}.html" for slug in made.in_hub(hub)}, hub


def test_the_nu_html_checker_finds_nothing_on_the_grown_site(grown):
    from test_integrity import nu_check

    _, _, production = grown
    result = nu_check(production.root)
    assert result.returncode == 0, result.stdout[:3000] + result.stderr[:3000]


@pytest.mark.parametrize(("width", "height", "limit"), [(1280, 800, 160), (390, 844, 844 / 4), (320, 640, 640 / 4)])
def test_the_header_stays_compact_with_twelve_hubs_and_ten_pages(grown, browser, width, height, limit):
    from conftest import serving

    _, site, _ = grown
    with serving(site.root) as base:
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            for path in ("index.html", "zq-test-article-0001.html"):
                page.goto(base + path)
                header = page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")
                assert header <= limit, f"{path}: header {header}px at {width}px"
                assert page.evaluate("document.documentElement.scrollWidth") <= width
        finally:
            page.close()


def test_the_menu_opens_and_is_walked_by_keyboard_without_javascript(grown, browser):
    from conftest import serving

    made, site, _ = grown
    with serving(site.root) as base:
        context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        try:
            page.goto(base + "index.html")
            assert not page.locator(".site-menu-panel").is_visible()
            for _ in range(10):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.matches('summary.site-menu-button')"):
                    break
            page.keyboard.press("Enter")
            assert page.locator(".site-menu-panel").is_visible()
            page.keyboard.press("Tab")
            first_hub = page.locator("#site-menu-topics + ul a").first.inner_text()
            assert page.evaluate("document.activeElement.textContent") == first_hub
            assert set(made.hubs) <= set(page.locator("#site-menu-topics + ul a").all_inner_texts())
            page.keyboard.press("Enter")
            page.wait_for_load_state()
            assert page.locator("h1").inner_text().startswith(first_hub)
        finally:
            context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_grown_sites_pages_with_the_menu_open(grown, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe
    from test_reader import AXE_OPTIONS

    made, site, _ = grown
    hub = hub_page(site, made.hubs[0])
    paths = [
        "index.html",
        hub,
        hub.removesuffix(".html") + "/page/2/index.html",
        "zq-test-article-0003.html",
        f"drafts/{next(iter(made.drafts))}.html",
        "404.html",
    ]
    with serving_site(site) as base:
        page = browser.new_page(color_scheme=scheme)
        try:
            reports = []
            for path in paths:
                page.goto(base + path, wait_until="networkidle")
                page.click("summary.site-menu-button")
                results = Axe().run(page, options=AXE_OPTIONS)
                if results.violations_count:
                    reports.append(f"{path}: {results.generate_report()}")
            assert not reports, "\n".join(reports)
        finally:
            page.close()


def serving_site(site: Site):
    from conftest import serving

    return serving(site.root)


@pytest.fixture(scope="module")
def grown_served(grown, production_url):
    """The grown site's production build, served at its address (grown_server)."""
    made, _, site = grown
    return made, site, production_url


def test_search_finds_the_one_article_of_three_hundred_that_has_a_word(grown_served, browser):
    from test_search import search_for

    made, _, siteurl = grown_served
    slug = "zq-test-article-0123"
    page = browser.new_page()
    try:
        search_for(page, siteurl + "/", made.unique_words[slug])
        links = page.locator(".search-result-title a")
        assert links.count() == 1
        assert links.first.get_attribute("href") == f"{siteurl}/{slug}.html"
    finally:
        page.close()


def test_an_article_read_once_is_there_offline(grown_served, browser):
    from test_offline import CONTROLLED, wait_until_kept

    made, _, siteurl = grown_served
    slug = "zq-test-article-0200"
    article = f"{siteurl}/{slug}.html"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(article, wait_until="networkidle")
        assert page.evaluate(CONTROLLED) == f"{siteurl}/sw.js"
        wait_until_kept(page, [article])
        context.set_offline(True)
        page.reload(wait_until="load")
        page.locator(".offline-notice[role=status]").filter(has_text="offline").wait_for()
        assert page.inner_text("h1") == made.titles[slug]
    finally:
        context.close()
