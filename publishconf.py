"""Pelican settings for production: pelicanconf.py, then only what differs when publishing."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# Absolute URLs for the address the site is served from, e.g. SITEURL=https://example.org/healing.
# The default is the local preview's address (`invoke preview --serve`); `invoke publish` requires
# SITEURL to be set.
SITEURL = os.environ.get("SITEURL", "http://127.0.0.1:8000").rstrip("/")
RELATIVE_URLS = False

# Drafts (Status: draft) are never published: no page, no listing, no feed or sitemap entry
DRAFT_SAVE_AS = DRAFT_URL = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL = ""
SHOW_DRAFTS = False

# Feeds of articles, for feed readers
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
