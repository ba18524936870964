"""Optional full-text search: a Pagefind index of the article pages (``pages.search: true``).

Pagefind (https://pagefind.app/, PyPI ``pagefind[bin]``, MIT) reads the built HTML
and writes a static index plus a small search UI under ``pagefind/``. Only
article pages are indexed (they carry ``data-pagefind-body``); their topic and
region links carry ``data-pagefind-filter``, so results can be filtered by both.

:func:`with_search_index` wraps the stream of rendered files: it passes every file
through unchanged, keeps a copy of the HTML in a temporary folder, runs Pagefind
there once the stream ends, and appends the index files. The writer therefore
still writes (and lists in its manifest) everything, atomically. The site works
without search: the search page says so when JavaScript is off.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from feedtool.errors import BuildError, problem
from feedtool.write import safe_relative

log = logging.getLogger("feedtool.search")

BUNDLE = "pagefind"


def pagefind_executable() -> Path | None:
    """The Pagefind binary shipped by ``pagefind-bin``, or None when it is not installed."""
    try:  # an optional dependency: imported to find out whether it is installed
        import pagefind_bin  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        return Path(pagefind_bin.get_executable())
    except FileNotFoundError:
        return None


def pagefind_available() -> bool:
    """Whether the search index can be built here."""
    return pagefind_executable() is not None


def run_pagefind(site: Path, language: str) -> list[tuple[str, bytes]]:
    """Index the HTML under ``site`` and return the bundle's files, sorted by path."""
    exe = pagefind_executable()
    if exe is None:
        raise BuildError(
            [
                problem(
                    "config.yaml",
                    "pages.search",
                    "Pagefind is not installed",
                    hint="pip install 'feedtool[search]', or set `pages.search: false`",
                )
            ]
        )
    cmd = [
        str(exe),
        "--site",
        str(site),
        "--output-subdir",
        BUNDLE,
        "--force-language",
        language.split("-")[0].lower() or "en",
        "--silent",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(
            [
                problem(
                    "config.yaml",
                    "pages.search",
                    f"Pagefind failed (exit {done.returncode}): {done.stderr.strip()[-500:]}",
                    hint="run with -v for details, or set `pages.search: false`",
                )
            ]
        )
    bundle = site / BUNDLE
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    return [(p.relative_to(site).as_posix(), p.read_bytes()) for p in files]


def with_search_index(
    outputs: Iterable[tuple[str, bytes]], *, enabled: bool, language: str = "en"
) -> Iterator[tuple[str, bytes]]:
    """``outputs`` unchanged, then (when ``enabled``) the Pagefind bundle's files."""
    if not enabled:
        yield from outputs
        return
    with tempfile.TemporaryDirectory(prefix="feedtool-search-") as tmp:
        root = Path(tmp)
        for path, data in outputs:
            if path.endswith(".html"):
                target = root / safe_relative(path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            yield path, data
        files = run_pagefind(root, language)
        log.info("search index: %d files", len(files))
        yield from files
