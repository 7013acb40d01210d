"""sitemap.xml (every published page once, by its absolute URL) and robots.txt naming it.

Only for a build with an absolute SITEURL (publishconf.py): a sitemap of relative URLs is invalid.
A page's <lastmod> is its article's modified or publication date, a hub's the newest of its
articles'; pages without a date have none. No build time is written, so two builds of the same
source are identical.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

PAGES = "SEO_SITEMAP_PAGES"  # setting of one build: page URL -> its newest date (or None)
NOT_LISTED = {"404.html", "offline.html"}  # served in place of another address (offline.html: stages.offline)


def newest(items: list[Any]) -> datetime | None:
    found = [getattr(item, "modified", None) or getattr(item, "date", None) for item in items]
    dates: list[datetime] = [date for date in found if date]
    return max(dates) if dates else None


def start(generators: list[Any]) -> None:
    """A new, empty list of pages for the build that is about to write."""
    pages: dict[str, datetime | None] = {}
    generators[0].settings[PAGES] = generators[0].context[PAGES] = pages  # read by finalized / by each write


def remember_page(path: str, context: dict[str, Any]) -> None:
    output = os.path.normpath(context["OUTPUT_PATH"])
    page = Path(os.path.relpath(path, output)).as_posix()
    item = context.get("article") or context.get("page")
    pages = context.get(PAGES)
    if pages is None or page in NOT_LISTED or getattr(item, "status", "published") != "published":
        return
    if item is not None:
        url, date = item.url, newest([item])
    else:  # a hub (category page) and its articles
        url, date = page, newest(list(context.get("articles") or []))
    pages[url.removesuffix("index.html")] = date


def write_sitemap_and_robots(pelican: Any) -> None:
    pages = pelican.settings.pop(PAGES, {})
    siteurl = pelican.settings.get("SITEURL", "")
    if not siteurl.startswith(("http://", "https://")):
        return
    entries = [
        f"  <url><loc>{escape(f'{siteurl}/{url}')}</loc>{f'<lastmod>{date.date().isoformat()}</lastmod>' if date else ''}</url>\n"
        for url, date in sorted(pages.items())
    ]
    output = Path(pelican.output_path)
    (output / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "".join(entries) + "</urlset>\n",
        encoding="utf-8",
    )
    (output / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n", encoding="utf-8")
