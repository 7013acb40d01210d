"""The strict build: every problem of the site reported in one run, and output/ replaced only by a good build.

    python -m tools.build                 # pelicanconf.py into output/ (what `make build` runs)
    python -m tools.build --production    # publishconf.py, for SITEURL (what publishing runs)
    python -m tools.build --output DIR -e NAME=VALUE …

Pelican runs in this process with the site's plugins; every warning and error is collected
(``stages.checks.problems.ProblemCollector``) rather than stopping at the first, and printed at
the end, one line each (``content/x.md:12: message``). Any problem fails the build (exit 1), and
then nothing is published: output/ is left exactly as it was (``tools.output``). No traceback is
printed for a mistake in the content; an error in the site's own code says where it is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.settings import read_settings

from stages.checks.problems import Problem, ProblemCollector, format_report
from stages.markup.components import COMPONENT
from stages.pelican_compat import clear_memoized_caches, quiet_console, reset_log_deduplication
from tools import output as swap

ROOT = Path(__file__).resolve().parents[1]

DEVELOPMENT = ROOT / "pelicanconf.py"
PRODUCTION = ROOT / "publishconf.py"
CACHE_ROOT = ROOT / "cache"
# What the preview (tools.devserver) builds differently from `make build`: addresses for any port, the search
# index on demand, no service worker
PREVIEW_SETTINGS: dict[str, Any] = {"SITEURL": "", "SEARCH_INDEX": False, "OFFLINE": False}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mkd", ".mdown"}


@dataclass
class Result:
    """What one run of Pelican gave: its problems, whether they fail the build, and a summary."""

    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    seconds: float = 0.0


def cache_key(settings_file: Path, overrides: dict[str, Any]) -> str:
    """Pelican's content cache is kept per version of what shapes the content: the settings files (read as
    text, never run: a development build does not execute publishconf.py), the site's plugins, the point
    component's template (an article is cached with its points rendered) and Pelican itself (a change to any
    of them starts a new cache)."""
    digest = hashlib.sha256()
    import pelican  # noqa: PLC0415

    digest.update(getattr(pelican, "__version__", "").encode())
    point = ROOT / "theme" / "templates" / COMPONENT
    for path in sorted([ROOT / "pelicanconf.py", settings_file, point, *(ROOT / "plugins").rglob("*.py")]):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def pictures_digest(content: Path) -> str:
    """Every file in `content` that is not Markdown (pictures above all), by path, modification time and size:
    reading a Markdown file consults them (a picture's width and height are written into the HTML; a missing
    one is a problem), so a cached reading is good only while they are the same."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(content):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.splitext(name)[1].lower() not in MARKDOWN_SUFFIXES and os.path.isfile(path):
                status = os.stat(path)
                digest.update(f"{os.path.relpath(path, content)}\0{status.st_mtime_ns}\0{status.st_size}\n".encode())
    return digest.hexdigest()[:12]


def settings_for(
    settings_file: Path, output: Path, overrides: dict[str, Any] | None = None, cache: bool = True
) -> dict[str, Any]:
    """The settings of a build into `output`. With `cache`, Pelican's generator-layer content cache keeps
    every article and page object read (``CONTENT_CACHING_LAYER = "generator"``); a file is read again only
    when it changed, and any change to the settings, the plugins or a picture starts a new cache."""
    overrides = dict(overrides or {})
    settings = read_settings(str(settings_file), override={**overrides, "OUTPUT_PATH": str(output)})
    if cache:
        key = f"{cache_key(settings_file, overrides)}-{pictures_digest(Path(settings['PATH']))}"
        settings.update(
            CACHE_CONTENT=True,
            LOAD_CONTENT_CACHE=True,
            CONTENT_CACHING_LAYER="generator",
            CACHE_PATH=str(CACHE_ROOT / key),
        )
    else:
        settings.update(CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False)
    return settings


def prune_caches(keep: set[str]) -> None:
    """Caches of earlier settings, plugins or pictures are never read again."""
    for folder in CACHE_ROOT.glob("*"):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def run_pelican(settings: dict[str, Any]) -> Result:
    """One run of Pelican with `settings` (written to their OUTPUT_PATH), collecting every problem."""
    collector = ProblemCollector()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(collector)
    root.setLevel(logging.WARNING)
    started = time.perf_counter()
    result = Result()
    reset_log_deduplication()
    try:
        with quiet_console():  # the build prints its own summary
            Pelican(settings).run()
    except Exception as error:  # the content is checked; this is an error in the theme or the site's code
        if collector.problems:  # e.g. Pelican refuses to write two pages to one file that a check named
            collector.problems.append(
                Problem("", 0, "the build stopped before writing every page, because of the problems above")
            )
        else:
            collector.problems.append(unexpected(error))
    finally:
        root.removeHandler(collector)
        root.setLevel(previous_level)
        clear_memoized_caches()
    result.seconds = time.perf_counter() - started
    result.problems = collector.result()
    result.failed = any(p.severity == "error" or not p.path for p in result.problems)
    return result


def unexpected(error: BaseException) -> Problem:
    """A Problem for an exception: a template's file and line when Jinja knows them."""
    from jinja2 import TemplateError, TemplateSyntaxError  # noqa: PLC0415

    if isinstance(error, TemplateSyntaxError) and error.filename:
        return Problem(os.path.relpath(error.filename, ROOT), error.lineno, f"template error: {error.message}")
    frames = traceback.extract_tb(error.__traceback__)
    templates = [f for f in frames if f.filename.endswith(".html") and "templates" in f.filename]
    if isinstance(error, TemplateError) or templates:
        frame = templates[-1] if templates else None
        where = os.path.relpath(frame.filename, ROOT) if frame else "theme/templates"
        return Problem(where, frame.lineno if frame and frame.lineno else 0, f"template error: {error}")
    own = [f for f in frames if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename]
    frame = own[-1] if own else frames[-1] if frames else None
    where = os.path.relpath(frame.filename, ROOT) if frame else ""
    return Problem(
        where,
        frame.lineno if frame and frame.lineno else 0,
        f"the build stopped on an error in the site's code, not in your writing: {type(error).__name__}: {error}",
    )


def build(
    settings_file: Path = DEVELOPMENT,
    deploy: Path | None = None,
    overrides: dict[str, Any] | None = None,
    cache: bool = True,
    out=sys.stdout,
    err=sys.stderr,
) -> int:
    """Builds into a new folder and swaps it in for `deploy` (output/) when nothing failed; returns the exit code."""
    deploy = Path(deploy or ROOT / "output").absolute()
    with swap.locked(deploy):
        swap.recover(deploy)
        staging = swap.new_staging(deploy)
        try:
            settings = settings_for(settings_file, staging, overrides, cache)
            if cache:
                # this build's cache, and those of the other settings file and of the preview (the same pictures)
                pictures = Path(settings["CACHE_PATH"]).name.split("-")[1]
                kinds = [(DEVELOPMENT, overrides or {}), (PRODUCTION, overrides or {}), (DEVELOPMENT, PREVIEW_SETTINGS)]
                prune_caches({f"{cache_key(*kind)}-{pictures}" for kind in kinds})
            result = run_pelican(settings)
            if result.problems:
                err.write(format_report(result.problems) + "\n")
            if result.failed:
                count = len([p for p in result.problems if p.severity == "error" or not p.path])
                files = len({p.path for p in result.problems})
                err.write(
                    f"The build found {count} problem{'s' * (count != 1)}"
                    f"{f' in {files} files' if files > 1 else ''}: nothing was published, and "
                    f"{deploy.name}/ was left as it was.\n"
                )
                return 1
            swap.publish(staging, deploy)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            if staging.exists() and staging.name.startswith(f".{swap.target_of(deploy).name}-new-"):
                shutil.rmtree(staging, ignore_errors=True)
    pages = sum(1 for _ in swap.target_of(deploy).rglob("*.html"))
    out.write(f"Built {pages} pages into {deploy.name}/ in {result.seconds:.2f} s.\n")
    if not settings.get("DONATION_URL"):  # a note, not a problem: the theme then leaves the donation ask out
        out.write("Note: DONATION_URL is not set (pelicanconf.py): no page asks for a donation.\n")
    return 0


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """NAME=VALUE pairs, each VALUE read as JSON when it is JSON (as pelican -e does)."""
    overrides: dict[str, Any] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            overrides[name] = json.loads(value)
        except json.JSONDecodeError:
            overrides[name] = value
    return overrides


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--production", action="store_true", help="build with publishconf.py (for SITEURL)")
    parser.add_argument("--output", type=Path, default=ROOT / "output", help="the folder to replace (output/)")
    parser.add_argument("--no-cache", action="store_true", help="read every file again")
    parser.add_argument("-e", "--extra-settings", nargs="*", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    try:
        return build(
            PRODUCTION if args.production else DEVELOPMENT,
            args.output,
            parse_overrides(args.extra_settings),
            cache=not args.no_cache,
        )
    except KeyboardInterrupt:
        sys.stderr.write(f"\nStopped: nothing was published, and {args.output.name}/ was left as it was.\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
