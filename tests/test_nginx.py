"""The production site served by a real nginx (Debian's nginx-light) with the snippet the build writes beside
output/: every file gets what _headers promises Netlify and Cloudflare Pages, a missing page gets the site's
404 page with status 404, and the header files are never served."""

from __future__ import annotations

import http.client
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import nginx
import pytest
from nginx import nginx_serving
from test_apache import fetch

from conftest import ARTICLE, FUTURE_PICTURES, effective_headers, header_rules, intended_caching

ADDRESSES = {"sub-path": "https://example.org/healing", "domain root": "https://example.org"}


@pytest.fixture(scope="module", params=list(ADDRESSES), ids=list(ADDRESSES))
def served(request, production_build, tmp_path_factory):
    """(the built site with pictures of other kinds an article may add, its URL path, nginx's base URL)."""
    built = production_build(ADDRESSES[request.param])
    prefix = urlsplit(ADDRESSES[request.param]).path
    folder = tmp_path_factory.mktemp("nginx") / "output"
    shutil.copytree(built.root, folder)
    for path in FUTURE_PICTURES:
        (folder / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (folder / path.lstrip("/")).write_bytes(b"\x89PNG zq test picture")
    with nginx_serving(folder, built.root.parent / "nginx.conf", prefix=prefix) as base:
        yield folder, prefix, base


def test_the_snippet_is_written_beside_output_and_never_published(production_build, site):
    built = production_build(ADDRESSES["sub-path"])
    snippet = (built.root.parent / "nginx.conf").read_text()
    assert "location ^~ /healing/ {" in snippet
    assert not [p for p in built.root.rglob("*") if p.suffix == ".conf" or "nginx" in p.name]
    assert not (site.root.parent / "nginx.conf").exists()  # a development build has no address to serve


def test_every_file_gets_exactly_the_headers_promised_to_the_other_hosts(served):
    """The same headers, value for value, as Netlify reads in _headers for the same path (test_integrity checks
    that _headers itself gives each kind of file its caching, and Cloudflare Pages the same)."""
    folder, prefix, base = served
    rules = header_rules(folder / "_headers")
    # the files a reader may get (nginx has no pretty URLs; dot-files are the host's, see below)
    paths = [p for p in intended_caching(folder) if p == "/" or ((folder / p.lstrip("/")).is_file() and "/." not in p)]
    assert {"/", f"/{ARTICLE}", "/search.html", "/sw.js", "/favicon.svg", *FUTURE_PICTURES} <= set(paths)
    wrong = []
    for path in paths:
        reply = fetch(base + path)
        promised = effective_headers(rules, prefix + path, "netlify")
        assert "cache-control" in promised and "content-security-policy" in promised, path
        if reply.status != 200:
            wrong.append(f"{path}: HTTP {reply.status}")
        for name, value in promised.items():
            if reply.headers.get_all(name) != [value]:
                wrong.append(f"{path}: {name} {reply.headers.get_all(name)}, not [{value!r}]")
    assert not wrong, "\n".join(wrong)


def test_a_missing_page_or_folder_gets_the_sites_404_page_with_its_headers(served):
    folder, _, base = served
    security = dict(header_rules(folder / "_headers")[0][1])
    for missing in ("/no-such-page.html", "/images/no-such-picture.svg", "/a/b/c", "/images/", "/theme/"):
        reply = fetch(base + missing)
        assert reply.status == 404, missing
        assert reply.body == (folder / "404.html").read_bytes(), missing
        for name, value in security.items():
            assert reply.headers.get_all(name) == [value], (missing, name)


def test_the_header_files_and_dot_files_are_never_served(served):
    folder, _, base = served
    for name in ("_headers", ".htaccess", ".nojekyll"):
        assert (folder / name).is_file(), name
        reply = fetch(f"{base}/{name}")
        assert reply.status == 404 and reply.body == (folder / "404.html").read_bytes(), name


def test_the_home_page_is_at_the_sites_address_with_or_without_its_slash(served):
    folder, prefix, base = served
    reply = fetch(base + "/")
    assert reply.status == 200 and reply.body == (folder / "index.html").read_bytes()
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", prefix or "/")
        response = connection.getresponse()
        if prefix:  # "/healing" leads to "/healing/", wherever nginx is behind a proxy (a relative Location)
            assert (response.status, response.getheader("Location")) == (301, prefix + "/")
        else:
            assert response.status == 200 and response.read() == reply.body
    finally:
        connection.close()


def test_without_nginx_the_tests_fail_and_say_how_to_get_it(production_build, monkeypatch, tmp_path):
    monkeypatch.setattr(nginx, "NGINX", Path("/nonexistent/nginx"))
    with (
        pytest.raises(pytest.fail.Exception, match="make test installs Debian's nginx-light"),
        nginx_serving(tmp_path, tmp_path / "nginx.conf"),
    ):
        pass
