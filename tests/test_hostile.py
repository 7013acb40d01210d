"""Safe by construction: what content may publish is an allow-list, and every attack that got past the deny-lists
before is refused by the strict build, naming the file (and line), with nothing written outside the output folder.

One copy of the project gets every hostile file at once and is built once: the build must report each of them in
the same run, fail, and leave the folder around the output exactly as it was. Checks of author input are linear:
an input four times larger costs about four times as much (a ratio, never a number of seconds)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from conftest import TEST_PREFIX, add_file, build, copy_project, zq_article
from stages.checks.files import SvgCheck, check_published_files
from stages.markup.allowlist import sanitize
from stages.markup.extensions import new_markdown
from stages.markup.reader import convert
from stages.markup.source import SourceState, over_limit

P = TEST_PREFIX
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'
XHTML_PAGE = (
    '<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
    '<script src="x.es"></script></body></html>\n'
)

# (what, {file: text}, what the build must print): each one got through `make build` before
HOSTILE = [
    (
        "an XHTML page saved as .xml",
        {f"content/extra/{P}notes.xml": XHTML_PAGE},
        f"content/extra/{P}notes.xml: is not a file type the site publishes ('.xml')",
    ),
    (
        "an XHTML page saved as .xhtm",
        {f"content/images/{P}x.xhtm": XHTML_PAGE},
        f"content/images/{P}x.xhtm: is not a file type",
    ),
    ("a script saved as .es", {f"content/extra/{P}x.es": "alert(1)\n"}, f"content/extra/{P}x.es: is not a file type"),
    (
        "a PHP program",
        {f"content/images/{P}x.php": "<?php system($_GET['c']);\n"},
        f"content/images/{P}x.php: is not a file type",
    ),
    (
        "a .phtml program",
        {f"content/images/{P}x.phtml": "<?php echo 1;\n"},
        f"content/images/{P}x.phtml: is not a file type",
    ),
    ("a CGI program", {f"content/extra/{P}x.cgi": "#!/bin/sh\n"}, f"content/extra/{P}x.cgi: is not a file type"),
    (
        "a meta refresh in a summary shown on every page",
        {
            f"content/{P}refresh.md": zq_article(
                "refresh", extra='Summary: Hi <meta http-equiv="refresh" content="0;url=x">\n'
            )
        },
        f"content/{P}refresh.md:5: <meta> is not allowed in content",
    ),
    (
        "a handler in an attribute list",
        {f"content/{P}attr.md": zq_article("attr", 'A paragraph.\n{: onclick="alert(1)" }\n')},
        f"content/{P}attr.md:7: the 'onclick=' attribute on <p>",
    ),
    (
        "a tag split over lines",
        {f"content/{P}split.md": zq_article("split", '<img src=x alt=x\nonerror="alert(1)">\n')},
        f"content/{P}split.md:7: the 'onerror=' attribute on <img>",
    ),
    (
        "an entity-encoded scheme",
        {f"content/{P}colon.md": zq_article("colon", "[click](javascript&colon;alert(1))\n")},
        f"content/{P}colon.md:6: a 'javascript:' address",
    ),
    (
        "a reference link",
        {f"content/{P}ref.md": zq_article("ref", "[click][1]\n\n[1]: javascript:alert(1)\n")},
        f"content/{P}ref.md:8: a 'javascript:' address",
    ),
    (
        "a style sheet from elsewhere",
        {f"content/{P}link.md": zq_article("link", '<link rel="stylesheet" href="http://example.org/x.css">\n')},
        f"content/{P}link.md:6: <link> is not allowed",
    ),
    (
        "a search field set by content",
        {f"content/{P}meta.md": zq_article("meta", '<div data-pagefind-meta="title:Hacked">x</div>\n')},
        f"content/{P}meta.md:6: the 'data-pagefind-meta=' attribute",
    ),
    (
        "srcset from elsewhere",
        {
            f"content/{P}srcset.md": zq_article(
                "srcset", '<img alt="x" src="x.png" srcset="http://example.org/x.png 2x">\n'
            )
        },
        f"content/{P}srcset.md:6: the 'srcset=' attribute",
    ),
    (
        "the safety note's id",
        {f"content/{P}safety.md": zq_article("safety", "## Read me first {: #safety-note }\n")},
        f"content/{P}safety.md:6: the id 'safety-note' belongs to the site's",
    ),
    (
        "an animated link",
        {
            f"content/images/{P}animate.svg": SVG
            + '<a><animate attributeName="href" values="#;javascript:alert(1)"/><text>x</text></a>\n</svg>\n'
        },
        f"content/images/{P}animate.svg:2: <animate> animates 'href'",
    ),
    (
        "an escaped @import",
        {f"content/images/{P}import.svg": SVG + '<style>@\\69mport "http://example.org/x.css";</style>\n</svg>\n'},
        f"content/images/{P}import.svg:2: the <style> loads another style sheet",
    ),
    (
        "an escaped url()",
        {
            f"content/images/{P}url.svg": SVG
            + "<style>rect { fill: \\75 rl(http://example.org/x.svg#a) }</style>\n</svg>\n"
        },
        f"content/images/{P}url.svg:2: the <style> has 'url(http://example.org/x.svg#a)'",
    ),
    (
        "image-set()",
        {
            f"content/images/{P}set.svg": SVG
            + '<rect style="fill: image-set(&quot;http://example.org/x.png&quot; 1x)"/>\n</svg>\n'
        },
        f"content/images/{P}set.svg:2: the 'style=' attribute on <rect> has 'image-set(http://example.org/x.png)'",
    ),
    (
        "an HTML element in a picture",
        {f"content/images/{P}div.svg": SVG + '<div xmlns="http://www.w3.org/1999/xhtml">x</div>\n</svg>\n'},
        f"content/images/{P}div.svg:2: <div> is not an element of an SVG drawing",
    ),
    (
        "a language that is not a tag",
        {f"content/{P}lang.md": zq_article("lang", extra='Lang: en"><script>alert(1)</script>\n')},
        f"content/{P}lang.md:5: 'Lang: en\"><script>alert(1)</script>' is not a language tag",
    ),
    (
        "an invisible character in a slug",
        {f"content/{P}zw.md": zq_article("zw").replace(f"Slug: {P}zw", f"Slug: {P}z\u200bw")},
        f"content/{P}zw.md:2: 'Slug:' holds an invisible character (U+200B, ZERO WIDTH SPACE)",
    ),
    (
        "a right-to-left override",
        {f"content/{P}rtl.md": zq_article("rtl", extra="Summary: abc\u202edef\n")},
        f"content/{P}rtl.md:5: 'Summary:' holds an invisible character (U+202E",
    ),
    (
        "a look-alike letter in a slug",
        {f"content/{P}cyr.md": zq_article("cyr").replace(f"Slug: {P}cyr", f"Slug: {P}cyr\u0430")},
        f"content/{P}cyr.md:2: 'Slug: {P}cyr\u0430' cannot be an address",
    ),
    (
        "a slug in the theme's folder",
        {f"content/{P}theme.md": zq_article("theme").replace(f"Slug: {P}theme", "Slug: theme/js/site")},
        f"content/{P}theme.md:2: 'Slug: theme/js/site' cannot be an address",
    ),
    (
        "a Save_as in the theme's folder",
        {f"content/{P}saveas.md": zq_article("saveas", extra="Save_as: theme/js/x.html\n")},
        f"content/{P}saveas.md:5: 'Save_as: theme/js/x.html' is not an address the site publishes",
    ),
    (
        "a missing template",
        {f"content/{P}tpl.md": zq_article("tpl", extra="Template: anything-missing\n")},
        f"content/{P}tpl.md:5: 'Template: anything-missing' is not a template of the theme",
    ),
    (
        "two addresses that differ only by case",
        {
            f"content/{P}case-a.md": zq_article("case-a").replace(f"Slug: {P}case-a", f"Slug: {P}case"),
            f"content/{P}case-b.md": zq_article("case-b", extra=f"Save_as: {P.upper()}CASE.html\n"),
        },
        "would both be published at",
    ),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A copy of the project with every hostile file, and a file outside content/ that a {static} link reaches,
    built once into an output folder three levels down (where ../../ still lands inside the test's folder)."""
    root = tmp_path_factory.mktemp("hostile")
    project = copy_project(root / "project")
    for _, files, _ in HOSTILE:
        for name, text in files.items():
            add_file(project, name, text)
    (root / f"{P}secret.txt").write_text("outside\n")
    add_file(project, f"content/{P}escape.md", zq_article("escape", f"[x]({{static}}../../{P}secret.txt)\n"))
    before = set(root.rglob("*"))
    result = build(project, project / "a" / "b" / "output")
    after = {path for path in root.rglob("*") if "output" not in path.parts and ".output-" not in str(path)}
    return result, before, after


@pytest.mark.parametrize(("what", "files", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_input_is_refused_by_the_build_naming_its_file(hostile, what, files, message):
    result, _, _ = hostile
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_static_link_out_of_content_is_refused_and_nothing_is_written_outside_the_output_folder(hostile):
    result, before, after = hostile
    assert f"{P}secret.txt: is outside content/" in result.stderr, result.stderr
    new = sorted(
        str(path)
        for path in after - before
        if path.is_file() and path.name != ".output.lock" and not {"__pycache__", "cache"} & set(path.parts)
    )
    assert new == [], new


def test_a_refused_file_is_taken_off_the_files_to_copy(tmp_path):
    """The preview shows builds that have problems: a refused file must not be in them either."""
    content = tmp_path / "content"
    for name in ("a.png", f"{P}notes.xml"):
        add_file(tmp_path, f"content/images/{name}", "x")
    statics = [
        SimpleNamespace(
            source_path=str(content / "images" / name), relative_source_path=f"images/{name}", save_as=f"images/{name}"
        )
        for name in ("a.png", f"{P}notes.xml")
    ]
    generator = SimpleNamespace(staticfiles=list(statics), context={"staticfiles": list(statics)})
    settings = {"PATH": str(content), "OUTPUT_PATH": str(tmp_path / "output"), "EXTRA_PATH_METADATA": {}}
    check_published_files(settings, [generator])
    assert generator.staticfiles == generator.context["staticfiles"] == statics[:1]


def _cost(function, text: str) -> float:
    """The least CPU time of three runs of function(text)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        function(text)
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)


def _markdown(text: str) -> None:
    convert(new_markdown(), text, SourceState())


def _svg(text: str) -> None:
    SvgCheck().check(text.encode())


# Inputs that took minutes with the earlier line-by-line regular expressions, at a size the site still reads
GROWTH = [
    ("a heading followed by spaces", lambda n: "# a" + " " * n + "x\n", _markdown, 2_000),
    ("a line of unclosed '<a '", lambda n: "Hi " + "<a " * (n // 3) + "\n", lambda t: sanitize(t, set()), 25_000),
    ("lines of '<a ' tags", lambda n: "<a \n" * (n // 4), over_limit, 100_000),
    (
        "an SVG <style> of repeated url(",
        lambda n: SVG + "<style>" + "url(" * (n // 4) + "</style></svg>",
        _svg,
        100_000,
    ),
    ("an SVG <style> of comment starts", lambda n: SVG + "<style>" + "/*" * (n // 2) + "</style></svg>", _svg, 100_000),
    ("a style attribute of url(", lambda n: SVG + '<rect style="' + "url(" * (n // 4) + '"/></svg>', _svg, 100_000),
]


@pytest.mark.parametrize(("what", "make", "check", "n"), GROWTH, ids=[g[0] for g in GROWTH])
def test_checks_of_author_input_grow_linearly(what, make, check, n):
    small, large = _cost(check, make(n)), _cost(check, make(4 * n))
    assert large / small < 8, f"{what}: {small:.4f} s at n, {large:.4f} s at 4n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 600_000, "the file is 600,000 bytes, more than the 500,000"),
        ("# a" + " " * 20_000 + "x\n", "this line is 20,004 characters long"),
        ("[a](b)\n" * 2_001, "the file has 2,001 links"),
        ("Hi\n" + "<a " * 60, "60 '<' start a tag that is never closed with '>' (the first here)"),
        ("Hi\n" + "[" * 10_000, "10,000 '[' start a link that is never closed with ']'"),
        ("Hi\n" + "![" * 5_000, "5,000 '[' start a link that is never closed"),
    ],
)
def test_a_file_past_a_limit_is_refused_unread_with_its_size_and_the_limit(text, message):
    found = over_limit(text)
    assert found is not None and message in found[1], found
