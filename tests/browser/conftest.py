"""Fixtures for the browser tests: a sample site served on 127.0.0.1, and Chromium.

The tests drive Debian's ``chromium`` through Playwright for Python (Playwright's own
browser download is not used). They skip, with the reason, when either is missing:
install them with ``apt-get install -y chromium`` and ``pip install -e '.[browser]'``.
Screenshots go to ``tests/browser/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .sample_site import write_sample_site

CHROMIUM = os.environ.get("FEEDTOOL_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARTICLES = 60
PER_PAGE = 7
LARGE = 1000


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[browser]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium, or set FEEDTOOL_CHROMIUM)"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().parent == here:
            item.add_marker(pytest.mark.skip(reason=reason))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``(base URL, site folder)`` of a sample site served on 127.0.0.1."""
    yield from _serve(tmp_path_factory.mktemp("served"), ARTICLES, PER_PAGE)


@pytest.fixture(scope="session")
def served_large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``(base URL, site folder)`` of a sample site of :data:`LARGE` articles (with the
    default page size), for screenshots and checks of pages at a news desk's scale."""
    yield from _serve(tmp_path_factory.mktemp("served-large"), LARGE, 20)


def _serve(out: Path, count: int, per_page: int) -> Iterator[tuple[str, Path]]:
    handler = functools.partial(_Quiet, directory=".")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    write_sample_site(out, count, base_url=base, per_page=per_page, search=_search())
    site = out / "site"
    server.RequestHandlerClass = functools.partial(_Quiet, directory=str(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, site
    finally:
        server.shutdown()
        server.server_close()


def _search() -> bool:
    try:
        from feedtool.search import pagefind_available
    except ImportError:
        return False
    return pagefind_available()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's), shared by the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop-sized page; requests leaving 127.0.0.1 fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    pg.route("**/*", guard)
    try:
        yield pg
    finally:
        context.close()
    assert outside == [], f"requests outside the site: {outside}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The (git-ignored) folder for screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
