"""A picture's width and height, written into its <img>, come from the file's own header (in-process, table-driven)."""

from __future__ import annotations

import struct
import zlib

import pytest

from stages.markup.images import image_size


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + header
        + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    )


SVG = '<svg xmlns="http://www.w3.org/2000/svg" {}/>'


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        ("zq.png", png(640, 480), ("640", "480")),
        ("zq.gif", b"GIF89a" + struct.pack("<HH", 32, 16) + b"\0" * 8, ("32", "16")),
        ("zq.svg", SVG.format('width="120px" height="80"'), ("120", "80")),
        ("zq-fraction.svg", SVG.format('width="12.5" height="8"'), ("12.5", "8")),
        ("zq-box.svg", SVG.format('viewBox="0 0 300 150"'), ("300", "150")),
        ("zq-broken.png", b"not a picture", None),
        ("zq-broken.svg", "<svg", None),
    ],
)
def test_a_pictures_size_is_read_from_its_header(tmp_path, name, data, size):
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    assert image_size(path) == size


def test_a_missing_picture_has_no_size(tmp_path):
    assert image_size(tmp_path / "zq-missing.png") is None
