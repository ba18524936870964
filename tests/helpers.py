"""Small builders shared by tests."""

from __future__ import annotations

from pathlib import Path

from feedtool.config import Config, load_config

CONFIG = """\
site:
  title: Test News
  base_url: https://news.example.org/
  publisher: Test Desk
feeds:
  id_authority: news.example.org,2026
"""


def make_project(root: Path, files: dict[str, str | bytes], config: str = CONFIG) -> Config:
    """A project at ``root`` with ``config.yaml`` and ``seeds/`` holding ``files``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(config, encoding="utf-8")
    seeds = root / "seeds"
    seeds.mkdir(exist_ok=True)
    for name, content in files.items():
        path = seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return load_config(root / "config.yaml")
