"""Incremental stage: a build renders only the pages whose inputs changed since the last build, and link-checks only them.

Used by the preview (``tools.devserver``) and by cached builds (``tools.build`` without
``--no-cache``), which add this stage to the plugins and give it the previous build in the setting
``INCREMENTAL_PREVIOUS`` (a :class:`Generation`: the folder it was written to, each page's
dependency key, ``incremental.keys``).

- ``get_writer``: Pelican writes with :class:`ReusingWriter`. For each page, it computes the page's
  key from what its template reads (``keys.page_key``); when the previous build wrote the page
  with the same key, the page is taken from the previous build's folder instead of being rendered.
  Pelican still writes every page (and every ``content_written`` receiver, such as the sitemap,
  still sees every page), so the output is the same as a full build's, byte for byte.
- ``finalized`` (before the checks' link check: this stage comes first in PLUGINS): the link check is told which pages to check
  (``stages.checks.links.CHECK_ONLY``): the pages rendered in this build, and the pages taken from
  the previous build that link to an #anchor on one of them. Everything is checked when a file
  of the previous build is gone, when the previous build had broken links, or when there is no
  previous build.
- after the build, :func:`result` gives this build's :class:`Generation`, for the next one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Template
from pelican import signals
from pelican.contents import Content
from pelican.writers import Writer

from stages.checks import links
from stages.incremental.keys import Analysis, Fingerprints, addresses, files_digest, page_key, settings_fingerprint
from stages.incremental.keys import template_variables as find_variables
from stages.pelican_compat import LinkingWriter

PREVIOUS = "INCREMENTAL_PREVIOUS"  # setting: the previous build's Generation (or None)
RESULT = "INCREMENTAL_RESULT"  # setting, after the build: this build's Generation
STATE = "INCREMENTAL_STATE"  # setting of one build: its Keys
CODE_KEY = "INCREMENTAL_CODE_KEY"  # setting: a digest of the site's code and settings files (tools.build)
SETTINGS_KEY = "INCREMENTAL_SETTINGS_KEY"  # setting of one build: a digest of its settings as it starts


@dataclass
class Generation:
    """What one build wrote: where, each page's key, every file, and which pages link to #anchors where."""

    folder: Path
    keys: dict[str, str] = field(default_factory=dict)  # page (relative to the folder) -> its key
    files: set[str] = field(default_factory=set)  # every file written, pages or not
    anchors_into: dict[str, set[str]] = field(default_factory=dict)  # page -> pages linking to its #anchors
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # page -> (mtime in ns, size) as written
    broken_links: bool = False
    site: str = ""  # the site's key (settings, code, theme) the keys were made with
    reads: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # template -> class -> attributes read
    analysed: dict[str, Analysis] = field(default_factory=dict)  # template text -> its variables
    rendered: int = 0
    reused: int = 0
    checked: int = 0

    def page(self, page: str) -> Path | None:
        """The file of a page this build wrote, if it is still as written (else None)."""
        path = self.folder / page
        try:
            stamp = os.stat(path)
        except OSError:
            return None
        return path if (stamp.st_mtime_ns, stamp.st_size) == self.stamps.get(page) else None


class Keys:
    """One build's keys: the site's key, each template's variables and reads, and the fingerprints of its values."""

    def __init__(self, settings: dict[str, Any], context: dict[str, Any]) -> None:
        theme = Path(settings["THEME"])
        self.site = "|".join(
            [
                str(settings.get(CODE_KEY, "")),
                str(settings.get(SETTINGS_KEY, "")),
                files_digest([theme, *[Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", [])]]),
            ]
        )
        self.addresses = addresses(context)
        previous: Generation | None = settings.get(PREVIOUS)
        # what each template reads of other articles and pages, by their class (kept while the site's key is the same)
        self.reads: dict[str, dict[str, set[str]]] = (
            {name: {kind: set(names) for kind, names in kinds.items()} for name, kinds in previous.reads.items()}
            if previous is not None and previous.site == self.site
            else {}
        )
        self.fingerprints: dict[str, Fingerprints] = {}
        # each template text's variables, kept from build to build (a new process need not parse them again)
        self.analysed: dict[str, Analysis] = dict(previous.analysed) if previous is not None else {}
        self.variables: dict[tuple[int, str], frozenset[str] | None] = {}
        self.keys: dict[str, str] = {}
        # each page's template and context, and the reads its key was made with (made again at the end
        # of the build when the template was seen reading more, so that the next build compares alike)
        self.made_with: dict[str, tuple[Template, dict[str, Any], int]] = {}
        self.versions: dict[str, int] = {}
        self.rendered: set[str] = set()
        self.reused: set[str] = set()
        self.watched: set[int] = set()
        self.rendering: tuple[str, Any] | None = None  # (template, the page's own article) being rendered

    def key(self, template: Template, localcontext: dict[str, Any]) -> str | None:
        name = template.name or ""
        where = (id(template.environment), name)
        if where not in self.variables:
            try:
                self.variables[where] = find_variables(template.environment, name, self.analysed)
            except Exception:  # a template Jinja cannot analyse: render it
                self.variables[where] = None
        variables = self.variables[where]
        if variables is None:
            return None
        fingerprints = self.fingerprints.get(name)
        if fingerprints is None:
            fingerprints = self.fingerprints[name] = Fingerprints(self.addresses, self.reads.get(name))
        key = page_key(fingerprints, self.site, variables, localcontext, template.environment.globals)
        if key is not None:
            self.made_with[str(localcontext.get("output_file", ""))] = (
                template,
                localcontext,
                self.versions.get(name, 0),
            )
        return key

    def render(self, template: Template, localcontext: dict[str, Any]) -> str:
        """Renders a page, watching what it reads of other articles and pages."""
        environment = template.environment
        if id(environment) not in self.watched:
            self.watch(environment)
        own = localcontext.get("article") or localcontext.get("page")
        name = template.name or ""
        if name not in self.reads:  # rendered now: what it reads is known from here on (maybe nothing)
            self.reads[name] = {}
            self.versions[name] = self.versions.get(name, 0) + 1
            self.fingerprints.pop(name, None)
        self.rendering = (name, own)
        try:
            return str(template.render(localcontext))
        finally:
            self.rendering = None

    def watch(self, environment: Any) -> None:
        """Watches Jinja's attribute lookups (``a.b``, ``a["b"]``, ``map(attribute=…)``) in `environment`."""
        self.watched.add(id(environment))
        getattr_, getitem_ = environment.getattr, environment.getitem

        def watched_getattr(obj: Any, attribute: str) -> Any:
            if isinstance(obj, Content) and self.rendering is not None:
                self.read(obj, attribute)
            return getattr_(obj, attribute)

        def watched_getitem(obj: Any, argument: Any) -> Any:
            if isinstance(obj, Content) and isinstance(argument, str) and self.rendering is not None:
                self.read(obj, argument)
            return getitem_(obj, argument)

        environment.getattr = watched_getattr
        environment.getitem = watched_getitem

    def read(self, item: Content, attribute: str) -> None:
        assert self.rendering is not None
        template, own = self.rendering
        if item is own:
            return  # the page's own article is in its key whole
        names = self.reads.setdefault(template, {}).setdefault(type(item).__name__, set())
        if attribute not in names:
            names.add(attribute)
            self.versions[template] = self.versions.get(template, 0) + 1
            self.fingerprints.pop(template, None)

    def final_keys(self) -> dict[str, str]:
        """Every page's key, made with what its template was seen reading by the end of the build."""
        for page, (template, localcontext, version) in self.made_with.items():
            name = template.name or ""
            if self.versions.get(name, 0) != version:
                key = self.key(template, localcontext)
                if key is None:
                    self.keys.pop(page, None)
                else:
                    self.keys[page] = key
        self.made_with.clear()
        return dict(self.keys)


class ReusingTemplate:
    """Stands in for a page's template: renders it, or gives the previous build's page when its key is the same."""

    def __init__(self, template: Template, writer: ReusingWriter) -> None:
        self.template = template
        self.writer = writer
        self.name = template.name

    def render(self, localcontext: dict[str, Any]) -> str:
        keys = self.writer.state(localcontext)
        page = str(localcontext.get("output_file", ""))
        key = keys.key(self.template, localcontext)
        previous: Generation | None = self.writer.settings.get(PREVIOUS)
        if key is not None:
            keys.keys[page] = key
            if previous is not None and previous.keys.get(page) == key:
                source = previous.page(page)
                if source is not None:
                    keys.reused.add(page)
                    # Pelican writes what this returns to the file it opens with _open_w: the writer
                    # puts a hard link to the previous build's file there instead, and drops the text
                    self.writer.links[os.path.normpath(os.path.join(self.writer.output_path, page))] = source
                    return ""
        keys.rendered.add(page)
        return keys.render(self.template, localcontext)


class ReusingWriter(LinkingWriter):
    """Pelican's writer, with each page's template wrapped in a ReusingTemplate; a page taken from the
    previous build is a hard link to its file there (``pelican_compat.LinkingWriter``)."""

    def state(self, context: dict[str, Any]) -> Keys:
        keys = self.settings.get(STATE)
        if not isinstance(keys, Keys):
            keys = self.settings[STATE] = Keys(self.settings, context)
        return keys

    def write_file(self, name: str, template: Template, context: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        return super().write_file(name, ReusingTemplate(template, self), context, *args, **kwargs)


def remember_settings(pelican: Any) -> None:
    """The settings as the build starts (``initialized``; this stage is the first), before any stage
    keeps its state of the build in them."""
    pelican.settings[SETTINGS_KEY] = settings_fingerprint(
        pelican.settings, skip=[PREVIOUS, RESULT, STATE, CODE_KEY, SETTINGS_KEY]
    )


def use_writer(pelican: Any) -> type[Writer]:
    return ReusingWriter


def choose_pages_to_check(pelican: Any) -> None:
    """Tells the link check which pages to check (runs at ``finalized``, before the link check)."""
    settings = pelican.settings
    output = Path(pelican.output_path)
    keys = settings.get(STATE)
    previous: Generation | None = settings.get(PREVIOUS)
    files = {
        Path(folder, name).relative_to(output).as_posix() for folder, _, names in os.walk(output) for name in names
    }
    generation = Generation(folder=output, files=files)
    if isinstance(keys, Keys):
        generation.keys = keys.final_keys()
        generation.site, generation.reads, generation.analysed = keys.site, keys.reads, keys.analysed
        generation.rendered, generation.reused = len(keys.rendered), len(keys.reused)
    settings[RESULT] = generation
    pages = {page for page in files if page.endswith(".html")}
    generation.checked = len(pages)
    if previous is None or previous.broken_links or not isinstance(keys, Keys) or previous.files - files:
        return  # everything is checked
    reused = keys.reused & pages
    check = pages - reused
    for page in list(check):
        check |= previous.anchors_into.get(page, set()) & reused
    settings[links.CHECK_ONLY] = sorted(check)
    generation.checked = len(check)
    # what the pages taken from the previous build link to stays as it was
    generation.anchors_into = {
        target: {page for page in sources if page in reused} for target, sources in previous.anchors_into.items()
    }


def result(settings: dict[str, Any]) -> Generation | None:
    """This build's Generation (for the next build), with what the link check learnt; None without one."""
    generation = settings.pop(RESULT, None)
    settings.pop(STATE, None)
    if not isinstance(generation, Generation):
        return None
    checked: dict[str, set[str]] = settings.pop(links.ANCHOR_LINKS, {})
    for page, targets in checked.items():
        for target in targets:
            generation.anchors_into.setdefault(target, set()).add(page)
    generation.broken_links = bool(settings.pop(links.BROKEN, True))
    for page in generation.keys:
        try:
            stamp = os.stat(generation.folder / page)
        except OSError:
            continue
        generation.stamps[page] = (stamp.st_mtime_ns, stamp.st_size)
    return generation


def register() -> None:
    signals.initialized.connect(remember_settings)
    signals.get_writer.connect(use_writer)
    signals.finalized.connect(choose_pages_to_check)
