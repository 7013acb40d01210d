"""Pelican settings for development: `make serve`, `make build` and the tests read these."""

# The site and its author
AUTHOR = "Nancy"
SITENAME = "The Energy Healing Site"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

# Where the sources are, and where the site is written
PATH = "content"
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]  # diagrams; files for the site's root
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
    "extra/.nojekyll": {"path": ".nojekyll"},  # GitHub Pages: serve the files as they are
}
THEME = "theme"
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False  # a failed build must not leave an empty output/

# Local plugins: heading ids (headings), points and step lists (selfcare), captioned diagrams (figures), JSON-LD
# (structureddata), content hashes in theme file URLs (assets), checks that name the file at fault (contentcheck, linkguard),
# rel="noopener" on outside links, header files for static hosts (hostheaders), sitemap.xml
# and robots.txt (discovery)
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["headings", "selfcare", "figures", "structureddata", "assets", "contentcheck", "linkguard",
           "outboundlinks", "hostheaders", "discovery"]

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
DEFAULT_PAGINATION = False
USE_FOLDER_AS_CATEGORY = False  # an article names its hub with a Category: line

# No feeds while developing (publishconf.py turns them on)
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

# Markdown: attribute lists, call-outs, tables (heading ids come from the headings plugin; points,
# steps and figures from selfcare and figures). Each extension costs time on every page, so only
# what the content uses is on.
# This replaces Pelican's default, so everything wanted is listed. No smarty: Nancy's quotes and
# dashes stay exactly as she typed them.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.attr_list": {},
        "markdown.extensions.admonition": {},
        "markdown.extensions.tables": {},
    },
    "output_format": "html5",
}

# Templates escape every value unless it is marked safe (only rendered content is)
JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# The theme's links to the book and support pages (slugs of content/pages/*.md), and the
# outside addresses behind them: each is shown only when it is set.
BOOK_PAGE = "chakra-care"
SUPPORT_PAGE = "support"
BOOK_PURCHASE_URL = ""
DONATION_URL = ""

# Security: pages load nothing but the site's own files. The policy is in every page's
# <meta http-equiv> and, with the rest of the headers, in _headers and .htaccess (hostheaders).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
HTTP_HEADERS = {
    # frame-ancestors works only as a header, so it is added here and not in the meta tag
    "Content-Security-Policy": CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# Caching, in the same header files: the theme's CSS and JS are addressed by their content hash
# (assets plugin), so browsers may keep them a year; diagrams a week; pages are always revalidated.
CACHE_CONTROL = {
    "theme": "public, max-age=31536000, immutable",
    "images": "public, max-age=604800",
    "pages": "no-cache",
}
