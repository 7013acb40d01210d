"""The Pagefind index of a written site: Pagefind's Python API (``pagefind[bin]``, its own binary, no Node).

Pagefind reads every HTML file of the site and indexes the element marked ``data-pagefind-body`` (pages
without it are left out) into ``<site>/pagefind/``: the index in chunks, and ``pagefind.js`` with its
WebAssembly, which the search page's script imports. Pagefind also writes ready-made search interfaces and a
web worker; the site uses its own interface (theme/static/js/search.js) without the worker, so they are
removed, and nothing on the site can load them by mistake. The same site gives the same files.
"""

from __future__ import annotations

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

# What Pagefind writes that the site never loads: its own interfaces, and the worker (search.js passes noWorker)
UNUSED = [
    f"pagefind-{name}"
    for name in "ui.js ui.css modular-ui.js modular-ui.css component-ui.js component-ui.css highlight.js worker.js".split()
]


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


async def _index(site: Path, bundle: Path) -> int:
    async with PagefindIndex(IndexConfig(output_path=str(bundle))) as index:
        indexed = await index.add_directory(str(site))
    return int(indexed["page_count"])


def _run_index(site: Path, bundle: Path) -> int:
    """Runs Pagefind on an event loop of its own, in a thread of its own: a thread that already runs a loop (a
    Playwright session, a notebook) cannot start another, and asyncio.run in the main thread would take Ctrl-C
    over (Pagefind's task can swallow the cancel, so the build went on and exited 0). Here Ctrl-C stops the
    waiting caller, as anywhere else in the build."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind") as pool:
        return pool.submit(lambda: asyncio.run(_index(site, bundle))).result()


def write_index(site: Path | str, bundle: str = "pagefind") -> int:
    """Indexes the site written in `site` into `site`/`bundle`/ (replacing an older index); returns how many
    pages it indexed. Safe to call from any thread, also one that runs an event loop."""
    site = Path(site).resolve()
    target = site / bundle
    for attempt in (1, 2):  # once seen under heavy load: Pagefind answered before its files were whole
        shutil.rmtree(target, ignore_errors=True)
        try:
            pages = _run_index(site, target)
        except Exception as error:  # the binary is missing, or Pagefind stopped
            raise SearchIndexError(f"Pagefind could not index the site: {error}") from error
        empty = [path.name for path in target.rglob("*") if path.is_file() and path.stat().st_size == 0]
        if not empty:
            break
        if attempt == 2:
            raise SearchIndexError(f"Pagefind wrote empty files ({', '.join(sorted(empty)[:3])}); build again")
    for name in UNUSED:
        (target / name).unlink(missing_ok=True)
    return pages
