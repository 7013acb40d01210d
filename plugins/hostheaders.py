"""Writes the site's HTTP headers for static hosts that read header files: _headers and .htaccess.

The headers come from the HTTP_HEADERS setting (the Content-Security-Policy among them), so the
`<meta http-equiv>` policy in the pages and the header files cannot drift apart:
- ``_headers``: Netlify and Cloudflare Pages style ("/*" then indented "Name: value" lines);
- ``.htaccess``: Apache with mod_headers ("Header always set Name "value"").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals


def netlify_headers(headers: dict[str, str]) -> str:
    return "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items())


def apache_headers(headers: dict[str, str]) -> str:
    lines = "".join(f'  Header always set {name} "{value}"\n' for name, value in headers.items())
    return f"<IfModule mod_headers.c>\n{lines}</IfModule>\n"


def write_header_files(pelican: Any) -> None:
    headers = pelican.settings.get("HTTP_HEADERS") or {}
    if not headers:
        return
    output = Path(pelican.output_path)
    (output / "_headers").write_text(netlify_headers(headers), encoding="utf-8")
    (output / ".htaccess").write_text(apache_headers(headers), encoding="utf-8")


def register() -> None:
    signals.finalized.connect(write_header_files)
