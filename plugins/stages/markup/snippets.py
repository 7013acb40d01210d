"""Snippets: short Markdown texts that the theme shows on many pages, written once in ``content/snippets/``.

``content/snippets/self-care-safety.md`` is the safety note of every self-care article (one with
points or steps)::

    Title: Before you press

    - Stop if pressing hurts or the pain gets worse.

A snippet is read by the site's own Markdown reader, so its mistakes are named with file and line
like any article's (the checks stage reports them, ``checks.content.check_snippets``). Every
template gets ``SNIPPETS``: the snippets by name (the file's name without ``.md``), each with its
``title``, its other metadata (``metadata``) and its ``html``. The folders are the setting
``SNIPPET_PATHS`` (in content/; default ``["snippets"]``), which ``stages.apply_defaults`` adds to
``ARTICLE_EXCLUDES`` and ``PAGE_EXCLUDES``, so that a snippet is never a page of its own. Links in a snippet are
full addresses (``{filename}`` links are for articles and pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stages.markup.reader import PROBLEMS, SiteMarkdownReader

DEFAULT_PATHS = ["snippets"]
GLOBAL = "SNIPPETS"


@dataclass(frozen=True)
class Snippet:
    name: str
    path: str  # the source file
    html: str
    metadata: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))


def read_snippets(settings: dict[str, Any]) -> dict[str, Snippet]:
    """Every snippet (each snippet folder's Markdown files, in name order), read and checked by the site's reader."""
    reader = SiteMarkdownReader(settings)
    snippets = {}
    for folder in settings.get("SNIPPET_PATHS", DEFAULT_PATHS):
        for path in sorted((Path(settings["PATH"]) / folder).glob("*.md")):
            html, metadata = reader.read(str(path))
            problems = list(metadata.pop(PROBLEMS, []))
            if not metadata.get("title"):
                problems.append(
                    (1, "a snippet needs a 'Title:' line (its heading on the page, e.g. 'Title: Before you press')")
                )
            snippets[path.stem] = Snippet(path.stem, str(path), html, metadata, problems)
    return snippets


def add_snippets(generator: Any) -> None:
    """Every template of the generator gets ``SNIPPETS`` (read afresh for each build)."""
    generator.env.globals[GLOBAL] = read_snippets(generator.settings)


def snippets_of(generator: Any) -> dict[str, Snippet]:
    """The snippets a generator's templates were given."""
    return generator.env.globals.get(GLOBAL, {})  # type: ignore[no-any-return]
