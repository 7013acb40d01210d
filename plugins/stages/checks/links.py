"""Checks every internal link and #fragment of the written site, and names the file (and line) it was written in.

Runs after Pelican has written the site (``finalized``), so it sees links however they were
written: ``{filename}`` links, plain Markdown paths (``[x](nope.html)``), links made by templates.
Each problem is one line: the file the link was written in with its line (``content/….md:12``,
or the theme's templates when the link is not in the content), the link as written, and why:
"no such page", "no such file", "no such anchor", or "outside the site's address".
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from pelican.generators import ArticlesGenerator, PagesGenerator

from stages.checks.problems import Problem, author_path, line_of, report
from stages.markup.snippets import snippets_of
from stages.pelican_compat import all_items, content_html

_BASE = "http://site.invalid/"
_OUTSIDE = "\0outside"  # a root-relative link that leaves the site's path
_ATTRIBUTE = r"""\s{name}=(?:"([^"]*)"|'([^']*)')"""
SOURCES = "CHECKS_PAGE_SOURCES"  # setting of one build: written page -> (source file, its HTML)


def attribute_values(html: str, name: str) -> list[str]:
    """Every value of the attribute `name` in the page. The build writes ` name="value"`, which
    str.split finds many times faster than a regular expression; other spellings (single quotes,
    a line break before the name) make it fall back to one."""
    if f"{name}='" not in html and f"\n{name}=" not in html and f"\t{name}=" not in html:
        return [unescape(part[: part.find('"')]) for part in html.split(f' {name}="')[1:]]
    return [unescape(double or single) for double, single in re.findall(_ATTRIBUTE.format(name=name), html)]


class ParsedPage:
    """A page's ids and the URLs it links to (every href, src and srcset)."""

    def __init__(self, html: str) -> None:
        self.ids = set(attribute_values(html, "id"))
        self.links = [url for url in attribute_values(html, "href") + attribute_values(html, "src") if url]
        for srcset in attribute_values(html, "srcset"):
            self.links.extend(part.split()[0] for part in srcset.split(",") if part.strip())


@lru_cache(maxsize=65536)  # most links (navigation, footer) repeat on every page of a folder
def internal_target(page: str, url: str, siteurl: str = "") -> tuple[str, str] | None:
    """The output path and fragment that `url` on `page` leads to, or None when it leaves the site.

    With an absolute SITEURL (production), links to that address are internal, and a root-relative
    link must stay under its path: "/other.html" escapes a site served at https://example.org/healing.
    """
    site_path = urlsplit(siteurl).path.rstrip("/")
    if siteurl and (url == siteurl or url.startswith(siteurl + "/")):
        url = _BASE + url[len(siteurl) :].lstrip("/")
    elif url.startswith("/") and not url.startswith("//") and site_path:
        if not url.startswith(site_path + "/"):
            return _OUTSIDE, ""
        url = _BASE + url[len(site_path) + 1 :]
    parts = urlsplit(urljoin(_BASE + page, url))
    if f"{parts.scheme}://{parts.netloc}/" != _BASE:
        return None
    path = unquote(parts.path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path, unquote(parts.fragment)


def find_broken_links(
    output: Path, siteurl: str = "", only: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """Every (page, link, reason) in the HTML pages under `output` that does not resolve; with `only` (page → its
    HTML), in those pages only, as if they replaced theirs under `output` (the preview's page of a save)."""
    files = {
        Path(folder, name).relative_to(output).as_posix() for folder, _, names in os.walk(output) for name in names
    } | set(only or ())
    checked = sorted(only or (name for name in files if name.endswith(".html")))
    parsed = {page: ParsedPage(html) for page, html in (only or {}).items()}

    def parsed_page(page: str) -> ParsedPage:
        if page not in parsed:
            parsed[page] = ParsedPage((output / page).read_text(encoding="utf-8"))
        return parsed[page]

    problems = []
    for page in checked:
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


def remember_sources(generators: list[Any]) -> None:
    """Notes which content file each page comes from, to name it when a link on the page is broken."""
    sources: dict[str, tuple[str, str, Any]] = {}
    for generator in generators:
        if not isinstance(generator, (ArticlesGenerator, PagesGenerator)):
            continue
        items = all_items(generator)
        for item in items:
            if item.save_as:
                sources[item.save_as] = (item.source_path, content_html(item), item)
        # the snippets the theme shows on many pages (the safety note): a link in one is the snippet's
        if isinstance(generator, ArticlesGenerator):
            for name, snippet in snippets_of(generator).items():
                sources[f"snippet:{name}"] = (snippet.path, snippet.html, None)
        generator.settings[SOURCES] = sources


def check_links(pelican: Any) -> None:
    """Reports every broken internal link of the site just written."""
    settings = pelican.settings
    problems = find_broken_links(Path(pelican.output_path), settings.get("SITEURL", ""))
    sources: dict[str, tuple[str, str, Any]] = settings.pop(SOURCES, {})
    theme = Path(settings["THEME"]).name
    seen: set[Problem] = set()
    for page, url, reason in problems:
        # The file the link was written in: this page's own content, else the content it shows
        # from another file (a summary in the banner, say), else the theme's templates.
        written = list(dict.fromkeys([url, url.removeprefix("./")]))  # as the page's own HTML may hold it
        candidates = ([sources[page]] if page in sources else []) + list(sources.values())
        origin = next((path for path, html, item in candidates if written_in(written, html, item)), None)
        if origin:
            # the line: the link as written, else its #anchor, else a {filename} or {category} link Pelican rewrote
            fragment = url.partition("#")[2]
            as_source = [form for w in written for form in (f"({w})", f"({w} ", f"<{w}>", f'"{w}"', f"'{w}'")]
            needles = [*as_source, *([f"#{fragment}"] if fragment else []), "{category}", "{filename}"]
            found = Problem(author_path(origin, settings), line_of(origin, *needles), f"link '{url}': {reason}")
        else:
            found = Problem(f"{theme}/templates", 0, f"link '{url}' (on {page}): {reason}")
        if found not in seen:
            seen.add(found)
            report(found)


def written_in(written: list[str], html: str, item: Any) -> bool:
    """Whether a page's content (as read, or as Pelican rewrote its {filename} links) holds one of `written`."""
    if any(f'"{w}"' in html for w in written):
        return True
    return item is not None and "{" in html and any(f'"{w}"' in item.content for w in written)
