"""The development preview behind `make serve`: builds the site, serves it on 127.0.0.1, rebuilds on every
save and reloads the open page. It never shows a stale or broken page without saying so.

- Each build goes into a folder of its own under ``.preview/`` (never output/, which only
  `make build` writes); when it succeeds the server switches to it in one step, so a page is
  never served half-written, and a page whose address changed or whose file was deleted is gone (404).
- Each build after the first reads again only the files saved since: the others' articles and pages come
  from Pelican's generator-layer cache (``tools.build.settings_for``), as in `make build`. Before the build
  starts, the page of each saved article or page is made again with the last good build's templates and
  context and shown at once, if its reading and its links report no problem (``Preview.render_saved``,
  Hugo's "fast render"). In the build, the pages of the files saved, the pages listing them (their hub) and
  the pages open in a browser are written first and shown at once (each replaced in one step,
  ``FirstWriter``); the rest of the site follows, then the switch to the new folder.
  ``/__preview/status`` tells what the last build did (``last_build``).
- A request never gets a page older than the last save without being told: while a save is not yet
  built (a file under content/ or theme/, or a settings file, is newer than the start of the last
  build), the request waits for the build; if it takes longer than ``WAIT_SECONDS`` the page is served
  with a notice that the preview is updating, and reloads when the build is done.
- While the last save has a mistake, every HTML page served (a reload, a page opened later) begins
  with a notice naming each problem's file and line; the last good build is served under it. The
  next good build removes it. The notice is announced to screen readers and reachable by keyboard.
- Open pages reload after each build through server-sent events (/__preview/events, same origin,
  so the site's Content-Security-Policy allows it); the files on disk are never changed for it.
- Saves are seen by watching the folders (content/, theme/, plugins/ and the settings files'
  folder), so editors that save by replacing the file are seen too. A change to a plugin restarts
  the server process, so that the new code runs.
- Search and offline reading are the published site's: the preview does not index the site on every save
  (``SEARCH_INDEX: False``) but when the search page, or the index itself, is first asked for after a build
  (``stages.search.index.write_index``, about as long as a build); it registers no service worker
  (``OFFLINE: False``), and the site's script removes one left at this address by ``invoke production --serve``.
- Hardened for a server on a developer's machine: it answers only on 127.0.0.1 and only to a
  Host header naming it (no DNS rebinding), lists no folders, follows no link out of the site,
  answers HEAD like GET, refuses NUL bytes (400) and very long paths (414), drops idle
  connections, caps live-reload connections, and serves the site's own 404 page.

``python -m tools.devserver [--port 8000] [--static FOLDER]``: with ``--static`` it only serves a
built folder (``invoke production --serve``), with the same hardening and no rebuilds.
"""

from __future__ import annotations

import argparse
import errno
import gc
import html
import json
import logging
import mimetypes
import os
import posixpath
import queue
import select
import shutil
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.writers import Writer

from stages.checks.links import find_broken_links
from stages.checks.problems import Problem, ProblemCollector
from stages.markup.components import COMPONENT, fill_slots
from stages.pelican_compat import (
    all_items,
    clear_memoized_caches,
    content_html,
    replace_content_html,
    reset_log_deduplication,
)
from stages.search.index import SearchIndexError, write_index
from tools.build import DEVELOPMENT, PREVIEW_SETTINGS, ROOT, run_pelican, settings_for

PREVIEW = ROOT / ".preview"
MAX_PATH = 2048
MAX_LISTENERS = 32
IDLE_SECONDS = 15
WAIT_SECONDS = 20  # a request waits this long for the build of a save, then gets the old page with a notice
WATCHED = (ROOT / "content", ROOT / "theme")  # and the settings files: a save there is rebuilt
PREFIX = "/__preview/"
SEARCH_PATHS = ("/search.html", "/pagefind/")

RELOAD_SCRIPT = """// Added by the preview server (tools/devserver.py), not part of the site.
const events = new EventSource("/__preview/events?page=" + encodeURIComponent(location.pathname));
events.addEventListener("reload", () => location.reload());
"""
NOTICE_CSS = """/* Added by the preview server (tools/devserver.py), not part of the site. */
.preview-problems { margin: 0; padding: 1rem; background: #7a1410; color: #fff;
  font: 1rem/1.5 system-ui, sans-serif; border-bottom: 4px solid #ffdd57; }
.preview-problems h2 { margin: 0 0 0.5rem; font-size: 1.15rem; color: #fff; }
.preview-problems ul { margin: 0 0 0.5rem; padding-left: 1.25rem; }
.preview-problems code { font: 0.95rem/1.4 ui-monospace, monospace; overflow-wrap: anywhere; }
.preview-problems p { margin: 0; }
.preview-problems:focus { outline: 3px solid #ffdd57; outline-offset: -3px; }
@media print { .preview-problems { display: none; } }
"""
HEAD_ADDITIONS = (
    b'<link rel="stylesheet" href="/__preview/preview.css"><script type="module" src="/__preview/reload.js"></script>'
)


UPDATING = (
    b'<section id="preview-updating" class="preview-problems" role="status"><h2>The preview is updating</h2>'
    b"<p>This page is from before your last save; it reloads by itself when the new build is ready.</p></section>"
)


def newest_change(folders: tuple[Path, ...] = WATCHED, files: tuple[Path, ...] = (DEVELOPMENT,)) -> float:
    """The latest modification time of a file the preview builds from (a few milliseconds for 1,000 files)."""
    newest = max((path.stat().st_mtime for path in files if path.exists()), default=0.0)
    for folder in folders:
        for root, _, names in os.walk(folder):
            newest = max([newest, os.stat(root).st_mtime, *(os.stat(os.path.join(root, n)).st_mtime for n in names)])
    return newest


def saved_since(when: float, folder: Path = ROOT / "content") -> set[Path]:
    """The files under `folder` modified after `when` (whether the watcher or a request asked for the build)."""
    return {
        Path(root, name)
        for root, _, names in os.walk(folder)
        for name in names
        if os.stat(os.path.join(root, name)).st_mtime > when
    }


def notice(problems: list[Problem]) -> bytes:
    """The notice every page starts with while the last build has problems."""
    errors = [p for p in problems if p.severity == "error" or not p.path]
    title = (
        f"The preview could not build the site: {len(errors)} problem{'s' * (len(errors) != 1)}"
        if errors
        else f"The build has {len(problems)} warning{'s' * (len(problems) != 1)}"
    )
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
    after = (
        "This page shows the last build that worked. Fix the file and save: the page reloads by itself."
        if errors
        else "The site built; these are worth a look before you publish."
    )
    return (
        f'<section id="preview-problems" class="preview-problems" role="alert" tabindex="0" '
        f'aria-labelledby="preview-problems-title"><h2 id="preview-problems-title">{html.escape(title)}</h2>'
        f"<ul>{items}</ul><p>{after}</p></section>"
    ).encode()


class FirstWriter(Writer):
    """Pelican's writer, for the preview: the pages wanted first (open in a browser, made from a file saved since the
    last build, or listing one: its hub) are written and shown at once (``Preview.show_early``); the others are
    written once Pelican has asked for every page (``page_writer_finalized``), with the same context, before any
    ``finalized`` handler."""

    preview: Preview

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.later: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.open = set(self.preview.open_pages.values())  # the pages open when the build started
        self.saved: dict[str, bool] = {}  # source file → saved since the last build

    def is_saved(self, item: Any) -> bool:
        if item.source_path not in self.saved:
            self.saved[item.source_path] = os.stat(item.source_path).st_mtime > self.preview.built_from
        return self.saved[item.source_path]

    def write_file(self, name: str, template: Any, context: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        items = [kwargs.get("article") or kwargs.get("page"), *(kwargs.get("articles") or ())]
        if not name or not (name in self.open or any(item is not None and self.is_saved(item) for item in items)):
            self.later.append(((name, template, context, *args), kwargs))
            return
        super().write_file(name, template, context, *args, **kwargs)
        self.preview.show_early(name)

    def write_the_rest(self) -> None:
        while self.later:
            args, kwargs = self.later.pop(0)
            super().write_file(*args, **kwargs)


class Preview:
    """Builds on change into .preview/build-N/ and knows which build is served and what went wrong."""

    def __init__(self, settings_file: Path = DEVELOPMENT, folder: Path = PREVIEW) -> None:
        self.settings_file = settings_file
        self.folder = folder
        self.current: Path | None = None
        self.problems: list[Problem] = []
        self.generation = 0
        self.building = False
        self.finished = 0.0
        self.built_from = -1.0  # the newest file time when the last finished build started: later saves are not in it
        self.running_from = -1.0  # the same for the running build
        self.lock = threading.Lock()
        self.done = threading.Condition()  # notified when a build ends
        self.index_lock = threading.Lock()
        self.wake: queue.Queue[set[Path]] = queue.Queue()  # saves (from the watcher, or seen by a request)
        self.listeners: list[queue.Queue[str]] = []
        self.open_pages: dict[queue.Queue[str], str] = {}  # each open page's file, e.g. natural-pain-relief.html
        self.early: set[str] = set()  # files of the running build already shown (FirstWriter)
        self.target: Path | None = None  # the running build's folder
        self.writer = type("PreviewWriter", (FirstWriter,), {"preview": self})
        self.generators: list[Any] = []  # the last good build's article and page generators (``render_saved``)
        self.running: list[Any] = []  # the same for the running build
        signals.get_writer.connect(self.writer_for)
        signals.page_writer_finalized.connect(self.write_the_rest)
        signals.all_generators_finalized.connect(self.keep_generators)
        self.last: dict[str, Any] = {}
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def build(self) -> None:
        with self.lock:
            with self.done:
                self.building = True
            started = self.running_from = newest_change(files=(self.settings_file,))  # the saves this build reads
            self.generation += 1
            target = self.target = self.folder / f"build-{self.generation}"
            self.render_saved(saved_since(self.built_from) if self.current else set())
            result = run_pelican(settings_for(self.settings_file, target, PREVIEW_SETTINGS))
            good = not result.failed
            self.generators, self.running = (self.running if good else self.generators), []
            # A build leaves its pages, generators and readers in reference cycles, which Python's cyclic
            # collector frees only on its rare full collections: between them the heap, and so the
            # process's resident memory, grew by a build's worth or two (benchmarks/preview_memory.py).
            gc.collect()
            if good or self.current is None:
                previous, self.current = self.current, target  # the switch: one assignment
                if previous is not None:
                    threading.Timer(5, shutil.rmtree, (previous,), {"ignore_errors": True}).start()
            else:
                shutil.rmtree(target, ignore_errors=True)
            self.problems = result.problems
            self.last = {"seconds": round(result.seconds, 3)}
            with self.done:
                self.building, self.target = False, None
                self.early.clear()
                self.finished = time.time()
                self.built_from = started
                self.done.notify_all()
        count = len(result.problems)
        state = "built" if good else f"{count} problem{'' if count == 1 else 's'}"
        print(f"[{time.strftime('%H:%M:%S')}] {state} in {result.seconds:.2f} s", flush=True)
        for problem in result.problems:
            print(f"  {problem}", flush=True)
        self.tell("reload")

    def keep_generators(self, generators: list[Any]) -> None:
        if self.target and generators and generators[0].output_path == str(self.target):
            self.running = [g for g in generators if isinstance(g, (ArticlesGenerator, PagesGenerator))]

    def render_saved(self, saved: set[Path]) -> None:
        """Hugo's "fast render": each saved article or page that the last good build made is read again (checked as
        in a build) and its page rendered with that build's templates and context, then shown before the build
        starts; the build replaces it a moment later, with every other page. A file whose reading reports any
        problem or a broken link, or whose address or status changed, waits for the build (which reports it). The
        checks across the whole site (a hub's spelling, a link to a draft: warnings in the preview) come with the
        build, a few seconds later, and then show on every page."""
        collector = ProblemCollector()
        root = logging.getLogger()
        root.addHandler(collector)
        reset_log_deduplication()
        files = {str(path) for path in saved} | {os.path.realpath(path) for path in saved}
        try:
            for generator in self.generators:
                for old in all_items(generator):
                    if self.current is not None and old.source_path in files:
                        collector.clear()
                        page = self.render_again(generator, old, collector)
                        html = (self.folder / "early" / page).read_text(encoding="utf-8") if page else ""
                        if page and not find_broken_links(self.current, "", {page: html}):
                            self.show_early(page, self.folder / "early")
        except Exception:  # whatever went wrong, the build that follows reports it
            pass
        finally:
            root.removeHandler(collector)
            clear_memoized_caches()

    @staticmethod
    def render_again(generator: Any, old: Any, collector: ProblemCollector) -> str:
        """Writes `old`'s page from its file as it is now into .preview/early/; its name, or "" when it must wait."""
        new = generator.readers.read_file(
            base_path=generator.path,
            path=os.path.relpath(old.source_path, generator.path),
            content_class=type(old),
            context=generator.context,
        )
        if collector.problems or collector.foreign or (new.save_as, new.status) != (old.save_as, old.status):
            return ""
        for key, value in vars(old).items():  # what the stages added after reading (the hub's neighbours)
            if key not in old.metadata:
                new.__dict__.setdefault(key, value)
        if "data-point-slot" in content_html(new):
            macro = generator.get_template(COMPONENT.removesuffix(".html")).module.point
            replace_content_html(new, fill_slots(content_html(new), new.metadata.get("points") or [], macro))
        new.refresh_metadata_intersite_links()
        kind = "article" if isinstance(new, Article) else "page"
        extra = {"category": getattr(new, "category", None), "blog": True} if kind == "article" else {}
        Writer(str(Path(generator.output_path).parent / "early"), settings=generator.settings).write_file(
            new.save_as,
            generator.get_template(new.template),
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            override_output=hasattr(new, "override_save_as"),
            url=new.url,
            **{kind: new},
            **extra,
        )
        return str(new.save_as)

    def writer_for(self, pelican: Any) -> type[Writer] | None:
        return self.writer if self.target and pelican.output_path == str(self.target) else None

    def write_the_rest(self, _: Any, writer: Writer) -> None:
        if isinstance(writer, FirstWriter):
            writer.write_the_rest()

    def show_early(self, name: str, source: Path | None = None) -> None:
        """Puts a page of the running build (or of `source`) in the served folder at once (replaced in one step) and
        reloads it."""
        source = source or self.target
        if self.current is None or source is None:
            return
        served = self.current / name
        served.parent.mkdir(parents=True, exist_ok=True)
        partial = served.with_name(f".{served.name}.early")
        shutil.copyfile(source / name, partial)
        os.replace(partial, served)
        with self.done:
            self.early.add(name)
            self.done.notify_all()
        self.tell("reload", name)

    def up_to_date(self, name: str = "", timeout: float = WAIT_SECONDS) -> bool:
        """Waits until the served build holds every save, or until the running build has shown the file `name`
        (asking for a build when the watcher has not yet seen the save); False after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.done:
            while True:
                newest = newest_change(files=(self.settings_file,))
                if newest <= (self.running_from if self.building and name in self.early else self.built_from):
                    return True  # (a page the running build showed is good if that build read every save)
                if not self.building:
                    self.wake.put(set())
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.done.wait(min(remaining, 1))

    def index_for_search(self, root: Path) -> None:
        """Indexes the served build for the site's search, once (the first time its search page is asked for)."""
        with self.index_lock:
            if (root / "pagefind" / "pagefind-entry.json").is_file() or not (root / "search.html").is_file():
                return
            started = time.perf_counter()
            try:
                pages = write_index(root)
            except SearchIndexError as error:
                print(f"  search: {error}", flush=True)
                return
            print(
                f"[{time.strftime('%H:%M:%S')}] indexed {pages} pages for search in "
                f"{time.perf_counter() - started:.2f} s",
                flush=True,
            )

    def tell(self, event: str, page: str | None = None) -> None:
        for listener in list(self.listeners):
            if page is None or self.open_pages.get(listener) == page:
                listener.put(event)

    def status(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "building": self.building,
            "ok": not any(p.severity == "error" or not p.path for p in self.problems),
            "problems": [str(p) for p in self.problems],
            "finished": self.finished,
            "listeners": len(self.listeners),
            # the last build: its seconds, files read, pages rendered, pages taken unchanged, pages link-checked
            "last_build": self.last,
            "current": self.current.name if self.current else None,  # the served build's folder
            # for benchmarks/preview_memory.py: Python's own live memory blocks and threads, beside the RSS
            "python_blocks": sys.getallocatedblocks(),
            "threads": threading.active_count(),
        }

    def watch(self, stop: threading.Event) -> None:
        """Rebuilds after each save; restarts the process when the site's code changes."""
        from watchfiles import watch  # noqa: PLC0415

        settings_names = {"pelicanconf.py", "publishconf.py"}
        ignored = (PREVIEW, ROOT / "output", ROOT / "cache", ROOT / ".venv", ROOT / ".git")

        def wanted(_: Any, path: str) -> bool:
            where = Path(path)
            if any(where.is_relative_to(folder) for folder in ignored) or "__pycache__" in where.parts:
                return False
            if where.parent == ROOT:
                return where.name in settings_names
            return not where.name.endswith((".swp", ".swx", "~")) and not where.name.startswith(".#")

        folders = [ROOT / "content", ROOT / "theme", ROOT / "plugins", ROOT / "tools"]
        watchers = [(folders, True), ([ROOT], False)]
        changes = self.wake

        def run(paths: list[Path], recursive: bool) -> None:
            for batch in watch(
                *[p for p in paths if p.exists()],
                watch_filter=wanted,
                recursive=recursive,
                debounce=150,
                step=20,
                stop_event=stop,
                raise_interrupt=False,
            ):
                changes.put({Path(path) for _, path in batch})

        for paths, recursive in watchers:
            threading.Thread(target=run, args=(paths, recursive), daemon=True).start()
        while not stop.is_set():
            try:
                changed = changes.get(timeout=0.5)
            except queue.Empty:
                continue
            while not changes.empty():  # saves that came together build once
                changed |= changes.get()
            names = ", ".join(sorted(os.path.relpath(p, ROOT) for p in changed))
            if names:
                print(f"-> changed: {names}", flush=True)
            if any(
                p.suffix == ".py" and (p.is_relative_to(ROOT / "plugins") or p.is_relative_to(ROOT / "tools"))
                for p in changed
            ):
                print("   the site's code changed: restarting the preview", flush=True)
                restart()
            if all(p.exists() and p.stat().st_mtime <= self.built_from for p in changed) and (
                newest_change(files=(self.settings_file,)) <= self.built_from
            ):
                continue  # already built (a request asked for the build before the watcher saw the save)
            self.build()


def restart() -> None:
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


class Handler(BaseHTTPRequestHandler):
    """Serves one folder (the current build) safely; HTML gets the reload script and any notice."""

    server_version = "preview"
    sys_version = ""
    timeout = IDLE_SECONDS  # an idle connection is closed, so it cannot hold a thread
    protocol_version = "HTTP/1.1"
    preview: Preview | None = None
    stale = False  # this answer is from before the last save (the build took longer than WAIT_SECONDS)
    static_root: Path | None = None
    allowed_hosts: ClassVar[set[str]] = set()

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the build's messages matter
        pass

    @property
    def root(self) -> Path | None:
        return self.preview.current if self.preview else self.static_root

    def do_HEAD(self) -> None:
        self.answer(head=True)

    def do_GET(self) -> None:
        self.answer(head=False)

    def answer(self, head: bool) -> None:
        if self.headers.get("Host", "").lower() not in self.allowed_hosts:
            return self.send_text(403, "Forbidden: this preview answers only to its own address.\n", head)
        if "\0" in self.path or "%00" in self.path.lower():
            return self.send_text(400, "Bad request\n", head)
        if len(self.path) > MAX_PATH:
            return self.send_text(414, "URI too long\n", head)
        path = urlsplit(self.path).path
        if self.preview is not None and path.startswith(PREFIX):
            return self.preview_file(path[len(PREFIX) :], head)
        name = unquote(path).lstrip("/") + ("index.html" if path.endswith("/") else "")
        self.stale = self.preview is not None and not self.preview.up_to_date(name)
        root = self.root
        if root is None:
            return self.send_text(503, "The preview is building the site…\n", head)
        if self.preview is not None and path.startswith(SEARCH_PATHS):
            self.preview.index_for_search(root)
        file = self.resolve(root, path)
        if file is not None and file.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            file = file / "index.html"
        if file is None or not file.is_file():
            missing = root / "404.html"
            if missing.is_file():
                return self.send_file(missing, 404, head)
            return self.send_text(404, "Not found\n", head)
        return self.send_file(file, 200, head)

    @staticmethod
    def resolve(root: Path, path: str) -> Path | None:
        """The file under `root` a URL path names, or None when it would leave `root` (also by a link)."""
        parts = [part for part in posixpath.normpath(unquote(path)).split("/") if part not in ("", ".")]
        if ".." in parts:
            return None
        candidate = root.joinpath(*parts)
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        return candidate if real == root.resolve() or real.is_relative_to(root.resolve()) else None

    def send_file(self, file: Path, status: int, head: bool) -> None:
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = self.decorate(body)
            kind = "text/html; charset=utf-8"
        elif kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml", "application/xml"):
            kind += "; charset=utf-8"
        self.send_body(status, body, kind, head)

    def decorate(self, body: bytes) -> bytes:
        if self.preview is None:
            return body
        body = body.replace(b"</head>", HEAD_ADDITIONS + b"\n</head>", 1)
        problems = self.preview.problems
        if problems or self.stale:
            start = body.find(b"<body")
            end = body.find(b">", start) + 1 if start >= 0 else 0
            added = (UPDATING if self.stale else b"") + (notice(problems) if problems else b"")
            body = body[:end] + b"\n" + added + body[end:]
        return body

    def preview_file(self, name: str, head: bool) -> None:
        assert self.preview is not None
        if name == "reload.js":
            return self.send_body(200, RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8", head)
        if name == "preview.css":
            return self.send_body(200, NOTICE_CSS.encode(), "text/css; charset=utf-8", head)
        if name == "status":
            return self.send_body(200, json.dumps(self.preview.status()).encode(), "application/json", head)
        if name == "events" and not head:
            return self.stream_events()
        return self.send_text(404, "Not found\n", head)

    def send_text(self, status: int, text: str, head: bool) -> None:
        self.send_body(status, text.encode(), "text/plain; charset=utf-8", head)

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_body(self, status: int, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def stream_events(self) -> None:
        assert self.preview is not None
        listeners = self.preview.listeners
        if len(listeners) >= MAX_LISTENERS:
            return self.send_text(503, "Too many open pages\n", False)
        listener: queue.Queue[str] = queue.Queue()
        page = parse_qs(urlsplit(self.path).query).get("page", ["/"])[0]
        self.preview.open_pages[listener] = unquote(page).lstrip("/") + ("index.html" if page.endswith("/") else "")
        listeners.append(listener)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            quiet = 0.0
            while not self.peer_closed():
                try:
                    event = listener.get(timeout=1)
                except queue.Empty:
                    quiet += 1
                    if quiet >= IDLE_SECONDS - 5:
                        self.wfile.write(b": still here\n\n")  # keeps proxies from closing it
                        self.wfile.flush()
                        quiet = 0
                    continue
                self.wfile.write(f"event: {event}\ndata: -\n\n".encode())
                self.wfile.flush()
        except OSError:
            pass
        finally:
            listeners.remove(listener)
            self.preview.open_pages.pop(listener, None)

    def peer_closed(self) -> bool:
        """Whether the page went away (its end of the connection is readable and empty)."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page closed before its answer was sent (a reload, a tab closed) is no news: the build's messages
        must not drown in tracebacks. Anything else is printed as socketserver does."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def make_server(host: str, port: int, handler: type[Handler]) -> ThreadingHTTPServer:
    names = {host, "localhost", "127.0.0.1"}
    handler.allowed_hosts = {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())
    return QuietServer((host, port), handler)


def serve(port: int = 8000, host: str = "127.0.0.1", static: Path | None = None) -> int:
    """Runs the preview (or, with `static`, a plain server of a built folder) until Ctrl-C."""
    attributes: dict[str, Any] = {}
    preview = None
    if static is None:
        preview = Preview()
        attributes["preview"] = preview
    else:
        attributes["static_root"] = static.resolve()
    handler = type("SiteHandler", (Handler,), attributes)
    try:
        server = make_server(host, port, handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            sys.stderr.write(f"Port {port} is in use (another preview?); try `make serve PORT={port + 1}`.\n")
            return 1
        raise
    stop = threading.Event()
    signal.signal(signal.SIGTERM, stop_on_signal)
    try:
        if preview is not None:
            print("Building the site…", flush=True)
            preview.build()
            threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
            what = "edits to content, theme and settings rebuild it and reload the page"
        else:
            what = f"serving {static}"
        print(f"Previewing at http://{host}:{port}/ : {what} (Ctrl-C stops)", flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        stop.set()
        server.server_close()
    return 0


def stop_on_signal(*_: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.devserver", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--static", type=Path, help="only serve this built folder (no rebuilds)")
    args = parser.parse_args(argv)
    try:
        return serve(args.port, static=args.static)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
