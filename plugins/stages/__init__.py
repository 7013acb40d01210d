"""The site's one Pelican plugin: WIRING, the ordered list of (signal, handler) below, is how the site is built.

Pelican sends each signal to its handlers in this order. The stages (``stages.markup``, ``hubs``,
``checks``, ``seo``, ``assets``, ``search``, ``offline``, ``hosting``) expose handlers and register
nothing themselves; ``stages.pelican_compat`` holds what the site takes from Pelican's internals.
docs/ARCHITECTURE.md shows this list as a table (``tests/test_architecture.py`` fails when the two
disagree). State that passes between two signals lives in a settings key of that one build, never in a
module variable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blinker import NamedSignal
from pelican import signals

from stages import assets, checks, hosting, hubs, markup, offline, search, seo
from stages.checks.content import check_content
from stages.checks.links import check_links
from stages.markup.components import add_template_globals, render_points
from stages.markup.snippets import DEFAULT_PATHS as DEFAULT_SNIPPET_PATHS
from stages.markup.snippets import add_snippets
from stages.pelican_compat import from_cache
from stages.seo import cards, feeds, sitemap


def check_cached(generator: Any) -> None:
    """Pelican's generator cache gives back articles and pages read by an earlier build, for which
    ``content_object_init`` is not sent: they are checked here, so a mistake is reported until it is fixed."""
    for item in from_cache(generator):
        check_content(item)


def apply_defaults(pelican: Any) -> None:
    """Each stage's DEFAULTS where the settings files leave them out, its page among DIRECT_TEMPLATES, then what
    it adds to other settings (search and offline after hosting: they add to its per-path headers)."""
    settings = pelican.settings
    for stage, page in ((hubs, ""), (hosting, ""), (search, "search"), (offline, "offline")):
        for name, value in stage.DEFAULTS.items():
            settings.setdefault(name, value)
        if page and page not in settings["DIRECT_TEMPLATES"]:
            settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], page]
    # the hub introductions and the snippets are read by their stages, never articles or pages of their own
    for folder in [settings["HUB_PATH"], *settings.get("SNIPPET_PATHS", DEFAULT_SNIPPET_PATHS)]:
        for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
            if folder not in (excludes := settings.setdefault(key, [])):
                excludes.append(folder)
    # this build's own copy, to add to (never the settings file's dict, nor the DEFAULTS one)
    settings["HTTP_HEADERS_BY_PATH"] = dict(settings["HTTP_HEADERS_BY_PATH"] or {})
    for stage in (search, offline):
        stage.add_settings(settings)


# (signal, handler, what it reads from output/ — "" when it reads nothing written)
WIRING: list[tuple[NamedSignal, Callable[..., Any], str]] = [
    (signals.initialized, apply_defaults, ""),
    # reading: Markdown only, by the site's reader (line numbers, points, steps, figures)
    (signals.readers_init, markup.use_site_reader, ""),
    (signals.content_object_init, check_content, ""),
    # what templates get
    (signals.generator_init, add_template_globals, ""),
    (signals.generator_init, add_snippets, ""),
    (signals.generator_init, seo.add_to_templates, ""),
    (signals.generator_init, assets.add_filter, ""),
    (signals.generator_init, search.add_to_templates, ""),
    # the articles and pages are read (nothing is written yet); an article's points are rendered before Pelican
    # caches it (a cached one has them already), a page's after
    (signals.article_generator_pretaxonomy, render_points, ""),
    (signals.article_generator_finalized, check_cached, ""),
    (signals.page_generator_finalized, check_cached, ""),
    (signals.page_generator_finalized, render_points, ""),
    (signals.page_generator_finalized, hubs.add_menu_pages, ""),
    # the whole site is read (and cached): hubs, checks across pages, then the writing starts
    (signals.all_generators_finalized, hubs.organise, ""),
    (signals.all_generators_finalized, checks.check_all, ""),
    (signals.all_generators_finalized, sitemap.start, ""),
    (signals.all_generators_finalized, cards.draw_cards, ""),
    (signals.content_written, sitemap.remember_page, ""),
    # the site is written: what reads it back, in this order (hosting last: it describes the finished site)
    (signals.finalized, check_links, "every HTML page (links and #anchors)"),
    (signals.finalized, sitemap.write_sitemap_and_robots, ""),
    (signals.finalized, feeds.fix_feeds, "the feeds, and each article's page (what it shows at the instructions mark)"),
    (signals.finalized, search.index_site, "every HTML page (Pagefind's index)"),
    (signals.finalized, offline.write_worker, "the files the worker keeps (its version is their hash)"),
    (signals.finalized, hosting.write_header_files, "the list of written files and folders"),
]


def register() -> None:
    for signal, handler, _ in WIRING:
        signal.connect(handler)
