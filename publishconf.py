"""Pelican settings for production: pelicanconf.py, then only what differs when publishing."""

import os
import re
import sys
from urllib.parse import urlsplit

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# Characters a web address never needs, which could end an HTML attribute, a feed's XML or a header
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`^{|}]")


def checked_siteurl(value: str) -> str:
    """SITEURL as the pages use it: an http(s) address with a host, without user:password@, query or fragment,
    and without a trailing slash. Anything else stops the build (SystemExit: a message, no traceback) before a
    page is written, so that no page, feed or sitemap is published with it."""
    problem = ""
    unsafe = _UNSAFE.search(value)
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        parts = urlsplit("")
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # not a number, or above 65535
        port_ok = False
    if unsafe:
        problem = f"holds {unsafe.group(0)!r} (spaces, line breaks, control characters, quotes and <> are not allowed)"
    elif parts.scheme not in ("http", "https"):
        problem = "is not a web address starting with https:// or http://"
    elif not parts.hostname:
        problem = "has no host name"
    elif not port_ok:
        problem = "has a port that is not a number from 1 to 65535"
    elif "@" in parts.netloc:
        problem = "holds a user name or password (user:password@), which every page would publish"
    elif parts.query or parts.fragment or "?" in value or "#" in value:
        problem = "has a query ('?…') or fragment ('#…'), which the site's addresses cannot continue"
    if problem:
        raise SystemExit(
            f"publishconf.py: SITEURL={value!r} {problem}. Set SITEURL to the address the site is served from, "
            "e.g. SITEURL=https://example.org/healing. Nothing was built, and output/ was left as it was."
        )
    # the scheme and host in lower case (HTTPS://Example.org is https://example.org), the path as written
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path}".rstrip("/")


# Absolute URLs for the address the site is served from, e.g. SITEURL=https://example.org/healing.
# The default is the local preview's address (`invoke production --serve`); `invoke publish` requires
# SITEURL to be set.
SITEURL = checked_siteurl(os.environ.get("SITEURL", "http://127.0.0.1:8000"))
RELATIVE_URLS = False

# Drafts (Status: draft) are never published: no page, no listing, no feed or sitemap entry
DRAFT_SAVE_AS = DRAFT_URL = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL = ""
SHOW_DRAFTS = False

# Feeds of articles, for feed readers
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
