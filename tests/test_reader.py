"""A reader in pain, in a real browser (Debian's Chromium): sees each point, times the hold, is guided
through the steps, prints the page; with a keyboard, a screen reader, a phone, dark mode or no JavaScript."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import ARTICLE, ROOT, text_of

ARTIFACTS = ROOT / "test-artifacts"
# axe-core's default rules plus the 7:1 contrast rule (WCAG AAA), which axe leaves off by default
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"color-contrast-enhanced": {"enabled": True}}}


@contextmanager
def opened(browser, url: str, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    try:
        yield page, context
    finally:
        context.close()


def goto(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")


def scroll_through(page) -> None:
    """Scrolls to the end as a reader would, so that lazily loaded diagrams arrive, then back to the top."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for _ in range(0, height, 600):
        page.mouse.wheel(0, 600)
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    page.evaluate("window.scrollTo(0, 0)")


# --- every page, for everyone ---------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(site, served_site, browser, scheme):
    reports = []
    with opened(browser, served_site, color_scheme=scheme) as (page, _):
        for path in site.html_pages:
            goto(page, served_site + path)
            results = Axe().run(page, options=AXE_OPTIONS)
            if results.violations_count:
                reports.append(f"{path} ({scheme}):\n{results.generate_report()}")
    assert not reports, "\n".join(reports)


def test_axe_finds_no_violation_in_the_open_step_guide(served_site, browser):
    with opened(browser, served_site) as (page, _):
        goto(page, served_site + ARTICLE)
        page.click(".guide-open")
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()


def contrast(foreground: str, background: str) -> float:
    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_body_text_contrast_is_at_least_7_to_1(served_site, browser, scheme):
    with opened(browser, served_site, color_scheme=scheme) as (page, _):
        goto(page, served_site + ARTICLE)
        colours = page.evaluate("""() => [...document.querySelectorAll('main p, main li, main dd, main td')]
            .slice(0, 40).map(e => [getComputedStyle(e).color, getComputedStyle(document.body).backgroundColor])""")
    ratios = {round(contrast(fg, bg), 2) for fg, bg in colours}
    assert min(ratios) >= 7, ratios


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_two_schemes_really_differ(served_site, browser, scheme):
    with opened(browser, served_site, color_scheme=scheme) as (page, _):
        goto(page, served_site + ARTICLE)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = contrast(background, "rgb(0, 0, 0)") < 2
    assert dark == (scheme == "dark"), background


def test_no_page_scrolls_sideways_at_320_px(site, served_site, browser):
    wide = []
    with opened(browser, served_site, viewport={"width": 320, "height": 640}) as (page, _):
        for path in site.html_pages:
            goto(page, served_site + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                wide.append(f"{path}: {width}px")
    assert not wide, wide


def test_with_javascript_off_no_page_shows_a_control_that_does_nothing(site, served_site, browser):
    found = []
    with opened(browser, served_site, java_script_enabled=False) as (page, _):
        for path in site.html_pages:
            goto(page, served_site + path)
            controls = page.locator("button, input, select, textarea, dialog, [role=button], .hold-timer")
            if controls.count():
                found.append(f"{path}: {controls.count()}")
            if path == ARTICLE:  # and the content is all there
                assert page.locator("[id^=step-]").count() == 8 and page.locator("section.point").count() == 4
    assert not found, found


# --- diagrams and the quick reference ------------------------------------------------------------


def test_every_figure_has_a_text_alternative_naming_its_points(site):
    article = site.soup(ARTICLE)
    labels = [section["data-point"] for section in article.select("section.point")]
    figures = article.select("main figure")
    assert figures
    for figure in figures:
        image = figure.find("img")
        named = [label for label in labels if label in image.get("alt", "")]
        assert named, f"{image['src']}: the text alternative names no point"
        assert len(image["alt"]) > 40, "the text alternative must say where, in words"
        assert text_of(figure.figcaption)
        assert image.get("width") and image.get("height"), "the diagram's space must be reserved"
        assert site.exists(site.resolve(ARTICLE, image["src"])[0])
        assert image["src"].endswith(".svg"), "diagrams are vector pictures, sharp at any size"


def test_every_point_in_the_text_has_a_figure(site):
    article = site.soup(ARTICLE)
    alternatives = " ".join(img["alt"] for img in article.select("main figure img"))
    for section in article.select("section.point"):
        assert section["data-point"] in alternatives, section["data-point"]


def test_each_figure_sits_with_the_points_it_shows(site):
    article = site.soup(ARTICLE)
    for figure in article.select("main figure"):
        item = figure.find_parent("li")
        shown = {s["data-point"] for s in item.select("section.point")}
        assert shown and all(label in figure.img["alt"] for label in shown)


def test_the_quick_reference_lists_every_point_and_links_to_it(site):
    article = site.soup(ARTICLE)
    table = article.select_one(".quick-reference table")
    assert table.find_previous("h2") is None, "the quick reference comes before the first section"
    rows = table.select("tbody tr")
    assert [site.resolve(ARTICLE, row.th.a["href"]) for row in rows] == [
        (ARTICLE, pid) for pid in ("b23", "b47", "b54", "b48")
    ]
    headers = [text_of(th) for th in table.select("thead th")]
    assert headers == ["Point", "Where", "How to press", "How long", "Helps with"]
    for row in rows:
        section = article.find(id=row.th.a["href"].lstrip("#"))
        for cell, field in zip(row.find_all("td")[:3], ("where", "how", "hold"), strict=True):
            assert text_of(cell) == text_of(section.select_one(f'dd[data-field="{field}"]'))


def test_the_quick_reference_and_point_sections_come_from_one_source(tmp_path):
    """Change a point block, and both its section and its quick-reference row change."""
    from conftest import build, copy_project

    project = copy_project(tmp_path / "project")
    source = project / "content" / "acupressure-for-back-pain.md"
    source.write_text(source.read_text().replace("Hold: about one minute", "Hold: about two minutes"))
    assert build(project, project / "output").returncode == 0
    html = (project / "output" / ARTICLE).read_text()
    assert html.count('<time datetime="PT2M">about two minutes</time>') == 2
    assert 'data-hold-seconds="120"' in html


# --- the hold timer ---------------------------------------------------------------------------


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Presses Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement?.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_the_hold_timer_starts_counts_down_pauses_and_ends_by_keyboard(served_site, browser):
    with opened(browser, served_site) as (page, _):
        page.clock.install()
        goto(page, served_site + ARTICLE)
        timer = page.locator("#b23 .hold-timer")
        status = timer.locator("[data-hold-status]")
        assert status.get_attribute("aria-live") == "polite"
        assert timer.locator(".hold-time").inner_text() == "1:00"
        tab_to(page, "#b23 .hold-toggle")
        assert page.evaluate("document.activeElement.textContent") == "Start 1 minute hold"
        page.keyboard.press("Enter")
        assert status.inner_text() == "Hold started on B23: 1 minute."
        page.clock.run_for(30_000)
        assert timer.locator(".hold-time").inner_text() == "0:30"
        page.keyboard.press("Space")  # pause
        assert status.inner_text() == "Hold paused on B23: 0:30 left."
        page.clock.run_for(20_000)
        assert timer.locator(".hold-time").inner_text() == "0:30"
        page.keyboard.press("Enter")  # resume
        page.clock.run_for(29_000)
        assert timer.locator(".hold-time").inner_text() == "0:01"
        page.clock.run_for(2_000)
        assert timer.locator(".hold-time").inner_text() == "0:00"
        assert status.inner_text() == "Hold finished on B23: 1 minute is up."
        assert page.evaluate("document.activeElement.textContent") == "Start again"


def test_the_hold_time_comes_from_the_content_not_the_script(served_site, browser):
    with opened(browser, served_site) as (page, _):

        def ninety_seconds_for_b54(route):
            body = (
                route.fetch()
                .text()
                .replace('data-hold-seconds="60" data-point="B54"', 'data-hold-seconds="90" data-point="B54"')
            )
            route.fulfill(body=body, content_type="text/html")

        page.route(f"**/{ARTICLE}", ninety_seconds_for_b54)
        goto(page, served_site + ARTICLE)
        assert page.locator("#b54 .hold-time").inner_text() == "1:30"
        assert page.locator("#b54 .hold-toggle").inner_text() == "Start 1 minute 30 seconds hold"
        assert page.locator("#b23 .hold-time").inner_text() == "1:00"


def test_only_points_with_a_hold_time_get_a_timer(served_site, browser):
    with opened(browser, served_site) as (page, _):
        goto(page, served_site + ARTICLE)
        with_timer = page.eval_on_selector_all("section.point:has(.hold-timer)", "els => els.map(e => e.id)")
    assert with_timer == ["b47", "b23", "b54"]


RECORD_SOUND = """
window.__sounds = [];
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () { window.__sounds.push('media'); return play.call(this); };
window.AudioContext = class { constructor() { window.__sounds.push('audio-context'); } };
"""


def test_the_timer_is_silent_and_respects_reduced_motion(served_site, browser):
    with opened(browser, served_site, reduced_motion="reduce") as (page, context):
        context.add_init_script(RECORD_SOUND)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        page.click("#b54 .hold-toggle")
        page.clock.run_for(61_000)
        assert page.locator("#b54 [data-hold-status]").inner_text().startswith("Hold finished")
        assert page.evaluate("window.__sounds") == []
        assert page.eval_on_selector("#b54 .hold-bar-fill", "e => getComputedStyle(e).transitionDuration") == "0s"
    with opened(browser, served_site, reduced_motion="no-preference") as (page, _):
        goto(page, served_site + ARTICLE)
        assert page.eval_on_selector("#b54 .hold-bar-fill", "e => getComputedStyle(e).transitionDuration") != "0s"


# --- the guided steps -------------------------------------------------------------------------


def test_the_guide_walks_all_eight_steps_by_keyboard_and_escape_returns_focus(site, served_site, browser):
    steps = [text_of(li) for li in site.soup(ARTICLE).select("ol.steps > li")]
    with opened(browser, served_site) as (page, _):
        goto(page, served_site + ARTICLE)
        tab_to(page, ".guide-open")
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.guide")
        assert dialog.evaluate("d => d.open")
        for number, step in enumerate(steps, start=1):
            assert dialog.locator(".guide-progress").inner_text() == f"Step {number} of 8"
            assert " ".join(dialog.locator(".guide-step").inner_text().split()) == step
            if number < 8:
                page.keyboard.press("Enter")  # the focus stays on Next
        assert page.evaluate("document.activeElement.textContent") == "Finish"
        for number in range(7, 0, -1):
            page.keyboard.press("ArrowLeft")
            assert dialog.locator(".guide-progress").inner_text() == f"Step {number} of 8"
        page.keyboard.press("Shift+Tab")
        assert page.evaluate("document.activeElement.textContent") == "Back"
        page.keyboard.press("Enter")  # already at step 1: nothing happens
        assert dialog.locator(".guide-progress").inner_text() == "Step 1 of 8"
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        assert page.evaluate("document.activeElement.classList.contains('guide-open')")


FAKE_SPEECH = """
window.__spoken = [];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, 'speechSynthesis', { value: {
  speak: (u) => window.__spoken.push(u.text), cancel: () => {} }, configurable: true });
"""
NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"


def test_the_guide_offers_reading_aloud_only_where_the_browser_can_speak(site, served_site, browser):
    steps = [text_of(li) for li in site.soup(ARTICLE).select("ol.steps > li")]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(FAKE_SPEECH)
        goto(page, served_site + ARTICLE)
        page.click(".guide-open")
        page.check(".guide-speech input")
        page.click(".guide-next")
        assert [" ".join(t.split()) for t in page.evaluate("window.__spoken")] == steps[:2]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(NO_SPEECH)
        goto(page, served_site + ARTICLE)
        page.click(".guide-open")
        assert page.locator(".guide-speech").count() == 0


# --- print ------------------------------------------------------------------------------------


def test_the_article_prints_on_at_most_three_a4_pages_as_a_clean_guide(served_site, browser):
    with opened(browser, served_site) as (page, _):
        goto(page, served_site + ARTICLE)
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 3, f"{pages} pages"
        # printing loads the lazily loaded diagrams
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)"), (
            "a diagram did not print"
        )
        page.emulate_media(media="print")
        hidden = ["header.site-header", "nav", "footer", ".donation-banner", "button", ".hold-timer"]
        for selector in hidden:
            shown = page.eval_on_selector_all(selector, "els => els.filter(e => e.checkVisibility()).length")
            assert shown == 0, f"{selector} is printed"
        for selector in ["main figure img", ".quick-reference table", "ol.steps > li", "main ol > li"]:
            assert page.eval_on_selector_all(selector, "els => els.every(e => e.checkVisibility())"), selector
        target = page.eval_on_selector(
            "main a[href$='natural-pain-relief.html']", "a => getComputedStyle(a, '::after').content"
        )
        assert "natural-pain-relief.html" in target


# --- pictures for a person to look at ------------------------------------------------------------


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_article_are_written_for_review(served_site, browser, width, scheme):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"article-{width}-{scheme}.png"
    with opened(browser, served_site, viewport={"width": width, "height": 900}, color_scheme=scheme) as (page, _):
        goto(page, served_site + ARTICLE)
        scroll_through(page)
        page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
