"""The Atom feeds Pelican wrote (publishconf.py), made right for feed readers once the pages are written.

- Each feed's ``<id>`` is its own address (Pelican gives every feed the site's).
- An entry's content gets what the theme shows at the article's INSTRUCTIONS_MARK (the safety note, as the
  article's page has it: the page's HTML between the content before the mark and the content after it).
- No HTML comment is left, and every link is absolute: readers resolve a relative link, even "#b47",
  against the feed's own address.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from stages.markup.outline import INSTRUCTIONS_MARK

ATOM = "http://www.w3.org/2005/Atom"
_LINKS = {"href", "src"}


class _Absolute(HTMLParser):
    """The HTML again, with every link absolute (against `base`) and without comments."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base, self.out = base, [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]], end: str = ">") -> None:
        self.out.append(f"<{tag}")
        for name, value in attrs:
            value = urljoin(self.base, value.strip()) if name in _LINKS and value else value
            self.out.append(f" {name}" if value is None else f' {name}="{html.escape(value)}"')
        self.out.append(end)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs, " />")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))


def absolute(fragment: str, base: str) -> str:
    parser = _Absolute(base)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


def shown_at_mark(content: str, page: str) -> str:
    """What the page shows at the content's INSTRUCTIONS_MARK ("" without one)."""
    before, mark, after = content.partition(INSTRUCTIONS_MARK)
    start = page.find(before) if mark and before.strip() and after.strip() else -1
    end = page.find(after, start + len(before)) if start >= 0 else -1
    return page[start + len(before) : end] if end >= 0 else ""


def fix_feeds(pelican: Any) -> None:
    settings = pelican.settings
    output, siteurl = Path(settings["OUTPUT_PATH"]), settings.get("SITEURL", "")
    ET.register_namespace("", ATOM)
    for path in sorted(output.rglob("*.xml")):
        tree = ET.parse(path)
        feed = tree.getroot()
        if feed.tag != f"{{{ATOM}}}feed":
            continue  # sitemap.xml
        own = feed.find(f"{{{ATOM}}}link[@rel='self']")
        feed_id = feed.find(f"{{{ATOM}}}id")
        if own is not None and feed_id is not None:
            feed_id.text = own.get("href")
        for entry in feed.iter(f"{{{ATOM}}}entry"):
            link = entry.find(f"{{{ATOM}}}link[@rel='alternate']")
            base = link.get("href", "") if link is not None else ""
            page = output / base.removeprefix(siteurl + "/").split("#")[0]
            for text in (entry.find(f"{{{ATOM}}}content"), entry.find(f"{{{ATOM}}}summary")):
                if text is None or not text.text:
                    continue
                before, mark, after = text.text.partition(INSTRUCTIONS_MARK)
                if mark and page.is_file():
                    before += shown_at_mark(text.text, page.read_text(encoding="utf-8"))
                text.text = absolute(before + after, base)
        tree.write(path, encoding="utf-8", xml_declaration=True)
