"""Pictures: every local picture gets its width and height (read from the file), and one that stands
alone in its paragraph with a title becomes a captioned figure.

    ![Text alternative: what the picture shows, in words]({static}images/knee-b54.svg "The caption")

becomes ``<figure class="diagram"><a href=…><img alt=… src=… width=… height=… loading="lazy"
decoding="async"></a><figcaption>The caption</figcaption></figure>``. With its size written, the
browser reserves the picture's space before it arrives (no layout shift); the link opens the
picture on its own, to see it larger on a small screen.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown.treeprocessors import Treeprocessor

from stages.markup.images import image_size
from stages.markup.source import link_files

_LINK_PREFIX = re.compile(r"^\{(?:static|attach|filename)\}")


def local_file(src: str, source_path: str, content_root: str) -> Path | None:
    """The file in content/ a picture's address names, or None for an outside address."""
    if not src or re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.IGNORECASE):
        return None
    written = _LINK_PREFIX.sub("", src).split("?")[0].split("#")[0]
    near, from_root = link_files(written, source_path or os.path.join(content_root, "-"), content_root)
    # {static} also finds a file relative to content/
    return (
        Path(near)
        if written.startswith("/") or not _LINK_PREFIX.match(src) or os.path.isfile(near)
        else Path(from_root)
    )


class FigureTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        state = self.md.site_source  # type: ignore[attr-defined]
        for image in root.iter("img"):
            if image.get("width") or image.get("height"):
                continue
            path = local_file(image.get("src", ""), state.path, state.content_root)
            size = image_size(path) if path else None
            if size:
                image.set("width", size[0])
                image.set("height", size[1])
        if not any(image.get("title") for image in root.iter("img")):
            return
        for parent in root.iter():
            for index, paragraph in enumerate(list(parent)):
                if paragraph.tag != "p" or len(paragraph) != 1 or (paragraph.text or "").strip():
                    continue
                image = paragraph[0]
                if image.tag != "img" or not image.get("title") or (image.tail or "").strip():
                    continue
                parent[index] = self.figure(image, paragraph.tail)

    @staticmethod
    def figure(image: etree.Element, tail: str | None) -> etree.Element:
        figure = etree.Element("figure", {"class": "diagram"})
        figure.tail = tail
        caption = image.attrib.pop("title")
        image.tail = None
        image.set("loading", "lazy")
        image.set("decoding", "async")
        link = etree.SubElement(figure, "a", {"href": image.get("src", ""), "class": "diagram-link"})
        link.append(image)
        etree.SubElement(figure, "figcaption").text = caption
        return figure
