"""Followed feeds: ``import.follow`` in config.yaml, ``feedtool import`` with no arguments,
polite HTTP on loopback, the state committed with the articles, a fresh clone."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import feedtool
from feedtool.cli import app
from feedtool.config import load_config
from feedtool.errors import ConfigError
from feedtool.importer import LOCK_NAME, STATE_NAME, import_lock
from feedtool.sources.markdown import split_front_matter

runner = CliRunner()

GIT = shutil.which("git")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def atom(title: str, entries: list[tuple[str, str, str]]) -> bytes:
    """An Atom feed licensed CC BY 4.0; entries are ``(id, title, day)``."""
    items = "".join(
        f"""<entry><id>{i}</id><title>{t}</title>
<link href="{i}"/><updated>2024-05-{d}T09:00:00Z</updated>
<content type="html">&lt;p&gt;{t}, reported in Yerevan.&lt;/p&gt;</content></entry>
"""
        for i, t, d in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>
<id>https://{title.lower().replace(" ", "")}.example.org/</id>
<updated>2024-05-10T00:00:00Z</updated>
<rights>CC BY 4.0</rights>
{items}</feed>
""".encode()


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed that states no license; items are ``(link, title, day)``."""
    body = "".join(
        f"""<item><title>{t}</title><link>{link}</link><guid>{link}</guid>
<pubDate>{d} May 2024 08:00:00 +0000</pubDate>
<description>{t}, as the agency reported from Tbilisi.</description></item>
"""
        for link, t, d in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{title}</title><link>https://plain.example.org/</link>
<description>News</description>
{body}</channel></rss>
""".encode()


@dataclass
class Web:
    """What the loopback server serves in the current round, and what it was asked."""

    round: int = 1
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def asked(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


WEB = Web()

ETAG_FEED = atom(
    "Etag Outlet",
    [
        ("https://etag.example.org/news/1", "Parliament passes the budget", "01"),
        ("https://etag.example.org/news/2", "Farmers plant early this spring", "02"),
    ],
)
PLAIN_ROUND_1 = [("https://plain.example.org/a", "Port reopens after the storm", "03")]
PLAIN_ROUND_2 = [
    ("https://plain.example.org/b", "Bridge opens to traffic", "05"),
    *PLAIN_ROUND_1,
]
FLAKY_FEED = atom(
    "Flaky Outlet", [("https://flaky.example.org/n/1", "Schools open a week late", "04")]
)
MOVED_FEED = atom(
    "Moved Outlet", [("https://moved.example.org/n/1", "Museum returns a painting", "02")]
)
MOVED_DATE = "Thu, 02 May 2024 10:00:00 GMT"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        WEB.requests.append((self.path, dict(self.headers)))
        if self.path == "/etag.xml":
            if self.headers.get("If-None-Match") == '"e1"':
                self.reply(304)
            else:
                self.reply(200, ETAG_FEED, {"ETag": '"e1"'})
        elif self.path == "/plain.rss":  # no validators at all
            items = PLAIN_ROUND_1 if WEB.round == 1 else PLAIN_ROUND_2
            self.reply(200, rss("Plain Wire", items))
        elif self.path == "/flaky.xml":
            if WEB.round == 1:
                self.reply(500)
            else:
                self.reply(200, FLAKY_FEED)
        elif self.path == "/old.xml":
            self.reply(301, b"", {"Location": "/new.xml"})
        elif self.path == "/slow.xml":
            time.sleep(3)
            with contextlib.suppress(ConnectionError):  # the client gave up long ago
                self.reply(200, ETAG_FEED)
        elif self.path == "/for-now.xml":
            self.reply(302, b"", {"Location": "/new.xml"})
        elif self.path == "/to-ftp.xml":
            self.reply(301, b"", {"Location": "ftp://127.0.0.1/feed.xml"})
        elif self.path == "/gone-after-move.xml":
            self.reply(308, b"", {"Location": "/gone.xml"})
        elif self.path == "/new.xml":
            if self.headers.get("If-Modified-Since") == MOVED_DATE:
                self.reply(304)
            else:
                self.reply(200, MOVED_FEED, {"Last-Modified": MOVED_DATE})
        else:
            self.reply(404)

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    global WEB
    WEB = Web()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def config(base: str) -> str:
    return f"""\
site:
  title: Aggregator
  base_url: https://agg.example.org/
feeds:
  id_authority: agg.example.org,2026
import:
  follow:
    - {base}/etag.xml
    - url: {base}/plain.rss
      source: Plain Outlet
      license: CC BY 4.0
      folder: plain
      topics: [medtop:04000000]
      regions: [GE]
    - {base}/flaky.xml
    - {base}/old.xml
  timeout: 5
"""


def project(root: Path, base: str) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "config.yaml").write_text(config(base), encoding="utf-8")
    (root / ".gitignore").write_text(
        f"/site/\n.site.*\n.feedtool-cache/\n{LOCK_NAME}\n", encoding="utf-8"
    )
    return root


def articles(root: Path) -> dict[str, dict[str, Any]]:
    """Every article's front matter, by path under seeds/."""
    out = {}
    for path in sorted((root / "seeds").rglob("*.md")):
        doc = split_front_matter(path.read_text(encoding="utf-8"))
        assert doc.front_matter is not None
        out[path.relative_to(root / "seeds").as_posix()] = yaml.safe_load(doc.front_matter)
    return out


def import_json(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["import", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout), result.stderr


def by_source(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["source"].rsplit("/", 1)[-1]: f for f in report["feeds"]}


def git(cwd: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "feedtool bot",
        "GIT_AUTHOR_EMAIL": "bot@example.org",
        "GIT_COMMITTER_NAME": "feedtool bot",
        "GIT_COMMITTER_EMAIL": "bot@example.org",
        "GIT_AUTHOR_DATE": "2024-05-10T06:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-05-10T06:00:00+00:00",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True)


@pytest.mark.slow
@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_two_rounds_a_build_and_a_fresh_clone(
    tmp_path: Path, web: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path / "agg", web)
    monkeypatch.chdir(root)

    # Round 1: the flaky feed fails with HTTP 500; the others are imported all the same.
    code, report, stderr = import_json()
    assert code == 0, stderr
    feeds = by_source(report)
    assert [f["status"] for f in feeds.values()] == ["imported", "imported", "failed", "imported"]
    assert feeds["flaky.xml"]["error"] == "HTTP 500 Internal Server Error"
    assert f"error: {web}/flaky.xml: HTTP 500 Internal Server Error" in stderr
    assert [len(f["new"]) for f in feeds.values()] == [2, 1, 0, 1]
    assert feeds["old.xml"]["moved_to"] == f"{web}/new.xml"
    assert f"warning: {web}/old.xml: moved permanently to {web}/new.xml" in stderr
    assert report["new"] == 4 and report["failed"] == 1
    agent = WEB.asked("/etag.xml")[0]["User-Agent"]
    assert agent == (
        f"feedtool/{feedtool.__version__} (+https://agg.example.org/; "
        "https://github.com/feedtool/feedtool)"
    )
    assert "If-None-Match" not in WEB.asked("/etag.xml")[0]
    first = articles(root)
    assert len(first) == 4
    plain = first["plain/2024-05-03-port-reopens-after-the-storm.md"]
    assert plain["source"] == "Plain Outlet"  # the override, not the feed's title
    assert plain["license"] == "CC BY 4.0"  # the feed states none; the config does
    assert plain["topics"] == ["medtop:04000000"] and plain["regions"] == ["GE"]
    state = json.loads((root / STATE_NAME).read_text(encoding="utf-8"))
    assert state["sources"][f"{web}/etag.xml"]["etag"] == '"e1"'
    assert state["sources"][f"{web}/old.xml"]["url"] == f"{web}/new.xml"
    assert state["sources"][f"{web}/old.xml"]["last_modified"] == MOVED_DATE

    # Round 2: conditional requests; only the new item and the recovered feed's are written.
    WEB.round = 2
    WEB.requests.clear()
    code, report, stderr = import_json()
    assert code == 0, stderr
    feeds = by_source(report)
    assert WEB.asked("/etag.xml")[0]["If-None-Match"] == '"e1"'
    assert feeds["etag.xml"]["status"] == "not modified"
    assert WEB.asked("/old.xml") == []  # the permanent redirect is remembered
    assert WEB.asked("/new.xml")[0]["If-Modified-Since"] == MOVED_DATE
    assert feeds["old.xml"]["status"] == "not modified"
    assert feeds["old.xml"]["fetched_from"] == f"{web}/new.xml"
    assert (feeds["plain.rss"]["already"], len(feeds["plain.rss"]["new"])) == (1, 1)
    assert feeds["flaky.xml"]["status"] == "imported" and len(feeds["flaky.xml"]["new"]) == 1
    second = articles(root)
    assert sorted(set(second) - set(first)) == [
        "2024-05-04-schools-open-a-week-late.md",
        "plain/2024-05-05-bridge-opens-to-traffic.md",
    ]
    ids = [meta["id"] for meta in second.values()]
    assert len(ids) == len(set(ids)) == 6  # nothing duplicated

    result = runner.invoke(app, ["build", "--strict"])
    assert result.exit_code == 0, result.stderr
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Bridge opens to traffic" in index and "Schools open a week late" in index

    # What a scheduled run commits; a fresh clone imports nothing new.
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "import")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    assert (clone / STATE_NAME).is_file()
    monkeypatch.chdir(clone)
    code, report, stderr = import_json()
    assert code == 0, stderr
    assert report["new"] == 0
    assert articles(clone) == second
    # Even without the state file the articles' own ids keep every item out.
    (clone / STATE_NAME).unlink()
    code, report, stderr = import_json()
    assert code == 0, stderr
    assert report["new"] == 0
    assert sum(f["already"] for f in report["feeds"]) == 6
    assert articles(clone) == second


def test_text_summary_strict_and_every_feed_failing(
    tmp_path: Path, web: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path / "agg", web)
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["import", "--strict"])
    assert result.exit_code == 1  # one feed failed: enough with --strict
    lines = result.stderr.splitlines()
    assert f"{web}/flaky.xml: failed: HTTP 500 Internal Server Error" in lines
    plain = f"Plain Wire ({web}/plain.rss): 1 entry: 1 new, 0 already imported, 0 skipped"
    assert plain in lines
    assert lines[-2:] == [
        f"error: {web}/flaky.xml: HTTP 500 Internal Server Error",
        "  hint: give the path or http(s) URL of an RSS 2.0 or Atom feed, or of an OPML list "
        "of feeds",
    ]
    assert len(articles(root)) == 4  # the others were imported all the same
    result = runner.invoke(app, ["import", f"{web}/flaky.xml", f"{web}/gone.xml"])
    assert result.exit_code == 1  # every source failed
    assert result.stderr.splitlines()[:2] == [
        f"{web}/flaky.xml: failed: HTTP 500 Internal Server Error",
        f"{web}/gone.xml: failed: HTTP 404 Not Found",
    ]
    assert f"error: {web}/gone.xml: HTTP 404 Not Found" in result.stderr


def test_nothing_followed_imports_nothing(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("site: {base_url: https://x.example.org/}\n")
    result = runner.invoke(app, ["import"])
    assert result.exit_code == 0
    assert result.stderr == (
        "nothing to import: import.follow in config.yaml names no feed (or give feeds as "
        "arguments)\n"
    )
    result = runner.invoke(app, ["import", "--format", "json"])
    assert json.loads(result.stdout) == {"feeds": [], "new": 0, "failed": 0}


def test_a_second_import_in_the_project_waits_for_none(tmp_path: Path, web: str) -> None:
    root = project(tmp_path / "agg", web)
    with import_lock(root / STATE_NAME):
        result = runner.invoke(app, ["import", "--config", str(root / "config.yaml")])
    assert result.exit_code == 1
    assert "another feedtool import is running in this project" in result.stderr
    assert not (root / STATE_NAME).exists()
    assert WEB.requests == []


def test_the_state_file_is_sorted_and_stable(
    tmp_path: Path, web: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path / "agg", web)
    monkeypatch.chdir(root)
    WEB.round = 2
    assert runner.invoke(app, ["import"]).exit_code == 0
    text = (root / STATE_NAME).read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data["sources"]) == sorted(data["sources"])
    for record in data["sources"].values():
        assert list(record) == sorted(record)
        assert record.get("seen", []) == sorted(record.get("seen", []))
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert runner.invoke(app, ["import"]).exit_code == 0
    assert (root / STATE_NAME).read_text(encoding="utf-8") == text  # nothing new, same bytes
    assert not list(root.glob(f"{STATE_NAME}.tmp-*"))


@pytest.mark.parametrize(
    ("follow", "expected"),
    [
        (
            "[https://ok.example.org/feed, https://ok.example.org/feed]",
            "config.yaml:4:41: import.follow[1]: followed twice (also import.follow[0])",
        ),
        ("[missing.opml]", "config.yaml:4:12: import.follow[0]: no such file: 'missing.opml'"),
        ("[ftp://x.example.org/f]", "config.yaml:4:12: import.follow[0]: not an http(s) URL"),
        (
            "[{url: https://ok.example.org/feed, license: All rights reserved}]",
            "config.yaml:4:56: import.follow[0].license: not a Creative Commons or "
            "public-domain license: 'All rights reserved'",
        ),
        (
            "[{url: https://ok.example.org/feed, folder: ../elsewhere}]",
            "config.yaml:4:55: import.follow[0].folder: must be a folder inside paths.content",
        ),
        (
            "[{url: https://ok.example.org/feed, topics: [no such topic]}]",
            "config.yaml:4:56: import.follow[0].topics[0]: unknown topic 'no such topic'",
        ),
        (
            "[{url: https://ok.example.org/feed, regions: [Atlantis]}]",
            "config.yaml:4:57: import.follow[0].regions[0]: unknown region 'Atlantis'",
        ),
        (
            "[{link: https://ok.example.org/feed}]",
            "config.yaml:4:13: import.follow[0].link: unknown key",
        ),
        ("[[a]]", "config.yaml:4:12: import.follow[0]: expected a string or a mapping, got a list"),
        ("https://ok.example.org/feed", "config.yaml:4:11: import.follow: expected a list"),
    ],
)
def test_follow_is_validated_with_lines(tmp_path: Path, follow: str, expected: str) -> None:
    (tmp_path / "config.yaml").write_text(
        f"site: {{base_url: https://x.example.org/}}\nimport:\n  timeout: 5\n  follow: {follow}\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml")
    assert str(info.value).startswith(expected), str(info.value)


def test_followed_feeds_and_overrides_are_read(tmp_path: Path) -> None:
    (tmp_path / "list.opml").write_text("<opml/>")
    (tmp_path / "config.yaml").write_text(
        "site: {base_url: https://x.example.org/}\n"
        "import:\n"
        "  follow:\n"
        "    - https://a.example.org/feed\n"
        "    - {url: list.opml, source: B, folder: b, topics: [economy], regions: [AM]}\n"
    )
    cfg = load_config(tmp_path / "config.yaml")
    a, b = cfg.import_.feeds
    assert (a.url, a.source, a.folder) == ("https://a.example.org/feed", "", "")
    assert (b.url, b.source, b.folder, b.topics, b.regions) == (
        "list.opml",
        "B",
        "b",
        ("economy",),
        ("AM",),
    )
    assert (cfg.import_.timeout, cfg.import_.max_size) == (20.0, 20)
    # What `import` follows is no input of a build: its cache stays valid.
    (tmp_path / "config.yaml").write_text("site: {base_url: https://x.example.org/}\n")
    assert load_config(tmp_path / "config.yaml").fingerprint == cfg.fingerprint


def test_a_feed_larger_than_the_cap_fails(
    tmp_path: Path, web: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path / "agg", web)
    text = config(web).replace("  timeout: 5\n", "  timeout: 5\n  max_size: 1\n")
    (root / "config.yaml").write_text(text)
    monkeypatch.setattr(
        "tests.test_follow.ETAG_FEED", ETAG_FEED.replace(b"<title>", b" " * 2**20 + b"<title>", 1)
    )
    monkeypatch.chdir(root)
    code, report, _stderr = import_json()
    assert code == 0
    assert by_source(report)["etag.xml"]["error"] == "larger than 1 MB"


@pytest.mark.parametrize(
    ("rights", "expected"),
    [
        ("", "CC BY 3.0"),  # the feed states none: the outlet's site does
        ("Creative Commons Attribution, see our policy", "CC BY 3.0"),  # no version
        ("CC BY-SA 4.0", "CC BY-SA 4.0"),  # another license: the feed wins
        ("Creative Commons Attribution 4.0", "CC BY 4.0"),  # a version: the feed wins
        ("© 2024 Outlet. All rights reserved.", None),  # not open: skipped
    ],
)
def test_the_outlet_license_fills_in_what_the_feed_leaves_out(
    tmp_path: Path, rights: str, expected: str | None
) -> None:
    from feedtool.config import FollowConfig
    from feedtool.importer import import_sources

    feed = atom("Outlet", [("https://outlet.example.org/1", "Rain in Yerevan", "01")])
    feed = feed.replace(b"<rights>CC BY 4.0</rights>", f"<rights>{rights}</rights>".encode())
    (tmp_path / "feed.atom").write_bytes(feed)
    follow = FollowConfig(str(tmp_path / "feed.atom"), license="CC BY 3.0")
    report = import_sources([follow], tmp_path / "seeds", tmp_path / STATE_NAME)
    found = [meta.get("license") for meta in articles(tmp_path).values()]
    assert found == ([expected] if expected else [])
    assert report.feeds[0].skipped == (0 if expected else 1)


def test_the_documented_aggregator_config_is_valid(tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "aggregator.md").read_text()
    block = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "config.yaml").write_text(block, encoding="utf-8")
    cfg = load_config(tmp_path / "config.yaml")
    feeds = cfg.import_.feeds
    assert [f.license for f in feeds] == ["CC BY 3.0", "CC BY 4.0", "CC BY 4.0"]
    assert all(f.url.startswith("https://") and f.folder for f in feeds)


def test_redirects_temporary_unsafe_and_a_moved_feed_that_fails(tmp_path: Path, web: str) -> None:
    from feedtool.importer import import_sources

    state = tmp_path / STATE_NAME
    sources = [f"{web}/for-now.xml", f"{web}/to-ftp.xml", f"{web}/gone-after-move.xml"]
    report = import_sources(sources, tmp_path / "seeds", state, timeout=5)
    temporary, ftp, gone = report.feeds
    assert (temporary.status, temporary.moved_to, len(temporary.written)) == ("imported", "", 1)
    assert temporary.notes == [f"redirected to {web}/new.xml"]
    assert ftp.failed == "HTTP 301 redirects to 'ftp://127.0.0.1/feed.xml', not an http(s) URL"
    assert gone.failed == "HTTP 404 Not Found"
    records = json.loads(state.read_text())["sources"]
    assert "url" not in records.get(f"{web}/for-now.xml", {})  # a 302 is not remembered
    assert f"{web}/gone-after-move.xml" not in records  # nothing learnt from a failure

    # A feed that moved permanently, then fails where it moved: asked where it was given.
    records = {f"{web}/old.xml": {"url": f"{web}/gone.xml"}}
    state.write_text(json.dumps({"version": 1, "sources": records}))
    WEB.requests.clear()
    report = import_sources([f"{web}/old.xml"], tmp_path / "seeds", state, timeout=5)
    (failed,) = report.feeds
    assert [p for p, _ in WEB.requests] == ["/gone.xml"]
    assert failed.failed == "HTTP 404 Not Found" and failed.fetched_from == f"{web}/gone.xml"
    assert (
        report.errors[0].message == f"HTTP 404 Not Found (asked at {web}/gone.xml, where it moved)"
    )
    assert failed.summary() == (
        f"{web}/old.xml: failed: HTTP 404 Not Found; the next import asks {web}/old.xml again"
    )
    WEB.requests.clear()
    report = import_sources([f"{web}/old.xml"], tmp_path / "seeds", state, timeout=5)
    assert [p for p, _ in WEB.requests] == ["/old.xml", "/new.xml"]
    assert report.feeds[0].moved_to == f"{web}/new.xml"


@pytest.mark.slow
def test_a_feed_slower_than_the_timeout_fails_and_the_next_is_read(
    tmp_path: Path, web: str
) -> None:
    from feedtool.importer import import_sources

    started = time.monotonic()
    report = import_sources(
        [f"{web}/slow.xml", f"{web}/etag.xml"], tmp_path / "seeds", tmp_path / STATE_NAME, timeout=1
    )
    assert time.monotonic() - started < 2.5  # not the server's 3 s
    slow, etag = report.feeds
    assert slow.failed == "cannot fetch: timed out"
    assert len(etag.written) == 2
