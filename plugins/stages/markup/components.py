"""Components: a point's slot in an article's HTML becomes the theme's point component.

The Markdown stage leaves ``<section data-point-slot="b23"></section>`` where an author wrote a
point block; here, once Pelican has made the articles and pages, each slot is replaced by
``components/point.html``'s ``point(params)`` macro, rendered with the page's point data. So the
theme decides how a point looks, and the plugin only what it says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain
from typing import Any

from pelican.generators import ArticlesGenerator, PagesGenerator

from stages.markup.points import FIELDS, NOT_DESCRIBED, Point
from stages.pelican_compat import content_html, replace_content_html

_SLOT = re.compile(r'<section data-point-slot="([^"]+)"></section>')
COMPONENT = "components/point.html"


def add_template_globals(generator: Any) -> None:
    """The labels of a point's fields, for every template (one list, in markup.points)."""
    generator.env.globals["POINT_FIELDS"] = FIELDS
    generator.env.globals["NOT_DESCRIBED"] = NOT_DESCRIBED


def render_points(generator: ArticlesGenerator | PagesGenerator) -> None:
    """Fills every point slot of the generator's articles or pages with the theme's component."""
    if isinstance(generator, ArticlesGenerator):
        items = chain(
            generator.articles,
            generator.translations,
            generator.drafts,
            generator.drafts_translations,
            generator.hidden_articles,
            generator.hidden_translations,
        )
    else:
        items = chain(
            generator.pages,
            generator.translations,
            generator.hidden_pages,
            generator.hidden_translations,
            generator.draft_pages,
            generator.draft_translations,
        )
    macro = None
    for item in items:
        html = content_html(item)
        if "data-point-slot" not in html:
            continue
        if macro is None:
            macro = generator.get_template(COMPONENT.removesuffix(".html")).module.point
        replace_content_html(item, fill_slots(html, item.metadata.get("points") or [], macro))


def fill_slots(html: str, points: list[Point], macro: Callable[[Point], Any]) -> str:
    """The HTML with each point's slot replaced by the component the macro renders for it."""
    by_id = {point["id"]: point for point in points}
    return _SLOT.sub(lambda match: str(macro(by_id[match[1]])).strip(), html)
