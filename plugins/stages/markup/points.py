"""Acupressure points written as ``Key: value`` blocks, read into data that the theme renders.

An author writes::

    Point: B23
    Name: Sea of Vitality
    Code: BL23
    Where: between the 2nd and 3rd lumbar vertebrae (at waist level)
    Hold: approximately one minute

The block is read from the source lines (so every mistake has its line number), checked, and
replaced in the HTML by a slot, ``<section data-point-slot="b23"></section>``, that the
components stage (``markup.components``) fills with the theme's ``components/point.html``. The
point's data goes into the page's metadata (``points``, in the order of the text, and ``doing_order``,
in the order a reader does them), which the article's summary, the hold timers and the structured
data read too: every label of a field is in ``FIELDS``.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

from markdown.blockprocessors import BlockProcessor


@dataclass(frozen=True)
class Field:
    """A field of a point: the key an author writes, its label on the page, and whether the
    structured data's step text includes it."""

    key: str
    label: str
    in_steps: bool = True


# The fields of a point, in order. Point, Name and Code make its heading; the page shows Where and
# How long for every point, How and Helps only where the author gives them.
FIELDS = (
    Field("where", "Where"),
    Field("how", "How to press"),
    Field("hold", "How long"),
    Field("helps", "Helps with", in_steps=False),
)
HEADING_KEYS = ("point", "name", "code")
KEYS = HEADING_KEYS + tuple(field.key for field in FIELDS)
# What the page says of a point whose text gives no hold time (a duration is never made up)
NO_TIME = "No time given"
# Words authors reach for instead of a key, and the key they mean
SYNONYMS = {
    word: key
    for key, words in {
        "hold": "how long|duration|time|hold time|holding",
        "helps": "help|helps with|good for|for",
        "where": "location|where to press|place",
        "how": "how to press|method|technique|pressure",
        "name": "title",
        "code": "standard code|who code",
    }.items()
    for word in words.split("|")
}


# A point as data: id, label, name and code, one key for each of FIELDS (its text, "" when not given),
# seconds (int, or None when it has no hold time) and duration (ISO 8601, "" without a hold time)
Point = dict[str, Any]


class PointError(ValueError):
    """A mistake in a point block; ``line`` is its line in the file (0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z]*(?:[ -][A-Za-z]+){0,2})\s*:[ \t]*(?P<value>.*)$")
_NUMBERS = {
    word: number
    for number, words in enumerate(
        "zero|one a an|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
        "seventeen|eighteen|nineteen|twenty".split("|")
    )
    for word in words.split()
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {"second": 1, "seconds": 1, "sec": 1, "secs": 1, "s": 1, "minute": 60, "minutes": 60, "min": 60, "mins": 60}
_RANGE = {"to", "or", "-", "–", "—"}
_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+|[-–—½]")
MAX_HOLD = 10 * 60
SLOT = "\x02point-slot:{}\x03"
_SLOT = re.compile(r"^\x02point-slot:(\d+)\x03$")


def parse_duration(text: str) -> int | None:
    """Seconds in a hold time written in words ("approximately one minute" is 60, "1.5 minutes" 90, "a minute and
    a half" 90, "1 min 30 s" 90, "half a minute" 30), or None when it counts something else ("3 deep breaths":
    the reader counts up). Anything else with a time in it (a range, a number without its unit) is refused."""
    tokens = _TOKEN.findall(text.lower().replace("½", " ½ "))
    if not any(token in _UNITS for token in tokens):
        if any(token[0].isdigit() or (token in _NUMBERS and token not in ("a", "an")) for token in tokens):
            return None  # a count, not a time
        raise PointError(f"cannot read a duration in 'Hold: {text}' (write it like 'about one minute' or '30 seconds')")
    total, number, unit = 0.0, None, 0
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else ""
        value = float(token) if token[0].isdigit() else _NUMBERS.get(token)
        if token in _RANGE and number is not None and before not in ("forty", "twenty", "thirty", "fifty", "sixty"):
            raise PointError(
                f"'Hold: {text}' gives a range: write the one time the reader's timer counts, e.g. 'Hold: 1 minute'"
            )
        if token in _UNITS and not (token == "s" and number is None):
            if number is None:
                raise PointError(f"'Hold: {text}': no number before '{token}' (write e.g. 'Hold: 30 seconds')")
            total, number, unit = total + number * _UNITS[token], None, _UNITS[token]
        elif token == "½" or (token == "half" and before in ("a", "and")):
            if number is None and unit:
                total += unit / 2  # "a minute and a half"
            else:
                number = (number or 0) + 0.5
        elif token == "half":
            number = 0.5  # "half a minute"
        elif value is not None and not (token in ("a", "an") and (number is not None or before in ("and", "half"))):
            tens = number is not None and number % 10 == 0 and 20 <= number <= 90 and value < 10
            if number is not None and not tens:
                raise PointError(f"cannot read a duration in 'Hold: {text}' (two numbers in a row)")
            number = (number or 0) + value
    if number is not None:
        raise PointError(f"'Hold: {text}' has a number without its unit: write e.g. 'Hold: 1 minute 30 seconds'")
    seconds = round(total)
    if not 1 <= seconds <= MAX_HOLD:
        raise PointError(f"'Hold: {text}' is {seconds} seconds: a hold is 1 second to {MAX_HOLD // 60} minutes")
    return seconds


def duration_in(text: str) -> int | None:
    """The first hold time a sentence of prose gives ("…, for approximately one minute."), clause by clause."""
    for clause in re.split(r"[.;,:!?()]", text):
        try:
            seconds = parse_duration(clause)
        except PointError:
            continue
        if seconds:
            return seconds
    return None


def in_units(seconds: int, minute: str, second: str, plural: str = "") -> list[str]:
    """A duration as its minutes and the seconds left over, each number with its unit (and `plural` when not 1);
    no minutes when under one, no seconds when whole minutes."""
    minutes, rest = divmod(seconds, 60)
    parts = ([(minutes, minute)] if minutes else []) + ([(rest, second)] if rest or not minutes else [])
    return [f"{number}{unit}{plural if number != 1 else ''}" for number, unit in parts]


def iso_duration(seconds: int) -> str:
    """ISO 8601 duration for a <time datetime>: 60 is PT1M, 90 is PT1M30S."""
    return "PT" + "".join(in_units(seconds, "M", "S"))


def point_id(label: str) -> str:
    """The anchor of a point: "B23" is "b23"."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def nearest_key(word: str) -> str | None:
    """The key an author most likely meant by an unknown word before a colon."""
    word = " ".join(word.lower().split())
    if word in SYNONYMS:
        return SYNONYMS[word]
    close = difflib.get_close_matches(word, KEYS, n=1, cutoff=0.6)
    return close[0] if close else None


def looks_like_point_start(key: str, value: str) -> bool:
    """``Point:`` or a misspelling of it (``Piont:``), before a short label like B23."""
    key = key.lower()
    if key == "point":
        return True
    return " " not in key and difflib.SequenceMatcher(None, key, "point").ratio() >= 0.75 and 0 < len(value) <= 12


def key_line(line: str) -> tuple[str, str] | None:
    if ":" not in line:
        return None
    match = _KEY_LINE.match(line.strip())
    return (match["key"], match["value"].strip()) if match else None


def parse_block(lines: list[tuple[int, str]]) -> tuple[Point | None, list[PointError]]:
    """A point from its block's (line number, text) lines: the point (None if unusable) and every mistake."""
    errors: list[PointError] = []
    fields: dict[str, str] = {}
    seen_at: dict[str, int] = {}
    key = ""
    for number, text in lines:
        parsed = key_line(text)
        if parsed and not key:  # the first line
            written, value = parsed
            if written.lower() != "point":
                errors.append(
                    PointError(f"'{written}:' — a point block starts with 'Point:' (did you mean Point?)", number)
                )
            key = "point"
            fields[key], seen_at[key] = value, number
        elif parsed:
            written, value = parsed
            canonical = written.lower()
            if canonical not in KEYS:
                guess = nearest_key(written)
                hint = f" (did you mean {guess.capitalize()}?)" if guess else ""
                known = ", ".join(k.capitalize() for k in KEYS)
                message = f"unknown key '{written}:' in point block '{fields.get('point', '')}'{hint}; a point block knows {known}"
                errors.append(PointError(message, number))
                key = "\0skipped"
                continue
            if canonical in fields:
                message = f"'{written}:' is given twice in point block '{fields.get('point', '')}' (first on line {seen_at[canonical]})"
                errors.append(PointError(message, number))
                key = "\0skipped"
                continue
            key = canonical
            fields[key], seen_at[key] = value, number
        elif key == "\0skipped":
            continue
        elif key:  # a continuation line belongs to the field above it
            fields[key] = f"{fields[key]} {text.strip()}".strip()
    label = fields.get("point", "")
    start = lines[0][0] if lines else 0
    if not label:
        errors.append(PointError("a point block has no name after 'Point:' (write e.g. 'Point: B23')", start))
        return None, errors
    if not fields.get("where"):
        message = f"point {label} has no 'Where:' line (say where the point is, e.g. 'Where: in the center of the back of the crease in your knees')"
        errors.append(PointError(message, start))
    point: Point = {"id": point_id(label), "label": label, **{key: fields.get(key, "") for key in KEYS[1:]}}
    point |= {"seconds": None, "duration": ""}
    if point["hold"]:
        try:
            seconds = parse_duration(point["hold"])
            if seconds is not None:
                point["seconds"], point["duration"] = seconds, iso_duration(seconds)
        except PointError as error:
            errors.append(PointError(str(error), seen_at.get("hold", start)))
    return point, errors


def find_point_blocks(lines: list[str]) -> list[tuple[int, int, bool]]:
    """Where the point blocks are: (index of the first line, index after the last, glued to the text above)."""
    blocks = []
    index = 0
    while index < len(lines):
        parsed = key_line(lines[index])
        following = key_line(lines[index + 1]) if index + 1 < len(lines) else None
        if parsed and looks_like_point_start(*parsed) and (parsed[0].lower() == "point" or following):
            glued = index > 0 and lines[index - 1].strip() != ""
            end = index + 1
            while end < len(lines) and lines[end].strip():
                end += 1
            blocks.append((index, end, glued))
            index = end
        else:
            index += 1
    return blocks


class PointSlotProcessor(BlockProcessor):
    """Turns a point's placeholder line (left by the source check) into its slot element."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return _SLOT.match(block.strip()) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        match = _SLOT.match(blocks.pop(0).strip())
        assert match is not None
        point = self.parser.md.site_points[int(match[1])]  # type: ignore[attr-defined]
        etree.SubElement(parent, "section", {"data-point-slot": point["id"]})


ORDER_KEYS = ("order", "quick_reference")  # Quick_reference: is the line's earlier name


def doing_order(points: list[Point], wanted: str | None, key: str = "Order") -> list[Point]:
    """The points in the order a reader does them: the order of the blocks in the text, or the order an
    ``Order: B47, B23`` line gives (PointError for a label the article lacks, one named twice or left out)."""
    if not wanted:
        return list(points)
    by_label = {point["label"].lower(): point for point in points}
    known = ", ".join(point["label"] for point in points) or "none"
    chosen: list[Point] = []
    for label in (part.strip() for part in wanted.split(",") if part.strip()):
        point = by_label.get(label.lower())
        if point is None:
            raise PointError(
                f"the {key}: line names {label}, but the article has no 'Point: {label}' block (its points: {known})"
            )
        if point in chosen:
            raise PointError(f"the {key}: line names {label} twice; name each point once")
        chosen.append(point)
    missing = [point["label"] for point in points if point not in chosen]
    if missing:
        raise PointError(
            f"the {key}: line leaves out {', '.join(missing)}; name every point of the article once, in the order to do them (its points: {known})"
        )
    return chosen


def total_seconds(points: list[Point]) -> int:
    """How long the timed holds of `points` take together."""
    return sum(point["seconds"] or 0 for point in points)


def short(seconds: int) -> str:
    """A duration in few letters, for a summary: "1 min", "1 min 30 sec", "45 sec"."""
    return " ".join(in_units(seconds, " min", " sec"))


def about(seconds: int) -> str:
    """A duration as a reader says it: "about 3 minutes", "about 1 minute 30 seconds", "about 45 seconds"."""
    return "about " + " ".join(in_units(seconds, " minute", " second", "s"))
