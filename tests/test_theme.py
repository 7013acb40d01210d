"""Every page is built the same accessible way: landmarks, a skip link, one heading, the banner and the book."""

import re

import pytest

from conftest import ARTICLE, ROOT, STAND_IN_PAGES, text_of

FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])"


def test_every_page_has_a_language_landmarks_and_one_main_heading(site):
    for page in site.html_pages:
        soup = site.soup(page)
        assert soup.html.get("lang") == "en", page
        assert soup.select("body > header.site-header") and soup.select("body > footer"), page
        assert len(soup.find_all("main")) == 1 and soup.main.get("id") == "maincontent", page
        assert soup.select_one('header nav[aria-label="Site"]') is not None, page
        assert len(soup.find_all("h1")) == 1 and soup.h1.find_parent("main"), page
        assert soup.title and text_of(soup.title), page
        assert soup.find("meta", attrs={"name": "viewport"}), page


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(site):
    for page in site.html_pages:
        soup = site.soup(page)
        first = soup.select_one(FOCUSABLE)
        assert first is not None and "skip-link" in first.get("class", []), page
        assert first["href"] == "#maincontent" and soup.find(id="maincontent") is soup.main, page


def test_no_page_asks_for_a_donation_without_a_way_to_give_and_every_page_but_the_book_shows_it(site):
    """DONATION_URL is unset in the project's settings (test_settings.py sets it): the footer does not ask."""
    assert "Note: DONATION_URL is not set" in site.result.stdout
    for page in site.html_pages:
        soup = site.soup(page)
        promo = soup.select_one("footer .book-promo")
        support_links = [a for a in soup.select("header a") if text_of(a) == "Support the site"]
        assert len(support_links) == 1, f"{page}: 'Support the site' appears once in the header"
        assert site.resolve(page, support_links[0]["href"])[0] == "support.html"
        assert soup.select_one("footer .donation-banner") is None, page
        if page == "chakra-care.html":
            assert promo is None
        else:
            assert text_of(promo.h2) == "Chakra Care book", page
            assert "500 fun, down-to-earth activities" in text_of(promo)
            assert "Do-It-Yourself Energy Healing for a More Joyful, Loving, Fruitful Life" in text_of(promo)


@pytest.mark.parametrize(
    ("page", "current", "section"),
    [
        ("natural-pain-relief.html", "Natural Pain Relief", None),
        (ARTICLE, None, "Natural Pain Relief"),
        ("chakra-care.html", "Chakra Care", None),
        ("support.html", "Support the site", None),
        ("index.html", None, None),
    ],
)
def test_the_site_navigation_marks_where_the_reader_is(site, page, current, section):
    nav = site.soup(page).select_one('nav[aria-label="Site"]')
    marked = {text_of(a): a.get("aria-current") for a in nav.find_all("a") if a.get("aria-current")}
    expected = {**({current: "page"} if current else {}), **({section: "true"} if section else {})}
    assert marked == expected


def test_a_navigation_link_is_marked_as_the_current_page_exactly_on_the_page_it_leads_to(site):
    for page in [page for page in site.html_pages if "/page/" not in page]:  # a hub's later pages: its link is page 1
        nav = site.soup(page).select_one('nav[aria-label="Site"]')
        for link in nav.find_all("a"):
            leads_here = (site.resolve(page, link["href"]) or ("",))[0] == page
            assert (link.get("aria-current") == "page") == leads_here, (page, str(link))


def test_every_page_but_home_has_a_breadcrumb_that_collapses_to_a_back_link(site):
    for page in site.html_pages:
        crumb = site.soup(page).find("nav", attrs={"aria-label": "Breadcrumb"})
        if page in ("index.html", *STAND_IN_PAGES):  # the 404 and offline pages have no place in the trail
            assert crumb is None
            continue
        trail = crumb.select("ol > li")
        assert text_of(trail[0]) == "Home" and trail[-1]["aria-current"] == "page", page
        assert text_of(crumb.select_one(".breadcrumb-back a")) == "Back to " + text_of(trail[-2])


@pytest.mark.parametrize(("width", "trail", "back"), [(390, False, True), (1280, True, False)])
def test_the_breadcrumb_is_a_back_link_on_phones_and_the_whole_trail_on_wide_screens(
    served_site, browser, width, trail, back
):
    page = browser.new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(served_site + ARTICLE)
        assert page.locator(".breadcrumb-trail").is_visible() is trail
        assert page.locator(".breadcrumb-back").is_visible() is back
    finally:
        page.close()


def test_there_is_one_stylesheet_with_system_fonts_and_nothing_from_outside(site):
    for page in site.html_pages:
        sheets = site.soup(page).find_all("link", rel="stylesheet")
        assert len(sheets) == 1 and site.resolve(page, sheets[0]["href"])[0] == "theme/css/site.css"
        assert not site.soup(page).find_all("style") and not site.soup(page).find_all(style=True), page
    css = (site.root / "theme" / "css" / "site.css").read_text()
    assert "@import" not in css and "@font-face" not in css and "url(" not in css
    assert re.search(r"font-family:\s*var\(--font\)", css) and "system-ui" in css
    assert "@media (prefers-color-scheme: dark)" in css and "@media print" in css


def test_the_article_title_and_subtitle_head_the_page(site):
    soup = site.soup(ARTICLE)
    group = soup.select_one("main header.title")
    assert text_of(group.h1) == "How To Use Acupressure For Back Pain"
    assert text_of(group.select_one(".subtitle")) == "3 Points and a Mindfulness Exercise to Move the Stuck Energy"
    assert text_of(soup.title).startswith(
        "How To Use Acupressure For Back Pain: 3 Points and a Mindfulness Exercise to Move the Stuck Energy"
    )


# the browser's own reading of the stylesheet (CSSOM): every rule for the screen, with its declarations as written
SCREEN_RULES = """() => {
  const rules = [];
  const walk = (list, media) => { for (const rule of list) {
    if (rule.media && rule.conditionText && /\\bprint\\b/.test(rule.conditionText)) continue;
    if (rule.cssRules) walk(rule.cssRules, media);
    if (rule.style && rule.selectorText) rules.push([rule.selectorText, [...rule.style].map(p => [p, rule.style.getPropertyValue(p)])]);
  } };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  return rules;
}"""
SPACING = ("margin", "padding", "gap", "inset", "top", "left", "right", "bottom", "scroll-margin")


def test_type_and_spacing_come_from_the_one_scale_defined_at_the_root(served_site, browser):
    """Every font size is a step of the type scale (--text-*), and no margin, padding or gap is a length of its own
    (px or rem): the spacing scale (--space-*) is defined once, in px, so it never grows with the reader's text."""
    page = browser.new_page()
    try:
        page.goto(served_site + ARTICLE)
        rules = page.evaluate(SCREEN_RULES)
    finally:
        page.close()
    strays = []
    for selector, declarations in rules:
        for name, value in declarations:
            if name.startswith("--"):
                continue
            if name == "font-size" and "var(--text-" not in value and value not in ("inherit", "100%"):
                strays.append(f"{selector} {{ {name}: {value} }}")
            lengths = re.findall(r"(?<![\w-])(\d*\.?\d+)(?:px|rem)\b", value)
            if name.startswith(SPACING) and any(float(length) for length in lengths):
                strays.append(f"{selector} {{ {name}: {value} }}")
    assert len(rules) > 50 and not strays, strays


def test_every_id_the_theme_writes_is_one_content_may_not_take():
    """The allow-list refuses content ids that would take over the theme's (a link to #safety-note would lead to
    the author's heading): its list must be the ids the templates write, or a new one goes unguarded."""
    from stages.markup.allowlist import RESERVED_IDS

    written = set()
    for template in (ROOT / "theme" / "templates").rglob("*.html"):
        text = template.read_text()
        written |= set(re.findall(r'\bid="([a-z][a-z0-9-]*)"', text)) | set(re.findall(r'"id": "([a-z-]+)"', text))
    assert written == RESERVED_IDS
