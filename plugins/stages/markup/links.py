"""Every link in content that leaves the site gets rel="noopener"."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor


class OutboundLinkTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            if link.get("href", "").lower().startswith(("http://", "https://", "//")):
                rel = set(link.get("rel", "").split()) | {"noopener"}
                link.set("rel", " ".join(sorted(rel)))


def register(md: Markdown, priority: int) -> None:
    md.treeprocessors.register(OutboundLinkTreeprocessor(md), "site_outbound_links", priority)
