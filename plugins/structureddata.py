"""Gives templates ``json_ld(...)``, schema.org structured data for a page generated from its content,
and the ``description`` filter, a page's summary as plain text for search engines and link previews.

- an article: ``Article`` (author, publisher, dates), a ``HowTo`` for its points (one step per
  point, with its hold time) and one for each step list (its steps, in order);
- every page: a ``BreadcrumbList`` built from the same items as the visible breadcrumb.

The result is JSON made safe to sit in ``<script type="application/ld+json">`` (a data block,
which a Content-Security-Policy does not treat as a script).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from markupsafe import Markup
from pelican import signals

DESCRIPTION_LENGTH = 160


def description(item: Any, length: int = DESCRIPTION_LENGTH) -> str:
    """A page's description for search engines and link previews: its Summary: when it has one,
    else its first paragraph (what Pelican's own summary starts with, without cutting the whole
    page's HTML to find it), as plain text of at most `length` characters, cut at a word with "…".
    A string is described the same way."""
    if isinstance(item, str):
        summary = item
    elif "summary" in getattr(item, "metadata", {}):
        summary = item.metadata["summary"]
    else:
        summary = item.content.partition("</p>")[0]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(summary))).split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def breadcrumb_list(crumbs: list[dict[str, str]], page_url: str) -> dict[str, Any]:
    items = []
    for position, crumb in enumerate(crumbs, start=1):
        items.append({"@type": "ListItem", "position": position, "name": crumb["text"],
                      "item": crumb.get("href") or page_url})
    return {"@type": "BreadcrumbList", "itemListElement": items}


def points_howto(article: Any, url: str) -> dict[str, Any]:
    steps = []
    for position, point in enumerate(article.points, start=1):
        parts = [f"Where: {point['where']}"]
        if point["how"]:
            parts.append(f"How to press: {point['how']}")
        if point["hold"]:
            parts.append(f"How long: {point['hold']}")
        step = {"@type": "HowToStep", "position": position,
                "name": " — ".join(filter(None, [point["label"], point["name"]])),
                "text": ". ".join(parts), "url": f"{url}#{point['id']}"}
        if point["duration"]:
            step["timeRequired"] = point["duration"]
        steps.append(step)
    return {"@type": "HowTo", "name": article.title, "url": url, "step": steps}


def exercise_howto(exercise: dict[str, Any], url: str) -> dict[str, Any]:
    return {
        "@type": "HowTo",
        "name": exercise["name"],
        "url": f"{url}#{exercise['id']}" if exercise["id"] else url,
        "step": [{"@type": "HowToStep", "position": n, "name": f"Step {n}", "text": step["text"],
                  "url": f"{url}#{step['id']}"} for n, step in enumerate(exercise["steps"], start=1)],
    }


def json_ld(item: Any = None, *, kind: str, url: str, crumbs: list[dict[str, str]] | None = None,
            description: str = "", home: str = "", settings: dict[str, Any] | None = None) -> Markup:
    settings = settings or {}
    publisher = {"@type": "Organization", "name": settings.get("SITENAME", ""), "url": home}
    graph: list[dict[str, Any]] = []
    if kind == "article":
        article = {
            "@type": "Article", "headline": item.title, "description": description, "url": url,
            "mainEntityOfPage": url, "inLanguage": settings.get("DEFAULT_LANG", "en"),
            "author": {"@type": "Person", "name": item.author.name if getattr(item, "author", None) else settings.get("AUTHOR", "")},
            "publisher": publisher, "datePublished": item.date.isoformat(),
            "dateModified": (getattr(item, "modified", None) or item.date).isoformat(),
            "articleSection": item.category.name,
        }
        if getattr(item, "subtitle", ""):
            article["alternativeHeadline"] = item.subtitle
        graph.append(article)
        if getattr(item, "points", None):
            graph.append(points_howto(item, url))
        graph.extend(exercise_howto(exercise, url) for exercise in getattr(item, "exercises", None) or [])
    elif kind == "home":
        graph.append({"@type": "WebSite", "name": settings.get("SITENAME", ""), "url": url,
                      "description": description, "publisher": publisher})
    else:
        graph.append({"@type": "CollectionPage" if kind == "hub" else "WebPage", "name": getattr(item, "name", None)
                      or getattr(item, "title", ""), "url": url, "description": description,
                      "isPartOf": {"@type": "WebSite", "name": settings.get("SITENAME", ""), "url": home}})
    if crumbs:
        graph.append(breadcrumb_list(crumbs, url))
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, separators=(",", ":"))
    # nothing in the data may close the <script> element or open a comment
    return Markup(data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def add_to_templates(generator: Any) -> None:
    generator.env.globals["json_ld"] = json_ld
    generator.env.filters["description"] = description


def register() -> None:
    signals.generator_init.connect(add_to_templates)
