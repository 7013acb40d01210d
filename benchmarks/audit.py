"""Lighthouse audit: the four mobile scores of every page of the production build, served locally.

    .venv/bin/invoke audit            (or: .venv/bin/python benchmarks/audit.py)

Builds the site with publishconf.py for a local address, serves it from a plain file server,
runs Lighthouse (npm package, pinned in benchmarks/package-lock.json, installed on first use with
`npm ci`) with Debian's Chromium (CHROME_PATH) and its default mobile settings on each page, and
prints Performance, Accessibility, Best Practices and SEO per page, with first contentful paint,
largest contentful paint and layout shift. Exits 1 when any score is below 100. It reports; it is
not part of `make test` (Lighthouse takes a while and needs Node.js).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    if not shutil.which("npm"):
        sys.exit("invoke audit needs Node.js and npm (Debian: apt-get install nodejs npm)")
    print("Installing Lighthouse (npm ci in benchmarks/) …", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def main() -> int:
    ensure_lighthouse()
    if not Path(CHROME).exists():
        sys.exit(f"{CHROME} is missing: install Debian's chromium or set CHROME_PATH")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "site"
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(output)))
        siteurl = f"http://127.0.0.1:{server.server_address[1]}"
        subprocess.run(  # the project's own production build, with every check
            [sys.executable, "-m", "tools.build", "--production", "--no-cache", "--output", str(output)],
            cwd=ROOT,
            check=True,
            env={**os.environ, "SITEURL": siteurl},
            stdout=subprocess.DEVNULL,
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        stand_ins = ("404.html", "offline.html")  # shown in place of a missing page, never indexed
        pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html") if p.name not in stand_ins)
        print(f"{'page':36} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}   {'FCP':>6} {'LCP':>6} {'CLS':>5}")
        worst = 100
        for page in pages:
            report = Path(folder) / "report.json"
            address = f"{siteurl}/{page.removesuffix('index.html')}"  # the home page's address is the site's
            subprocess.run(
                [
                    str(LIGHTHOUSE),
                    address,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--chrome-flags={CHROME_FLAGS}",
                ],
                check=True,
                env={**os.environ, "CHROME_PATH": CHROME},
            )
            result = json.loads(report.read_text())
            scores = [round(100 * result["categories"][name]["score"]) for name in CATEGORIES]
            worst = min(worst, *scores)
            audits = result["audits"]
            timing = [
                audits[name]["displayValue"]
                for name in ("first-contentful-paint", "largest-contentful-paint", "cumulative-layout-shift")
            ]
            print(
                f"{page:36} {scores[0]:>5} {scores[1]:>5} {scores[2]:>5} {scores[3]:>5}   "
                f"{timing[0]:>6} {timing[1]:>6} {timing[2]:>5}",
                flush=True,
            )
        server.shutdown()
    print("Lighthouse 12 mobile preset (simulated slow 4G, 4x CPU slowdown), production build served locally")
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main())
