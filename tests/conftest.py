"""Shared fixtures: every test runs in its own temporary working directory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check results, never time: hypothesis' default 200 ms deadline per example
# fails them at random on a busy machine (speed is measured in benchmarks/).
settings.register_profile("feedtool", deadline=None)
settings.load_profile("feedtool")

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", help="Rewrite tests/golden from current output."
    )


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("FEEDTOOL_CONFIG", "FEEDTOOL_BASE_URL", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    """A copy of tests/data/seed-basic (config.yaml + seeds/) in tmp_path."""
    dest = tmp_path / "project"
    shutil.copytree(DATA / "seed-basic", dest)
    return dest


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` as ``{relative path: bytes}``."""
    out: dict[str, bytes] = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out
