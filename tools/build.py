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
import pickle
import shutil
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from pelican import Pelican
from pelican.settings import read_settings

from stages import incremental
from stages.checks.problems import Problem, ProblemCollector, format_report
from stages.incremental.keys import pictures_digest
from stages.markup.parallel import stop as stop_parallel_reading
from stages.pelican_compat import clear_memoized_caches, reset_log_deduplication
from tools import output as swap

ROOT = Path(__file__).resolve().parents[1]

DEVELOPMENT = ROOT / "pelicanconf.py"
PRODUCTION = ROOT / "publishconf.py"
CACHE_ROOT = ROOT / "cache"
INCREMENTAL_RECORD = "incremental.pickle"  # in the content cache's folder: what the last build wrote


@dataclass
class Result:
    """What one run of Pelican gave: its problems, whether they fail the build, and a summary."""

    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    generation: incremental.Generation | None = None  # what an incremental build wrote, for the next one


def cache_key(settings_file: Path, overrides: dict[str, Any]) -> str:
    """Pelican's content cache is kept per version of what shapes the content: the settings, the
    site's plugins and Pelican itself (a change to any of them starts a new cache)."""
    digest = hashlib.sha256()
    import pelican  # noqa: PLC0415

    digest.update(getattr(pelican, "__version__", "").encode())
    for path in sorted([ROOT / "pelicanconf.py", settings_file, *(ROOT / "plugins").rglob("*.py")]):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def settings_for(
    settings_file: Path,
    output: Path,
    overrides: dict[str, Any] | None = None,
    cache: bool = True,
    incremental_build: bool | None = None,
    templates: BytecodeCache | None = None,
) -> dict[str, Any]:
    """The settings of a build into `output`. With `cache`, Pelican's content cache is used; with
    `incremental_build` (by default: with `cache`), the build is incremental (``stages.incremental``:
    a page whose inputs did not change since the previous build, which the caller gives, is taken
    from it, not rendered). `templates` keeps Jinja's compiled templates (by default, with `cache`, in the
    cache's folder)."""
    overrides = dict(overrides or {})
    key = cache_key(settings_file, overrides)
    cached = (
        {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(CACHE_ROOT / key)}
        if cache
        else {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
    )
    settings = read_settings(str(settings_file), override={**overrides, **cached, "OUTPUT_PATH": str(output)})
    # a kept reading holds its pictures' sizes: a changed, added or removed picture starts a new cache
    key = f"{key}-{pictures_digest(Path(settings['PATH']))}"
    if cache:
        settings["CACHE_PATH"] = str(CACHE_ROOT / key)
    if cache and templates is None:
        templates = FolderBytecodeCache(str(Path(settings["CACHE_PATH"]) / "jinja"))
    if templates is not None:
        # Jinja compiles every template anew in each build; a cached build keeps the compiled code (Jinja
        # checks it against the template's text) beside Pelican's content cache, the preview in memory
        settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": templates}
    if cache if incremental_build is None else incremental_build:
        # first, so that it chooses the pages to link-check before the check runs (at finalized)
        settings["PLUGINS"] = ["stages.incremental", *[p for p in settings["PLUGINS"] if p != "stages.incremental"]]
        settings[incremental.CODE_KEY] = key
    return settings


class FolderBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates in a folder, made when the first is written."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        Path(self.directory).mkdir(parents=True, exist_ok=True)
        super().dump_bytecode(bucket)


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's compiled templates kept in memory, for a long-running caller (the preview)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()

    def __reduce__(self) -> tuple[Any, ...]:
        return (MemoryBytecodeCache, ())  # never pickled with its code (Pelican pickles the settings)


def previous_build(settings: dict[str, Any], deploy: Path) -> incremental.Generation | None:
    """What the last build into `deploy` wrote (kept beside Pelican's content cache), if it is still there."""
    record = Path(settings["CACHE_PATH"]) / INCREMENTAL_RECORD
    folder = swap.target_of(deploy)
    if not folder.is_dir():
        return None
    try:
        with record.open("rb") as file:
            generation = pickle.load(file)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(generation, incremental.Generation):
        return None
    generation.folder = folder
    return generation


def remember_build(settings: dict[str, Any], generation: incremental.Generation | None, deploy: Path) -> None:
    record = Path(settings["CACHE_PATH"]) / INCREMENTAL_RECORD
    if generation is None:
        record.unlink(missing_ok=True)
        return
    generation.folder = swap.target_of(deploy)
    record.parent.mkdir(parents=True, exist_ok=True)
    partial = record.with_suffix(".partial")
    with partial.open("wb") as file:
        pickle.dump(generation, file)
    os.replace(partial, record)


def prune_caches(keep: set[str]) -> None:
    """Caches of earlier settings or plugins are never read again."""
    if CACHE_ROOT.is_dir():
        for folder in CACHE_ROOT.iterdir():
            if folder.name not in keep and folder.is_dir():
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
        pelican = Pelican(settings)
        result.counts = run_quietly(pelican)
    except Exception as error:  # the content is checked; this is an error in the theme or the site's code
        if collector.problems:  # e.g. Pelican refuses to write two pages to one file that a check named
            collector.problems.append(
                Problem("", 0, "the build stopped before writing every page, because of the problems above")
            )
        else:
            collector.problems.append(unexpected(error))
    finally:
        result.generation = incremental.result(settings)
        if result.generation is not None:
            result.counts.update(
                rendered=result.generation.rendered,
                reused=result.generation.reused,
                checked=result.generation.checked,
            )
        result.counts["read_in_parallel"] = stop_parallel_reading(settings)
        root.removeHandler(collector)
        root.setLevel(previous_level)
        clear_memoized_caches()
    result.seconds = time.perf_counter() - started
    result.problems = collector.result()
    result.failed = any(p.severity == "error" or not p.path for p in result.problems)
    return result


def run_quietly(pelican: Pelican) -> dict[str, int]:
    """Pelican.run() without its console summary (the build prints its own)."""
    from pelican import console  # noqa: PLC0415

    quiet = console.quiet
    console.quiet = True
    try:
        pelican.run()
    finally:
        console.quiet = quiet
    return {}


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
                prune_caches(
                    {
                        Path(settings["CACHE_PATH"]).name,
                        *(
                            Path(p).name
                            for p in [
                                settings_for(
                                    PRODUCTION if settings_file == DEVELOPMENT else DEVELOPMENT,
                                    staging,
                                    overrides,
                                    cache,
                                )["CACHE_PATH"]
                            ]
                        ),
                    }
                )
            if cache:
                settings[incremental.PREVIOUS] = previous_build(settings, deploy)
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
            if cache:
                remember_build(settings, result.generation, deploy)
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
