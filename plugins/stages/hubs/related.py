"""Related reading, computed at build time: same hub first (the nearest in the hub's order), then
articles sharing tags, then (for a small hub) the newest elsewhere, never the article itself; and the
previous and next article in its hub."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pelican.generators import ArticlesGenerator


def nearest(listed: list[Any], index: int, most: int) -> list[Any]:
    """Up to `most` articles of a hub around position `index`: next, previous, then further out."""
    found: list[Any] = []
    for distance in range(1, len(listed)):
        for position in (index + distance, index - distance):
            if 0 <= position < len(listed) and len(found) < most:
                found.append(listed[position])
        if len(found) >= most:
            break
    return found


def relate(generator: ArticlesGenerator, least: int, most: int) -> None:
    by_tag: dict[Any, list[Any]] = defaultdict(list)
    for article in generator.articles:
        for tag in getattr(article, "tags", None) or []:
            by_tag[tag].append(article)
    newest = sorted(generator.articles, key=lambda article: article.date, reverse=True)[: least + most]
    for _, articles in generator.categories:
        listed = [article for article in articles if article.status == "published"]
        for index, article in enumerate(listed):
            article.previous_in_hub = listed[index - 1] if index > 0 else None
            article.next_in_hub = listed[index + 1] if index + 1 < len(listed) else None
            related = nearest(listed, index, most)
            if len(related) < most:
                shared: Counter[Any] = Counter()
                for tag in getattr(article, "tags", None) or []:
                    for other in by_tag[tag]:
                        if other is not article and other not in related:
                            shared[other] += 1
                ranked = sorted(shared, key=lambda other: (-shared[other], -other.date.timestamp(), other.slug))
                related += ranked[: most - len(related)]
            if len(related) < least:  # a small hub and no shared tags: the newest articles elsewhere
                for other in newest:
                    if len(related) >= least:
                        break
                    if other is not article and other not in related:
                        related.append(other)
            article.related = related
    for draft in generator.drafts:
        draft.related, draft.previous_in_hub, draft.next_in_hub = [], None, None
