"""Checks of the files the site publishes as they are (pictures, the favicon, the theme's files): nothing in them runs.

A picture is published at the site's own address, so an SVG opened on its own (a reader follows
the diagram's link) is a document of the site: a script in it would run with the site's
cookies and storage, and a reference to another site would make the reader's browser ask it.
Every SVG is read with the standard library's XML parser (expat), with its line numbers, and
refused, naming file and line, when it has:

- a ``<!DOCTYPE>`` or ``<!ENTITY>`` declaration (they can fetch other files or expand into
  gigabytes; the parser stops at the declaration and never resolves an entity), or an
  ``<?xml-stylesheet?>`` instruction (a style sheet or XSLT program from elsewhere);
- a ``<script>`` (in any namespace), ``<foreignObject>`` (a web page inside the picture), or an
  element that embeds another document (``<iframe>``, ``<object>``, ``<embed>``…);
- an event attribute (``onload=``, ``onclick=``… in any namespace);
- a reference (``href``, ``xlink:href``, ``src``, ``xml:base``…) to another site (``http:``,
  ``https:``, ``//``), to code (``javascript:``, ``vbscript:``), or to a data: URL that is not a
  plain picture (``data:text/html``, ``data:image/svg+xml``…), also as the value an animation
  would set (``<set to="javascript:…">``);
- CSS (a ``<style>`` element, a ``style=`` attribute, or ``fill="url(…)"``) that imports a style
  sheet (``@import``) or loads a file from another site with ``url(…)``;
- a root element other than ``<svg>`` (an XHTML page saved as .svg is still a page).

Files a browser runs as a page or a program (.html, .js, .xsl, a compressed .svgz that cannot
be checked…) are not published from content/ at all (the theme's own script is the site's code).
"""

from __future__ import annotations

import os
import re
import xml.parsers.expat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stages.checks.problems import Problem, author_path, report

# Files a browser would run as a page or a program when opened from the site's address
RUNNABLE_SUFFIXES = {
    ".html": "a web page",
    ".htm": "a web page",
    ".xhtml": "a web page",
    ".xht": "a web page",
    ".shtml": "a web page",
    ".js": "a script",
    ".mjs": "a script",
    ".xsl": "an XSLT program",
    ".xslt": "an XSLT program",
    ".svgz": "a compressed SVG picture (it cannot be checked)",
}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Elements that run code or embed another document (compared in lower case, in any namespace)
ACTIVE_ELEMENTS = {
    "script": "runs code when the picture is opened on its own",
    "handler": "runs code when the picture is opened on its own",
    "listener": "runs code when the picture is opened on its own",
    "foreignobject": "embeds a web page inside the picture, which can run code and load other sites",
    "iframe": "embeds another web page",
    "frame": "embeds another web page",
    "frameset": "embeds other web pages",
    "object": "embeds another document",
    "embed": "embeds another document",
    "applet": "embeds a program",
    "base": "changes where every link in the picture leads",
    "meta": "can send the reader elsewhere",
    "link": "loads another file into the picture",
}
# Attributes that refer to another file (local names, lower case)
REFERENCE_ATTRIBUTES = {"href", "src", "base", "action", "formaction", "data", "srcset"}
# The only data: URLs a picture may hold: pictures that cannot run anything
_PLAIN_PICTURE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp|avif)[;,]")
_CODE_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript):")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_CSS_URL = re.compile(r"url\(\s*(?P<quote>[\"']?)(?P<target>.*?)(?P=quote)\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
MAX_PROBLEMS_PER_FILE = 20
ADVICE = "save the drawing again as a plain SVG, without it"
ELSEWHERE = (
    "the site's pictures load nothing from elsewhere: copy the file into content/images/ and refer to it by its name"
)


class _RefusedError(Exception):
    """Stops the parser at a declaration it must not read further."""


def check_published_files(settings: dict[str, Any], statics: list[Any]) -> None:
    """Runs once the whole site is read: every file published as it is, from content/ and the theme."""
    content = Path(settings["PATH"]).resolve()
    for path in sorted(published_files(settings, statics)):
        name = author_path(str(path), settings)
        suffix = path.suffix.lower()
        if suffix in RUNNABLE_SUFFIXES and path.resolve().is_relative_to(content):  # the theme's own JS is code
            report(
                Problem(
                    name,
                    0,
                    f"is {RUNNABLE_SUFFIXES[suffix]}, which a browser would run on the site's address if it "
                    "were published among its files; the site publishes pages written in Markdown (.md), "
                    "pictures and documents only: remove it"
                    + (" (or save it as a plain .svg)" if suffix == ".svgz" else ""),
                )
            )
        elif suffix == ".svg":
            for line, message in svg_problems(path):
                report(Problem(name, line, message))


def published_files(settings: dict[str, Any], statics: list[Any]) -> Iterable[Path]:
    """The files copied as they are into the site: content's static files and the theme's static folders."""
    seen: set[Path] = set()
    for generator in statics:
        for static in generator.staticfiles:
            path = Path(static.source_path)
            if path not in seen:
                seen.add(path)
                yield path
    theme = Path(settings["THEME"])
    for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
        root = theme / folder
        if root.is_file():
            candidates: Iterable[Path] = [root]
        else:
            candidates = (Path(base, file) for base, _, files in os.walk(root) for file in files)
        for path in candidates:
            if path not in seen:
                seen.add(path)
                yield path


def svg_problems(path: Path) -> list[tuple[int, str]]:
    """What in an SVG file could run or load something: (line, message) pairs, in the order found."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return [(0, f"cannot be read ({error.strerror})")]
    return SvgCheck().check(data)


class SvgCheck:
    """One SVG file read by expat, with every element's attributes and style text checked as they come."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.EntityDeclHandler = self.entity
        self.parser.ExternalEntityRefHandler = self.external_entity
        self.parser.ProcessingInstructionHandler = self.instruction
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.depth = 0
        self.style_depth = 0  # inside a <style> element
        self.style_text: list[str] = []
        self.style_line = 0

    @property
    def line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def add(self, message: str, line: int | None = None) -> None:
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append((self.line if line is None else line, message))

    def check(self, data: bytes) -> list[tuple[int, str]]:
        try:
            self.parser.Parse(data, True)
        except _RefusedError:
            pass
        except xml.parsers.expat.ExpatError as error:
            self.problems.append(
                (
                    error.lineno,
                    f"is not a well-formed SVG picture ({xml.parsers.expat.ErrorString(error.code)}), so "
                    "browsers would show nothing, and the site cannot check it: save it again from the drawing "
                    "program",
                )
            )
        return self.problems

    # declarations: refused before anything in them is read
    def doctype(self, name: str, *_: Any) -> None:
        self.add(
            f"has a <!DOCTYPE {name} …> declaration: the site refuses document type and entity declarations "
            "in pictures (they can make the reader's browser fetch other files, or expand into gigabytes of "
            "text); delete the <!DOCTYPE …> declaration, an SVG picture needs none"
        )
        raise _RefusedError

    def entity(self, name: str, *_: Any) -> None:
        self.add(
            f"declares the entity '{name}' (<!ENTITY …>): the site refuses document type and entity "
            "declarations in pictures; delete it"
        )
        raise _RefusedError

    def external_entity(self, *_: Any) -> int:
        self.add("refers to an external entity: the site refuses entity declarations in pictures; delete it")
        raise _RefusedError

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.add(
                "has an <?xml-stylesheet …?> instruction, which loads a style sheet or a program into the "
                f"picture; {ADVICE}"
            )

    # elements
    def start(self, qualified: str, attributes: dict[str, str]) -> None:
        namespace, _, tag = qualified.rpartition(" ")
        shown = tag
        if self.depth == 0 and (tag != "svg" or namespace != SVG_NAMESPACE):
            self.add(
                f"is not an SVG picture: its first element is <{tag}>"
                + ("" if tag != "svg" else ' outside the SVG namespace (xmlns="http://www.w3.org/2000/svg")')
                + ", and a browser would open it as a document; save it as an SVG picture"
            )
        self.depth += 1
        why = ACTIVE_ELEMENTS.get(tag.lower())
        if why:
            self.add(f"<{shown}> is not allowed in a picture: it {why}; {ADVICE}")
        if tag.lower() == "style":
            if self.style_depth == 0:
                self.style_text, self.style_line = [], self.line
            self.style_depth += 1
        for qualified_name, value in attributes.items():
            self.attribute(shown, qualified_name, value)

    def end(self, qualified: str) -> None:
        self.depth -= 1
        if qualified.rpartition(" ")[2].lower() == "style" and self.style_depth:
            self.style_depth -= 1
            if self.style_depth == 0:
                self.css("".join(self.style_text), "the <style>", self.style_line)

    def text(self, data: str) -> None:
        if self.style_depth:
            self.style_text.append(data)

    def attribute(self, tag: str, qualified_name: str, value: str) -> None:
        namespace, _, name = qualified_name.rpartition(" ")
        shown = ("xlink:" if namespace == "http://www.w3.org/1999/xlink" else "") + name
        if namespace == "http://www.w3.org/XML/1998/namespace":
            shown = f"xml:{name}"
        lower = name.lower()
        if lower.startswith("on"):
            self.add(f"the '{shown}=' attribute on <{tag}> runs code (an event handler); {ADVICE}")
            return
        target = _INVISIBLE.sub("", value).lower()
        if lower in REFERENCE_ATTRIBUTES:
            mistake = reference_mistake(target)
            if mistake:
                self.add(f'<{tag} {shown}="{shorten(value)}"> {mistake}')
                return
        elif _CODE_SCHEME.match(target) or target.startswith("data:text/html"):
            # e.g. <set attributeName="href" to="javascript:…">: the value an animation would give a link
            self.add(f"the '{shown}=' attribute on <{tag}> holds '{shorten(value)}', which would run code; {ADVICE}")
            return
        if "url(" in target or "@import" in target or lower == "style":
            self.css(value, f"the '{shown}=' attribute on <{tag}>", self.line)

    def css(self, text: str, where: str, line: int) -> None:
        """CSS of a <style> element (starting on `line`) or of an attribute (on `line`)."""
        for match in _CSS_IMPORT.finditer(text):
            self.add(
                f"{where} loads another style sheet with @import; {ADVICE}", line + text.count("\n", 0, match.start())
            )
        for match in _CSS_URL.finditer(text):
            mistake = reference_mistake(_INVISIBLE.sub("", match["target"]).lower())
            if mistake:
                self.add(
                    f"{where} has 'url({shorten(match['target'])})', which {mistake}",
                    line + text.count("\n", 0, match.start()),
                )


def reference_mistake(target: str) -> str:
    """What is wrong with a reference from a picture (already stripped of blanks and lower-cased), or ""."""
    if target.startswith(("//", "\\\\", "/\\", "\\/")):
        return f"refers to a file on another site; {ELSEWHERE}"
    scheme = _SCHEME.match(target)
    if not scheme:
        return ""  # "#id", or a file of the site
    if scheme[1] in ("http", "https", "ftp", "ws", "wss"):
        return f"refers to a file on another site ({scheme[1]}:); {ELSEWHERE}"
    if _CODE_SCHEME.match(target):
        return f"runs code ({scheme[1]}:); {ADVICE}"
    if scheme[1] == "data":
        if _PLAIN_PICTURE.match(target):
            return ""
        return (
            f"embeds a document ({target[:30].split(',')[0]}) that could run code; only PNG, JPEG, GIF, WebP "
            f"or AVIF pictures may be embedded; {ADVICE}"
        )
    return f"uses the address scheme '{scheme[1]}:', which a picture of the site has no use for; {ADVICE}"


def shorten(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
