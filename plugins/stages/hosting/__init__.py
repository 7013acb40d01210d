"""Hosting stage: the site's HTTP headers for static hosts that read header files, _headers and .htaccess.

Signal ``finalized``. The headers come from HTTP_HEADERS (the Content-Security-Policy among them,
the same policy the pages carry in ``<meta http-equiv>``), and caching from CACHE_CONTROL:
"theme" (the theme's fingerprinted files, under THEME_STATIC_DIR), "images", and "pages" (HTML):
- ``_headers``: Netlify and Cloudflare Pages ("/*" then indented "Name: value" lines);
- ``.htaccess``: Apache with mod_headers ("Header always set Name "value"").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

# The site's security and caching policy; pelicanconf.py may override any of them.
# Pages load nothing but the site's own files: the policy is in every page's <meta http-equiv>
# (the theme reads CONTENT_SECURITY_POLICY) and, with the other headers, in the header files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
DEFAULTS: dict[str, Any] = {
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
    # them a year; diagrams a week; pages are always revalidated.
    "CACHE_CONTROL": {
        "theme": "public, max-age=31536000, immutable",
        "images": "public, max-age=604800",
        "pages": "no-cache",
    },
}


def apply_defaults(pelican: Any) -> None:
    for name, value in DEFAULTS.items():
        pelican.settings.setdefault(name, value)


def netlify_headers(headers: dict[str, str], caching: dict[str, str], theme: str) -> str:
    rules = {"/*": headers}
    if caching.get("theme"):
        rules[f"/{theme}/*"] = {"Cache-Control": caching["theme"]}
    if caching.get("images"):
        rules["/images/*"] = {"Cache-Control": caching["images"]}
    return "".join(
        pattern + "\n" + "".join(f"  {name}: {value}\n" for name, value in values.items())
        for pattern, values in rules.items()
    )


def apache_headers(headers: dict[str, str], caching: dict[str, str], theme: str) -> str:
    lines = [f'  Header always set {name} "{value}"' for name, value in headers.items()]
    matches = {"pages": r"\.html$", "images": r"\.svg$"}
    for kind, pattern in matches.items():
        if caching.get(kind):
            lines += [
                f'  <FilesMatch "{pattern}">',
                f'    Header set Cache-Control "{caching[kind]}"',
                "  </FilesMatch>",
            ]
    if caching.get("theme"):
        lines += [
            f'  <If "%{{REQUEST_URI}} =~ m#/{theme}/#">',
            f'    Header set Cache-Control "{caching["theme"]}"',
            "  </If>",
        ]
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
    signals.initialized.connect(apply_defaults)
    signals.finalized.connect(write_header_files)
