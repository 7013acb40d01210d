"""SEO stage: what search engines, link previews and feed readers read, generated from the content.

Signals:
- ``generator_init``: templates get ``json_ld(...)`` and the ``description`` filter
  (``seo.structured_data``);
- ``all_generators_finalized``, ``content_written``, ``finalized``: sitemap.xml and robots.txt of
  a production build (``seo.sitemap``).
Canonical links and Open Graph tags are the theme's (``components/page_meta.html``); feeds are
Pelican's, switched on in publishconf.py.
"""

from __future__ import annotations

from typing import Any

from stages.seo.structured_data import description, json_ld


def add_to_templates(generator: Any) -> None:
    generator.env.globals["json_ld"] = json_ld
    generator.env.filters["description"] = description
