"""The width and height of a picture file, from its header (``imagesize``: PNG, JPEG, GIF, WebP, AVIF, SVG…).

An SVG that gives no width and height has its size in its viewBox, which imagesize does not read.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path

import imagesize


def image_size(path: Path) -> tuple[str, str] | None:
    """(width, height) as the HTML writes them, or None when the file or its size cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _image_size(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)  # a picture used on many pages is read once (until it changes)
def _image_size(path: Path, modified: int, size: int) -> tuple[str, str] | None:
    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return None
    if width <= 0 and path.suffix.lower() == ".svg":
        return view_box_size(path)
    return (_number(width), _number(height)) if width > 0 and height > 0 else None


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def view_box_size(path: Path) -> tuple[str, str] | None:
    try:
        box = (etree.parse(path).getroot().get("viewBox") or "").replace(",", " ").split()
    except (OSError, etree.ParseError):
        return None
    return (box[2], box[3]) if len(box) == 4 else None
