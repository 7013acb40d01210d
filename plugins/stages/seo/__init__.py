"""SEO stage: what search engines, link previews and feed readers read, generated from the content.

Templates get ``json_ld(...)`` and the ``description`` filter (``seo.structured_data``) and ``og_card(article)``;
a production build gets link-preview cards (``seo.cards``), sitemap.xml and robots.txt (``seo.sitemap``), and
Atom feeds made right once the pages are written (``seo.feeds``). Canonical links and Open Graph tags are the
theme's (``components/page_meta.html``).
"""

from __future__ import annotations

from typing import Any

from stages.seo import cards
from stages.seo.structured_data import description, json_ld


def add_to_templates(generator: Any) -> None:
    generator.env.globals["json_ld"] = json_ld
    generator.env.globals["og_card"] = cards.og_card
    generator.env.filters["description"] = description
