"""Offline stage: pages a reader has read stay readable offline, through a small service worker of the site's own.

``offline.html`` (a DIRECT_TEMPLATE) is the page shown offline for a page never read; once the site is written,
``sw.js`` at its root, from ``sw.js`` beside this file, gets its cache version and the files it keeps on the first
visit (``CORE``), and ``Cache-Control: no-cache`` in the header files (``HTTP_HEADERS_BY_PATH``).

The theme's ``js/offline.js`` (on every page, a deferred module) registers the worker for the site's root,
read from ``<html data-site-root>``, so the site works at a domain's root and under a sub-path. The worker
is registered only when ``<html>`` has ``data-offline-reading`` (``OFFLINE`` is true); the preview turns it
off, and then the script removes a worker left by another build at that address.

The version is a hash of what the worker keeps on install (the stylesheet, the scripts, offline.html, the
favicon) and of the worker's own code: it changes when any of them does (a new hub in the navigation of
offline.html, a new stylesheet), and two builds of the same site write the same sw.js. A change to the text of
an article alone keeps the version, so the pages a reader kept stay kept (they are refreshed at each visit).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from stages.assets import fingerprint_of

SOURCE = Path(__file__).with_name("sw.js")
WORKER = "sw.js"
OFFLINE_PAGE = "offline.html"

DEFAULTS: dict[str, Any] = {
    # whether pages register the service worker (the preview, tools/devserver.py, turns it off)
    "OFFLINE": True,
    "OFFLINE_SAVE_AS": OFFLINE_PAGE,
    "OFFLINE_URL": OFFLINE_PAGE,
    # theme files (under the theme's static/) the worker keeps on install, by their fingerprinted address
    "OFFLINE_THEME_FILES": ["css/site.css", "js/offline.js", "js/site.js"],
}


def add_settings(settings: dict[str, Any]) -> None:
    # a new site reaches readers at once
    settings["HTTP_HEADERS_BY_PATH"].setdefault(f"/{WORKER}", {"Cache-Control": "no-cache"})


def core_files(settings: dict[str, Any]) -> list[tuple[str, Path]]:
    """(address relative to the site's root, file) of everything the worker keeps on install."""
    output = Path(settings["OUTPUT_PATH"])
    static = Path(settings["THEME"]) / "static"
    theme = settings["THEME_STATIC_DIR"]
    files = [
        (f"{theme}/{name}?v={fingerprint_of(static / name)}", output / theme / name)
        for name in settings["OFFLINE_THEME_FILES"]
    ]
    files.append((settings["OFFLINE_URL"], output / settings["OFFLINE_SAVE_AS"]))
    if (output / "favicon.svg").is_file():
        files.append(("favicon.svg", output / "favicon.svg"))
    return files


def worker_script(files: list[tuple[str, Path]], source: str) -> str:
    digest = hashlib.sha256(source.encode())
    for address, path in files:
        digest.update(address.encode() + b"\0" + path.read_bytes() + b"\0")
    version = digest.hexdigest()[:16]
    core = json.dumps([address for address, _ in files], separators=(", ", ": "))
    return source.replace('"__VERSION__"', json.dumps(version), 1).replace('["__CORE__"]', core, 1)


def write_worker(pelican: Any) -> None:
    settings = pelican.settings
    if not settings.get("OFFLINE"):
        return
    source = SOURCE.read_text(encoding="utf-8").replace('"__OFFLINE__"', json.dumps(settings["OFFLINE_URL"]), 1)
    script = worker_script(core_files(settings), source)
    (Path(pelican.output_path) / WORKER).write_text(script, encoding="utf-8")
