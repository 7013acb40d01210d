"""A reader follows the eight mindfulness steps, in order, each one linkable."""

from conftest import ARTICLE, text_of

# How each of Nancy's steps begins, in her order
STEP_OPENINGS = [
    "Instead of resisting the pain",
    "Try not to resist the physical and emotional feelings",
    "Be compassionate toward the pain",
    "Silently ask if there is any information",
    "This may be enough to shift the pain",
    "You may also want to invite the area",
    "Close with allowing your awareness",
    "Get up and move gently around",
]


def test_all_eight_steps_are_present_in_order_with_their_ids(site):
    page = site.soup(ARTICLE)
    step_list = page.find(id="step-1").parent
    assert step_list.name == "ol" and "steps" in step_list["class"]
    items = step_list.find_all("li", recursive=False)
    assert [item.get("id") for item in items] == [f"step-{n}" for n in range(1, 9)]
    for item, opening in zip(items, STEP_OPENINGS, strict=True):
        assert text_of(item).startswith(opening), (item["id"], text_of(item)[:60])


def test_the_step_list_is_numbered_from_one_and_follows_its_heading(site):
    page = site.soup(ARTICLE)
    step_list = page.find(id="step-1").parent
    assert not step_list.has_attr("start") and not step_list.has_attr("reversed")
    heading = step_list.find_previous(["h2", "h3"])
    assert text_of(heading) == "Mindfulness Techniques For Moving The Energy Of Your Back"
    assert heading["id"] and "steps" not in heading.get("class", [])


def test_every_step_can_be_linked_to(site):
    page = site.soup(ARTICLE)
    for n in range(1, 9):
        assert len(page.find_all(id=f"step-{n}")) == 1


def test_the_exercise_is_linked_from_nancys_sentence_and_from_the_summary_with_its_step_count(site):
    page = site.soup(ARTICLE)
    heading = page.find(id="step-1").parent.find_previous(["h2", "h3"])
    links = {text_of(a): a["href"] for a in page.select("main a[href^='#']")}
    assert links["a mindfulness exercise"] == f"#{heading['id']}"  # "Scroll down the page for a mindfulness exercise"
    summary = page.select_one(".glance .glance-more")
    link = summary.find("a", href=f"#{heading['id']}")
    assert text_of(link) == text_of(heading)
    assert f"{text_of(heading)}: {len(page.select('ol.steps > li'))} steps." in text_of(summary)
