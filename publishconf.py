"""Pelican settings for production: pelicanconf.py, then only what differs when publishing."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# Absolute URLs for the address the site is served from, e.g. SITEURL=https://example.org/healing.
# Empty (the default) gives root-relative links: the site must then be served at a domain root.
SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False

# Feeds of articles, for feed readers
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
