"""Gives templates the ``fingerprint`` filter: a short hash of a theme file's content, for its URL.

    <link rel="stylesheet" href="{{ SITEURL }}/{{ THEME_STATIC_DIR }}/css/site.css?v={{ 'css/site.css'|fingerprint }}">

The address changes whenever the file does, so hosts may let browsers keep the file for a year
(see CACHE_CONTROL in pelicanconf.py) and a reader still gets a new stylesheet the moment it
changes. The same content always gives the same hash, so builds stay reproducible.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pelican import signals


@lru_cache(maxsize=64)
def _digest(path: Path, modified: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def add_filter(generator: Any) -> None:
    static = Path(generator.settings["THEME"]) / "static"

    def fingerprint(name: str) -> str:
        path = static / name
        return _digest(path, path.stat().st_mtime_ns)

    generator.env.filters["fingerprint"] = fingerprint


def register() -> None:
    signals.generator_init.connect(add_filter)
