"""The site leans on a few Pelican internals, all in stages/pelican_compat.py: if an upgrade of Pelican changes
one of them, a test here fails and names it, instead of a build failing somewhere else."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from stages import pelican_compat


def article(html: str) -> Article:
    settings = {**DEFAULT_CONFIG, "PATH": "/tmp"}
    return Article(
        html,
        metadata={"title": "Zq", "date": __import__("datetime").datetime(2026, 1, 2)},
        settings=settings,
        source_path="/tmp/zq.md",
    )


def test_replacing_an_articles_html_changes_what_pelican_gives_to_templates():
    item = article("<p>before</p>")
    assert item.content == "<p>before</p>"  # fills Pelican's memo for this item
    pelican_compat.replace_content_html(item, "<p>after</p>")
    assert pelican_compat.content_html(item) == "<p>after</p>"
    assert item.content == "<p>after</p>", "Content keeps its HTML in _content and memoizes get_content"


def test_clearing_the_memoized_caches_lets_go_of_every_article():
    item = article("<p>x</p>")
    assert item.content and item.summary is not None
    assert pelican_compat.clear_memoized_caches() >= 1, "Content.get_content / get_summary are memoized"
    assert pelican_compat.clear_memoized_caches() == 0


def test_an_address_can_be_set_as_a_save_as_line_would():
    item = article("<p>x</p>")
    pelican_compat.set_address(item, "zq-elsewhere.html")
    assert item.save_as == "zq-elsewhere.html"
    assert item.url == "zq-elsewhere.html"


def test_a_warning_logged_again_in_a_later_build_of_the_same_process_is_seen_again():
    seen = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    logger = logging.getLogger("pelican.zq-test")
    handler = Collect()
    logger.addHandler(handler)
    try:
        logger.warning("zq: the same warning")
        logger.warning("zq: the same warning")
        assert seen == ["zq: the same warning"], "Pelican's LimitFilter drops repeats within a build"
        pelican_compat.reset_log_deduplication()
        logger.warning("zq: the same warning")
        assert seen == ["zq: the same warning"] * 2
    finally:
        logger.removeHandler(handler)


def test_pelicans_follow_up_messages_are_still_the_ones_the_site_filters():
    import pelican.cache
    import pelican.contents
    import pelican.generators

    modules = (pelican.generators, pelican.contents, pelican.cache, pelican.readers)
    sources = "".join(Path(module.__file__).read_text() for module in modules)
    for message in pelican_compat.FOLLOW_UP_MESSAGES:  # as written in Pelican's source, escapes and all
        assert message.replace("\n", "\\n").replace("\t", "\\t") in sources, f"Pelican no longer logs {message!r}"
    record = logging.LogRecord("pelican", logging.ERROR, "", 0, "Could not process %s", ("zq.md",), None)
    assert pelican_compat.is_follow_up(record, ["content/zq.md"])
    assert not pelican_compat.is_follow_up(record, ["content/other.md"])


def test_items_from_pelicans_generator_cache_are_found_and_link_within_this_build(tmp_path):
    import os

    from pelican import Pelican, signals
    from pelican.settings import read_settings

    content = tmp_path / "content"
    content.mkdir()
    (content / "images").mkdir()
    (content / "images" / "zq.png").write_bytes(b"zq")
    (content / "zq-a.md").write_text("Title: Zq A\nDate: 2026-01-02\n\n![Zq]({static}images/zq.png)\n")
    (content / "zq-b.md").write_text("Title: Zq B\nDate: 2026-01-03\n\nText.\n")
    seen: list[list[str]] = []

    def collect(generator):
        seen.append(sorted(item.slug for item in pelican_compat.from_cache(generator)))
        assert all(item._context is generator.context for item in pelican_compat.all_items(generator))

    from stages import WIRING

    for signal, handler, _ in WIRING:  # vanilla Pelican: without the site's handlers another test connected
        signal.disconnect(handler)
    signals.article_generator_finalized.connect(collect)
    try:
        for run in range(2):
            if run:
                os.utime(content / "zq-b.md", ns=(1, 1))  # a changed file is read again
            settings = read_settings(
                override={
                    "PATH": str(content),
                    "OUTPUT_PATH": str(tmp_path / f"out-{run}"),
                    "CACHE_PATH": str(tmp_path / "cache"),
                    "CACHE_CONTENT": True,
                    "LOAD_CONTENT_CACHE": True,
                    "CONTENT_CACHING_LAYER": "generator",
                }
            )
            Pelican(settings).run()
    finally:
        signals.article_generator_finalized.disconnect(collect)
        for signal, handler, _ in WIRING:
            signal.connect(handler)
    assert seen == [[], ["zq-a"]]
    # the picture is known to this build's context only (Pelican finds static files after the articles)
    assert '<img alt="Zq" src="/images/zq.png"' in (tmp_path / "out-1" / "zq-a.html").read_text()


def test_all_items_holds_every_status_of_articles_and_pages():
    from pelican.generators import ArticlesGenerator, PagesGenerator

    lists = {"articles", "translations", "drafts", "drafts_translations", "hidden_articles", "hidden_translations"}
    pages = {"pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations"}
    for kind, names in ((ArticlesGenerator, lists), (PagesGenerator, pages)):
        generator = kind.__new__(kind)
        for n, name in enumerate(sorted(names)):
            setattr(generator, name, [f"{name}-{n}"])
        assert sorted(pelican_compat.all_items(generator)) == sorted(
            f"{name}-{n}" for n, name in enumerate(sorted(names))
        )


def test_the_console_summary_can_be_turned_off_for_a_run(capsys):
    from pelican import console

    with pelican_compat.quiet_console():
        console.print("zq: a summary")
    console.print("zq: after")
    assert capsys.readouterr().out.strip() == "zq: after"


def test_pelican_still_says_which_metadata_keys_a_file_may_give_twice():
    once = {key for key, allowed in pelican_compat.DUPLICATES_DEFINITIONS_ALLOWED.items() if not allowed}
    assert {"date", "category", "slug", "status", "save_as"} <= once
