"""Hub introductions: ``content/hubs/*.md``, one per hub, read with the site's Markdown reader."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stages.checks.problems import Problem, author_path, metadata_line, report
from stages.markup.reader import PROBLEMS, SiteMarkdownReader

_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")


@dataclass
class Intro:
    """A hub's introduction: its HTML, its first sentence as plain text, pinned slugs, position."""

    path: str
    html: str = ""
    first_sentence: str = ""
    pinned: list[str] = field(default_factory=list)
    position: int | None = None


def first_sentence(html_text: str) -> str:
    text = " ".join(html.unescape(_TAG.sub(" ", html_text.partition("</p>")[0])).split())
    match = _SENTENCE.match(text)
    return match.group(1) if match else text


def read_intros(settings: dict[str, Any], categories: list[Any]) -> dict[str, Intro]:
    """The introductions by hub name; a file that names no hub, or pins an article it lacks, is a problem."""
    folder = Path(settings["PATH"], settings["HUB_PATH"])
    if not folder.is_dir():
        return {}
    reader = SiteMarkdownReader(settings)
    names = {category.name: category for category in categories}
    intros: dict[str, Intro] = {}
    for path in sorted(folder.glob("*.md")):
        source = str(path)
        name = author_path(source, settings)
        content, metadata = reader.read(source)
        for line, message in metadata.get(PROBLEMS, ()):
            report(Problem(name, line, message))
        title = str(metadata.get("title") or "").strip()
        if not title:
            message = "no Title: line: a hub's introduction starts with the hub's name, e.g. 'Title: Natural Pain Relief' (exactly as the articles' Category: lines)"
            report(Problem(name, 1, message))
            continue
        if title in intros:
            message = f"a second introduction for the hub '{title}' (the first is {intros[title].path})"
            report(Problem(name, metadata_line(source, "title"), message))
            continue
        if title not in names:
            known = ", ".join(sorted(names)) or "none yet"
            message = f"'Title: {title}' is the introduction of a hub that no article names in its Category: line (the hubs are: {known}); it is shown once an article is in it"
            report(Problem(name, metadata_line(source, "title"), message, "warning"))
        intro = Intro(name, content, first_sentence(content))
        pinned = str(metadata.get("pinned") or "")
        intro.pinned = [slug.strip() for slug in pinned.split(",") if slug.strip()]
        position = str(metadata.get("position") or "").strip()
        if position.isdigit():
            intro.position = int(position)
        elif position:
            message = f"'Position: {position}' is not a number: write e.g. 'Position: 1' for the first hub"
            report(Problem(name, metadata_line(source, "position"), message))
        intros[title] = intro
    return intros
