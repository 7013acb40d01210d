"""The site's reader for Markdown files: Pelican's metadata header, then the body, with every mistake named by line.

The header is the file's first ``Key: value`` lines, up to the first empty line, as in Pelican's
Markdown reader (a line indented by four spaces continues the value above). It is read here, not
by Python-Markdown's meta extension, so that each key's line is known and checked:

- a ``Date:`` must be an ISO date (``2026-11-23``, optionally with a time): ``11/12/2026`` is
  ambiguous and ``2026-13-45`` impossible;
- a ``Title:`` must be one line, and no value may hold control characters;
- keys Pelican reads once (Date, Category, Slug…) may not be given twice.

The mistakes are kept in the metadata (``source_problems``: (line, message) pairs) and reported
by the checks stage whenever the page is made, also when Pelican's cache spares reading the file.
A file with mistakes is still read, with a stand-in for what could not be read, so that the
build reports every mistake of every file in one run and the preview can show the page; the
build then fails and publishes nothing.

Text Python-Markdown cannot read is a mistake like any other, never Pelican's bare "Could not
process": lists or quotes nested deeper than ``source.MAX_NESTING`` are refused before it runs
(it would take minutes and end in a RecursionError), naming the deepest line; a RecursionError or
any other error of its own on a file is named with the file and line; the page gets a stand-in
text (``STAND_IN``) and the rest of the site is still read and checked.
"""

from __future__ import annotations

import os
import re
import traceback
import unicodedata
from datetime import datetime, timedelta
from functools import cached_property, partial
from pathlib import Path
from typing import Any, ClassVar

from markdown import Markdown
from pelican.readers import BaseReader

from stages.markup.allowlist import sanitize, source_line
from stages.markup.extensions import new_markdown
from stages.markup.points import ORDER_KEYS, Point, PointError, doing_order
from stages.markup.source import MAX_NESTING, SourceState, deepest_nesting, link_files, over_limit
from stages.pelican_compat import DUPLICATES_DEFINITIONS_ALLOWED

_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T_]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
STATUSES = ("published", "draft", "hidden")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# An address name: lower-case letters and digits in words joined by hyphens (what `invoke new` writes)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A language tag (BCP 47, the common forms): en, en-GB, pt-BR, zh-Hant-TW, es-419
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}")
# Keys that publish a page at an address of the author's choosing (the home page's Save_as: index.html)
ADDRESS_KEYS = {"save_as", "url", "page_save_as", "article_save_as"}
PROBLEMS = "source_problems"
# What a page shows instead of text the Markdown reader could not read (the build fails and says why)
STAND_IN = "<p>This text could not be read; the list of problems says why.</p>"
ONE_LINE_KEYS = set("title subtitle slug date modified category status save_as url lang template author".split())


def split_header(text: str) -> tuple[list[tuple[int, str, list[str]]], str, int]:
    """The header's (line, key, value lines), the body, and the file's line number of the body's first line."""
    lines = text.split("\n")
    header: list[tuple[int, str, list[str]]] = []
    index = 0
    if lines and re.match(r"^-{3}(\s.*)?$", lines[0]):
        index = 1
    while index < len(lines):
        line = lines[index]
        if line.strip() == "" or re.match(r"^(-{3}|\.{3})(\s.*)?$", line):
            index += 1
            break
        if meta := _META.match(line):
            header.append((index + 1, meta["key"].lower().strip(), [meta["value"].strip()]))
        elif (more := _MORE.match(line)) and header:
            header[-1][2].append(more["value"].strip())
        else:
            break
        index += 1
    return header, "\n".join(lines[index:]), index + 1


def iso_date(text: str) -> str:
    """A date as ISO writes it: a one-digit hour gets its zero ('2026-11-20 9:30' is '2026-11-20 09:30')."""
    day, sep, time = text.replace("_", " ").replace("T", " ").partition(" ")
    return f"{day} {time.zfill(len(time) + 1) if time[1:2] == ':' else time}" if sep else day


def header_of(path: str) -> list[tuple[int, str, list[str]]]:
    """A file's metadata header as the reader reads it ([] when the file cannot be read): the one parser of it."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return []
    return split_header(text.replace("\r\n", "\n").replace("\r", "\n"))[0]


def date_mistake(key: str, text: str) -> str:
    """What is wrong with a Date: or Modified: value, or "" when it is an ISO date that exists."""
    label = key.capitalize()
    if not _ISO_DATE.match(text):
        return f"'{label}: {text}' is not a date the site can read without guessing: write it as year-month-day, e.g. '{label}: 2026-11-23' (optionally with a time, '{label}: 2026-11-23 09:30')"
    try:
        datetime.fromisoformat(iso_date(text).replace("Z", "+00:00"))
    except ValueError:
        return f"'{label}: {text}' is not a real date (the month is 01–12 and the day fits the month); write it as e.g. '{label}: 2026-11-23'"
    return ""


def from_content_root(state: SourceState, address: str) -> str:
    """A ``{filename}``, ``{static}`` or ``{attach}`` address written from content/ (as the guide writes them,
    ``{filename}pages/chakra-care.md``) that does not exist beside the file: made absolute (``{filename}/pages/…``),
    which Pelican resolves from content/ in every folder."""
    kind, brace, path = address.partition("}")
    if not brace or kind not in ("{filename", "{static", "{attach") or path.startswith("/") or not state.path:
        return address
    near, from_root = link_files(path.split("?")[0].split("#")[0], state.path, state.content_root)
    if os.path.exists(near) or not os.path.exists(from_root):
        return address
    return f"{kind}}}/{path}"


def convert(md: Markdown, text: str, state: SourceState) -> str:
    """Markdown to HTML with the site's extensions, kept to the content allow-list (``markup.allowlist``);
    the points, exercises and mistakes found are left on `md` (``site_points``, ``site_exercises``) and in
    `state` (``problems``)."""
    md.reset()
    md.site_source = state  # type: ignore[attr-defined]
    md.site_points = []  # type: ignore[attr-defined]
    md.site_exercises = []  # type: ignore[attr-defined]
    points = md.site_points  # type: ignore[attr-defined]
    html, refused = sanitize(md.convert(text), {point["id"] for point in points}, partial(from_content_root, state))
    lines = text.split("\n") if refused else []
    for refusal in refused:
        state.problem_at(source_line(lines, state.first_line, refusal), refusal[2])
    return html


class SiteMarkdownReader(BaseReader):
    """Reads Markdown with the site's extensions (points, steps, figures…) and checks every line.

    The metadata gets ``points``, ``doing_order`` and ``exercises`` beside the header's values."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["md", "markdown", "mkd", "mdown"]

    @cached_property
    def md(self) -> Markdown:
        return new_markdown()

    def convert(self, text: str, state: SourceState) -> tuple[str, list[Any], list[Any]]:
        """The text's HTML, points and exercises. Text that Python-Markdown cannot read (nested too
        deeply, or any error of its own) gives a problem with its line and a stand-in, so that the rest of
        the site is still read and checked."""
        nesting = deepest_nesting(text)
        line = state.first_line + nesting.index
        if nesting.depth > MAX_NESTING:
            message = f"{nesting.describe()} here, more than the {MAX_NESTING} levels the site reads; the page's text was not read. Nest a list inside another by indenting it four spaces, a few levels at most"
            state.problem_at(line, message)
            return STAND_IN, [], []
        if too_large := over_limit(text):
            state.problem_at(state.first_line + too_large[0], too_large[1] + "; the page's text was not read")
            return STAND_IN, [], []
        try:
            html = convert(self.md, text, state)
        except RecursionError:
            self.__dict__.pop("md", None)  # a fresh Markdown instance for the next file
            state.problem_at(
                line if nesting.depth else state.first_line,
                "the Markdown reader ran out of depth reading this text"
                + (f" (the deepest part, {nesting.describe()}, is here)" if nesting.depth else "")
                + "; the page's text was not read. Nest lists and quotes less deeply",
            )
            return STAND_IN, [], []
        except Exception as error:  # Python-Markdown's own failure on this text, named instead of "Could not process"
            self.__dict__.pop("md", None)
            frame = traceback.extract_tb(error.__traceback__)[-1]
            message = f"the Markdown reader stopped on this file ({type(error).__name__}: {error}, at {os.path.basename(frame.filename)}:{frame.lineno}); the page's text was not read"
            state.problem_at(state.first_line, message)
            return STAND_IN, [], []
        return html, self.md.site_points, self.md.site_exercises  # type: ignore[attr-defined]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        with open(source_path, "rb") as file:
            data = file.read()
        problems: list[tuple[int, str]] = []
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:  # read all the same, to list the file's other mistakes
            message = f"the file is not saved as UTF-8 (the byte 0x{data[error.start]:02X} on this line is not UTF-8 text): save it again as UTF-8 (in the editor's 'Save as…', choose the encoding UTF-8)"
            problems.append((data.count(b"\n", 0, error.start) + 1, message))
            text = data.decode("utf-8-sig", errors="replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        header, body, first_line = split_header(text)
        metadata: dict[str, Any] = {
            key: self.process_metadata(key, value) for key, value in self.read_header(header, source_path, problems)
        }
        state = SourceState(path=source_path, content_root=self.settings["PATH"], first_line=first_line)
        content, points, exercises = self.convert(body, state)
        problems.extend(state.problems)
        metadata.update(points=points, exercises=exercises, doing_order=self.doing_order(points, header, problems))
        # kept with the content (and in Pelican's cache with it), reported by the checks stage
        # each time the page is made, so that a mistake is reported until it is fixed
        metadata[PROBLEMS] = sorted(problems)
        return content, metadata

    @staticmethod
    def doing_order(
        points: list[Point], header: list[tuple[int, str, list[str]]], problems: list[tuple[int, str]]
    ) -> list[Point]:
        """The points in the order to do them: the text's, or an ``Order:`` line's (``Quick_reference:``,
        its earlier name, still works)."""
        written = [(line, key, values) for line, key, values in header if key in ORDER_KEYS]
        if not written:
            return list(points)
        line, key, values = written[-1]
        label = "Quick_reference" if key == "quick_reference" else key.capitalize()
        try:
            return doing_order(points, " ".join(values), label)
        except PointError as error:
            problems.append((line, str(error)))
            return list(points)

    def value_mistake(self, key: str, value: str) -> str:
        """What is wrong with the value of a key the site reads as an address, a language or a template."""
        label = key.capitalize()
        if key == "slug" and not (SLUG.fullmatch(value) and len(value) <= 200):
            suggestion = "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in value).lower().split())
            return f"'Slug: {value}' cannot be an address: use lower-case letters, digits and hyphens, e.g. 'Slug: {suggestion or 'healing-herbs'}'"
        if (
            key in ADDRESS_KEYS
            and value
            and not (SLUG.fullmatch(value.removesuffix(".html")) and value.endswith(".html"))
        ):
            return f"'{label}: {value}' is not an address the site publishes: a page's address is one name ending in .html in the site's root folder, e.g. 'index.html' (usually leave the line out: the address comes from the title, or a 'Slug:' line)"
        if key == "status" and value.lower() not in STATUSES:
            return f"'Status: {value}' is not a status the site knows: leave the line out to publish the page, or write 'Status: draft' (only in the preview) or 'Status: hidden' (published, but listed and found nowhere)"
        if key == "lang" and not LANGUAGE_TAG.fullmatch(value):
            return f"'Lang: {value}' is not a language tag: write e.g. 'Lang: en' or 'Lang: en-GB'"
        if key == "template":
            folder = os.path.join(self.settings["THEME"], "templates")
            known = sorted(name[:-5] for name in os.listdir(folder) if name.endswith(".html"))
            if value not in known:
                return f"'Template: {value}' is not a template of the theme; leave the line out, or use one of {', '.join(known)}"
        return ""

    def read_header(
        self, header: list[tuple[int, str, list[str]]], source_path: str, problems: list[tuple[int, str]]
    ) -> list[tuple[str, str | list[str]]]:
        """The header's (key, value) pairs for ``process_metadata``, each checked (mistakes go to `problems`)."""
        entries: list[tuple[str, str | list[str]]] = []
        seen: dict[str, int] = {}
        dates: dict[str, tuple[int, datetime]] = {}
        for line, key, values in header:
            for value in values:
                bad = _CONTROL.search(value) or next((c for c in value if unicodedata.category(c) == "Cf"), None)
                if bad:
                    character = bad if isinstance(bad, str) else bad.group(0)
                    control = "control " if unicodedata.category(character) == "Cc" else ""
                    name = f", {unicodedata.name(character)}" if unicodedata.name(character, "") else ""
                    message = f"'{key.capitalize()}:' holds an invisible {control}character (U+{ord(character):04X}{name}); retype the line"
                    problems.append((line, message))
            if mistake := self.value_mistake(key, values[0] if values else ""):
                problems.append((line, mistake))
            if key in seen and (key in ONE_LINE_KEYS or not DUPLICATES_DEFINITIONS_ALLOWED.get(key, True)):
                problems.append((line, f"'{key.capitalize()}:' is given twice (first on line {seen[key]}); keep one"))
                continue
            seen[key] = line
            if key in ONE_LINE_KEYS and len(values) > 1:
                message = f"the {key.capitalize()}: runs over {len(values)} lines; write it on one line (a line indented by four spaces continues the line above)"
                problems.append((line + 1, message))
                values = [" ".join(values)]
            text = _CONTROL.sub("", "\n".join(values) if key in self.settings["FORMATTED_FIELDS"] else values[0])
            if key == "date" or key == "modified":
                if mistake := date_mistake(key, text):
                    problems.append((line, mistake))
                    # a stand-in, so that the page can still be built (and shown by the preview)
                    text = datetime.fromtimestamp(os.stat(source_path).st_mtime).date().isoformat()
                else:
                    text = iso_date(text)
                    dates[key] = (line, datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None))
            if key == "status" and text.lower() not in STATUSES:
                text = "draft"  # a stand-in (reported above): the file is still read, and all its mistakes listed
            if key in self.settings["FORMATTED_FIELDS"]:
                state = SourceState(path=source_path, content_root=self.settings["PATH"], first_line=line)
                text = self.convert(text, state)[0]
                problems.extend(state.problems)
            elif len(values) > 1 and key not in ONE_LINE_KEYS:
                entries.append((key, list(values)))
                continue
            entries.append((key, text))
        self.check_dates(dates, problems)
        return entries

    @staticmethod
    def check_dates(dates: dict[str, tuple[int, datetime]], problems: list[tuple[int, str]]) -> None:
        """A date more than a day ahead is most likely a typo (the site would publish the page at once, dated
        then); a page cannot be modified before it was written."""
        for key, (line, when) in dates.items():
            if when > datetime.now() + timedelta(days=1):
                message = f"'{key.capitalize()}: {when:%Y-%m-%d}' is in the future, and the site would publish the page at once under it: write the date it is published (keep it a draft with 'Status: draft' until then)"
                problems.append((line, message))
        if "date" in dates and "modified" in dates and dates["modified"][1] < dates["date"][1]:
            message = f"'Modified:' is earlier than 'Date:' (line {dates['date'][0]}); a page is modified after it is written: correct one of them"
            problems.append((dates["modified"][0], message))
