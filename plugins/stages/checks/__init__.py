"""Checks stage: every mistake in the content is reported with its file and line, in one problem list.

Each article and page as it is made, then the whole site before it is written (``checks.content``, and the
published files themselves, ``checks.files``), then every internal link and #anchor of the written site
(``checks.links``); WIRING says on which signal. Problems go through ``checks.problems.report``; the reader
(``markup``) reports the mistakes it finds in Markdown the same way.
"""

from __future__ import annotations

from typing import Any

from stages.checks.content import check_site
from stages.checks.links import remember_sources


def check_all(generators: list[Any]) -> None:
    check_site(generators)
    remember_sources(generators)
