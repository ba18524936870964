"""``feedtool serve``: serves a temporary build, reloads on change, survives a failed build."""

from __future__ import annotations

import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from feedtool import serve as serve_mod
from feedtool.init import init_project
from feedtool.serve import RELOAD_SCRIPT, VERSION_PATH

ARTICLE = "seeds/welcome-to-feedtool.md"
DEADLINE = 10.0  # seconds a rebuild may take to show


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def get(url: str) -> tuple[int, str, str]:
    """Status, content type and text of ``url`` (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


def wait_for(check: Callable[[], bool], what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < DEADLINE:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not within {DEADLINE} s: {what}")


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path, Path]]:
    """A new project served on a free loopback port: (URL, project, temporary build folder)."""
    init_project(tmp_path / "news")
    made: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(prefix: str) -> str:
        path = real_mkdtemp(prefix=prefix, dir=tmp_path)
        made.append(Path(path))
        return path

    monkeypatch.setattr(serve_mod.tempfile, "mkdtemp", mkdtemp)
    stop = threading.Event()
    ready: list[str] = []
    thread = threading.Thread(
        target=serve_mod.serve,
        args=(tmp_path / "news" / "config.yaml",),
        kwargs={"port": 0, "stop": stop, "on_ready": ready.append},
        daemon=True,
    )
    thread.start()
    wait_for(lambda: bool(ready), "server ready")
    try:
        yield ready[0], tmp_path / "news", made[0]
    finally:
        stop.set()
        thread.join(timeout=DEADLINE)
    assert not thread.is_alive()
    assert not made[0].exists()  # the temporary build is removed


def test_serve_rebuilds_after_a_change_and_survives_errors(
    served: tuple[str, Path, Path],
) -> None:
    url, project, workdir = served
    assert url.startswith("http://127.0.0.1:")
    status, kind, page = get(url)
    assert status == 200 and kind == "text/html; charset=utf-8"
    assert page.count(RELOAD_SCRIPT) == 1
    assert page.index(RELOAD_SCRIPT) < page.index("</body>")
    on_disk = (workdir / "site" / "index.html").read_text()
    assert RELOAD_SCRIPT not in on_disk  # injected into responses only
    assert not (project / "site").exists()  # serve never writes the output folder

    status, kind, feed = get(url + "atom.xml")
    assert (status, kind) == (200, "application/atom+xml; charset=utf-8")
    assert url + "articles/welcome-to-feedtool/" in feed  # base_url is the server's
    assert RELOAD_SCRIPT not in feed
    assert get(url + "sitemap.xml")[1] == "application/xml; charset=utf-8"
    version = get(url + VERSION_PATH[1:])[2]

    article = project / ARTICLE
    text = article.read_text()
    article.write_text(text.replace("your feedtool project is ready", "freshly edited title"))
    page_url = url + "articles/welcome-to-feedtool/"
    wait_for(lambda: "freshly edited title" in get(page_url)[2], "the edited page")
    # The new files land a moment before the version is bumped: wait for it too.
    wait_for(lambda: get(url + VERSION_PATH[1:])[2] != version, "the version bump")

    article.write_text("---\ndate: [not a date\n---\nBroken.\n")
    wait_for(lambda: get(page_url)[0] == 500, "the error page")
    status, _, error = get(page_url)
    assert "Build failed" in error and "welcome-to-feedtool.md" in error
    assert RELOAD_SCRIPT in error
    assert get(url + "style.css")[0] == 200  # the last good build's files stay served

    article.write_text(text)
    wait_for(lambda: get(page_url)[0] == 200, "recovery after the fix")
    assert "your feedtool project is ready" in get(page_url)[2]


def test_serve_404_uses_the_site_page(served: tuple[str, Path, Path]) -> None:
    url, _, _ = served
    status, kind, page = get(url + "no/such/page/")
    assert status == 404 and kind == "text/html; charset=utf-8"
    assert RELOAD_SCRIPT in page


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    import socket

    from feedtool.errors import FeedtoolError

    init_project(tmp_path / "news")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(FeedtoolError) as info:
            serve_mod.serve(tmp_path / "news" / "config.yaml", port=port)
    (p,) = info.value.problems
    assert p.format() == (
        f"127.0.0.1:{port}: --port: cannot listen: Address already in use\n"
        "  hint: pass another --port, or stop the program that uses this one"
    )
