"""``feedtool import``: feeds and OPML lists, licenses, no duplicates, polite HTTP."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import feedparser
import pytest
import yaml
from typer.testing import CliRunner

from feedtool.cli import app
from feedtool.importer import STATE_NAME, USER_AGENT, body_html_blocks, import_sources
from feedtool.sources.markdown import split_front_matter

FEEDS = Path(__file__).parent / "data" / "feeds"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def front(path: Path) -> dict[str, Any]:
    doc = split_front_matter(path.read_text(encoding="utf-8"))
    assert doc.front_matter is not None
    data = yaml.safe_load(doc.front_matter)
    assert isinstance(data, dict)
    return data


def run(sources: list[str], into: Path, **kw: Any) -> Any:
    return import_sources(sources, into, into.parent / STATE_NAME, **kw)


def test_atom_items_become_markdown_files(tmp_path: Path) -> None:
    into = tmp_path / "seeds"
    report = run([str(FEEDS / "agency.atom")], into)
    assert [p.name for p in report.written] == [
        "2024-05-01-port-workers-in-georgia-end-strike.md",
        "2024-05-01-armenia-and-iran-sign-a-road-agreement.md",
    ]
    assert report.feeds[0].summary() == (
        f"Example Agency ({FEEDS / 'agency.atom'}): 3 entries: 2 new, 0 already imported, "
        "1 skipped (1 license not open)"
    )
    meta = front(into / "2024-05-01-port-workers-in-georgia-end-strike.md")
    assert meta == {
        "title": "Port workers in Georgia end strike",
        "date": "2024-05-01T09:30:00+00:00",
        "updated": "2024-05-02T08:00:00+00:00",
        "source": "Example Agency",
        "source_url": "https://agency.example.org/news/1001",
        "author": "Nino Beridze",
        "license": "CC BY 4.0",  # the feed's rel="license" link
        "summary": "Dock workers in Batumi returned to work after a two-day strike.",
        "id": "tag:agency.example.org,2024:1001",
    }
    # The entry's own rights (public domain) win over the feed's license.
    assert front(into / "2024-05-01-armenia-and-iran-sign-a-road-agreement.md")["license"] == (
        "Public domain"
    )


def test_content_is_sanitised_html_in_blocks(tmp_path: Path) -> None:
    run([str(FEEDS / "agency.atom")], tmp_path / "seeds")
    text = (tmp_path / "seeds/2024-05-01-port-workers-in-georgia-end-strike.md").read_text()
    body = text.split("---\n", 2)[2]
    assert "<script" not in body and "javascript:" not in body and "alert(1)" not in body
    assert body.strip().split("\n\n") == [
        "<p>BATUMI – Dock workers in Batumi returned to work on Wednesday after a two-day "
        "strike over pay.</p>",
        "<p>The port authority said traffic would be back to normal by Friday. "
        "<a>link</a></p>",  # its javascript: href is gone, and with it the rel
        "<p>Loose text after the paragraphs.</p>",
    ]


def test_entry_rights_that_are_not_open_are_skipped_with_a_message(tmp_path: Path) -> None:
    report = run([str(FEEDS / "agency.atom")], tmp_path / "seeds")
    assert [p.format() for p in report.skipped] == [
        f"{FEEDS / 'agency.atom'}:32: entry tag:agency.example.org,2024:1003: skipped (license "
        "not open): 'A story the agency does not license': not a Creative Commons or "
        "public-domain license: '© 2024 Example Agency. All rights reserved.'\n"
        "  hint: import it anyway with --allow-unlicensed if you may republish it"
    ]
    assert report.errors == []


def test_rss_items_creative_commons_and_dc_rights(tmp_path: Path) -> None:
    into = tmp_path / "seeds"
    report = run([str(FEEDS / "wire.rss")], into)
    names = [p.name for p in report.written]
    assert names == [
        "2024-05-03-russia-and-iran-discuss-the-north-south-corridor.md",
        "2024-05-04-azerbaijan-opens-a-new-rail-line.md",
    ]
    first = front(into / names[0])
    assert first["license"] == "CC BY-SA 4.0"  # creativeCommons:license of the channel
    assert first["author"] == "Wire Desk"
    # A guid that is not a URI is not used as the entry id; the link is.
    assert first["id"] == "https://wire.example.org/2024/05/03/corridor"
    assert "full content" not in first
    second = front(into / names[1])
    assert second["license"] == "CC BY 4.0"  # the item's dc:rights
    assert "summary" not in second  # no full content: the description is the body
    body = (into / names[1]).read_text().split("---\n", 2)[2].strip()
    assert body == "<p>BAKU – Azerbaijan opened a rail line to the Georgian border on Saturday.</p>"


def test_unlicensed_feed_is_skipped_unless_allowed(tmp_path: Path) -> None:
    into = tmp_path / "seeds"
    report = run([str(FEEDS / "unlicensed.rss")], into)
    assert report.written == []
    assert report.skipped[0].message == (
        "skipped (no license): 'An unlicensed post': no license stated by the entry or the feed"
    )
    report = run([str(FEEDS / "unlicensed.rss")], into, allow_unlicensed=True)
    assert [p.name for p in report.written] == ["2024-05-05-an-unlicensed-post.md"]
    assert "license" not in front(report.written[0])


def test_reimport_adds_only_new_items_and_never_overwrites(tmp_path: Path) -> None:
    into = tmp_path / "seeds"
    first = run([str(FEEDS / "agency.atom"), str(FEEDS / "wire.rss")], into)
    assert len(first.written) == 4
    edited = first.written[0]
    edited.write_text(edited.read_text() + "\nEdited by hand.\n")
    first.written[1].unlink()  # deleted by the editor: stays deleted
    again = run([str(FEEDS / "agency.atom"), str(FEEDS / "wire.rss")], into)
    assert again.written == []
    assert [(f.known, f.skipped) for f in again.feeds] == [(2, 1), (2, 0)]
    assert edited.read_text().endswith("Edited by hand.\n")
    assert not first.written[1].exists()


def test_dedup_by_front_matter_without_state(tmp_path: Path) -> None:
    into = tmp_path / "seeds"
    run([str(FEEDS / "wire.rss")], into)
    (tmp_path / STATE_NAME).unlink()
    again = run([str(FEEDS / "wire.rss")], into)
    assert again.written == [] and again.feeds[0].known == 2


def test_same_name_gets_a_suffix_not_an_overwrite(tmp_path: Path) -> None:
    into = tmp_path / "seeds"
    into.mkdir()
    taken = into / "2024-05-04-azerbaijan-opens-a-new-rail-line.md"
    taken.write_text("mine\n")
    report = run([str(FEEDS / "wire.rss")], into)
    assert report.written[1].name == "2024-05-04-azerbaijan-opens-a-new-rail-line-2.md"
    assert taken.read_text() == "mine\n"


def test_opml_lists_feeds_relative_to_itself(tmp_path: Path) -> None:
    report = run([str(FEEDS / "feeds.opml")], tmp_path / "seeds")
    assert [f.title for f in report.feeds] == ["Example Agency", "Example Wire"]
    assert len(report.written) == 4


def test_state_file_is_sorted_json_with_seen_keys(tmp_path: Path) -> None:
    run([str(FEEDS / "wire.rss")], tmp_path / "seeds")
    state = yaml.safe_load((tmp_path / STATE_NAME).read_text())
    assert state["version"] == 1
    (key,) = state["sources"]
    assert state["sources"][key]["seen"] == [
        "https://wire.example.org/2024/05/04/rail",
        "wire-2024-0503-01",
    ]


def test_bad_sources_are_errors_and_others_still_import(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<html><body><p>not a feed</p></body></html>")
    report = run(
        [str(tmp_path / "missing.xml"), str(tmp_path / "page.html"), str(FEEDS / "wire.rss")],
        tmp_path / "seeds",
    )
    assert [(p.location.path, p.message.split(":")[0]) for p in report.errors] == [
        (str(tmp_path / "missing.xml"), "no such file"),
        (str(tmp_path / "page.html"), "not an RSS or Atom feed"),
    ]
    assert len(report.written) == 2


def test_body_html_blocks() -> None:
    assert body_html_blocks("") == ""
    assert body_html_blocks("plain <b>bold</b> text") == "<p>plain <b>bold</b> text</p>"
    assert body_html_blocks("<p>a</p>\n\n<ul>\n\n<li>x</li>\n</ul>") == (
        "<p>a</p>\n\n<ul>\n<li>x</li>\n</ul>"
    )
    assert body_html_blocks('<p><abbr title="a>b">x</abbr></p><hr><p>y</p>') == (
        '<p><abbr title="a&gt;b">x</abbr></p>\n\n<hr>\n\n<p>y</p>'
    )
    assert body_html_blocks("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"


# ---------------------------------------------------------------- HTTP on loopback


class _Recorder(BaseHTTPRequestHandler):
    """Serves one feed with an ETag and Last-Modified; answers 304 when they match."""

    body = (FEEDS / "wire.rss").read_bytes()
    requests: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        self.requests.append(dict(self.headers))
        if self.path != "/wire.rss":
            self.send_error(404)
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", '"v1"')
        self.send_header("Last-Modified", "Sat, 04 May 2024 10:00:00 GMT")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_url_fetch_is_polite_and_conditional(tmp_path: Path, recorder: str) -> None:
    into = tmp_path / "seeds"
    first = run([f"{recorder}/wire.rss"], into, timeout=5)
    assert len(first.written) == 2
    assert _Recorder.requests[0]["User-Agent"] == USER_AGENT
    assert "If-None-Match" not in _Recorder.requests[0]
    state = yaml.safe_load((tmp_path / STATE_NAME).read_text())
    record = state["sources"][f"{recorder}/wire.rss"]
    assert record["etag"] == '"v1"'
    assert record["last_modified"] == "Sat, 04 May 2024 10:00:00 GMT"
    second = run([f"{recorder}/wire.rss"], into, timeout=5)
    assert _Recorder.requests[1]["If-None-Match"] == '"v1"'
    assert _Recorder.requests[1]["If-Modified-Since"] == "Sat, 04 May 2024 10:00:00 GMT"
    assert second.written == [] and second.feeds[0].not_modified
    assert second.feeds[0].summary() == f"{recorder}/wire.rss: not modified since the last import"


def test_http_errors_are_reported(tmp_path: Path, recorder: str) -> None:
    report = run([f"{recorder}/gone.rss"], tmp_path / "seeds", timeout=5)
    assert report.errors[0].message == "HTTP 404 Not Found"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_end_to_end_init_import_build_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """init → import an Atom and an RSS 2.0 feed served on loopback → build → feedparser."""
    served = tmp_path / "served"
    shutil.copytree(FEEDS, served)
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert runner.invoke(app, ["init", "news"]).exit_code == 0
        monkeypatch.chdir(tmp_path / "news")
        result = runner.invoke(app, ["import", f"{base}/agency.atom", f"{base}/wire.rss"])
        assert result.exit_code == 0, result.stderr
        assert "imported seeds/2024-05-03-russia-and-iran-discuss-the-north-south-corridor.md" in (
            result.stderr
        )
        assert result.stdout == ""
        again = runner.invoke(app, ["import", f"{base}/agency.atom", f"{base}/wire.rss"])
        assert "not modified since the last import" in again.stderr  # If-Modified-Since
    finally:
        server.shutdown()
        server.server_close()
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0, result.stderr
    site = tmp_path / "news" / "site"
    feeds = sorted(site.rglob("atom.xml"))
    assert feeds
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    everything = feedparser.parse((site / "atom.xml").read_bytes())
    titles = {e.title for e in everything.entries}
    assert {
        "Port workers in Georgia end strike",
        "Armenia and Iran sign a road agreement",
        "Russia and Iran discuss the North-South Corridor",
        "Azerbaijan opens a new rail line",
    } <= titles
    assert "A story the agency does not license" not in titles
    entry = next(e for e in everything.entries if e.title == "Port workers in Georgia end strike")
    assert entry.id == "tag:agency.example.org,2024:1001"  # the original id is kept
    assert any(link.get("rel") == "license" for link in entry.links)
