"""The built site served by a real Apache (Debian's apache2) with the .htaccess the build writes: what an
Apache host sends is what _headers promises Netlify and Cloudflare Pages, with the caching of CACHE_CONTROL."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import urljoin

import apache
import pytest
from apache import apache_serving
from pelican.settings import read_settings

from conftest import ARTICLE, FUTURE_PICTURES, ROOT, Site, header_rules, intended_caching
from stages.hosting import DEFAULTS


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes


def fetch(url: str, method: str = "GET") -> Reply:
    """One request, straight to the server (no proxy); error statuses are replies too."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(urllib.request.Request(url, method=method), timeout=10) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def promised_headers(site: Site) -> dict[str, dict[str, str]]:
    """_headers as {path pattern: {name: value}}: a pattern starts a block, its headers are indented (a
    "! Name" line, which detaches a header on Cloudflare Pages, sets nothing)."""
    return {pattern: dict(headers) for pattern, headers, _ in header_rules(site.root / "_headers")}


@pytest.fixture(scope="module")
def caching() -> dict[str, str]:
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return settings.get("CACHE_CONTROL") or DEFAULTS["CACHE_CONTROL"]  # the hosting stage's default


@pytest.fixture(scope="module")
def server(site: Site) -> str:
    """The built site at the root of one Apache for this module."""
    with apache_serving(site.root) as base:
        yield base


def test_a_page_is_served_with_every_header_promised_for_all_paths_and_is_never_cached_stale(server, site, caching):
    promised = promised_headers(site)["/*"]
    assert {
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Permissions-Policy",
    } <= promised.keys()
    assert "frame-ancestors 'none'" in promised["Content-Security-Policy"]
    reply = fetch(f"{server}/{ARTICLE}")
    assert reply.status == 200 and reply.body == (site.root / ARTICLE).read_bytes()
    for name, value in promised.items():
        assert reply.headers.get_all(name) == [value], name  # once, and exactly the promised value
    assert reply.headers.get_all("Cache-Control") == [caching["pages"]]
    assert fetch(f"{server}/").headers.get_all("Cache-Control") == [caching["pages"]]  # index.html by DirectoryIndex


def test_theme_files_addressed_by_their_hash_are_cached_for_a_year_with_their_own_type(server, site, caching):
    page = site.soup(ARTICLE)
    urls = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    urls += [script["src"] for script in page.find_all("script", src=True)]
    types = {".css": "text/css", ".js": "text/javascript"}  # with nosniff, a wrong type is never applied
    assert "immutable" in caching["theme"] and "max-age=31536000" in caching["theme"]
    assert any(url.split("?")[0].endswith(".css") for url in urls)
    for url in urls:
        assert "/theme/" in url and "?v=" in url
        reply = fetch(urljoin(f"{server}/{ARTICLE}", url))
        assert reply.status == 200, url
        assert reply.headers.get_all("Cache-Control") == [caching["theme"]], url
        assert reply.headers.get_content_type() == types[Path(url.split("?")[0]).suffix], url
        assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_diagrams_are_cached_for_a_week_as_svg(server, site, caching):
    sources = [img["src"] for img in site.soup(ARTICLE).find_all("img") if "/images/" in img["src"]]
    assert sources and caching["images"] == "public, max-age=604800"
    for source in sources:
        reply = fetch(urljoin(f"{server}/{ARTICLE}", source))
        assert reply.status == 200, source
        assert reply.headers.get_all("Cache-Control") == [caching["images"]], source
        assert reply.headers.get_content_type() == "image/svg+xml", source


def test_head_announces_the_length_get_sends(server):
    for path in (f"/{ARTICLE}", "/"):
        got, head = fetch(server + path), fetch(server + path, method="HEAD")
        assert head.status == got.status == 200
        assert head.headers["Content-Length"] == got.headers["Content-Length"] == str(len(got.body)), path
        assert head.body == b""


def test_a_missing_page_is_not_found_and_still_carries_the_security_headers(server, site):
    reply = fetch(f"{server}/no-such-page.html")
    assert reply.status == 404
    for name, value in promised_headers(site)["/*"].items():
        assert reply.headers.get_all(name) == [value], name


def test_a_missing_page_shows_the_sites_own_404_page(server, site):
    reply = fetch(f"{server}/no-such-page.html")
    assert reply.status == 404
    assert reply.body == (site.root / "404.html").read_bytes()


@pytest.mark.parametrize(
    ("siteurl", "prefix"), [("https://example.org/healing", "/healing"), ("https://example.org", "")]
)
def test_a_missing_page_under_the_production_address_shows_its_404_page(production_build, siteurl, prefix):
    built = production_build(siteurl)
    with apache_serving(built.root, prefix=prefix) as base:
        for missing in ("/no-such-page.html", "/images/no-such-picture.svg", "/a/b/c"):
            reply = fetch(base + missing)
            assert reply.status == 404, missing
            assert reply.body == (built.root / "404.html").read_bytes(), missing
            assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_a_folder_without_an_index_is_not_listed(server, site):
    files = [path.name for path in (site.root / "images").iterdir()]
    assert files and "index.html" not in files
    reply = fetch(f"{server}/images/")
    assert reply.status in (403, 404)
    assert b"Index of" not in reply.body and not [name for name in files if name.encode() in reply.body]


@pytest.fixture(scope="module")
def site_without_listings(tmp_path_factory) -> Site:
    """The site built with APACHE_NO_LISTINGS (Options -Indexes in .htaccess), as an owner whose host allows it sets."""
    from conftest import built

    return built(ROOT, tmp_path_factory.mktemp("no-listings") / "output", "APACHE_NO_LISTINGS=true")


def test_a_host_that_lists_folders_lists_none_of_the_sites_when_asked(site_without_listings, tmp_path):
    """Options -Indexes in .htaccess, on an Apache that lists folders by default (the same folder without the
    .htaccess is listed, so this test can fail)."""
    site = site_without_listings
    bare = tmp_path / "without-htaccess"
    shutil.copytree(site.root, bare)
    (bare / ".htaccess").unlink()
    files = [path.name for path in (site.root / "images").iterdir()]
    with apache_serving(bare, lists_folders=True) as base:
        listed = fetch(f"{base}/images/")
        assert listed.status == 200 and all(name.encode() in listed.body for name in files)
    with apache_serving(site.root, lists_folders=True) as base:
        for folder in ("/images/", "/theme/", "/theme/css/"):
            reply = fetch(base + folder)
            assert reply.status == 403, folder
            assert b"Index of" not in reply.body and not [n for n in files if n.encode() in reply.body], folder


@pytest.fixture(scope="module")
def site_with_future_pictures(site, tmp_path_factory) -> Path:
    """The built site, with pictures of other kinds than SVG, as an article may add them."""
    folder = tmp_path_factory.mktemp("pictures") / "site"
    shutil.copytree(site.root, folder)
    for path in FUTURE_PICTURES:
        (folder / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (folder / path.lstrip("/")).write_bytes(b"\x89PNG zq test picture")
    return folder


@pytest.mark.parametrize("prefix", ["", "/healing"], ids=["at the root", "under a sub-path"])
def test_every_file_gets_the_caching_meant_for_its_kind_as_on_the_other_hosts(
    site_with_future_pictures, caching, prefix
):
    """The same paths as test_integrity's check of _headers on Netlify and Cloudflare Pages."""
    paths = {
        path: kind
        for path, kind in intended_caching(site_with_future_pictures, future_pictures=False).items()
        if path == "/" or (site_with_future_pictures / path.lstrip("/")).is_file()  # Apache has no pretty URLs
    }
    assert {"/", f"/{ARTICLE}", "/favicon.svg", *FUTURE_PICTURES} <= paths.keys()
    wrong = []
    with apache_serving(site_with_future_pictures, prefix=prefix) as base:
        for path, kind in paths.items():
            reply = fetch(base + path)
            if reply.status != 200 or reply.headers.get_all("Cache-Control") != [caching[kind]]:
                wrong.append(f"{path}: {reply.status} {reply.headers.get_all('Cache-Control')}, not {caching[kind]!r}")
    assert not wrong, "\n".join(wrong)


def test_the_site_served_under_a_sub_path(site, caching):
    with apache_serving(site.root, prefix="/healing") as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/healing")
        reply = fetch(f"{base}/{ARTICLE}")
        assert reply.status == 200 and reply.body == (site.root / ARTICLE).read_bytes()
        assert reply.headers.get_all("Cache-Control") == [caching["pages"]]
        stylesheet = fetch(urljoin(f"{base}/{ARTICLE}", site.soup(ARTICLE).find("link", rel="stylesheet")["href"]))
        assert stylesheet.status == 200 and stylesheet.headers.get_all("Cache-Control") == [caching["theme"]]
        assert fetch(base.removesuffix("/healing") + f"/{ARTICLE}").status == 404  # only the sub-path is the site


def test_without_apache_the_tests_fail_and_say_how_to_get_it(site, monkeypatch):
    monkeypatch.setattr(apache, "APACHE", Path("/nonexistent/apache2"))
    with pytest.raises(pytest.fail.Exception, match="make test installs Debian's apache2"), apache_serving(site.root):
        pass
