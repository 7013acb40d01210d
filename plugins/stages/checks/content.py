"""Checks of the content as Pelican reads it: what every page needs, addresses, hubs, and files it would skip.

- each article and page (``content_object_init``): a title, an address that can be a file name;
  an article's date and hub; pictures and ``{filename}`` links that point at files that exist;
- the whole site (``all_generators_finalized``): no two things published at one address (pages,
  hubs, the site's fixed files such as 404.html or sitemap.xml), one spelling per hub, no file in
  content/ that Pelican would silently skip, no symbolic link that leaves the project; the mistakes
  in the snippets (content/snippets/, ``markup.snippets``), which are used, not skipped; the
  published files themselves are checked by ``checks.files``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from stages.checks.files import check_published_files
from stages.checks.problems import Problem, Severity, author_path, line_of, metadata_line, project_root, report
from stages.markup.reader import PROBLEMS, header_of
from stages.markup.snippets import snippets_of
from stages.markup.source import link_files
from stages.pelican_compat import all_items, content_html, set_address

# starts with a literal "{", which the regex engine finds fast; the attribute is read just before it
_INTERNAL_LINK = re.compile(r"""\{(?P<what>filename|static|attach)\}(?P<path>[^"'#?]*)""")
_TAG = re.compile(r"<[^<>]*>")  # one tag: no '<' or '>' inside, so each '<' is tried once
MAX_FILE_NAME = 200  # bytes: file systems allow 255, and hosts add suffixes (.gz, .br)
# Files the site writes itself, besides pages (see the seo, hosting and assets plugins)
SITE_FILES = ("sitemap.xml", "robots.txt", "_headers", ".htaccess", "sw.js")
# Folders the site writes itself: the theme's files (kept a year by browsers), the search index, the feeds
SITE_FOLDERS = ("theme/", "pagefind/", "feeds/")
# Pages in formats Pelican could read but the site does not (markup: its reader reads Markdown only)
OTHER_MARKUP = {
    "html": "an HTML page",
    "htm": "an HTML page",
    "rst": "a reStructuredText page",
}


def problem(item: Any, key: str | int | None, message: str, severity: Severity = "error") -> None:
    """A problem in an article's or page's file, on the line of its metadata `key`, on line `key`, or on line 1."""
    line = key if isinstance(key, int) else metadata_line(item.source_path, key) if key else 1
    report(Problem(author_path(item.source_path, item.settings), line, message, severity))


def linked_files(item: Any) -> Iterable[tuple[re.Match[str], str, str]]:
    """Each {filename}, {static} or {attach} link of an item's HTML, and the two files it may name (``link_files``)."""
    html = content_html(item)
    for match in _INTERNAL_LINK.finditer(html) if "}" in html else ():
        if match["path"]:
            yield match, *link_files(match["path"], item.source_path, item.settings["PATH"])


def check_content(item: Any) -> None:
    """Runs as each article or page is made from its file."""
    if not isinstance(item, (Article, Page)) or not item.source_path or not os.path.isfile(item.source_path):
        return  # (an article made by code, not read from a file, has nothing to check)
    metadata = item.metadata
    name = author_path(item.source_path, item.settings)
    for line, message in metadata.get(PROBLEMS, ()):
        report(Problem(name, line, message))
    if not metadata.get("title"):
        message = "no Title: line (every page needs a title, e.g. 'Title: How To Use Acupressure For Back Pain')"
        return problem(item, None, message)
    keys = {key for _, key, _ in header_of(item.source_path)}
    if isinstance(item, Article):
        if "date" not in metadata:
            problem(item, None, "no Date: line (every article needs one, e.g. 'Date: 2026-11-23')")
        category = getattr(item, "category", None)
        if category is not None and category.name == item.settings["DEFAULT_CATEGORY"] and "category" not in keys:
            message = "no Category: line (every article belongs to a hub, e.g. 'Category: Natural Pain Relief')"
            problem(item, None, message)
    html = content_html(item)
    empty = "data-point-slot" not in html and "<img" not in html and not _TAG.sub("", html).strip()
    if isinstance(item, Article) and empty:
        problem(item, None, "the article has no text after its metadata (write it below the empty line that ends them)")
    if isinstance(item, Page) and "category" in keys:
        message = "has a Category: line, but is in content/pages/, where pages (not articles) are kept: move it to content/ to publish it as an article of its hub, or delete the line"
        problem(item, "category", message)
    check_address_is_a_file_name(item)
    check_linked_files(item)


def check_address_is_a_file_name(item: Any) -> None:
    save_as = item.save_as or ""
    name = save_as.rsplit("/", 1)[-1]
    if item.metadata.get("save_as") is not None and not save_as:
        return  # Save_as: left empty on purpose: not written
    if not item.slug or name.startswith("."):
        message = f"the title '{item.title}' gives no address (it has no letters or digits to make one from): add a line 'Slug: a-name-for-the-address', e.g. 'Slug: healing-herbs'"
        problem(item, "title", message)
    elif len(name.encode()) > MAX_FILE_NAME:
        message = f"the address '{name[:60]}…' is {len(name.encode())} bytes long, too long for a file name: add a shorter line 'Slug: a-short-name' (a few words)"
        problem(item, "slug" if "slug" in item.metadata else "title", message)
    else:
        return
    stand_in(item)


def stand_in(item: Any) -> None:
    """An address that cannot clash, for a page whose own address is a mistake (already reported): the
    rest of the site is still written and checked, and the preview can show the page."""
    digest = hashlib.sha256(item.source_path.encode()).hexdigest()[:10]
    set_address(item, f"address-mistake-{digest}.html")


def check_linked_files(item: Any) -> None:
    """Pictures and {filename} links must point at files that exist in content/."""
    for match, near, from_root in linked_files(item):
        if not os.path.isfile(near) and not os.path.isfile(from_root):
            kind = "picture" if match.string[max(0, match.start() - 5) : match.start() - 1] == "src=" else "linked file"
            line = line_of(item.source_path, match.group(0))
            problem(item, line, f"the {kind} '{{{match['what']}}}{match['path']}' does not exist")


def check_site(generators: list[Any]) -> None:
    """Runs once the whole site is read, before anything is written."""
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    statics = [g for g in generators if isinstance(g, StaticGenerator)]
    settings = articles.settings
    check_hub_spellings(articles)
    check_addresses(articles, pages, statics, settings)
    check_links_to_drafts(articles, pages, settings)
    check_snippets(articles)
    check_files(settings, pages, articles, statics)
    check_published_files(settings, statics)


def check_snippets(articles: ArticlesGenerator) -> None:
    """The mistakes the site's reader found in each snippet, with their lines."""
    for snippet in snippets_of(articles).values():
        for line, message in snippet.problems:
            report(Problem(author_path(snippet.path, articles.settings), line, message))


def check_hub_spellings(articles: ArticlesGenerator) -> None:
    """One hub, one name: 'natural pain relief' and 'Natural Pain Relief' would share a page."""
    spellings: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for article in all_items(articles):
        spellings[article.category.slug][article.category.name].append(article)
    for names in spellings.values():
        if len(names) < 2:
            continue
        counts = sorted((len(items) for items in names.values()), reverse=True)
        if counts[0] == counts[1]:
            # as many articles use one spelling as another: nothing tells which one Nancy meant
            for name, items in names.items():
                others = [
                    f"'Category: {other}' in {author_path(names[other][0].source_path, names[other][0].settings)}"
                    for other in names
                    if other != name
                ]
                message = f"'Category: {name}' and {', '.join(others)} name the same hub spelled differently: choose one spelling and write it exactly the same in every article"
                for item in items:
                    problem(item, "category", message)
            continue
        # the usual spelling: the one most articles use
        usual = max(names, key=lambda name: len(names[name]))
        example = author_path(names[usual][0].source_path, names[usual][0].settings)
        for name, items in names.items():
            if name == usual:
                continue
            message = f"'Category: {name}' is the hub '{usual}' spelled differently (as in {example}); write it exactly 'Category: {usual}', or the two would share one hub page"
            for item in items:
                problem(item, "category", message)


def check_links_to_drafts(articles: ArticlesGenerator, pages: PagesGenerator, settings: dict[str, Any]) -> None:
    """A published page may not link to a draft: the draft is not published, so the link would lead nowhere.
    An error when the build publishes (drafts are not written), a warning in the preview."""
    drafts = {os.path.abspath(item.source_path): item for item in [*articles.drafts, *pages.draft_pages]}
    severity: Severity = "warning" if settings.get("SHOW_DRAFTS") else "error"
    for item in [*articles.articles, *articles.hidden_articles, *pages.pages, *pages.hidden_pages] if drafts else ():
        for match, near, from_root in linked_files(item):
            draft = drafts.get(os.path.abspath(near)) or drafts.get(os.path.abspath(from_root))
            if match["what"] == "filename" and draft is not None:
                message = f"links to {author_path(draft.source_path, settings)}, which is a draft (Status: draft): it is not published, so the link would lead nowhere; publish the draft (delete its Status: line) or link to it later"
                problem(item, line_of(item.source_path, match.group(0)), message, severity)


def check_addresses(
    articles: ArticlesGenerator, pages: PagesGenerator, statics: list[Any], settings: dict[str, Any]
) -> None:
    """No two things may be written to one file."""
    claims: dict[str, list[tuple[str, int, str]]] = defaultdict(list)  # address -> (who, line, file)

    def claim(address: str, who: str, line: int = 0, file: str = "") -> None:
        # one address, however it is spelled: hosts that ignore case, or Unicode forms, serve both as one
        key = unicodedata.normalize("NFKC", address).casefold()
        if address and (who, line, file or who) not in claims[key]:
            claims[key].append((who, line, file or who))
        if address.startswith(SITE_FOLDERS) and file.startswith("content/"):
            message = f"the address '{address}' is in a folder the site writes itself; choose another"
            report(Problem(file, line, message))

    items = [*all_items(articles), *all_items(pages)]
    for item in items:
        key = "save_as" if "save_as" in item.metadata else "slug" if "slug" in item.metadata else "title"
        claim(item.save_as, author_path(item.source_path, settings), metadata_line(item.source_path, key))
    hubs_seen = set()
    for article in all_items(articles):
        category = article.category
        if category.slug not in hubs_seen and category.save_as:
            hubs_seen.add(category.slug)
            file = author_path(article.source_path, settings)
            who = f"the '{category.name}' hub page (from 'Category: {category.name}' in {file})"
            claim(category.save_as, who, metadata_line(article.source_path, "category"), file)
    for name in settings.get("DIRECT_TEMPLATES", []):
        address = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        claim(address, f"the site's {address} page")
    for name in SITE_FILES:
        claim(name, f"the site's {name} file")
    for generator in statics:
        for static in generator.staticfiles:
            claim(static.save_as, author_path(static.source_path, settings))
    prefix = author_path(settings["PATH"], settings) + "/"
    for address, claimants in sorted(claims.items()):
        if len(claimants) < 2:
            continue
        files = [(file, line, who) for who, line, file in claimants if file.startswith(prefix)]
        names = [who for who, _, _ in sorted(claimants, key=lambda c: (not c[0].startswith(prefix), c[0]))]
        hub = any(who.startswith("the '") for _, _, who in files)
        one = "give the hub another name" if hub else "give it a 'Slug:' of its own"
        advice = one if len(files) == 1 else "give one of them a 'Slug:' of its own"
        message = (
            f"{' and '.join(names)} would {'both' if len(names) == 2 else 'all'} be published at '{address}' ({advice})"
        )
        for file, line, _ in files or [("", 0, "")]:
            report(Problem(file, line, message))
        # all but the first keep writing, under a stand-in address (all of them, when a hub or the site's own
        # file is at the address: those cannot move), so that the build goes on to check every link
        keep = names[0] if all(who.startswith(prefix) for who, _, _ in claimants) else None
        for item in items:
            same = unicodedata.normalize("NFKC", item.save_as or "").casefold() == address
            if same and author_path(item.source_path, settings) != keep:
                stand_in(item)


def check_files(
    settings: dict[str, Any], pages: PagesGenerator, articles: ArticlesGenerator, statics: list[Any]
) -> None:
    """Files in content/ that no part of the site reads, and symbolic links that leave the project."""
    content_root = Path(settings["PATH"]).resolve()
    project = Path(project_root(settings)).resolve()
    used = {Path(item.source_path).resolve() for item in [*all_items(articles), *all_items(pages)]}
    for generator in statics:
        used.update(Path(static.source_path).resolve() for static in generator.staticfiles)
    used.update(Path(snippet.path).resolve() for snippet in snippets_of(articles).values())
    readable = set(articles.readers.extensions)
    ignores = settings.get("IGNORE_FILES", [])
    for folder in (settings["PATH"], settings["THEME"]):
        for path in sorted(walk(Path(folder))):
            if path.is_symlink() and not (target := path.resolve()).is_relative_to(project):
                message = f"is a symbolic link to {target}, outside the project; the site publishes only files of its own (copy the file into the project instead)"
                report(Problem(author_path(str(path), settings), 0, message))
                continue
            ignored = path.name.startswith(".") or any(fnmatch.fnmatch(path.name, pattern) for pattern in ignores)
            if folder != settings["PATH"] or ignored or path.resolve() in used or not path.is_file():
                continue
            suffix = path.suffix.lstrip(".")  # as written: Pelican reads 'neck.md', not 'neck.MD'
            if suffix in readable and path.resolve().is_relative_to(content_root):
                continue  # read, but failed: its own problem was reported
            name = author_path(str(path), settings)
            if looks_like_an_article(path):
                message = f"looks like an article (it starts with 'Title:'), but the site reads only Markdown files ending in .md: rename it to {path.stem}.md"
                report(Problem(name, 1, message))
            elif suffix.lower() in OTHER_MARKUP:
                message = f"is {OTHER_MARKUP[suffix.lower()]}, which the site does not read or publish: it reads pages written in Markdown (.md), where every line is checked; write it as {path.stem}.md"
                report(Problem(name, 0, message))
            else:
                message = f"is not used by the site (only .md files, and files in {', '.join(settings['STATIC_PATHS'])}, are published); move it out of content/ if it is a note to yourself"
                report(Problem(name, 0, message, "warning"))


def walk(folder: Path) -> Iterable[Path]:
    """Every file and symbolic link under `folder`, without following links."""
    for root, folders, files in os.walk(folder):
        for name in files + [f for f in folders if os.path.islink(os.path.join(root, f))]:
            yield Path(root, name)


def looks_like_an_article(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as source:
            return source.readline().lower().startswith("title:")
    except (OSError, UnicodeDecodeError):
        return False
