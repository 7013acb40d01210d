"""The content allow-list: what a page's HTML may hold once Markdown has run, enforced by nh3 (Rust's ammonia).

Markdown is converted first (attribute lists applied, reference links resolved), then the HTML is
read by nh3, which parses it as a browser does (entities decoded, tags split over lines joined) in
linear time. Whatever nh3 would remove or change is a problem, reported with the line of the source
it came from; the page publishes nh3's output, so nothing off the list can reach a reader even if a
report were missed. Comments are removed without a word (a private note never reaches the site).

The site's own Markdown steps add a few attributes content may not write itself: a point's slot
(``data-point-slot``: one of this file's points, once) and a step list's ``data-steps``. Ids must be
unique on the page, and neither a point's id nor one the theme uses (``RESERVED_IDS``).
"""

from __future__ import annotations

import html as html_module
from collections.abc import Callable
from urllib.parse import urlsplit

import nh3

from stages.markup.outline import INSTRUCTIONS_MARK

# Elements content may use: text, lists, tables, figures, the site's point slot (<section>)
TAGS = set(
    "a abbr b blockquote br caption cite code dd del details dfn div dl dt em figcaption figure h1 h2 h3 "
    "h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp section small span strong sub summary sup table "
    "tbody td tfoot th thead time tr u ul var wbr".split()
)
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "reversed", "type", "data-steps"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
    "section": {"data-point-slot", "data-level"},
}
URL_ATTRIBUTES = {"href", "src", "cite"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Ids the theme gives its own parts of a page (its templates and components): content may not use them
RESERVED_IDS = set(
    "maincontent safety-note glance-title book-promo-heading hub-list-heading related-heading search-topics-heading "
    "site-menu-pages site-menu-topics".split()
)
# Every element name HTML, SVG and MathML know of: those not in TAGS are found by name (see removed_elements)
_KNOWN = (
    "address applet area article aside audio base basefont bdi bdo bgsound big blink body button canvas "
    "center col colgroup data datalist dialog dir embed fieldset font footer form frame frameset head header "
    "hgroup html iframe image input isindex keygen label legend link listing main map marquee math menu "
    "menuitem meta meter nav nextid nobr noembed noframes noscript object optgroup option output param "
    "picture plaintext portal progress rb rp rt rtc ruby script search select slot source strike style svg "
    "template textarea title track tt video xmp acronym"
).split()
MAX_PROBLEMS = 20
# keeps the site's own marker where the instructions start (markup.outline) through the comment-stripping
_KEEP = "\ue000site-instructions\ue001"


Refusal = tuple[str, str, str, int]  # tag, attribute ("" for the element), message, which occurrence


def sanitize(html: str, point_ids: set[str], resolve: Callable[[str], str] = str) -> tuple[str, list[Refusal]]:
    """The HTML as the page publishes it, and what the allow-list refused in it, in the order found (at most
    ``MAX_PROBLEMS``); an id used twice is the second occurrence of its value. `resolve` may rewrite an address
    (``{filename}pages/x.md`` as ``{filename}/pages/x.md``, from content/, when that is where the file is)."""
    found: list[Refusal] = []
    slots: set[str] = set()
    ids: set[str] = set()

    def seen(tag: str, name: str, value: str) -> str:
        if len(found) < MAX_PROBLEMS and (message := attribute_mistake(tag, name, value, point_ids, slots, ids)):
            found.append((tag, name, message, 2 if " used twice " in message else 1))
        return value

    # every attribute of every element, as a browser reads it: with no element allowed, nh3 shows each one
    nh3.clean(html, tags=set(), attribute_filter=seen, link_rel=None)
    found.extend((tag, "", element_mistake(tag), 1) for tag in removed_elements(html))
    protected = html.replace(INSTRUCTIONS_MARK, _KEEP, 1)

    def addresses(tag: str, name: str, value: str) -> str:
        return resolve(value) if name in URL_ATTRIBUTES else value

    kept = nh3.clean(
        protected,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel=None,
        attribute_filter=addresses,
    )
    return kept.replace(_KEEP, INSTRUCTIONS_MARK, 1), found[:MAX_PROBLEMS]


def removed_elements(html: str) -> list[str]:
    """The elements HTML knows that are not on the list, by name: with every known element allowed and no
    attribute, nh3 writes each as ``<name>``, which one search finds."""
    if "<" not in html:
        return []
    bare = nh3.clean(html, tags={*TAGS, *_KNOWN}, attributes={}, clean_content_tags=set(), strip_comments=True)
    return [tag for tag in _KNOWN if f"<{tag}>" in bare]


def element_mistake(tag: str) -> str:
    return f"<{tag}> is not allowed in content: pages hold text, links, pictures, lists and tables written in Markdown (the theme makes every control); remove it"


def attribute_mistake(tag: str, name: str, value: str, point_ids: set[str], slots: set[str], ids: set[str]) -> str:
    """What is wrong with one attribute of the content's HTML, or ""."""
    if tag not in TAGS:
        return ""  # the element itself is refused
    if name not in ATTRIBUTES["*"] and name not in ATTRIBUTES.get(tag, ()):
        why = (
            "a script in the page"
            if name.startswith("on")
            else "the theme styles every page"
            if name == "style"
            else "the site's own scripts and search read these, so content may not set them"
            if name.startswith("data-")
            else "it is not one content may use"
        )
        return f"the '{name}=' attribute on <{tag}> is not allowed in content ({why}); remove it"
    if tag == "img" and name == "alt" and not value.strip():
        return "a picture written '![](' has no description: write what it shows between the square brackets, ![what the picture shows](…) (it is what a reader who cannot see the picture hears)"
    if name == "data-point-slot":  # the site's own (markup.points), for one of this file's points, once
        if value not in point_ids or value in slots:
            return f"'data-point-slot=\"{value}\"' is the site's own marker for a point block; write a 'Point:' block"
        slots.add(value)
    if name == "id":
        if value in ids:
            return f"the id '{value}' is used twice on the page (a link to '#{value}' could lead to either); rename one"
        ids.add(value)
        if value in RESERVED_IDS or value in point_ids:
            owner = f"point {value.upper()}" if value in point_ids else "the site's own part of the page"
            return f"the id '{value}' belongs to {owner} (links to '#{value}' lead there); choose another id"
    if name in URL_ATTRIBUTES:
        return url_mistake(tag, name, value)
    return ""


def url_mistake(tag: str, name: str, value: str) -> str:
    bare = "".join(value.split()).lower()
    try:
        scheme = urlsplit(bare).scheme
    except ValueError:
        return f"the address '{value[:60]}' cannot be read; write it again"
    if tag == "img" and name == "src" and (scheme in ("http", "https") or bare.startswith("//")):
        return f"the picture '{value[:60]}' is on another site, which the site's security policy does not load (readers would see a broken picture): save it into content/images/ and write ![what it shows]({{static}}images/NAME)"
    if bare.startswith("/") and not bare.startswith("//"):
        return f"the link '{value[:60]}' starts with '/', so it works only when the site is at a domain's root (not under a folder, nor in the preview of a file): write [text]({{filename}}FILE.md) for a page, or [text]({{category}}Hub Name) for a hub"
    if scheme and scheme not in URL_SCHEMES:
        return f"a '{scheme}:' address is not allowed in content: it could run code or hide what it opens. Link to a page (e.g. [text]({{filename}}page.md)) or a web address (https://…)"
    return ""


def source_line(lines: list[str], first_line: int, refusal: Refusal) -> int:
    """The line of the source a refused element or attribute was most likely written on: the first (or the
    `nth`) that names it, with entities decoded (``javascript&colon;`` is found as ``javascript:``)."""
    tag, name, message, nth = refusal
    needles = [f"{name}=", f"{name} ="] if name else [f"<{tag}"]
    quoted = message.split("'")
    if name and len(quoted) > 2:
        needles.insert(0, quoted[1][:40])  # the value the message names
    for index, line in enumerate(lines):
        text = html_module.unescape(line).lower() if "&" in line else line.lower()
        if any(needle.lower() in text for needle in needles if needle):
            nth -= 1
            if nth == 0:
                return first_line + index
    return first_line
