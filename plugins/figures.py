"""Turns a picture that stands alone in its paragraph and has a title into a <figure> with a caption.

    ![Text alternative: what the picture shows, in words]({static}images/knee-b54.svg "The caption")

becomes ``<figure class="diagram"><a href=…><img alt=… src=… width=… height=… loading="lazy"
decoding="async"></a><figcaption>The caption</figcaption></figure>``. The width and height come
from the SVG's own size, so the browser reserves the picture's space before it arrives; the link
opens the picture on its own, to see it larger on a small screen.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican import signals

_LINK_PREFIX = re.compile(r"^\{(?:static|attach|filename)\}")


def svg_size(path: Path) -> tuple[str, str] | None:
    """The width and height an SVG file declares (its width/height, else its viewBox)."""
    try:
        return _svg_size(path, path.stat().st_mtime_ns)
    except OSError:
        return None


@lru_cache(maxsize=256)  # a diagram used on many pages is read once (until it changes)
def _svg_size(path: Path, modified: int) -> tuple[str, str] | None:
    try:
        root = etree.parse(path).getroot()
    except (OSError, etree.ParseError):
        return None
    width, height = root.get("width"), root.get("height")
    if width and height and width.replace(".", "").isdigit() and height.replace(".", "").isdigit():
        return width, height
    box = (root.get("viewBox") or "").split()
    return (box[2], box[3]) if len(box) == 4 else None


class FigureTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, content_path: Path) -> None:
        super().__init__(md)
        self.content_path = content_path

    def run(self, root: etree.Element) -> None:
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

    def figure(self, image: etree.Element, tail: str | None) -> etree.Element:
        figure = etree.Element("figure", {"class": "diagram"})
        figure.tail = tail
        caption = image.attrib.pop("title")
        image.tail = None
        if image.get("src", "").endswith(".svg") and not image.get("width"):
            relative = _LINK_PREFIX.sub("", image.get("src", "")).lstrip("/")
            while relative.startswith("../"):
                relative = relative[3:]
            size = svg_size(self.content_path / relative)
            if size:
                image.set("width", size[0])
                image.set("height", size[1])
        image.set("loading", "lazy")
        image.set("decoding", "async")
        link = etree.SubElement(figure, "a", {"href": image.get("src", ""), "class": "diagram-link"})
        link.append(image)
        etree.SubElement(figure, "figcaption").text = caption
        return figure


class FigureExtension(Extension):
    def __init__(self, content_path: str, **kwargs: Any) -> None:
        self.content_path = Path(content_path)
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # after the inline patterns (20) made the <img> and attr_list (8) gave it its attributes
        md.treeprocessors.register(FigureTreeprocessor(md, self.content_path), "figures", 7)


def add_extension(pelican: Any) -> None:
    pelican.settings["MARKDOWN"].setdefault("extensions", []).append(FigureExtension(pelican.settings["PATH"]))


def register() -> None:
    signals.initialized.connect(add_extension)
