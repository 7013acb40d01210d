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
import re
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from pelican import signals

logger = logging.getLogger(__name__)

_BASE = "http://site.invalid/"
_OUTSIDE = "\0outside"  # a root-relative link that leaves the site's path

# Per output folder: page path -> (source file, the page's rendered content), filled while the
# site is written and used up when it is checked.
_written: dict[str, dict[str, tuple[str, str]]] = {}


_ATTRIBUTE = r"""\s{name}=(?:"([^"]*)"|'([^']*)')"""


def attribute_values(html: str, name: str) -> list[str]:
    """Every value of the attribute `name` in the page. The build writes ` name="value"`, which
    str.split finds many times faster than a regular expression; other spellings (single quotes,
    a line break before the name) make it fall back to one."""
    if f"{name}='" not in html and f"\n{name}=" not in html and f"\t{name}=" not in html:
        return [unescape(part[: part.find('"')]) for part in html.split(f' {name}="')[1:]]
    return [unescape(double or single) for double, single in re.findall(_ATTRIBUTE.format(name=name), html)]


class Page:
    """A page's ids and the URLs it links to (every href, src and srcset)."""

    def __init__(self, html: str) -> None:
        self.ids = set(attribute_values(html, "id"))
        self.links = [url for url in attribute_values(html, "href") + attribute_values(html, "src") if url]
        for srcset in attribute_values(html, "srcset"):
            self.links.extend(part.split()[0] for part in srcset.split(",") if part.strip())


def parse_page(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=65536)  # most links (navigation, footer) repeat on every page of a folder
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
    files = {Path(folder, name).relative_to(output).as_posix()
             for folder, _, names in os.walk(output) for name in names}
    pages = sorted(name for name in files if name.endswith(".html"))
    parsed: dict[str, Page] = {}

    def parsed_page(page: str) -> Page:
        if page not in parsed:
            parsed[page] = parse_page(output / page)
        return parsed[page]

    problems = []
    for page in pages:
        folder = page.rpartition("/")[0] + "/x" if "/" in page else "x"  # links resolve the same within a folder
        for url in parsed_page(page).links:
            target = internal_target(folder, url, siteurl) if not url.startswith("#") else (page, url[1:])
            if target is None:
                continue
            path, fragment = target
            if path == _OUTSIDE:
                problems.append((page, url, "outside the site's address"))
            elif path not in files:
                if path.removesuffix("index.html") + "index.html" not in files and path + "/index.html" not in files:
                    problems.append((page, url, "no such page" if path.endswith(".html") else "no such file"))
            elif fragment and path.endswith(".html") and fragment not in parsed_page(path).ids:
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
