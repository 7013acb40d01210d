"""Hubs stage: the site's topics (Pelican categories) grow by themselves, with introductions, order and related reading.

Once the articles are read, cached and grouped in categories, and nothing is written yet:
- each hub may have an introduction, ``content/hubs/<anything>.md`` with ``Title:`` the hub's name
  (its Category:), optional ``Pinned:`` (slugs listed first, in that order) and ``Position:``
  (its place among the hubs), and Markdown text (``hubs.intros``);
- each hub's articles are ordered: pinned first, then newest first; in the development build
  (SHOW_DRAFTS) its drafts are listed too, marked (``hubs.order``);
- every article gets ``related`` (3–5 articles: same hub first, then shared tags, then the newest
  elsewhere; never itself)
  and ``previous_in_hub`` / ``next_in_hub`` (``hubs.related``);
- templates get ``hubs``: every hub in order, with its introduction, first sentence, article count
  and newest articles, for the home page, the menu and the 404 page; and ``menu_pages``, the pages
  whose metadata says ``Menu: yes``.
"""

from __future__ import annotations

from typing import Any

from pelican.generators import ArticlesGenerator, PagesGenerator

from stages.checks.problems import Problem, report
from stages.hubs.intros import read_intros
from stages.hubs.order import hub_entries, order_hubs
from stages.hubs.related import relate

DEFAULTS: dict[str, Any] = {
    "HUB_PATH": "hubs",  # content/hubs/*.md: one introduction per hub
    "HUB_NEWEST": 3,  # newest articles shown for each hub on the home page
    "RELATED_MIN": 3,  # related articles at the end of an article: 3 to 5 (when the site has them)
    "RELATED_MAX": 5,
    "SHOW_DRAFTS": False,  # pelicanconf.py turns it on for the preview and development builds
}


def organise(generators: list[Any]) -> None:
    """Runs once every generator has read (and Pelican has cached) its content: related reading and
    previous/next link the articles into long chains, which Pelican's cache must not pickle."""
    generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
    settings = generator.settings
    intros = read_intros(settings, [category for category, _ in generator.categories])
    order_hubs(generator, intros)
    relate(generator, settings["RELATED_MIN"], settings["RELATED_MAX"])
    generator.context["hubs"] = hub_entries(generator, intros, settings["HUB_NEWEST"])


def add_menu_pages(generator: PagesGenerator) -> None:
    flagged = [
        page for page in generator.pages if str(page.metadata.get("menu", "")).strip().lower() in ("yes", "true", "1")
    ]
    generator.context["menu_pages"] = sorted(flagged, key=lambda page: page.title.lower())
    # the donation address (theme: the Support page's "Donate", the footer's ask, shown only with it)
    donate = str(generator.settings.get("DONATION_URL") or "")
    if donate and not donate.startswith("https://"):
        report(Problem("pelicanconf.py", 0, f"DONATION_URL must be an https:// address, not {donate!r}"))
