"""Offline reading: the site's service worker keeps what a reader has read. In real Chromium, on a production build
served at a domain's root and under a sub-path: an article read online is shown offline with a "Saved copy from …"
notice and its diagrams, a page never read shows offline.html, and a changed site brings a new worker that deletes
the old caches."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from conftest import (
    ARTICLE,
    TEST_PREFIX,
    Site,
    add_file,
    built,
    copy_project,
    free_port,
    serving_under,
    watch,
    zq_article,
)
from stages.offline import DEFAULTS as OFFLINE_DEFAULTS

pytestmark = pytest.mark.slow
PREFIXES = {"domain root": "", "sub-path": "/healing"}
CONTROLLED = """async () => {
  if (!navigator.serviceWorker.controller) {
    await new Promise(resolve => navigator.serviceWorker.addEventListener('controllerchange', resolve, {once: true}));
  }
  return navigator.serviceWorker.controller.scriptURL;
}"""
CACHED = """async () => {
  const found = {};
  for (const name of await caches.keys()) found[name] = (await (await caches.open(name)).keys()).map(r => r.url);
  return found;
}"""


@dataclass
class Served:
    project: Path
    site: Site
    siteurl: str  # the address the production build was made for, where it is served

    def build(self) -> Site:
        self.site = built(self.project, self.project / "output", production=True, env={"SITEURL": self.siteurl})
        return self.site

    def version(self) -> str:
        return re.search(r'const VERSION = "([0-9a-f]+)"', (self.site.root / "sw.js").read_text())[1]


def built_for_localhost(folder: Path, prefix: str) -> Served:
    """A copy of the project built for production at a free port of 127.0.0.1, at `prefix`."""
    served = Served(copy_project(folder / "project"), None, f"http://127.0.0.1:{free_port()}{prefix}")  # type: ignore[arg-type]
    served.build()
    return served


def serve_production(folder: Path, prefix: str):
    """A copy of the project built for production at 127.0.0.1 and served there, at `prefix`."""
    served = built_for_localhost(folder, prefix)
    server = serving_under(served.site.root, prefix, int(served.siteurl.split(":")[2].split("/")[0]))
    return served, server


@pytest.fixture(scope="module", params=list(PREFIXES), ids=list(PREFIXES))
def production(request, tmp_path_factory):
    served, server = serve_production(tmp_path_factory.mktemp("offline"), PREFIXES[request.param])
    yield served
    server.shutdown()
    server.server_close()


def caches_of(page) -> dict[str, list[str]]:
    return page.evaluate(CACHED)


def wait_until_kept(page, urls: list[str], limit: float = 20) -> dict[str, list[str]]:
    """Waits until the worker has kept every one of `urls` (it keeps a page's pictures after the page loads)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = caches_of(page)
        kept = {url for cached in found.values() for url in cached}
        if set(urls) <= kept:
            return found
        page.wait_for_timeout(100)
    pytest.fail(f"the worker never kept {sorted(set(urls) - kept)}; it has {found}")


def scroll_through(page) -> None:
    height = page.evaluate("document.documentElement.scrollHeight")
    for _ in range(0, height, 600):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(20)


def test_an_article_read_online_is_read_offline_with_its_diagrams_and_a_saved_copy_notice(production, browser):
    context = browser.new_context()
    page = context.new_page()
    complaints: list[str] = []
    watch(page, complaints)
    article = f"{production.siteurl}/{ARTICLE}"
    try:
        page.goto(article, wait_until="networkidle")
        assert page.evaluate(CONTROLLED) == f"{production.siteurl}/sw.js"  # the site's root, also under a sub-path
        diagrams = page.evaluate("[...document.querySelectorAll('main img')].map(i => i.src)")
        assert diagrams and all(url.endswith(".svg") for url in diagrams)
        found = wait_until_kept(page, [article, *diagrams])
        assert list(found) == [f"energy-healing-site {production.siteurl}/ {production.version()}"]
        assert page.locator(".offline-notice").count() == 0  # online: no notice
        before = datetime.now(UTC)

        context.set_offline(True)
        page.reload(wait_until="load")
        notice = page.locator(".offline-notice[role=status]")
        notice.filter(has_text="offline").wait_for()
        months = "|".join(date(2026, m, 1).strftime("%B") for m in range(1, 13))
        # the site's date format ("23 November 2026"), then the time
        assert re.fullmatch(
            rf"Saved copy from \d{{1,2}} ({months}) \d{{4}} at \d\d:\d\d, you are offline\.", notice.inner_text()
        )
        saved = datetime.fromisoformat(notice.locator("time").get_attribute("datetime").replace("Z", "+00:00"))
        assert abs((saved - before).total_seconds()) < 60
        assert page.inner_text("h1") == "How To Use Acupressure For Back Pain"
        assert page.locator("main .point").count() >= 3  # the whole article, not a stand-in
        scroll_through(page)
        page.wait_for_load_state("load")
        loaded = page.evaluate("[...document.images].map(i => [i.src, i.complete && i.naturalWidth > 0])")
        assert loaded and all(ok for _, ok in loaded), loaded
        assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # its stylesheet

        page.goto(f"{production.siteurl}/support.html", wait_until="load")  # a page never read
        assert page.inner_text("h1") == "You are offline"
        assert page.url == f"{production.siteurl}/support.html"
        assert page.locator(f'main a[href="{production.siteurl}/"]').count() == 1
        assert page.locator(".offline-notice").count() == 0
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()
    assert not complaints, complaints


def test_no_page_logs_an_error_or_breaks_the_policy_with_the_worker_running(production, browser):
    context = browser.new_context()
    complaints: list[str] = []
    try:
        for path in [*production.site.public_pages, "offline.html", "404.html"]:
            page = context.new_page()
            watch(page, complaints, f"{path}: ")
            page.goto(f"{production.siteurl}/{'' if path == 'index.html' else path}", wait_until="networkidle")
            page.evaluate(CONTROLLED)
            complaints.extend(f"{path}: {v}" for v in page.evaluate("window.__violations"))
            page.close()
    finally:
        context.close()
    assert not complaints, complaints


def test_a_changed_site_brings_a_new_worker_that_deletes_the_old_caches(tmp_path, browser):
    served, server = serve_production(tmp_path, "/healing")
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{served.siteurl}/{ARTICLE}", wait_until="networkidle")
        page.evaluate(CONTROLLED)
        first = served.version()
        assert list(wait_until_kept(page, [f"{served.siteurl}/{ARTICLE}"])) == [
            f"energy-healing-site {served.siteurl}/ {first}"
        ]
        # a new hub: every page's navigation changes, offline.html among them
        add_file(served.project, f"content/{TEST_PREFIX}new-hub.md", zq_article("new-hub", category="Zq New Hub"))
        served.build()
        assert served.version() != first
        page.evaluate("async () => { await (await navigator.serviceWorker.getRegistration()).update(); }")
        deadline = time.monotonic() + 20
        while list(caches_of(page)) != [f"energy-healing-site {served.siteurl}/ {served.version()}"]:
            assert time.monotonic() < deadline, caches_of(page)
            page.wait_for_timeout(100)
        offline_page = page.evaluate(
            "async (url) => (await (await caches.match(url)).text())", f"{served.siteurl}/offline.html"
        )
        assert "Zq New Hub" in offline_page  # the new worker keeps the new site
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_the_version_follows_what_the_worker_keeps_and_nothing_else(tmp_path):
    served = built_for_localhost(tmp_path, "")
    first, script = served.version(), (served.site.root / "sw.js").read_bytes()
    served.build()
    assert (served.site.root / "sw.js").read_bytes() == script  # the same site, the same worker
    article = served.project / "content" / "acupressure-for-back-pain.md"
    article.write_text(article.read_text() + "\nOne more sentence for the test.\n")
    served.build()
    assert served.version() == first  # an article's text alone: the pages a reader kept stay kept
    (served.project / "theme" / "static" / "css" / "site.css").open("a").write("\n/* changed */\n")
    served.build()
    assert served.version() != first  # the stylesheet it keeps: a new worker


def test_the_worker_keeps_a_core_that_exists_and_pages_say_where_the_site_is(production):
    script = (production.site.root / "sw.js").read_text()
    core = re.search(r"const CORE = (\[.*?\]);", script)[1]
    for address in re.findall(r'"([^"]+)"', core):
        path = address.split("?")[0]
        assert (production.site.root / path).is_file(), address
    assert "offline.html" in core and re.search(r"theme/css/site\.css\?v=[0-9a-f]{12}", core)
    assert "__VERSION__" not in script and "__CORE__" not in script and "__OFFLINE__" not in script
    assert f'const OFFLINE_PAGE = "{OFFLINE_DEFAULTS["OFFLINE_URL"]}";' in script  # the setting, not a copy
    html = production.site.soup(ARTICLE).html
    assert html["data-site-root"] == production.siteurl + "/" and html.has_attr("data-offline-reading")


def test_on_a_host_that_drops_html_a_read_page_is_read_offline_and_an_unread_one_shows_the_offline_page(
    tmp_path, browser
):
    """Cloudflare Pages answers x.html with a 308 to x: a browser refuses a redirected response for a navigation,
    so nothing the worker keeps may be one (offline.html among them)."""
    served = built_for_localhost(tmp_path, "/healing")
    server = serving_under(
        served.site.root, "/healing", int(served.siteurl.split(":")[2].split("/")[0]), pretty_urls=True
    )
    context = browser.new_context()
    page = context.new_page()
    complaints: list[str] = []
    watch(page, complaints)
    try:
        page.goto(f"{served.siteurl}/{ARTICLE}", wait_until="networkidle")
        article = f"{served.siteurl}/{ARTICLE.removesuffix('.html')}"
        assert page.url == article  # the server dropped .html
        page.evaluate(CONTROLLED)
        wait_until_kept(page, [article, f"{served.siteurl}/offline.html"])
        links = page.evaluate("[...document.querySelectorAll('a[href$=\".html\"]')].map(a => a.href)")
        unread = next(link for link in links if link.startswith(served.siteurl + "/") and link != article + ".html")

        context.set_offline(True)
        page.reload(wait_until="load")
        assert page.inner_text("h1") == "How To Use Acupressure For Back Pain"
        page.locator(".offline-notice").filter(has_text="offline").wait_for()
        page.goto(article + ".html", wait_until="load")  # the site's own link to it: the copy kept at its address
        assert page.inner_text("h1") == "How To Use Acupressure For Back Pain"
        page.locator(".offline-notice").filter(has_text="offline").wait_for()
        page.goto(unread, wait_until="load")  # the site's own link, as written in the page
        assert page.inner_text("h1") == "You are offline"
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert not complaints, complaints


def test_a_page_is_kept_once_whatever_its_query_and_read_offline_with_any(production, browser):
    context = browser.new_context()
    page = context.new_page()
    article = f"{production.siteurl}/{ARTICLE}"
    try:
        page.goto(article, wait_until="networkidle")
        page.evaluate(CONTROLLED)
        for n in range(5):
            page.goto(f"{article}?utm_source=zq{n}", wait_until="load")
        wait_until_kept(page, [article])
        kept = [url for urls in caches_of(page).values() for url in urls if ARTICLE in url]
        assert kept == [article], kept
        context.set_offline(True)
        page.goto(f"{article}?zq=never-seen", wait_until="load")
        assert page.inner_text("h1") == "How To Use Acupressure For Back Pain"
    finally:
        context.close()
