"""Dependency keys: a digest of everything a page shows, so that a page whose key did not change need not be rendered.

A page's key is made of
- the site's key: the build's settings, the site's code and the theme's files (``site_key``): a
  change to any of them changes every page's key;
- every variable its template (with the templates it extends, imports and includes) reads from
  the context, as Jinja's own analysis finds them (``template_variables``), each by its
  fingerprint: the page's own article or page by everything it holds (its HTML, its metadata,
  and the attributes the stages add, such as ``related`` or ``previous_in_hub``), a hub by its
  name, address and introduction, a list by its items in order, a page of a paginated list by
  its number and items; any other article or page it shows (in a list, as related reading, the
  support page in the footer) by the attributes the template was seen reading on its kind
  (``Keys.read``, which watches Jinja's attribute lookups while pages are rendered: a render
  that takes another branch reads what decides the branch, so it is watched too);
- the page's own address and its ``SITEURL`` (relative URLs differ by folder), and, when its
  content has intrasite links (``{filename}``…), the address of every article, page, hub and
  file of the site (``addresses``), since a link shows the address of what it names.

Python code a template calls (filters, globals such as ``json_ld`` and ``description``) may read the
page's own article freely, but another article's values only through the template (where the
lookups are watched).

A value the fingerprint does not know (a template that reads an object of another kind) gives no
key: that page is always rendered. Correctness first: a key that is too wide costs a render, one
that is too narrow would serve a stale page (tests/test_incremental.py compares with full builds).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, meta
from pelican.contents import Content, Static
from pelican.paginator import Page as PaginatedPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from stages.pelican_compat import content_html

# Context keys that change with every build but are shown by no page (the build's own state)
VOLATILE_SETTINGS = {
    "OUTPUT_PATH",
    "CACHE_PATH",
    "generated_content",
    "static_content",
    "static_links",
    "localsiteurl",
    "output_file",
}
# Attributes of an article or page that hold no content of its own (the settings are in the site's key)
SKIPPED_ATTRIBUTES = {"settings", "_context", "_content", "metadata"}
_ATTRIBUTE = {"save_as": "override_save_as", "url": "override_url"}  # metadata keys Pelican keeps under other names
_MISSING = object()
WRAPPER_ATTRIBUTES = {"settings", "_name", "_slug", "_slug_from_name", "name", "slug"}


class UnknownValueError(Exception):
    """A value the fingerprint cannot describe: the page is rendered."""


def digest(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def files_digest(folders: Iterable[Path]) -> str:
    """The content of every file under `folders` (the theme, the site's code)."""
    hasher = hashlib.sha256()
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = Path(root, name)
                hasher.update(path.as_posix().encode() + b"\0")
                try:
                    hasher.update(path.read_bytes())
                except OSError:
                    hasher.update(b"\1missing")
    return hasher.hexdigest()


MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mkd", ".mdown"})


def pictures_digest(content: Path) -> str:
    """Every file in `content` that is not Markdown (pictures above all), by its path, modification time and
    size. Reading a Markdown file consults them (a picture's width and height are written into the HTML;
    a missing one is a problem), so a reading kept from an earlier build is good only while they are the
    same."""
    hasher = hashlib.sha256()
    for root, dirs, files in os.walk(content):
        dirs.sort()
        for name in sorted(files):
            if os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:
                continue
            path = os.path.join(root, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            hasher.update(f"{os.path.relpath(path, content)}\0{status.st_mtime_ns}\0{status.st_size}\n".encode())
    return hasher.hexdigest()[:12]


def settings_fingerprint(settings: dict[str, Any], skip: Iterable[str] = ()) -> str:
    """The settings that shape pages (functions and other objects by their names)."""
    skipped = VOLATILE_SETTINGS | set(skip)
    parts = []
    for name in sorted(settings):
        if name in skipped or not isinstance(name, str):
            continue
        parts.append(f"{name}={_tolerant(settings[name])}")
    return digest(*parts)


def _tolerant(value: Any) -> str:
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_tolerant(k)}:{_tolerant(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_tolerant(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_tolerant(v) for v in value)) + "}"
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    return f"<{getattr(value, '__module__', '')}.{name}>"


Analysis = tuple[frozenset[str], tuple[str | None, ...]]


def template_variables(
    environment: Environment, name: str, known: dict[str, Analysis] | None = None
) -> frozenset[str] | None:
    """Every context variable the template `name` can read, with the templates it uses; None when one
    of them is named at run time (then any variable may be read). `known` keeps each template text's
    analysis (by a digest of the text and syntax), from one build to the next."""
    seen: set[str] = set()
    found: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        assert environment.loader is not None
        source, _, _ = environment.loader.get_source(environment, current)
        syntax = tuple(getattr(environment, name) for name in _SYNTAX)
        text_key = digest(source, repr(syntax))
        analysis = known.get(text_key) if known is not None else None
        if analysis is None:
            analysis = _analysed(source, syntax)
            if known is not None:
                known[text_key] = analysis
        variables, referenced = analysis
        found |= variables
        if None in referenced:
            return None
        waiting.extend(name for name in referenced if name is not None)
    return frozenset(found)


class _AnyName(dict[str, Any]):
    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key) or _any_function


def _any_function(*args: Any, **kwargs: Any) -> None:
    return None


_SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
)


@lru_cache(maxsize=256)  # a template is analysed once while its text stays the same
def _analysed(source: str, syntax: tuple[Any, ...]) -> Analysis:
    environment = Environment(**dict(zip(_SYNTAX, syntax, strict=True)))
    # the analysis compiles the template: any filter or test name is taken (which ones the site has
    # does not change which variables a template reads)
    environment.filters = _AnyName(environment.filters)
    environment.tests = _AnyName(environment.tests)
    tree = environment.parse(source)
    return frozenset(meta.find_undeclared_variables(tree)), tuple(meta.find_referenced_templates(tree))


class Fingerprints:
    """Fingerprints of one build's values for one template (each article once, each shared list once),
    written as JSON by Python's C encoder, which asks :meth:`_value` about anything that is not plain data.

    ``reads`` are the attributes the template was seen reading on articles and pages other than the
    page's own, by class (``Keys.read``): such an article is fingerprinted by its file and those only
    (a hub's list by its articles' titles and addresses, not their text; a list of which it reads
    nothing, by its files). Without them (a template not rendered yet), by everything it holds."""

    def __init__(self, addresses: str, reads: dict[str, set[str]] | None = None) -> None:
        self.addresses = addresses
        self.reads = reads  # None: the template was not rendered yet
        self.full: dict[int, str] = {}
        self.deep: dict[int, str] = {}
        self.listed: dict[int, str] = {}
        self.shared: dict[int, str] = {}
        self.wrappers: dict[int, str] = {}
        self.visiting: set[int] = set()
        self.keep: list[Any] = []  # the values whose ids are remembered stay alive for the build
        options: dict[str, Any] = {"ensure_ascii": False, "check_circular": False, "separators": (",", ":")}
        # inside a value the template reads, an article is fingerprinted by what the template reads of it
        self._inner = json.JSONEncoder(default=lambda value: self._value(value, False), **options).encode
        # an article's own values name other articles by their file only
        self._own = json.JSONEncoder(default=lambda value: self._value(value, True), **options).encode

    def of(self, value: Any) -> str:
        """The fingerprint of a value a template reads from the context (an article or page: all of it)."""
        if isinstance(value, Content):
            return self.item(value)
        if isinstance(value, (list, tuple, dict)):
            known = self.shared.get(id(value))
            if known is None:
                known = self.shared[id(value)] = digest(self._encode(self._inner, value))
                self.keep.append(value)
            return known
        return self._encode(self._inner, value)

    @staticmethod
    def _encode(encode: Any, value: Any) -> str:
        try:
            return str(encode(value))
        except (TypeError, ValueError) as error:  # e.g. a dict keyed by objects
            raise UnknownValueError(str(error)) from error

    def _value(self, value: Any, own: bool) -> Any:
        if isinstance(value, Content):
            return f"ref:{value.source_path}" if own else self.shown(value)
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return f"{type(value).__name__}({value.isoformat()},{getattr(value, 'tzinfo', None)})"
        if isinstance(value, URLWrapper):
            return self.wrapper(value)
        if isinstance(value, (set, frozenset)):
            return sorted(self._encode(self._own if own else self._inner, v) for v in value)
        if isinstance(value, PaginatedPage):
            return {
                "page": value.number,
                "pages": value.paginator.num_pages,
                "url": value.url,
                "save_as": value.save_as,
                "items": value.object_list,
            }
        if isinstance(value, Paginator):
            return {"paginator": value.num_pages, "per_page": value.per_page, "items": value.object_list}
        if isinstance(value, ZoneInfo):
            return f"zone({value.key})"
        if hasattr(value, "__dataclass_fields__"):
            return {"dataclass": type(value).__name__, **vars(value)}
        raise UnknownValueError(type(value).__qualname__)

    def wrapper(self, value: URLWrapper) -> str:
        """A hub, tag or author: its name and address, and what the stages added to it (a hub's introduction)."""
        known = self.wrappers.get(id(value))
        if known is None:
            # its name and slug are above (Pelican also keeps them as attributes once asked: not in every build)
            extra = {name: v for name, v in vars(value).items() if name not in WRAPPER_ATTRIBUTES}
            known = f"{type(value).__name__}({value.name},{value.slug},{value.url},{value.save_as},{self._encode(self._own, extra)})"
            self.wrappers[id(value)] = known
            self.keep.append(value)
        return known

    def item(self, item: Content) -> str:
        """The page's own article or page: everything it holds, and what the template reads of the
        articles it names (related reading, previous and next)."""
        known = self.deep.get(id(item))
        if known is None:
            others = {name: value for name, value in vars(item).items() if _names_content(value)}
            known = self.deep[id(item)] = digest(self.everything(item), self._encode(self._inner, others))
            self.keep.append(item)
        return known

    def everything(self, item: Content) -> str:
        """An article or page by all it holds (other articles it names by their file only)."""
        known = self.full.get(id(item))
        if known is None:
            own = {name: value for name, value in vars(item).items() if name not in SKIPPED_ATTRIBUTES}
            # Pelican keeps each metadata value as an attribute too: the metadata adds only what differs
            metadata = {
                key: value
                for key, value in item.metadata.items()
                if own.get(_ATTRIBUTE.get(key, key.lower()), _MISSING) is not value
            }
            known = self.full[id(item)] = digest(
                type(item).__name__,
                str(item.source_path),
                str(item.save_as),
                str(item.url),
                item.status,
                self.text(item),
                self._encode(self._own, own),
                self._encode(self._own, metadata),
            )
            self.keep.append(item)
        return known

    def text(self, item: Content) -> str:
        """An article's HTML as the page shows it: its own, and the addresses its intrasite links name."""
        html = content_html(item)
        links = "{" in html and not isinstance(item, Static)
        return digest(html, self.addresses if links else "")

    def shown(self, item: Content) -> str:
        """Another article or page the page shows: by the attributes the template reads of its kind."""
        if self.reads is None:
            return self.everything(item)
        names = self.reads.get(type(item).__name__, set())  # a kind it never read anything of: none
        known = self.listed.get(id(item))
        if known is not None:
            return known
        if id(item) in self.visiting:  # articles that name each other
            return f"ref:{item.source_path}"
        self.visiting.add(id(item))
        try:
            parts = [type(item).__name__, str(item.source_path)]
            for name in sorted(names):
                if name == "content":
                    parts.append(self.text(item))
                else:
                    parts.append(f"{name}={self._encode(self._inner, getattr(item, name, None))}")
        finally:
            self.visiting.discard(id(item))
        known = self.listed[id(item)] = digest(*parts)
        self.keep.append(item)
        return known


def _names_content(value: Any) -> bool:
    if isinstance(value, Content):
        return True
    return isinstance(value, (list, tuple)) and any(isinstance(v, Content) for v in value)


def addresses(context: dict[str, Any]) -> str:
    """The address of everything a link in content can name: articles, pages and files by their source."""
    parts = []
    for key in ("generated_content", "static_content"):
        for source, item in sorted(context.get(key, {}).items()):
            parts.append(f"{key}:{source}={getattr(item, 'url', None)}")
    return digest(*parts)


def page_key(
    fingerprints: Fingerprints,
    site: str,
    variables: frozenset[str],
    localcontext: dict[str, Any],
    template_globals: dict[str, Any] | None = None,
) -> str | None:
    """The key of the page rendered with `localcontext`, or None when something in it is unknown. A
    variable that is not in the context may be one of the environment's globals (the stages add some,
    e.g. the snippets' texts): its value counts too; a function counts by its name (the code is in the
    site's key)."""
    parts = [site, str(localcontext.get("output_file")), str(localcontext.get("localsiteurl"))]
    template_globals = template_globals or {}
    try:
        for name in sorted(variables):
            if name in localcontext:
                parts.append(f"{name}={fingerprints.of(localcontext[name])}")
            elif name not in template_globals:
                parts.append(f"{name}!")
            elif callable(template_globals[name]) and not hasattr(template_globals[name], "__dataclass_fields__"):
                parts.append(f"{name}()")
            else:
                parts.append(f"{name}~{fingerprints.of(template_globals[name])}")
    except UnknownValueError:
        return None
    return digest(*parts)
