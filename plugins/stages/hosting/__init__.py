"""Hosting stage: the site's HTTP headers for static hosts that read header files, _headers and .htaccess.

Written last (WIRING), so the files describe the finished site: HTTP_HEADERS (the same Content-Security-Policy
and Referrer-Policy the pages carry in ``<meta>``), CACHE_CONTROL by kind of path (``DEFAULTS``), and
HTTP_HEADERS_BY_PATH, which gives a file at the site's root ("/search.html") or a root folder ("/pagefind/*")
its own value of a header. Every path gets exactly one value of each header on every host, however the host
combines rules (README.md, Publishing, says what each host reads):

- ``_headers`` (Netlify, Cloudflare Pages; read only at the publish root, so every rule is under SITEURL's path):
  "/*" carries the security headers and no caching; each kind of path has a caching rule that no other one also
  matches ("/" and "/:page" for the root's files, "/theme/*", "/images/*", "/feeds/*"…), since Netlify lets the
  last matching rule win and Cloudflare Pages joins the values of every matching rule. A path's own rule comes
  last and first detaches the header ("! Name", which Netlify ignores and Cloudflare Pages applies), then sets
  it; a root file's rule is also written without ".html", the address Cloudflare Pages serves it at.
- ``.htaccess`` (Apache with mod_headers): "Header always set" (also on errors), the "pages" caching replaced in
  the theme and picture folders, a path's own ``<Files>``/``<If>`` section last (unset, then set); the site's
  own 404 page; ``Options -Indexes`` only with APACHE_NO_LISTINGS (a host must allow Options in .htaccess, else
  it answers 500 for every page).
- ``nginx.conf`` beside the output folder, never published (production builds): ``location`` blocks for a
  ``server { }``, each with all of its headers (``nginx_snippet``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from stages.checks.problems import Problem, report

# The site's security and caching policy; pelicanconf.py may override any of them.
# Pages load nothing but the site's own files: the policy is in every page's <meta http-equiv>
# (the theme reads CONTENT_SECURITY_POLICY) and, with the other headers, in the header files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
DEFAULTS: dict[str, Any] = {
    # "Options -Indexes" in .htaccess stops folder listings, but a host that does not allow Options in
    # .htaccess (AllowOverride without Options) then answers 500 for every page: so only on request
    "APACHE_NO_LISTINGS": False,
    "CONTENT_SECURITY_POLICY": CONTENT_SECURITY_POLICY,
    "HTTP_HEADERS": {
        # frame-ancestors works only as a header, so it is added here and not in the meta tag
        "Content-Security-Policy": CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    },
    # The theme's CSS and JS are addressed by their content hash (assets), so browsers may keep
    # them a year; pictures a week; pages (and everything else) are always revalidated.
    "CACHE_CONTROL": {
        "theme": "public, max-age=31536000, immutable",
        "images": "public, max-age=604800",
        "pages": "no-cache",
    },
    # path -> {header: value}, replacing the site-wide value of that header for the path (see above)
    "HTTP_HEADERS_BY_PATH": {},
}
NGINX_SNIPPET = "nginx.conf"  # written beside the output folder by a production build
_ROOT_FILE = re.compile(r"^/[A-Za-z0-9._-]+$")
_ROOT_FOLDER = re.compile(r"^/[A-Za-z0-9._-]+/\*$")


def check_paths(by_path: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with HTTP_HEADERS_BY_PATH's paths (each must be a root file or a root folder's "/*")."""
    return [
        f"HTTP_HEADERS_BY_PATH: '{path}' is not a file or a folder at the site's root (write '/search.html' or '/pagefind/*')"
        for path in by_path
        if not (_ROOT_FILE.match(path) or _ROOT_FOLDER.match(path))
    ]


@dataclass
class Policy:
    """What every header file says: the site-wide headers, CACHE_CONTROL, the theme's and the pictures' folders,
    SITEURL's path on the host ("/healing"; "" at a domain's root and for a development build), and the
    headers of HTTP_HEADERS_BY_PATH."""

    headers: dict[str, str]
    caching: dict[str, str]
    theme: str
    pictures: set[str]
    prefix: str
    by_path: dict[str, dict[str, str]]

    def folders(self) -> list[tuple[str, list[str]]]:
        return [("theme", [self.theme]), ("images", sorted(self.pictures))]


def caching_rules(output: Path, policy: Policy) -> dict[str, str]:
    """{_headers path pattern: the CACHE_CONTROL kind} for every file in `output`, with no two patterns
    matching one path: the root's files, then one rule per top-level folder."""
    rules = {"/": "pages", "/:page": "pages"}  # "/:page": one path segment, e.g. /x.html or /x (pretty URLs)
    for folder in sorted(p.name for p in output.iterdir() if p.is_dir()):
        rules[f"/{folder}/*"] = (
            "theme" if folder == policy.theme else "images" if folder in policy.pictures else "pages"
        )
    return {pattern: kind for pattern, kind in rules.items() if policy.caching.get(kind)}


def netlify_headers(policy: Policy, rules: dict[str, str]) -> str:
    """_headers, every rule under SITEURL's path (e.g. "/healing"): hosts read it at the publish root."""
    blocks: dict[str, dict[str, str]] = {"/*": policy.headers} if policy.headers else {}
    blocks |= {pattern: {"Cache-Control": policy.caching[kind]} for pattern, kind in rules.items()}
    text = "".join(
        policy.prefix + pattern + "\n" + "".join(f"  {name}: {value}\n" for name, value in values.items())
        for pattern, values in blocks.items()
    )
    for path, values in policy.by_path.items():
        patterns = [path, path.removesuffix(".html")] if path.endswith(".html") and _ROOT_FILE.match(path) else [path]
        for pattern in patterns:
            text += (
                policy.prefix
                + pattern
                + "\n"
                + "".join(f"  ! {name}\n  {name}: {value}\n" for name, value in values.items())
            )
    return text


def apache_headers(policy: Policy, no_listings: bool = False) -> str:
    caching = policy.caching
    lines = [f'  Header always set {name} "{value}"' for name, value in policy.headers.items()]
    if caching.get("pages"):
        lines.append(f'  Header set Cache-Control "{caching["pages"]}"')
    for kind, folders in policy.folders():
        if caching.get(kind) and folders:
            alternatives = "|".join(re.escape(folder) for folder in folders)
            lines += [
                f'  <If "%{{REQUEST_URI}} =~ m#/(?:{alternatives})/#">',
                f'    Header set Cache-Control "{caching[kind]}"',
                "  </If>",
            ]
    for path, values in policy.by_path.items():
        name = path.strip("/").removesuffix("/*")
        if _ROOT_FILE.match(path):
            opening, closing = f'  <Files "{name}">', "  </Files>"
        else:
            opening, closing = f'  <If "%{{REQUEST_URI}} =~ m#/{re.escape(name)}/#">', "  </If>"
        lines.append(opening)
        for header, value in values.items():
            lines += [f"    Header unset {header}", f'    Header always set {header} "{value}"']
        lines.append(closing)
    options = "# no folder listings (APACHE_NO_LISTINGS): needs 'AllowOverride Options' (or All) on the host\nOptions -Indexes\n"
    return (
        "# Written by the build (plugins/stages/hosting): the site's own 404 page and the headers of _headers.\n"
        + (options if no_listings else "")
        + f"ErrorDocument 404 {policy.prefix}/404.html\n"
        "<IfModule mod_headers.c>\n" + "\n".join(lines) + "\n</IfModule>\n"
    )


def nginx_snippet(policy: Policy) -> str:
    """nginx's `location` blocks for the site at SITEURL's path, to include in a `server { }` whose `root` holds the
    site's folder (root/healing/ for "/healing"). nginx drops inherited add_header lines in any block that has
    its own, so every location repeats all of its headers, each `always` (also on errors)."""
    prefix = policy.prefix
    site = {**policy.headers, "Cache-Control": policy.caching.get("pages", "")}
    nested: dict[str, dict[str, str]] = {}
    for kind, folders in policy.folders():
        for folder in folders:
            nested[f"{prefix}/{folder}/"] = {**site, "Cache-Control": policy.caching.get(kind, "")}
    for path, values in policy.by_path.items():
        key = f"= {prefix}{path}" if _ROOT_FILE.match(path) else prefix + path.removesuffix("*")
        nested[key] = {**nested.get(key, site), **values}

    def add(values: dict[str, str], indent: str) -> str:
        # a JSON string is an nginx string: in double quotes, with \" and \\
        return "".join(
            f"{indent}add_header {name} {json.dumps(value, ensure_ascii=False)} always;\n"
            for name, value in values.items()
            if value
        )

    return (
        "# Written by the build (plugins/stages/hosting) for its SITEURL: the headers of _headers, the site's own 404\n"
        "# page, no header files. Include it in a server { } block whose root holds the site (see README.md).\n"
        + (f"location = {prefix} {{\n    absolute_redirect off;\n    return 301 {prefix}/;\n}}\n" if prefix else "")
        + f"location ^~ {prefix}/ {{\n    index index.html;\n    autoindex off;\n"
        f"    error_page 403 404 =404 {prefix}/404.html;\n"
        + add(site, "    ")
        + "    # the header files and other dot-files are for the host, not for readers\n"
        "    location ~ /(?:_headers|\\.[^/]*)$ {\n        return 404;\n    }\n"
        + "".join(f"    location {key} {{\n{add(values, '        ')}    }}\n" for key, values in nested.items())
        + "}\n"
    )


def write_header_files(pelican: Any) -> None:
    settings = pelican.settings
    by_path = settings.get("HTTP_HEADERS_BY_PATH") or {}
    for mistake in (mistakes := check_paths(by_path)):
        report(Problem("pelicanconf.py", 0, mistake))
    if mistakes:
        return
    theme, output, siteurl = settings["THEME_STATIC_DIR"], Path(pelican.output_path), settings.get("SITEURL") or ""
    static = {path.strip("/").split("/")[0] for path in settings.get("STATIC_PATHS", [])}
    pictures = {p.name for p in output.iterdir() if p.is_dir() and p.name in static and p.name != theme}
    prefix = urlsplit(siteurl).path.rstrip("/") if "://" in siteurl else ""
    headers, caching = settings.get("HTTP_HEADERS") or {}, settings.get("CACHE_CONTROL") or {}
    policy = Policy(headers, caching, theme, pictures, prefix, by_path)
    (output / "_headers").write_text(netlify_headers(policy, caching_rules(output, policy)), encoding="utf-8")
    if "://" in siteurl:  # a production build: its nginx snippet beside output/, never published
        (output.parent / NGINX_SNIPPET).write_text(nginx_snippet(policy), encoding="utf-8")
    no_listings = bool(settings.get("APACHE_NO_LISTINGS"))
    (output / ".htaccess").write_text(apache_headers(policy, no_listings), encoding="utf-8")
