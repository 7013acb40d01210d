"""Checks every internal link and #fragment of the written site and reports each broken one with its source file.

Runs after Pelican has written the site (the ``finalized`` signal), so it sees links however they
were written: ``{filename}`` links, plain Markdown paths (``[x](nope.html)``), template links.
Each problem is one line: the file the link was written in (``content/….md``, or the template
when the link is not in the content), the link as written, and why: "no such page" or
"no such anchor". All of them are logged as one error, which fails a ``--fatal warnings``
build and is only reported (the server keeps running) by ``pelican --listen --autoreload``.
"""

from __future__ import annotations

import logging
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from pelican import signals

logger = logging.getLogger(__name__)

# Attributes that make the browser follow or fetch a URL
LINK_ATTRIBUTES = {"a": "href", "link": "href", "area": "href", "img": "src", "script": "src",
                   "source": "src", "iframe": "src", "audio": "src", "video": "src", "use": "href"}
_BASE = "http://site.invalid/"
_OUTSIDE = "\0outside"  # a root-relative link that leaves the site's path

# Per output folder: page path -> (source file, the page's rendered content), filled while the
# site is written and used up when it is checked.
_written: dict[str, dict[str, tuple[str, str]]] = {}


class _PageParser(HTMLParser):
    """Collects a page's ids and the URLs it links to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute):
            self.links.append(values[attribute])
        if tag == "img" and values.get("srcset"):
            self.links.extend(part.split()[0] for part in values["srcset"].split(",") if part.strip())


def parse_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def internal_target(page: str, url: str, siteurl: str = "") -> tuple[str, str] | None:
    """The output path and fragment that `url` on `page` leads to, or None when it leaves the site.

    With an absolute SITEURL (production), links to that address are internal, and a root-relative
    link must stay under its path: "/other.html" escapes a site served at https://example.org/healing.
    """
    site_path = urlsplit(siteurl).path.rstrip("/")
    if siteurl and (url == siteurl or url.startswith(siteurl + "/")):
        url = _BASE + url[len(siteurl):].lstrip("/")
    elif url.startswith("/") and not url.startswith("//") and site_path:
        if not url.startswith(site_path + "/"):
            return _OUTSIDE, ""
        url = _BASE + url[len(site_path) + 1:]
    parts = urlsplit(urljoin(_BASE + page, url))
    if f"{parts.scheme}://{parts.netloc}/" != _BASE:
        return None
    path = unquote(parts.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path, unquote(parts.fragment)


def find_broken_links(output: Path, siteurl: str = "") -> list[tuple[str, str, str]]:
    """Every (page, link, reason) in the HTML pages under `output` that does not resolve."""
    pages = {path.relative_to(output).as_posix(): path for path in sorted(output.rglob("*.html"))}
    parsed: dict[str, _PageParser] = {}

    def parsed_page(page: str) -> _PageParser:
        if page not in parsed:
            parsed[page] = parse_page(pages[page])
        return parsed[page]

    problems = []
    for page in pages:
        for url in parsed_page(page).links:
            target = internal_target(page, url, siteurl)
            if target is None:
                continue
            path, fragment = target
            if path == _OUTSIDE:
                problems.append((page, url, "outside the site's address"))
                continue
            if not (output / path).is_file():
                if not (output / path / "index.html").is_file():
                    problems.append((page, url, "no such page" if path.endswith(".html") else "no such file"))
                continue
            if fragment and path.endswith(".html") and fragment not in parsed_page(path).ids:
                problems.append((page, url, "no such anchor"))
    return problems


def remember_written_page(path: str, context: dict[str, Any]) -> None:
    """Notes which content file a written page comes from, to name it in reports."""
    item = context.get("article") or context.get("page")
    output = os.path.normpath(context.get("OUTPUT_PATH", ""))
    if item is None or not output:
        return
    page = Path(os.path.relpath(path, output)).as_posix()
    root = Path(context["PATH"]).resolve().parent
    source = Path(os.path.relpath(item.source_path, root)).as_posix()
    _written.setdefault(output, {})[page] = (source, item.content)


def check_links(pelican: Any) -> None:
    """Reports every broken internal link of the site just written."""
    output = os.path.normpath(pelican.output_path)
    written = _written.pop(output, {})
    problems = find_broken_links(Path(output), pelican.settings.get("SITEURL", ""))
    if not problems:
        return
    theme = Path(pelican.settings["THEME"]).name
    lines: list[str] = []
    for page, url, reason in problems:
        # The file the link was written in: this page's own content, else the content it shows
        # from another file (a summary in the banner, say), else the theme's templates.
        own = [written[page]] if page in written else []
        sources = [source for source, html in own + list(written.values()) if f'"{url}"' in html]
        line = f"{sources[0] if sources else f'{theme}/templates (on {page})'}: link '{url}': {reason}"
        if line not in lines:
            lines.append(line)
    logger.error("%d broken link%s:\n%s", len(lines), "" if len(lines) == 1 else "s", "\n".join(lines))


def register() -> None:
    signals.content_written.connect(remember_written_page)
    signals.finalized.connect(check_links)
