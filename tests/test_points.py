"""A reader finds each acupressure point: its name, where it is, how to press it and for how long."""

import pytest

from conftest import ARTICLE, text_of

# What the article says of each point (Nancy's words); None where her text does not say.
POINTS = {
    "b23": {
        "label": "B23",
        "where": "approximately two fingers away from the spine",
        "how": "as much pressure as you can without causing discomfort",
        "hold": "PT1M",
    },
    "b47": {
        "label": "B47",
        "where": "four fingers out from the spine on either side",
        "how": "as much pressure as you can without causing discomfort",
        "hold": "PT1M",
    },
    "b54": {
        "label": "B54",
        "where": "in the center of the back of the crease in your knees",
        "how": "place your fingertips in the center of your knee creases",
        "hold": "PT1M",
    },
    "b48": {"label": "B48", "where": "one to two finger widths outside the sacrum", "how": None, "hold": None},
}
NOT_DESCRIBED = "Not described here."


@pytest.fixture(scope="module")
def article(site):
    return site.soup(ARTICLE)


def field(section, name):
    return section.select_one(f'dd[data-field="{name}"]')


@pytest.mark.parametrize("point_id", POINTS)
def test_every_point_is_presented_once_with_its_id_and_name(article, point_id):
    sections = article.find_all(id=point_id)
    assert len(sections) == 1, f"#{point_id} is on the page {len(sections)} times"
    section = sections[0]
    assert section.name == "section" and "point" in section["class"]
    heading = section.find("h3")
    assert heading is not None and section["aria-labelledby"] == heading["id"]
    assert text_of(heading).startswith(POINTS[point_id]["label"])


@pytest.mark.parametrize("point_id", POINTS)
def test_every_point_names_its_location_and_how_to_press_and_how_long(article, point_id):
    expected = POINTS[point_id]
    section = article.find(id=point_id)
    labels = [text_of(dt) for dt in section.find_all("dt")]
    assert labels[:3] == ["Where", "How to press", "How long"]
    assert expected["where"] in text_of(field(section, "where"))
    if expected["how"]:
        assert expected["how"] in text_of(field(section, "how"))
    else:  # the article does not say: the page says so instead of inventing it
        assert text_of(field(section, "how")) == NOT_DESCRIBED
    time = field(section, "hold").find("time")
    if expected["hold"]:
        assert time is not None and time["datetime"] == expected["hold"]
        assert "minute" in text_of(time)
        assert section["data-hold-seconds"] == "60"
    else:
        assert time is None and text_of(field(section, "hold")) == NOT_DESCRIBED
        assert not section.has_attr("data-hold-seconds")


def test_point_summaries_quote_the_article_and_add_no_words_of_their_own(article):
    """Each field is made of fragments (joined by …) of the article's own sentences."""
    prose = article.find("article").__copy__()
    for section in prose.select("section.point"):
        section.decompose()
    prose_text = text_of(prose)
    for dd in article.select("section.point dd[data-field]"):
        if text_of(dd) == NOT_DESCRIBED:
            continue
        for fragment in text_of(dd).split("…"):
            assert fragment.strip() in prose_text, (
                f"{dd.parent.parent['id']}: '{fragment.strip()}' is not in the article"
            )


def test_standard_codes_are_shown_only_where_sources_agree(article):
    codes = {pid: text_of(article.find(id=pid).select_one(".point-also") or article.new_tag("span")) for pid in POINTS}
    assert "BL23" in codes["b23"] and "BL52" in codes["b47"] and "BL40" in codes["b54"]
    assert "BL" not in codes["b48"], "B48's standard code is disputed between sources: it is left out"


def test_no_point_id_is_used_twice_on_the_page(article):
    ids = [element["id"] for element in article.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
