"""Writes the site's HTTP headers for static hosts that read header files: _headers and .htaccess.

The headers come from the HTTP_HEADERS setting (the Content-Security-Policy among them), so the
`<meta http-equiv>` policy in the pages and the header files cannot drift apart, and caching from
CACHE_CONTROL: "theme" (the theme's files, under THEME_STATIC_DIR), "images", and "pages" (HTML):
- ``_headers``: Netlify and Cloudflare Pages style ("/*" then indented "Name: value" lines);
- ``.htaccess``: Apache with mod_headers ("Header always set Name "value"").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals


def netlify_headers(headers: dict[str, str], caching: dict[str, str], theme: str) -> str:
    rules = {"/*": headers}
    if caching.get("theme"):
        rules[f"/{theme}/*"] = {"Cache-Control": caching["theme"]}
    if caching.get("images"):
        rules["/images/*"] = {"Cache-Control": caching["images"]}
    return "".join(pattern + "\n" + "".join(f"  {name}: {value}\n" for name, value in values.items())
                   for pattern, values in rules.items())


def apache_headers(headers: dict[str, str], caching: dict[str, str], theme: str) -> str:
    lines = [f'  Header always set {name} "{value}"' for name, value in headers.items()]
    matches = {"pages": r"\.html$", "images": r"\.svg$"}
    for kind, pattern in matches.items():
        if caching.get(kind):
            lines += [f'  <FilesMatch "{pattern}">', f'    Header set Cache-Control "{caching[kind]}"', "  </FilesMatch>"]
    if caching.get("theme"):
        lines += [f'  <If "%{{REQUEST_URI}} =~ m#/{theme}/#">', f'    Header set Cache-Control "{caching["theme"]}"',
                  "  </If>"]
    return "<IfModule mod_headers.c>\n" + "\n".join(lines) + "\n</IfModule>\n"


def write_header_files(pelican: Any) -> None:
    headers = pelican.settings.get("HTTP_HEADERS") or {}
    caching = pelican.settings.get("CACHE_CONTROL") or {}
    if not headers and not caching:
        return
    theme = pelican.settings["THEME_STATIC_DIR"]
    output = Path(pelican.output_path)
    (output / "_headers").write_text(netlify_headers(headers, caching, theme), encoding="utf-8")
    (output / ".htaccess").write_text(apache_headers(headers, caching, theme), encoding="utf-8")


def register() -> None:
    signals.finalized.connect(write_header_files)
