"""Checks of the files the site publishes as they are (pictures, the favicon, the theme's files): nothing in them runs.

A picture is published at the site's own address, so an SVG opened on its own (a reader follows
the diagram's link) is a document of the site: a script in it would run with the site's
cookies and storage, and a reference to another site would make the reader's browser ask it.
Every SVG is read with the standard library's XML parser (expat), with its line numbers, and checked
against allow-lists (``SVG_ELEMENTS``, ``SVG_ATTRIBUTES``; SECURITY.md lists what is refused): a
declaration stops the parser before anything in it is read, and CSS is read after its escapes are
undone (``\\69mport`` is ``import``) and its comments removed. Only the file types on
``PUBLISHED_TYPES`` (and the settings' files at the site's root, ``EXTRA_PATH_METADATA``) are
published from content/; a refused file is not copied. Each check is one linear pass.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from pathlib import Path
from typing import Any

from PIL import Image

from stages.checks.problems import Problem, Severity, author_path, report

# What content/ may publish as it is, by file type (the suffix, in lower case)
PUBLISHED_TYPES = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"), "picture"),
    ".svg": "picture (checked: nothing in it may run or load another file)",
    ".pdf": "document",
    ".ico": "icon",
}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Editors' metadata, which browsers never render (Inkscape, Sodipodi, RDF, Dublin Core, Creative Commons)
METADATA_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
}
SVG_ELEMENTS = set(
    """svg g defs symbol use title desc metadata switch view path rect circle ellipse line polyline polygon text
    tspan textPath linearGradient radialGradient stop pattern clipPath mask marker image style a filter feBlend
    feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap
    feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge
    feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence animate
    animateMotion animateTransform mpath set""".split()
)
SVG_ATTRIBUTES = set(
    """id class style lang tabindex role transform viewBox preserveAspectRatio version baseProfile width height x y
    x1 y1 x2 y2 cx cy r rx ry fx fy fr d points pathLength dx dy rotate textLength lengthAdjust startOffset
    method spacing side href gradientUnits gradientTransform spreadMethod offset patternUnits
    patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits markerUnits markerWidth
    markerHeight refX refY orient filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3
    k4 values type tableValues slope intercept amplitude exponent order kernelMatrix divisor bias targetX
    targetY edgeMode kernelUnitLength preserveAlpha surfaceScale specularConstant specularExponent
    diffuseConstant azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle baseFrequency numOctaves
    seed stitchTiles scale xChannelSelector yChannelSelector radius requiredExtensions requiredFeatures
    systemLanguage fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin
    stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity color font-family font-size
    font-weight font-style font-variant font-stretch text-anchor dominant-baseline alignment-baseline
    baseline-shift letter-spacing word-spacing text-decoration writing-mode direction unicode-bidi visibility
    display overflow clip clip-path clip-rule mask filter marker-start marker-mid marker-end stop-color
    stop-opacity color-interpolation color-interpolation-filters flood-color flood-opacity lighting-color
    shape-rendering text-rendering image-rendering vector-effect paint-order pointer-events cursor
    enable-background mix-blend-mode isolation transform-origin font-size-adjust kerning attributeName
    attributeType begin dur end min max restart repeatCount repeatDur calcMode keyTimes keySplines from to by
    additive accumulate path keyPoints space""".split()
)
# Attributes that refer to another file (local names, lower case)
REFERENCE_ATTRIBUTES = {"href", "src", "base", "action", "formaction", "data", "srcset"}
# The only data: URLs a picture may hold: pictures that cannot run anything
_PLAIN_PICTURE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp|avif)[;,]")
_CODE_SCHEME = re.compile(r"^(?:javascript|vbscript|livescript):")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# A CSS escape: a backslash and 1-6 hex digits (and one blank after them), or a backslash and any character
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)
_CSS_LOADS = ("url(", "image-set(", "image(", "src(", "cross-fade(")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
MAX_PROBLEMS_PER_FILE = 20
MAX_SVG_BYTES = 2_000_000
LARGE_FILE_BYTES = 1_000_000  # past this a picture is named (a warning): on a slow phone it takes seconds
MAX_FILE_BYTES = 10_000_000
SMALLER = "save it smaller (a photo 1600 pixels wide, as JPEG of quality 80, is about 300 KB)"
ADVICE = "save the drawing again as a plain SVG, without it"
ELSEWHERE = (
    "the site's pictures load nothing from elsewhere: copy the file into content/images/ and refer to it by its name"
)


class _RefusedError(Exception):
    """Stops the parser at a declaration it must not read further."""


def check_published_files(settings: dict[str, Any], statics: list[Any]) -> None:
    """Runs once the whole site is read, before anything is written: every file content/ would publish as it
    is must be of a type on the list and stay inside content/ and the output folder; a refused file is taken
    off the list of files to copy, so it is never written. The theme's files are the site's own code."""
    content = Path(settings["PATH"]).resolve()
    output = Path(settings["OUTPUT_PATH"]).resolve()
    allowed = ", ".join(sorted(PUBLISHED_TYPES))
    for generator in statics:
        kept = []
        for static in generator.staticfiles:
            path = Path(static.source_path)
            name = author_path(str(path), settings)
            suffix = path.suffix.lower()
            own = Path(static.relative_source_path).as_posix() in settings.get("EXTRA_PATH_METADATA", {})
            if not path.resolve().is_relative_to(content):
                refusal = "is outside content/, where a '{static}' or '{attach}' link reached it; the site publishes files of content/ only: copy it into content/images/ and link to it there"
            elif not output.joinpath(static.save_as).resolve().is_relative_to(output):
                refusal = f"would be written at '{static.save_as}', outside the site's folder"
            elif suffix not in PUBLISHED_TYPES and not own:
                refusal = f"is not a file type the site publishes ('{suffix or path.name}'); content/ publishes pages written in Markdown (.md) and files of these types: {allowed}. Remove it, or save it as one of them"
            else:
                kept.append(static)
                found = svg_problems(path) if suffix == ".svg" else file_problems(path)
                for line, message, *severity in found:
                    report(Problem(name, line, message, *severity))
                continue
            report(Problem(name, 0, refusal))
        generator.staticfiles[:] = kept
        if "staticfiles" in generator.context:
            generator.context["staticfiles"][:] = [s for s in generator.context["staticfiles"] if s in kept]


def file_problems(path: Path) -> list[tuple[int, str, Severity]]:
    """A picture Pillow cannot read (a corrupt file, or another kind of file under a picture's name), a PDF
    that is not one, and a file large enough to make a reader on a phone wait (a warning; an error over 10 MB)."""
    problems: list[tuple[int, str, Severity]] = []
    size = path.stat().st_size
    if path.suffix.lower() == ".pdf":
        with path.open("rb") as file:
            if file.read(5) != b"%PDF-":
                problems.append((0, "is not a PDF document (it does not start as one): save it again as PDF", "error"))
    elif path.suffix.lower() in PUBLISHED_TYPES:
        try:
            with Image.open(path) as picture:
                picture.verify()
        except Exception as error:  # Pillow raises many kinds for a broken file
            message = (
                f"is not a picture that can be shown ({type(error).__name__}): save it again from the photo program"
            )
            problems.append((0, message, "error"))
    if size > MAX_FILE_BYTES:
        message = f"is {size / 1e6:.1f} MB, more than the {MAX_FILE_BYTES // 10**6} MB the site publishes: {SMALLER}"
        problems.append((0, message, "error"))
    elif size > LARGE_FILE_BYTES:
        problems.append((0, f"is {size / 1e6:.1f} MB: a reader on a phone waits for it; {SMALLER}", "warning"))
    return problems


def svg_problems(path: Path) -> list[tuple[int, str]]:
    """What in an SVG file is off the allow-lists: (line, message) pairs, in the order found."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return [(0, f"cannot be read ({error.strerror})")]
    if len(data) > MAX_SVG_BYTES:
        return [(0, f"is {len(data):,} bytes, more than the {MAX_SVG_BYTES:,} the site reads in a picture")]
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
            message = f"is not a well-formed SVG picture ({xml.parsers.expat.ErrorString(error.code)}), so browsers would show nothing, and the site cannot check it: save it again from the drawing program"
            self.problems.append((error.lineno, message))
        return self.problems

    # declarations: refused before anything in them is read
    def doctype(self, name: str, *_: Any) -> None:
        self.add(
            f"has a <!DOCTYPE {name} …> declaration: the site refuses document type and entity declarations in pictures (they can make the reader's browser fetch other files, or expand into gigabytes of text); delete the <!DOCTYPE …> declaration, an SVG picture needs none"
        )
        raise _RefusedError

    def entity(self, name: str, *_: Any) -> None:
        self.add(
            f"declares the entity '{name}' (<!ENTITY …>): the site refuses document type and entity declarations in pictures; delete it"
        )
        raise _RefusedError

    def external_entity(self, *_: Any) -> int:
        self.add("refers to an external entity: the site refuses entity declarations in pictures; delete it")
        raise _RefusedError

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.add(
                f"has an <?xml-stylesheet …?> instruction, which loads a style sheet or a program into the picture; {ADVICE}"
            )

    # elements
    def start(self, qualified: str, attributes: dict[str, str]) -> None:
        namespace, _, tag = qualified.rpartition(" ")
        if self.depth == 0 and (tag != "svg" or namespace != SVG_NAMESPACE):
            self.add(
                f"is not an SVG picture: its first element is <{tag}>"
                + ("" if tag != "svg" else ' outside the SVG namespace (xmlns="http://www.w3.org/2000/svg")')
                + ", and a browser would open it as a document; save it as an SVG picture"
            )
        self.depth += 1
        if namespace in METADATA_NAMESPACES:
            return  # an editor's notes, never rendered
        if namespace != SVG_NAMESPACE or tag not in SVG_ELEMENTS:
            self.add(
                f"<{tag}> is not an element of an SVG drawing the site publishes (no scripts, web pages or other documents inside a picture); {ADVICE}"
            )
        if tag == "style":
            if self.style_depth == 0:
                self.style_text, self.style_line = [], self.line
            self.style_depth += 1
        for qualified_name, value in attributes.items():
            self.attribute(tag, qualified_name, value)

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
        shown = {XLINK: "xlink:", XML: "xml:"}.get(namespace, "") + name
        if namespace in METADATA_NAMESPACES:
            return
        if name.lower().startswith("on"):
            self.add(f"the '{shown}=' attribute on <{tag}> runs code (an event handler); {ADVICE}")
            return
        known = name in SVG_ATTRIBUTES or name.startswith("aria-") or shown in ("xml:space", "xml:lang")
        if namespace not in ("", XLINK, XML) or not known:
            self.add(f"the '{shown}=' attribute on <{tag}> is not one of an SVG drawing; {ADVICE}")
            return
        target = _INVISIBLE.sub("", value).lower()
        if name == "attributeName" and target.rpartition(":")[2] in REFERENCE_ATTRIBUTES | {"style"}:
            self.add(f"<{tag}> animates '{value}', which could make a link run code or load a file; {ADVICE}")
        elif name.lower() in REFERENCE_ATTRIBUTES:
            if mistake := reference_mistake(target):
                self.add(f'<{tag} {shown}="{shorten(value)}"> {mistake}')
        elif _CODE_SCHEME.match(target) or target.startswith("data:text/html") or "javascript:" in target:
            # e.g. <set to="javascript:…"> or <animate values="#;javascript:…">: a value an animation would set
            self.add(f"the '{shown}=' attribute on <{tag}> holds '{shorten(value)}', which would run code; {ADVICE}")
        elif name == "style" or "(" in target or "@" in target:
            self.css(value, f"the '{shown}=' attribute on <{tag}>", self.line)

    def css(self, text: str, where: str, line: int) -> None:
        """CSS of a <style> element (starting on `line`) or of an attribute (on `line`), read as a browser
        reads it: escapes undone, comments removed; then no @import, and every url(), image-set()… local."""
        plain = _CSS_ESCAPE.sub(_unescape_css, text)
        parts, start = [], 0
        while (opening := plain.find("/*", start)) >= 0:
            parts.append(plain[start:opening])
            closing = plain.find("*/", opening + 2)
            start = len(plain) if closing < 0 else closing + 2
        lower = ("".join(parts) + plain[start:]).lower()
        if "@import" in lower:
            self.add(
                f"{where} loads another style sheet with @import; {ADVICE}",
                line + lower.count("\n", 0, lower.find("@import")),
            )
        for function in _CSS_LOADS:
            position = lower.find(function)
            while position >= 0 and len(self.problems) < MAX_PROBLEMS_PER_FILE:
                following = lower.find(function, position + len(function))
                # its arguments end at ")", or where the next call starts: each character is read once
                end = lower.find(")", position, following if following >= 0 else None)
                stop = end if end >= 0 else following if following >= 0 else len(lower)
                arguments = lower[position + len(function) : stop]
                for target in arguments.replace('"', " ").replace("'", " ").replace(",", " ").split():
                    if mistake := reference_mistake(target) if not target[0].isdigit() else "":
                        self.add(
                            f"{where} has '{function}{shorten(target)})', which {mistake}",
                            line + lower.count("\n", 0, position),
                        )
                        break
                position = following


def _unescape_css(match: re.Match[str]) -> str:
    if match[2] is not None:
        return "" if match[2] == "\n" else match[2]
    code = int(match[1], 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


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
        kind = target[:30].split(",")[0]
        return (
            ""
            if _PLAIN_PICTURE.match(target)
            else f"embeds a document ({kind}) that could run code; only PNG, JPEG, GIF, WebP or AVIF pictures may be embedded; {ADVICE}"
        )
    return f"uses the address scheme '{scheme[1]}:', which a picture of the site has no use for; {ADVICE}"


def shorten(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
