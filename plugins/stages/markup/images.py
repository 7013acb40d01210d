"""The width and height of a picture file, read from its own header: SVG, PNG, JPEG, GIF and WebP.

No imaging library is needed: each format states its size in its first bytes.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")


def image_size(path: Path) -> tuple[str, str] | None:
    """(width, height) as written in the file, or None when the file or its size cannot be read."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _image_size(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)  # a picture used on many pages is read once (until it changes)
def _image_size(path: Path, modified: int, size: int) -> tuple[str, str] | None:
    suffix = path.suffix.lower()
    try:
        if suffix == ".svg":
            return svg_size(path)
        with path.open("rb") as file:
            head = file.read(64 * 1024)
    except OSError:
        return None
    numbers = raster_size(head)
    return (str(numbers[0]), str(numbers[1])) if numbers else None


def svg_size(path: Path) -> tuple[str, str] | None:
    """An SVG's width and height attributes (plain numbers or px), else its viewBox."""
    try:
        root = etree.parse(path).getroot()
    except (OSError, etree.ParseError):
        return None
    width, height = _NUMBER.match(root.get("width", "")), _NUMBER.match(root.get("height", ""))
    if width and height:
        return width[1], height[1]
    box = (root.get("viewBox") or "").replace(",", " ").split()
    return (box[2], box[3]) if len(box) == 4 else None


def raster_size(head: bytes) -> tuple[int, int] | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    if head[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", head[6:10])
        return width, height
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _webp_size(head)
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(head)
    return None


def _webp_size(head: bytes) -> tuple[int, int] | None:
    kind = head[12:16]
    if kind == b"VP8 " and len(head) >= 30:
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8X" and len(head) >= 30:
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    index = 2
    while index + 9 < len(head):
        if head[index] != 0xFF:
            index += 1
            continue
        marker = head[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            index += 1 if marker == 0xFF else 2
            continue
        length = int.from_bytes(head[index + 2 : index + 4], "big")
        # start-of-frame markers (not DHT 0xC4, JPG 0xC8, DAC 0xCC) carry the size
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return None
