"""SEO stage: what search engines, link previews and feed readers read, generated from the content.

Signals:
- ``generator_init``: templates get ``json_ld(...)`` and the ``description`` filter
  (``seo.structured_data``), and ``og_card(article)`` (``seo.cards``);
- ``all_generators_finalized``: the link-preview cards of a production build, PNG (``seo.cards``);
- ``all_generators_finalized``, ``content_written``, ``finalized``: sitemap.xml and robots.txt of
  a production build (``seo.sitemap``);
- ``finalized`` (reads the written pages back): the Atom feeds Pelican wrote, switched on in publishconf.py,
  get their own ids, absolute links, no comments and the safety note (``seo.feeds``).
Canonical links and Open Graph tags are the theme's (``components/page_meta.html``).
"""

from __future__ import annotations

from typing import Any

from stages.seo import cards
from stages.seo.structured_data import description, json_ld


def add_to_templates(generator: Any) -> None:
    generator.env.globals["json_ld"] = json_ld
    generator.env.globals["og_card"] = cards.og_card
    generator.env.filters["description"] = description
