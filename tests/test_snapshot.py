"""The tagger snapshot in the build cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedtool import snapshot
from feedtool.build import build
from feedtool.config import Config
from feedtool.sources import read_articles
from feedtool.tagging.pipeline import make_taggers, tag_articles

from .test_incremental import project


def _folder(cfg: Config) -> Path:
    return cfg.root / ".feedtool-cache" / "taggers"


def test_a_build_reading_many_files_leaves_a_snapshot_that_tags_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = project(tmp_path / "p", 70)  # enough files for the process pool
    build(cfg, jobs=2)
    saved = sorted(_folder(cfg).iterdir())
    assert [p.name for p in saved] == [f"{snapshot.snapshot_key(cfg)}.pickle"]
    # A process without taggers (a worker of the next build) loads them from the snapshot.
    snapshot._LOADED.clear()

    def refuse(cfg: Config) -> None:
        raise AssertionError("taggers built, not loaded from the snapshot")

    monkeypatch.setattr("feedtool.tagging.pipeline.load_taggers", refuse)
    loaded = snapshot.taggers_for(cfg, _folder(cfg))
    articles, _ = read_articles(cfg)
    assert tag_articles(articles, loaded) == tag_articles(
        articles, make_taggers(cfg.topics, cfg.regions)
    )


def test_a_damaged_snapshot_is_ignored_and_replaced(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 70)
    build(cfg, jobs=2)
    (path,) = _folder(cfg).iterdir()
    path.write_bytes(b"not a pickle")
    snapshot._LOADED.clear()
    taggers = snapshot.taggers_for(cfg, _folder(cfg))
    assert taggers is make_taggers(cfg.topics, cfg.regions)  # built again
    path.unlink()
    snapshot.save_snapshot(cfg, _folder(cfg))
    assert path.stat().st_size > 1000


def test_the_key_follows_the_tagging_settings(tmp_path: Path) -> None:
    import dataclasses

    cfg = project(tmp_path / "p", 1)
    other = dataclasses.replace(
        cfg, regions=dataclasses.replace(cfg.regions, keep_min_score=cfg.regions.keep_min_score + 1)
    )
    assert snapshot.snapshot_key(cfg) != snapshot.snapshot_key(other)
    assert snapshot.snapshot_key(cfg) == snapshot.snapshot_key(project(tmp_path / "q", 2))


def test_no_cache_no_snapshot(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 70)
    build(cfg, jobs=2, cache=False)
    assert not (cfg.root / ".feedtool-cache").exists()
