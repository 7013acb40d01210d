"""Nancy grows the site the way the guide tells her, and nothing breaks: the guide's own example pasted in, an
article with a photo and no Slug line, a new hub with two articles and an introduction, an "About Nancy" page. The
grown site then gets the same checks as the shipped one: it builds, every link resolves, every word is on its page,
the Nu HTML checker and axe find nothing on the new pages."""

from __future__ import annotations

import pytest
from sitegen import png
from test_authoring import guide_examples
from test_content import metadata_and_blocks
from test_integrity import nu_check
from test_reader import AXE_OPTIONS

from conftest import TEST_PREFIX, add_file, built, copy_project, serving, text_of

pytestmark = pytest.mark.slow
P = TEST_PREFIX
HUB = "Zq Test Healing"

# What a new author writes, the way the guide shows it, under names no author would pick (Nancy may have written
# her own headache article, Chakra Healing hub or About page by the time this runs)
NEW_FILES = {
    f"content/{P}headache-points.md": (
        "Title: Zq Test Acupressure For Headaches\n"
        "Date: 2026-11-25\n"
        "Category: Natural Pain Relief\n"
        "\n"
        "A gentle way to ease a tension headache.\n"
        "\n"
        "![A hand seen from above, with the point between the thumb and the first finger marked.]"
        f'({{static}}images/{P}hand-photo.png "The point on the hand")\n'
        "\n"
        "Point: LI4\n"
        "Name: Joining Valley\n"
        "Where: on the back of the hand, between the thumb and the first finger\n"
        "Hold: about one minute\n"
    ),
    f"content/{P}healing-one.md": (
        f"Title: Zq Test Caring For The Root Chakra\nDate: 2026-11-26\nCategory: {HUB}\nTags: chakras, grounding\n\n"
        "The root chakra is about feeling safe.\n"
    ),
    f"content/{P}healing-two.md": (
        f"Title: Zq Test Caring For The Heart Chakra\nDate: 2026-11-27\nCategory: {HUB}\nTags: chakras\n\n"
        "The heart chakra is about love.\n\n"
        "## A Short Practice {: .steps }\n\n1. Sit quietly.\n2. Breathe into your chest.\n"
    ),
    f"content/hubs/{P}healing.md": f"Title: {HUB}\n\nArticles about the chakras. More to come.\n",
    f"content/pages/{P}about.md": "Title: Zq Test About Nancy\nMenu: yes\n\nNancy is an energy healer.\n",
}
STIFF_NECK = f"content/{P}stiff-neck.md"


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("nancy") / "project")
    for name, text in NEW_FILES.items():
        add_file(project, name, text)
    (project / "content" / "images" / f"{P}hand-photo.png").write_bytes(png(64, 48))
    stiff_neck = next(example for example in guide_examples() if example.startswith("Title: How To Ease A Stiff Neck"))
    # pasted from the guide as it is, but for its title and address, which Nancy may use herself one day
    stiff_neck = stiff_neck.replace("Title: How To Ease A Stiff Neck", "Title: Zq Test Stiff Neck", 1)
    stiff_neck = stiff_neck.replace("Slug: how-to-ease-a-stiff-neck", f"Slug: {P}stiff-neck", 1)
    add_file(project, STIFF_NECK, stiff_neck)
    site = built(project, tmp_path_factory.mktemp("nancy-out") / "output")
    return project, site


NEW_PAGES = [
    f"{P}acupressure-for-headaches.html",
    f"{P}caring-for-the-root-chakra.html",
    f"{P}caring-for-the-heart-chakra.html",
    f"{P}healing.html",
    f"{P}about-nancy.html",
    f"{P}stiff-neck.html",
    "index.html",
]


def test_the_grown_site_builds_without_a_problem(grown):
    _, site = grown
    assert site.result.stderr == "", site.result.stderr
    for page in NEW_PAGES:
        assert site.exists(page), page


def test_every_word_of_every_new_file_is_on_its_page(grown):
    project, site = grown
    for name in [*NEW_FILES, STIFF_NECK]:
        if "/hubs/" in name:
            continue
        metadata, blocks = metadata_and_blocks((project / name).read_text())
        shown = text_of(site.soup(site.page_titled(metadata["title"])).main)
        missing = [block for block in blocks if block not in shown]
        assert not missing, f"{name}: {missing}"


def test_the_new_hub_is_on_the_home_page_and_in_the_menu_with_its_introduction(grown):
    _, site = grown
    home = site.soup("index.html")
    card = next(card for card in home.select(".hub-card") if text_of(card.h3) == HUB)
    assert "Articles about the chakras." in text_of(card) and "2 articles" in text_of(card)
    assert HUB in [text_of(a) for a in home.select("#site-menu-topics + ul a")]
    assert "Zq Test About Nancy" in [text_of(a) for a in home.select("#site-menu-pages + ul a")]


def test_the_photo_gets_its_size_so_the_page_does_not_jump(grown):
    _, site = grown
    image = site.soup(f"{P}acupressure-for-headaches.html").select_one("main figure img")
    assert (image["width"], image["height"]) == ("64", "48")


def test_every_link_on_the_grown_site_resolves(grown):
    _, site = grown
    problems = []
    for page in site.html_pages:
        for element in site.soup(page).find_all(["a", "img", "link", "script"]):
            url = element.get("href") or element.get("src")
            target = site.resolve(page, url) if url else None
            if target and not site.exists(target[0]):
                problems.append(f"{page}: {url}")
    assert not problems, problems


def test_the_nu_html_checker_finds_nothing_on_the_grown_site(grown):
    _, site = grown
    result = nu_check(site.root)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_new_pages(grown, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    _, site = grown
    reports = []
    with serving(site.root) as base:
        page = browser.new_page(color_scheme=scheme)
        try:
            for path in NEW_PAGES:
                page.goto(base + path, wait_until="networkidle")
                results = Axe().run(page, options=AXE_OPTIONS)
                if results.violations_count:
                    reports.append(f"{path}: {results.generate_report()}")
        finally:
            page.close()
    assert not reports, "\n".join(reports)
