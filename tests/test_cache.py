"""The build cache: hits, misses, invalidation, and a damaged cache file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from feedtool import cache as cache_mod
from feedtool import lean
from feedtool.build import build
from feedtool.config import Config, load_config

from .conftest import tree
from .helpers import make_project

ARTICLE = """---
title: Story {n}
date: 2024-05-{day:02d}T10:00:00Z
source: Test Wire
license: CC BY 4.0
---

NAIROBI – Kenya's parliament voted on the budget on day {n}. Inflation rose again.
"""


def project(root: Path, n: int = 4, config_extra: str = "") -> Config:
    files: dict[str, str | bytes] = {f"s{i}.md": ARTICLE.format(n=i, day=i + 1) for i in range(n)}
    cfg = make_project(root, files)
    if config_extra:
        cfg.path.write_text(cfg.path.read_text(encoding="utf-8") + config_extra, encoding="utf-8")
        cfg = load_config(cfg.path)
    return cfg


def cache_file(cfg: Config) -> Path:
    return cfg.root / ".feedtool-cache" / "cache.sqlite"


def test_first_build_misses_second_hits(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    assert build(cfg, jobs=1).read == 4
    assert cache_file(cfg).is_file()
    assert (cfg.root / ".feedtool-cache" / ".gitignore").read_text() == "*\n"
    again = build(cfg, jobs=1)
    assert again.noop and again.read == 0


def test_changed_content_is_read_again(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    (cfg.content_dir / "s1.md").write_text(ARTICLE.format(n=41, day=2), encoding="utf-8")
    report = build(cfg, jobs=1)
    assert report.read == 1 and not report.noop
    assert b"day 41" in (cfg.output_dir / "articles" / "s1" / "index.html").read_bytes()


def test_large_commit_checkpoints_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = project(tmp_path / "p")
    started: list[str] = []
    real = cache_mod.BuildCache._checkpoint_soon

    def spy(self: cache_mod.BuildCache) -> None:
        real(self)
        assert self._checkpoint is not None
        started.append(self._checkpoint.name)

    monkeypatch.setattr(cache_mod, "CHECKPOINT_AFTER", 3)
    monkeypatch.setattr(cache_mod.BuildCache, "_checkpoint_soon", spy)
    assert build(cfg, jobs=1).read == 4
    assert started == ["feedtool-checkpoint"]
    # The thread was waited for and the last connection closed: the log is in the file.
    assert not Path(f"{cache_file(cfg)}-wal").exists()
    (cfg.content_dir / "s1.md").write_text(ARTICLE.format(n=41, day=2), encoding="utf-8")
    report = build(cfg, jobs=1)  # one article stored: no checkpoint of its own
    assert report.read == 1 and started == ["feedtool-checkpoint"]
    assert build(cfg, jobs=1).noop


def test_no_process_is_forked_while_the_checkpoint_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from feedtool import site_model

    cfg = project(tmp_path / "p")
    real_checkpoint = cache_mod._checkpoint

    def slow(path: Path) -> None:
        time.sleep(0.3)  # longer than making the model takes here
        real_checkpoint(path)

    seen: list[bool] = []
    real_part = site_model.related_part

    def related_part(*args: Any) -> list[tuple[int, ...]]:
        seen.append(any(t.name == "feedtool-checkpoint" for t in threading.enumerate()))
        return real_part(*args)

    monkeypatch.setattr(cache_mod, "CHECKPOINT_AFTER", 3)
    monkeypatch.setattr(cache_mod, "_checkpoint", slow)
    monkeypatch.setattr(site_model, "related_part", related_part)
    build(cfg, jobs=2)
    assert seen == [False]  # the build waited for it before related lists and pages


def test_touched_but_same_bytes_is_not_read(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    path = cfg.content_dir / "s2.md"
    path.write_bytes(path.read_bytes())  # new mtime, same content
    os.utime(path, ns=(1, 1))
    report = build(cfg, jobs=1)
    assert report.read == 0


def test_config_change_that_affects_reading_invalidates(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    other = project(tmp_path / "p", config_extra="articles:\n  timezone: Asia/Tehran\n")
    assert other.fingerprint != cfg.fingerprint
    assert build(other, jobs=1).read == 4


def test_new_feedtool_version_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    before = tree(cfg.output_dir)
    monkeypatch.setattr(cache_mod, "code_digest", lambda: "another version")
    report = build(cfg, jobs=1)
    assert report.read == 4 and report.rendered >= report.pages + report.feeds  # all of it
    assert tree(cfg.output_dir) == before


def test_corrupt_cache_is_rebuilt_not_trusted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    for suffix in ("-wal", "-shm"):
        Path(str(cache_file(cfg)) + suffix).unlink(missing_ok=True)
    cache_file(cfg).write_bytes(b"this is not a database" * 100)
    (cfg.content_dir / "s0.md").write_text(ARTICLE.format(n=7, day=1), encoding="utf-8")
    report = build(cfg, jobs=1)
    assert report.read == 4
    assert "unreadable" in caplog.text
    build(cfg, out_dir=tmp_path / "cold", cache=False, jobs=1)
    assert tree(cfg.output_dir) == tree(tmp_path / "cold")
    assert build(cfg, jobs=1).noop  # the rebuilt cache works


def test_damaged_rows_are_read_again(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    store = cache_mod.BuildCache(cache_file(cfg))
    assert store.db is not None
    store.db.execute("UPDATE articles SET blob = x'00'")
    store.db.execute("DELETE FROM meta WHERE name = 'last_build'")
    store.close()
    assert build(cfg, jobs=1).read == 4


@pytest.mark.parametrize("damage", ["last_build", "last_warnings"])
def test_a_damaged_record_of_the_last_build_builds_again(tmp_path: Path, damage: str) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    want = tree(cfg.output_dir)
    store = cache_mod.BuildCache(cache_file(cfg))
    assert store.db is not None
    store.db.execute("UPDATE meta SET value = '7b2e' WHERE name = ?", (damage,))  # hex of "{."
    store.close()
    report = build(cfg, jobs=1)
    assert not report.noop and report.articles == 4 and tree(cfg.output_dir) == want
    assert build(cfg, jobs=1).noop  # recorded again


def test_deleting_the_cache_is_safe(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    want = tree(cfg.output_dir)
    shutil.rmtree(cfg.root / ".feedtool-cache")
    report = build(cfg, jobs=1)
    assert report.read == 4 and tree(cfg.output_dir) == want


def test_no_cache_writes_no_cache(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1, cache=False)
    assert not (cfg.root / ".feedtool-cache").exists()


def test_warnings_are_replayed_on_a_noop(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"undated.md": "Just a line about Kenya's parliament.\n"})
    first = build(cfg, jobs=1)
    second = build(cfg, jobs=1)
    assert second.noop
    assert [w.format() for w in second.warnings] == [w.format() for w in first.warnings]
    assert any("no date" in w.message for w in second.warnings)


def test_article_and_sidecar_rules() -> None:
    from feedtool.article_files import article_kind, sidecar_paths

    assert article_kind("a/story.TXT") == "text" and article_kind("b.markdown") == "markdown"
    assert article_kind("notes.yaml") is None and article_kind("v1.0/README") is None
    assert sidecar_paths("a/story.Txt") == ["a/story.yaml", "a/story.yml"]
    assert sidecar_paths("a/story.md") == []  # Markdown has front matter instead


def test_a_sidecar_edit_is_seen_by_listing_and_reading(tmp_path: Path) -> None:
    """The cache's file signature and content hash cover the sidecar the reader reads."""
    from feedtool.cache import file_signature
    from feedtool.parallel import content_hash

    story = tmp_path / "story.txt"
    story.write_text("A story.\n", encoding="utf-8")
    before = (file_signature(story), content_hash(story))
    (tmp_path / "story.yml").write_text("title: Titled\n", encoding="utf-8")
    after = (file_signature(story), content_hash(story))
    assert before[0] != after[0] and before[1] != after[1]


def test_packed_text_reads_like_the_text() -> None:
    import pickle

    import jinja2

    from feedtool.lean import PackedText

    text = "<p>“Quoted” &amp; plain</p>"
    packed = PackedText(text)
    assert packed == text and str(packed) == text and len(packed) == len(text)
    assert "Quoted" in packed and packed + "!" == text + "!"
    again = pickle.loads(pickle.dumps(packed))
    assert type(again) is PackedText and again == text
    assert len(packed._packed) < len(text.encode("utf-8")) * 2
    env = jinja2.Environment(autoescape=True)
    page = env.from_string("{{ b | safe }}|{{ b }}").render(b=packed)
    assert page == text + "|" + str(jinja2.utils.markupsafe.escape(text))


def test_build_keeps_bodies_packed(tmp_path: Path) -> None:
    import pickle

    from feedtool.build import model_for
    from feedtool.lean import PackedText, dump_article

    model, _ = model_for(project(tmp_path / "p", 1))
    full = model.articles[0]
    lean = pickle.loads(dump_article(full))
    assert isinstance(lean.body_html, PackedText)
    assert str(lean.body_html) == full.body_html and "parliament" in full.body_html


def test_cached_articles_share_their_license_and_keep_their_digest(tmp_path: Path) -> None:
    import pickle

    from feedtool.build import model_for
    from feedtool.cache import load_warnings
    from feedtool.lean import dump_article

    model, _ = model_for(project(tmp_path / "p", 2))
    blobs = [dump_article(a) for a in model.articles]
    first, second = (pickle.loads(b) for b in blobs)
    assert first.license is not None and first.license == model.articles[0].license
    assert first.license is second.license
    cfg = project(tmp_path / "q", 2)
    build(cfg, jobs=1)
    store = cache_mod.BuildCache(cache_file(cfg))
    rows = list(store.iter_articles(cache_mod.read_fingerprint(cfg)))
    store.close()
    assert len(rows) == 2
    for _rel, blob, found, digest, head in rows:
        assert digest == cache_mod.blob_digest(blob)
        assert load_warnings(found) == pickle.loads(found)
        assert lean.lazy_article(head, blob) == pickle.loads(blob)


def test_damaged_compiled_templates_are_compiled_again(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    compiled = sorted((cfg.root / ".feedtool-cache" / "templates").iterdir())
    assert compiled  # the first build kept its compiled templates
    want = tree(cfg.output_dir)
    for path in compiled:
        path.write_bytes(b"\x00garbage")
    (cfg.content_dir / "s0.md").write_text(
        ARTICLE.format(n=0, day=1) + "\nA new sentence.\n", encoding="utf-8"
    )
    build(cfg, jobs=1)
    assert tree(cfg.output_dir) != want
    build(cfg, out_dir=tmp_path / "cold", cache=False, jobs=1)
    assert tree(cfg.output_dir) == tree(tmp_path / "cold")


def test_template_names_come_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2.meta

    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)

    def no_parse(ast: object) -> set[str]:
        raise AssertionError("templates parsed again")

    monkeypatch.setattr(jinja2.meta, "find_undeclared_variables", no_parse)
    (cfg.content_dir / "s1.md").write_text(
        ARTICLE.format(n=1, day=2) + "\nA new sentence.\n", encoding="utf-8"
    )
    report = build(cfg, jobs=1)
    assert report.read == 1 and report.rendered > 0
    monkeypatch.undo()
    build(cfg, out_dir=tmp_path / "cold", cache=False, jobs=1)
    assert tree(cfg.output_dir) == tree(tmp_path / "cold")


def test_a_rebuild_loads_only_the_cached_articles_it_renders_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle
    from types import SimpleNamespace

    from feedtool.model import Article

    cfg = project(tmp_path / "p", 24)
    text = cfg.path.read_text(encoding="utf-8").replace("feeds:\n", "feeds:\n  limit: 2\n")
    cfg.path.write_text(text + "pages:\n  per_page: 2\n", encoding="utf-8")
    cfg = load_config(cfg.path)
    build(cfg, jobs=1)
    loaded: list[str] = []

    def loads(data: bytes) -> object:
        value = pickle.loads(data)
        if isinstance(value, Article):  # not a head
            loaded.append(value.rel_path)
        return value

    real = {name: getattr(pickle, name) for name in ("dumps", "Pickler", "HIGHEST_PROTOCOL")}
    monkeypatch.setattr(lean, "pickle", SimpleNamespace(loads=loads, **real))
    (cfg.content_dir / "s3.md").write_text(ARTICLE.format(n=43, day=4), encoding="utf-8")
    report = build(cfg, jobs=1)
    assert report.read == 1
    # The edited article's neighbours, related articles and list-page companions: not all.
    assert "s3.md" not in loaded and 0 < len(loaded) < 12, loaded
    cold = tmp_path / "cold"
    build(cfg, out_dir=cold, cache=False, jobs=1)
    assert tree(cfg.output_dir) == tree(cold)


def test_a_lazy_article_is_the_article_it_stands_for(tmp_path: Path) -> None:
    import dataclasses
    import pickle

    from feedtool.build import model_for
    from feedtool.lean import LazyArticle
    from feedtool.taxonomy import tag_refs

    model, _ = model_for(project(tmp_path / "p", 2))
    article = model.articles[0]
    blob = lean.dump_article(article)
    full = pickle.loads(blob)  # what the cache gives back: no paragraphs, tag evidence
    lazy = lean.lazy_article(lean.dump_head(article, blob), blob)
    assert type(lazy) is LazyArticle
    assert tag_refs(lazy) == tag_refs(article)
    assert lazy.slug == article.slug and lazy.published == article.published
    assert object.__getattribute__(lazy, "_pickled") == blob  # not loaded yet
    second = lean.dump_article(model.articles[1])
    other = lean.lazy_article(lean.dump_head(model.articles[1], second), second)
    assert lazy != other  # told apart by the head, without loading either
    assert lazy == full and full == lazy and hash(lazy) == hash(full)
    assert lazy.title == article.title and str(lazy.body_html) == str(article.body_html)
    with pytest.raises(AttributeError):  # loaded: the bytes are let go
        object.__getattribute__(lazy, "_pickled")
    assert lazy.topics == full.topics and tag_refs(lazy) == tag_refs(full)
    assert repr(lazy).replace("LazyArticle(", "Article(", 1) == repr(full)
    assert type(pickle.loads(pickle.dumps(lazy))) is type(article)
    assert pickle.loads(pickle.dumps(lazy)) == full
    assert lean.dump_article(lazy) == blob
    changed = dataclasses.replace(lazy, title="Changed")
    assert changed.title == "Changed" and tag_refs(changed) == tag_refs(article)
    with pytest.raises(AttributeError):
        lazy.no_such_field  # noqa: B018


@pytest.mark.parametrize(
    "tz",
    [
        "UTC",
        "+03:00",
        "named",
        "Europe/Paris",
    ],
)
def test_a_lazy_articles_dates_are_exactly_the_articles(tmp_path: Path, tz: str) -> None:
    import dataclasses
    from datetime import UTC, datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from feedtool.build import model_for

    zone = {
        "UTC": UTC,
        "+03:00": timezone(timedelta(hours=3)),
        "named": timezone(timedelta(hours=3), "EAT"),
        "Europe/Paris": ZoneInfo("Europe/Paris"),
    }[tz]
    model, _ = model_for(project(tmp_path / "p", 1))
    when = datetime(2024, 10, 27, 2, 30, 15, 123456, tzinfo=zone)
    article = dataclasses.replace(model.articles[0], published=when, updated=when.replace(fold=1))
    blob = lean.dump_article(article)
    lazy = lean.lazy_article(lean.dump_head(article, blob), blob)
    for got, want in ((lazy.published, article.published), (lazy.updated, article.updated)):
        assert repr(got) == repr(want) and got.fold == want.fold
        assert got.tzname() == want.tzname() and got.utcoffset() == want.utcoffset()


def test_render_tasks_send_lazy_articles_as_references(tmp_path: Path) -> None:
    import dataclasses

    from feedtool.build import model_for
    from feedtool.render import pool

    cfg = project(tmp_path / "p", 3)
    model, _ = model_for(cfg)
    blobs = [lean.dump_article(a) for a in model.articles]
    lazy = [
        lean.lazy_article(lean.dump_head(a, b), b)
        for a, b in zip(model.articles, blobs, strict=True)
    ]
    refs = pool._Refs(dataclasses.replace(model, articles=tuple(lazy)), cfg, ())
    data = pool._dumps([("articles/x/index.html", ("article", (lazy[1], lazy[2], lazy[0])))], refs)
    # A reference to the worker's copy, not the article: nothing was loaded to send it.
    assert len(data) < 200
    assert all(object.__getattribute__(a, "_pickled") for a in lazy)


def test_a_new_cache_has_large_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    import sqlite3

    def page_size(cfg: Config) -> int:
        db = sqlite3.connect(cache_mod.cache_path(cfg))
        try:
            return int(db.execute("PRAGMA page_size").fetchone()[0])
        finally:
            db.close()

    cfg = project(tmp_path / "p")
    build(cfg, jobs=1)
    assert page_size(cfg) == cache_mod.PAGE_SIZE != 4096
    # A cache file made with SQLite's default pages (an earlier feedtool) is used as it is.
    old = project(tmp_path / "q")
    path = cache_mod.cache_path(old)
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size=4096")
    db.execute("VACUUM")
    db.close()
    first = build(old, jobs=1)
    assert page_size(old) == 4096 and first.read == 4
    (old.content_dir / "s1.md").write_text(
        ARTICLE.format(n=1, day=2) + "\nOne more line.\n", encoding="utf-8"
    )
    again = build(old, jobs=1)
    assert again.read == 1 and page_size(old) == 4096  # the others came from the cache
