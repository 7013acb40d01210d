"""The author's preview: builds the site, serves it on 127.0.0.1, rebuilds on every change to the
content, the theme or the settings, and reloads the open page.

- Changes are seen at once (watchfiles, which uses the operating system's file events) and the
  site is rebuilt in this process with Pelican's content cache, so an edit is served within a
  fraction of a second. Nothing slow (minifying, indexing) runs here.
- Served HTML pages get one extra script from this server, /__preview/reload.js, that listens on
  /__preview/events (server-sent events, same origin, so the site's Content-Security-Policy allows
  it) and reloads the page after each build. The files in output/ are not changed by it.
- A build that reports a problem prints it in the terminal, shows it at the top of the open page,
  and the server keeps running: fix the file and the page comes back.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

RELOAD_SCRIPT = """// Added by the preview server (preview.py), not part of the site.
const events = new EventSource("/__preview/events");
events.addEventListener("reload", () => location.reload());
events.addEventListener("problem", (event) => {
  let box = document.getElementById("preview-problem");
  if (!box) {
    box = document.createElement("pre");
    box.id = "preview-problem";
    box.setAttribute("role", "alert");
    Object.assign(box.style, { position: "fixed", inset: "0 0 auto 0", zIndex: 99, margin: 0, padding: "1rem",
      background: "#7a1410", color: "#fff", font: "0.9rem/1.4 monospace", whiteSpace: "pre-wrap" });
    document.body.prepend(box);
  }
  box.textContent = "The preview could not build the site:\\n" + event.data;
});
"""
INJECTED = b'<script type="module" src="/__preview/reload.js"></script>'


class Problems(logging.Handler):
    """Collects the warnings and errors of one build, to show them in the page as well."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class Preview:
    """Builds on change and tells every open page what happened."""

    def __init__(self, root: Path, settings_file: Path) -> None:
        self.root = root
        self.settings_file = settings_file
        self.listeners: list[queue.Queue[tuple[str, str]]] = []
        self.lock = threading.Lock()
        self.problems = Problems()
        logging.getLogger().addHandler(self.problems)
        self.pelican = self.load()

    def load(self) -> Pelican:
        overrides = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
        return Pelican(read_settings(str(self.settings_file), override=overrides))

    @property
    def output(self) -> Path:
        return Path(self.pelican.settings["OUTPUT_PATH"])

    def build(self, settings_changed: bool = False) -> None:
        with self.lock:
            self.problems.messages.clear()
            try:
                if settings_changed:
                    self.pelican = self.load()
                self.pelican.run()
            except Exception as error:  # keep serving whatever went wrong; say what it was
                logging.getLogger(__name__).error("%s", error)
            problems = "\n".join(self.problems.messages)
        self.tell(("problem", problems) if problems else ("reload", ""))

    def tell(self, event: tuple[str, str]) -> None:
        for listener in list(self.listeners):
            listener.put(event)

    def watch(self) -> None:
        from watchfiles import watch

        settings = self.pelican.settings
        paths = [settings["PATH"], settings["THEME"], str(self.settings_file)]
        for changes in watch(*paths, debounce=400, step=30):
            changed = {Path(path).resolve() for _, path in changes}
            print(f"-> changed: {', '.join(sorted(os.path.relpath(p, self.root) for p in changed))}", flush=True)
            self.build(settings_changed=self.settings_file.resolve() in changed)


class Handler(SimpleHTTPRequestHandler):
    preview: Preview

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the build messages matter
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's API name)
        if self.path == "/__preview/reload.js":
            return self.send_body(RELOAD_SCRIPT.encode(), "text/javascript")
        if self.path == "/__preview/events":
            return self.stream_events()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            html = path.read_bytes().replace(b"</head>", INJECTED + b"\n</head>", 1)
            return self.send_body(html, "text/html; charset=utf-8")
        return super().do_GET()

    def send_body(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def stream_events(self) -> None:
        listener: queue.Queue[tuple[str, str]] = queue.Queue()
        self.preview.listeners.append(listener)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                try:
                    event, data = listener.get(timeout=15)
                except queue.Empty:
                    self.wfile.write(b": still here\n\n")  # notices a closed page
                else:
                    lines = "".join(f"data: {line}\n" for line in (data or "-").splitlines())
                    self.wfile.write(f"event: {event}\n{lines}\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.preview.listeners.remove(listener)


def serve(root: Path, settings_file: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    init_logging(level=logging.WARNING)
    preview = Preview(root, settings_file)
    preview.build()
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    server = ThreadingHTTPServer((host, port), partial(handler, directory=str(preview.output)))
    server.daemon_threads = True
    threading.Thread(target=preview.watch, daemon=True).start()
    print(f"Previewing at http://{host}:{port}/ : edits to content, theme and settings reload the page "
          "(Ctrl-C stops)", flush=True)
    serve_until_stopped(server)


def serve_until_stopped(server: ThreadingHTTPServer) -> None:
    """Serves until Ctrl-C, then closes the socket quietly."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    serve(Path.cwd(), Path(sys.argv[1] if len(sys.argv) > 1 else "pelicanconf.py").resolve())
