"""A generated site for tests at scale: many zq-test articles in many hubs, with points, steps, tags, pictures,
drafts, hub introductions and pages, written into a copy of the project."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from conftest import TEST_PREFIX, add_file


def png(width: int, height: int) -> bytes:
    """A valid one-colour PNG of the given size (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xcc\xdd\xee" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class Generated:
    project: Path | None = None  # the copy of the project it was written into
    hubs: list[str] = field(default_factory=list)
    articles: dict[str, str] = field(default_factory=dict)  # slug -> hub
    titles: dict[str, str] = field(default_factory=dict)  # slug -> title
    tags: dict[str, list[str]] = field(default_factory=dict)  # slug -> tags
    dates: dict[str, date] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)  # slug -> hub
    pages: list[str] = field(default_factory=list)  # slugs
    menu_pages: list[str] = field(default_factory=list)
    pinned: dict[str, list[str]] = field(default_factory=dict)  # hub -> slugs
    unique_words: dict[str, str] = field(default_factory=dict)  # slug -> a word only it has

    def in_hub(self, hub: str) -> list[str]:
        return [slug for slug, name in self.articles.items() if name == hub]


ARTICLE = """Title: {title}
Slug: {slug}
Date: {date}
Category: {hub}
Tags: {tags}
{status}
An introduction to {slug} with its own word {word}. Pressing gently can help.

1.  The first point, on the hand.

    ![A hand seen from above with a point marked between the thumb and the first finger, for {slug}.]({{static}}images/{picture} "The point on the hand")

    Point: {label}A
    Name: Joining Valley
    Where: on the back of the hand, between the thumb and the first finger
    Hold: 30 seconds

2.  The second point, on the foot.

    Point: {label}B
    Where: on the sole of the foot

## A Short Exercise {{: .steps }}

1. Sit comfortably and breathe.
2. Notice the place that hurts.
3. Let the breath move through it.

[Back to the hub]({{category}}{hub}).
"""


def hub_of(n: int, hubs: list[str], big_hub: int, tiny_hub: int) -> str:
    """The first `big_hub` articles go to the first hub, the next `tiny_hub` to the last one (a small hub), the rest
    round the other hubs."""
    if n < big_hub:
        return hubs[0]
    if n < big_hub + tiny_hub:
        return hubs[-1]
    others = hubs[:-1] if tiny_hub else hubs
    return others[(n - big_hub - tiny_hub) % len(others)]


def generate(
    project: Path,
    articles: int = 300,
    hubs: int = 12,
    big_hub: int = 0,
    tiny_hub: int = 0,
    drafts: int = 2,
    pages: int = 10,
    menu_pages: int = 2,
) -> Generated:
    """Writes `articles` articles spread over `hubs` hubs (the first hub gets `big_hub` of them when given, the last
    only `tiny_hub` when given),
    `drafts` drafts, `pages` pages (`menu_pages` of them in the menu), an introduction for every other hub
    (the first pins two articles), and one PNG picture they all use."""
    made = Generated()
    made.hubs = [f"Zq Test Hub {n:02d}" for n in range(1, hubs + 1)]
    add_file(project, f"content/images/{TEST_PREFIX}hand.png", "")
    (project / "content" / "images" / f"{TEST_PREFIX}hand.png").write_bytes(png(40, 30))
    start = date(2025, 1, 1)
    for n in range(articles):
        hub = hub_of(n, made.hubs, big_hub, tiny_hub)
        slug = f"{TEST_PREFIX}article-{n:04d}"
        tags = [f"zq-tag-{n % 7}", f"zq-tag-{n % 11 + 7}"]
        word = f"zqword{n:04d}x"
        made.articles[slug], made.tags[slug], made.unique_words[slug] = hub, tags, word
        made.dates[slug] = start + timedelta(days=n)
        made.titles[slug] = f"Zq Test Article {n:04d}"
        add_file(
            project,
            f"content/{slug}.md",
            ARTICLE.format(
                title=made.titles[slug],
                slug=slug,
                date=made.dates[slug].isoformat(),
                hub=hub,
                tags=", ".join(tags),
                status="",
                word=word,
                label=f"Z{n}",
                picture=f"{TEST_PREFIX}hand.png",
            ),
        )
    for n in range(drafts):
        slug, hub = f"{TEST_PREFIX}draft-{n}", made.hubs[n % hubs]
        made.drafts[slug] = hub
        add_file(
            project,
            f"content/{slug}.md",
            ARTICLE.format(
                title=f"Zq Test Draft {n}",
                slug=slug,
                date="2026-06-01",
                hub=hub,
                tags="zq-tag-0",
                status="Status: draft",
                word=f"zqdraftword{n}x",
                label=f"D{n}",
                picture=f"{TEST_PREFIX}hand.png",
            ),
        )
    for n in range(pages):
        slug = f"{TEST_PREFIX}page-{n:02d}"
        made.pages.append(slug)
        menu = "Menu: yes\n" if n < menu_pages else ""
        if menu:
            made.menu_pages.append(slug)
        add_file(project, f"content/pages/{slug}.md", f"Title: Zq Test Page {n:02d}\nSlug: {slug}\n{menu}\nA page.\n")
    for index, hub in enumerate(made.hubs):
        if index % 2:
            continue
        pinned = ""
        if index == 0:
            oldest = sorted(made.in_hub(hub), key=lambda slug: made.dates[slug])[:2]
            made.pinned[hub] = oldest
            pinned = f"Pinned: {', '.join(oldest)}\n"
        add_file(
            project,
            f"content/hubs/{TEST_PREFIX}hub-{index:02d}.md",
            f"Title: {hub}\n{pinned}\nThe introduction of {hub}, first sentence. A second sentence.\n",
        )
    return made
