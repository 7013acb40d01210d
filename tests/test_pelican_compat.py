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

    modules = (pelican.generators, pelican.contents, pelican.cache)
    sources = "".join(Path(module.__file__).read_text() for module in modules)
    for message in pelican_compat.FOLLOW_UP_MESSAGES:
        if "Author" in message or "Tag" in message:
            message = message.replace("Author", "Category").replace("Tag", "Category")
        assert message.split("%s")[0] in sources, f"Pelican no longer logs {message!r}"
    record = logging.LogRecord("pelican", logging.ERROR, "", 0, "Could not process %s", ("zq.md",), None)
    assert pelican_compat.is_follow_up(record, ["content/zq.md"])
    assert not pelican_compat.is_follow_up(record, ["content/other.md"])


def test_remembered_source_paths_answer_as_pelican_does(tmp_path):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path / "content")}
    source = str(tmp_path / "content" / "zq" / "x.md")
    item = Article("<p>x</p>", metadata={"title": "Zq"}, settings=settings, source_path=source)
    expected = (
        pelican_compat._PELICAN_RELATIVE_SOURCE_PATH(item),
        pelican_compat._PELICAN_RELATIVE_SOURCE_PATH(item, "zq/y.png"),
        pelican_compat._PELICAN_RELATIVE_DIR.fget(item),
    )
    pelican_compat.remember_source_paths()
    assert (item.get_relative_source_path(), item.get_relative_source_path("zq/y.png"), item.relative_dir) == expected
    assert expected == ("zq/x.md", "zq/y.png", "zq")


def test_a_linking_writer_links_keeps_pelicans_checks_and_never_writes_into_the_linked_file(tmp_path):
    import pytest
    from pelican.writers import FileOverwriteFailedError

    previous = tmp_path / "previous.html"
    previous.write_text("before")
    writer = pelican_compat.LinkingWriter(str(tmp_path / "out"), settings={})
    (tmp_path / "out").mkdir()
    target = str(tmp_path / "out" / "zq.html")
    writer.links[target] = previous
    with writer._open_w(target, "utf-8") as file:
        file.write("dropped")
    assert Path(target).read_text() == "before" and Path(target).stat().st_ino == previous.stat().st_ino
    with pytest.raises(FileOverwriteFailedError):  # Pelican refuses a second write, as for any file
        writer._open_w(target, "utf-8")
    with writer._open_w(target, "utf-8", override=True) as file:  # an override writes a file of its own
        file.write("after")
    assert Path(target).read_text() == "after" and previous.read_text() == "before"
