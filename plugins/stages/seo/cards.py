"""Link-preview cards: a PNG (CARD_SIZE) for every article and one for the site (for every other page), drawn with
Pillow when the build has an absolute SITEURL (production): the title, the site's name and the theme's colours
(its first --bg, --text and --accent in css/site.css). Previewers show PNG, not the site's SVG pictures.

``og_card(article)`` (a template global) gives the card of an article, or the site's card for any other page
(``url``, ``alt``, ``width``, ``height``), or None in a development build (og:image needs an absolute URL).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from PIL import Image, ImageColor, ImageDraw, ImageFont

CARD_SIZE = (1200, 630)
FOLDER = "cards"
SITE_CARD = "index"  # the site's card (the site's name), shown for every page that is not an article
FONT = "DejaVuSans-Bold.ttf"  # Debian's fonts-dejavu-core; without it, Pillow's own font
COLOURS = {"bg": "#fffdf8", "text": "#1c1b19", "accent": "#2f5d3a"}  # when the stylesheet has none
MARGIN, MAX_LINES = 80, 4


def card_name(article: Any) -> str:
    """The card's file name: the article's page's, e.g. acupressure-for-back-pain.html -> …png."""
    return str(article.save_as).removesuffix(".html") if article else SITE_CARD


@pass_context
def og_card(context: Context, article: Any = None) -> dict[str, Any] | None:
    siteurl, site = context.get("SITEURL", ""), context.get("SITENAME", "")
    if not str(siteurl).startswith(("http://", "https://")):
        return None
    alt = f"{Markup(article.title).striptags()} — {site}" if article else site
    url = f"{siteurl}/{FOLDER}/{card_name(article)}.png"
    return {"url": url, "alt": alt, "width": CARD_SIZE[0], "height": CARD_SIZE[1]}


def theme_colours(settings: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    css = (Path(settings["THEME"]) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    found = {}
    for name, fallback in COLOURS.items():
        match = re.search(rf"--{name}:\s*([^;]+);", css)
        try:
            found[name] = ImageColor.getrgb(match[1].strip() if match else fallback)[:3]
        except ValueError:  # a colour Pillow cannot read (e.g. oklch())
            found[name] = ImageColor.getrgb(fallback)[:3]
    return found


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def wrapped(text: str, face: Any, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and face.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def draw_card(path: Path, title: str, site: str, colours: dict[str, tuple[int, int, int]]) -> None:
    """The title as large as it fits in MAX_LINES (cut with "…" past them), under the site's name."""
    width, height = CARD_SIZE
    card = Image.new("RGB", CARD_SIZE, colours["bg"])
    pen = ImageDraw.Draw(card)
    pen.rectangle((0, 0, 24, height), fill=colours["accent"])  # a band of the site's accent colour
    if title != site:
        pen.text((MARGIN, MARGIN), site, font=font(40), fill=colours["accent"])
    for size in (76, 64, 54, 46):
        face = font(size)
        lines = wrapped(title, face, width - 2 * MARGIN)
        if len(lines) <= MAX_LINES and all(face.getlength(line) <= width - 2 * MARGIN for line in lines):
            break
    if len(lines) > MAX_LINES:
        lines[MAX_LINES - 1 :] = [lines[MAX_LINES - 1] + " …"]
    pen.multiline_text((MARGIN, 180), "\n".join(lines), font=face, fill=colours["text"], spacing=size // 4)
    path.parent.mkdir(parents=True, exist_ok=True)
    card.save(path, "PNG", compress_level=1)  # 21 ms a card here, not 28 at the default level (6)


def draw_cards(generators: list[Any]) -> None:
    settings = generators[0].settings
    siteurl, site = settings.get("SITEURL", ""), settings.get("SITENAME", "")
    if not siteurl.startswith(("http://", "https://")):
        return
    colours, folder = theme_colours(settings), Path(settings["OUTPUT_PATH"]) / FOLDER
    for generator in generators:
        for article in getattr(generator, "articles", []):
            draw_card(folder / f"{card_name(article)}.png", Markup(article.title).striptags(), site, colours)
    draw_card(folder / f"{SITE_CARD}.png", site, site, colours)
