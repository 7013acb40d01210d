"""Markup stage: every Markdown file is read by the site's reader, with its points, steps and figures.

Signals:
- ``readers_init``: ``markup.reader.SiteMarkdownReader`` reads .md files, and no other reader is
  used (the site's one list of Markdown extensions is in ``markup.extensions``); it adds ``points``,
  ``doing_order`` and ``exercises`` to each page's metadata and reports every mistake with its line;
- ``article_generator_init`` / ``page_generator_init``: the files about to be read are converted on
  all cores (``markup.parallel``), and the pool ends at ``all_generators_finalized``;
- ``generator_init``: templates get ``POINT_FIELDS`` (a point's field labels), ``NO_TIME``, the
  filters ``total_seconds`` and ``about`` (``markup.components``), and ``SNIPPETS``, the texts of
  content/snippets/ (``markup.snippets``);
- ``article_generator_finalized`` / ``page_generator_finalized``: each point's slot becomes the
  theme's ``components/point.html`` (``markup.components``).
"""

from __future__ import annotations

from typing import Any

from pelican import signals
from pelican.readers import BaseReader

from stages.markup import parallel
from stages.markup.components import add_template_globals, render_points
from stages.markup.reader import SiteMarkdownReader
from stages.markup.snippets import add_snippets
from stages.pelican_compat import remember_source_paths


def use_site_reader(readers: Any) -> None:
    """The site's reader reads Markdown, and nothing else is read: Pelican's HTML and reStructuredText
    readers would publish raw HTML (a <script>, an <iframe>) that no check of the site has seen."""
    for extension in [ext for ext, reader in readers.reader_classes.items() if reader is not BaseReader]:
        del readers.reader_classes[extension]  # BaseReader stays: it reads static files ("static")
    for extension in SiteMarkdownReader.file_extensions:
        readers.reader_classes[extension] = SiteMarkdownReader


def register() -> None:
    remember_source_paths()
    signals.initialized.connect(parallel.apply_defaults)
    signals.readers_init.connect(use_site_reader)
    signals.article_generator_init.connect(parallel.start_articles)
    signals.page_generator_init.connect(parallel.start_pages)
    signals.all_generators_finalized.connect(parallel.finish)
    signals.generator_init.connect(add_template_globals)
    signals.generator_init.connect(add_snippets)
    signals.article_generator_finalized.connect(render_points)
    signals.page_generator_finalized.connect(render_points)
