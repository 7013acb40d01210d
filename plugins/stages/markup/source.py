"""The source check: reads a Markdown file's lines before Python-Markdown does, while line numbers are still known.

- finds point blocks (``Point:`` and misspellings of it), reads and checks them (``markup.points``),
  and leaves one placeholder line per block for the point's slot;
- checks the ``{: .steps }`` marker of headings (``{: .step }``, ``(: .steps )``… are mistakes);
- refuses what the site's Content-Security-Policy would block or what could run code: raw
  ``<script>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<style>``, inline ``on…=`` handlers and
  ``style=`` attributes, and ``javascript:`` links.

:func:`deepest_nesting` finds, before Python-Markdown runs, how deeply lists and quotes are nested:
Python-Markdown parses nested blocks recursively, in time that grows faster than the depth (400
levels take seconds and end in a RecursionError, 1,000 levels most of a minute), so the reader
refuses text nested deeper than :data:`MAX_NESTING` without converting it.

Each mistake is added to the Markdown instance's ``site_problems`` as (line, message); the reader
reports them with the file's name.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from markdown import Markdown
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


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
_MARKER = re.compile(r"(?P<open>[{(]):?(?P<body>[^{}()]*)(?P<close>[})])\s*$")
# a line that is only an attribute list (or a slip of one): Markdown prints it as text
_MARKER_LINE = re.compile(r"^\s{0,3}(?P<open>[{(]):?(?P<body>[^{}()]*)(?P<close>[})])\s*$")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_UNSAFE_TAG = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|frame|frameset|applet|base|form)\b", re.IGNORECASE
)
_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(
    r"(?:\]\(\s*<?|\b(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*)"
    r"(javascript|vbscript|data)\s*:",
    re.IGNORECASE,
)
WHY_CSP = "the site's security policy blocks it, so readers would see a broken box"
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


class SourceCheckPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        state: SourceState = self.md.site_source  # type: ignore[attr-defined]
        self.check_lines(lines, state)
        return self.replace_point_blocks(lines, state)

    def check_lines(self, lines: list[str], state: SourceState) -> None:
        fenced = False
        for index, line in enumerate(lines):
            # the cheap tests first: most lines have no fence, no heading, no code span and no tag
            if ("`" in line or "~" in line) and _FENCE.match(line):
                fenced = not fenced
                continue
            if fenced:
                continue
            if "#" in line[:4]:
                heading = _HEADING.match(line)
                if heading:
                    self.check_heading(index, heading["text"], state)
            if "{" in line[:4] or "(" in line[:4]:
                marker = _MARKER_LINE.match(line)
                if marker:
                    self.check_marker_line(index, marker, lines[index - 1] if index else "", state)
            if "<" not in line and ":" not in line:
                continue
            self.check_html(index, _CODE_SPAN.sub("", line) if "`" in line else line, state)

    @staticmethod
    def check_heading(index: int, text: str, state: SourceState) -> None:
        marker = _MARKER.search(text)
        name = text[: marker.start()].strip() if marker else text
        state.heading_lines.setdefault(name, state.first_line + index)
        if not marker:
            return
        words = marker["body"].split()
        if marker["open"] == "{" and marker["close"] == "}" and marker.group(0).startswith("{:") and ".steps" in words:
            return
        meant = [w for w in words if difflib.SequenceMatcher(None, w.lstrip(".#").lower(), "steps").ratio() >= 0.7]
        if not meant and "steps" not in marker["body"].lower():
            return  # another attribute list, e.g. {: #my-id }
        written = marker.group(0).strip()
        state.problem(
            index,
            f"the heading '{name}' ends with '{written}', which is not the step-list marker: "
            "write '{: .steps }' (curly braces, a colon, a dot before steps) to number its list as steps",
        )

    @staticmethod
    def check_marker_line(index: int, marker: re.Match[str], above: str, state: SourceState) -> None:
        """An attribute list on a line of its own (above a heading, or below one) is printed as text; one
        under a paragraph gives that paragraph the class, and numbers no list."""
        written = marker.group(0).strip()
        if marker["open"] != "{" and not written.startswith("(:"):
            return  # text in brackets, e.g. (see below)
        steps = any(
            difflib.SequenceMatcher(None, word.lstrip(".#").lower(), "steps").ratio() >= 0.7
            for word in marker["body"].split()
            if word.startswith((".", "#")) or marker["open"] == "{"
        )
        where = "the step-list marker goes at the end of the heading line, e.g. '## An Exercise {: .steps }'"
        if above.strip() and not _HEADING.match(above):
            if steps:
                state.problem(
                    index,
                    f"'{written}' under a paragraph styles that paragraph and numbers no list: {where}",
                )
            return
        state.problem(
            index,
            f"'{written}' stands on a line of its own, so readers would see it as text: "
            + (where if steps else "an attribute list goes at the end of the line it belongs to"),
        )

    @staticmethod
    def check_html(index: int, line: str, state: SourceState) -> None:
        if "<" not in line and ":" not in line:
            return
        tag = _UNSAFE_TAG.search(line)
        if tag:
            state.problem(
                index,
                f"raw <{tag[1].lower()}> is not allowed in content: {WHY_CSP}. "
                "Use Markdown for text, links and pictures",
            )
        handler = _HANDLER.search(line)
        if handler:
            state.problem(
                index, f"the '{handler[1]}=' attribute (a script in the page) is not allowed in content: {WHY_CSP}"
            )
        elif _STYLE_ATTRIBUTE.search(line):
            state.problem(
                index,
                f"a 'style=' attribute is not allowed in content: {WHY_CSP}. The theme's stylesheet styles every page",
            )
        url = _SCRIPT_URL.search(line)
        if url:
            state.problem(
                index,
                f"a '{url[1].lower()}:' link is not allowed in content: it would run code or hide "
                "what it opens. Link to a page (e.g. [text]({filename}page.md)) or a web address",
            )

    def replace_point_blocks(self, lines: list[str], state: SourceState) -> list[str]:
        points = self.md.site_points  # type: ignore[attr-defined]
        output: list[str] = []
        done = 0
        for start, end, glued in find_point_blocks(lines):
            output.extend(lines[done:start])
            numbered = [(state.first_line + i, lines[i]) for i in range(start, end)]
            point, errors = parse_block(numbered)
            if glued:
                state.problem(
                    start,
                    "a point block must start after an empty line (it is glued to the text above, "
                    "so it would be read as part of that paragraph)",
                )
                output.append("")
            state.problems.extend((error.line or state.first_line + start, str(error)) for error in errors)
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


def register(md: Markdown, priority: int) -> None:
    md.preprocessors.register(SourceCheckPreprocessor(md), "site_source_check", priority)
