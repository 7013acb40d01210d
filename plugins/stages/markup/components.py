"""Components: a point's slot in an article's HTML becomes the theme's point component.

The Markdown stage leaves ``<section data-point-slot="b23" data-level="2"></section>`` where an
author wrote a point block (``data-level``: its heading's level in the page's outline,
``markup.outline``); here, once Pelican has made the articles and pages, each slot is replaced by
``components/point.html``'s ``point(params)`` macro, rendered with the page's point data and that
level (``params.level``). So the theme decides how a point looks, and the plugin only what it says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pelican.generators import ArticlesGenerator, PagesGenerator

from stages.markup.outline import INSTRUCTIONS_MARK
from stages.markup.points import FIELDS, NO_TIME, Point, about, short, total_seconds
from stages.pelican_compat import all_items, content_html, replace_content_html

# the slot as Python-Markdown writes it (attributes in name order)
_SLOT = re.compile(r'<section (?:data-level="(?P<level>[1-6])" )?data-point-slot="(?P<id>[^"]+)"></section>')
DEFAULT_LEVEL = 2
COMPONENT = "components/point.html"


def add_template_globals(generator: Any) -> None:
    """For every template: the labels of a point's fields (one list, in markup.points), the words for a
    point without a hold time, the comment where the instructions start (``markup.outline``), and the filters
    ``total_seconds`` (points → seconds of their timed holds), ``about`` (seconds → "about 3 minutes") and
    ``short`` (seconds → "1 min")."""
    generator.env.globals.update(POINT_FIELDS=FIELDS, NO_TIME=NO_TIME, INSTRUCTIONS_MARK=INSTRUCTIONS_MARK)
    generator.env.filters.update(total_seconds=total_seconds, about=about, short=short)


def render_points(generator: ArticlesGenerator | PagesGenerator) -> None:
    """Fills every point slot of the generator's articles or pages with the theme's component."""
    macro = None
    for item in all_items(generator):
        html = content_html(item)
        if "data-point-slot" not in html:
            continue
        if macro is None:
            macro = generator.get_template(COMPONENT.removesuffix(".html")).module.point
        replace_content_html(item, fill_slots(html, item.metadata.get("points") or [], macro))


def fill_slots(html: str, points: list[Point], macro: Callable[[dict[str, Any]], Any]) -> str:
    """The HTML with each point's slot replaced by the component the macro renders for it, with the
    point's data and its heading level as params."""
    by_id = {point["id"]: point for point in points}

    def component(match: re.Match[str]) -> str:
        params = {**by_id[match["id"]], "level": int(match["level"] or DEFAULT_LEVEL)}
        return str(macro(params)).strip()

    return _SLOT.sub(component, html)
