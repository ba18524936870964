"""Every data file the package reads is shipped in the wheel (package-data in pyproject)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_data_file_is_package_data() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["feedtool"]
    package = REPO / "feedtool"
    shipped = {p for pattern in patterns for p in package.glob(pattern) if p.is_file()}
    data = {
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    }
    missing = sorted(p.relative_to(package).as_posix() for p in data - shipped)
    assert missing == [], "add to [tool.setuptools.package-data] in pyproject.toml"
