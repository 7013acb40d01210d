"""Pages saved from the old site builder ("Save page as… complete") made into articles: what `invoke import` runs.

    python -m tools.importer PATH…   [--category "Name Of The Hub"] [--content content]

A saved page (NAME.html, its pictures in NAME_files/) is in the builder's classic layout; the article is its
content column (id "ContentColumn") from its h1 to its "Return from PAGE to HUB" / "Go to site home page" links,
without forms, scripts or boxes of donation, promotion or sharing. markdownify writes it as content/SLUG.md at the
old address, its pictures are copied into content/images/, and nothing is ever overwritten. It prints what it
wrote and what Nancy should look at, and exits 1 if a page could not be imported (the others are).
"""

from __future__ import annotations

import argparse
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from markdown.extensions.toc import slugify as toc_slug
from markdownify import MarkdownConverter

from stages.checks.files import PUBLISHED_TYPES
from stages.markup.points import duration_in
from stages.markup.reader import SLUG, header_of

ROOT = Path(__file__).resolve().parents[1]
CONTENT_COLUMN = re.compile(r"^content-?column$", re.IGNORECASE)  # the builder's id of the article's column
WIDGETS = ["script", "style", "noscript", "form", "iframe", "object", "embed", "button", "input", "select", "nav"]
BOXES = re.compile(r"donat|paypal|promo|share|social|comment", re.IGNORECASE)  # in a box's class or id
RETURN = re.compile(r"^return from .+ to (?P<hub>.+?)\.?$", re.IGNORECASE)
HOME = re.compile(r"^(go|return) to (the )?(site )?home ?page", re.IGNORECASE)
SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")  # browsers' note of where a saved page came from
PICTURES = {suffix for suffix, kind in PUBLISHED_TYPES.items() if kind.startswith("picture")}  # what the site shows
PRESSING = re.compile(r"\b(press(es|ing)?|pressure|hold(ing)?)\b", re.IGNORECASE)
UNDESCRIBED = "picture to describe"  # a Markdown reference, never shown: a picture without its text alternative
HEADING = re.compile(r"^h[1-6]$")


class PageError(Exception):
    """Why a page cannot be imported."""


def slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def words(element: Tag | str) -> str:
    return " ".join((element if isinstance(element, str) else element.get_text(" ")).split())


def address_name(path: str) -> str:
    """The name of a page's address ("acupressure-for-back-pain" for …/acupressure-for-back-pain.html), or ''."""
    name = posixpath.basename(path) or "index.html"
    return name.rsplit(".", 1)[0] if re.search(r"\.html?$", name, re.IGNORECASE) else ""


def cut(node: Tag, column: Tag, side: str) -> None:
    """Everything before (side "previous_siblings") or after ("next_siblings") `node` in `column`."""
    for level in [node, *node.parents]:
        if level is column:
            return
        for other in list(getattr(level, side)):
            other.extract()


def host(url: str) -> str:
    return (urlsplit(url).netloc or url).lower().removeprefix("www.")


@dataclass
class Site:
    """What content/ has: {address name: its file, for {filename}} and {hub slug: the hub as it is spelled}."""

    content: Path
    pages: dict[str, str] = field(default_factory=dict)
    hubs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, content: Path) -> Site:
        site = cls(content)
        for path in sorted(content.rglob("*.md")):
            header = {key: " ".join(values) for _, key, values in header_of(str(path))}
            relative = path.relative_to(content).as_posix()
            if relative.startswith("hubs/") and header.get("title"):
                site.hub(header["title"])
            elif not relative.startswith("snippets/"):
                for address in (header.get("save_as", ""), header.get("slug", path.stem) + ".html"):
                    if address_name(address):
                        site.pages.setdefault(address_name(address), relative)
                if header.get("category"):
                    site.hub(header["category"])
        return site

    def hub(self, name: str) -> str:
        """A hub as content/ spells it already (the build refuses one hub spelled two ways)."""
        return self.hubs.setdefault(slugify(name), " ".join(name.split()))


class Converter(MarkdownConverter):
    """HTML into the Markdown of docs/AUTHORING.md, that Python-Markdown reads back as it was written."""

    def __init__(self, page: Page) -> None:
        super().__init__(heading_style="ATX", bullets="-", escape_misc=False)
        self.page = page

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # only what Python-Markdown would take for markup, with escapes it knows (never `I\'ve`)
        text = re.sub(r"([\\`*_\[\]{}])", r"\\\1", text)
        text = re.sub(  # what would start a list, a quote or a heading at a paragraph's start
            r"^(\s*)(#|>|\+(?=\s)|-+(?=\s|$)|\d+(?=[.)](?:\s|$)))",
            lambda m: m[1] + m[2] + "\\" if m[2][0].isdigit() else m[1] + "\\" + m[2],
            text,
        )
        return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", re.sub(r"&(?=#?\w+;)", "&amp;", text))

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        # four columns before the text, so that an item's other paragraphs stay in it (Python-Markdown's rule)
        text, start = (text or "").strip(), str(el.parent.get("start", "1")) if el.parent else "1"
        number = (int(start) if start.isdigit() else 1) + len(el.find_previous_siblings("li"))
        bullet = f"{number}." if el.parent and el.parent.name == "ol" else "-"
        item = bullet.ljust(3) + " " + re.sub(r"\n(?=.)", "\n    ", text)
        return item + ("\n\n" if "\n" in text else "\n") if text else "\n"  # an empty line ends a long item

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self.page.picture(el)


@dataclass
class Page:
    """One saved page: where it was, what it links to, and what Nancy should look at."""

    source: Path
    soup: BeautifulSoup
    address: str  # its address on the old site, when the saved page gives it
    site: Site
    name: str = ""
    category: str = ""
    targets: dict[str, str] = field(default_factory=dict)  # {address name: what a link to it becomes}
    notes: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, source: Path, site: Site, category: str) -> Page:
        if source.suffix.lower() not in (".html", ".htm"):
            raise PageError("is not a saved web page (NAME.html)")
        try:
            soup = BeautifulSoup(source.read_bytes(), "html.parser")
        except OSError as error:
            raise PageError(f"cannot be read ({error.strerror})") from None
        found = soup.find("link", rel="canonical") or soup.find("meta", property="og:url")
        address = str(found.get("href") or found.get("content") or "") if isinstance(found, Tag) else ""
        comment = soup.find(string=lambda s: isinstance(s, Comment) and bool(SAVED_FROM.search(s)))
        if not address and comment and (saved := SAVED_FROM.search(comment)):
            address = saved[1]
        page = cls(source, soup, address, site, category=category)
        back = next((a for a in soup.find_all("a", href=True) if RETURN.match(words(a))), None)
        if back is not None:  # its hub, known to every page of the import
            page.category = site.hub(RETURN.match(words(back))["hub"])  # type: ignore[index]
            if hub_address := urlsplit(str(back["href"])).path:
                site.hubs.setdefault(address_name(hub_address), page.category)
        page.name = address_name(urlsplit(address).path) if address else address_name(source.name)
        if not SLUG.fullmatch(page.name):
            raise PageError(f"'{page.name}' cannot be an address: save it with its old name, e.g. back-pain.html")
        return page

    def markdown(self, run: set[str]) -> str:
        """The article's Markdown, with its metadata; its pictures are copied into content/images. `run`: the
        address names of the pages of this import."""
        self.targets = {name: "{category}" + hub for name, hub in self.site.hubs.items()}
        self.targets |= {name: "{filename}" + file for name, file in self.site.pages.items()}
        self.targets |= {name: "{filename}" + f"{name}.md" for name in run if name != self.name}
        column = self.soup.find(id=CONTENT_COLUMN)
        if not isinstance(column, Tag):
            raise PageError("has no content column (id 'ContentColumn'): it is not a page of the old site")
        h1 = column.find("h1")
        if not isinstance(h1, Tag) or not words(h1):
            raise PageError("its content column has no h1, the article's title")
        cut(h1, column, "previous_siblings")  # the article starts at its h1: the donation box is above it
        end = next((a for a in column.find_all("a") if RETURN.match(words(a)) or HOME.match(words(a))), None)
        if end is not None:  # … and ends before its return links, which link to the old site (and its hub)
            cut(end, column, "next_siblings")
            self.address = self.address or str(end.get("href", ""))
            end.extract()
        if not self.category:
            raise PageError("has no 'Return from … to HUB' link to name its hub: give --category 'Hub Name'")
        for chrome in [*column.find_all(WIDGETS), *column.find_all(string=lambda s: isinstance(s, Comment))]:
            chrome.extract()
        for box in column.find_all(lambda t: bool(BOXES.search(" ".join([t.get("id") or "", *t.get("class", [])])))):
            box.extract()
        for br in h1.find_all("br"):
            br.replace_with("\0")  # a line break of the heading, not of its source
        heading = words(h1.get_text())
        title, _, subtitle = heading.partition("\0" if "\0" in heading else ":")
        h1.extract()
        for link in column.find_all("a", href=True):
            self.link(link, column)
        for empty in reversed(column.find_all(["p", "div", "span", "li", "strong", "b", "em", "i", "a"])):
            if not re.search(r"\w", empty.get_text()) and not empty.find("img"):
                empty.extract()
        body = re.sub(r"\n{3,}", "\n\n", Converter(self).convert_soup(column)).strip()
        metadata = {"Title": title, "Subtitle": subtitle, "Slug": self.name, "Date": date_of(self.soup)}
        metadata["Category"] = self.category
        return "".join(f"{key}: {words(value)}\n" for key, value in metadata.items() if words(value)) + f"\n{body}\n"

    def link(self, link: Tag, column: Tag) -> None:
        """A link to a page of this import or of content/ becomes a {filename} link; a link to another page of the
        old site (not imported yet) or to a place on the old page keeps its text and is listed."""
        href = str(link.get("href", "")).strip()
        parts = urlsplit(urljoin(self.address, href))
        if parts.scheme in ("mailto", "tel") or (parts.netloc and host(parts.netloc) != host(self.address)):
            return  # an address elsewhere
        name = address_name(unquote(parts.path))
        place = parts.fragment and column.find(lambda t: parts.fragment in (t.get("id"), t.get("name")))
        heading = place if not isinstance(place, Tag) or HEADING.match(place.name) else place.find_parent(HEADING)
        if name == self.name and isinstance(heading, Tag):  # a section of the article: its heading's new id
            link["href"] = "#" + toc_slug(words(heading), "-")
        elif name and name != self.name and name in self.targets:
            link["href"] = self.targets[name]
            if parts.fragment:
                self.notes.append(f"link '{words(link)}' to {href}: its '#{parts.fragment}' was left out")
        else:  # (a picture that linked to itself, or to a larger copy, is shown as it is: the site links it)
            what = "a place on the old page" if name == self.name else "not a page imported yet"
            if words(link):
                self.notes.append(f"link '{words(link)}' to {href} ({what}) was made plain text: link it again")
            link.unwrap()

    def picture(self, image: Tag) -> str:
        """The picture, copied into content/images (never over another file), as Markdown; '' if it was not saved."""
        src = str(image.get("src", ""))
        folder, file = self.source.parent.resolve(), (self.source.parent / unquote(urlsplit(src).path)).resolve()
        if not src or urlsplit(src).scheme or not file.is_file() or not file.is_relative_to(folder):
            self.notes.append(f"picture {src} was not saved with the page: add it by hand")
            return ""
        if file.suffix.lower() not in PICTURES:
            self.notes.append(f"picture {file.name} is not a kind the site shows ({', '.join(sorted(PICTURES))})")
            return ""
        data, folder = file.read_bytes(), self.site.content / "images"
        folder.mkdir(parents=True, exist_ok=True)
        stem = slugify(file.stem) or "picture"
        for number in range(1, 10_000):
            target = folder / f"{stem}{f'-{number}' if number > 1 else ''}{file.suffix.lower()}"
            try:
                with target.open("xb") as copy:  # "x": never over another file
                    copy.write(data)
                self.copied.append(f"Copied {shown(file)} to {shown(target)}")
                break
            except FileExistsError:
                if target.read_bytes() == data:
                    break  # the same picture, copied before
        alt, line = words(str(image.get("alt", ""))), f"{{static}}images/{target.name}"
        if not alt:  # kept in place, not shown: the build refuses a picture without its text alternative
            return f"\n\n[{UNDESCRIBED}]: {line}\n\n"
        title = words(str(image.get("title", ""))).replace('"', "'")
        alt, caption = re.sub(r"([][\\])", r"\\\1", alt), f' "{title}"' if title else ""
        return f"\n\n![{alt}]({line}{caption})\n\n"


def date_of(soup: BeautifulSoup) -> str:
    """The page's own date (a date meta tag or a <time>), else today."""
    kinds = ("date", "dcterms.date", "article:published_time")
    tags = soup.find_all(lambda t: t.name == "time" or str(t.get("name") or t.get("property")).lower() in kinds)
    dates = [re.match(r"\d{4}-\d\d-\d\d", str(t.get("content") or t.get("datetime") or "")) for t in tags]
    return next((found[0] for found in dates if found), date.today().isoformat())


def look_at(name: str, markdown: str) -> list[str]:
    """What Nancy should look at, by line: lines that read like point instructions (pressing, and a time to hold),
    numbered lists of one-line items (an exercise, perhaps), pictures without their text alternative."""
    notes: list[tuple[int, str]] = []
    steps, simple = list[int](), True
    for number, line in enumerate([*markdown.split("\n"), "."], start=1):
        seconds = duration_in(line) if PRESSING.search(line) else None
        if seconds:
            notes.append((number, f"reads like a point instruction (hold {seconds} s): a 'Point:' block gives a timer"))
        if line.strip().startswith(f"[{UNDESCRIBED}]:"):
            picture = line.split("]:", 1)[1].strip()
            notes.append((number, f"a picture without its description is not shown: write ![what it shows]({picture})"))
        if re.match(r"\d+\.\s", line):
            steps.append(number)
        elif line.startswith(" ") and steps:
            simple = False
        elif line.strip():
            if len(steps) >= 3 and simple:
                advice = "if it is an exercise, end the heading above it with '{: .steps }' to guide readers"
                notes.append((steps[0], f"a numbered list of {len(steps)} short items: {advice}"))
            steps, simple = [], True
    return [f"{name}:{number}: {note}" for number, note in sorted(notes)]


def shown(path: Path) -> str:
    """A path as the author typed it: relative to the current folder when it is inside it."""
    return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)


def saved_pages(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The saved pages named, a folder's pages in name order; and a problem for each path that gives none."""
    pages, problems = [], []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in (".html", ".htm") and p.is_file())
            pages += found
            problems += [] if found else [f"{path}: has no saved pages (NAME.html) in it"]
        elif path.exists():
            pages.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    return pages, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke import", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a saved page (NAME.html) or a folder")
    parser.add_argument("--category", default="", help="the hub of a page that has no 'Return from … to HUB' link")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="the content folder")
    options = parser.parse_args(argv)
    sources, problems = saved_pages(options.paths)
    site, pages, notes = Site.read(options.content), list[Page](), list[str]()
    for source in sources:
        try:
            pages.append(Page.open(source, site, options.category))
        except PageError as refused:
            problems.append(f"{source}: {refused}")
    run = {page.name for page in pages}
    for number, page in enumerate(pages):
        target = options.content / f"{page.name}.md"
        try:
            if target.exists() or page.name in site.pages:
                where = shown(target if target.exists() else options.content / site.pages[page.name])
                raise PageError(f"{where} already has the address {page.name}.html, and was left as it is")
            if page.name in site.hubs:
                hub = site.hubs[page.name]
                raise PageError(f"{page.name}.html is the hub {hub}, which the site makes (its text: content/hubs/)")
            if page.name in [other.name for other in pages[:number]]:
                raise PageError(f"has the address {page.name}.html of another page of this import")
            text = page.markdown(run)
            with target.open("x", encoding="utf-8") as article:  # "x": never over another file
                article.write(text)
        except (PageError, FileExistsError) as refused:
            problems.append(f"{page.source}: {refused if isinstance(refused, PageError) else 'its article exists'}")
            continue
        print(f"Wrote {shown(target)} (from {page.source})", *page.copied, sep="\n")
        notes += look_at(shown(target), text) + [f"{shown(target)}: {note}" for note in page.notes]
    if notes:
        print("\nLook at:", *notes, sep="\n  ")
    if problems:
        print("\nNot imported:", *problems, sep="\n  ", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
