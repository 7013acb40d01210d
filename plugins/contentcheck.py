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

_INTERNAL_LINK = re.compile(r"""\b(?P<attribute>href|src)=["']\{(?P<what>filename|static|attach)\}(?P<path>[^"'#?]*)""")
_PUBLISHED = "_contentcheck_published"  # per build, in Pelican's context: address -> what is published there


def source_name(content: Any) -> str:
    """The content file as the author knows it: content/x.md."""
    root = os.path.dirname(os.path.abspath(content.settings["PATH"]))
    return Path(os.path.relpath(os.path.abspath(content.source_path), root)).as_posix()


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
            kind = "picture" if match["attribute"] == "src" else "linked file"
            problem(content, f"the {kind} '{{{match['what']}}}{written}' does not exist")


def check_address(content: Any) -> None:
    """No two files, and no file and hub, may be published at the same address."""
    if not content.save_as or content.status == "draft" or content._context is None:
        return
    published = content._context.setdefault(_PUBLISHED, {})
    name = source_name(content)
    category = getattr(content, "category", None)
    if isinstance(category, Category) and category.save_as:
        hub = f"the '{category.name}' hub page"
        if published.get(category.save_as, hub) != hub:
            same_address(category.save_as, published[category.save_as], hub)
        published[category.save_as] = hub
    other = published.get(content.save_as)
    if other and other != name:
        same_address(content.save_as, name, other)
    published[content.save_as] = name


def same_address(address: str, *claimants: str) -> None:
    """Two things would be written to one file; the files are named first, in a stable order
    (Pelican reads files in the order the file system lists them)."""
    first, second = sorted(claimants, key=lambda claimant: (claimant.startswith("the "), claimant))
    logger.error("%s and %s would both be published at '%s' (give one of them another Slug:)", first, second, address)


def register() -> None:
    signals.content_object_init.connect(check_content)
