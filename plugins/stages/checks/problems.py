"""One problem list per build: what is wrong, in which file and on which line, said in the author's terms.

Every check of the site reports through :func:`report`, which logs the problem on the ``checks``
logger with the structured :class:`Problem` attached. Whatever runs the build collects them with
:class:`ProblemCollector` (a logging handler): ``invoke build`` prints them all at the end of the run
(``content/x.md:12: message``, as compilers do) and fails; the preview shows them on every page;
plain ``pelican --fatal warnings`` stops at the first one.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from stages.markup.reader import header_of

logger = logging.getLogger("checks")

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake in one file: ``path`` as the author knows it (content/x.md), ``line`` from 1 (0: the whole file)."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "warning: " if self.severity == "warning" else ""
        return f"{where}: {label}{self.message}" if where else f"{label}{self.message}"


def report(problem: Problem) -> None:
    """Logs a problem for whoever runs the build (see ProblemCollector)."""
    level = logging.WARNING if problem.severity == "warning" else logging.ERROR
    logger.log(level, "%s", problem, extra={"problem": problem})


def project_root(settings: dict[str, Any]) -> str:
    """The folder the author works in: the parent of content/."""
    return os.path.dirname(os.path.abspath(str(settings["PATH"])))


def author_path(path: str, settings: dict[str, Any]) -> str:
    """A file as the author knows it, relative to the project: content/x.md."""
    return Path(os.path.relpath(os.path.abspath(path), project_root(settings))).as_posix()


def line_of(path: str, *needles: str) -> int:
    """The first line of a file that contains any of `needles` (1-based), or 0."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    for number, line in enumerate(lines, start=1):
        if any(needle and needle in line for needle in needles):
            return number
    return 0


def metadata_line(path: str, key: str) -> int:
    """The line of a ``Key:`` in a file's metadata header (1 when the key is missing: the header's start)."""
    return next((line for line, name, _ in header_of(path) if name == key.lower()), 1)


class ProblemCollector(logging.Handler):
    """Collects every warning and error of a build: the site's own problems, and Pelican's messages.

    Pelican's own follow-up messages about a file the site has already reported on (it could not
    process it, a link in it could not be replaced) add nothing for the author and are left out.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.problems: list[Problem] = []
        self.foreign: list[tuple[logging.LogRecord, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        problem = getattr(record, "problem", None)
        if isinstance(problem, Problem):
            if problem not in self.problems:
                self.problems.append(problem)
            return
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not hide the build's problems
            message = str(record.msg)
        self.foreign.append((record, message))

    def clear(self) -> None:
        self.problems.clear()
        self.foreign.clear()

    def result(self) -> list[Problem]:
        """Every problem once, the site's own first (by file and line), then Pelican's."""
        from stages.pelican_compat import is_follow_up  # noqa: PLC0415 (the adapter imports Pelican)

        reported = [problem.path for problem in self.problems]
        others: list[Problem] = []
        for record, message in self.foreign:
            if is_follow_up(record, reported):
                continue
            severity: Severity = "warning" if record.levelno == logging.WARNING else "error"
            problem = Problem("", 0, message.strip(), severity)
            if problem not in others:
                others.append(problem)
        own = sorted(self.problems, key=lambda p: (not p.path, p.path, p.line, p.message))
        return own + others

    def failed(self) -> bool:
        """A build fails on any error, and on any warning that is not the site's own advice."""
        return any(p.severity == "error" or not p.path for p in self.result())


def format_report(problems: list[Problem]) -> str:
    """The problems as the build prints them: one line each."""
    return "\n".join(str(problem) for problem in problems)
