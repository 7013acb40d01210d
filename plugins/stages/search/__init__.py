"""Search stage: the site's search page and the Pagefind index it searches, built from the written site.

``search.html`` (a DIRECT_TEMPLATE) has a relaxed Content-Security-Policy, in its ``<meta http-equiv>``
(``SEARCH_CONTENT_SECURITY_POLICY``) and in the header files (``HTTP_HEADERS_BY_PATH["/search.html"]``); templates
get ``search_url``. When ``SEARCH_INDEX`` is true, the written site is indexed with Pagefind into ``SEARCH_BUNDLE``
(``pagefind/``) (``search.index``); a failure fails the build, naming Pagefind's error.

Only the main text is indexed: the theme marks it with ``data-pagefind-body`` (an article's and a page's
``<article>``, a hub's list); pages without it (404.html, offline.html, search.html itself) and drafts are
not indexed. A result's title is the page's h1.

Pagefind runs WebAssembly, which a Content-Security-Policy allows only with ``'wasm-unsafe-eval'`` in
script-src: the search page alone gets it. The script asks Pagefind not to start a web worker, so nothing
else is needed (no ``worker-src`` for it, no policy on the worker's own file).

The preview (tools/devserver.py) builds with ``SEARCH_INDEX: False`` and indexes its build when the search
page is first asked for (``search.index.write_index``), so a save does not wait for the index.
"""

from __future__ import annotations

from typing import Any

from stages.checks.problems import Problem, report
from stages.search.index import SearchIndexError, write_index

DEFAULTS: dict[str, Any] = {
    "SEARCH_INDEX": True,  # index the site at the end of the build (the preview indexes on demand)
    "SEARCH_SAVE_AS": "search.html",
    "SEARCH_URL": "search.html",
    "SEARCH_BUNDLE": "pagefind",  # the index and Pagefind's script, under the site's root
}
WASM = "'wasm-unsafe-eval'"


def with_source(policy: str, directive: str, source: str) -> str:
    """`policy` with `source` added to `directive` (which starts from default-src when the policy lacks it)."""
    directives = [part.split() for part in policy.split(";") if part.strip()]
    names = [parts[0] for parts in directives]
    if directive not in names:
        default = next((parts[1:] for parts in directives if parts[0] == "default-src"), [])
        directives.append([directive, *default])
        names.append(directive)
    parts = directives[names.index(directive)]
    if source not in parts:
        parts.append(source)
    return "; ".join(" ".join(parts) for parts in directives)


def add_settings(settings: dict[str, Any]) -> None:
    settings.setdefault(
        "SEARCH_CONTENT_SECURITY_POLICY", with_source(settings["CONTENT_SECURITY_POLICY"], "script-src", WASM)
    )
    header = (settings.get("HTTP_HEADERS") or {}).get("Content-Security-Policy")
    if header and settings["SEARCH_SAVE_AS"]:
        by_path = settings["HTTP_HEADERS_BY_PATH"]
        by_path.setdefault(
            f"/{settings['SEARCH_SAVE_AS']}", {"Content-Security-Policy": with_source(header, "script-src", WASM)}
        )
        # the index and pagefind.js keep their names from one build to the next: revalidated at each search
        by_path.setdefault(f"/{settings['SEARCH_BUNDLE']}/*", {"Cache-Control": "no-cache"})


def add_to_templates(generator: Any) -> None:
    settings = generator.settings
    generator.env.globals["search_url"] = settings["SEARCH_URL"] if settings["SEARCH_SAVE_AS"] else ""


def index_site(pelican: Any) -> None:
    settings = pelican.settings
    if not (settings.get("SEARCH_INDEX") and settings["SEARCH_SAVE_AS"]):
        return
    try:
        write_index(pelican.output_path, settings["SEARCH_BUNDLE"])
    except SearchIndexError as error:
        report(Problem("plugins/stages/search", 0, f"{error} (is pagefind[bin] from requirements.txt installed?)"))
