"""A reader in pain, in a real browser (Debian's Chromium): finds what to do on the first screen, holds each point
hands-free, is guided through the steps, reads large text, enlarges a diagram, prints the page, and is told when
to stop; with a keyboard, a screen reader, a phone, dark mode or no JavaScript."""

from __future__ import annotations

import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader
from test_points import BLOCKS, SOURCE

from conftest import (
    ARTICLE,
    ARTICLE_SOURCE,
    CONTENT,
    ROOT,
    add_file,
    build,
    built,
    copy_project,
    metadata_of,
    serving,
    text_of,
    zq_article,
)

ARTIFACTS = ROOT / "test-artifacts"
# axe-core's default rules plus the 7:1 contrast rule (WCAG AAA), which axe leaves off by default
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"color-contrast-enhanced": {"enabled": True}}}
SNIPPET = CONTENT / "snippets" / "self-care-safety.md"
FIRST_SENTENCE = "In my practice, I've found"
SAFETY_SOURCES = [
    "https://www.nhs.uk/conditions/back-pain/",
    "https://www.takingcharge.csh.umn.edu/survivorship/safety-precautions",
    "https://www.takingcharge.csh.umn.edu/survivorship/acupressure-self-care",
    "https://www.webmd.com/balance/qa/are-there-any-precautions-with-acupressure",
]


@contextmanager
def opened(browser, url: str, font_size: int | None = None, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    if font_size:  # the browser's default text size, as a reader with low vision sets it
        context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": font_size}})
    try:
        yield page, context
    finally:
        context.close()


def goto(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")


def wait_until(page, expression: str, limit: int = 200) -> None:
    """Waits (50 ms at a time) until `expression` is true in the page; evaluate is not subject to the page's
    security policy, which forbids wait_for_function's eval."""
    for _ in range(limit):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    pytest.fail(f"never true: {expression}")


def load_pictures(page) -> None:
    """Loads the lazily loaded diagrams now, as scrolling to them would."""
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => (i.loading = 'eager'))")
    wait_until(page, "[...document.querySelectorAll('main img')].every(i => i.complete && i.naturalWidth > 0)")


def save_artifact(page, name: str) -> None:
    """A picture of the page for a person to look at (test-artifacts/, never committed); not a check."""
    ARTIFACTS.mkdir(exist_ok=True)
    load_pictures(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def spoken(seconds: int) -> str:
    """A hold time as the page says it: "1 minute", "2 minutes 30 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = [f"{minutes} minute{'s' * (minutes != 1)}"] if minutes else []
    return " ".join(parts + ([f"{rest} second{'s' * (rest != 1)}"] if rest or not minutes else []))


def pause_time(page) -> None:
    """From now on the page's time moves only when the test moves it (run_for): on a busy machine a second of
    real time between two steps would otherwise show as a second of the hold."""
    page.clock.pause_at(datetime.fromtimestamp(page.evaluate("Date.now()") / 1000 + 1, UTC))


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def short(seconds: int) -> str:
    """A hold time as the summary says it: "1 min", "1 min 30 sec"."""
    minutes, rest = divmod(seconds, 60)
    return " ".join(([f"{minutes} min"] if minutes else []) + ([f"{rest} sec"] if rest or not minutes else []))


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("dialog", [".guide-open", "figure.diagram a"])
def test_axe_finds_no_violation_with_the_step_guide_or_an_enlarged_diagram_open(served_site, browser, scheme, dialog):
    with opened(browser, served_site, color_scheme=scheme) as (page, _):
        goto(page, served_site + ARTICLE)
        page.click(dialog)
        assert page.evaluate("[...document.querySelectorAll('dialog')].some(d => d.open)")
        wait_until(page, "[...document.querySelectorAll('dialog[open] img')].every(i => i.complete)")
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
        colours = page.evaluate("""() => [...document.querySelectorAll('main p, main li, main dd')]
            .slice(0, 60).map(e => [getComputedStyle(e).color, getComputedStyle(document.body).backgroundColor])""")
    ratios = {round(contrast(fg, bg), 2) for fg, bg in colours}
    assert min(ratios) >= 7, ratios


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_two_schemes_really_differ(served_site, browser, scheme):
    with opened(browser, served_site, color_scheme=scheme) as (page, _):
        goto(page, served_site + ARTICLE)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    dark = contrast(background, "rgb(0, 0, 0)") < 2
    assert dark == (scheme == "dark"), background


def test_with_javascript_off_no_page_shows_a_control_that_does_nothing(site, served_site, browser):
    found = []
    with opened(browser, served_site, java_script_enabled=False) as (page, _):
        for path in site.html_pages:
            goto(page, served_site + path)
            controls = page.locator("button, input, select, textarea, dialog, [role=button], .hold-timer, .sequence")
            if controls.count():
                found.append(f"{path}: {controls.count()}")
            if path == ARTICLE:  # and the content is all there, the diagrams open on their own
                assert page.locator("[id^=step-]").count() == 8
                assert page.locator("section.point").count() == len(BLOCKS)
                assert page.locator(".glance-points > li").count() == len(BLOCKS)
                for link in page.locator("figure.diagram a").all():
                    assert link.get_attribute("href") == link.locator("img").get_attribute("src")
    assert not found, found


# --- the first screen ------------------------------------------------------------------------


FIRST_SCREEN = """(sentence) => {
  const top = (e) => e.getBoundingClientRect().top + scrollY;
  const first = [...document.querySelectorAll('main p')].find(p => p.textContent.startsWith(sentence));
  return {first: top(first), glance: top(document.querySelector('.glance')),
          title: top(document.querySelector('main h1')), header: top(document.querySelector('main')),
          point: top(document.querySelector('section.point')), hold: top(document.querySelector('.hold-toggle')),
          exercise: top(document.querySelector('ol.steps'))};
}"""


@pytest.mark.parametrize(("width", "height", "screens"), [(390, 844, 1.5), (320, 640, 2.5)])
def test_nancys_first_sentence_starts_within_the_first_screens_and_the_summary_on_the_first(
    served_site, browser, budget_report, width, height, screens
):
    with opened(browser, served_site, viewport={"width": width, "height": height}) as (page, _):
        goto(page, served_site + ARTICLE)
        at = page.evaluate(FIRST_SCREEN, FIRST_SENTENCE)
        budget_report.append(
            f"first screen at {width}x{height}: Nancy's first sentence at {at['first'] / height:.2f} screens "
            f"({at['first']:.0f} px; goal {screens}); summary at {at['glance']:.0f} px, main starts at "
            f"{at['header']:.0f} px; first point {at['point'] / height:.2f}, first hold button "
            f"{at['hold'] / height:.2f}, exercise {at['exercise'] / height:.2f} screens"
        )
        save_artifact(page, f"article-{width}")
        assert at["title"] < at["glance"] < at["first"]
        assert at["first"] <= screens * height, f"Nancy's first sentence is {at['first'] / height:.2f} screens down"
        assert at["glance"] < height, "the summary starts on the first screen, under the title"


@pytest.mark.parametrize("width", [320, 390, 768, 1024, 1440])
def test_the_summary_reads_well_at_every_width(served_site, browser, width):
    with opened(browser, served_site, viewport={"width": width, "height": 900}) as (page, _):
        goto(page, served_site + ARTICLE)
        glance = page.evaluate("""() => {
          const g = document.querySelector('.glance');
          const line = parseFloat(getComputedStyle(g).lineHeight);
          return {width: g.clientWidth, scroll: g.scrollWidth, page: document.documentElement.scrollWidth,
                  rows: [...g.querySelectorAll('.glance-points > li')].map(li => li.getBoundingClientRect().height / line)};
        }""")
    assert glance["scroll"] <= glance["width"] and glance["page"] <= width
    assert glance["width"] >= min(width - 40, 560), "the summary uses the reading column, not a squeezed cell"
    assert max(glance["rows"]) <= 5, f"a point of the summary takes {max(glance['rows']):.1f} lines"


# --- the summary, the date, the safety note ---------------------------------------------------


def test_the_summary_lists_the_points_in_nancys_order_from_her_point_blocks(site):
    glance = site.soup(ARTICLE).select_one("main .glance")
    assert glance.find_previous("h1") is not None and glance.find_previous("p", string=re.compile("In my")) is None
    items = glance.select(".glance-points > li")
    assert [li["data-for"] for li in items] == [b["id"] for b in BLOCKS]
    for item, block in zip(items, BLOCKS, strict=True):
        assert site.resolve(ARTICLE, item.a["href"]) == (ARTICLE, block["id"])
        assert text_of(item.a) == f"{block['label']} {block['name']}"
        assert text_of(item.select_one(".glance-where")) == block["where"]
        hold = item.select_one(".glance-hold")
        if block["seconds"]:
            assert hold.time["datetime"] == block["duration"]
            assert text_of(hold) == short(block["seconds"])
        else:
            assert text_of(hold) == "no time given" and hold.time is None
    total = sum(b["seconds"] or 0 for b in BLOCKS)
    assert f"Timed holds: about {spoken(total)} in all." in text_of(glance)


def test_the_summary_and_the_point_boxes_come_from_one_source(project, tmp_path):
    """Change a point block, and its box, its summary line and the total change with it."""
    source = project / ARTICLE_SOURCE
    source.write_text(source.read_text().replace("Hold: about one minute", "Hold: about two minutes"))
    assert build(project, project / "output").returncode == 0
    html = (project / "output" / ARTICLE).read_text()
    assert '<time datetime="PT2M">about two minutes</time>' in html and '<time datetime="PT2M">2 min</time>' in html
    assert 'data-hold-seconds="120"' in html and "Timed holds: about 4 minutes in all." in html


def test_the_date_line_shows_when_the_article_was_updated(site):
    written = date.fromisoformat(metadata_of(SOURCE)["date"][:10])
    updated = site.soup(ARTICLE).select_one("main .updated")
    assert updated.find_previous("h1") is not None and updated.find_next(class_="glance") is not None
    assert updated.time["datetime"] == written.isoformat()
    assert text_of(updated) == f"Updated {written.day} {written.strftime('%B %Y')}"


def test_the_safety_note_stands_where_the_instructions_start_and_the_summary_links_to_it(site):
    page = site.soup(ARTICLE)
    note = page.select_one("main section.safety-note")
    assert note is not None and note["id"] == "safety-note"
    assert note.find_previous("p", string=re.compile("^" + re.escape(FIRST_SENTENCE))) is not None
    assert note.find_next("section", class_="point")["id"] == BLOCKS[0]["id"]
    assert page.select_one(".glance a[href='#safety-note']") is not None
    snippet = SNIPPET.read_text(encoding="utf-8")
    assert text_of(note.find("h2")) == metadata_of(snippet)["title"] and note["aria-labelledby"] == note.h2["id"]
    assert "not from Nancy" in text_of(note), "the note says whose words it is"
    links = [a["href"] for a in note.find_all("a")]
    assert links == SAFETY_SOURCES
    assert all("noopener" in a["rel"] for a in note.find_all("a"))


def test_the_safety_note_says_when_to_stop_and_when_to_get_help(site):
    note = text_of(site.soup(ARTICLE).select_one("section.safety-note"))
    for fact in [
        "Stop if pressing hurts or the pain gets worse",
        "broken skin, bruises, varicose veins or new scars",
        "pregnant",
        "medicine that thins the blood",
        "Call 999 or go to A&E",
        "numbness or tingling around your genitals or buttocks",
        "loss of bladder or bowel control",
        "weakness in both legs",
        "chest pain",
        "See a GP urgently or call 111",
        "high temperature",
        "unexplained weight loss",
        "worse at night",
    ]:
        assert fact in note, fact
    words = len(note.split()) - len(metadata_of(SNIPPET.read_text())["title"].split())  # the words read
    assert words <= 150, f"the note is {words} words: keep it short"


def test_the_snippet_is_not_a_page_and_not_called_unused(site):
    assert not any("snippets" in page or "safety" in page for page in site.html_pages)
    assert "snippets" not in site.result.stdout + site.result.stderr


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A copy with a steps-only article, a plain one, and one with a Modified: date."""
    project = copy_project(tmp_path_factory.mktemp("reader") / "project")
    steps = "Some words.\n\n## Zq Exercise {: .steps }\n\n1. Breathe.\n2. Rest.\n"
    add_file(project, "content/zq-test-steps.md", zq_article("steps", steps))
    add_file(project, "content/zq-test-plain.md", zq_article("plain", "Just words.\n"))
    add_file(project, "content/zq-test-modified.md", zq_article("modified", steps, extra="Modified: 2026-02-03\n"))
    return built(project, project / "output")


def test_every_self_care_article_and_only_those_shows_the_safety_note(grown):
    for page, shown in [("zq-test-steps.html", True), ("zq-test-plain.html", False), (ARTICLE, True)]:
        soup = grown.soup(page)
        assert (soup.select_one("section.safety-note") is not None) is shown, page
        assert (soup.select_one(".glance") is not None) is shown, page
    steps = grown.soup("zq-test-steps.html")
    assert steps.select_one("section.safety-note").find_next_sibling()["id"] == "zq-exercise"
    assert text_of(steps.select_one(".glance-more")) == "Zq Exercise: 2 steps."


def test_the_date_line_prefers_the_modified_date(grown):
    updated = grown.soup("zq-test-modified.html").select_one(".updated")
    assert updated.time["datetime"] == "2026-02-03" and text_of(updated) == "Updated 3 February 2026"


def test_a_mistake_in_the_safety_note_is_named_with_its_file_and_line(project):
    snippet = project / "content" / "snippets" / "self-care-safety.md"
    lines = snippet.read_text().splitlines()
    lines.insert(4, '<iframe src="https://video.example/embed"></iframe>')
    snippet.write_text("\n".join(lines) + "\n")
    result = build(project, project / "output")
    assert result.returncode == 1
    assert "content/snippets/self-care-safety.md:5: <iframe> is not allowed in content" in result.stderr


def test_nancys_sentences_link_to_what_they_point_at(site):
    page = site.soup(ARTICLE)
    see_below = page.find("a", string="See below")
    assert site.resolve(ARTICLE, see_below["href"]) == (ARTICLE, BLOCKS[0]["id"])
    assert see_below.parent.get_text().endswith("(See below)")


# --- the hold -----------------------------------------------------------------------------------

# Records what the page asks of the device: vibrations, sounds (a fake AudioContext that notes whether it
# was made during a click), and the screen wake lock; the page can be hidden and shown again.
DEVICE = """
window.__device = {vibrations: [], contexts: [], resumed: 0, tones: [], locks: 0, released: 0, sentinel: null};
const device = window.__device;
Object.defineProperty(navigator, 'vibrate', {configurable: true, value: (pattern) => { device.vibrations.push(pattern); return true; }});
class Sentinel extends EventTarget {
  constructor() { super(); this.released = false; }
  release() { if (!this.released) { this.released = true; device.released++; this.dispatchEvent(new Event('release')); } return Promise.resolve(); }
}
Object.defineProperty(navigator, 'wakeLock', {configurable: true, value: {
  request: (type) => { device.locks++; device.type = type; device.sentinel = new Sentinel(); return Promise.resolve(device.sentinel); }}});
window.__visibility = 'visible';
Object.defineProperty(Document.prototype, 'visibilityState', {configurable: true, get: () => window.__visibility});
class FakeAudioContext {
  constructor() { device.contexts.push({inClick: navigator.userActivation.isActive}); this.state = 'suspended';
    this.currentTime = 0; this.destination = {}; }
  resume() { device.resumed++; this.state = 'running'; return Promise.resolve(); }
  createOscillator() { return {type: '', frequency: {setValueAtTime: (f) => device.tones.push(f)},
    connect: (n) => n, start: () => {}, stop: () => {}}; }
  createGain() { return {gain: {setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {}}, connect: (n) => n}; }
}
window.AudioContext = FakeAudioContext;
"""


def device(page) -> dict:
    return page.evaluate("({...window.__device, sentinel: null})")


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Presses Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement?.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


TIMED = next(b for b in BLOCKS if b["seconds"])
UNTIMED = next(b for b in BLOCKS if not b["seconds"])


def test_every_point_has_a_hold_control(served_site, browser):
    with opened(browser, served_site) as (page, _):
        goto(page, served_site + ARTICLE)
        with_control = page.eval_on_selector_all(
            "section.point:has(.hold-timer .hold-toggle)", "els => els.map(e => e.id)"
        )
        assert with_control == [b["id"] for b in BLOCKS]
        for block in BLOCKS:
            toggle = page.locator(f"#{block['id']} .hold-toggle")
            if block["seconds"]:
                assert toggle.inner_text() == f"Start {spoken(block['seconds'])} hold"
            else:
                assert toggle.inner_text() == "Start timing"
                assert "counts up" in page.locator(f"#{block['id']} .hold-timer").inner_text()


def test_the_hold_timer_starts_counts_down_pauses_and_ends_by_keyboard(served_site, browser):
    label, pid = TIMED["label"], TIMED["id"]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        timer = page.locator(f"#{pid} .hold-timer")
        status = timer.locator("[data-hold-status]")
        assert status.get_attribute("aria-live") == "polite"
        total = TIMED["seconds"]
        assert timer.locator(".hold-time").inner_text() == clock(total)
        tab_to(page, f"#{pid} .hold-toggle")
        page.keyboard.press("Enter")
        assert status.inner_text() == f"Hold started on {label}: {spoken(total)}."
        page.clock.run_for(20_000)
        assert timer.locator(".hold-time").inner_text() == clock(total - 20)
        page.keyboard.press("Space")  # pause
        assert status.inner_text() == f"Hold paused on {label}: {clock(total - 20)} left."
        page.clock.run_for(30_000)
        assert timer.locator(".hold-time").inner_text() == clock(total - 20)
        page.keyboard.press("Enter")  # resume
        page.clock.run_for((total - 21) * 1000)
        assert timer.locator(".hold-time").inner_text() == "0:01"
        page.clock.run_for(2_000)
        assert timer.locator(".hold-time").inner_text() == "0:00"
        done = f"Hold finished on {label}: {spoken(TIMED['seconds'])} is up."
        following = BLOCKS[BLOCKS.index(TIMED) + 1]
        message = timer.locator(".hold-message")
        assert (
            message.is_visible() and message.inner_text() == f"{done} Next: {following['label']} {following['name']}."
        )
        assert status.inner_text() == message.inner_text(), "said aloud as well"
        assert (
            page.evaluate("u => new URL(u).hash", message.locator("a").evaluate("a => a.href")) == f"#{following['id']}"
        )
        assert timer.get_attribute("data-state") == "done"
        assert page.evaluate("document.activeElement.textContent") == "Start again"


def test_the_end_of_a_hold_chimes_vibrates_and_the_screen_stays_awake_meanwhile(served_site, browser):
    pid = TIMED["id"]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        page.click(f"#{pid} .hold-toggle")
        cues = device(page)
        assert cues["contexts"] == [{"inClick": True}], "the sound is made possible in the click that starts"
        assert cues["resumed"] == 1 and cues["locks"] == 1 and cues["type"] == "screen" and cues["released"] == 0
        # the browser lets the lock go while the page is hidden; it is taken again when the reader returns
        page.evaluate("window.__visibility = 'hidden'; window.__device.sentinel.release()")
        page.evaluate("window.__visibility = 'visible'; document.dispatchEvent(new Event('visibilitychange'))")
        assert device(page)["locks"] == 2
        page.clock.run_for(TIMED["seconds"] * 1000 - 2000)
        assert device(page)["tones"] == [] and device(page)["vibrations"] == []
        page.clock.run_for(3000)
        cues = device(page)
        assert cues["tones"], "a chime at the end"
        assert cues["vibrations"] == [[200, 100, 200]]
        assert cues["released"] == 2, "the screen may sleep again"
        # pausing lets the screen sleep too
        page.click(f"#{pid} .hold-toggle")
        assert device(page)["locks"] == 3
        page.click(f"#{pid} .hold-toggle")
        assert device(page)["released"] == 3


def test_the_sound_setting_is_visible_remembered_and_silences_the_chime(served_site, browser):
    pid = TIMED["id"]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        boxes = page.locator(".sound-setting input")
        assert boxes.count() == len(BLOCKS) + 1 and all(box.is_checked() for box in boxes.all())
        page.locator(f"#{pid} .sound-setting input").uncheck()
        assert not any(box.is_checked() for box in boxes.all()), "every sound setting follows"
        page.click(f"#{pid} .hold-toggle")
        page.clock.run_for(TIMED["seconds"] * 1000 + 1000)
        assert device(page)["tones"] == [] and device(page)["vibrations"] == [[200, 100, 200]]
        page.reload(wait_until="networkidle")
        assert not page.locator(f"#{pid} .sound-setting input").is_checked(), "the setting is remembered"
        page.locator(".sequence .sound-setting input").check()
        page.reload(wait_until="networkidle")
        assert page.locator(f"#{pid} .sound-setting input").is_checked()


def test_the_bar_respects_reduced_motion(served_site, browser):
    for motion, still in [("reduce", True), ("no-preference", False)]:
        with opened(browser, served_site, reduced_motion=motion) as (page, _):
            goto(page, served_site + ARTICLE)
            duration = page.eval_on_selector(
                f"#{TIMED['id']} .hold-bar-fill", "e => getComputedStyle(e).transitionDuration"
            )
            assert (duration == "0s") is still


def test_a_point_without_a_hold_time_counts_up_and_never_invents_an_end(served_site, browser):
    pid, label = UNTIMED["id"], UNTIMED["label"]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        timer = page.locator(f"#{pid} .hold-timer")
        assert timer.locator(".hold-time").inner_text() == "0:00" and timer.locator(".hold-bar").count() == 0
        page.click(f"#{pid} .hold-toggle")
        assert timer.locator("[data-hold-status]").inner_text() == f"Timing the hold on {label}, counting up."
        page.clock.run_for(90_000)
        assert timer.locator(".hold-time").inner_text() == "1:30"
        page.clock.run_for(600_000)
        assert timer.locator(".hold-time").inner_text() == "11:30" and timer.get_attribute("data-state") == "running"
        assert device(page)["tones"] == [] and device(page)["vibrations"] == []
        page.click(f"#{pid} .hold-toggle")
        assert timer.locator("[data-hold-status]").inner_text() == f"Hold paused on {label}: 11:30 so far."
        assert device(page)["released"] == 1


def test_the_hold_time_comes_from_the_content_not_the_script(served_site, browser):
    pid = TIMED["id"]
    with opened(browser, served_site) as (page, _):

        def ninety_seconds(route):
            body = (
                route.fetch()
                .text()
                .replace(
                    f'data-hold-seconds="60" data-point="{TIMED["label"]}"',
                    f'data-hold-seconds="90" data-point="{TIMED["label"]}"',
                )
            )
            route.fulfill(body=body, content_type="text/html")

        page.route(f"**/{ARTICLE}", ninety_seconds)
        goto(page, served_site + ARTICLE)
        assert page.locator(f"#{pid} .hold-time").inner_text() == "1:30"
        assert page.locator(f"#{pid} .hold-toggle").inner_text() == "Start 1 minute 30 seconds hold"


# --- all the points, one after the other ---------------------------------------------------------


def test_do_all_the_points_runs_the_holds_in_nancys_order_hands_free(served_site, browser):
    with opened(browser, served_site, viewport={"width": 390, "height": 844}) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        status = page.locator(".sequence-status")
        assert status.get_attribute("aria-live") == "polite"
        tab_to(page, ".sequence-start")
        everything = f"Do all {NUMBER_WORDS[len(BLOCKS)]} points" if len(BLOCKS) > 2 else "Do both points"
        assert page.evaluate("document.activeElement.textContent") == everything
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.textContent") == "Pause", "the focus stays on the controls"
        heard = []
        for number, block in enumerate(BLOCKS, start=1):
            said = status.inner_text()
            heard.append(block["label"])
            assert said.startswith(
                f"Point {number} of {len(BLOCKS)}, {block['label']}, {block['name']}: {block['where']}."
            )
            assert page.locator(f"#{block['id']} .hold-timer").get_attribute("data-state") == "running"
            controls = page.locator(".sequence-controls")
            assert controls.is_visible() and controls.evaluate("e => e.getBoundingClientRect().bottom <= innerHeight")
            if not block["seconds"]:  # waits for the reader
                assert said.endswith("No time given: hold as long as feels right, then press Finish.")
                page.clock.run_for(300_000)
                assert page.locator(f"#{block['id']} .hold-timer").get_attribute("data-state") == "running"
                assert page.locator(".sequence-next").inner_text() == "Finish"
                page.click(".sequence-next")
                break
            assert said.endswith(f"Hold for {spoken(block['seconds'])}.")
            page.clock.run_for(block["seconds"] * 1000)  # the timers tick every 250 ms: this is the hold's end
            following = BLOCKS[number]
            assert status.inner_text() == (
                f"{block['label']} done. Move your hands to {following['label']}: {following['where']}. "
                "Starting in 10 seconds."
            )
            assert page.locator(".sequence-now").inner_text() == f"Move to {following['label']}: 0:10"
            page.clock.run_for(10_000)
        assert heard == [b["label"] for b in BLOCKS]
        assert status.inner_text() == f"{BLOCKS[-1]['label']} done. {everything.removeprefix('Do ').capitalize()} done."
        assert not page.locator(".sequence-controls").is_visible()
        cues = device(page)
        assert len(cues["vibrations"]) == len(BLOCKS) and cues["locks"] >= 1 and cues["released"] >= 1
        # the reader stays by the last point, and the focus is on what comes next: the exercise
        exercise = page.locator(".glance-more a").first
        assert page.evaluate("document.activeElement.getAttribute('href')") == exercise.get_attribute("href")
        assert page.evaluate("document.activeElement.closest('section.point').id") == BLOCKS[-1]["id"]
        assert page.locator(f"#{BLOCKS[-1]['id']} .hold-message").is_visible()
        # (a smooth scroll the browser may still be making is let finish first)
        page.clock.run_for(1_000)
        for _ in range(50):
            glance_bottom = page.evaluate("document.querySelector('.glance').getBoundingClientRect().bottom")
            if glance_bottom < 0:
                break
            page.wait_for_timeout(100)
        assert glance_bottom < 0, "finishing did not scroll back up to the summary"


def test_the_sequence_pauses_resumes_skips_and_stops(served_site, browser):
    first, second = BLOCKS[0], BLOCKS[1]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        page.click(".sequence-start")
        page.clock.run_for(20_000)
        assert (device(page)["locks"], device(page)["released"]) == (1, 0), "the screen stays awake"
        page.click(".sequence-pause")
        assert page.locator(".sequence-status").inner_text() == "Paused."
        assert device(page)["released"] == 1, "resting, the screen may sleep"
        page.clock.run_for(60_000)
        assert page.locator(".sequence-now").inner_text() == f"{first['label']}: {clock(first['seconds'] - 20)} left"
        page.click(".sequence-pause")  # now "Resume"
        assert page.locator(".sequence-status").inner_text() == "Resumed."
        assert device(page)["locks"] == 2
        page.clock.run_for(10_000)
        assert page.locator(".sequence-now").inner_text() == f"{first['label']}: {clock(first['seconds'] - 30)} left"
        page.click(".sequence-next")  # on to the pause before the next point
        assert page.locator(".sequence-status").inner_text().startswith(f"{first['label']} done. Move your hands")
        page.click(".sequence-next")  # "Start B23 now"
        assert page.locator(".sequence-status").inner_text().startswith(f"Point 2 of {len(BLOCKS)}, {second['label']}")
        page.click(".sequence-stop")
        assert page.locator(".sequence-status").inner_text() == "Stopped."
        assert page.locator(f"#{second['id']} .hold-timer").get_attribute("data-state") == "idle"
        page.clock.run_for(120_000)
        assert device(page)["released"] >= 1 and not page.locator(".sequence-controls").is_visible()


def test_the_sequence_follows_an_order_line(tmp_path, browser):
    project = copy_project(tmp_path / "project")
    body = "Intro.\n\nPoint: K1\nWhere: the sole\nHold: 30 seconds\n\nPoint: K3\nWhere: the ankle\nHold: 30 seconds\n"
    add_file(project, "content/zq-test-seq.md", zq_article("seq", body, extra="Order: K3, K1\n"))
    site = built(project, project / "output")
    with serving(site.root) as url, opened(browser, url) as (page, _):
        page.clock.install()
        goto(page, url + "zq-test-seq.html")
        pause_time(page)
        assert page.locator(".sequence-start").inner_text() == "Do both points"
        page.click(".sequence-start")
        assert page.locator(".sequence-status").inner_text().startswith("Point 1 of 2, K3: the ankle.")
        page.clock.run_for(40_500)
        assert page.locator(".sequence-status").inner_text().startswith("Point 2 of 2, K1: the sole.")


# --- the guided steps, read aloud ----------------------------------------------------------------


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


# A browser that can speak, whose voices arrive when the test says so (as they arrive late in Chromium)
SPEECH = """
window.__spoken = [];
window.__voices = %s;
const listeners = new Set();
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speak: (u) => window.__spoken.push(u.text), cancel: () => {}, getVoices: () => window.__voices,
  addEventListener: (type, f) => listeners.add(f), removeEventListener: (type, f) => listeners.delete(f) } });
window.__addVoice = () => { window.__voices.push({name: 'Test voice'}); listeners.forEach(f => f(new Event('voiceschanged'))); };
"""
NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"


def test_reading_aloud_is_offered_once_the_browser_has_a_voice_and_reads_each_step(site, served_site, browser):
    steps = [text_of(li) for li in site.soup(ARTICLE).select("ol.steps > li")]
    with opened(browser, served_site) as (page, context):
        context.add_init_script(SPEECH % "[]")
        goto(page, served_site + ARTICLE)
        page.click(".guide-open")
        assert page.locator(".guide-speech").count() == 0, "no voice: no read-aloud option"
        assert page.locator(".sequence .sound-setting", has_text="aloud").count() == 0
        page.evaluate("window.__addVoice()")
        page.check(".guide-speech input")
        page.click(".guide-next")
        assert [" ".join(t.split()) for t in page.evaluate("window.__spoken")] == steps[:2]
        page.keyboard.press("Escape")
        assert page.locator(".sequence .sound-setting", has_text="Say each point aloud").count() == 1
    with opened(browser, served_site) as (page, context):
        context.add_init_script(NO_SPEECH)
        goto(page, served_site + ARTICLE)
        page.click(".guide-open")
        assert page.locator(".guide-speech").count() == 0


def test_the_sequence_can_say_each_point_aloud(served_site, browser):
    with opened(browser, served_site) as (page, context):
        context.add_init_script(SPEECH % "[{name: 'Test voice'}]")
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        page.get_by_label("Say each point aloud").check()
        page.click(".sequence-start")
        assert page.evaluate("window.__spoken")[0].startswith(f"Point 1 of {len(BLOCKS)}, {BLOCKS[0]['label']}")


# --- large text, diagrams ---------------------------------------------------------------------------


def outside(page, selector: str, width: int) -> list[str]:
    return page.eval_on_selector_all(
        selector,
        f"""els => els.filter(e => e.checkVisibility()).map(e => [e.textContent.trim() || e.className, e.getBoundingClientRect()])
            .filter(([_, r]) => r.left < -0.5 || r.right > {width} + 0.5 || r.width === 0)
            .map(([name, r]) => `${{name}}: ${{Math.round(r.left)}}–${{Math.round(r.right)}}`)""",
    )


def test_with_32_px_text_at_320_px_nothing_scrolls_sideways_and_every_control_fits(site, served_site, browser):
    with opened(browser, served_site, font_size=32, viewport={"width": 320, "height": 640}) as (page, _):
        wide = []
        for path in site.html_pages:
            goto(page, served_site + path)
            assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 32
            if page.evaluate("document.documentElement.scrollWidth") > 320:
                wide.append(f"{path}: {page.evaluate('document.documentElement.scrollWidth')}px")
        assert not wide, wide
        goto(page, served_site + ARTICLE)
        controls = "button, label, .hold-time, .sequence-now"
        assert outside(page, controls, 320) == []
        page.click(".sequence-start")
        assert outside(page, ".sequence " + controls.replace(", ", ", .sequence "), 320) == []
        page.click(".sequence-stop")
        page.click(".guide-open")
        assert outside(page, "dialog.guide, dialog.guide button, dialog.guide .guide-step", 320) == []
        page.keyboard.press("Escape")
        page.click("figure.diagram a")
        assert outside(page, "dialog.enlarge, dialog.enlarge button, dialog.enlarge img", 320) == []


def smallest_font_size(svg_text: str) -> tuple[float, float]:
    """The smallest font size an SVG's text is drawn at, and the width of its viewBox."""
    root = ET.fromstring(svg_text)
    sizes = []
    for element in root.iter():
        if element.get("font-size"):
            sizes.append(float(element.get("font-size").removesuffix("px")))
        sizes += [float(m) for m in re.findall(r"font-size:\s*([\d.]+)", element.get("style", ""))]
    return min(sizes), float(root.get("viewBox").split()[2])


def test_diagram_labels_are_at_least_12_px_on_a_390_px_phone(site, served_site, browser):
    with opened(browser, served_site, viewport={"width": 390, "height": 844}) as (page, _):
        goto(page, served_site + ARTICLE)
        load_pictures(page)
        rendered = page.eval_on_selector_all(
            "figure.diagram img", "els => els.map(i => [i.getAttribute('src'), i.getBoundingClientRect().width])"
        )
    assert len(rendered) == len(site.soup(ARTICLE).select("figure.diagram"))
    for src, width in rendered:
        size, box = smallest_font_size((site.root / site.resolve(ARTICLE, src)[0]).read_text())
        assert size * width / box >= 12, f"{src}: labels are {size * width / box:.1f} px"


def test_a_diagram_opens_full_screen_with_its_text_alternative_and_closes_back_to_it(served_site, browser):
    with opened(browser, served_site, viewport={"width": 390, "height": 844}) as (page, _):
        goto(page, served_site + ARTICLE)
        link = page.locator("figure.diagram a").first
        alt = link.locator("img").get_attribute("alt")
        caption = page.locator("figure.diagram figcaption").first.inner_text()
        link.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.enlarge")
        assert dialog.evaluate("d => d.open")
        image = dialog.locator("img")
        assert image.get_attribute("alt") == alt and dialog.locator("figcaption").inner_text() == caption
        wait_until(page, "document.querySelector('dialog.enlarge img').complete")
        assert image.evaluate("i => i.getBoundingClientRect().width") >= 390 - 40, "the picture fills the width"
        assert page.evaluate("document.activeElement.textContent") == "Close"
        page.keyboard.press("Escape")
        assert not dialog.evaluate("d => d.open")
        assert page.evaluate("document.activeElement === document.querySelector('figure.diagram a')")
        assert page.url.endswith(ARTICLE), "the picture opened over the page, not instead of it"


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


def test_each_figure_sits_with_the_points_it_shows(site):
    article = site.soup(ARTICLE)
    for figure in article.select("main figure"):
        item = figure.find_parent("li")
        shown = {s["data-point"] for s in item.select("section.point")}
        assert shown and all(label in figure.img["alt"] for label in shown)


# --- print ---------------------------------------------------------------------------------------


PRINTED = """() => {
  const css = (e, p, pseudo) => getComputedStyle(e, pseudo)[p];
  const body = document.body;
  return {
    background: css(body, 'backgroundColor'), text: css(body, 'color'), size: parseFloat(css(body, 'fontSize')),
    paragraphs: [...document.querySelectorAll('main p, main li, main dd')].filter(e => e.checkVisibility())
      .map(e => [css(e, 'color'), parseFloat(css(e, 'fontSize'))]),
    afters: [...document.querySelectorAll('main a')].map(a => css(a, 'content', '::after')).filter(c => c && c !== 'none'),
    figures: [...document.querySelectorAll('figure.diagram')].map(f => [css(f, 'breakInside'), f.checkVisibility(),
      f.querySelector('figcaption').checkVisibility()]),
    note: document.querySelector('section.safety-note').checkVisibility(),
    footer: document.querySelector('.print-footer').checkVisibility() ? document.querySelector('.print-footer').innerText : '',
    hidden: ['header.site-header', 'nav', 'footer.site-footer', '.donation-banner', 'button', '.hold-timer', '.sequence']
      .filter(s => [...document.querySelectorAll(s)].some(e => e.checkVisibility())),
  };
}"""


def squeezed(text: str) -> str:
    """Text as compared with a PDF's: ligatures and typographic forms folded, no whitespace (a PDF breaks lines
    where the page did)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def printed_text_problems(article, pdf: bytes, buttons: list[str]) -> list[str]:
    """What of the article the printed PDF lacks (Nancy's first sentence, the safety note, each point's name, time
    and place, every step), and the controls it shows."""
    printed = squeezed(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    wanted = {
        "Nancy's first sentence": text_of(article.find("p", string=re.compile("^" + re.escape(FIRST_SENTENCE)))),
        **{
            f"care card {n}": text_of(card) for n, card in enumerate(article.select("main .safety-note .admonition"), 1)
        },
        # the point boxes repeat the glance list, which is what prints (three A4 pages): each point, its time and place
        **{
            f"glance item {n}, {span['class'][0]}": text_of(span)
            for n, li in enumerate(article.select(".glance ol > li"), 1)
            for span in li.find_all("span", recursive=False)
        },
        **{f"step {n}": text_of(li) for n, li in enumerate(article.select("ol.steps > li"), 1)},
    }
    glance = " ".join(text_of(li) for li in article.select(".glance ol > li"))
    assert all(p["data-point"] in glance for p in article.select("section.point")), "a point is not in the glance list"
    assert len(wanted) >= 3 + 8, sorted(wanted)
    # labels of more than one word: 'Stop' alone is also a word of the safety note
    controls = [label for label in buttons if len(label.split()) > 1] + ["Skip to"]
    assert len(controls) > 1, controls
    return [f"missing: {what}" for what, text in wanted.items() if squeezed(text) not in printed] + [
        f"a control: {c}" for c in controls if squeezed(c) in printed
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_article_prints_light_on_at_most_three_a4_pages_with_the_safety_note_and_its_address(
    site, served_site, browser, scheme
):
    written = date.fromisoformat(metadata_of(SOURCE)["date"][:10])
    with opened(browser, served_site, color_scheme=scheme) as (page, _):
        goto(page, served_site + ARTICLE)
        buttons = page.evaluate("[...document.querySelectorAll('main button')].map(b => b.innerText.trim())")
        pdf = page.pdf(format="A4")  # printing loads the lazily loaded diagrams
        problems = printed_text_problems(site.soup(ARTICLE), pdf, buttons)
        assert not problems, f"the printed PDF: {problems}"
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 3, f"{pages} pages"
        assert page.evaluate(
            "[...document.querySelectorAll('main img')].every(i => i.complete && i.naturalWidth > 0)"
        ), "a diagram did not print"
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED)
        if scheme == "light":
            save_artifact(page, "article-print")
    assert printed["background"] == "rgb(255, 255, 255)", "always printed light"
    assert min(contrast(fg, printed["background"]) for fg, _ in printed["paragraphs"]) >= 7
    assert printed["size"] >= 11 * 96 / 72 - 0.01, f"body text {printed['size'] * 72 / 96:.1f} pt"
    assert all(size >= 9 * 96 / 72 for _, size in printed["paragraphs"])
    assert not [content for content in printed["afters"] if "images/" in content or ".svg" in content]
    assert printed["figures"] and all(f == ["avoid", True, True] for f in printed["figures"])
    assert printed["note"], "the safety note is printed"
    assert printed["hidden"] == [], f"{printed['hidden']} are printed"
    assert printed["footer"].startswith(served_site + ARTICLE)
    assert printed["footer"].endswith(f"Updated {written.day} {written.strftime('%B %Y')}")


# --- reader v3: large text, one set of controls, the care cards, the look ----------------------------------

# Every word of the page's visible text (runs of letters between spaces and hyphens: a line may break after a
# hyphen) whose characters lie on more than one line
BROKEN_WORDS = r"""() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    if (!node.parentElement.checkVisibility()) continue;
    for (const match of node.data.matchAll(/[^\s\-‐–—]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
      if (lines.size > 1) broken.push(`${match[0]} (${node.parentElement.className || node.parentElement.tagName})`);
    }
  }
  return broken;
}"""


@pytest.mark.parametrize(("width", "height"), [(320, 640), (390, 844)])
def test_with_32_px_text_no_word_of_any_page_breaks_across_lines(site, served_site, browser, width, height):
    broken = {}
    with opened(browser, served_site, font_size=32, viewport={"width": width, "height": height}) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        for path in site.html_pages:
            goto(page, served_site + path)
            pause_time(page)
            broken[path] = page.evaluate(BROKEN_WORDS)
        goto(page, served_site + ARTICLE)  # and with a hold done, its message shown, and the sequence running
        edges = page.eval_on_selector_all(
            "section.point, .glance, #safety-note .admonition",
            "els => els.map(e => [Math.round(e.getBoundingClientRect().left), Math.round(e.getBoundingClientRect().right)])",
        )
        assert set(map(tuple, edges)) == {(0, width)}, f"the boxes go edge to edge at large text: {edges}"
        page.click(f"#{TIMED['id']} .hold-toggle")
        page.clock.run_for(TIMED["seconds"] * 1000 + 1000)
        page.click(".sequence-start")
        broken["the article, a hold done and the sequence running"] = page.evaluate(BROKEN_WORDS)
    assert not any(broken.values()), {page: words for page, words in broken.items() if words}


def test_while_the_sequence_runs_it_has_the_only_controls_and_they_are_reached_in_the_order_seen(served_site, browser):
    with opened(browser, served_site, viewport={"width": 390, "height": 844}) as (page, context):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        card_buttons = "section.point .hold-buttons button"
        assert page.locator(card_buttons).first.is_visible()
        page.click(".sequence-start")
        assert [b for b in page.locator(card_buttons).all() if b.is_visible()] == [], "no card's own Start/Pause/Reset"
        # Tab goes through the bar from its top left to its bottom right, as it is seen
        order = []
        page.focus(".sequence-pause")
        page.keyboard.press("Shift+Tab")
        for _ in range(12):
            page.keyboard.press("Tab")
            inside = page.evaluate("document.activeElement.closest('.sequence') !== null")
            if not inside:
                break
            order.append(
                page.evaluate(
                    "(({top, left}) => [Math.round(top), Math.round(left)])(document.activeElement.getBoundingClientRect())"
                )
            )
        assert len(order) >= 4 and order == sorted(order), order
        page.click(".sequence-pause")
        page.clock.run_for(45_000)  # paused time never counts
        page.click(".sequence-pause")
        assert page.locator(".sequence-now").inner_text() == f"{TIMED['label']}: {clock(TIMED['seconds'])} left"
        page.click(".sequence-stop")
        assert page.locator(card_buttons).first.is_visible(), "the cards' controls come back"


@pytest.mark.parametrize("point", BLOCKS, ids=[b["id"] for b in BLOCKS])
def test_following_a_point_from_the_summary_shows_its_diagram_and_its_place_at_390(site, served_site, browser, point):
    section = site.soup(ARTICLE).find(id=point["id"])
    figure = [f for f in section.find_parent("li").select("figure.diagram") if f in section.find_all_previous("figure")]
    with opened(browser, served_site, viewport={"width": 390, "height": 844}, reduced_motion="reduce") as (page, _):
        goto(page, served_site + ARTICLE)
        load_pictures(page)
        page.click(f".glance a[href='#{point['id']}']")
        page.wait_for_timeout(100)
        shown = page.evaluate(
            """(id) => { const point = document.getElementById(id);
              const figures = [...point.closest('li').querySelectorAll('figure.diagram')]
                .filter(f => f.compareDocumentPosition(point) & Node.DOCUMENT_POSITION_FOLLOWING);
              const box = (e) => e && e.getBoundingClientRect();
              return {figure: box(figures.at(-1)) && [box(figures.at(-1)).top, box(figures.at(-1)).bottom],
                      where: [box(point.querySelector('[data-field=where]')).top, box(point.querySelector('[data-field=where]')).bottom],
                      hash: location.hash}; }""",
            point["id"],
        )
    assert shown["hash"] == f"#{point['id']}"
    assert shown["where"][0] >= 0 and shown["where"][1] <= 844, f"the place is on screen: {shown}"
    if figure:
        assert shown["figure"][0] >= 0 and shown["figure"][1] <= 844, f"the diagram is on screen: {shown}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_care_cards_are_in_the_main_flow_at_least_body_size_with_headings_the_emergency_one_red(
    served_site, browser, scheme
):
    with opened(browser, served_site, color_scheme=scheme) as (page, _):
        goto(page, served_site + ARTICLE)
        cards = page.evaluate("""() => {
          const body = parseFloat(getComputedStyle(document.querySelector('.article > p:not([class])')).fontSize);
          return [...document.querySelectorAll('#safety-note .admonition')].map(card => {
            const heading = card.querySelector('h3'); const style = getComputedStyle(heading);
            return {kind: [...card.classList].find(c => c.startsWith('care-')), aside: !!card.closest('aside'),
                    main: !!card.closest('main'), body, size: Math.min(...[...card.querySelectorAll('li, p')]
                      .map(e => parseFloat(getComputedStyle(e).fontSize))),
                    heading: heading.textContent, band: style.backgroundColor, text: style.color,
                    frame: parseFloat(getComputedStyle(card).borderTopWidth)}; }); }""")
        page.emulate_media(media="print")
        unbroken = page.eval_on_selector_all(
            "#safety-note .admonition", "cs => cs.map(c => getComputedStyle(c).breakInside)"
        )
    assert [c["kind"] for c in cards][:2] == ["care-emergency", "care-urgent"] and len(cards) == 3
    for card in cards:
        assert card["main"] and not card["aside"] and card["heading"]
        assert card["size"] >= card["body"], card
        assert contrast(card["text"], card["band"]) >= 7, card
    emergency = cards[0]
    red, green, blue = (int(c) for c in re.findall(r"\d+", emergency["band"])[:3])
    assert red > 2 * green and red > 2 * blue, f"the emergency card is red: {emergency['band']}"
    assert emergency["frame"] > max(c["frame"] for c in cards[1:]), "the emergency card is the strongest"
    assert "999" in emergency["heading"] and "111" in cards[1]["heading"]
    assert unbroken == ["avoid"] * 3, "each card whole on one printed page"


def test_at_1280_the_header_lines_up_with_the_text_and_form_controls_use_the_accent(served_site, browser):
    with opened(browser, served_site, viewport={"width": 1280, "height": 900}) as (page, _):
        goto(page, served_site + ARTICLE)
        at = page.evaluate("""() => ({name: document.querySelector('.site-name').getBoundingClientRect().left,
            text: document.querySelector('main h1').getBoundingClientRect().left,
            accent: getComputedStyle(document.querySelector('.sound-setting input')).accentColor,
            site: getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()})""")
    assert abs(at["name"] - at["text"]) <= 4, at
    assert at["accent"] not in ("auto", "") and at["site"], at


def luminance_of(png: bytes) -> float:
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0] / 255


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_diagrams_follow_the_colour_scheme(served_site, browser, scheme):
    with opened(browser, served_site, color_scheme=scheme, viewport={"width": 390, "height": 844}) as (page, _):
        goto(page, served_site + ARTICLE)
        load_pictures(page)
        means = [luminance_of(img.screenshot()) for img in page.locator("figure.diagram img").all()]
    assert means and all((mean < 0.4) == (scheme == "dark") for mean in means), means


def test_escape_closes_the_menu_and_the_last_steps_arrow_does_not_close_the_guide(served_site, browser):
    with opened(browser, served_site) as (page, _):
        goto(page, served_site + ARTICLE)
        page.click(".site-menu-button")
        assert page.evaluate("document.querySelector('details.site-menu').open")
        page.keyboard.press("Escape")
        assert not page.evaluate("document.querySelector('details.site-menu').open")
        assert page.evaluate("document.activeElement.classList.contains('site-menu-button')")
        page.click(".guide-open")
        steps = page.locator("ol.steps > li").count()
        for _ in range(steps + 2):
            page.keyboard.press("ArrowRight")
        dialog = page.locator("dialog.guide")
        assert (
            dialog.evaluate("d => d.open")
            and dialog.locator(".guide-progress").inner_text() == f"Step {steps} of {steps}"
        )


def test_short_pages_show_no_strip_under_the_footer_and_the_book_is_quieter_than_the_safety_note(served_site, browser):
    with opened(browser, served_site, viewport={"width": 390, "height": 2000}) as (page, _):
        goto(page, served_site + "404.html")
        colours = page.evaluate("""() => [getComputedStyle(document.documentElement).backgroundColor,
            getComputedStyle(document.querySelector('footer')).backgroundColor,
            document.querySelector('footer').getBoundingClientRect().bottom]""")
        assert colours[2] < 2000 and colours[0] == colours[1], colours
        goto(page, served_site + ARTICLE)
        sizes = page.evaluate("""() => [Math.max(...[...document.querySelectorAll('.book-promo *')]
            .map(e => parseFloat(getComputedStyle(e).fontSize))),
            Math.min(...[...document.querySelectorAll('#safety-note .admonition *')].map(e => parseFloat(getComputedStyle(e).fontSize)))]""")
    assert sizes[0] < sizes[1], sizes


def test_a_points_place_is_written_at_most_twice_and_no_line_starts_with_a_dot(site, served_site, browser):
    with opened(browser, served_site, viewport={"width": 390, "height": 844}) as (page, _):
        goto(page, served_site + ARTICLE)
        text = page.inner_text("main")
    for block in BLOCKS:  # the author's words, and the card (the summary prints it, the card does not)
        assert text.count(block["where"]) == 1, block["where"]
    for also in site.soup(ARTICLE).select(".point-also"):
        assert " ·" not in also.get_text() and ("\u00a0·" in also.get_text()) == ("·" in also.get_text())


def test_as_the_sequence_moves_on_each_points_place_and_most_of_its_diagram_are_above_the_bar(
    site, served_site, browser
):
    with opened(browser, served_site, viewport={"width": 390, "height": 844}, reduced_motion="reduce") as (
        page,
        context,
    ):
        context.add_init_script(DEVICE)
        page.clock.install()
        goto(page, served_site + ARTICLE)
        pause_time(page)
        load_pictures(page)
        page.click(".sequence-start")
        for block in BLOCKS:
            page.clock.run_for(500)
            at = page.evaluate(
                """(id) => { const point = document.getElementById(id);
                  const figure = [...point.closest('li').querySelectorAll('figure.diagram img')]
                    .filter(f => f.compareDocumentPosition(point) & Node.DOCUMENT_POSITION_FOLLOWING).at(-1);
                  const box = figure && figure.getBoundingClientRect();
                  return {bar: document.querySelector('.sequence').getBoundingClientRect().top,
                          where: point.querySelector('[data-field=where]').getBoundingClientRect(),
                          shown: box ? (Math.min(box.bottom, innerHeight) - Math.max(box.top, 0)) / box.height : 1}; }""",
                block["id"],
            )
            assert at["where"]["top"] >= 0 and at["where"]["bottom"] <= at["bar"], (block["label"], at)
            assert at["shown"] >= 0.75, f"{block['label']}: {at['shown']:.0%} of its diagram is on screen"
            page.click(".sequence-next")  # on to the move, then the next point
            if block is not BLOCKS[-1]:
                page.click(".sequence-next")
