"""Pelican settings for development (`make serve`, `make build`, the tests): Nancy's choices for her site.

How the site is built (Markdown, checks, headers, caching) is the plugins' business, each with its
own defaults: see docs/ARCHITECTURE.md.
"""

# The site and its author
AUTHOR = "Nancy"
SITENAME = "The Energy Healing Site"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

# Where the sources are, and where the site is written
PATH = "content"
PAGE_PATHS = ["pages"]
# Short texts the theme shows on many pages, e.g. snippets/self-care-safety.md, the safety note of
# every self-care article: never pages of their own
SNIPPET_PATHS = ["snippets"]
STATIC_PATHS = ["images", "extra"]  # pictures; files for the site's root
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
    "extra/.nojekyll": {"path": ".nojekyll"},  # GitHub Pages: serve the files as they are
}
THEME = "theme"
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False  # a failed build must not leave an empty output/

# The build's stages (plugins/stages, one package each; docs/ARCHITECTURE.md): Markdown with points,
# steps and figures; hubs that grow by themselves; checks that name file and line; search engines;
# fingerprinted assets; the site's own search (Pagefind); offline reading (a service worker); header
# files for static hosts
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["stages"]  # the one plugin: its WIRING list (plugins/stages/__init__.py) is the architecture

# Flat URLs, as on the original site: /acupressure-for-back-pain.html, /natural-pain-relief.html
ARTICLE_URL = ARTICLE_SAVE_AS = "{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
CATEGORY_URL = CATEGORY_SAVE_AS = "{slug}.html"  # a category page is a hub, e.g. Natural Pain Relief
RELATIVE_URLS = True  # the development build works from any folder or file://

# Only the pages the site has: the home page is content/pages/home.md, plus 404.html; no blog
# index, tag, author or archive pages
DIRECT_TEMPLATES = ["404"]
TAG_SAVE_AS = TAGS_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
USE_FOLDER_AS_CATEGORY = False  # an article names its hub with a Category: line

# Hubs: content/hubs/<name>.md introduces a hub (optional); a hub's list has 30 articles a page,
# the next pages at natural-pain-relief/page/2/; pages with "Menu: yes" are in the header's menu
DEFAULT_PAGINATION = False
PAGINATED_TEMPLATES = {"category": 30}
PAGINATION_PATTERNS = [
    (1, "{name}{extension}", "{name}{extension}"),
    (2, "{name}/page/{number}/", "{name}/page/{number}/index.html"),
]

# Drafts (Status: draft) are shown, marked, by the preview and the development build; never published
SHOW_DRAFTS = True

# No feeds while developing (publishconf.py turns them on)
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Templates escape every value unless it is marked safe (only rendered content is)
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# The theme's links to the book and support pages (slugs of content/pages/*.md), and the
# outside addresses behind them: each is shown only when it is set.
BOOK_PAGE = "chakra-care"
SUPPORT_PAGE = "support"
BOOK_PURCHASE_URL = ""
DONATION_URL = ""
