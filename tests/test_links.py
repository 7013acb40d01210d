"""Every link a reader follows leads somewhere: the article's own links, the breadcrumb, the hub, every page."""

from collections import deque

import pytest

from conftest import ARTICLE, text_of

# The seed's links: (page, link text, the page it leads to, that page's heading)
SEED_LINKS = [
    (
        ARTICLE,
        "Return from Acupressure for Back Pain to Natural Pain Relief",
        "natural-pain-relief.html",
        "Natural Pain Relief",
    ),
    (ARTICLE, "Go to site home page", "index.html", "The Energy Healing Site"),
    (ARTICLE, "Learn more or buy it here", "chakra-care.html", "Chakra Care"),
    (ARTICLE, "Support the site", "support.html", "Support the site"),
]
# What a link may point at, per tag
LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


def find_link(page, text):
    links = [a for a in page.find_all("a", href=True) if text_of(a) == text]
    assert links, f"no link '{text}'"
    return links


@pytest.mark.parametrize(("page", "text", "target", "heading"), SEED_LINKS, ids=[link[1] for link in SEED_LINKS])
def test_every_link_of_the_article_leads_to_the_page_it_names(site, page, text, target, heading):
    for link in find_link(site.soup(page), text):
        path, _ = site.resolve(page, link["href"])
        assert path == target
        assert site.exists(path), f"{link['href']} is not a page of the site"
        assert text_of(site.soup(path).find("h1")) == heading


def test_the_hub_lists_the_article(site):
    hub = site.soup("natural-pain-relief.html")
    listed = [site.resolve("natural-pain-relief.html", a["href"])[0] for a in hub.select("main a[href]")]
    assert ARTICLE in listed
    assert "How To Use Acupressure For Back Pain" in text_of(hub.find("main"))


def test_the_article_breadcrumb_leads_home_and_to_the_hub(site):
    page = site.soup(ARTICLE)
    crumb = page.find("nav", attrs={"aria-label": "Breadcrumb"})
    items = crumb.select("ol > li")
    assert [text_of(li) for li in items] == ["Home", "Natural Pain Relief", "How To Use Acupressure For Back Pain"]
    assert [site.resolve(ARTICLE, li.a["href"])[0] for li in items[:-1]] == ["index.html", "natural-pain-relief.html"]
    assert items[-1].get("aria-current") == "page" and items[-1].a is None
    back = crumb.select_one(".breadcrumb-back a")
    assert text_of(back) == "Back to Natural Pain Relief"
    assert site.resolve(ARTICLE, back["href"])[0] == "natural-pain-relief.html"


def test_every_internal_link_and_fragment_on_every_page_resolves(site):
    problems = []
    for page in site.html_pages:
        for tag, attribute in LINKING.items():
            for element in site.soup(page).find_all(tag, attrs={attribute: True}):
                target = site.resolve(page, element[attribute])
                if target is None:
                    continue
                path, fragment = target
                if not site.exists(path):
                    problems.append(f"{page}: {element[attribute]} (no such page)")
                elif fragment and path.endswith(".html") and site.soup(path).find(id=fragment) is None:
                    problems.append(f"{page}: {element[attribute]} (no such anchor)")
    assert not problems, "\n".join(problems)
    assert len(site.html_pages) >= 5


def test_every_page_can_be_reached_from_the_home_page(site):
    seen, queue = {"index.html"}, deque(["index.html"])
    while queue:
        page = queue.popleft()
        for a in site.soup(page).find_all("a", href=True):
            target = site.resolve(page, a["href"])
            if target and target[0].endswith(".html") and target[0] not in seen and site.exists(target[0]):
                seen.add(target[0])
                queue.append(target[0])
    assert seen == set(site.public_pages)  # not 404.html or offline.html (served for another address) nor drafts


def test_nothing_on_any_page_is_loaded_from_another_site(site):
    outside = []
    for page in site.html_pages:
        for tag, attribute in LINKING.items():
            if tag == "a":
                continue
            for element in site.soup(page).find_all(tag, attrs={attribute: True}):
                if site.resolve(page, element[attribute]) is None:
                    outside.append(f"{page}: <{tag} {attribute}={element[attribute]}>")
    assert not outside, "\n".join(outside)


def test_the_development_build_links_to_no_other_site(site):
    """Outside links the theme makes from settings (shop, donations) appear only when their settings are set; by
    default none are. Links written in the content (the safety note's sources) may leave the site."""
    external = [
        f"{page}: {a['href']}"
        for page in site.html_pages
        for a in site.soup(page).select("header a[href], nav a[href], footer a[href], .action a[href]")
        if site.resolve(page, a["href"]) is None
    ]
    assert external == []
