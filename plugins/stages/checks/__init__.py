"""Checks stage: every mistake in the content is reported with its file and line, in one problem list.

Signals:
- ``content_object_init``: each article and page has a title, an address, a date and hub
  (articles), and existing pictures and ``{filename}`` links (``checks.content``);
- ``all_generators_finalized``: addresses, hub spellings, skipped files and symbolic links
  across the whole site (``checks.content``); nothing in a published picture runs or loads
  another site, and no web page or script is published from content/ (``checks.files``); which
  page comes from which file (``checks.links``);
- ``finalized``: every internal link and #anchor of the written site resolves (``checks.links``).

Problems go through ``checks.problems.report``; the reader (``markup``) reports the mistakes it
finds in Markdown the same way.
"""

from __future__ import annotations

from typing import Any

from stages.checks.content import check_site
from stages.checks.links import remember_sources


def check_all(generators: list[Any]) -> None:
    check_site(generators)
    remember_sources(generators)
