"""Reading on all cores: the Markdown files Pelican is about to read are converted in worker processes first.

Pelican reads its files one after another, and converting Markdown is most of a cold build. So when
the articles' and the pages' generators are made (``article_generator_init``,
``page_generator_init``), the files each will read that its content cache does not hold are sent,
in small batches, to a pool of worker processes (one per core, forked: they start with the
build's settings and code, and nothing is pickled but file names and results). A worker runs the
site's reader's :meth:`~stages.markup.reader.SiteMarkdownReader.prepare` and returns plain data
(``Prepared``: the HTML, the header's values, points, exercises, mistakes), never Pelican objects.

When Pelican then reads a file, the reader :func:`take` s its prepared result (waiting for it if
its batch is not done) and only Pelican's metadata processing runs in the build's process; the
result is the same as reading it there, mistakes and their lines included. A file that changed
since it was sent (its modification time or size differ), a worker that failed, or a pool that
could not start: the file is read in the build's process, as without this module. A build that
reads fewer than ``PARALLEL_MIN_FILES`` files reads them all in its own process (starting workers
costs more than it saves).

The pool of one build lives in the setting ``MARKUP_PREPARED`` and ends at
``all_generators_finalized`` (or with :func:`stop`, which the build calls whatever happens).

A long-running caller (the preview) may also give the build a :class:`Remembered` in the setting
``MARKUP_REMEMBERED``: the prepared result of every file read, by path, modification time and
size, kept from one build to the next instead of Pelican's content cache; a file is prepared again
only when it changed. It holds the files of the last build only (:meth:`Remembered.forget_unused`),
and, the same way, each article's HTML with its points rendered by the theme (``Components``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from stages.markup.reader import Prepared, SiteMarkdownReader

logger = logging.getLogger(__name__)

KEY = "MARKUP_PREPARED"  # setting of one build: the pool and the files sent to it
REMEMBERED = "MARKUP_REMEMBERED"  # setting: a Remembered kept by the caller from build to build
TAKEN = "MARKUP_READ_IN_PARALLEL"  # setting, after the pool ends: how many files the workers read
DEFAULTS: dict[str, Any] = {
    "PARALLEL_READING": True,  # convert Markdown on all cores when a build reads many files
    "PARALLEL_MIN_FILES": 24,  # below this, one process reads faster than starting workers
    # a batch (at most 16 files) not read by then: the workers are stopped and the rest is read in the
    # build's process (a worker stuck on a lock it inherited from a thread of the parent, say: the
    # preview has threads when it forks)
    "PARALLEL_BATCH_SECONDS": 120,
}
Stamp = tuple[int, int]


def stamp_of(path: str) -> Stamp | None:
    """What tells that a file changed: its modification time (ns) and size."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


# --- in a worker process -------------------------------------------------------------------

_worker_reader: list[SiteMarkdownReader] = []  # the worker process's own reader (one per process)


def _start_worker(settings: dict[str, Any]) -> None:
    _worker_reader[:] = [SiteMarkdownReader(settings)]


def _prepare_batch(paths: list[str]) -> list[tuple[str, Stamp | None, Prepared | None]]:
    """Each file's stamp (taken before reading it) and prepared result, or None where reading failed
    (the build's process then reads it, and reports the failure as it would)."""
    reader = _worker_reader[0]
    results: list[tuple[str, Stamp | None, Prepared | None]] = []
    for path in paths:
        stamp = stamp_of(path)
        try:
            results.append((path, stamp, reader.prepare(path)))
        except Exception:
            results.append((path, stamp, None))
    return results


# --- in the build's process ----------------------------------------------------------------


class Batches:
    """The pool of one build and the files sent to it: path -> its batch's future."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.executor: ProcessPoolExecutor | None = None
        self.pending: dict[str, Future[list[tuple[str, Stamp | None, Prepared | None]]]] = {}
        self.done: dict[str, tuple[Stamp | None, Prepared | None]] = {}
        self.failed = False
        self.taken = 0  # files read from a worker's result

    def __reduce__(self) -> tuple[Any, ...]:
        # Pelican pickles the settings with its content cache (hubs and tags keep them): the pool is
        # not part of them, and is left out
        return (dict, ())

    def send(self, paths: list[str]) -> None:
        if self.failed or not paths:
            return
        try:
            if self.executor is None:
                workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
                self.executor = ProcessPoolExecutor(
                    max_workers=max(1, workers),
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_start_worker,
                    initargs=(self.settings,),
                )
                self.workers = max(1, workers)
            size = max(1, min(16, len(paths) // (self.workers * 4)))
            for start in range(0, len(paths), size):
                batch = paths[start : start + size]
                future = self.executor.submit(_prepare_batch, batch)
                for path in batch:
                    self.pending[path] = future
        except Exception as error:  # no fork, no processes: read in this process
            logger.debug("parallel reading is off: %s", error)
            self.failed = True
            self.stop()

    def take(self, path: str) -> Prepared | None:
        """The prepared result for `path` if it is still what the file holds, else None."""
        future = self.pending.pop(path, None)
        if future is not None and path not in self.done:
            try:
                for name, stamp, prepared in future.result(timeout=self.settings.get("PARALLEL_BATCH_SECONDS", 120)):
                    self.done[name] = (stamp, prepared)
            except Exception as error:  # a worker died or is stuck: read the rest in this process
                logger.debug("parallel reading stopped: %s", error)
                self.failed = True
                self.stop()
                return None
        found = self.done.pop(path, None)
        if found is None:
            return None
        stamp, prepared = found
        if prepared is None or stamp is None or stamp != stamp_of(path):
            return None
        self.taken += 1
        if not self.pending and not self.done:
            self.stop()  # every file sent was read: let the workers go
        return prepared

    def stop(self) -> None:
        if self.executor is not None:
            if self.failed:
                # a stuck worker would never end: end them all (the pool keeps its processes privately)
                processes = getattr(self.executor, "_processes", None) or {}
                for process in list(processes.values()):
                    with contextlib.suppress(Exception):
                        process.kill()
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        self.pending.clear()
        self.done.clear()


class Remembered:
    """Prepared results kept across builds (by a preview): path -> (stamp, result), for one version of the
    site's code and settings (``version``: another version forgets everything)."""

    def __init__(self) -> None:
        self.version = ""
        self.results: dict[str, tuple[Stamp, Prepared]] = {}
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0
        self.components = Components()

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, ())  # never pickled with the settings (see Batches)

    def start(self, version: str, theme: str = "") -> None:
        """A new build with code and settings `version` (and `theme`, for the filled components)."""
        self.components.start(f"{version}|{theme}")
        if version != self.version:
            self.results.clear()
            self.version = version
        self.used.clear()
        self.hits = self.misses = 0

    def get(self, path: str) -> Prepared | None:
        found = self.results.get(path)
        self.used.add(path)
        if found is not None and found[0] == stamp_of(path):
            self.hits += 1
            return found[1]
        self.misses += 1
        return None

    def put(self, path: str, stamp: Stamp | None, prepared: Prepared) -> None:
        self.used.add(path)
        if stamp is not None:
            self.results[path] = (stamp, prepared)

    def forget_unused(self) -> None:
        """Only the files the last build read are kept (a deleted or renamed file is let go of)."""
        for path in [path for path in self.results if path not in self.used]:
            del self.results[path]
        self.components.forget_unused()


class Components:
    """The HTML of articles with their point slots filled (``markup.components``), kept by the preview from one
    build to the next for one version of the theme and settings: an article's points are rendered again
    only when its text, its points or the theme changed."""

    def __init__(self) -> None:
        self.version = ""
        self.filled: dict[str, str] = {}
        self.used: set[str] = set()

    def start(self, version: str) -> None:
        if version != self.version:
            self.filled.clear()
            self.version = version
        self.used.clear()

    @staticmethod
    def _key(html: str, points: list[Any]) -> str:
        return hashlib.sha256(f"{html}\0{points!r}".encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, html: str, points: list[Any]) -> str | None:
        key = self._key(html, points)
        self.used.add(key)
        return self.filled.get(key)

    def put(self, html: str, points: list[Any], filled: str) -> None:
        key = self._key(html, points)
        self.used.add(key)
        self.filled[key] = filled

    def forget_unused(self) -> None:
        for key in [key for key in self.filled if key not in self.used]:
            del self.filled[key]


def remembered_components(settings: dict[str, Any]) -> Components | None:
    """The filled articles the caller keeps (``MARKUP_REMEMBERED``), if it keeps them."""
    remembered = settings.get(REMEMBERED)
    return remembered.components if isinstance(remembered, Remembered) else None


def take(settings: dict[str, Any], path: str) -> Prepared | None:
    """The reader's question: a prepared result for this file, remembered from the last build or made by
    a worker, if there is one that is still what the file holds."""
    path = os.path.abspath(path)
    remembered = settings.get(REMEMBERED)
    if isinstance(remembered, Remembered):
        prepared = remembered.get(path)
        if prepared is not None:
            return prepared
    batches = settings.get(KEY)
    if not isinstance(batches, Batches):
        return None
    stamp = stamp_of(path)
    prepared = batches.take(path)
    if prepared is not None and isinstance(remembered, Remembered):
        remembered.put(path, stamp, prepared)
    return prepared


def remember(settings: dict[str, Any], path: str, stamp: Stamp | None, prepared: Prepared) -> None:
    """Keeps a result prepared in the build's own process (when the caller remembers results)."""
    remembered = settings.get(REMEMBERED)
    if isinstance(remembered, Remembered):
        remembered.put(os.path.abspath(path), stamp, prepared)


def files_to_read(generator: Any, paths: Iterable[str], excludes: list[str]) -> list[str]:
    """The Markdown files `generator` will read (absolute paths, in its order) that its content cache
    does not hold."""
    site_extensions = set(SiteMarkdownReader.file_extensions)
    remembered = generator.settings.get(REMEMBERED)
    wanted = []
    for relative in generator.get_files(paths, exclude=excludes):
        if os.path.splitext(relative)[1][1:] not in site_extensions:
            continue
        path = os.path.abspath(os.path.join(generator.path, relative))
        content, _ = generator.readers.get_cached_data(path, (None, None))
        if content is not None:
            continue
        if isinstance(remembered, Remembered):
            found = remembered.results.get(path)
            if found is not None and found[0] == stamp_of(path):
                continue
        wanted.append(path)
    return wanted


def start_articles(generator: Any) -> None:
    settings = generator.settings
    _send(settings, files_to_read(generator, settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]))


def start_pages(generator: Any) -> None:
    settings = generator.settings
    _send(settings, files_to_read(generator, settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"]))


def _send(settings: dict[str, Any], paths: list[str]) -> None:
    if not settings.get("PARALLEL_READING", True):
        return
    batches = settings.get(KEY)
    if not isinstance(batches, Batches):
        if len(paths) < settings.get("PARALLEL_MIN_FILES", 0):
            return
        batches = settings[KEY] = Batches(settings)
    batches.send(paths)


def stop(settings: dict[str, Any]) -> int:
    """Ends the build's pool (any files not taken yet are read in this process); returns how many files
    were read from the workers' results (also kept in the setting ``MARKUP_READ_IN_PARALLEL``)."""
    batches = settings.pop(KEY, None)
    if isinstance(batches, Batches):
        batches.stop()
        settings[TAKEN] = settings.get(TAKEN, 0) + batches.taken
    return int(settings.get(TAKEN, 0))


def finish(generators: list[Any]) -> None:
    if generators:
        stop(generators[0].settings)


def apply_defaults(pelican: Any) -> None:
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)
