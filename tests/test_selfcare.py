"""Points and step lists are Markdown features: mistakes in them stop the build and name the file."""

import pytest
from markdown import Markdown

from conftest import build, copy_project
from selfcare import SelfCareError, SelfCareExtension, iso_duration, parse_duration

ARTICLE_SOURCE = "content/acupressure-for-back-pain.md"


def render(text: str) -> tuple[str, Markdown]:
    md = Markdown(extensions=["attr_list", "toc", SelfCareExtension()], output_format="html5")
    return md.convert(text), md


@pytest.mark.parametrize(("words", "seconds", "iso"), [
    ("approximately one minute", 60, "PT1M"),
    ("about one minute", 60, "PT1M"),
    ("30 seconds", 30, "PT30S"),
    ("about two minutes", 120, "PT2M"),
    ("one and a half minutes", 90, "PT1M30S"),
])
def test_a_hold_time_in_words_becomes_a_duration(words, seconds, iso):
    assert parse_duration(words) == seconds
    assert iso_duration(seconds) == iso


def test_a_point_block_becomes_a_section_with_its_fields():
    html, md = render("Point: K1\nWhere: the sole\nHow: press\nHold: 30 seconds\n")
    assert '<section aria-labelledby="k1-name" class="point" data-hold-seconds="30" data-point="K1" id="k1">' in html
    assert '<time datetime="PT30S">30 seconds</time>' in html
    assert md.selfcare_points[0]["where"] == "the sole"


def test_a_second_step_list_gets_ids_of_its_own():
    html, md = render("## One {: .steps }\n\n1. a\n2. b\n\n## Two {: .steps }\n\n1. c\n")
    assert 'id="step-1"' in html and 'id="step-2"' in html and 'id="two-step-1"' in html
    assert [e["name"] for e in md.selfcare_exercises] == ["One", "Two"]
    assert md.selfcare_exercises[1]["steps"] == [{"id": "two-step-1", "text": "c"}]


@pytest.mark.parametrize(("source", "message"), [
    ("Point: K1\nHow: press\n", "point K1 has no 'Where:' line"),
    ("Point: K1\nWhere: sole\nHold: a while\n", "cannot read a duration in 'Hold: a while'"),
    ("Point: K1\nWhere: sole\n\nPoint: K1\nWhere: sole\n", "point K1 is described twice"),
    ("Point: K1\nWhere: sole\nWhere: heel\n", "'Where:' is given twice"),
    ("## Steps {: .steps }\n\nJust a paragraph.\n", "no numbered list follows it"),
])
def test_a_mistake_in_a_point_or_step_list_is_explained(source, message):
    with pytest.raises(SelfCareError, match=message.replace("(", r"\(").replace(")", r"\)")):
        render(source)


def test_a_mistake_in_the_article_stops_the_build_and_names_the_file(tmp_path):
    project = copy_project(tmp_path / "project")
    source = project / ARTICLE_SOURCE
    source.write_text(source.read_text().replace("Hold: about one minute", "Hold: a little while"))
    result = build(project, project / "output")
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "acupressure-for-back-pain.md" in log and "cannot read a duration" in log
