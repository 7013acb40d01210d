"""Assets stage: theme files addressed by their content, so hosts may let browsers keep them for a year.

Templates get the ``fingerprint`` filter, a short hash of a theme
file's content for its URL::

    <link rel="stylesheet" href="{{ SITEURL }}/{{ THEME_STATIC_DIR }}/css/site.css?v={{ 'css/site.css'|fingerprint }}">

The address changes whenever the file does (see ``hosting``'s caching headers), and the same
content always gives the same hash, so builds stay reproducible.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import pass_context


@lru_cache(maxsize=64)
def _digest(path: Path, modified: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def fingerprint_of(path: Path) -> str:
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def add_filter(generator: Any) -> None:
    static = Path(generator.settings["THEME"]) / "static"

    # pass_context: Jinja would otherwise work out `'css/site.css'|fingerprint` once, when it compiles
    # the template, and a kept compiled template (a cached build, the preview) would keep the old hash
    @pass_context
    def fingerprint(_: Any, name: str) -> str:
        return fingerprint_of(static / name)

    generator.env.filters["fingerprint"] = fingerprint
