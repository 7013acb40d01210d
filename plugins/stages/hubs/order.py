"""Each hub's list: pinned articles first, then newest first; drafts too in the development build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.generators import ArticlesGenerator

from stages.checks.problems import Problem, metadata_line, report
from stages.hubs.intros import Intro


def order_hubs(generator: ArticlesGenerator, intros: dict[str, Intro]) -> None:
    hubs: list[tuple[Any, list[Any]]] = generator.categories
    if generator.settings["SHOW_DRAFTS"]:
        by_name = {category.name: articles for category, articles in hubs}
        for draft in generator.drafts:
            if draft.category.name not in by_name:
                hubs.append((draft.category, by_name.setdefault(draft.category.name, [])))
            by_name[draft.category.name].append(draft)
    for category, articles in hubs:
        articles.sort(key=lambda article: article.date, reverse=True)
        intro = intros.get(category.name)
        if not intro or not intro.pinned:
            continue
        by_slug = {article.slug: article for article in articles}
        missing = [slug for slug in intro.pinned if slug not in by_slug]
        if missing:
            message = f"'Pinned:' names {', '.join(missing)}, which is not an article of '{category.name}' (its articles: {', '.join(sorted(by_slug))})"
            absolute = Path(generator.settings["PATH"]).resolve().parent / intro.path
            report(Problem(intro.path, metadata_line(str(absolute), "pinned"), message))
        pinned = [by_slug[slug] for slug in intro.pinned if slug in by_slug]
        articles[:] = pinned + [article for article in articles if article not in pinned]
    hubs.sort(key=lambda hub: (_position(intros.get(hub[0].name)), hub[0].name.lower()))


def _position(intro: Intro | None) -> tuple[int, int]:
    return (0, intro.position) if intro and intro.position is not None else (1, 0)


def hub_entries(generator: ArticlesGenerator, intros: dict[str, Intro], newest: int) -> list[dict[str, Any]]:
    """What the home page, the menu and the 404 page show of each hub, in the hubs' order."""
    entries = []
    for category, articles in generator.categories:
        published = [article for article in articles if article.status == "published"]
        intro = intros.get(category.name) or Intro("")
        newest_first = sorted(published, key=lambda article: article.date, reverse=True)[:newest]
        entries.append(
            {
                "category": category,
                "intro": intro.html,
                "summary": intro.first_sentence,
                "count": len(published),
                "newest": newest_first,
            }
        )
        # every article's own copy of its hub says the same (Pelican makes one per article): which copy
        # Pelican keys the hub by must not matter (two builds of the same content give the same pages)
        for hub in (category, *(article.category for article in articles)):
            hub.intro, hub.summary = intro.html, intro.first_sentence
    return entries
