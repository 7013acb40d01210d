"""The lightest page: byte budgets for the article's critical path and total weight, counted exactly from the
production build (gzip -9, as static hosts serve it), and no layout shift when the diagrams arrive."""

from __future__ import annotations

import gzip

import pytest
from bs4 import BeautifulSoup

from conftest import ARTICLE, Site

SITEURL = "https://example.org/healing"
CRITICAL_PATH_BYTES = 14_000  # one TCP round trip (10 segments of ~1,400 bytes)
CRITICAL_PATH_REQUESTS = 2
TOTAL_BYTES = 60_000


@pytest.fixture(scope="module")
def production(production_build) -> Site:
    return production_build(SITEURL)


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def local(url: str) -> str:
    assert url.startswith(SITEURL + "/"), f"{url} is not on the site"
    return url[len(SITEURL) + 1 :].split("?")[0]


def render_blocking(soup: BeautifulSoup) -> list[str]:
    """Stylesheets for the screen and classic scripts without async or defer: what the first paint waits for."""
    sheets = [
        link["href"]
        for link in soup.find_all("link", rel="stylesheet")
        if link.get("media", "all") in ("all", "screen") and not link.has_attr("disabled")
    ]
    scripts = [
        s["src"]
        for s in soup.find_all("script", src=True)
        if s.get("type") != "module" and not s.has_attr("async") and not s.has_attr("defer")
    ]
    return sheets + scripts


def everything_loaded(soup: BeautifulSoup) -> list[str]:
    urls = [link["href"] for link in soup.find_all("link", rel=["stylesheet", "icon"])]
    urls += [script["src"] for script in soup.find_all("script", src=True)]
    urls += [image["src"] for image in soup.find_all("img", src=True)]
    return list(dict.fromkeys(urls))


def test_the_critical_path_fits_one_round_trip(production, budget_report):
    html = (production.root / ARTICLE).read_bytes()
    blocking = render_blocking(BeautifulSoup(html, "lxml"))
    sizes = {ARTICLE: compressed(html)} | {
        local(u): compressed((production.root / local(u)).read_bytes()) for u in blocking
    }
    total, requests = sum(sizes.values()), len(sizes)
    budget_report.append(
        f"critical path: {total:,} bytes gzip in {requests} requests "
        f"(budget {CRITICAL_PATH_BYTES:,} in {CRITICAL_PATH_REQUESTS}): {sizes}"
    )
    assert requests <= CRITICAL_PATH_REQUESTS, sizes
    assert total <= CRITICAL_PATH_BYTES, sizes


def test_the_whole_article_with_diagrams_and_script_is_light(production, budget_report):
    html = (production.root / ARTICLE).read_bytes()
    sizes = {ARTICLE: compressed(html)}
    for url in everything_loaded(BeautifulSoup(html, "lxml")):
        sizes[local(url)] = compressed((production.root / local(url)).read_bytes())
    total = sum(sizes.values())
    budget_report.append(
        f"article in all: {total:,} bytes gzip in {len(sizes)} requests (budget {TOTAL_BYTES:,}): {sizes}"
    )
    assert any(name.endswith(".svg") for name in sizes) and any(name.endswith(".js") for name in sizes)
    assert total <= TOTAL_BYTES, sizes


def test_diagrams_and_the_script_do_not_block_the_first_paint(production):
    soup = BeautifulSoup((production.root / ARTICLE).read_bytes(), "lxml")
    assert all(
        image.get("loading") == "lazy" and image.get("width") and image.get("height")
        for image in soup.select("main img")
    )
    scripts = soup.find_all("script", src=True)
    assert scripts and all(script.get("type") == "module" or script.has_attr("defer") for script in scripts)


def test_the_layout_does_not_shift_when_slow_diagrams_arrive(served_site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()

    def slowly(route):
        page.wait_for_timeout(400)
        route.continue_()

    page.route("**/*.svg", slowly)
    page.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) window.__shift += e.value; }))
          .observe({type: 'layout-shift', buffered: true});
    """)
    page.goto(served_site + ARTICLE, wait_until="load")
    for _ in range(40):
        page.mouse.wheel(0, 500)
        page.wait_for_timeout(50)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    shift = page.evaluate("window.__shift")
    context.close()
    assert shift < 0.001, f"cumulative layout shift {shift}"
