"""The preview (`make serve`) never lies: it rebuilds on every save, shows every problem on every page until it is
fixed, never serves a half-written or stale page, never writes output/, and is safe to run on a laptop."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import (
    ARTICLE,
    ROOT,
    TEST_PREFIX,
    WIDE_LOG_ENV,
    add_file,
    build,
    copy_project,
    fetch,
    free_port,
    running,
    served,
    snapshot,
    with_make,
    zq_article,
)

pytestmark = pytest.mark.slow
PAGE = f"{TEST_PREFIX}preview.html"


class Preview:
    def __init__(self, project: Path, process: subprocess.Popen, port: int) -> None:
        self.project, self.process, self.port = project, process, port
        self.base = f"http://127.0.0.1:{port}/"

    def status(self) -> dict:
        return json.loads(fetch(self.base + "__preview/status")[2])

    def save(self, relative: str, text: str) -> None:
        """Saves a file and waits until the preview has built it."""
        before = self.status()["generation"]
        add_file(self.project, relative, text)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = self.status()
            if state["generation"] > before and not state["building"]:
                return
            time.sleep(0.05)
        pytest.fail("the preview never rebuilt:\n" + "".join(self.process.log))

    def get(self, path: str, **options):
        return fetch(self.base + path, **options)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = with_make(copy_project(tmp_path_factory.mktemp("preview") / "project"))
    add_file(project, f"content/{TEST_PREFIX}preview.md", zq_article("preview", "The first version.\n"))
    port = free_port()
    with running(["make", "--no-print-directory", "serve", f"PORT={port}"], project) as process:
        served(f"http://127.0.0.1:{port}/{PAGE}", process, "The first version.")
        yield Preview(project, process, port)


def test_the_preview_builds_into_its_own_folder_and_never_writes_output(preview):
    assert not (preview.project / "output").exists()
    assert (preview.project / ".preview").is_dir()


def test_a_mistake_is_shown_on_every_page_served_until_it_is_fixed(preview):
    good = zq_article("preview", "The first version.\n")
    preview.save(f"content/{TEST_PREFIX}preview.md", good + "\nPoint: K1\nWere: the sole\n")
    for page in (PAGE, "index.html", ARTICLE, "no-such-page.html"):  # fresh loads, pages opened later, a 404
        _, _, body = preview.get(page)
        html = body.decode()
        assert 'id="preview-problems"' in html and 'role="alert"' in html, page
        assert f"content/{TEST_PREFIX}preview.md:9: unknown key &#x27;Were:&#x27;" in html, page
    assert "The first version." in preview.get(PAGE)[2].decode(), "the last good build is shown under the notice"
    # saved again, still with the mistake (and a note left in content/, a warning): both still shown
    add_file(preview.project, f"content/{TEST_PREFIX}note.txt", "a note to self\n")
    preview.save(f"content/{TEST_PREFIX}preview.md", good + "\nPoint: K1\nWere: the sole\n\nMore text.\n")
    html = preview.get(PAGE)[2].decode()
    assert f"content/{TEST_PREFIX}preview.md:9: unknown key" in html
    assert f"content/{TEST_PREFIX}note.txt: warning: is not used by the site" in html
    preview.save(f"content/{TEST_PREFIX}preview.md", good + "\nPoint: K1\nWere: the sole\n\nMore text, again.\n")
    assert f"content/{TEST_PREFIX}note.txt: warning: is not used by the site" in preview.get(PAGE)[2].decode()
    (preview.project / "content" / f"{TEST_PREFIX}note.txt").unlink()
    assert f"content/{TEST_PREFIX}preview.md:9: unknown key 'Were:'" in "".join(preview.process.log)
    preview.save(f"content/{TEST_PREFIX}preview.md", good.replace("first", "second"))
    for page in (PAGE, "index.html"):
        html = preview.get(page)[2].decode()
        assert "preview-problems" not in html, page
    assert "The second version." in preview.get(PAGE)[2].decode()


def test_a_page_asked_for_right_after_a_save_is_the_saved_one_or_says_it_is_updating(preview):
    for n in range(3):  # asked for at once, before the watcher has seen the save
        add_file(preview.project, f"content/{TEST_PREFIX}preview.md", zq_article("preview", f"Saved version {n}.\n"))
        html = preview.get(PAGE)[2].decode()
        assert f"Saved version {n}." in html or 'id="preview-updating"' in html, html[:2000]


def test_a_renamed_page_disappears_from_the_preview(preview):
    source = f"content/{TEST_PREFIX}renamed.md"
    preview.save(source, zq_article("renamed"))
    assert preview.get(f"{TEST_PREFIX}renamed.html")[0] == 200
    preview.save(source, zq_article("renamed").replace(f"Slug: {TEST_PREFIX}renamed", f"Slug: {TEST_PREFIX}new-name"))
    assert preview.get(f"{TEST_PREFIX}renamed.html")[0] == 404
    assert preview.get(f"{TEST_PREFIX}new-name.html")[0] == 200
    before = preview.status()["generation"]
    (preview.project / source).unlink()
    while preview.status()["generation"] == before or preview.status()["building"]:
        time.sleep(0.05)
    assert preview.get(f"{TEST_PREFIX}new-name.html")[0] == 404


def test_a_page_is_never_served_half_written_or_empty_while_the_site_rebuilds(preview):
    source = f"content/{TEST_PREFIX}busy.md"
    add_file(preview.project, source, zq_article("busy", "Version 0.\n"))
    seen, saves, next_save, deadline = 0, 0, time.monotonic(), time.monotonic() + 180
    while (saves < 20 or seen < 20) and time.monotonic() < deadline:  # a request may wait for a save's build
        if saves < 20 and time.monotonic() >= next_save:
            add_file(preview.project, source, zq_article("busy", f"Version {saves}.\n"))
            saves, next_save = saves + 1, time.monotonic() + 0.3
        status, _, body = preview.get(f"{TEST_PREFIX}busy.html")
        if status == 404:  # not built yet
            continue
        html = body.decode()
        assert status == 200 and html.rstrip().endswith("</html>") and "<main" in html, html[-200:]
        seen += 1
    assert seen >= 20 and saves == 20


def test_a_page_shown_first_changes_nothing_the_whole_build_is_the_same_as_a_full_build(preview, tmp_path):
    preview.save(f"content/{TEST_PREFIX}first.md", zq_article("first", "Shown before the rest of the site.\n"))
    served = preview.project / ".preview" / preview.status()["current"]
    result = build(preview.project, tmp_path / "full", 'SITEURL=""', "SEARCH_INDEX=false", "OFFLINE=false")
    assert result.returncode == 0, result.stderr
    kept = {name: digest for name, digest in snapshot(served).items() if not name.startswith("pagefind/")}
    assert kept == snapshot(tmp_path / "full")


def test_saving_the_settings_by_replacing_the_file_is_seen(preview):
    settings = preview.project / "pelicanconf.py"
    before = preview.status()["generation"]
    text = settings.read_text().replace('SITENAME = "The Energy Healing Site"', 'SITENAME = "Zq Renamed Site"')
    replacement = settings.with_name("pelicanconf.py.zq-tmp")
    replacement.write_text(text)
    os.replace(replacement, settings)  # how vim, sed -i and many editors save
    deadline = time.monotonic() + 60
    while (preview.status()["generation"] == before or preview.status()["building"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "Zq Renamed Site" in preview.get("index.html")[2].decode()


def test_a_save_does_not_wait_for_the_search_index_which_is_made_when_search_is_opened(preview):
    """The preview builds without the index (SEARCH_INDEX off) and indexes the served build on demand."""
    preview.save(f"content/{TEST_PREFIX}findable.md", zq_article("findable", "A zqpreviewword here.\n"))
    build = preview.project / ".preview" / f"build-{preview.status()['generation']}"
    assert (build / f"{TEST_PREFIX}findable.html").is_file() and not (build / "pagefind").exists()
    status, _, body = preview.get("search.html")
    assert status == 200 and b"data-search=" in body
    assert (build / "pagefind" / "pagefind-entry.json").is_file()
    status, headers, _ = preview.get("pagefind/pagefind.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert any("indexed" in line and "for search" in line for line in preview.process.log)


def test_the_preview_registers_no_service_worker(preview):
    html = preview.get("index.html")[2].decode()
    assert 'data-site-root="./"' in html and "data-offline-reading" not in html
    assert "/js/offline.js?v=" in html  # which removes a worker left at this address by another build
    assert preview.get("sw.js")[0] == 404


# --- a local server that cannot be turned against its user -------------------------------------


def test_only_its_own_address_is_answered(preview):
    assert preview.get("index.html", headers={"Host": f"evil.example:{preview.port}"})[0] == 403
    assert preview.get("index.html", headers={"Host": f"localhost:{preview.port}"})[0] == 200


def test_no_folder_is_listed_and_missing_files_get_the_sites_404_page(preview):
    status, _, body = preview.get("images/")
    assert status == 404 and b"Index of" not in body and b"Page not found" in body


def test_no_link_leads_out_of_the_site(preview, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-serve")
    current = max((preview.project / ".preview").glob("build-*"), key=lambda p: int(p.name.split("-")[1]))
    (current / f"{TEST_PREFIX}link.txt").symlink_to(secret)
    for path in (f"{TEST_PREFIX}link.txt", "../../secret.txt", "%2e%2e/%2e%2e/etc/passwd", "..%2f..%2fetc%2fpasswd"):
        status, _, body = preview.get(path)
        assert status in (400, 404) and b"do-not-serve" not in body and b"root:" not in body, path


def test_head_answers_like_get(preview):
    _, get_headers, body = preview.get(ARTICLE)
    status, head_headers, head_body = preview.get(ARTICLE, method="HEAD")
    assert status == 200 and head_body == b""
    assert head_headers["Content-Length"] == get_headers["Content-Length"] == str(len(body))


def test_bad_requests_get_an_answer_not_a_traceback(preview):
    assert preview.get("index.html%00.txt")[0] == 400
    assert preview.get("x" * 5000)[0] == 414
    assert "Traceback" not in "".join(preview.process.log)


def test_an_idle_connection_does_not_stop_the_server(preview):
    idle = socket.create_connection(("127.0.0.1", preview.port))
    try:
        started = time.monotonic()
        assert preview.get("index.html", timeout=5)[0] == 200
        assert time.monotonic() - started < 5
    finally:
        idle.close()


def test_live_reload_connections_are_capped(preview):
    streams = []
    try:
        for _ in range(40):
            sock = socket.create_connection(("127.0.0.1", preview.port))
            sock.sendall(f"GET /__preview/events HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n".encode())
            streams.append(sock)
        answers = []
        for sock in streams:
            sock.settimeout(5)
            answers.append(sock.recv(64))
        assert sum(b" 200 " in a for a in answers) == 32 and sum(b" 503 " in a for a in answers) == 8
    finally:
        for sock in streams:
            sock.close()
    deadline = time.monotonic() + 10
    while preview.status()["listeners"]:  # closed pages are let go of at once
        assert time.monotonic() < deadline, preview.status()
        time.sleep(0.1)


# --- starting and stopping ------------------------------------------------------------------


def test_a_busy_port_is_one_clear_line_and_a_failure(tmp_path):
    project = with_make(copy_project(tmp_path / "project"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            ["make", "--no-print-directory", "serve", f"PORT={port}"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"Port {port} is in use (another preview?); try `make serve PORT={port + 1}`." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_ctrl_c_stops_the_preview_quietly(tmp_path):
    project = with_make(copy_project(tmp_path / "project"))
    port = free_port()
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (_up(port) and fetch(f"http://127.0.0.1:{port}/", timeout=5)[0] == 200):
            assert time.monotonic() < deadline, "the preview never started"
            time.sleep(0.1)
        os.killpg(process.pid, 2)
        out, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 9)
    # make ends as Ctrl-C ends any program (by the signal, silently); what is printed is the point
    assert process.returncode in (0, -2), out
    assert "Traceback" not in out and "make: ***" not in out and out.rstrip().endswith("Stopped.")


def _up(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_make_serve_reloads_the_open_page_after_an_edit(preview, browser):
    page = browser.new_page()
    page.goto(preview.base + PAGE)
    assert page.locator('script[src="/__preview/reload.js"]').count() == 1
    page.evaluate("window.__before_reload = true")
    page.wait_for_timeout(300)  # let the page connect to the preview's events
    add_file(
        preview.project, f"content/{TEST_PREFIX}preview.md", zq_article("preview", "A sentence added while open.\n")
    )
    page.get_by_text("A sentence added while open.").wait_for(timeout=60_000)
    assert page.evaluate("window.__before_reload") is None, "the page was reloaded, not patched"
    page.close()


def test_the_problem_notice_is_announced_and_reachable_by_keyboard(preview, browser):
    from axe_playwright_python.sync_playwright import Axe

    good = zq_article("preview", "The first version.\n")
    preview.save(f"content/{TEST_PREFIX}preview.md", good + "\nPoint: K1\nWere: the sole\n")
    page = browser.new_page()
    try:
        page.goto(preview.base + PAGE)
        notice = page.locator("#preview-problems")
        assert notice.get_attribute("role") == "alert" and notice.is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "preview-problems"
        results = Axe().run(page, context="#preview-problems")
        assert results.violations_count == 0, results.generate_report()
    finally:
        page.close()
        preview.save(f"content/{TEST_PREFIX}preview.md", good)


def test_the_site_code_changing_restarts_the_preview(preview):
    plugin = preview.project / "plugins" / "stages" / "assets" / "__init__.py"
    plugin.write_text(plugin.read_text() + "\n# zq: a change to the site's code\n")
    deadline = time.monotonic() + 60
    while "restarting the preview" not in "".join(preview.process.log):
        assert time.monotonic() < deadline, "".join(preview.process.log)
        time.sleep(0.1)
    served(preview.base + PAGE, preview.process, "version")


LEFT_ALIVE = """
import gc, sys
from pathlib import Path
import tools.build
from pelican.contents import Content
from tools.devserver import Preview

tools.build.CACHE_ROOT = Path(sys.argv[1]) / "cache"  # not the project's cache/
gc.collect()
gc.disable()
preview = Preview(folder=Path(sys.argv[1]) / "preview")
alive = []
for _ in range(3):
    preview.build()
    alive.append(sum(isinstance(thing, Content) for thing in gc.get_objects()))
print("ok" if preview.status()["ok"] and preview.generation == 3 else "failed", *alive)
"""


def test_the_preview_lets_go_of_each_build_as_soon_as_it_is_done(tmp_path):
    """A build's pages sit in reference cycles that only a full collection frees; the preview runs one after each
    build, so hundreds of rebuilds do not pile up (benchmarks/preview_memory.py measures it). It keeps the last
    good build's pages (to render a saved page again at once, ``Preview.render_saved``) and no more: Python's
    automatic collector is off here, so the count stays the same only because the preview let go of the builds
    before. (In a process of its own: Pelican's signals, once connected, would stay connected in the tests'
    process.)"""
    result = subprocess.run(
        [sys.executable, "-c", LEFT_ALIVE, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**WIDE_LOG_ENV, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "plugins")])},
    )
    assert result.returncode == 0, result.stderr
    state, *alive = result.stdout.split()[-4:]
    assert state == "ok" and int(alive[0]) > 0 and len(set(alive)) == 1, result.stdout + result.stderr


RENDER_SAVED = """
import sys
from pathlib import Path
from tools.devserver import Preview

preview = Preview(folder=Path.cwd() / ".preview")
preview.build()
article, page = Path.cwd() / "content" / sys.argv[1], sys.argv[2]
text = article.read_text()
article.write_text(text.replace("First words.", "Second words. ![A picture](images/zq-test-missing.png)"))
preview.render_saved({article})
print("mistake-shown-early", "Second words." in (preview.current / page).read_text())
article.write_text(text.replace("First words.", "Saved words."))
preview.render_saved({article})
early = (preview.current / page).read_bytes()
print("saved-shown-early", b"Saved words." in early)
preview.build()
print("same-as-the-build", early == (preview.current / page).read_bytes())
"""


def test_a_saved_page_is_shown_before_the_build_as_the_build_makes_it_unless_it_has_a_mistake(tmp_path):
    """Hugo's "fast render": the page of a saved file is rendered again with the last build's templates and context
    and shown before the build starts; it is the page the build then writes, byte for byte, and a save with a
    mistake waits for the build that reports it."""
    project = copy_project(tmp_path / "project")
    add_file(project, f"content/{TEST_PREFIX}early.md", zq_article("early", "First words.\n"))
    result = subprocess.run(
        [sys.executable, "-c", RENDER_SAVED, f"{TEST_PREFIX}early.md", f"{TEST_PREFIX}early.html"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**WIDE_LOG_ENV, "PYTHONPATH": os.pathsep.join([str(project), str(project / "plugins")])},
    )
    assert result.returncode == 0, result.stderr
    said = dict(line.split() for line in result.stdout.splitlines() if line.count(" ") == 1)
    assert said == {"mistake-shown-early": "False", "saved-shown-early": "True", "same-as-the-build": "True"}, (
        result.stdout + result.stderr
    )


def test_a_page_closed_before_its_answer_prints_no_traceback(capsys):
    from tools.devserver import Handler, make_server

    server = make_server("127.0.0.1", 0, type("ZqHandler", (Handler,), {}))
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset"), TimeoutError()):
            try:
                raise gone
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("zq: a mistake of the server's own")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "zq: a mistake of the server's own" in capsys.readouterr().err  # real errors still show
    finally:
        server.server_close()
