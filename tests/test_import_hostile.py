"""``feedtool import`` over hostile feeds: control characters, items without titles or
ids, empty and broken feeds, legacy encodings, script text, republished entries.

Every feed here is written by the test itself.
"""

from __future__ import annotations

import codecs
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import feedparser
import html5lib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from feedtool.cli import app
from feedtool.importer import STATE_NAME, import_sources, plain_text, strip_controls
from feedtool.sources.markdown import split_front_matter

runner = CliRunner()
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def front(path: Path) -> dict[str, Any]:
    doc = split_front_matter(path.read_text(encoding="utf-8"))
    assert doc.front_matter is not None
    data = yaml.safe_load(doc.front_matter)
    assert isinstance(data, dict)
    return data


def body(path: Path) -> str:
    return split_front_matter(path.read_text(encoding="utf-8")).body.strip()


def run(sources: list[str], into: Path, **kw: Any) -> Any:
    return import_sources(sources, into, into.parent / STATE_NAME, **kw)


def rss(items: str, channel: str = "<title>Test Wire</title>", head: str = "") -> str:
    return (
        f'{head}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel>{channel}<link>https://wire.example.org/</link>"
        f"<dc:rights>CC BY 4.0</dc:rights>{items}</channel></rss>"
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``feedtool init`` project without its sample article; the working dir."""
    assert runner.invoke(app, ["init", "proj"]).exit_code == 0
    root = tmp_path / "proj"
    for seed in (root / "seeds").iterdir():
        seed.unlink()
    monkeypatch.chdir(root)
    return root


# ------------------------------------------------------------ control characters


def test_strip_controls_counts() -> None:
    assert strip_controls("a\x1ab\x07\tc\n\x85d\ud800\ufffe") == ("ab\tc\nd", 5)
    assert strip_controls("\x7fe\ufdd0\ufdef\U0001fffe\U0010ffff\xa0") == ("e\xa0", 5)
    assert strip_controls("plain") == ("plain", 0)


def test_c1_controls_and_noncharacters_in_an_item_never_reach_the_site(project: Path) -> None:
    """DEL and noncharacters, raw and as references in the item's HTML (raw C1 controls
    in UTF-8 are read as the Windows-1252 text they almost always are)."""
    feed = write(
        project / "c1.rss",
        rss(
            "<item><title>Head\x7fline\ufdd0</title>"
            "<link>https://wire.example.org/c1</link>"
            "<dc:creator>Jane\ufdef Doe</dc:creator>"
            "<description><![CDATA[<p>Del&#127;ete &#xFDD0;non&#x10FFFF;char\x7f.</p>]]>"
            "</description></item>"
        ),
    )
    result = runner.invoke(app, ["import", str(feed)])
    assert result.exit_code == 0, result.stderr
    assert "c1.rss:1: removed 7 control character(s) not allowed in XML (1 of 1 entries" in (
        result.stderr
    )
    (path,) = sorted((project / "seeds").glob("*.md"))
    assert not _CONTROL.search(path.read_text(encoding="utf-8"))
    assert front(path)["title"] == "Headline"
    assert front(path)["author"] == "Jane Doe"
    assert body(path) == "<p>Delete nonchar.</p>"
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0, result.stderr
    assert "control character" not in result.stderr  # none left for the reader to find
    for page in (project / "site").rglob("*.html"):
        html5lib.HTMLParser(strict=True).parse(page.read_bytes())


def test_control_characters_from_entities_never_reach_the_site(project: Path) -> None:
    feed = write(
        project / "hostile.rss",
        rss(
            "<item><title>alpha&#x1A;amp;omega</title>"
            "<link>https://wire.example.org/1</link>"
            "<dc:creator>Jane&#7; Doe</dc:creator>"
            "<category>x&#x1B;y</category>"
            "<description>Bell &amp;#x7; stays text. Escape &#x1B;[31m red.</description>"
            "</item>"
            "<item><title>Second \\x07 item</title><link>https://wire.example.org/2</link>"
            "<description><![CDATA[<p>Para&#x8; one</p>]]></description></item>"
        ),
    )
    result = runner.invoke(app, ["import", str(feed)])
    assert result.exit_code == 0, result.stderr
    # title 1, author 1, body 2 (the description is HTML: its "&#x7;" is a character
    # reference too); the second entry's body 1.
    assert (
        "hostile.rss:1: removed 5 control character(s) not allowed in XML (2 of 2 entries; "
        "the first is here)"
    ) in result.stderr
    # The file holds a character reference XML 1.0 forbids: named with its line.
    assert re.search(
        r"hostile\.rss:1:\d+: not well-formed XML: reference to invalid", result.stderr
    )
    written = sorted((project / "seeds").glob("*.md"))
    assert len(written) == 2
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert not _CONTROL.search(text)
    first = front(project / "seeds" / "alphaamp-omega.md")
    assert first["title"] == "alphaamp;omega"
    assert first["author"] == "Jane Doe"
    assert (
        body(project / "seeds" / "alphaamp-omega.md") == "<p>Bell  stays text. Escape [31m red.</p>"
    )
    assert front(project / "seeds" / "second-x07-item.md")["title"] == "Second \\x07 item"
    for command in (["build"], ["check"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.stderr)
        assert "internal error" not in result.stderr
    atom = feedparser.parse((project / "site" / "atom.xml").read_bytes())
    assert not atom.bozo
    assert {e.title for e in atom.entries} == {"alphaamp;omega", "Second \\x07 item"}


@pytest.mark.parametrize(
    "nasty",
    [
        "quote \" and ' and : colon # hash",
        "- leading dash",
        "yes",
        "2024-05-01",
        "line\u2028separator",
        "bom\ufeff inside",
        "tab\there",
        "trailing space ",
        "{not: a mapping}",
        "[not, a, list]",
        "!!python/object:os.system",
        "*alias",
        "emoji 🦊 and 漢字",
    ],
)
def test_front_matter_reads_back_exactly(tmp_path: Path, nasty: str) -> None:
    from xml.sax.saxutils import escape

    feed = write(
        tmp_path / "f.rss",
        rss(
            f"<item><title>{escape(nasty)}</title><link>https://wire.example.org/n</link>"
            f"<dc:creator>{escape(nasty)}</dc:creator><description>Text.</description></item>"
        ),
    )
    report = run([str(feed)], tmp_path / "seeds")
    (path,) = report.written
    meta = front(path)
    expected = " ".join(nasty.split())
    assert meta["title"] == expected
    assert meta["author"] == expected


# ------------------------------------------------------------ items with only a description


DESCRIPTION_ONLY = rss(
    "<item><description>Dock workers in Batumi returned to work on Wednesday after a "
    "two-day strike over pay. The port said traffic would be normal by Friday."
    "</description><pubDate>Wed, 01 May 2024 09:30:00 +0400</pubDate></item>"
    "<item><description>&lt;p&gt;Armenia and Iran signed a road agreement.&lt;/p&gt;"
    "</description><pubDate>Thu, 02 May 2024 10:00:00 +0000</pubDate></item>"
)


def test_description_only_items_become_articles_with_derived_title_and_id(
    tmp_path: Path,
) -> None:
    feed = write(tmp_path / "bare.rss", DESCRIPTION_ONLY)
    report = run([str(feed)], tmp_path / "seeds")
    assert [p.name for p in report.written] == [
        "2024-05-01-dock-workers-in-batumi-returned-to-work-on-wednesday-after.md",
        "2024-05-02-armenia-and-iran-signed-a-road-agreement.md",
    ]
    assert report.feeds[0].summary() == (
        f"Test Wire ({feed}): 2 entries: 2 new, 0 already imported, 0 skipped"
    )
    first, second = (front(p) for p in report.written)
    assert first["title"] == (
        "Dock workers in Batumi returned to work on Wednesday after a two-day strike over pay"
    )
    assert first["date"] == "2024-05-01T09:30:00+04:00"
    assert second["title"] == "Armenia and Iran signed a road agreement"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", first["id"])
    assert first["id"] != second["id"]
    # The id depends on the content only: another folder, another run, the same id.
    again = run([str(feed)], tmp_path / "elsewhere" / "seeds")
    assert [front(p)["id"] for p in again.written] == [first["id"], second["id"]]
    # And a re-import knows them.
    third = run([str(feed)], tmp_path / "seeds")
    assert third.written == [] and third.feeds[0].known == 2


def test_non_uri_guid_without_link_gets_a_stable_id(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "g.rss",
        rss(
            '<item><guid isPermaLink="false">item-17</guid><title>One</title></item>'
            '<item><guid isPermaLink="false">item-18</guid><title>One</title></item>'
        ),
    )
    report = run([str(feed)], tmp_path / "seeds")
    ids = [front(p)["id"] for p in report.written]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    assert [front(p)["id"] for p in run([str(feed)], tmp_path / "b" / "seeds").written] == ids


def test_a_urn_uuid_id_without_a_uuid_is_not_kept(tmp_path: Path) -> None:
    """``urn:uuid:`` must be followed by a UUID (RFC 4122); an id that is not (as in the
    W3C validator's test feeds) is treated like any id that is not a URI."""
    good = "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    bad = "urn:uuid:cdef5c6d5-gff8-4ebb-assa-80dwe44efkjo"
    feed = write(
        tmp_path / "u.rss",
        rss(
            f'<item><guid isPermaLink="false">{good}</guid><title>Good</title></item>'
            f'<item><guid isPermaLink="false">{bad}</guid><title>Bad</title></item>'
        ),
    )
    report = run([str(feed)], tmp_path / "seeds")
    ids = {front(p)["title"]: front(p)["id"] for p in report.written}
    assert ids["Good"] == good
    basis = f"https://wire.example.org/\n{bad}"
    assert ids["Bad"] == f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, basis)}"
    again = run([str(feed)], tmp_path / "seeds")
    assert again.written == [] and again.feeds[0].known == 2


# ------------------------------------------------------------ every entry accounted for


ACCOUNTING = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Mixed Agency</title>
  <id>tag:mixed.example.org,2024:feed</id>
  <updated>2024-05-02T08:00:00Z</updated>
  <entry><id>tag:mixed.example.org,2024:1</id><title>Licensed story</title>
    <updated>2024-05-01T08:00:00Z</updated><rights>CC BY 4.0</rights>
    <summary>Open text.</summary></entry>
  <entry><id>tag:mixed.example.org,2024:2</id><title>Closed story</title>
    <updated>2024-05-01T08:00:00Z</updated><rights>All rights reserved</rights>
    <summary>Closed text.</summary></entry>
  <entry><id>tag:mixed.example.org,2024:3</id><title>Unstated story</title>
    <updated>2024-05-01T08:00:00Z</updated><summary>No license here.</summary></entry>
  <entry><id>javascript:alert(1)</id><title>Script story</title>
    <updated>2024-05-01T08:00:00Z</updated><rights>CC BY 4.0</rights>
    <summary>Has a script id.</summary></entry>
  <entry><id>tag:mixed.example.org,2024:1</id><title>Licensed story again</title>
    <updated>2024-05-01T08:00:00Z</updated><rights>CC BY 4.0</rights>
    <summary>Same id.</summary></entry>
  <entry><id>tag:mixed.example.org,2024:6</id><title></title>
    <updated>2024-05-01T08:00:00Z</updated><rights>CC BY 4.0</rights>
    <summary type="html">&lt;script&gt;alert(6)&lt;/script&gt;</summary></entry>
</feed>
"""


def test_every_entry_is_written_known_or_skipped_with_a_reason(project: Path) -> None:
    feed = write(project / "mixed.atom", ACCOUNTING)
    result = runner.invoke(app, ["import", "mixed.atom"])
    assert result.exit_code == 0, result.stderr
    assert (
        "Mixed Agency (mixed.atom): 6 entries: 1 new, 0 already imported, 5 skipped "
        "(1 no license, 1 license not open, 1 unsafe, 1 duplicate id, 1 no usable text)"
    ) in result.stderr
    for line, entry_id, reason in [  # each at the line where the entry is
        (9, "tag:mixed.example.org,2024:2", "license not open"),
        (12, "tag:mixed.example.org,2024:3", "no license"),
        (14, "javascript:alert(1)", "unsafe"),
        (17, "tag:mixed.example.org,2024:1", "duplicate id"),
        (20, "tag:mixed.example.org,2024:6", "no usable text"),
    ]:
        assert f"mixed.atom:{line}: entry {entry_id}: skipped ({reason})" in result.stderr
    again = runner.invoke(app, ["import", str(feed)])
    assert "6 entries: 0 new, 1 already imported, 5 skipped" in again.stderr
    assert "alert" not in "".join(p.read_text() for p in (project / "seeds").glob("*.md"))


# ------------------------------------------------------------ empty, untitled, broken


def test_empty_feed_and_untitled_channel_import(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.rss", rss(""))
    atom = write(
        tmp_path / "empty.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet</title>'
        "<id>tag:q.example.org,2024:f</id><updated>2024-05-01T00:00:00Z</updated></feed>",
    )
    untitled = write(
        tmp_path / "untitled.rss",
        '<rss version="2.0"><channel><link>https://u.example.org/</link>'
        "<item><title>Lone item</title><link>https://u.example.org/1</link>"
        "<description>Text.</description></item></channel></rss>",
    )
    report = run([str(empty), str(atom), str(untitled)], tmp_path / "seeds", allow_unlicensed=True)
    assert report.errors == []
    assert [f.summary() for f in report.feeds] == [
        f"Test Wire ({empty}): 0 entries: 0 new, 0 already imported, 0 skipped; "
        "the feed holds no entries",
        f"Quiet ({atom}): 0 entries: 0 new, 0 already imported, 0 skipped; "
        "the feed holds no entries",
        f"{untitled}: 1 entry: 1 new, 0 already imported, 0 skipped",
    ]
    assert "source" not in front(report.written[0])


def test_parse_errors_name_the_file_and_line(tmp_path: Path) -> None:
    page = write(
        tmp_path / "page.xml",
        '<?xml version="1.0"?>\n<html>\n<body>\n<p>Not a feed</p>\n<br attr=>\n</body></html>\n',
    )
    result = runner.invoke(app, ["import", "--into", "seeds", str(page)])
    assert result.exit_code == 1
    assert "<unknown>" not in result.stderr
    assert (
        f"{page}:5:10: not an RSS or Atom feed: not well-formed XML: "
        "not well-formed (invalid token)"
    ) in result.stderr
    # A feed read past its error: a warning at the line, and what could be read.
    broken = write(
        tmp_path / "broken.rss",
        '<rss version="2.0">\n<channel>\n<title>A</title>\n<item><title>One</title>'
        "<link>https://a.example.org/1</link></item>\n<oops attr=>\n</channel></rss>\n",
    )
    result = runner.invoke(app, ["import", "--into", "seeds", "--allow-unlicensed", str(broken)])
    assert result.exit_code == 0, result.stderr
    assert f"{broken}:5:12: not well-formed XML: not well-formed (invalid token)" in (result.stderr)
    assert "A (" in result.stderr and "1 entry: 1 new" in result.stderr


# ------------------------------------------------------------ encodings


GAME = "ゲーム三昧な正月"


def item_feed(title: str, prolog: str = "") -> str:
    return rss(
        f"<item><title>{title}</title><link>https://wire.example.org/e</link>"
        f"<description>{title}. {title}.</description></item>",
        head=prolog,
    )


@pytest.mark.parametrize(
    ("encoding", "title"),
    [
        ("EUC-JP", GAME),
        ("Shift_JIS", GAME),
        ("KOI8-R", "Как пережить новогоднюю ночь"),
        ("EUC-KR", "한글 닉네임 표시하기"),
        ("GB2312", "不归移民漫画系列"),
    ],
)
def test_encoding_declared_in_the_prolog(tmp_path: Path, encoding: str, title: str) -> None:
    feed = write(
        tmp_path / "f.rss",
        item_feed(title, f'<?xml version="1.0" encoding="{encoding}"?>\n'),
        encoding,
    )
    report = run([str(feed)], tmp_path / "seeds")
    assert front(report.written[0])["title"] == title
    assert report.warnings == []


@pytest.mark.parametrize(
    ("encoding", "title"),
    [
        ("euc_jp", GAME),
        ("koi8_r", "Как пережить новогоднюю ночь, не теряя головы и друзей"),
        ("euc_kr", "한글 닉네임 표시하기 어렵지 않아요"),
    ],
)
def test_undeclared_encoding_is_detected_and_said(
    tmp_path: Path, encoding: str, title: str
) -> None:
    feed = write(tmp_path / "f.rss", item_feed(title), encoding)
    report = run([str(feed)], tmp_path / "seeds")
    assert front(report.written[0])["title"] == title
    (warning,) = report.warnings
    # charset-normalizer may name a superset (cp949 for EUC-KR): the text is the same.
    assert warning.message.startswith("no usable encoding declared; detected ")
    assert codecs.decode(title.encode(encoding), warning.message.rsplit(" ", 1)[1]) == title


def test_undeclared_latin1_stays_latin1(tmp_path: Path) -> None:
    feed = write(tmp_path / "f.rss", item_feed("La crème brûlée à Málaga"), "latin-1")
    report = run([str(feed)], tmp_path / "seeds")
    assert front(report.written[0])["title"] == "La crème brûlée à Málaga"
    assert "windows-1252" in report.warnings[0].message


def test_undeterminable_encoding_is_said(tmp_path: Path) -> None:
    garbage = bytes(range(0x80, 0x100)) * 3
    data = item_feed("TITLE").encode().replace(b"TITLE", garbage, 1)
    (tmp_path / "f.rss").write_bytes(data)
    report = run([str(tmp_path / "f.rss")], tmp_path / "seeds")
    assert any("could not determine the character encoding" in w.message for w in report.warnings)


class _Charset(BaseHTTPRequestHandler):
    """Serves feeds whose encoding only the Content-Type header declares."""

    feeds: ClassVar[dict[str, tuple[bytes, str]]] = {}

    def do_GET(self) -> None:
        data, content_type = self.feeds[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def charset_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Charset)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("encoding", "title"),
    [("Shift_JIS", GAME), ("EUC-KR", "한글 닉네임"), ("KOI8-R", "Новый год")],
)
def test_encoding_declared_in_the_http_header(
    tmp_path: Path, charset_server: str, encoding: str, title: str
) -> None:
    _Charset.feeds["/f.rss"] = (
        item_feed(title).encode(encoding),
        f"application/rss+xml; charset={encoding}",
    )
    report = run([f"{charset_server}/f.rss"], tmp_path / "seeds", timeout=5)
    assert front(report.written[0])["title"] == title
    assert report.warnings == []


# ------------------------------------------------------------ script text


def test_script_and_style_text_never_reaches_plain_text_fields(tmp_path: Path) -> None:
    hostile = (
        "&lt;p&gt;Safe words.&lt;/p&gt;&lt;script&gt;alert(4)&lt;/script&gt;"
        "&lt;style&gt;p{color:red}&lt;/style&gt;&lt;noscript&gt;alert(5)&lt;/noscript&gt;"
        "&lt;iframe&gt;alert(6)&lt;/iframe&gt;&lt;p&gt;More words.&lt;/p&gt;"
    )
    feed = write(
        tmp_path / "s.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>S</title><id>tag:s,2024:f</id>'
        "<updated>2024-05-01T00:00:00Z</updated><rights>CC BY 4.0</rights>"
        "<entry><id>tag:s,2024:1</id><updated>2024-05-01T00:00:00Z</updated>"
        f'<title type="html">Head&lt;script&gt;alert(3)&lt;/script&gt;line</title>'
        f'<summary type="html">{hostile}</summary><content type="html">{hostile}</content>'
        "</entry></feed>",
    )
    report = run([str(feed)], tmp_path / "seeds")
    (path,) = report.written
    text = path.read_text()
    assert "alert" not in text and "color:red" not in text
    meta = front(path)
    assert meta["title"] == "Headline"
    assert body(path) == "<p>Safe words.</p>\n\n<p>More words.</p>"
    assert plain_text("<p>a</p><script>x()</script><p>b</p>") == "a b"


# ------------------------------------------------------------ attribution chain


REPUBLISHED = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Aggregator</title><id>tag:agg.example.org,2024:feed</id>
  <updated>2024-05-02T08:00:00Z</updated>
  <link href="https://agg.example.org/"/>
  <link rel="license" href="{CC_BY}"/>
  <entry><id>tag:agg.example.org,2024:1</id><title>From another outlet</title>
    <published>2024-05-01T12:30:00+03:30</published>
    <updated>2024-05-01T12:30:00+03:30</updated>
    <link href="https://agg.example.org/1"/>
    <author><name>Jane Doe</name></author>
    <source><id>tag:orig.example.org,2024:feed</id><title>Original Outlet</title>
      <link href="https://orig.example.org/news/1"/>
      <rights>CC BY-SA 4.0</rights><updated>2024-05-01T09:00:00Z</updated></source>
    <summary>Text.</summary></entry>
  <entry><id>tag:agg.example.org,2024:2</id><title>Credited in the rights line</title>
    <updated>2024-05-01T10:00:00-05:00</updated>
    <link href="https://agg.example.org/2"/>
    <rights>© 2024 Global Voices. CC BY 3.0</rights>
    <summary>Text.</summary></entry>
  <entry><id>tag:agg.example.org,2024:4</id><title>Source with a home page</title>
    <updated>2024-05-01T10:00:00Z</updated>
    <link href="https://agg.example.org/4"/>
    <source><title>Third Outlet</title><link href="https://third.example.org/"/></source>
    <summary>Text.</summary></entry>
  <entry><id>tag:agg.example.org,2024:3</id><title>Own story</title>
    <updated>2024-05-01T10:00:00Z</updated>
    <link href="https://agg.example.org/3"/>
    <author><name>Aggregator</name></author>
    <summary>Text.</summary></entry>
</feed>
"""


def test_republished_entries_credit_the_original_outlet(tmp_path: Path) -> None:
    feed = write(tmp_path / "agg.atom", REPUBLISHED)
    rss_feed = write(
        tmp_path / "agg.rss",
        rss(
            "<item><title>RSS republished</title><link>https://wire.example.org/r</link>"
            '<source url="https://orig.example.net/rss">Other Wire</source>'
            "<dc:creator>Ann Roe</dc:creator><description>Text.</description></item>"
        ),
    )
    report = run([str(feed), str(rss_feed)], tmp_path / "seeds")
    metas = [front(p) for p in report.written]
    assert [(m["source"], m.get("source_url"), m.get("author"), m["license"]) for m in metas] == [
        ("Original Outlet", "https://orig.example.org/news/1", "Jane Doe", "CC BY-SA 4.0"),
        ("Global Voices", "https://agg.example.org/2", None, "CC BY 3.0"),
        ("Third Outlet", "https://agg.example.org/4", None, "CC BY 4.0"),
        ("Aggregator", "https://agg.example.org/3", None, "CC BY 4.0"),
        ("Other Wire", "https://wire.example.org/r", "Ann Roe", "CC BY 4.0"),
    ]
    assert metas[0]["date"] == "2024-05-01T12:30:00+03:30"
    assert metas[1]["date"] == "2024-05-01T10:00:00-05:00"


def test_a_feedtool_site_feed_imports_with_every_credit(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Build a site from hand-written articles, import its atom.xml into a new project."""
    (project / "seeds" / "talks.md").write_text(
        "---\ntitle: Tehran talks on the corridor\ndate: 2024-05-01T12:30:00+03:30\n"
        "updated: 2024-05-02T08:00:00+03:30\nsource: Example News Agency\n"
        "source_url: https://news.example.net/1\nauthor: Jane Doe\nlicense: CC BY 4.0\n"
        "topics: [20000638]\nregions: [AM]\n---\n\n"
        "TEHRAN – Officials met on Wednesday to discuss the North-South Corridor.\n",
        encoding="utf-8",
    )
    (project / "seeds" / "undated.md").write_text(
        "---\ntitle: A story without a byline\nsource: Other Outlet\nlicense: CC BY-SA 4.0\n"
        "date: 2024-04-30T23:15:00-07:00\n---\n\nYEREVAN – A second story about roads.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["build"]).exit_code == 0
    site_feed = project / "site" / "atom.xml"
    original = {e.id: e for e in feedparser.parse(site_feed.read_bytes()).entries}

    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init", "copy"]).exit_code == 0
    copy = tmp_path / "copy"
    shutil.rmtree(copy / "seeds")
    (copy / "seeds").mkdir()
    monkeypatch.chdir(copy)
    result = runner.invoke(app, ["import", str(site_feed)])
    assert result.exit_code == 0, result.stderr
    metas = {front(p)["title"]: front(p) for p in (copy / "seeds").glob("*.md")}
    talks = metas["Tehran talks on the corridor"]
    assert talks["source"] == "Example News Agency"
    assert talks["source_url"] == "https://news.example.net/1"
    assert talks["author"] == "Jane Doe"
    assert talks["license"] == "CC BY 4.0"
    assert talks["date"] == "2024-05-01T12:30:00+03:30"
    assert talks["updated"] == "2024-05-02T08:00:00+03:30"
    assert "20000638" in talks["topics"] and "AM" in talks["regions"]
    other = metas["A story without a byline"]
    assert (other["source"], other["license"], other["date"]) == (
        "Other Outlet",
        "CC BY-SA 4.0",
        "2024-04-30T23:15:00-07:00",
    )
    assert "author" not in other
    for path in (copy / "seeds").glob("*.md"):
        assert "Source:" not in body(path)  # the credit line is metadata, not body text
    # Built again, the copy's feed carries the same ids, credits, dates and categories.
    assert runner.invoke(app, ["build"]).exit_code == 0
    rebuilt = {e.id: e for e in feedparser.parse((copy / "site/atom.xml").read_bytes()).entries}
    assert set(rebuilt) == set(original)
    for entry_id, entry in original.items():
        again = rebuilt[entry_id]
        assert again.get("author") == entry.get("author")
        assert again.get("rights") == entry.get("rights")
        assert again.published == entry.published and again.updated == entry.updated
        assert {t.term for t in entry.tags} <= {t.term for t in again.tags}


def test_script_text_in_a_markdown_article_reaches_no_page_or_feed(project: Path) -> None:
    (project / "seeds" / "s.md").write_text(
        "---\ntitle: Script test\ndate: 2024-05-01\nlicense: CC BY 4.0\nsource: X\n---\n\n"
        "Safe words here. <script>alert(4)</script> More <noscript>alert(5)</noscript> words "
        "<iframe>alert(6)</iframe><style>p{color:red}</style>.\n\n"
        "<script>\nalert(7)\n</script>\n\nLast paragraph with **bold** text.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0, result.stderr
    page = (project / "site/articles/s/index.html").read_text()
    assert "Safe words here. More words ." in page  # the summary, in <meta> and JSON-LD
    for path in (project / "site").rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text()
            assert "alert(" not in text and "color:red" not in text, path


def test_the_demo_site_feed_imports_with_its_credits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped demo (config.yaml + seeds/) built, then its atom.xml imported afresh."""
    repo = Path(__file__).resolve().parents[1]
    demo = tmp_path / "demo"
    demo.mkdir()
    shutil.copy(repo / "config.yaml", demo / "config.yaml")
    shutil.copytree(repo / "seeds", demo / "seeds")
    monkeypatch.chdir(demo)
    assert runner.invoke(app, ["build", "--out", str(tmp_path / "out")]).exit_code == 0
    site_feed = tmp_path / "out" / "atom.xml"
    original = feedparser.parse(site_feed.read_bytes()).entries
    assert original

    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init", "fresh"]).exit_code == 0
    monkeypatch.chdir(tmp_path / "fresh")
    for seed in Path("seeds").iterdir():
        seed.unlink()
    result = runner.invoke(app, ["import", str(site_feed)])
    assert result.exit_code == 0, result.stderr
    assert f"{len(original)} new, 0 already imported, 0 skipped" in result.stderr
    metas = {front(p)["id"]: (front(p), body(p)) for p in Path("seeds").glob("*.md")}
    for entry in original:
        meta, text = metas[entry.id]
        assert meta["title"] == entry.title
        assert meta["license"] == "CC BY 4.0"
        assert meta["source"] == "Mehr News Agency"  # the outlet, not the site
        assert meta.get("author") != "feedtool demo"
        terms = {t.term for t in entry.tags}
        assert terms == set(meta.get("topics", [])) | set(meta.get("regions", []))
        assert "License:" not in text
    assert runner.invoke(app, ["build"]).exit_code == 0


def test_invalid_urls_are_refused_or_ignored_never_a_crash(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "v6.rss",
        rss(
            "<item><title>Bad links</title><link>http://[::1</link>"
            "<guid>http://[zz]/g</guid><description>Text.</description></item>"
            "<item><title>Bad port</title><link>https://a.example.org:99999/x</link>"
            "<description>Text.</description></item>"
        ),
    )
    opml = write(
        tmp_path / "list.opml",
        '<opml version="1.0"><body><outline xmlUrl="http://[::1/feed"/></body></opml>',
    )
    report = run([str(feed), str(opml), "https://[::1/x"], tmp_path / "seeds")
    assert [(p.location.path, p.message) for p in report.errors] == [
        ("http://[::1/feed", "not a valid http(s) URL"),
        ("https://[::1/x", "not a valid http(s) URL"),
    ]
    metas = [front(p) for p in report.written]
    assert [m["title"] for m in metas] == ["Bad links", "Bad port"]
    assert all("source_url" not in m for m in metas)
    assert all(m["id"].startswith("urn:uuid:") for m in metas)


_PIECES = st.sampled_from(
    [
        "&#x1A;",
        "&amp;#x7;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<![CDATA[<p>x</p><script>alert(2)</script>]]>",
        "&#0;",
        "\x1b",
        "\u2028",
        "javascript:void(3)",
        "http://[::1",
        "© 2024 Some Outlet. CC BY 4.0",
        "Mon, 31 Feb 2024 25:61:00 +2500",
        "2024-05-01T12:30:00+03:30",
        "&amp;",
        "&nbsp;",
        "]]>",
        "<b>",
        "'\"",
    ]
)
_FIELD = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=4).map("".join)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(
        st.fixed_dictionaries(
            dict.fromkeys(("title", "link", "guid", "description", "pubDate", "dc:creator"), _FIELD)
        ),
        max_size=4,
    ),
    channel_title=_FIELD,
)
def test_any_feed_text_imports_and_reads_back(
    tmp_path: Path, fields: list[dict[str, str]], channel_title: str
) -> None:
    """Whatever the items hold, import accounts for each, and what it writes reads back
    as front matter free of control characters."""
    items = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items() if v) + "</item>"
        for item in fields
    )
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    feed = write(folder / "f.rss", rss(items, channel=f"<title>{channel_title}</title>"))
    report = run([str(feed)], folder / "seeds", allow_unlicensed=True)
    for result in report.feeds:
        assert result.entries == len(result.written) + result.known + result.skipped
    well_formed = not any("not well-formed" in w.message for w in report.warnings)
    for path in report.written:
        text = path.read_text(encoding="utf-8")
        assert not _CONTROL.search(text)
        meta = front(path)
        assert isinstance(meta["title"], str) and meta["title"]
        assert "<script" not in body(path)
        if well_formed:
            # (A feed that is not well-formed XML is read leniently by feedparser, which
            # may leave markup escaped: then it shows as text, as escaped text does.)
            assert "alert(" not in text


def test_rss_text_with_markup_is_html_atom_text_is_text(tmp_path: Path) -> None:
    feed = write(
        tmp_path / "m.rss",
        rss(
            "<item><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; co&lt;script&gt;alert(1)"
            "&lt;/script&gt;</title><link>https://wire.example.org/m</link>"
            "<dc:creator>&lt;i&gt;Jane&lt;/i&gt; Doe</dc:creator>"
            "<description>Text.</description></item>"
        ),
    )
    atom = write(
        tmp_path / "m.atom",
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>tag:a,2024:f</id>'
        "<updated>2024-05-01T00:00:00Z</updated><rights>CC BY 4.0</rights>"
        "<entry><id>tag:a,2024:1</id><updated>2024-05-01T00:00:00Z</updated>"
        '<title type="text">History of the &lt;blink&gt; tag</title>'
        "<author><name>&lt;i&gt;Ann&lt;/i&gt;</name></author><summary>Text.</summary></entry>"
        "</feed>",
    )
    report = run([str(feed), str(atom)], tmp_path / "seeds")
    first, second = (front(p) for p in report.written)
    assert (first["title"], first["author"]) == ("Bold & co", "Jane Doe")
    assert (second["title"], second["author"]) == ("History of the <blink> tag", "<i>Ann</i>")
