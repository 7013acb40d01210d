"""Markup stage: every Markdown file is read by the site's reader, with its points, steps and figures.

``markup.reader.SiteMarkdownReader`` reads .md files, and no other reader is used (the site's one list of
Markdown extensions is in ``markup.extensions``); it adds ``points``, ``doing_order`` and ``exercises`` to each
page's metadata and reports every mistake with its line. Templates get a point's field labels and the duration
filters (``markup.components``) and ``SNIPPETS`` (``markup.snippets``); each point's slot becomes the theme's
``components/point.html`` (``markup.components``).
"""

from __future__ import annotations

from typing import Any

from pelican.readers import BaseReader

from stages.markup.reader import SiteMarkdownReader


def use_site_reader(readers: Any) -> None:
    """The site's reader reads Markdown, and nothing else is read: Pelican's HTML and reStructuredText
    readers would publish raw HTML (a <script>, an <iframe>) that no check of the site has seen."""
    for extension in [ext for ext, reader in readers.reader_classes.items() if reader is not BaseReader]:
        del readers.reader_classes[extension]  # BaseReader stays: it reads static files ("static")
    for extension in SiteMarkdownReader.file_extensions:
        readers.reader_classes[extension] = SiteMarkdownReader
