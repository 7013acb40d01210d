"""The one place where the site relies on Pelican's internals, because Pelican has no public API for them.

Each function names what it touches; ``tests/test_pelican_compat.py`` checks every one of them
against the installed Pelican, so an upgrade that changes them fails there, by name, rather than
somewhere in a build.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
from collections.abc import Iterable
from functools import lru_cache
from typing import IO, Any

from pelican.contents import Content
from pelican.utils import memoized, posixize_path
from pelican.writers import FileOverwriteFailedError, Writer

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


# --- speed -----------------------------------------------------------------------------------

_PELICAN_RELATIVE_SOURCE_PATH = Content.get_relative_source_path
_PELICAN_RELATIVE_DIR = Content.relative_dir


@lru_cache(maxsize=65536)
def _relative(content_root: str, source_path: str) -> str:
    return str(
        posixize_path(
            os.path.relpath(os.path.abspath(os.path.join(content_root, source_path)), os.path.abspath(content_root))
        )
    )


def _fast_relative_source_path(self: Content, source_path: str | None = None) -> str | None:
    source = source_path or self.source_path
    root = self.settings["PATH"]
    if source and isinstance(source, str) and isinstance(root, str) and os.path.isabs(source) and os.path.isabs(root):
        return _relative(root, source)
    relative = _PELICAN_RELATIVE_SOURCE_PATH(self, source_path)
    return None if relative is None else str(relative)


def _fast_relative_dir(self: Content) -> str:
    source, root = self.source_path, self.settings["PATH"]
    if isinstance(source, str) and isinstance(root, str) and os.path.isabs(source) and os.path.isabs(root):
        return str(posixize_path(os.path.dirname(_relative(root, source))))
    return str(_PELICAN_RELATIVE_DIR.fget(self))


def remember_source_paths() -> None:
    """Makes ``Content.get_relative_source_path`` and ``Content.relative_dir`` remember their answers.

    Pelican works a file's path out from the content folder (``os.path.relpath`` of two
    ``abspath``) every time it makes an address (``url``, ``save_as``) or follows a link: tens of
    thousands of times in a build of 1,000 articles. Both paths are absolute in a build (Pelican
    makes PATH absolute, and the generators give absolute source paths), and then the answer
    depends on them alone, so it is kept (at most 65,536 of them); a relative path, which depends
    on the working folder, is worked out by Pelican's own code as before."""
    Content.get_relative_source_path = _fast_relative_source_path
    Content.relative_dir = property(_fast_relative_dir)


class _Discard(io.StringIO):
    """Where the text of a file put in place by a hard link goes."""


class LinkingWriter(Writer):
    """Pelican's Writer, which can put a file in place as a hard link to an existing file instead of
    writing it: for each path in ``links`` (the file to write -> the file to link), the text the
    template gave is dropped, and Pelican's own checks (``Writer._open_w``: a file written twice is
    refused unless one write says override, and a file overridden once is not written again) run
    as for any file. A file written again after it was linked is unlinked first, so that the
    linked file itself is never written into; where no link can be made (another file system),
    the file is copied."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.links: dict[str, str | os.PathLike[str]] = {}
        self._linked: set[str] = set()

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> IO[str]:
        path = os.path.normpath(filename)
        source = self.links.pop(path, None)
        if path in self._linked:  # written again (an override): never into the linked file
            self._linked.discard(path)
            os.unlink(path)
        if source is None:
            return super()._open_w(filename, encoding, override)  # type: ignore[no-any-return]
        target = claim_output(self, filename, override)
        if target != os.devnull:
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
            else:
                self._linked.add(path)
        return _Discard()


def claim_output(writer: Writer, path: str, override: bool = False) -> str:
    """Pelican's bookkeeping for a file its writer is about to write (as ``Writer._open_w``), without
    opening it: the path to write, or ``os.devnull`` when Pelican would skip it."""
    if path in writer._overridden_files:
        if override:
            raise FileOverwriteFailedError(f'Failed to overwrite "{path}" a second time (was previously overwritten)')
        return os.devnull
    if path in writer._written_files and not override:
        raise FileOverwriteFailedError(
            f'Failed to overwrite "{path}" as Pelican has already written to it previously (set `override=True` if intended)'
        )
    if override:
        writer._overridden_files.add(path)
    writer._written_files.add(path)
    return path
