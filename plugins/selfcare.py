"""Markdown syntax for acupressure points and step-by-step exercises, with their data as page metadata.

An author writes a point as a block of ``Key: value`` lines that starts with ``Point:``::

    Point: B23
    Name: Sea of Vitality
    Code: BL23
    Where: between the 2nd and 3rd lumbar vertebrae (at waist level)
    How: Hold as much pressure as you can without causing discomfort
    Hold: approximately one minute
    Helps: lower back pain and sciatica

It becomes ``<section class="point" id="b23">`` with a heading and a definition list, and the
point's fields are added to the article's metadata as ``points`` (for the quick reference and
structured data). ``Hold`` is read as a duration ("one minute" is ``PT1M``), written as
``<time datetime="PT1M">``.

The quick reference lists every point in the article's order; a ``Quick_reference: B23, B47``
line in the metadata chooses the points and their order (a label the article does not describe is
an error).

An author marks a numbered exercise by giving its heading the class ``steps``::

    ## Mindfulness Techniques For Moving The Energy Of Your Back {: .steps }

The first numbered list after that heading gets ``class="steps"`` and ids ``step-1``, ``step-2``...
(a second exercise on the same page: ``<heading id>-step-1``...), and is added to the metadata as
``exercises``.

Mistakes (an unknown key, a point without ``Where``, a duration that cannot be read, a point named
twice, a ``steps`` heading with no list) raise ``SelfCareError``, which Pelican reports with the
file's name.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

logger = logging.getLogger(__name__)

# Field keys an author may write, in the order they are shown, with their labels on the page.
FIELDS = {
    "where": "Where",
    "how": "How to press",
    "hold": "How long",
    "helps": "Helps with",
}
HEADING_KEYS = {"point", "name", "code"}
NOT_DESCRIBED = "Not described here."

_POINT_BLOCK = re.compile(r"\s*point:", re.IGNORECASE)
_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z]+):[ \t]*(?P<value>.*)$")
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty-five": 45, "sixty": 60, "ninety": 90,
}
_DURATION = re.compile(
    r"\b(?P<number>\d+|" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")"
    r"(?:\s+and\s+a\s+half)?\s+(?P<unit>second|minute)s?\b",
    re.IGNORECASE,
)
_HALF = re.compile(r"\band\s+a\s+half\b", re.IGNORECASE)


class SelfCareError(ValueError):
    """A point or step list that cannot be understood; the message is for the author."""


def parse_duration(text: str) -> int:
    """Seconds in a hold time written in words: "approximately one minute" is 60."""
    match = _DURATION.search(text)
    if not match:
        raise SelfCareError(
            f"cannot read a duration in 'Hold: {text}' "
            "(write it like 'about one minute' or '30 seconds')"
        )
    word = match["number"].lower()
    number = float(word) if word.isdigit() else float(_NUMBERS[word])
    if _HALF.search(match.group(0)):
        number += 0.5
    return int(number * (60 if match["unit"].lower() == "minute" else 1))


def iso_duration(seconds: int) -> str:
    """ISO 8601 duration for a <time datetime>: 60 is PT1M, 90 is PT1M30S."""
    minutes, rest = divmod(seconds, 60)
    return "PT" + (f"{minutes}M" if minutes else "") + (f"{rest}S" if rest or not minutes else "")


def point_id(label: str) -> str:
    """The anchor of a point: "B23" is "b23"."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


class PointBlockProcessor(BlockProcessor):
    """Turns a ``Point:`` block into a point section and records its fields."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return _POINT_BLOCK.match(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        point = self._parse(blocks.pop(0))
        used = self.parser.md.selfcare_points  # type: ignore[attr-defined]
        if any(p["id"] == point["id"] for p in used):
            raise SelfCareError(f"point {point['label']} is described twice")
        used.append(point)
        parent.append(render_point(point))

    @staticmethod
    def _parse(block: str) -> dict[str, Any]:
        fields: dict[str, str] = {}
        key = ""
        for line in block.strip().splitlines():
            match = _KEY_LINE.match(line.strip())
            if match and match["key"].lower() in FIELDS.keys() | HEADING_KEYS:
                key = match["key"].lower()
                if key in fields:
                    raise SelfCareError(f"'{match['key']}:' is given twice in point block '{block.splitlines()[0].strip()}'")
                fields[key] = match["value"].strip()
            elif match and not key:
                raise SelfCareError(f"unknown key '{match['key']}:' in a point block")
            elif key:  # a continuation line belongs to the field above it
                fields[key] = f"{fields[key]} {line.strip()}".strip()
            else:
                raise SelfCareError(f"cannot read the line '{line.strip()}' in a point block")
        label = fields.get("point", "")
        if not label:
            raise SelfCareError("a point block has no name after 'Point:'")
        if not fields.get("where"):
            raise SelfCareError(f"point {label} has no 'Where:' line")
        point: dict[str, Any] = {
            "id": point_id(label),
            "label": label,
            "name": fields.get("name", ""),
            "code": fields.get("code", ""),
            **{key: fields.get(key, "") for key in FIELDS},
            "seconds": None,
            "duration": "",
        }
        if point["hold"]:
            point["seconds"] = parse_duration(point["hold"])
            point["duration"] = iso_duration(point["seconds"])
        return point


def render_point(point: dict[str, Any]) -> etree.Element:
    """The point's section: heading with its name and code, then where / how / how long / helps.

    The fields are plain text (as in the quick reference), so Markdown does not scan them again."""
    section = etree.Element(
        "section",
        {"class": "point", "id": point["id"], "aria-labelledby": f"{point['id']}-name", "data-point": point["label"]},
    )
    if point["seconds"]:
        section.set("data-hold-seconds", str(point["seconds"]))
    heading = etree.SubElement(section, "h3", {"id": f"{point['id']}-name"})
    etree.SubElement(heading, "span", {"class": "point-label"}).text = AtomicString(point["label"])
    also = [part for part in (point["name"], f"standard code {point['code']}" if point["code"] else "") if part]
    if also:
        etree.SubElement(heading, "span", {"class": "point-also"}).text = AtomicString(" · ".join(also))
        heading[0].tail = " "
    fields = etree.SubElement(section, "dl", {"class": "point-fields"})
    for key, title in FIELDS.items():
        if key == "helps" and not point[key]:
            continue
        etree.SubElement(fields, "dt").text = AtomicString(title)
        value = etree.SubElement(fields, "dd", {"data-field": key})
        if not point[key]:
            value.set("class", "not-described")
            value.text = AtomicString(NOT_DESCRIBED)
        elif key == "hold":
            etree.SubElement(value, "time", {"datetime": point["duration"]}).text = AtomicString(point[key])
        else:
            value.text = AtomicString(point[key])
    return section


class StepListTreeprocessor(Treeprocessor):
    """Gives the numbered list after a ``{: .steps }`` heading its step ids and records its steps."""

    def run(self, root: etree.Element) -> None:
        children = list(root)
        for index, element in enumerate(children):
            classes = element.get("class", "").split()
            if not re.fullmatch(r"h[1-6]", element.tag) or "steps" not in classes:
                continue
            classes.remove("steps")
            if classes:
                element.set("class", " ".join(classes))
            else:
                del element.attrib["class"]
            steps_list = self._list_after(children, index)
            name = "".join(element.itertext()).strip()
            if steps_list is None:
                raise SelfCareError(f"the heading '{name}' is marked {{: .steps }} but no numbered list follows it")
            exercises = self.md.selfcare_exercises  # type: ignore[attr-defined]
            prefix = "step" if not exercises else f"{element.get('id', f'exercise-{len(exercises) + 1}')}-step"
            steps_list.set("class", " ".join(filter(None, [steps_list.get("class"), "steps"])))
            steps_list.set("data-steps", name)
            steps = []
            for number, item in enumerate(steps_list.findall("li"), start=1):
                item.set("id", f"{prefix}-{number}")
                steps.append({"id": item.get("id"), "text": " ".join("".join(item.itertext()).split())})
            exercises.append({"name": name, "id": element.get("id", ""), "steps": steps})

    @staticmethod
    def _list_after(children: list[etree.Element], index: int) -> etree.Element | None:
        level = children[index].tag
        for element in children[index + 1:]:
            if re.fullmatch(r"h[1-6]", element.tag) and element.tag <= level:
                return None
            if element.tag == "ol":
                return element
        return None


class SelfCareExtension(Extension):
    """Registers the point blocks and step lists on one Markdown instance."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.selfcare_points = []  # type: ignore[attr-defined]
        md.selfcare_exercises = []  # type: ignore[attr-defined]
        md.parser.blockprocessors.register(PointBlockProcessor(md.parser), "selfcare_point", 25)
        # after attr_list (8) has set the heading's class and the headings plugin (5) its id
        md.treeprocessors.register(StepListTreeprocessor(md), "selfcare_steps", 4)


class SelfCareMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with the self-care syntax; adds ``points`` and ``exercises`` to the metadata."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        # Pelican's read(), with our extension and our data taken before the metadata is parsed
        # (parsing a Summary: field resets the Markdown instance).
        self._source_path = source_path
        settings = dict(self.settings["MARKDOWN"])
        settings["extensions"] = [*settings.get("extensions", []), SelfCareExtension()]
        self._md = Markdown(**settings)
        try:
            with pelican_open(source_path) as text:
                content = self._md.convert(text)
            points, exercises = self._md.selfcare_points, self._md.selfcare_exercises  # type: ignore[attr-defined]
            metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
            metadata["quick_reference"] = quick_reference(points, metadata.get("quick_reference"))
        except SelfCareError as mistake:
            # Pelican's own report of a failed file leaves out why; say it, naming the file
            root = Path(self.settings["PATH"]).resolve().parent
            logger.error("%s: %s", Path(source_path).resolve().relative_to(root).as_posix(), mistake)
            raise
        metadata["points"] = points
        metadata["exercises"] = exercises
        return content, metadata


def quick_reference(points: list[dict[str, Any]], wanted: str | None) -> list[dict[str, Any]]:
    """The points of the quick reference: all, in the article's order, or those a
    ``Quick_reference: B23, B47`` line names, in its order."""
    if not wanted:
        return list(points)
    by_label = {point["label"].lower(): point for point in points}
    chosen = []
    for label in (part.strip() for part in wanted.split(",")):
        if label.lower() not in by_label:
            known = ", ".join(point["label"] for point in points) or "none"
            raise SelfCareError(
                f"the Quick_reference: line names {label}, but the article has no 'Point: {label}' block "
                f"(its points: {known})"
            )
        chosen.append(by_label[label.lower()])
    return chosen


def use_selfcare_reader(readers: Any) -> None:
    """Reads every Markdown file with the self-care syntax."""
    for extension in SelfCareMarkdownReader.file_extensions:
        readers.reader_classes[extension] = SelfCareMarkdownReader


def register() -> None:
    signals.readers_init.connect(use_selfcare_reader)
