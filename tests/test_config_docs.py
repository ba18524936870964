"""The README's configuration reference matches the schema (no drift)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_readme_config_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "config_reference", REPO / "tools" / "config_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert module.render(readme) == readme, "run: python tools/config_reference.py"
    assert "`regions.macro_regions.<name>.members`" in readme
    assert "`topics.rules.<name>.strong`" in readme
