"""One production build works on any static host, at a domain root or under a sub-path, and tells search
engines and feed readers what each page is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ARTICLE, ROOT, STAND_IN_PAGES, Site, copy_project, metadata_of, serving_under, text_of
from stages.seo import cards, feeds

SAFETY_SNIPPET = "content/snippets/self-care-safety.md"  # the safety note of every self-care article
ADDRESSES = {"sub-path": "https://example.org/healing", "domain root": "https://example.org"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FETCHED = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


class Production(Site):
    siteurl: str
    local: str  # where the local server serves SITEURL

    def url_of(self, page: str) -> str:
        return f"{self.siteurl}/{'' if page == 'index.html' else page}"


@pytest.fixture(scope="module", params=list(ADDRESSES), ids=list(ADDRESSES))
def production(request, production_build):
    siteurl = ADDRESSES[request.param]
    built = production_build(siteurl)
    site = Production(built.root, built.result)
    site.siteurl = siteurl
    prefix = urlsplit(siteurl).path.rstrip("/")
    server = serving_under(site.root, prefix)
    site.local = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    yield site
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, "", b""


def test_crawling_from_the_home_page_every_link_resolves_and_none_leaves_the_sites_address(production):
    """Every link, stylesheet, script, picture and feed, fetched from a plain file server."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(production.siteurl))
    queue, seen, problems, pages = [production.siteurl + "/"], set(), [], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, kind, body = fetch(production.local + url[len(production.siteurl) :])
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        if kind == "text/html":
            pages.add(url)
            soup = BeautifulSoup(body, "lxml")
            links = [urljoin(url, e[a]) for t, a in FETCHED.items() for e in soup.find_all(t, attrs={a: True})]
            # links written in the content to other sites (the safety note's sources) carry rel="noopener"
            cited = {urljoin(url, a["href"]) for a in soup.select('main a[rel~="noopener"]')}
            links = [link for link in links if link not in cited or link.startswith(origin)]
        elif url.endswith(".xml"):
            links = [e.get("href") for e in ET.fromstring(body).iter(f"{ATOM}link")]
        else:
            continue
        for link in links:
            link = link.split("#")[0]
            if not link.startswith(origin):
                problems.append(f"{url}: {link} is not on the site")
            elif not (link + "/").startswith(production.siteurl + "/"):
                problems.append(f"{url}: {link} leaves {production.siteurl}")
            else:
                queue.append(link)
    assert not problems, "\n".join(problems)
    expected = {production.url_of(p) for p in production.public_pages}
    assert pages == expected
    assert any("site.css" in u for u in seen) and any(u.endswith(".svg") for u in seen)
    assert production.siteurl + "/feeds/all.atom.xml" in seen


def test_the_sitemap_lists_every_public_page_once_and_robots_names_it(production):
    root = ET.parse(production.root / "sitemap.xml").getroot()
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locations) == len(set(locations))
    assert set(locations) == {production.url_of(p) for p in production.public_pages}
    robots = (production.root / "robots.txt").read_text()
    assert f"Sitemap: {production.siteurl}/sitemap.xml" in robots.splitlines()


def test_the_feed_is_atom_and_has_every_published_article(production):
    feed = ET.parse(production.root / "feeds" / "all.atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = {e.find(f"{ATOM}link").get("href"): e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")}
    assert entries[f"{production.siteurl}/{ARTICLE}"] == "How To Use Acupressure For Back Pain"
    articles = {
        production.url_of(p)
        for p in production.public_pages
        if production.soup(p).find("meta", property="og:type", content="article")
    }
    assert set(entries) == articles
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text
    advertised = production.soup(ARTICLE).find("link", rel="alternate", type="application/atom+xml")
    assert advertised["href"] == f"{production.siteurl}/feeds/all.atom.xml"


def feed_links(soup) -> list[str]:
    return [link["href"] for link in soup.find_all("link", rel="alternate", type="application/atom+xml")]


def test_every_page_links_the_sites_feed_and_each_hub_page_its_own(production):
    hubs = 0
    for page in production.html_pages:
        soup = production.soup(page)
        links = feed_links(soup)
        assert links[0] == f"{production.siteurl}/feeds/all.atom.xml", page
        data = soup.find("script", type="application/ld+json")  # the 404 and offline pages have none
        if not data or "CollectionPage" not in {node["@type"] for node in json.loads(data.string)["@graph"]}:
            assert len(links) == 1, page
            continue
        hubs += 1
        assert len(links) == 2, page
        feed = feedparser.parse((production.root / links[1].removeprefix(production.siteurl + "/")).read_bytes())
        assert links[1] in {link.href for link in feed.feed.links if link.rel == "self"}, page
        assert feed.entries and all(text_of(soup.h1) in {tag.term for tag in e.tags} for e in feed.entries), page
    assert hubs


def test_feed_readers_get_absolute_links_the_safety_note_no_comments_and_one_id_per_feed(production):
    """Read as a feed reader reads a feed from its address (feedparser resolves relative links against it)."""
    feeds = sorted({href for page in production.html_pages for href in feed_links(production.soup(page))})
    ids = []
    for url in feeds:
        raw = (production.root / url.removeprefix(production.siteurl + "/")).read_bytes()
        for content in ET.fromstring(raw).iter(f"{ATOM}content"):
            assert "<!--" not in content.text, url
        feed = feedparser.parse(raw, response_headers={"content-location": url, "content-type": "application/xml"})
        assert not feed.bozo, url
        ids.append(feed.feed.id)
        for entry in feed.entries:
            body = BeautifulSoup(entry.content[0].value, "lxml")
            for element in body.find_all(href=True) + body.find_all(src=True):
                link = element.get("href") or element.get("src")
                parts = urlsplit(link)
                assert parts.scheme in ("https", "http", "mailto") and parts.netloc, (url, link)
                if link.startswith(production.siteurl + "/"):
                    page = link.removeprefix(production.siteurl + "/").split("#")[0] or "index.html"
                    assert production.exists(page), (url, link)
                    if parts.fragment:  # a place in a page (not in the feed, where a reader would resolve "#b47")
                        assert page.endswith(".html") and production.soup(page).find(id=parts.fragment), (url, link)
    assert len(ids) == len(set(ids)) == len(feeds) >= 2


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('<a href="#b47">x</a>', '<a href="https://example.org/healing/a.html#b47">x</a>'),
        (
            '<a href="b.html">b</a> <a href="../up.html">u</a>',
            '<a href="https://example.org/healing/b.html">b</a> <a href="https://example.org/up.html">u</a>',
        ),
        (
            '<img src="images/x.svg" alt="A &amp; &quot;B&quot;">',
            '<img src="https://example.org/healing/images/x.svg" alt="A &amp; &quot;B&quot;">',
        ),
        ("<p>1 &lt; 2 &amp;<!-- a comment --> 3<br/></p>", "<p>1 &lt; 2 &amp; 3<br /></p>"),
        (
            '<a href="mailto:n@example.org">m</a><a href="https://other.example/x">o</a>',
            '<a href="mailto:n@example.org">m</a><a href="https://other.example/x">o</a>',
        ),
    ],
)
def test_feed_content_is_written_again_with_absolute_links_and_no_comments(written, read):
    assert feeds.absolute(written, "https://example.org/healing/a.html") == read


def test_the_articles_feed_entry_has_the_safety_note_its_page_shows(production):
    title = metadata_of((ROOT / SAFETY_SNIPPET).read_text(encoding="utf-8"))["title"]
    page = production.soup(ARTICLE)
    heading = page.main.find(lambda tag: tag.name in ("h2", "h3") and text_of(tag) == title)
    assert heading is not None, f"{ARTICLE} shows no heading {title!r}"
    note = text_of(heading.parent)
    assert "999" in note  # the note itself, not just its heading
    feed = feedparser.parse((production.root / "feeds" / "all.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link == production.url_of(ARTICLE))
    assert note in text_of(BeautifulSoup(entry.content[0].value, "lxml"))


def test_every_page_has_one_canonical_url_a_description_and_open_graph(production):
    for page in production.html_pages:
        if page in STAND_IN_PAGES:
            continue
        soup = production.soup(page)
        canonical = soup.find_all("link", rel="canonical")
        assert [c["href"] for c in canonical] == [production.url_of(page)], page
        description = soup.find("meta", attrs={"name": "description"})["content"]
        assert 20 <= len(description) <= 160, (page, description)
        og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
        assert og["og:url"] == production.url_of(page)
        assert og["og:title"] == text_of(soup.h1) and og["og:description"] == description


def test_every_page_has_a_png_link_preview_of_at_least_1200_by_630_in_the_sites_colours(production):
    """og:image: an article's own card (its title), the site's card for every other page (not the stand-in pages,
    which no one links to)."""
    colours = cards.theme_colours({"THEME": str(ROOT / "theme")})
    seen = {}
    for page in production.public_pages:
        og = {m["property"]: m["content"] for m in production.soup(page).find_all("meta", property=True)}
        assert og["og:image"].startswith(production.siteurl + "/"), page
        with Image.open(production.root / og["og:image"].removeprefix(production.siteurl + "/")) as image:
            assert image.format == "PNG" and og["og:image:type"] == "image/png", page
            assert image.size == (int(og["og:image:width"]), int(og["og:image:height"])) >= (1200, 630), page
            assert max(image.convert("RGB").getcolors(1 << 24))[1] == colours["bg"], page
            assert image.convert("RGB").getpixel((4, image.height // 2)) == colours["accent"], page
        if og["og:type"] == "article":
            assert og["og:image:alt"] == f"{og['og:title']} — {og['og:site_name']}", page
        else:
            assert og["og:image:alt"] == og["og:site_name"], page
        seen.setdefault(og["og:image"], set()).add(og["og:type"])
    assert production.soup(ARTICLE).find("meta", property="og:image")["content"] in seen
    assert {"article"} in seen.values() and len(seen) >= 2  # the article's card is its own


def test_a_card_is_drawn_without_the_system_font(tmp_path, monkeypatch):
    """A machine without fonts-dejavu-core still builds: Pillow's own font draws the card."""
    colours = cards.theme_colours({"THEME": str(ROOT / "theme")})
    cards.draw_card(tmp_path / "dejavu.png", "Zq Test Title", "Zq Site", colours)
    monkeypatch.setattr(cards, "FONT", "zq-test-no-such-font.ttf")
    cards.font.cache_clear()
    try:
        cards.draw_card(tmp_path / "default.png", "Zq Test Title", "Zq Site", colours)
    finally:
        cards.font.cache_clear()
    with Image.open(tmp_path / "default.png") as image:
        assert image.format == "PNG" and image.size == cards.CARD_SIZE
        assert len(image.getcolors(1 << 24)) > 3  # text, not a blank card
    assert (tmp_path / "default.png").read_bytes() != (tmp_path / "dejavu.png").read_bytes()


def json_ld(soup) -> dict:
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]} | {"_all": data["@graph"]}


def test_the_article_json_ld_describes_the_article_its_points_and_its_eight_steps(production):
    soup = production.soup(ARTICLE)
    nodes = json_ld(soup)
    article = nodes["Article"]
    assert article["headline"] == text_of(soup.h1)
    assert article["author"] == {"@type": "Person", "name": "Nancy"}
    assert article["publisher"]["name"] == "The Energy Healing Site"
    assert article["datePublished"].startswith("2026-11-23") and article["dateModified"]
    assert article["url"] == article["mainEntityOfPage"] == production.url_of(ARTICLE)
    howtos = [node for node in nodes["_all"] if node["@type"] == "HowTo"]
    exercise = next(h for h in howtos if h["name"] == "Mindfulness Techniques For Moving The Energy Of Your Back")
    visible = [text_of(li) for li in soup.select("ol.steps > li")]
    assert [s["position"] for s in exercise["step"]] == list(range(1, 9))
    assert [s["text"] for s in exercise["step"]] == visible
    assert [s["url"] for s in exercise["step"]] == [f"{production.url_of(ARTICLE)}#step-{n}" for n in range(1, 9)]
    points = next(h for h in howtos if h is not exercise)
    assert [s["url"].split("#")[1] for s in points["step"]] == [s["id"] for s in soup.select("section.point")]
    assert {s.get("timeRequired") for s in points["step"]} == {"PT1M", None}


def test_every_breadcrumb_list_equals_the_visible_breadcrumb(production):
    for page in production.html_pages:
        soup = production.soup(page)
        crumb = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
        if crumb is None:
            continue
        trail = crumb.select("ol > li")
        listed = json_ld(soup)["BreadcrumbList"]["itemListElement"]
        assert [item["name"] for item in listed] == [text_of(li) for li in trail], page
        assert [item["item"] for item in listed] == [li.a["href"] for li in trail[:-1]] + [production.url_of(page)]
        assert [item["position"] for item in listed] == list(range(1, len(trail) + 1))


def test_the_404_page_links_home_and_to_the_hub_by_absolute_address(production):
    soup = production.soup("404.html")
    links = {a["href"] for a in soup.main.find_all("a")}
    assert {production.siteurl + "/", production.siteurl + "/natural-pain-relief.html"} <= links
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("link", rel="stylesheet")["href"].startswith(production.siteurl + "/")


def test_static_hosts_get_a_favicon_nojekyll_and_header_files(production):
    for name in ("favicon.svg", ".nojekyll", "_headers", ".htaccess"):
        assert (production.root / name).is_file(), name
    for page in production.html_pages:
        icon = production.soup(page).find("link", rel="icon")
        assert icon["href"] == f"{production.siteurl}/favicon.svg" and icon["type"] == "image/svg+xml"


WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def check_workflow(path) -> subprocess.CompletedProcess:
    """check-jsonschema with the GitHub workflow schema it ships (no network)."""
    command = [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
    return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120)


def test_the_github_workflow_is_valid_and_tests_before_it_publishes_the_production_build(tmp_path):
    result = check_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "runs_on:"))
    assert check_workflow(broken).returncode != 0  # the check can fail
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    assert any(step.get("run") == "make test" for step in jobs["test"]["steps"])
    build = jobs["build"]
    assert build["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    steps = {step.get("uses", "").split("@")[0]: step for step in build["steps"]}
    pages = steps["actions/configure-pages"]["id"]
    production = next(step for step in build["steps"] if "invoke production" in step.get("run", ""))
    assert production["env"]["SITEURL"] == f"${{{{ steps.{pages}.outputs.base_url }}}}"
    assert steps["actions/upload-pages-artifact"]["with"]["path"].rstrip("/") == "output"
    assert [step["uses"].split("@")[0] for step in jobs["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


@pytest.mark.slow  # starts the command line (make, invoke) in a new process
def test_invoke_gh_pages_commits_the_production_site_to_its_branch(tmp_path):
    project = copy_project(tmp_path / "project")
    git = {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    env = {**os.environ, **git, "SITEURL": "https://nancy.github.io/healing", "COLUMNS": "400"}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=project, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "gh-pages"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "gh-pages"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"index.html", ARTICLE, ".nojekyll", "sitemap.xml", "feeds/all.atom.xml"} <= set(files)
    page = subprocess.run(["git", "show", f"gh-pages:{ARTICLE}"], cwd=project, capture_output=True, text=True).stdout
    assert 'href="https://nancy.github.io/healing/natural-pain-relief.html"' in page
    env.pop("SITEURL")
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "gh-pages"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2 and "SITEURL" in result.stderr
