"""Nancy cannot publish a broken site: every mistake is named with its file and line, all of them in one run,
with no traceback, and output/ is left exactly as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import CONTENT, TEST_PREFIX, add_file, build, copy_project, invoke, snapshot, zq_article
from stages.checks.files import svg_problems

P = TEST_PREFIX
LONG_TITLE = "Zq " + "very long title words " * 15


def article(name: str, body: str = "Some text.\n", header: str = "") -> str:
    return zq_article(name, body, extra=header)


# (what, {file: text}, the line the build must print)
READING = [
    (
        "a page without a title",
        {f"content/pages/{P}untitled.md": f"Slug: {P}untitled\n\nText.\n"},
        f"content/pages/{P}untitled.md:1: no Title: line",
    ),
    (
        "an article without a date",
        {f"content/{P}undated.md": f"Title: Zq Undated\nSlug: {P}undated\nCategory: Zq Test Hub\n\nText.\n"},
        f"content/{P}undated.md:1: no Date: line",
    ),
    (
        "an article without a category",
        {f"content/{P}nohub.md": f"Title: Zq No Hub\nSlug: {P}nohub\nDate: 2026-01-02\n\nText.\n"},
        f"content/{P}nohub.md:1: no Category: line",
    ),
    (
        "a missing picture ({static})",
        {f"content/{P}pic.md": article("pic", f"Text.\n\n![A picture]({{static}}images/{P}missing.svg)\n")},
        f"content/{P}pic.md:8: the picture '{{static}}images/{P}missing.svg' does not exist",
    ),
    (
        "a missing page ({filename})",
        {f"content/{P}fn.md": article("fn", f"[More]({{filename}}{P}missing.md)\n")},
        f"content/{P}fn.md:6: the linked file '{{filename}}{P}missing.md' does not exist",
    ),
    (
        "a hold time that cannot be read",
        {f"content/{P}hold.md": article("hold", "Point: K1\nWhere: sole\nHold: a little while\n")},
        f"content/{P}hold.md:8: cannot read a duration in 'Hold: a little while' (write it like 'about one minute' or '30 seconds')",
    ),
    (
        "an unknown point in the quick reference",
        {f"content/{P}qr.md": article("qr", "Point: K1\nWhere: sole\n", "Quick_reference: K1, K9\n")},
        f"content/{P}qr.md:5: the Quick_reference: line names K9, but the article has no 'Point: K9' block",
    ),
    (
        "a point without a location",
        {f"content/{P}where.md": article("where", "Point: K1\nHow: press\n")},
        f"content/{P}where.md:6: point K1 has no 'Where:' line",
    ),
    (
        "a misspelled point block",
        {f"content/{P}piont.md": article("piont", "Piont: K1\nWhere: sole\n")},
        f"content/{P}piont.md:6: 'Piont:' — a point block starts with 'Point:' (did you mean Point?)",
    ),
    (
        "an unknown key",
        {f"content/{P}key.md": article("key", "Point: K1\nWhere: sole\nHow long: 1 minute\n")},
        f"content/{P}key.md:8: unknown key 'How long:' in point block 'K1' (did you mean Hold?)",
    ),
    (
        "a point block glued to a paragraph",
        {f"content/{P}glued.md": article("glued", "Text.\nPoint: K1\nWhere: sole\n")},
        f"content/{P}glued.md:7: a point block must start after an empty line",
    ),
    (
        "a step-list marker typo",
        {f"content/{P}steps.md": article("steps", "## Steps {: .stpes }\n\n1. a\n")},
        f"content/{P}steps.md:6: the heading 'Steps' ends with '{{: .stpes }}', which is not the step-list marker: write '{{: .steps }}'",
    ),
    (
        "a step-list marker on the line above its heading",
        {f"content/{P}stepsabove.md": article("stepsabove", "{: .step }\n## Steps\n\n1. a\n")},
        f"content/{P}stepsabove.md:6: '{{: .step }}' stands on a line of its own, so readers would see it as text: "
        "the step-list marker goes at the end of the heading line",
    ),
    (
        "a step-list marker on the line below its heading",
        {f"content/{P}stepsbelow.md": article("stepsbelow", "## Steps\n{: .steps }\n\n1. a\n")},
        f"content/{P}stepsbelow.md:7: '{{: .steps }}' stands on a line of its own",
    ),
    (
        "a step-list marker under a paragraph",
        {f"content/{P}stepspara.md": article("stepspara", "Do these:\n(: .steps )\n\n1. a\n")},
        f"content/{P}stepspara.md:7: '(: .steps )' under a paragraph styles that paragraph and numbers no list",
    ),
    (
        "another attribute list on a line of its own",
        {f"content/{P}attrline.md": article("attrline", "Text.\n\n{: #top }\n")},
        f"content/{P}attrline.md:8: '{{: #top }}' stands on a line of its own, so readers would see it as text: "
        "an attribute list goes at the end of the line it belongs to",
    ),
    (
        "an ambiguous date",
        {f"content/{P}date.md": f"Title: Zq Date\nSlug: {P}date\nDate: 11/12/2026\nCategory: Zq Test Hub\n\nText.\n"},
        f"content/{P}date.md:3: 'Date: 11/12/2026' is not a date the site can read without guessing: write it as year-month-day",
    ),
    (
        "an impossible date",
        {
            f"content/{P}date2.md": f"Title: Zq Date Two\nSlug: {P}date2\nDate: 2026-13-45\nCategory: Zq Test Hub\n\nText.\n"
        },
        f"content/{P}date2.md:3: 'Date: 2026-13-45' is not a real date",
    ),
    (
        "a title with nothing to make an address of",
        {f"content/{P}leaves.md": "Title: 🌿🌿\nDate: 2026-01-02\nCategory: Zq Test Hub\n\nText.\n"},
        f"content/{P}leaves.md:1: the title '🌿🌿' gives no address",
    ),
    (
        "a title too long for a file name",
        {f"content/{P}long.md": f"Title: {LONG_TITLE}\nDate: 2026-01-02\nCategory: Zq Test Hub\n\nText.\n"},
        f"content/{P}long.md:1: the address",
    ),
    (
        "a title on two lines",
        {
            f"content/{P}twolines.md": f"Title: Zq Two\n    Lines\nSlug: {P}twolines\nDate: 2026-01-02\nCategory: Zq Test Hub\n\nText.\n"
        },
        f"content/{P}twolines.md:2: the Title: runs over 2 lines; write it on one line",
    ),
    (
        "a control character",
        {
            f"content/{P}control.md": f"Title: Zq Control\x07\nSlug: {P}control\nDate: 2026-01-02\nCategory: Zq Test Hub\n\nText.\n"
        },
        f"content/{P}control.md:1: 'Title:' holds an invisible control character",
    ),
    (
        "raw script",
        {f"content/{P}script.md": article("script", 'Text.\n\n<script src="images/evil.js"></script>\n')},
        f"content/{P}script.md:8: <script> is not allowed in content",
    ),
    (
        "an iframe",
        {f"content/{P}iframe.md": article("iframe", '<iframe src="https://example.org"></iframe>\n')},
        f"content/{P}iframe.md:6: <iframe> is not allowed in content",
    ),
    (
        "an inline handler",
        {f"content/{P}onclick.md": article("onclick", '<p onclick="alert(1)">Hi</p>\n')},
        f"content/{P}onclick.md:6: the 'onclick=' attribute",
    ),
    (
        "a javascript: link",
        {f"content/{P}js.md": article("js", "[Click](javascript:alert(1))\n")},
        f"content/{P}js.md:6: a 'javascript:' address is not allowed in content",
    ),
    (
        "an HTML page (Pelican's HTML reader would publish its script)",
        {
            f"content/pages/{P}raw.html": "<html><head><title>Zq Raw</title></head>"
            "<body><script>alert(1)</script></body></html>\n"
        },
        f"content/pages/{P}raw.html: is an HTML page, which the site does not read or publish: it reads pages "
        f"written in Markdown (.md), where every line is checked; write it as {P}raw.md",
    ),
    (
        "a reStructuredText page (raw HTML passes through docutils)",
        {
            f"content/{P}raw.rst": "Zq Raw Rst\n##########\n\n:date: 2026-01-02\n\n.. raw:: html\n\n   <script>alert(1)</script>\n"
        },
        f"content/{P}raw.rst: is a reStructuredText page, which the site does not read or publish",
    ),
    (
        "an article Pelican would skip",
        {f"content/{P}skipped.txt": "Title: Zq Skipped\n\nText.\n"},
        f"content/{P}skipped.txt:1: looks like an article (it starts with 'Title:'), but the site reads only Markdown files ending in .md: rename it to {P}skipped.md",
    ),
    (
        "a hub spelled two ways",
        {f"content/{P}hub1.md": article("hub1"), f"content/{P}hub2.md": zq_article("hub2", category="zq test hub")},
        f"content/{P}hub2.md:4: 'Category: zq test hub' is the hub 'Zq Test Hub' spelled differently",
    ),
    (
        "a hub spelled two ways by as many articles each (neither is blamed)",
        {
            f"content/{P}tie1.md": zq_article("tie1", category="Zq Tie Hub"),
            f"content/{P}tie2.md": zq_article("tie2", category="zq tie hub"),
        },
        f"content/{P}tie2.md:4: 'Category: zq tie hub' and 'Category: Zq Tie Hub' in content/{P}tie1.md name the "
        "same hub spelled differently: choose one spelling",
    ),
]
ADDRESSES = [
    (
        "two pages with one slug",
        {
            f"content/pages/{P}a.md": f"Title: Zq A\nSlug: {P}same\n\nA.\n",
            f"content/pages/{P}b.md": f"Title: Zq B\nSlug: {P}same\n\nB.\n",
        },
        f"content/pages/{P}a.md:2: content/pages/{P}a.md and content/pages/{P}b.md would both be published at '{P}same.html'",
    ),
    (
        "a page at a hub's address",
        {
            f"content/{P}in-hub.md": article("in-hub"),
            f"content/pages/{P}hubpage.md": "Title: Zq Hub Page\nSlug: zq-test-hub\n\nText.\n",
        },
        f"content/pages/{P}hubpage.md:2: content/pages/{P}hubpage.md and the 'Zq Test Hub' hub page",
    ),
    (
        "a hub named like a fixed page",
        {f"content/{P}404.md": zq_article("404", category="404")},
        f"content/{P}404.md:4: the '404' hub page (from 'Category: 404' in content/{P}404.md) and the site's 404.html page "
        "would both be published at '404.html'",
    ),
]
LINKS = [
    (
        "a missing picture (plain path)",
        {f"content/{P}plainpic.md": article("plainpic", f"![A picture](images/{P}missing.svg)\n")},
        f"content/{P}plainpic.md:6: link 'images/{P}missing.svg': no such file",
    ),
    (
        "a missing page (plain link)",
        {f"content/{P}plain.md": article("plain", f"[More]({P}missing.html)\n")},
        f"content/{P}plain.md:6: link '{P}missing.html': no such page",
    ),
    (
        "a missing anchor",
        {
            f"content/{P}anchor.md": article("anchor", f"[There]({P}plain-target.html#zq-nowhere)\n"),
            f"content/{P}plain-target.md": article("plain-target"),
        },
        f"content/{P}anchor.md:6: link '{P}plain-target.html#zq-nowhere': no such anchor",
    ),
]
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'


def svg(body: str, before: str = "") -> str:
    """An SVG picture: `before` the root element, `body` from its line 2 (or 3 after an XML declaration)."""
    return f"{before}{SVG_OPEN}{body}\n</svg>\n"


# Active content in pictures: each kind refused, naming file and line (checks/files.py)
PICTURES = [
    (
        "a script in an SVG",
        {f"content/images/{P}script.svg": svg('<circle r="4"/>\n<script>alert(document.cookie)</script>')},
        f"content/images/{P}script.svg:3: <script> is not an element of an SVG drawing",
    ),
    (
        "a script in another namespace",
        {
            f"content/images/{P}xhtml-script.svg": svg(
                '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'
            )
        },
        f"content/images/{P}xhtml-script.svg:2: <script> is not an element of an SVG drawing",
    ),
    (
        "a foreignObject",
        {
            f"content/images/{P}foreign.svg": svg(
                '<foreignObject width="10" height="10"><p xmlns="http://www.w3.org/1999/xhtml">Hi</p></foreignObject>'
            )
        },
        f"content/images/{P}foreign.svg:2: <foreignObject> is not an element of an SVG drawing",
    ),
    (
        "an event attribute",
        {f"content/images/{P}onload.svg": svg('<rect width="5" height="5"\n   onclick="alert(1)"/>')},
        f"content/images/{P}onload.svg:2: the 'onclick=' attribute on <rect> runs code (an event handler)",
    ),
    (
        "an event attribute on the root",
        {f"content/images/{P}onroot.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'},
        f"content/images/{P}onroot.svg:1: the 'onload=' attribute on <svg> runs code",
    ),
    (
        "a style sheet imported from outside",
        {
            f"content/images/{P}import.svg": svg(
                "<style>\n  rect { fill: red }\n  @import 'https://evil.example/x.css';\n</style>"
            )
        },
        f"content/images/{P}import.svg:4: the <style> loads another style sheet with @import",
    ),
    (
        "a url() to outside in a style element",
        {f"content/images/{P}cssurl.svg": svg("<style>\nrect { fill: url(https://evil.example/p.svg#x) }\n</style>")},
        f"content/images/{P}cssurl.svg:3: the <style> has 'url(https://evil.example/p.svg#x)', which refers to a file "
        "on another site (https:)",
    ),
    (
        "a url() to outside in an attribute",
        {f"content/images/{P}fillurl.svg": svg('<rect width="5" height="5" fill="url(//evil.example/p.svg#x)"/>')},
        f"content/images/{P}fillurl.svg:2: the 'fill=' attribute on <rect> has 'url(//evil.example/p.svg#x)', which "
        "refers to a file on another site",
    ),
    (
        "an https picture",
        {f"content/images/{P}https.svg": svg('<image href="https://evil.example/track.png" width="5" height="5"/>')},
        f'content/images/{P}https.svg:2: <image href="https://evil.example/track.png"> refers to a file on another '
        "site (https:)",
    ),
    (
        "an xlink:href to http",
        {f"content/images/{P}xlink.svg": svg('<use xlink:href="http://evil.example/sprite.svg#a"/>')},
        f'content/images/{P}xlink.svg:2: <use xlink:href="http://evil.example/sprite.svg#a"> refers to a file on '
        "another site (http:)",
    ),
    (
        "a protocol-relative reference",
        {f"content/images/{P}slashes.svg": svg('<image src="//evil.example/x.png"/>')},
        f"content/images/{P}slashes.svg:2: the 'src=' attribute on <image> is not one of an SVG drawing",
    ),
    (
        "a data:text/html reference",
        {f"content/images/{P}data.svg": svg('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>')},
        f'content/images/{P}data.svg:2: <a href="data:text/html,<script>alert(1)</script>"> embeds a document '
        "(data:text/html) that could run code",
    ),
    (
        "a javascript: link, hidden with a tab",
        {f"content/images/{P}jslink.svg": svg('<a xlink:href="java&#9;script:alert(1)"><text>Hi</text></a>')},
        f'content/images/{P}jslink.svg:2: <a xlink:href="java script:alert(1)"> runs code (javascript:)',
    ),
    (
        "an animation that sets a javascript: link",
        {
            f"content/images/{P}set.svg": svg(
                '<a><set attributeName="href" to="javascript:alert(1)"/><text>Hi</text></a>'
            )
        },
        f"content/images/{P}set.svg:2: the 'to=' attribute on <set> holds 'javascript:alert(1)', which would run code",
    ),
    (
        "a DOCTYPE with entities (billion laughs)",
        {
            f"content/images/{P}laughs.svg": svg(
                "&lol3;",
                '<?xml version="1.0"?>\n<!DOCTYPE svg [\n <!ENTITY lol "lol">\n'
                ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
                ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n',
            )
        },
        f"content/images/{P}laughs.svg:2: has a <!DOCTYPE svg …> declaration: the site refuses document type and "
        "entity declarations in pictures",
    ),
    (
        "an external entity (XXE)",
        {
            f"content/images/{P}xxe.svg": svg(
                "<text>&xxe;</text>", '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            )
        },
        f"content/images/{P}xxe.svg:1: has a <!DOCTYPE svg …> declaration: the site refuses document type and "
        "entity declarations",
    ),
    (
        "an XSLT style sheet instruction",
        {f"content/images/{P}xslt.svg": svg("<g/>", '<?xml-stylesheet type="text/xsl" href="zq.xsl"?>\n')},
        f"content/images/{P}xslt.svg:1: has an <?xml-stylesheet …?> instruction",
    ),
    (
        "a web page saved as .svg",
        {f"content/images/{P}page.svg": '<html xmlns="http://www.w3.org/1999/xhtml">\n<body>Hi</body></html>\n'},
        f"content/images/{P}page.svg:1: is not an SVG picture: its first element is <html>",
    ),
    (
        "a picture that is not well-formed",
        {f"content/images/{P}broken.svg": svg("<g>\n<rect/>\n</svg>")},
        f"content/images/{P}broken.svg:4: is not a well-formed SVG picture (mismatched tag)",
    ),
    (
        "a favicon with a script (EXTRA_PATH_METADATA)",
        {"content/extra/favicon.svg": svg("<script>alert(1)</script>")},
        "content/extra/favicon.svg:2: <script> is not an element of an SVG drawing",
    ),
    (
        "a web page among the pictures",
        {f"content/images/{P}page.html": "<!doctype html><title>x</title><script>alert(1)</script>\n"},
        f"content/images/{P}page.html: is not a file type the site publishes ('.html')",
    ),
    (
        "a script among the pictures",
        {f"content/images/{P}run.js": "alert(1)\n"},
        f"content/images/{P}run.js: is not a file type the site publishes ('.js')",
    ),
]
GROUPS = {"reading": READING, "addresses": ADDRESSES, "links": LINKS, "pictures": PICTURES}


@pytest.fixture(scope="module")
def group_build(tmp_path_factory, site):
    """For a group of faults: a copy of the project whose output/ holds the last good build, with every fault
    of the group added, built once (so also: all problems of a build are reported in one run)."""
    made: dict[str, tuple[Path, dict[str, str], object]] = {}

    def get(group: str):
        if group not in made:
            project = copy_project(tmp_path_factory.mktemp(group) / "project")
            shutil.copytree(site.root, project / "output")
            before = snapshot(project / "output")
            for _, files, _ in GROUPS[group]:
                for name, text in files.items():
                    add_file(project, name, text)
            made[group] = (project, before, build(project, project / "output"))
        return made[group]

    return get


@pytest.mark.parametrize("group", list(GROUPS))
def test_a_failed_build_prints_no_traceback_and_leaves_output_as_it_was(group_build, group):
    project, before, result = group_build(group)
    assert result.returncode == 1, f"{group}: the build passed:\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.rstrip().endswith("nothing was published, and output/ was left as it was.")
    assert snapshot(project / "output") == before
    assert not list(project.glob(".output-*")), "a failed build left its staging folder behind"


@pytest.mark.parametrize(
    ("group", "number"),
    [(g, n) for g, faults in GROUPS.items() for n in range(len(faults))],
    ids=[f[0] for faults in GROUPS.values() for f in faults],
)
def test_every_mistake_is_named_with_its_file_and_line(group_build, group, number):
    _, _, result = group_build(group)
    what, _, message = GROUPS[group][number]
    lines = result.stderr.splitlines()
    assert any(line.startswith(message) for line in lines), (
        f"{what}: expected a line starting\n{message}\ngot:\n{result.stderr}"
    )


@pytest.mark.parametrize("group", list(GROUPS))
def test_the_problems_are_listed_once_each_in_order_of_file_and_line(group_build, group):
    _, _, result = group_build(group)
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert len(lines) >= len(GROUPS[group]) and len(lines) == len(set(lines))
    keys = [(line.split(":")[0], int(line.split(":")[1]) if line.split(":")[1].isdigit() else 0) for line in lines]
    assert keys == sorted(keys)


def test_three_mistakes_in_three_files_are_all_reported_by_one_build(project):
    for name, source in [
        (f"{P}one", "Point: K1\nWere: sole\n"),
        (f"{P}two", "## Steps {: .step }\n\n1. a\n"),
        (f"{P}three", "Point: K2\nWhere: heel\nHold: a while\n"),
    ]:
        add_file(project, f"content/{name}.md", article(name.removeprefix(P), source))
    result = build(project, project / "output")  # what make build runs (test_authoring.py runs make build itself)
    assert result.returncode != 0
    named = {line.split(":")[0] for line in result.stderr.splitlines() if line.startswith("content/")}
    assert named == {f"content/{P}one.md", f"content/{P}two.md", f"content/{P}three.md"}, result.stderr
    assert "problems in 3 files: nothing was published" in result.stderr
    assert not (project / "output").exists()


def test_a_note_left_in_content_is_a_warning_and_the_site_still_builds(project, tmp_path):
    add_file(project, f"content/{P}notes.txt", "buy more lavender\n")
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert f"content/{P}notes.txt: warning: is not used by the site" in result.stderr


def test_a_symbolic_link_out_of_the_project_is_refused(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("API_KEY=do-not-publish\n")
    os.symlink(secret, project / "content" / "images" / f"{P}leak.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, project / "theme" / "static" / f"{P}outside")
    result = build(project, tmp_path / "out")
    assert result.returncode == 1
    assert f"content/images/{P}leak.txt: is a symbolic link to {secret}, outside the project" in result.stderr
    assert f"theme/static/{P}outside: is a symbolic link to {outside}, outside the project" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # starts the command line (make, invoke) in a new process
@pytest.mark.parametrize("entry", [["invoke", "build"], ["invoke", "production"]], ids=" ".join)
def test_every_build_command_refuses_a_mistake(project, entry):
    add_file(project, f"content/{P}bad.md", article("bad", "Point: K1\nWere: sole\n"))
    result = invoke(project, *entry[1:])
    assert result.returncode == 1
    assert f"content/{P}bad.md:7: unknown key 'Were:'" in result.stderr
    assert "Traceback" not in result.stderr and not (project / "output").exists()


def test_a_good_build_replaces_the_output_and_leaves_nothing_behind(project):
    (project / "output").mkdir()
    (project / "output" / "stale.html").write_text("from an older build")
    add_file(project, f"content/{P}fine.md", article("fine", "A new sentence.\n"))
    result = build(project, project / "output")
    assert result.returncode == 0, result.stderr
    assert "A new sentence." in (project / "output" / f"{P}fine.html").read_text()
    assert not (project / "output" / "stale.html").exists()
    assert (project / "output").stat().st_mode & 0o755 == 0o755, "a web server must be able to read output/"
    assert not list(project.glob(".output-*"))


def test_a_link_to_a_draft_is_refused_when_publishing_and_noted_in_the_preview(project, tmp_path):
    add_file(project, f"content/{P}unready.md", article("unready", "Not ready.\n", "Status: draft\n"))
    add_file(project, f"content/{P}ready.md", article("ready", f"See [the next one]({{filename}}{P}unready.md).\n"))
    development = build(project, tmp_path / "dev")
    assert development.returncode == 0, development.stderr
    message = f"content/{P}ready.md:6: warning: links to content/{P}unready.md, which is a draft (Status: draft)"
    assert message in development.stderr
    production = build(project, tmp_path / "prod", production=True, env={"SITEURL": "https://example.org"})
    assert production.returncode == 1
    assert f"content/{P}ready.md:6: links to content/{P}unready.md, which is a draft" in production.stderr


NANCYS_PICTURES = ["images/knee-b54.svg", "images/lower-back-b23-b47.svg", "images/sacrum-b48.svg", "extra/favicon.svg"]
PLAIN_SVG = """<?xml version="1.0" encoding="UTF-8"?>
<!-- a drawing as an editor saves it: gradients, reuse, a link, an embedded photo, metadata -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 100 100" role="img">
  <title>Zq plain picture</title>
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/></linearGradient>
    <circle id="dot" r="3"/>
  </defs>
  <style>.label { font: 12px system-ui; fill: url(#g) }</style>
  <rect width="100" height="100" fill="url(#g)" style="stroke: url('#g')" inkscape:label="background"/>
  <use href="#dot" x="10" y="10"/><use xlink:href="#dot" x="20" y="20"/>
  <a href="../acupressure-for-back-pain.html"><text class="label" x="5" y="90">Back to the article</text></a>
  <image width="1" height="1" href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="/>
  <image width="10" height="10" href="knee-b54.svg"/>
</svg>
"""


def test_nancys_diagrams_and_favicon_pass_the_picture_check():
    for name in NANCYS_PICTURES:
        assert svg_problems(CONTENT / name) == [], name


def test_a_plain_svg_with_gradients_links_and_an_embedded_photo_is_published(project, tmp_path):
    add_file(project, f"content/images/{P}plain.svg", PLAIN_SVG)
    assert svg_problems(project / "content" / "images" / f"{P}plain.svg") == []
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "images" / f"{P}plain.svg").read_text() == PLAIN_SVG
