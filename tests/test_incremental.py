"""Incremental builds: whatever the cache holds and however many jobs, the site is the same."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from feedtool.build import build
from feedtool.config import Config, load_config
from feedtool.errors import BuildError

from .conftest import tree
from .helpers import make_project

PLACES = [
    ("Kenya", "NAIROBI", "election"),
    ("Iran", "TEHRAN", "parliament"),
    ("Brazil", "SÃO PAULO", "inflation"),
    ("Japan", "TOKYO", "earthquake"),
    ("France", "PARIS", "strike"),
]


#: Bylines by article number (modulo): one name, two names, none.
AUTHORS = ["Ann Lee", "Ann Lee and Bo Chen", None]


def article(
    n: int,
    *,
    title: str | None = None,
    day: int | None = None,
    extra: str = "",
    source: str = "Test Wire",
    author: str | None = "",
) -> str:
    country, city, topic = PLACES[n % len(PLACES)]
    byline = AUTHORS[n % len(AUTHORS)] if author == "" else author
    return (
        "---\n"
        f"title: {title or f'{country} story {n}'}\n"
        f"date: 2024-{1 + n % 12:02d}-{day or 1 + n % 27:02d}T{n % 24:02d}:00:00Z\n"
        f"source: {source}\n" + (f"author: {byline}\n" if byline else "") + "license: CC BY 4.0\n"
        "---\n\n"
        f"{city} – The {topic} in {country} dominated the news on day {n}. "
        f"Officials in {country} said the {topic} would continue.{extra}\n\n"
        f"The government of {country} met on Tuesday. Parliament voted on the budget.\n"
    )


def project(root: Path, n: int) -> Config:
    files: dict[str, str | bytes] = {f"a{i:03d}.md": article(i) for i in range(n)}
    return make_project(root, files)


def cold(cfg: Config, out: Path) -> dict[str, bytes]:
    build(cfg, out_dir=out, cache=False, jobs=1)
    return tree(out)


def test_jobs_2_is_byte_identical_to_jobs_1(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 70)  # enough files for the process pool
    one = build(cfg, out_dir=tmp_path / "one", cache=False, jobs=1)
    two = build(cfg, out_dir=tmp_path / "two", cache=False, jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert [w.format() for w in one.warnings] == [w.format() for w in two.warnings]
    assert two.read == 70


class Seeds:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, name: str, text: str) -> None:
        (self.folder / name).write_text(text, encoding="utf-8")

    def remove(self, name: str) -> None:
        (self.folder / name).unlink()


EDITS: list[tuple[str, Callable[[Seeds], None]]] = [
    ("body", lambda s: s.write("a003.md", article(3, extra=" A new sentence."))),
    ("title", lambda s: s.write("a007.md", article(7, title="A renamed story"))),
    ("date", lambda s: s.write("a010.md", article(10, day=28))),
    ("tags", lambda s: s.write("a011.md", article(11).replace("Brazil", "Kenya"))),
    ("removed", lambda s: s.remove("a004.md")),
    ("added", lambda s: s.write("b001.md", article(99))),
    (
        "manual topic",
        lambda s: s.write("a012.md", article(12).replace("---\n\n", "topics: [sport]\n---\n\n")),
    ),
    # Outlets and bylines are terms too: a new one gets a page, a last one's page goes.
    ("new source", lambda s: s.write("a005.md", article(5, source="Other Wire"))),
    ("new author", lambda s: s.write("a006.md", article(6, author="Cy Diaz and Ann Lee"))),
    ("author gone", lambda s: s.write("a006.md", article(6, author=None))),
    ("source back", lambda s: s.write("a005.md", article(5))),
]


@pytest.mark.slow
def test_incremental_rebuilds_equal_cold_builds(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 14)
    first = build(cfg, jobs=1)
    assert first.read == 14
    seeds = Seeds(cfg.content_dir)
    for name, edit in EDITS:
        edit(seeds)
        report = build(cfg, jobs=1)
        assert report.read <= 1, name
        assert tree(cfg.output_dir) == cold(cfg, tmp_path / f"cold-{name.replace(' ', '-')}"), name
        if name == "new author":
            assert (cfg.output_dir / "authors" / "cy-diaz" / "atom.xml").is_file()
            assert (cfg.output_dir / "sources" / "other-wire" / "index.html").is_file()
        if name == "author gone":
            assert not (cfg.output_dir / "authors" / "cy-diaz").exists()


def test_nothing_changed_is_a_noop_and_keeps_files(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 12)
    build(cfg, jobs=1)
    stamps = {p: p.stat().st_mtime_ns for p in cfg.output_dir.rglob("*") if p.is_file()}
    again = build(cfg, jobs=1)
    assert again.noop and again.read == 0 and again.write.differences == []
    assert {p: p.stat().st_mtime_ns for p in cfg.output_dir.rglob("*") if p.is_file()} == stamps


def test_edit_rewrites_only_changed_files(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 12)
    build(cfg, jobs=1)
    page = cfg.output_dir / "articles" / "a000" / "index.html"
    other = cfg.output_dir / "articles" / "a005" / "index.html"
    inode = other.stat().st_ino
    Seeds(cfg.content_dir).write("a000.md", article(0, extra=" Corrected."))
    report = build(cfg, jobs=1)
    assert "articles/a000/index.html" in report.write.changed
    assert b"Corrected." in page.read_bytes()
    assert other.stat().st_ino == inode
    assert report.rendered < report.pages + report.feeds


def test_damaged_site_is_repaired(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 6)
    build(cfg, jobs=1)
    want = tree(cfg.output_dir)
    (cfg.output_dir / "index.html").unlink()
    (cfg.output_dir / "style.css").unlink()
    (cfg.output_dir / "atom.xml").write_text("tampered", encoding="utf-8")
    report = build(cfg, jobs=1)
    assert not report.noop
    assert tree(cfg.output_dir) == want


def test_config_change_rerenders(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 6)
    build(cfg, jobs=1)
    text = cfg.path.read_text(encoding="utf-8").replace("Test News", "Renamed News")
    cfg.path.write_text(text, encoding="utf-8")
    cfg = load_config(cfg.path)
    report = build(cfg, jobs=1)
    assert report.read == 0  # the title does not change how articles are read
    assert tree(cfg.output_dir) == cold(cfg, tmp_path / "cold")
    assert b"Renamed News" in (cfg.output_dir / "index.html").read_bytes()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the process pool forks")
def test_jobs_with_cache_equal_cold(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 70)
    build(cfg, jobs=2)
    shutil.rmtree(cfg.root / ".feedtool-cache")
    build(cfg, jobs=2)
    assert tree(cfg.output_dir) == cold(cfg, tmp_path / "cold")


def test_build_equals_the_plain_pipeline(tmp_path: Path) -> None:
    """The build keeps lean copies of articles (no evidence, no paragraphs): same site."""
    from feedtool.build import BuildReport, model_for, render_all

    cfg = project(tmp_path / "p", 10)
    build(cfg, jobs=1)
    built = tree(cfg.output_dir)
    model, _warnings = model_for(cfg)
    assert any(t.evidence for a in model.articles for t in a.topics)
    assert all(a.paragraphs for a in model.articles)
    plain = dict(render_all(model, cfg, BuildReport()))
    assert {k: v for k, v in built.items() if k != ".feedtool-manifest"} == plain


def test_deleted_manifest_is_not_a_noop(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 3)
    build(cfg, jobs=1)
    (cfg.output_dir / ".feedtool-manifest").unlink()
    # Not a silent no-op: like a build without cache, the writer refuses the folder.
    with pytest.raises(BuildError, match="refusing to replace a folder feedtool did not write"):
        build(cfg, jobs=1)


def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render a small site in worker processes, in many small tasks, several in flight."""
    from feedtool.render import pool

    monkeypatch.setattr(pool, "MIN_TASKS", 1)
    monkeypatch.setattr(pool, "CHUNK", 3)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the render pool forks")
def test_render_pool_is_byte_identical_and_keeps_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = project(tmp_path / "p", 40)
    want = cold(cfg, tmp_path / "one")
    pooled(monkeypatch)
    first = build(cfg, jobs=2)
    assert tree(cfg.output_dir) == want
    # An edit with the pool on: only what changed is rendered, and the site equals cold.
    Seeds(cfg.content_dir).write("a003.md", article(3, extra=" Pooled edit."))
    again = build(cfg, jobs=2)
    assert 0 < again.rendered < first.rendered
    assert tree(cfg.output_dir) == cold(cfg, tmp_path / "two")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the render pool forks")
def test_a_first_write_is_written_by_the_render_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool import write

    cfg = project(tmp_path / "p", 40)
    want = cold(cfg, tmp_path / "one")
    pooled(monkeypatch)
    main, by_main = os.getpid(), []
    put = write._put

    def recording_put(stage: str, rel: str, data: bytes, made: set[str]) -> tuple[int, int]:
        if os.getpid() == main:
            by_main.append(rel)
        return put(stage, rel, data, made)

    monkeypatch.setattr(write, "_put", recording_put)  # the workers fork with it
    report = build(cfg, jobs=2)
    assert tree(cfg.output_dir) == want
    # This process wrote the manifest and the static files; the workers every page and feed.
    assert ".feedtool-manifest" in by_main
    assert not [rel for rel in by_main if rel.endswith((".html", ".xml"))]
    assert report.write.written == len(want)
    assert not list(cfg.output_dir.parent.glob(".site.new-*"))
    # The writers said what they wrote: the cache records each file as it is, after a
    # first write and after an edit (whose files are moved into the site).
    from feedtool.cache import BuildCache, cache_path

    def recorded_as_on_disk() -> dict[str, tuple[str, int, int]]:
        store = BuildCache(cache_path(cfg))
        recorded = store.outputs()
        store.close()
        for rel, (_key, size, mtime) in recorded.items():
            st = (cfg.output_dir / rel).stat()
            assert (size, mtime) == (st.st_size, st.st_mtime_ns), rel
        return recorded

    assert sorted(recorded_as_on_disk()) == sorted(want)
    assert build(cfg, jobs=2).write.written == 0  # and the next build finds it intact
    Seeds(cfg.content_dir).write("a003.md", article(3, extra=" An edit."))
    assert build(cfg, jobs=2).write.written > 0
    recorded_as_on_disk()
    assert build(cfg, jobs=2).write.written == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the render pool forks")
def test_a_failed_first_write_leaves_no_site_and_no_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool.render import feeds

    cfg = project(tmp_path / "p", 40)
    pooled(monkeypatch)

    def broken(*args: object) -> bytes:
        raise RuntimeError("feed failed")

    monkeypatch.setattr(feeds, "render_doc", broken)  # feeds render in the workers, first
    with pytest.raises(RuntimeError, match="feed failed"):
        build(cfg, jobs=2)
    assert not cfg.output_dir.exists()
    assert not list(cfg.output_dir.parent.glob(".site.new-*"))  # the stage is gone


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the render pool forks")
def test_a_few_pages_to_render_start_no_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool.render import pool

    cfg = project(tmp_path / "p", 40)
    monkeypatch.setattr(pool, "MIN_TASKS", 1)
    build(cfg, jobs=2)
    Seeds(cfg.content_dir).write("a003.md", article(3, extra=" A small edit."))

    def no_workers(self: pool.RenderPool) -> None:
        raise AssertionError("render workers started for a few pages")

    monkeypatch.setattr(pool.RenderPool, "_executor", no_workers)
    monkeypatch.setattr(pool, "CHUNK", 1000)
    again = build(cfg, jobs=2)
    assert 0 < again.rendered < 1000
    assert tree(cfg.output_dir) == cold(cfg, tmp_path / "cold")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the render pool forks")
def test_a_build_leaves_no_cycle_holding_the_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once build() returns its articles are freed at once, not at the next full
    collection (which, at the end of a large build, would take a good part of a second)."""
    import gc

    from feedtool.model import Article

    cfg = project(tmp_path / "p", 12)
    pooled(monkeypatch)
    build(cfg, jobs=2)
    Seeds(cfg.content_dir).write("a003.md", article(3, extra=" Edited."))
    gc.collect()
    gc.disable()
    try:
        assert build(cfg, jobs=2).rendered > 0
        left = [o for o in gc.get_objects() if type(o) is Article]
    finally:
        gc.enable()
    assert left == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the render pool forks")
def test_render_pool_reports_template_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool.errors import TemplateError
    from feedtool.render import pool

    cfg = project(tmp_path / "p", 12)
    broken = cfg.root / "templates"
    broken.mkdir()
    # Compiles, but fails while rendering: raised in a worker, reported by the build.
    (broken / "article.html").write_text("{{ article.title }}\n{{ article.no_such_field }}\n")
    cfg = load_config(cfg.path)
    pooled(monkeypatch)
    forked: list[bool] = []
    executor = pool.RenderPool._executor

    def counted(self: pool.RenderPool) -> object:
        forked.append(True)
        return executor(self)

    monkeypatch.setattr(pool.RenderPool, "_executor", counted)
    with pytest.raises(TemplateError) as info:
        build(cfg, jobs=2)
    assert forked  # raised in a worker
    assert "article.html" in str(info.value)
    assert not cfg.output_dir.exists()


def test_related_lists_are_reused_while_the_structure_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool import site_model

    cfg = project(tmp_path / "p", 14)
    build(cfg, jobs=1)
    calls: list[int] = []
    real = site_model.related_part

    def counting(*args: Any) -> list[tuple[int, ...]]:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(site_model, "related_part", counting)
    seeds = Seeds(cfg.content_dir)
    seeds.write("a003.md", article(3, extra=" Only the text changed."))
    build(cfg, jobs=1)
    assert calls == []  # same dates and tags: last build's lists
    seeds.write("a010.md", article(10, day=28))  # a new date moves it among its neighbours
    build(cfg, jobs=1)
    assert calls == [1]
    assert tree(cfg.output_dir) == cold(cfg, tmp_path / "cold")


def test_a_text_edit_rerenders_only_what_shows_the_article(tmp_path: Path) -> None:
    from feedtool import site_model
    from feedtool.build import model_for

    cfg = project(tmp_path / "p", 40)
    text = cfg.path.read_text(encoding="utf-8") + "pages:\n  per_page: 3\n"
    cfg.path.write_text(text, encoding="utf-8")
    cfg = load_config(cfg.path)
    first = build(cfg, jobs=1)
    Seeds(cfg.content_dir).write("a021.md", article(21, extra=" A corrected figure."))
    again = build(cfg, jobs=1)
    model, _ = model_for(cfg)
    edited = next(a for a in model.articles if a.rel_path == "a021.md")
    terms = len([t for t in model.term_pages.values() if edited in t.articles])
    related = site_model.Related.of(model).articles
    citing = len([k for k, v in related.items() if edited in v])
    # The front page's sections show articles from far down the list.
    front = int(edited.url_path in (cfg.output_dir / "index.html").read_text(encoding="utf-8"))
    # Its page, its older and newer neighbours' and the pages listing it as related, one
    # page of each list showing it (index, terms, its archive month), the front page if
    # it is there, and, of each feed carrying it, the subscription document and the one
    # archive page holding it: never every page of a list.
    bound = 1 + 2 + citing + (1 + terms + 1) + front + 2 * (1 + terms)
    assert again.rendered <= bound, again.rendered
    assert first.rendered > 5 * again.rendered
    assert tree(cfg.output_dir) == cold(cfg, tmp_path / "cold")


def test_large_sites_render_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from feedtool.render import pool

    def no_fork(self: pool.RenderPool) -> None:
        raise AssertionError("render workers were forked")

    cfg = project(tmp_path / "p", 12)
    monkeypatch.setattr(pool, "CHUNK", 4)  # enough tasks that workers would be worth it
    monkeypatch.setattr(pool, "MIN_TASKS", 1)
    monkeypatch.setattr(pool, "MAX_TASKS", 11)  # 12 articles: "too many" for workers
    monkeypatch.setattr(pool.RenderPool, "_executor", no_fork)
    build(cfg, jobs=2, cache=False)
    assert tree(cfg.output_dir) == cold(cfg, tmp_path / "cold")
    monkeypatch.setattr(pool, "MAX_TASKS", 12)
    with pytest.raises(AssertionError, match="forked"):
        build(cfg, out_dir=tmp_path / "pooled", jobs=2, cache=False)


def test_read_ahead_skips_files_it_cannot_open(tmp_path: Path) -> None:
    from feedtool.parallel import _read_ahead

    present = tmp_path / "a.md"
    present.write_text("text", encoding="utf-8")
    _read_ahead([tmp_path / "gone.md", present, tmp_path])  # a folder, a missing file: no error
    assert present.read_text(encoding="utf-8") == "text"


def test_read_chunks_keep_every_file_in_order_and_end_small() -> None:
    from feedtool.parallel import _tapered

    for count, size, jobs in [(10_000, 128, 2), (70, 8, 2), (65, 8, 4), (5, 8, 2)]:
        paths = [Path(f"{i}.md") for i in range(count)]
        chunks = _tapered(paths, size, jobs)
        assert [p for chunk in chunks for p in chunk] == paths
        assert all(0 < len(chunk) <= size for chunk in chunks)
        assert len(chunks[-1]) <= max(1, size // 8)
