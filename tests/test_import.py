"""Nancy brings pages saved from her old site builder into the site with `invoke import`: the article, not the chrome.

The saved pages are made here, in the builder's classic layout (header, content column with a donation box at its
top and return links at its end, navigation column, extra column with the book promotion, footer): two test pages
that link to each other, and one made from the seed article's own text (content/acupressure-for-back-pain.md).
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import ARTICLE_SOURCE, ROOT, TEST_PREFIX, built, copy_project, invoke, metadata_of, snapshot, text_of
from tools import importer

HUB = "Zq Test Hub"
OLD_SITE = "https://www.zq-test-old-site.example"
# Words of the old page's chrome, each in one place of the layout: none may reach an article
CHROME = {
    "header": "Zq header banner of the old site",
    "donation": "Zq please donate to keep the site free",
    "navigation": "Zq navigation to every hub",
    "promotion": "Zq the Chakra Care book, now in paperback",
    "footer": "Zq footer copyright line",
}
PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30"/></svg>\n'


def old_page(heading: str, body: str, back: str, address: str = "") -> str:
    """A page as the old builder served it and a browser saved it: `body` is the article in its content column,
    under the donation box and above the return links (`back`: "Return from … to HUB" and the hub's address)."""
    saved_from = f"<!-- saved from url=({len(address):04d}){address} -->\n" if address else ""
    text, hub_address = back.split("|")
    return f"""<!DOCTYPE html>
{saved_from}<html><head><meta charset="utf-8"><title>Old page</title>
<script>var tracker = 1;</script><style>body {{ color: red }}</style></head>
<body><div id="PageWrapper">
<div id="Header"><div class="Liner"><p>{CHROME["header"]}</p></div></div>
<div id="ContentWrapper"><div id="ContentColumn"><div class="Liner">
<div class="DonateBox"><p>{CHROME["donation"]}</p>
<form action="https://www.paypal.com/cgi-bin/webscr" method="post"><input type="submit" value="Donate"></form></div>
<h1>{heading}</h1>
{body}
<p><a href="{hub_address}">{text}</a></p>
<p><a href="{OLD_SITE}/">Go to site home page</a></p>
</div></div>
<div id="NavColumn"><div class="Liner"><ul><li><a href="{OLD_SITE}/">Home</a></li>
<li><a href="{hub_address}">{CHROME["navigation"]}</a></li></ul></div></div>
<div id="ExtraColumn"><div class="Liner"><h3>{CHROME["promotion"]}</h3><p><a href="{OLD_SITE}/chakra-care.html">Buy it</a></p></div></div>
</div>
<div id="Footer"><div class="Liner"><p>{CHROME["footer"]}</p></div></div>
</div></body></html>
"""


def save(folder: Path, name: str, page: str, pictures: dict[str, str] | None = None) -> Path:
    """NAME.html and its pictures in NAME_files/, as "Save page as… complete" writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    for picture, text in (pictures or {}).items():
        (folder / f"{name}_files").mkdir(exist_ok=True)
        (folder / f"{name}_files" / picture).write_text(text)
    (folder / f"{name}.html").write_text(page)
    return folder / f"{name}.html"


# --- the seed article, as the old site would have served it --------------------------------------------------

SEED = (ROOT / ARTICLE_SOURCE).read_text(encoding="utf-8")
SEED_META = metadata_of(SEED)
SEED_NAME = f"{TEST_PREFIX}seed-copy"  # a name of its own: Nancy's article keeps its address in the copy


def seed_page() -> tuple[str, BeautifulSoup, dict[str, str]]:
    """The seed article in the old layout: its text without this site's point blocks (the old site had none),
    its title and subtitle on two lines of the h1, its pictures in NAME_files/; and its article's HTML (without
    the return links, which the layout adds) and its pictures' files."""
    blocks = SEED.split("\n\n", 1)[1].split("\n\n")
    kept = [b for b in blocks if not b.lstrip().startswith("Point:")]
    return_links = [b for b in kept if re.match(r"\[(Return from|Go to site home page)", b)]
    text = "\n\n".join(b for b in kept if b not in return_links)
    pictures = re.findall(r"\{static\}images/([\w.-]+)", text)
    article = markdown.markdown(text.replace("{static}images/", f"{SEED_NAME}_files/"), extensions=["attr_list", "toc"])
    back = re.match(r"\[(Return from .+?)\]\(\{category\}(.+?)\)", return_links[0])
    hub_address = f"{OLD_SITE}/{importer.slugify(back[2])}.html"
    heading = f"{html.escape(SEED_META['title'])}<br>{html.escape(SEED_META['subtitle'])}"
    page = old_page(heading, article, f"{back[1]}|{hub_address}", f"{OLD_SITE}/{SEED_NAME}.html")
    files = {name: (ROOT / "content" / "images" / name).read_text() for name in pictures}
    return page, BeautifulSoup(article, "html.parser"), files


def sentences(text: str) -> list[str]:
    """A text's sentences, with typographic quotes and dashes made plain (the site's smarty makes them curly)."""
    plain = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"}))
    plain = " ".join(plain.replace("--", "-").split())
    plain = re.sub(r"\s+(?=[).,;:!?])|(?<=\()\s+", "", plain)  # a link's or emphasis's edge is not a space
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", plain) if len(s.strip()) > 3]


# --- one import of three saved pages into a copy of the project, and one strict build ---------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("import")
    project = copy_project(root / "project")
    saved = root / "saved"
    one, two = f"{TEST_PREFIX}one", f"{TEST_PREFIX}two"
    back = f"Return from Zq One to {HUB}|{OLD_SITE}/zq-test-hub.html"
    save(
        saved,
        one,
        old_page(
            "Zq Test Easing A Stiff Neck: Two Points <em>and</em> A Walk",
            f"""<p>I've found that <em>gentle</em> pressure helps. See <a href="{two}.html">the second page</a>
            or <a href="https://example.org/zq-elsewhere">a page elsewhere</a>.</p>
            <ol><li><p>Find the hollow at the base of the skull.</p>
            <p>Press it with both thumbs and hold for about one minute.</p>
            <p><img src="{one}_files/neck.svg" alt="Zq the back of the neck, the point marked"></p></li>
            <li><p>Let go slowly.</p></li></ol>
            <p><img src="{one}_files/undescribed.svg"></p>
            <p><a href="{one}_files/neck.svg"><img src="{one}_files/neck.svg" alt="Zq the neck, larger"></a></p>
            <p>Read <a href="{OLD_SITE}/zq-test-never-saved.html">a page not saved</a> too.</p>""",
            back,
        ),
        {"neck.svg": PICTURE, "undescribed.svg": PICTURE.replace("40", "41")},
    )
    save(
        saved,
        two,
        old_page(
            "Zq Test A Walk",
            f"""<h2>Zq Steps Of The Walk</h2><ol><li>Stand up.</li><li>Walk slowly.</li><li>Sit down.</li></ol>
            <p>Back to <a href="{OLD_SITE}/{one}.html">the first page</a>, on to
            <a href="{SEED_META["slug"]}.html">a page the site has</a> or <a href="zq-test-hub.html">the hub</a>.</p>""",
            back.replace("Zq One", "Zq Two"),
            f"{OLD_SITE}/{two}.html",
        ),
    )
    page, article, pictures = seed_page()
    save(saved, SEED_NAME, page, pictures)
    before = snapshot(project / "content")
    result = imported_in(project, str(saved))
    assert result.returncode == 0, result.stdout + result.stderr
    return SimpleNamespace(
        project=project, result=result, before=before, site=built(project, root / "out"), article=article
    )


def imported_in(project: Path, *arguments: str) -> subprocess.CompletedProcess:
    """What `invoke import ARGUMENTS` does in `project`, run in this process (tools.importer.main, from its folder)."""
    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    try:
        os.chdir(project)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = importer.main([*arguments, "--content", str(project / "content")])
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(arguments, code, out.getvalue(), err.getvalue())


def test_the_import_writes_one_article_per_saved_page_and_says_so(imported):
    project, result, before = imported.project, imported.result, imported.before
    after = snapshot(project / "content")
    assert all(after[name] == digest for name, digest in before.items()), "a file of content/ was changed"
    new = sorted(set(after) - set(before))
    articles = [name for name in new if name.endswith(".md")]
    assert articles == [f"{TEST_PREFIX}one.md", f"{SEED_NAME}.md", f"{TEST_PREFIX}two.md"]
    for name in new:
        assert f"content/{name}" in result.stdout, f"{name} was written without saying so"


def test_each_article_is_published_at_its_old_address_in_its_hub(imported):
    project, site = imported.project, imported.site
    for name, hub in [(f"{TEST_PREFIX}one", HUB), (f"{TEST_PREFIX}two", HUB), (SEED_NAME, SEED_META["category"])]:
        metadata = metadata_of((project / "content" / f"{name}.md").read_text())
        assert metadata["slug"] == name and metadata["category"] == hub
        listed = [a["href"].removeprefix("./") for a in site.soup(f"{importer.slugify(hub)}.html").main.find_all("a")]
        assert f"{name}.html" in listed, (hub, listed)


def test_the_title_and_subtitle_come_from_the_old_heading(imported):
    site = imported.site
    for name, title, subtitle in [
        (f"{TEST_PREFIX}one", "Zq Test Easing A Stiff Neck", "Two Points and A Walk"),
        (f"{TEST_PREFIX}two", "Zq Test A Walk", None),
        (SEED_NAME, SEED_META["title"], SEED_META["subtitle"]),
    ]:
        page = site.soup(f"{name}.html")
        assert text_of(page.article.h1) == title
        shown = page.article.find(class_="subtitle")
        assert (text_of(shown) if shown else None) == subtitle


def test_no_chrome_of_the_old_page_reaches_an_article(imported):
    project, site = imported.project, imported.site
    for name in (f"{TEST_PREFIX}one", f"{TEST_PREFIX}two", SEED_NAME):
        source = (project / "content" / f"{name}.md").read_text()
        text = text_of(site.soup(f"{name}.html").article)
        for part, words in [*CHROME.items(), ("return link", "Return from"), ("home link", "Go to site home page")]:
            assert words not in source and words not in text, (name, part)
        assert "tracker" not in source and "Donate" not in source and "<" not in source


def test_links_between_imported_pages_lead_to_each_other_and_others_keep_their_text(imported):
    project, result, site = imported.project, imported.result, imported.site
    one, two = f"{TEST_PREFIX}one", f"{TEST_PREFIX}two"
    assert f"({{filename}}{two}.md)" in (project / "content" / f"{one}.md").read_text()
    for page, target in [(one, two), (two, one), (two, f"{SEED_META['slug']}"), (two, "zq-test-hub")]:
        links = {(site.resolve(f"{page}.html", a["href"]) or ("",))[0] for a in site.soup(f"{page}.html").article("a")}
        assert f"{target}.html" in links
    first = site.soup(f"{one}.html").article
    assert first.find("a", href="https://example.org/zq-elsewhere"), "a link to another site is kept"
    assert "a page not saved" in text_of(first) and not first.find("a", string="a page not saved")
    assert "zq-test-never-saved.html" in result.stdout, "a link to a page not imported yet is listed"
    assert "link '' " not in result.stdout, "a picture's link to itself is not listed"
    assert first.find("img", alt="Zq the neck, larger"), "a picture that linked to itself is shown"


def test_a_link_to_a_section_of_the_old_page_leads_to_that_section(imported):
    site, article = imported.site, imported.article
    page, sections = site.soup(f"{SEED_NAME}.html"), 0
    for link in article.find_all("a", href=re.compile("^#")):
        heading = article.find(id=link["href"][1:])
        shown = page.article.find("a", string=link.get_text())
        if heading and re.fullmatch(r"h[2-6]", heading.name):
            sections += 1
            assert text_of(page.find(id=shown["href"][1:])) == text_of(heading)
        else:
            assert shown is None, "a link to a place the new page does not have is left out"
    assert sections, "the seed links to a section of its own"


def test_a_numbered_list_keeps_its_continuation_paragraphs_and_pictures_in_their_step(imported):
    site = imported.site
    items = site.soup(f"{TEST_PREFIX}one.html").article.find("ol").find_all("li", recursive=False)
    assert len(items) == 2
    assert "Find the hollow" in text_of(items[0]) and "hold for about one minute" in text_of(items[0])
    assert items[0].find("img")["alt"] == "Zq the back of the neck, the point marked"
    assert site.soup(f"{TEST_PREFIX}one.html").article.find("em").get_text() == "gentle"


def test_a_picture_without_its_text_alternative_is_kept_for_nancy_and_listed(imported):
    project, result, site = imported.project, imported.result, imported.site
    source = (project / "content" / f"{TEST_PREFIX}one.md").read_text()
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "undescribed.svg" in text)
    assert f"content/{TEST_PREFIX}one.md:{line}: a picture without its description" in result.stdout
    assert (project / "content" / "images" / "undescribed.svg").is_file()
    assert not [img for img in site.soup(f"{TEST_PREFIX}one.html").find_all("img") if not img.get("alt")]


def test_nancy_is_told_where_a_point_block_or_a_step_list_would_help(imported):
    project, result = imported.project, imported.result
    for name, words, advice in [
        (f"{TEST_PREFIX}one", "hold for about one minute", "reads like a point instruction"),
        (f"{TEST_PREFIX}two", "1.  Stand up.", "'{: .steps }'"),
    ]:
        lines = (project / "content" / f"{name}.md").read_text().splitlines()
        line = next(n for n, text in enumerate(lines, 1) if words in text)
        assert any(f"content/{name}.md:{line}:" in out and advice in out for out in result.stdout.splitlines())


# --- done means: the seed's own text, saved from the old layout, comes through whole ----------------------------


def test_the_seed_page_keeps_at_least_95_percent_of_its_sentences(imported):
    site, article = imported.site, imported.article
    expected = sentences(article.get_text(" "))
    shown = " ".join(sentences(site.soup(f"{SEED_NAME}.html").article.get_text(" ")))
    missing = [s for s in expected if s not in shown]
    assert len(expected) > 30 and len(missing) <= 0.05 * len(expected), missing


def test_the_seed_page_keeps_the_eight_mindfulness_steps_as_one_ordered_list(imported):
    site, article = imported.site, imported.article
    steps = [text_of(li) for li in article.find("h2", class_="steps").find_next("ol").find_all("li")]
    lists = [
        [text_of(li) for li in ol.find_all("li", recursive=False)]
        for ol in site.soup(f"{SEED_NAME}.html").article.find_all("ol")
    ]
    assert len(steps) == 8 and sentences(" ".join(steps)) in [sentences(" ".join(items)) for items in lists]


def test_the_seed_page_keeps_its_pictures_with_their_text_alternatives(imported):
    site, article = imported.site, imported.article
    page = site.soup(f"{SEED_NAME}.html").article
    for picture in article.find_all("img"):
        shown = page.find("img", alt=picture["alt"])
        assert shown, picture["alt"][:40]
        assert site.exists(site.resolve(f"{SEED_NAME}.html", shown["src"])[0])


# --- the conversion, in-process ---------------------------------------------------------------------------------


def converted(fragment: str) -> str:
    page = importer.Page(Path("zq-test.html"), BeautifulSoup("", "html.parser"), "", importer.Site(Path()))
    return importer.Converter(page).convert(fragment).strip()


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>I've said it, and she’s right.</p>",
        "<p>3 * 4 = 12 and snake_case, *not emphasis* and __not strong__</p>",
        "<p>1986. A good year.</p>",
        "<p># not a heading</p>",
        "<p>#1 not a heading either</p>",
        "<p>line one<br>## not a heading after a line break</p>",
        "<p>--- not a rule</p>",
        "<p>- not a list</p>",
        "<p>+ not a list either</p>",
        "<p>&gt; not a quote</p>",
        "<p>&gt;nor this</p>",
        "<p>[not a link](x.html) and ![not a picture](x.svg)</p>",
        "<p>the step marker is text here {: .steps }</p>",
        "<h2>Zq A Heading {: .steps }</h2>",
        "<p>{: #an-id }</p>",
        "<p>&lt;b&gt;not bold&lt;/b&gt; and &lt;script&gt;</p>",
        "<p>&amp;copy; is not ©, and Q&amp;A stays</p>",
        "<p>a `tick` and a back\\slash</p>",
    ],
)
def test_text_that_looks_like_markdown_reads_back_as_the_same_text(fragment):
    written = converted(fragment)
    assert "\\'" not in written
    read_back = BeautifulSoup(markdown.markdown(written, extensions=["attr_list"]), "html.parser")
    original = BeautifulSoup(fragment, "html.parser")
    assert importer.words(read_back) == importer.words(original), written
    elements = [(t.name, t.attrs) for t in read_back.find_all(True)]
    assert elements == [(t.name, {}) for t in original.find_all(True)], written


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<ol><li><p>One.</p><p>More of one.</p></li><li>Two.</li></ol>", "1.  One.\n\n    More of one.\n\n2.  Two."),
        ("<ol><li>One.</li><li>Two.</li></ol>", "1.  One.\n2.  Two."),
        ('<ol start="9"><li>Nine.</li><li>Ten.</li></ol>', "9.  Nine.\n10. Ten."),
        ("<ul><li>A <em>b</em></li></ul>", "-   A *b*"),
        ("<h2>Section</h2><p>Text <strong>strong</strong>.</p>", "## Section\n\nText **strong**."),
    ],
)
def test_lists_headings_and_emphasis_become_the_markdown_of_the_guide(fragment, expected):
    assert converted(fragment) == expected


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("Press the point firmly and hold for about one minute.", "point instruction"),
        ("Apply pressure for 30 seconds on each side.", "point instruction"),
        ("    Hold as much pressure as you can, for approximately one minute.", "point instruction"),
        ("Rest for one minute before you stand.", None),
        ("Pressing these points can help.", None),
        ("## Walk\n\n1.  Stand.\n2.  Walk.\n3.  Sit.\n\nDone.", "{: .steps }"),
        ("1.  Stand.\n\n    Slowly.\n\n2.  Walk.\n3.  Sit.", None),
        ("1.  Stand.\n2.  Walk.", None),
    ],
)
def test_what_nancy_should_look_at_is_found_by_its_words(text, advice):
    notes = importer.look_at("content/x.md", text)
    assert [advice in note for note in notes] == ([True] if advice else [])


@pytest.mark.parametrize(
    ("heading", "title", "subtitle"),
    [
        ("Zq Title: Its Subtitle", "Zq Title", "Its Subtitle"),
        ("Zq Title<br>Its Subtitle: With A Colon", "Zq Title", "Its Subtitle: With A Colon"),
        ("Zq <em>Just</em> A Title", "Zq Just A Title", None),
        (
            "Zq A Title Written\n   Over Two Lines Of Its Source",
            "Zq A Title Written Over Two Lines Of Its Source",
            None,
        ),
    ],
)
def test_the_title_and_subtitle_are_split_at_the_colon_or_line_break(tmp_path, heading, title, subtitle):
    source = save(tmp_path / "saved", "zq-test-title", old_page(heading, "<p>Text.</p>", f"Return from A to {HUB}|x"))
    (tmp_path / "content").mkdir()
    assert importer.main([str(source), "--content", str(tmp_path / "content")]) == 0
    metadata = metadata_of((tmp_path / "content" / "zq-test-title.md").read_text())
    assert metadata["title"] == title and metadata.get("subtitle") == subtitle


def test_a_hub_takes_the_spelling_the_site_already_has(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "zq-test-old.md").write_text(f"Title: Zq\nDate: 2026-01-02\nCategory: {HUB}\n\nText.\n")
    source = save(
        tmp_path / "saved", "zq-test-new", old_page("Zq", "<p>Text.</p>", f"Return from A to {HUB.lower()}|x")
    )
    assert importer.main([str(source), "--content", str(tmp_path / "content")]) == 0
    assert metadata_of((tmp_path / "content" / "zq-test-new.md").read_text())["category"] == HUB


def test_only_pictures_saved_with_the_page_are_copied(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    (tmp_path / "private.svg").write_text(PICTURE)
    body = '<p><img src="../private.svg" alt="Zq a"></p><p><img src="https://example.org/x.svg" alt="Zq b"></p>'
    source = save(tmp_path / "saved", "zq-test-pics", old_page("Zq", body, f"Return from A to {HUB}|x"))
    assert importer.main([str(source), "--content", str(tmp_path / "content")]) == 0
    assert not (tmp_path / "content" / "images").exists()
    said = capsys.readouterr().out
    assert "picture ../private.svg was not saved with the page" in said and "https://example.org/x.svg" in said


def test_a_picture_never_replaces_another_and_the_same_picture_is_not_copied_twice(tmp_path):
    images = tmp_path / "content" / "images"
    images.mkdir(parents=True)
    (images / "neck.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>\n")
    (images / "same.svg").write_text(PICTURE)
    body = '<p><img src="zq-test-pics_files/neck.svg" alt="Zq a"></p><p><img src="zq-test-pics_files/same.svg" alt="Zq b"></p>'
    files = {"neck.svg": PICTURE, "same.svg": PICTURE}
    source = save(tmp_path / "saved", "zq-test-pics", old_page("Zq", body, f"Return from A to {HUB}|x"), files)
    assert importer.main([str(source), "--content", str(tmp_path / "content")]) == 0
    assert (images / "neck.svg").read_text() == "<svg xmlns='http://www.w3.org/2000/svg'/>\n"
    assert sorted(p.name for p in images.iterdir()) == ["neck-2.svg", "neck.svg", "same.svg"]
    article = (tmp_path / "content" / "zq-test-pics.md").read_text()
    assert "![Zq a]({static}images/neck-2.svg)" in article and "![Zq b]({static}images/same.svg)" in article


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "zq-test-missing.html", "no such file or folder"),
        (lambda d: save(d, "zq-test-text", "").with_suffix(".txt"), "is not a saved web page"),
        (lambda d: save(d, "zq-test-plain", "<html><body><h1>Zq</h1></body></html>"), "has no content column"),
        (lambda d: save(d, "zq-test-untitled", old_page("", "<p>Text.</p>", "Return from A to B|x")), "has no h1"),
        (lambda d: save(d, "zq-test-no-hub", old_page("Zq", "<p>Text.</p>", "Back|x")), "give --category"),
        (
            lambda d: save(d, "Zq Test Page", old_page("Zq", "<p>Text.</p>", "Return from A to B|x")),
            "cannot be an address",
        ),
        (lambda d: save(d, "zq-test-taken", old_page("Zq", "<p>Text.</p>", "Return from A to B|x")), "already has"),
        (lambda d: save(d, "zq-test-hub", old_page("Zq", "<p>Text.</p>", "Return from A to B|x")), "is the hub Zq"),
        (lambda d: d.parent, "has no saved pages"),
    ],
)
def test_a_page_that_cannot_be_imported_is_named_and_nothing_is_overwritten(tmp_path, capsys, make, message):
    content = tmp_path / "content"
    content.mkdir()
    (content / "zq-test-taken.md").write_text(f"Title: Mine\nCategory: {HUB}\n\nMy words.\n")
    (tmp_path / "saved").mkdir()
    source = make(tmp_path / "saved")
    if source.suffix == ".txt":
        shutil.move(source.with_suffix(".html"), source)
    before = snapshot(content)
    assert importer.main([str(source), "--content", str(content)]) == 1
    error = capsys.readouterr().err
    assert f"{source}: " in error and message in error and "Traceback" not in error, error
    assert snapshot(content) == before


def test_the_guide_shows_what_the_import_says_of_the_seed_page(imported):
    """The guide's example of what to look at is what `invoke import` says of the seed article's saved page."""
    result = imported.result
    guide = (ROOT / "docs" / "AUTHORING.md").read_text().split("## Bringing pages from the old site", 1)[1]
    sample = re.search(r"```text\n(.*?)```", guide.split("\n## ", 1)[0], re.DOTALL)[1].splitlines()
    told = [line.replace(SEED_META["slug"], SEED_NAME) for line in sample if line.startswith("  content/")]
    assert len(told) >= 3 and all(line in result.stdout.splitlines() for line in told), result.stdout


@pytest.mark.slow  # starts the command line (invoke) in a new process
def test_invoke_import_imports_a_page_once_and_never_over_it(project, tmp_path):
    source = save(
        tmp_path / "saved", f"{TEST_PREFIX}smoke", old_page("Zq Smoke", "<p>Zq words.</p>", f"Return from A to {HUB}|x")
    )
    result = invoke(project, "import", str(source))
    article = project / "content" / f"{TEST_PREFIX}smoke.md"
    assert result.returncode == 0 and f"Wrote content/{TEST_PREFIX}smoke.md" in result.stdout, result.stderr
    written = article.read_text()
    again = invoke(project, "import", str(source), "--category", HUB)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert f"{source}: content/{TEST_PREFIX}smoke.md already has the address" in again.stderr
    assert article.read_text() == written and "Zq words." in written
