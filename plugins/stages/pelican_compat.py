"""The one place where the site relies on Pelican's internals, because Pelican has no public API for them.

Each function names what it touches; ``tests/test_pelican_compat.py`` checks every one of them
against the installed Pelican, so an upgrade that changes them fails there, by name, rather than
somewhere in a build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pelican.contents import Content
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED as DUPLICATES_DEFINITIONS_ALLOWED  # keys given twice
from pelican.utils import memoized

# Pelican's own messages that only repeat, for a file, what the site's checks already said
# (their format strings, from pelican/generators.py and pelican/contents.py)
FOLLOW_UP_MESSAGES = (
    "Could not process %s",
    "Skipping %s: could not find information about '%s'",
    "Unable to find '%s', skipping url replacement.",
    'Failed to write Category page for "%s".',
    'Failed to write Author page for "%s".',
    'Failed to write Tag page for "%s".',
    "Cannot get modification stamp for %s\n\t%s",
    "Empty alt attribute for image %s in %s",
)


def replace_content_html(item: Content, html: str) -> None:
    """Sets an article's or page's HTML after it was read (Content keeps it in ``_content``, and
    memoizes ``get_content``, whose cached value for this item must go too)."""
    item._content = html
    for cache in _memo_caches():
        for key in [key for key in cache if key and key[0] is item]:
            del cache[key]


def set_address(item: Content, save_as: str) -> None:
    """Gives an article or page another output file and URL, as a ``Save_as:`` line would
    (Pelican reads ``override_save_as`` / ``override_url``)."""
    item.override_save_as = save_as
    item.override_url = save_as


def content_html(item: Content) -> str:
    """An article's or page's HTML as read, before Pelican rewrites its links (``_content``)."""
    return item._content or ""


def clear_memoized_caches() -> int:
    """Empties Pelican's ``memoized`` caches (``Content.get_content``, ``get_summary``): they live on the
    decorator, not the instance, so a long-running preview would keep every earlier build's content.
    Returns how many entries were dropped."""
    dropped = 0
    for cache in _memo_caches():
        dropped += len(cache)
        cache.clear()
    return dropped


def _memo_caches() -> Iterable[dict[Any, Any]]:
    for klass in Content.__mro__:
        for value in vars(klass).values():
            if isinstance(value, memoized):
                yield value.cache


@contextmanager
def quiet_console() -> Iterator[None]:
    """Pelican's console without its summary of a run (``pelican.log.console``, a rich Console)."""
    from pelican import console  # noqa: PLC0415

    quiet, console.quiet = console.quiet, True
    try:
        yield
    finally:
        console.quiet = quiet


def reset_log_deduplication() -> None:
    """Forgets the warnings already logged: Pelican's LimitFilter drops a warning it has seen before in the same
    process, so a long-running preview would report a repeated mistake only on its first build."""
    from pelican.log import LimitFilter  # noqa: PLC0415

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def is_follow_up(record: logging.LogRecord, reported_paths: Iterable[str]) -> bool:
    """Whether Pelican's log record only repeats a problem the site already reported for a file."""
    if record.msg not in FOLLOW_UP_MESSAGES:
        return False
    text = " ".join(str(arg) for arg in (record.args or ()))
    if record.msg.startswith(("Unable to find", "Failed to write", "Cannot get modification stamp")):
        return bool(list(reported_paths))  # the missing link, or the clash of addresses, was named already
    return any(path and (path in text or path.split("/", 1)[-1] in text) for path in reported_paths)


def all_items(generator: Any) -> list[Content]:
    """Every article or page of a generator, whatever its status (Pelican keeps one list per status)."""
    names = (
        ("articles", "translations", "hidden_articles", "hidden_translations", "drafts", "drafts_translations")
        if hasattr(generator, "articles")
        else ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")
    )
    return [item for name in names for item in getattr(generator, name)]


def from_cache(generator: Any) -> list[Content]:
    """The items Pelican's generator cache gave back instead of reading their files, each given this build's
    settings and context (``_context``: where its links find the other pages and files of this build).
    Pelican sends ``content_object_init`` only for a file it reads; an item read in this build shares the
    generator's settings object, one unpickled from the cache has a copy of its own."""
    cached = [item for item in all_items(generator) if item.settings is not generator.settings]
    for item in cached:
        item.settings, item._context = generator.settings, generator.context
    return cached
