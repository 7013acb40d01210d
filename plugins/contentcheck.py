"""Checks each content file as it is read and reports mistakes in the author's terms, naming the file.

- a file without a ``Title:`` line; an article without ``Date:`` or ``Category:``;
- two files (or a file and a hub) that would be published at the same address;
- a picture or a ``{filename}`` / ``{static}`` / ``{attach}`` link to a file that does not exist.

Each mistake is logged as an error "content/x.md: …", which fails a ``--fatal warnings`` build
before Pelican's own, less specific, message.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article, Page
from pelican.urlwrappers import Category

logger = logging.getLogger(__name__)

# starts with a literal "{", which the regex engine finds fast; the attribute is read just before it
_INTERNAL_LINK = re.compile(r"""\{(?P<what>filename|static|attach)\}(?P<path>[^"'#?]*)""")
# per build, in Pelican's context: address -> what is published there; the hubs already seen
_PUBLISHED = "_contentcheck_published"
_HUBS = "_contentcheck_hubs"


def source_name(content: Any) -> str:
    """The content file as the author knows it: content/x.md."""
    return source_name_of(content.source_path, content.settings)


def source_name_of(path: str, settings: dict[str, Any]) -> str:
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def problem(content: Any, message: str) -> None:
    logger.error("%s: %s", source_name(content), message)


def check_content(content: Any) -> None:
    """Runs as each article or page is created from its file."""
    if not isinstance(content, (Article, Page)) or not content.source_path:
        return
    metadata = content.metadata
    if not metadata.get("title"):
        problem(content, "no Title: line (every page needs a title, e.g. 'Title: How To Use Acupressure For Back Pain')")
        return
    if isinstance(content, Article):
        if "date" not in metadata:
            problem(content, "no Date: line (every article needs one, e.g. 'Date: 2026-11-23')")
            return
        if content.category.name == content.settings["DEFAULT_CATEGORY"]:
            problem(content, "no Category: line (every article belongs to a hub, e.g. 'Category: Natural Pain Relief')")
            return
    check_linked_files(content)
    check_address(content)


def check_linked_files(content: Any) -> None:
    """Pictures and {filename} links must point at files that exist in content/."""
    html = content._content or ""
    if "}" not in html:
        return
    content_root = content.settings["PATH"]
    here = os.path.dirname(content.source_path)
    for match in _INTERNAL_LINK.finditer(html):
        written = match["path"]
        if not written:
            continue
        target = os.path.join(content_root, written.lstrip("/")) if written.startswith("/") else os.path.join(here, written)
        if not os.path.isfile(target) and not os.path.isfile(os.path.join(content_root, written)):
            kind = "picture" if html[max(0, match.start() - 5):match.start() - 1] == "src=" else "linked file"
            problem(content, f"the {kind} '{{{match['what']}}}{written}' does not exist")


def check_address(content: Any) -> None:
    """No two files, and no file and hub, may be published at the same address."""
    save_as = content.save_as
    if not save_as or content.status == "draft" or content._context is None:
        return
    published = content._context.setdefault(_PUBLISHED, {})  # address -> source path or hub
    hubs = content._context.setdefault(_HUBS, set())
    category = getattr(content, "category", None)
    hub = f"the '{category.name}' hub page" if isinstance(category, Category) else ""
    if hub and hub not in hubs:  # each hub's address is worked out once
        hubs.add(hub)
        if category.save_as:
            if category.save_as in published:
                same_address(category.save_as, claimant(published[category.save_as], content), hub)
            published[category.save_as] = hub
    other = published.get(save_as)
    if other and other != content.source_path:
        same_address(save_as, source_name(content), claimant(other, content))
    published[save_as] = content.source_path


def claimant(entry: str, content: Any) -> str:
    """A hub's label, or a source path as the author knows it."""
    return entry if entry.startswith("the '") else source_name_of(entry, content.settings)


def same_address(address: str, *claimants: str) -> None:
    """Two things would be written to one file; the files are named first, in a stable order
    (Pelican reads files in the order the file system lists them)."""
    first, second = sorted(claimants, key=lambda claimant: (claimant.startswith("the "), claimant))
    logger.error("%s and %s would both be published at '%s' (give one of them another Slug:)", first, second, address)


def register() -> None:
    signals.content_object_init.connect(check_content)
