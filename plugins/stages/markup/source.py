"""The source check: reads a Markdown file's lines before Python-Markdown does, while line numbers are still known.

- finds point blocks (``Point:`` and misspellings of it), reads and checks them (``markup.points``),
  and leaves one placeholder line per block for the point's slot;
- checks the ``{: .steps }`` marker of headings (``{: .step }``, ``(: .steps )``… are mistakes);
- finds a comment (``<!--``) that is never closed, which would publish the rest of the file as text.

What the HTML may hold is checked after Markdown has run, by the allow-list (``markup.allowlist``).
Every check here is one pass of string methods over each line: no pattern that can backtrack.

:func:`deepest_nesting` finds, before Python-Markdown runs, how deeply lists and quotes are nested:
Python-Markdown parses nested blocks recursively, in time that grows faster than the depth (400
levels take seconds and end in a RecursionError, 1,000 levels most of a minute), so the reader
refuses text nested deeper than :data:`MAX_NESTING` without converting it.

Each mistake is added to the file's ``SourceState`` as (line, message); the reader reports them.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field

from markdown.preprocessors import Preprocessor

from stages.markup.points import SLOT, find_point_blocks, parse_block


@dataclass
class SourceState:
    """What the source check learns about one file, for the later stages and the reader."""

    path: str = ""  # the source file
    content_root: str = ""  # the content folder (PATH)
    first_line: int = 1  # the file's line number of the body's first line
    problems: list[tuple[int, str]] = field(default_factory=list)
    heading_lines: dict[str, int] = field(default_factory=dict)  # heading text -> line

    def problem(self, index: int, message: str) -> None:
        """A mistake on the body's line `index` (from 0)."""
        self.problems.append((self.first_line + index, message))

    def problem_at(self, line: int, message: str) -> None:
        """A mistake on the file's line `line` (from 1; 0 when unknown)."""
        self.problems.append((line, message))


def link_files(path: str, source_path: str, content_root: str) -> tuple[str, str]:
    """The two files a ``{filename}``, ``{static}`` or ``{attach}`` path may name, as Pelican looks for them: from
    the source file's folder (from content/ for "/x"), and from content/."""
    if path.startswith("/"):
        return os.path.join(content_root, path.lstrip("/")), os.path.join(content_root, path)
    return os.path.join(os.path.dirname(source_path), path), os.path.join(content_root, path)


_FENCE = re.compile(r"^\s*(```|~~~)")
_OPEN, _CLOSE = "{(", "})"


@dataclass(frozen=True)
class Marker:
    """An attribute list (or a slip of one) at the end of a text: ``{: .steps }``, ``(: .steps )``…"""

    open: str
    body: str
    close: str
    start: int  # where it starts in the text
    written: str


def trailing_marker(text: str) -> Marker | None:
    """The bracketed marker that ends `text` (ignoring blanks after it): no bracket inside it."""
    text = text.rstrip()
    if not text or text[-1] not in _CLOSE:
        return None
    start = max(text.rfind("{", 0, len(text) - 1), text.rfind("(", 0, len(text) - 1))
    body = text[start + 1 : -1]
    if start < 0 or "}" in body or ")" in body:
        return None
    return Marker(text[start], body.removeprefix(":"), text[-1], start, text[start:])


def marker_line(line: str) -> Marker | None:
    """A line that is only a marker (indented by three spaces at most): Markdown prints it as text."""
    stripped = line.strip()
    if len(line) - len(line.lstrip()) > 3 or not stripped or stripped[0] not in _OPEN:
        return None
    marker = trailing_marker(stripped)
    return marker if marker is not None and marker.start == 0 else None


def heading_text(line: str) -> str | None:
    """The text of an ATX heading line ("## Text ##" gives "Text"), or None for another line."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    rest = stripped.lstrip("#")
    hashes = len(stripped) - len(rest)
    if not 1 <= hashes <= 6 or not rest or rest[0] not in " \t":
        return None
    return rest.strip().rstrip("#").rstrip()


# Lists and quotes nested deeper than this are refused before Python-Markdown reads them
MAX_NESTING = 50
_QUOTES = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


@dataclass(frozen=True)
class Nesting:
    """The deepest nesting of a text: `depth` levels on its line `index` (from 0), `lists` and `quotes` of them."""

    depth: int = 0
    index: int = 0
    lists: int = 0
    quotes: int = 0

    def describe(self) -> str:
        kinds = "lists and quotes" if self.lists and self.quotes else "quotes ('>')" if self.quotes else "lists"
        return f"{kinds} nested {self.depth} levels deep"


def deepest_nesting(text: str) -> Nesting:
    """How deeply the text's lists and quotes nest (outside code fences), as Markdown reads them: a list
    item indented by four more spaces than the item above is one level deeper (tabs count four); a line
    indented further than that is code or text of its item, and adds no level."""
    deepest = Nesting()
    level = 0  # of the last list item
    fenced = False
    for index, line in enumerate(text.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not line.strip():
            continue
        quoted = _QUOTES.match(line)
        quotes = quoted.group(0).count(">") if quoted else 0
        rest = line[quoted.end() :] if quoted else line
        item = _LIST_ITEM.match(rest)
        if item and len(item["indent"].expandtabs(4)) // 4 + 1 > level + 1:
            item = None  # indented past the list above: code, or text of its item
        elif item:
            level = len(item["indent"].expandtabs(4)) // 4 + 1
        elif len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip()) < 4 and not quotes:
            level = 0  # a paragraph at the left margin ends the lists
        depth = quotes + (level if item else 0)
        if depth > deepest.depth:
            deepest = Nesting(depth, index, level if item else 0, quotes)
    return deepest


# What one file may hold: past these, Python-Markdown's own parsing slows down faster than the text grows
# (its raw-HTML reader rescans the rest of the text for each '<' never closed, its link reader for each '[';
# 10,000 '[' take 18 s), so a file over a limit is refused, unread, in one linear pass.
MAX_BYTES = 500_000
MAX_LINE = 10_000  # characters on one line
MAX_LINKS = 2_000
MAX_UNCLOSED = 50  # '<' or '[' with no '>' or ']' before the next one


def over_limit(text: str) -> tuple[int, str] | None:
    """(line index, what is too large) for a text past one of the limits above, else None."""
    size = len(text.encode())
    if size > MAX_BYTES:
        return 0, f"the file is {size:,} bytes, more than the {MAX_BYTES:,} the site reads; split it into several pages"
    for index, line in enumerate(text.split("\n")):
        if len(line) > MAX_LINE:
            return (
                index,
                f"this line is {len(line):,} characters long, more than the {MAX_LINE:,} the site reads on one line; break it into paragraphs (an empty line between them)",
            )
    links = text.count("](") + text.count("]:") + text.count("<a ")
    if links > MAX_LINKS:
        return 0, f"the file has {links:,} links, more than the {MAX_LINKS:,} the site reads; split it into pages"
    for opening, closing, what, text_form in (("<", ">", "start a tag", "&lt;"), ("[", "]", "start a link", "\\[")):
        parts = text.split(opening)
        unclosed = [
            index
            for index, part in enumerate(parts[1:])
            if closing not in part and (opening == "[" or part[:1].isalpha() or part[:1] in "/!?")
        ]
        if len(unclosed) > MAX_UNCLOSED:
            first = opening.join(parts[: unclosed[0] + 1]).count("\n")
            return (
                first,
                f"{len(unclosed):,} '{opening}' {what} that is never closed with '{closing}' (the first here), more than the {MAX_UNCLOSED} the site reads; write '{text_form}' for a '{opening}' that is text",
            )
    return None


class SourceCheckPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        state: SourceState = self.md.site_source  # type: ignore[attr-defined]
        self.check_lines(lines, state)
        return self.replace_point_blocks(lines, state)

    def check_lines(self, lines: list[str], state: SourceState) -> None:
        fenced = False
        comment: int | None = None  # the line of a comment still open
        for index, line in enumerate(lines):
            # the cheap tests first: most lines have no fence, no heading, no code span and no tag
            if ("`" in line or "~" in line) and _FENCE.match(line):
                fenced = not fenced
                continue
            if fenced:
                continue
            if "#" in line[:4] and (heading := heading_text(line)) is not None:
                self.check_heading(index, heading, state)
            if ("{" in line[:4] or "(" in line[:4]) and (marker := marker_line(line)):
                self.check_marker_line(index, marker, lines[index - 1] if index else "", state)
            if comment is None:
                comment = self.open_comment(line, index)
            elif "-->" in line:
                comment = self.open_comment(line[line.index("-->") + 3 :], index)
        if comment is not None:
            message = "a comment starts here ('<!--') but is never closed with '-->': readers would see the rest of the page as text; end the comment with '-->'"
            state.problem(comment, message)

    @staticmethod
    def open_comment(line: str, index: int) -> int | None:
        """`index` if `line` leaves a comment open at its end, else None."""
        start = line.find("<!--")
        while start >= 0:
            end = line.find("-->", start + 4)
            if end < 0:
                return index
            start = line.find("<!--", end + 3)
        return None

    @staticmethod
    def check_heading(index: int, text: str, state: SourceState) -> None:
        marker = trailing_marker(text)
        name = text[: marker.start].strip() if marker else text
        state.heading_lines.setdefault(name, state.first_line + index)
        if not marker:
            return
        words = marker.body.split()
        if marker.open == "{" and marker.close == "}" and marker.written.startswith("{:") and ".steps" in words:
            return
        meant = [w for w in words if difflib.SequenceMatcher(None, w.lstrip(".#").lower(), "steps").ratio() >= 0.7]
        if not meant and "steps" not in marker.body.lower():
            return  # another attribute list, e.g. {: #my-id }
        message = f"the heading '{name}' ends with '{marker.written.strip()}', which is not the step-list marker: write '{{: .steps }}' (curly braces, a colon, a dot before steps) to number its list as steps"
        state.problem(index, message)

    @staticmethod
    def check_marker_line(index: int, marker: Marker, above: str, state: SourceState) -> None:
        """An attribute list on a line of its own (above a heading, or below one) is printed as text; one
        under a paragraph gives that paragraph the class, and numbers no list."""
        written = marker.written.strip()
        if marker.open != "{" and not written.startswith("(:"):
            return  # text in brackets, e.g. (see below)
        steps = any(
            difflib.SequenceMatcher(None, word.lstrip(".#").lower(), "steps").ratio() >= 0.7
            for word in marker.body.split()
            if word.startswith((".", "#")) or marker.open == "{"
        )
        where = "the step-list marker goes at the end of the heading line, e.g. '## An Exercise {: .steps }'"
        if above.strip() and heading_text(above) is None:
            if steps:
                state.problem(
                    index, f"'{written}' under a paragraph styles that paragraph and numbers no list: {where}"
                )
            return
        advice = where if steps else "an attribute list goes at the end of the line it belongs to"
        state.problem(index, f"'{written}' stands on a line of its own, so readers would see it as text: {advice}")

    @staticmethod
    def check_inside_a_list(lines: list[str], start: int, end: int, state: SourceState) -> None:
        """A point block between two items of a numbered list must be indented four spaces, as the item's own
        paragraphs are: else Markdown ends the list there and numbers the next item 1 again."""
        indent = len(lines[start]) - len(lines[start].lstrip(" "))
        after = next((line for line in lines[end:] if line.strip()), "")
        item = after.lstrip(" ").split(" ", 1)[0]
        if indent >= 4 or len(item) < 2 or item[-1] not in ".)" or not item[:-1].isdigit() or int(item[:-1]) < 2:
            return
        message = f"this point block is inside a numbered list (it goes on at '{item}' below) but is indented {indent} spaces, so the list would start again at 1: indent every line of the block by four spaces"
        state.problem(start, message)

    def replace_point_blocks(self, lines: list[str], state: SourceState) -> list[str]:
        points = self.md.site_points  # type: ignore[attr-defined]
        output: list[str] = []
        done = 0
        for start, end, glued in find_point_blocks(lines):
            output.extend(lines[done:start])
            numbered = [(state.first_line + i, lines[i]) for i in range(start, end)]
            point, errors = parse_block(numbered)
            if glued:
                message = "a point block must start after an empty line (it is glued to the text above, so it would be read as part of that paragraph)"
                state.problem(start, message)
                output.append("")
            state.problems.extend((error.line or state.first_line + start, str(error)) for error in errors)
            self.check_inside_a_list(lines, start, end, state)
            if point is not None:
                if any(p["id"] == point["id"] for p in points):
                    state.problem(start, f"point {point['label']} is described twice")
                else:
                    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
                    output.append(indent + SLOT.format(len(points)))
                    points.append(point)
            done = end
        output.extend(lines[done:])
        return output
