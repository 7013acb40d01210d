"""Structured data and descriptions for search engines and link previews, generated from the content.

``json_ld(item, kind=…, url=…, crumbs=…, description=…)`` (a template global) gives schema.org
JSON-LD for a page: an article's ``Article``, a ``HowTo`` for its points (one step per point, with
its hold time; the step text uses the same field labels as the page, ``markup.points.FIELDS``)
and one for each step list; ``WebSite`` for the home page; ``CollectionPage`` for a hub; and a
``BreadcrumbList`` from the same items as the visible breadcrumb. The site's name, author and
language come from the template's own context, so templates pass only what is about the page.

``description`` (a template filter) is a page's summary as plain text of at most 160 characters.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from stages.markup.points import FIELDS
from stages.pelican_compat import content_html

DESCRIPTION_LENGTH = 160
_TAG = re.compile(r"<[^>]+>")


def description(item: Any, length: int = DESCRIPTION_LENGTH) -> str:
    """A page's description: its Summary: when it has one, else its first paragraph, as plain text
    of at most `length` characters, cut at a word with "…". A string is described the same way."""
    if isinstance(item, str):
        summary = item
    elif "summary" in getattr(item, "metadata", {}):
        summary = item.metadata["summary"]
    else:
        # the HTML as read: Pelican's link rewriting (item.content) changes only attributes, which are dropped here
        summary = content_html(item).partition("</p>")[0]
    text = " ".join(html.unescape(_TAG.sub(" ", str(summary))).split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def breadcrumb_list(crumbs: list[dict[str, str]], page_url: str) -> dict[str, Any]:
    items = [
        {"@type": "ListItem", "position": position, "name": crumb["text"], "item": crumb.get("href") or page_url}
        for position, crumb in enumerate(crumbs, start=1)
    ]
    return {"@type": "BreadcrumbList", "itemListElement": items}


def how_to(name: str, url: str, page_url: str, steps: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    """A HowTo of (name, text, anchor on the page, ISO duration or "") steps."""
    return {
        "@type": "HowTo",
        "name": name,
        "url": url,
        "step": [
            {"@type": "HowToStep", "position": n, "name": step, "text": text, "url": f"{page_url}#{anchor}"}
            | ({"timeRequired": duration} if duration else {})
            for n, (step, text, anchor, duration) in enumerate(steps, start=1)
        ],
    }


def points_howto(article: Any, url: str) -> dict[str, Any]:
    steps = []
    # in the order a reader does them (the article's summary and hold sequence follow it too)
    for point in getattr(article, "doing_order", None) or article.points:
        shown = [field for field in FIELDS if field.in_steps and (point[field.key] or field.key == "where")]
        text = ". ".join(f"{field.label}: {point[field.key]}" for field in shown)
        steps.append((" — ".join(filter(None, [point["label"], point["name"]])), text, point["id"], point["duration"]))
    return how_to(article.title, url, url, steps)


def exercise_howto(exercise: dict[str, Any], url: str) -> dict[str, Any]:
    steps = [(f"Step {n}", step["text"], step["id"], "") for n, step in enumerate(exercise["steps"], start=1)]
    return how_to(exercise["name"], f"{url}#{exercise['id']}" if exercise["id"] else url, url, steps)


@pass_context
def json_ld(
    context: Context,
    item: Any = None,
    *,
    kind: str,
    url: str,
    crumbs: list[dict[str, str]] | None = None,
    description: str = "",
) -> Markup:
    site = context.get("SITENAME", "")
    home = context.get("SITEURL", "") + "/"
    publisher = {"@type": "Organization", "name": site, "url": home}
    graph: list[dict[str, Any]] = []
    if kind == "article":
        author = item.author.name if getattr(item, "author", None) else context.get("AUTHOR", "")
        article = {
            "@type": "Article",
            "headline": item.title,
            "description": description,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": context.get("DEFAULT_LANG", "en"),
            "author": {"@type": "Person", "name": author},
            "publisher": publisher,
            "datePublished": item.date.isoformat(),
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
        graph.append({"@type": "WebSite", "name": site, "url": url, "description": description, "publisher": publisher})
    else:
        name = getattr(item, "name", None) or getattr(item, "title", "")
        part_of = {"@type": "WebSite", "name": site, "url": home}
        kind = "CollectionPage" if kind == "hub" else "WebPage"
        graph.append({"@type": kind, "name": name, "url": url, "description": description, "isPartOf": part_of})
    if crumbs:
        graph.append(breadcrumb_list(crumbs, url))
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, separators=(",", ":"))
    # nothing in the data may close the <script> element or open a comment
    return Markup(data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
