"""Nancy cannot publish a broken site: every mistake is named with its file and line, all of them in one run,
with no traceback, and output/ is left exactly as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import TEST_PREFIX, add_file, build, copy_project, invoke, make_build, snapshot, zq_article

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
        f"content/{P}script.md:8: raw <script> is not allowed in content",
    ),
    (
        "an iframe",
        {f"content/{P}iframe.md": article("iframe", '<iframe src="https://example.org"></iframe>\n')},
        f"content/{P}iframe.md:6: raw <iframe> is not allowed in content",
    ),
    (
        "an inline handler",
        {f"content/{P}onclick.md": article("onclick", '<p onclick="alert(1)">Hi</p>\n')},
        f"content/{P}onclick.md:6: the 'onclick=' attribute",
    ),
    (
        "a javascript: link",
        {f"content/{P}js.md": article("js", "[Click](javascript:alert(1))\n")},
        f"content/{P}js.md:6: a 'javascript:' link is not allowed in content",
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
GROUPS = {"reading": READING, "addresses": ADDRESSES, "links": LINKS}


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


def test_three_mistakes_in_three_files_are_all_reported_by_one_make_build(project):
    for name, source in [
        (f"{P}one", "Point: K1\nWere: sole\n"),
        (f"{P}two", "## Steps {: .step }\n\n1. a\n"),
        (f"{P}three", "Point: K2\nWhere: heel\nHold: a while\n"),
    ]:
        add_file(project, f"content/{name}.md", article(name.removeprefix(P), source))
    result = make_build(project)
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
    os.symlink(tmp_path, project / "theme" / "static" / f"{P}outside")
    result = build(project, tmp_path / "out")
    assert result.returncode == 1
    assert f"content/images/{P}leak.txt: is a symbolic link to {secret}, outside the project" in result.stderr
    assert f"theme/static/{P}outside: is a symbolic link to {tmp_path}, outside the project" in result.stderr
    assert not (tmp_path / "out").exists()


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
    result = make_build(project)
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
