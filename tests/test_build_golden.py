"""The whole pipeline against a committed expected site (update with --update-goldens)."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from feedtool.build import build
from feedtool.config import load_config

from .conftest import GOLDEN, tree


def test_golden_site(seed_project: Path, update_goldens: bool) -> None:
    cfg = load_config(seed_project / "config.yaml")
    build(cfg)
    got = tree(cfg.output_dir)
    golden = GOLDEN / "seed-basic"
    if update_goldens:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(cfg.output_dir, golden)
        pytest.skip("goldens updated")
    want = tree(golden)
    assert sorted(got) == sorted(want)
    for path in sorted(want):
        if got[path] != want[path]:
            diff = "\n".join(
                difflib.unified_diff(
                    want[path].decode(errors="replace").splitlines(),
                    got[path].decode(errors="replace").splitlines(),
                    f"golden/{path}",
                    f"built/{path}",
                    lineterm="",
                    n=2,
                )
            )
            pytest.fail(f"{path} differs from the golden copy:\n{diff[:4000]}")


def test_rebuild_is_byte_identical(seed_project: Path, tmp_path: Path) -> None:
    cfg = load_config(seed_project / "config.yaml")
    build(cfg, out_dir=tmp_path / "one")
    build(cfg, out_dir=tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_check_passes_after_build_and_fails_after_edit(seed_project: Path) -> None:
    cfg = load_config(seed_project / "config.yaml")
    build(cfg)
    assert build(cfg, check=True).write.differences == []
    article = seed_project / "seeds" / "2024-03-05-example-markdown.md"
    article.write_text(article.read_text().replace("two articles", "2 articles"))
    diffs = build(load_config(seed_project / "config.yaml"), check=True).write.differences
    assert "articles/2024-03-05-example-markdown/index.html" in diffs
    assert "atom.xml" in diffs
