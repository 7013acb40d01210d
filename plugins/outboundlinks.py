"""Gives every link in Markdown content that leaves the site rel="noopener"."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican import signals


class OutboundLinkTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            if link.get("href", "").lower().startswith(("http://", "https://", "//")):
                rel = set(link.get("rel", "").split()) | {"noopener"}
                link.set("rel", " ".join(sorted(rel)))


class OutboundLinkExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(OutboundLinkTreeprocessor(md), "outbound_links", 1)


def add_extension(pelican: Any) -> None:
    pelican.settings["MARKDOWN"].setdefault("extensions", []).append(OutboundLinkExtension())


def register() -> None:
    signals.initialized.connect(add_extension)
