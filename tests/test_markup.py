"""Points and step lists are Markdown features; every mistake in them is found with its line, and explained."""

from __future__ import annotations

import pytest

from stages.markup.extensions import new_markdown
from stages.markup.points import PointError, iso_duration, parse_duration
from stages.markup.reader import convert, date_mistake, split_header
from stages.markup.source import SourceState


def render(text: str, first_line: int = 1):
    md = new_markdown()
    state = SourceState(first_line=first_line)
    html = convert(md, text, state)
    return html, md, state.problems


@pytest.mark.parametrize(
    ("words", "seconds", "iso"),
    [
        ("approximately one minute", 60, "PT1M"),
        ("about one minute", 60, "PT1M"),
        ("30 seconds", 30, "PT30S"),
        ("about two minutes", 120, "PT2M"),
        ("one and a half minutes", 90, "PT1M30S"),
        ("1.5 minutes", 90, "PT1M30S"),
        ("half a minute", 30, "PT30S"),
        ("a minute and a half", 90, "PT1M30S"),
        ("1½ minutes", 90, "PT1M30S"),
        ("1 minute 30 seconds", 90, "PT1M30S"),
        ("1 minute and 30 seconds", 90, "PT1M30S"),
        ("2 mins", 120, "PT2M"),
        ("1 min", 60, "PT1M"),
        ("30 sec", 30, "PT30S"),
        ("45 secs", 45, "PT45S"),
        ("90 s", 90, "PT1M30S"),
        ("90s", 90, "PT1M30S"),
        ("forty-five seconds", 45, "PT45S"),
        ("twenty five seconds", 25, "PT25S"),
        ("for one minute on each side", 60, "PT1M"),
    ],
)
def test_a_hold_time_in_words_becomes_a_duration(words, seconds, iso):
    assert parse_duration(words) == seconds
    assert iso_duration(seconds) == iso


@pytest.mark.parametrize("words", ["3 deep breaths", "ten slow breaths", "five counts"])
def test_a_hold_that_counts_something_else_than_time_has_no_timer(words):
    assert parse_duration(words) is None


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("1 to 2 minutes", "gives a range"),
        ("30-60 seconds", "gives a range"),
        ("1–2 min", "gives a range"),
        ("one or two minutes", "gives a range"),
        ("1 minute 30", "has a number without its unit"),
        ("minutes", "no number before 'minutes'"),
        ("300 minutes", "a hold is 1 second to 10 minutes"),
        ("a while", "cannot read a duration"),
    ],
)
def test_a_hold_time_that_cannot_be_read_exactly_is_refused_never_guessed(words, message):
    with pytest.raises(PointError, match=message):
        parse_duration(words)


def test_a_point_block_becomes_a_slot_and_its_data():
    html, md, problems = render("Point: K1\nName: Bubbling Spring\nWhere: the sole\nHow: press\nHold: 30 seconds\n")
    assert html == '<!-- instructions -->\n<section data-level="2" data-point-slot="k1"></section>'
    assert not problems
    point = md.site_points[0]
    assert (point["label"], point["name"], point["where"], point["seconds"], point["duration"]) == (
        "K1",
        "Bubbling Spring",
        "the sole",
        30,
        "PT30S",
    )


def test_a_point_block_inside_a_list_item_stays_in_the_item():
    html, _, problems = render("1.  The first point.\n\n    Point: K1\n    Where: the sole\n\n2.  Next.\n")
    assert not problems
    assert '<li>\n<p>The first point.</p>\n<section data-level="2" data-point-slot="k1"></section>\n</li>' in html


def test_a_long_value_may_continue_on_the_next_line():
    _, md, problems = render("Point: K1\nWhere: on the sole,\n  between the toes\n")
    assert not problems and md.site_points[0]["where"] == "on the sole, between the toes"


def test_a_second_step_list_gets_ids_of_its_own():
    html, md, _ = render("## One {: .steps }\n\n1. a\n2. b\n\n## Two {: .steps }\n\n1. c\n")
    assert 'id="step-1"' in html and 'id="step-2"' in html and 'id="two-step-1"' in html
    assert [e["name"] for e in md.site_exercises] == ["One", "Two"]
    assert md.site_exercises[1]["steps"] == [{"id": "two-step-1", "text": "c"}]


MISTAKES = [
    (
        "a misspelled block start",
        "Piont: K1\nWhere: sole\n",
        1,
        "'Piont:' — a point block starts with 'Point:' (did you mean Point?)",
    ),
    (
        "an unknown key",
        "Point: K1\nWhere: sole\nHelp: pain\n",
        3,
        "unknown key 'Help:' in point block 'K1' (did you mean Helps?)",
    ),
    (
        "a key of two words",
        "Point: K1\nWhere: sole\nHow long: a minute\n",
        3,
        "unknown key 'How long:' in point block 'K1' (did you mean Hold?)",
    ),
    ("a garbled key", "Point: K1\nWere: sole\n", 2, "unknown key 'Were:' in point block 'K1' (did you mean Where?)"),
    (
        "a block glued to the text above",
        "Some text.\nPoint: K1\nWhere: sole\n",
        2,
        "a point block must start after an empty line",
    ),
    ("no location", "Point: K1\nHow: press\n", 1, "point K1 has no 'Where:' line"),
    (
        "a hold time that cannot be read",
        "Point: K1\nWhere: sole\nHold: a while\n",
        3,
        "cannot read a duration in 'Hold: a while'",
    ),
    ("a point described twice", "Point: K1\nWhere: sole\n\nPoint: K1\nWhere: sole\n", 4, "point K1 is described twice"),
    (
        "a key given twice",
        "Point: K1\nWhere: sole\nWhere: heel\n",
        3,
        "'Where:' is given twice in point block 'K1' (first on line 2)",
    ),
    ("a steps heading with no list", "## Steps {: .steps }\n\nJust a paragraph.\n", 1, "no numbered list follows it"),
    ("{: .step }", "## Steps {: .step }\n\n1. a\n", 1, "ends with '{: .step }', which is not the step-list marker"),
    ("{: .stpes }", "## Steps {: .stpes }\n\n1. a\n", 1, "ends with '{: .stpes }', which is not the step-list marker"),
    ("{: .Steps }", "## Steps {: .Steps }\n\n1. a\n", 1, "ends with '{: .Steps }', which is not the step-list marker"),
    ("{: steps }", "## Steps {: steps }\n\n1. a\n", 1, "ends with '{: steps }', which is not the step-list marker"),
    ("(: .steps )", "## Steps (: .steps )\n\n1. a\n", 1, "ends with '(: .steps )', which is not the step-list marker"),
    # What the HTML may hold is an allow-list (markup.allowlist), checked once Markdown has run: each way of
    # writing the same thing is refused on the line it was written on
    ("raw <script>", "Text.\n\n<script>alert(1)</script>\n", 3, "<script> is not allowed in content"),
    ("<script src>", '<script src="images/evil.js"></script>\n', 1, "<script> is not allowed in content"),
    ("raw <iframe>", '<iframe src="https://example.org"></iframe>\n', 1, "<iframe> is not allowed in content"),
    ("raw <object>", '<object data="x.swf"></object>\n', 1, "<object> is not allowed in content"),
    ("raw <embed>", '<embed src="x.swf">\n', 1, "<embed> is not allowed in content"),
    ("a meta refresh", 'Text.\n\n<meta http-equiv="refresh" content="0;url=x.xml">\n', 3, "<meta> is not allowed"),
    ("a style sheet", '<link rel="stylesheet" href="http://example.org/x.css">\n', 1, "<link> is not allowed"),
    ("<plaintext>", "Text.\n\n<plaintext>\n", 3, "<plaintext> is not allowed"),
    ("<textarea>", "<textarea>x</textarea>\n", 1, "<textarea> is not allowed"),
    ("<form>", '<form action="https://example.org"><button>Go</button></form>\n', 1, "<form> is not allowed"),
    ("an inline handler", '<p onclick="alert(1)">Hi</p>\n', 1, "the 'onclick=' attribute on <p> is not allowed"),
    ("a handler in an image", '<img src="x.png" alt="x" onerror="alert(1)">\n', 1, "the 'onerror=' attribute"),
    ("a handler on the next line", '<img src="x.png" alt="x"\nonerror="alert(1)">\n', 2, "the 'onerror=' attribute"),
    ("a handler in an attribute list", 'A paragraph.\n{: onclick="alert(1)" }\n', 2, "the 'onclick=' attribute"),
    ("a style in an attribute list", 'A paragraph.\n{: style="color: red" }\n', 2, "the 'style=' attribute"),
    ("a search field", '<div data-pagefind-meta="title:Hacked">x</div>\n', 1, "the 'data-pagefind-meta=' attribute"),
    ("a point slot", '<section data-point-slot="b1"></section>\n', 1, "the site's own marker for a point block"),
    ("srcset", '<img src="x.png" alt="x" srcset="http://example.org/x.png 2x">\n', 1, "the 'srcset=' attribute"),
    ("a javascript: link", "[Click](javascript:alert(1))\n", 1, "a 'javascript:' address is not allowed in content"),
    ("a javascript: href", '<a href="javascript:alert(1)">x</a>\n', 1, "a 'javascript:' address is not allowed"),
    ("an encoded scheme", "[Click](javascript&colon;alert(1))\n", 1, "a 'javascript:' address is not allowed"),
    ("a scheme split by a tab", '<a href="java&#9;script:alert(1)">x</a>\n', 1, "a 'javascript:' address"),
    ("a scheme over two lines", 'Hi.\n\n<a href="java\nscript:alert(1)">x</a>\n', 3, "a 'javascript:' address"),
    ("a reference link", "[Click][1]\n\n[1]: javascript:alert(1)\n", 3, "a 'javascript:' address is not allowed"),
    ("a data: link", "[Click](data:text/html,hi)\n", 1, "a 'data:' address is not allowed"),
    ("a picture from elsewhere", "![Neck](https://example.org/neck.jpg)\n", 1, "is on another site"),
    ("the safety note's id", "## Read me first {: #safety-note }\n", 1, "the id 'safety-note' belongs to the site's"),
    ("a point's id", "## Here {: #k1 }\n\nPoint: K1\nWhere: sole\n", 1, "the id 'k1' belongs to point K1"),
    ("an id used twice", "## One {: #same }\n\n## Two {: #same }\n", 3, "the id 'same' is used twice"),
    (
        "a root-absolute link",
        "[Hub](/natural-pain-relief.html)\n",
        1,
        "the link '/natural-pain-relief.html' starts with '/'",
    ),
    (
        "a point block in a list, not indented",
        "1.  First.\n\nPoint: K1\nWhere: sole\n\n2.  Next.\n",
        3,
        "this point block is inside a numbered list (it goes on at '2.' below) but is indented 0 spaces",
    ),
    (
        "a point block in a list, indented three spaces",
        "1.  First.\n\n   Point: K1\n   Where: sole\n\n2.  Next.\n",
        3,
        "is indented 3 spaces, so the list would start again at 1",
    ),
    ("an unclosed comment", "Hi.\n\n<!-- a note\n\nMore.\n", 3, "a comment starts here ('<!--') but is never closed"),
]


@pytest.mark.parametrize(("what", "source", "line", "message"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_found_on_its_line_and_explained(what, source, line, message):
    _, _, problems = render(source, first_line=1)
    assert any(found_line == line and message in text for found_line, text in problems), problems


def test_line_numbers_count_from_the_files_first_line():
    _, _, problems = render("Text.\n\nPoint: K1\nWere: sole\nWhere: heel\n", first_line=7)
    assert [line for line, _ in problems] == [10]


@pytest.mark.parametrize(
    "source",
    [
        "Text with `<script>` in code.\n",
        "Note: this is a sentence with a colon.\n",
        "## A Heading {: #my-own-id }\n",
        "## Steps {:.steps}\n\n1. a\n",
        "Paint: red, for the fence.\nBrush: wide.\n",
        "A [web page](https://example.org/a:b).\n",
    ],
)
def test_ordinary_writing_is_not_a_mistake(source):
    _, _, problems = render(source)
    assert problems == []


def test_the_metadata_header_is_read_with_its_lines():
    header, body, first = split_header("Title: A\nSubtitle: B\n    continued\nDate: 2026-11-23\n\nText.\n")
    assert header == [(1, "title", ["A"]), (2, "subtitle", ["B", "continued"]), (4, "date", ["2026-11-23"])]
    assert body == "Text.\n" and first == 6


@pytest.mark.parametrize(
    ("value", "fine"),
    [
        ("2026-11-23", True),
        ("2026-11-23 09:30", True),
        ("2026-11-23T09:30:00+01:00", True),
        ("11/12/2026", False),
        ("2026-13-45", False),
        ("23 November 2026", False),
        ("2026-02-30", False),
    ],
)
def test_only_iso_dates_that_exist_are_accepted(value, fine):
    assert (date_mistake("date", value) == "") is fine


def test_a_comment_never_reaches_the_page_and_is_no_mistake():
    html, _, problems = render("Call me <!-- private: 555-0100 --> later.\n\n<!--\nA note\nto myself\n-->\n")
    assert "555" not in html and "note" not in html and "<!--" not in html
    assert not problems


def test_what_the_allow_list_refuses_is_not_published_either():
    html, _, _ = render(
        '<p onclick="alert(1)" data-x="1">Hi <a href="javascript:alert(1)">x</a></p><script>y</script>\n'
    )
    assert "onclick" not in html and "javascript" not in html and "script" not in html and "data-x" not in html


def test_attribute_lists_are_found_as_python_markdown_finds_them_in_linear_time():
    """The site's attr_list finds `{: … }` with string methods; on every short text it agrees with Python-Markdown's
    own patterns (which take time that grows with the square of a line of spaces)."""
    import random
    import re

    from stages.markup.extensions import _TrailingAttributes

    base = r"\{\:?[ ]*([^\}\n ][^\n]*)\}"
    patterns = {False: re.compile(rf"[ ]+{base}[ ]*$"), True: re.compile(rf"\n[ ]*{base}[ ]*$")}
    generator = random.Random(7)
    for _ in range(20_000):
        text = "".join(generator.choice(" {}:a\n#.") for _ in range(generator.randint(0, 14))).rstrip("\n")
        for block, pattern in patterns.items():
            theirs, ours = pattern.search(text), _TrailingAttributes(block).search(text)
            assert (theirs and (theirs.start(), theirs.group(1))) == (ours and (ours.start(), ours.group(1))), text


def test_footnotes_become_numbered_notes_with_a_way_back_in_words():
    html, _, problems = render("Text[^1] more.\n\n[^1]: The source.\n")
    assert not problems
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<li id="fn:1">' in html and 'href="#fnref:1"' in html and ">back to the text</a>" in html
