"""Feed formats as data: the RSS 2.0 and JSON Feed twins of every Atom feed, and the RFC 5005
archive chain that holds every article of a feed once, in stable pages."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import fastfeedparser
import feedparser
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from feedtool.build import build, model_for
from feedtool.cli import app
from feedtool.config import FEED_FORMATS, Config
from feedtool.errors import FeedtoolError
from feedtool.model import Article
from feedtool.render import feeds
from feedtool.render.feeds import RENDERERS
from feedtool.render.pool import KeptEntries
from feedtool.render.urls import (
    FORMATS,
    FeedDoc,
    all_feeds,
    archive_pages,
    archive_slice,
    normal_uri,
)
from feedtool.serve import _content_type

from .conftest import tree
from .helpers import CONFIG, make_project

A = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
CC = "{http://backend.userland.com/creativeCommonsRssModule}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DCTERMS = "{http://purl.org/dc/terms/}"
BASE = "https://news.example.org/"
SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)
ALL = CONFIG + "  limit: 5\n  formats: [atom, rss, json]\n  archives: true\n"

PLACES = [
    ("Kenya", "NAIROBI", "election"),
    ("Iran", "TEHRAN", "parliament"),
    ("Brazil", "SÃO PAULO", "inflation"),
    ("Japan", "TOKYO", "earthquake"),
]


def story(n: int, *, year: int = 2024) -> str:
    """Article ``n``: a dated story about one of four countries, every third with a byline
    and every other linking its original."""
    country, city, topic = PLACES[n % len(PLACES)]
    lines = [
        "---",
        f"title: {country} story {n} <&>",
        f"date: {year}-{1 + n % 12:02d}-{1 + n % 27:02d}T{n % 24:02d}:00:00Z",
        "source: Test Wire",
        "license: CC BY 4.0",
    ]
    if n % 3 == 0:
        lines.append("author: Ann Lee")
    if n % 2 == 0:
        lines.append(f"source_url: https://wire.example/{n}")
    return (
        "\n".join(lines) + "\n---\n\n"
        f"{city} – The {topic} in {country} dominated the news on day {n}. "
        f"Officials in {country} said the {topic} would continue.\n\n"
        f"The government of {country} met on Tuesday. Parliament voted on the budget.\n"
    )


def project(root: Path, n: int, config: str = ALL) -> Config:
    return make_project(root, {f"s{i:03d}.md": story(i) for i in range(n)}, config)


def local(site: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return site / url[len(BASE) :]


# --- formats as data -----------------------------------------------------------------------


def test_every_format_has_a_renderer_and_its_own_files() -> None:
    assert set(FORMATS) == set(RENDERERS) == set(FEED_FORMATS) == {"atom", "rss", "json"}
    paths = {f.path("topics/x/") for f in FORMATS.values()}
    paths |= {f.path("topics/x/", 3) for f in FORMATS.values()}
    assert paths == {
        "topics/x/atom.xml",
        "topics/x/rss.xml",
        "topics/x/feed.json",
        "topics/x/atom-3.xml",
        "topics/x/rss-3.xml",
        "topics/x/feed-3.json",
    }


def test_atom_alone_by_default_and_formats_checked(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", {"a.md": story(1)})
    assert cfg.feeds.formats == ("atom",)
    build(cfg)
    assert (cfg.output_dir / "atom.xml").exists()
    assert not (cfg.output_dir / "rss.xml").exists()
    assert not (cfg.output_dir / "feed.json").exists()
    assert not (cfg.output_dir / "feeds-rss.opml").exists()

    for formats, message in [
        ("[atom, rss, yaml]", "unknown feed format 'yaml'"),
        ("[rss, json]", "must include `atom`"),
        ("[atom, rss, rss]", "lists a format twice"),
    ]:
        with pytest.raises(FeedtoolError) as info:
            make_project(tmp_path / "bad", {}, CONFIG + f"  formats: {formats}\n")
        text = str(info.value)
        assert "config.yaml:7:" in text and "feeds.formats" in text and message in text, text
        assert "hint:" in text


def test_pages_opml_and_subscribe_page_list_every_format(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 3)
    build(cfg)
    site = cfg.output_dir
    page = (site / "index.html").read_text(encoding="utf-8")
    for media_type, name in [
        ("application/atom+xml", "atom.xml"),
        ("application/rss+xml", "rss.xml"),
        ("application/feed+json", "feed.json"),
    ]:
        assert f'<link rel="alternate" type="{media_type}"' in page
        assert f'href="{BASE}{name}"' in page
    term = next((site / "regions").glob("*/index.html"))
    folder = term.parent.relative_to(site).as_posix()
    text = term.read_text(encoding="utf-8")
    for name in ("atom.xml", "rss.xml", "feed.json"):
        assert f'href="{BASE}{folder}/{name}"' in text
    subscribe = (site / "feeds" / "index.html").read_text(encoding="utf-8")
    for name in ("feeds.opml", "feeds-rss.opml", "feeds-json.opml"):
        assert f'href="../{name}"' in subscribe
        assert (site / name).exists()
    shown = re.sub(r"<[^>]+>", "", subscribe)  # the addresses, without their break hints
    assert f"{BASE}{folder}/feed.json" in shown
    assert f'href="{BASE}{folder}/feed.json"' not in subscribe  # feeds are not opened raw
    rss_opml = etree.parse(str(site / "feeds-rss.opml"))
    urls = [o.get("xmlUrl") for o in rss_opml.iter("outline")]
    assert urls and all(u.endswith("/rss.xml") for u in urls)


def test_serve_sends_each_format_with_its_media_type(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 8)
    build(cfg)
    site = cfg.output_dir
    for name, kind in [
        ("atom.xml", "application/atom+xml"),
        ("atom-1.xml", "application/atom+xml"),
        ("rss.xml", "application/rss+xml"),
        ("rss-2.xml", "application/rss+xml"),
        ("feed.json", "application/feed+json"),
        ("feed-1.json", "application/feed+json"),
        ("sitemap.xml", "application/xml"),
    ]:
        assert _content_type(site / name, "text/plain") == f"{kind}; charset=utf-8", name


# --- the RSS twin --------------------------------------------------------------------------


def test_rss_item_says_what_the_atom_entry_says(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 4)
    build(cfg)
    atom = etree.parse(str(cfg.output_dir / "atom.xml")).getroot()
    rss = etree.parse(str(cfg.output_dir / "rss.xml")).getroot()
    assert rss.get("version") == "2.0"
    channel = rss.find("channel")
    assert channel is not None
    self_links = [
        link.get("href") for link in channel.findall(f"{A}link") if link.get("rel") == "self"
    ]
    assert self_links == [BASE + "rss.xml"]
    assert channel.findtext("copyright")
    assert channel.find(f"{FH}complete") is not None  # 4 articles, a limit of 5
    entries = atom.findall(f"{A}entry")
    items = channel.findall("item")
    assert len(items) == len(entries) == 4
    for entry, item in zip(entries, items, strict=True):
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "false"
        assert guid.text == entry.findtext(f"{A}id")
        assert item.findtext("title") == entry.findtext(f"{A}title")
        published = datetime.fromisoformat(entry.findtext(f"{A}published") or "")
        assert parsedate_to_datetime(item.findtext("pubDate") or "") == published
        assert item.findtext(f"{DCTERMS}modified") == entry.findtext(f"{A}updated")
        assert [c.text for c in item.findall(f"{DC}creator")] == [
            a.findtext(f"{A}name") for a in entry.findall(f"{A}author")
        ]
        assert [(c.text, c.get("domain")) for c in item.findall("category")] == [
            (c.get("term"), c.get("scheme")) for c in entry.findall(f"{A}category")
        ]
        license_links = [
            link.get("href") for link in entry.findall(f"{A}link") if link.get("rel") == "license"
        ]
        assert [c.text for c in item.findall(f"{CC}license")] == license_links
        assert item.findtext(f"{DC}rights") == entry.findtext(f"{A}rights")
        assert item.findtext(f"{CONTENT}encoded") == entry.findtext(f"{A}content")
        assert item.findtext("description") == entry.findtext(f"{A}summary")
        via = [link.get("href") for link in entry.findall(f"{A}link") if link.get("rel") == "via"]
        source = item.find("source")
        if via:
            assert source is not None and source.get("url") == via[0]
            assert source.text == "Test Wire"
        else:
            assert source is None
    assert "<&>" in (items[0].findtext("title") or "")


# --- the JSON Feed twin --------------------------------------------------------------------


def test_every_json_feed_validates_against_the_json_feed_schema(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 23)
    build(cfg)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    documents = sorted(cfg.output_dir.rglob("feed*.json"))
    assert len(documents) > 20 and any("-" in p.name for p in documents)
    for path in documents:
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_bytes()))]
        assert errors == [], path


def test_the_json_feed_schema_refuses_what_the_spec_forbids() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    item = {"id": "1", "content_html": "<p>x</p>", "date_published": "2024-05-01T10:00:00Z"}
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [item]}
    assert validator.is_valid(good)
    assert validator.is_valid({**good, "_x": {"about": "https://example.org/"}})
    for bad in [
        {k: v for k, v in good.items() if k != "items"},
        {**good, "version": "https://jsonfeed.org/version/2"},
        {**good, "items": [{"id": "1"}]},  # neither content_html nor content_text
        {**good, "items": [{**item, "date_published": "1 May 2024"}]},
        {**good, "items": [{**item, "tags": "a,b"}]},
        {**good, "authors": [{}]},
        {**good, "licence": "x"},  # not a key of the spec, nor an extension
        {**good, "_x": "not an object"},
    ]:
        assert not validator.is_valid(bad), bad


def test_json_feed_extension_carries_license_source_and_categories(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 2)
    build(cfg)
    feed = json.loads((cfg.output_dir / "feed.json").read_bytes())
    assert feed["feed_url"] == BASE + "feed.json"
    assert feed["_feedtool"]["complete"] is True
    item = next(i for i in feed["items"] if "external_url" in i)
    ext = item["_feedtool"]
    assert ext["about"].startswith("https://")
    assert ext["license"] == {
        "code": "CC BY 4.0",
        "name": "Creative Commons Attribution 4.0 International",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert ext["source"] == {"title": "Test Wire", "url": item["external_url"]}
    assert ext["rights"].startswith("© Test Wire. CC BY 4.0")
    assert [c["label"] for c in ext["categories"]] == item["tags"]


ENTRY_KEYS = ("id", "title", "link", "published", "updated")


def _utc(when: time.struct_time | datetime | str | None) -> tuple[int, ...] | None:
    """Year to second of a time in UTC: a ``struct_time`` in UTC (feedparser's
    ``*_parsed``), a datetime or an RFC 3339 text."""
    if when is None:
        return None
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if isinstance(when, datetime):
        when = when.astimezone(UTC).utctimetuple()
    return tuple(when)[:6]


def _feedparser_entries(data: bytes) -> list[dict[str, Any]]:
    """An Atom or RSS document as feedparser reads it."""
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [
        {
            "id": e.id,
            "title": e.title,
            "link": e.link,
            "published": _utc(e.get("published_parsed")),
            "updated": _utc(e.get("updated_parsed")),
            "categories": [(t.term, t.scheme) for t in e.get("tags", [])],
        }
        for e in parsed.entries
    ]


def _fastfeedparser_entries(data: bytes) -> list[dict[str, Any]]:
    """An Atom, RSS or JSON Feed document as fastfeedparser reads it (feedparser 6.0 reads
    no JSON Feed): a JSON Feed's tags are its categories' labels, RSS has no labels."""
    return [
        {
            "id": e["id"],
            "title": e["title"],
            "link": e["link"],
            "published": _utc(e.get("published")),
            "updated": _utc(e.get("updated")),
            "tags": [(t["term"], t["scheme"], t["label"]) for t in e.get("tags", [])],
        }
        for e in fastfeedparser.parse(data).entries
    ]


def _json_categories(data: bytes) -> list[dict[str, Any]]:
    """Each JSON Feed item's tags, and its categories in the ``_feedtool`` extension (which
    no library reads), by their specifications."""
    return [
        {
            "tags": item.get("tags", []),
            "categories": [(c["term"], c["scheme"]) for c in item["_feedtool"]["categories"]],
        }
        for item in json.loads(data)["items"]
    ]


def test_the_three_formats_hold_the_same_entries(tmp_path: Path) -> None:
    """feedparser reads the Atom and RSS documents, fastfeedparser all three, to the same
    ids, titles, links, dates and categories."""
    files = {f"s{i:03d}.md": story(i) for i in range(12)}
    for name in ("s001.md", "s006.md"):  # edited since: updated is not published
        files[name] = files[name].replace(
            "license:", "updated: 2025-02-03T04:05:06+01:00\nlicense:"
        )
    cfg = make_project(tmp_path / "p", files, ALL)
    build(cfg)
    site = cfg.output_dir
    topic = next(p.parent for p in (site / "topics").glob("*/atom-1.xml"))
    source = next(p.parent for p in (site / "sources").glob("*/atom-1.xml"))
    updated = 0
    for folder in (site, topic, source):
        for archive in ("", "-1"):
            atom_file, rss_file = folder / f"atom{archive}.xml", folder / f"rss{archive}.xml"
            json_file = folder / f"feed{archive}.json"
            atom = _feedparser_entries(atom_file.read_bytes())
            rss = _feedparser_entries(rss_file.read_bytes())
            fast = [_fastfeedparser_entries(f.read_bytes()) for f in (atom_file, rss_file)]
            fast_json = _fastfeedparser_entries(json_file.read_bytes())
            spec_json = _json_categories(json_file.read_bytes())
            assert atom, folder
            assert len(atom) == len(rss) == len(fast[0]) == len(fast[1]) == len(fast_json)
            assert len(spec_json) == len(atom)
            for a, r, fa, fr, fj, sj in zip(atom, rss, *fast, fast_json, spec_json, strict=True):
                assert a["published"] is not None and a["categories"]
                for key in ENTRY_KEYS:
                    assert a[key] == r[key] == fa[key] == fr[key] == fj[key], (folder, key)
                assert a["categories"] == r["categories"] == sj["categories"]
                assert [(t, s) for t, s, _ in fa["tags"]] == a["categories"]
                assert [(t, s) for t, s, _ in fr["tags"]] == a["categories"]
                labels = [label for _, _, label in fa["tags"]]
                assert all(labels) and labels == sj["tags"] == [t for t, _, _ in fj["tags"]]
                updated += a["updated"] != a["published"]
    assert updated >= 2


def test_documents_are_what_a_plain_serialiser_writes(tmp_path: Path) -> None:
    """Each RSS and JSON Feed item is made once for the documents that list it and put in
    as bytes: the documents are still what lxml and json write for the whole, and the
    same when rendered alone, in any order."""
    cfg = project(tmp_path / "p", 23)
    model, _ = model_for(cfg)
    docs = [
        (doc, feeds.doc_articles(doc, listed, cfg))
        for info in all_feeds(model, cfg)
        for listed in [info.term.articles if info.term is not None else model.articles]
        for doc in feeds.feed_docs(info, listed, cfg)
    ]
    assert len({d.format.name for d, _ in docs}) == 3 and any(d.archive for d, _ in docs)
    kept = KeptEntries(cfg, size=8)  # fewer than a document's entries: some are dropped
    shared = [feeds.render_doc(doc, articles, cfg, kept) for doc, articles in docs]
    alone = [feeds.render_doc(doc, articles, cfg) for doc, articles in reversed(docs)]
    assert shared == alone[::-1]
    for (doc, _), data in zip(docs, shared, strict=True):
        if doc.format.name == "json":
            plain = json.dumps(json.loads(data), ensure_ascii=False, indent=2) + "\n"
            assert data == plain.encode("utf-8"), doc.path
        elif doc.format.name == "rss":
            root = etree.fromstring(data)
            etree.indent(root, space="  ")
            assert data == etree.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


# --- links to the original ----------------------------------------------------------------

# RFC 3986 appendix A, for an absolute URI: only these characters, and "%" only in an escape.
URI = re.compile(
    r"[a-z][a-z0-9+.-]*://[A-Za-z0-9._~!$&'()*+,;=:@%\[\]-]*"
    r"(/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*(\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?"
    r"(#[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?"
)
ESCAPES = re.compile(r"%(?![0-9A-F]{2})")


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        (
            "https://wire.example/2024/06/a-[Arts]-b.html",
            "https://wire.example/2024/06/a-%5BArts%5D-b.html",
        ),
        (
            "https://en.wikinews.org/wiki/In_Andalucía,_Spain",
            "https://en.wikinews.org/wiki/In_Andaluc%C3%ADa,_Spain",
        ),
        ("http://Rung.VN/lesson.html", "http://rung.vn/lesson.html"),
        ("HTTPS://Wire.example:443", "https://wire.example/"),
        (
            "https://wire.example:8443/a%2fb%7e?q=a b#x y",
            "https://wire.example:8443/a%2Fb~?q=a%20b#x%20y",
        ),
        ("https://münchen.example/straße", "https://xn--mnchen-3ya.example/stra%C3%9Fe"),
        ("https://wire.example/100%", "https://wire.example/100%25"),
        ("https://wire.example/it's?a=1&b=(2)", "https://wire.example/it's?a=1&b=(2)"),
    ],
)
def test_a_link_to_the_original_is_a_uri_in_normal_form(written: str, normal: str) -> None:
    assert normal_uri(written) == normal
    assert normal_uri(normal) == normal
    assert URI.fullmatch(normal) and not ESCAPES.search(normal)


@given(st.text(max_size=40))
def test_any_link_becomes_a_uri_and_stays_one(path: str) -> None:
    normal = normal_uri("https://Wire.example/" + path)
    assert URI.fullmatch(normal), normal
    assert not ESCAPES.search(normal), normal
    assert normal_uri(normal) == normal


def test_every_format_links_the_original_as_a_uri(tmp_path: Path) -> None:
    """An article's ``source_url`` as written (an IRI with brackets, a capital host) is
    carried as a URI in every format; the page keeps it as written."""
    written = "https://Wire.example/2024/07/rain-[Science]-fossil-in-Paraná.html"
    normal = "https://wire.example/2024/07/rain-%5BScience%5D-fossil-in-Paran%C3%A1.html"
    text = story(1).replace("source: Test Wire", f"source: Test Wire\nsource_url: {written}")
    cfg = make_project(tmp_path / "p", {"a.md": text}, ALL)
    build(cfg)
    site = cfg.output_dir
    entry = etree.parse(str(site / "atom.xml")).getroot().find(f"{A}entry")
    assert entry is not None
    via = [x.get("href") for x in entry.findall(f"{A}link") if x.get("rel") == "via"]
    assert via == [normal]
    assert entry.findtext(f"{A}source/{A}id") == normal
    assert entry.find(f"{A}source/{A}link").get("href") == normal  # type: ignore[union-attr]
    item = etree.parse(str(site / "rss.xml")).getroot().find("channel/item")
    assert item is not None and item.find("source").get("url") == normal  # type: ignore[union-attr]
    json_item = json.loads((site / "feed.json").read_bytes())["items"][0]
    assert json_item["external_url"] == json_item["_feedtool"]["source"]["url"] == normal
    assert written in (site / "articles" / "a" / "index.html").read_text(encoding="utf-8")


# --- RFC 5005 archives ---------------------------------------------------------------------


def test_archive_pages_are_full_but_the_newest() -> None:
    assert archive_pages(0, 5) == archive_pages(5, 5) == 0  # the feed holds them all
    assert archive_pages(6, 5) == 2
    assert archive_pages(10, 5) == 3  # the newest page is empty until the next article
    articles = tuple(range(12, 0, -1))  # newest first
    pages = [archive_slice(articles, n, 5) for n in range(1, archive_pages(12, 5) + 1)]
    assert pages == [(5, 4, 3, 2, 1), (10, 9, 8, 7, 6), (12, 11)]


def _chain(site: Path, start: str, kind: str) -> tuple[list[str], list[list[str]]]:
    """The subscription document's ids, and each archive page's (newest page first),
    following the links a reader follows: ``prev-archive`` (Atom, RSS) or ``next_url``
    (JSON Feed). Checks each page's marks and links on the way."""
    current = BASE + start
    url: str | None = current
    seen: list[str] = []
    first: list[str] | None = None
    pages: list[list[str]] = []
    newer: str | None = None
    while url is not None:
        assert url not in seen, "the chain loops"
        seen.append(url)
        data = local(site, url).read_bytes()
        is_archive = url != current
        if kind == "json":
            doc = json.loads(data)
            ids = [i["id"] for i in doc["items"]]
            ext = doc["_feedtool"]
            links = {k: v for k, v in ext.items() if k in ("current", "next_archive")}
            links = {k.replace("_", "-"): v for k, v in links.items()}
            assert ext.get("archive", False) is is_archive
            following = doc.get("next_url")
            assert ext.get("prev_archive") == following
        else:
            root = etree.fromstring(data)
            head = root if kind == "atom" else root.find("channel")
            assert head is not None
            ids = [e.findtext(f"{A}id") or "" for e in root.iter(f"{A}entry")]
            ids += [i.findtext("guid") or "" for i in root.iter("item")]
            rels = {link.get("rel"): link.get("href") for link in head.findall(f"{A}link")}
            assert rels["self"] == url
            links = {k: v for k, v in rels.items() if k in ("current", "next-archive")}
            assert (head.find(f"{FH}archive") is not None) is is_archive
            following = rels.get("prev-archive")
        if is_archive:
            assert links.get("current") == current
            assert links.get("next-archive") == newer
            pages.append(ids)
        else:
            assert not links
            first = ids
        newer = url if is_archive else None
        url = following
    assert first is not None
    return first, pages


def _expected(site: Path, folder: str) -> list[str]:
    """The ids a feed must hold: every article's for the site, else those whose article
    page links the term's page (read from the pages, not from the feeds)."""
    ids = []
    for page in sorted((site / "articles").glob("*/index.html")):
        if folder and f'href="../../{folder}"' not in page.read_text(encoding="utf-8"):
            continue
        ids.append(f"tag:news.example.org,2026:{page.parent.name}")
    return ids


@pytest.mark.parametrize("kind", ["atom", "rss", "json"])
def test_walking_the_archive_chain_gives_every_article_once(tmp_path: Path, kind: str) -> None:
    cfg = project(tmp_path / "p", 23)
    build(cfg)
    site = cfg.output_dir
    name = {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"}[kind]
    topic = next(p.parent for p in (site / "topics").glob("*/atom-2.xml"))
    walked = 0
    for folder in ("", topic.relative_to(site).as_posix() + "/"):
        expected = _expected(site, folder)
        assert len(expected) > 5, folder
        first, pages = _chain(site, folder + name, kind)
        assert len(first) == 5 and set(first) <= set(expected)
        held = [i for page in pages for i in page]
        assert len(held) == len(set(held)), "an article in two archive pages"
        assert sorted(held) == sorted(expected)
        assert [len(p) for p in pages[1:]] == [5] * (len(pages) - 1)  # all full but the newest
        assert len(pages[0]) < 5
        walked += 1
    assert walked == 2


def _feed_files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.stem.split("-")[0] in ("atom", "rss", "feed")
    }


def _split(path: str) -> tuple[tuple[str, str], int | None]:
    """``((folder, format's file), archive page number or None)`` of a feed file."""
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.partition(".")
    base, _, number = stem.partition("-")
    return (folder, base + dot + suffix), int(number) if number else None


def test_adding_an_article_changes_only_the_feed_and_its_newest_archive_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = project(tmp_path / "p", 23)
    build(cfg)
    site = cfg.output_dir
    files_before = tree(site)
    before = _feed_files(site)
    (cfg.content_dir / "new.md").write_text(story(4, year=2025), encoding="utf-8")
    rendered: list[str] = []  # (a site this small is rendered in this process)

    def render_doc(
        doc: FeedDoc,
        articles: tuple[Article, ...],
        cfg: Config,
        entry_of: feeds.EntryOf | None = None,
    ) -> bytes:
        rendered.append(doc.path)
        return RENDERERS[doc.format.name](doc, articles, cfg, entry_of)

    monkeypatch.setattr(feeds, "render_doc", render_doc)
    result = CliRunner().invoke(app, ["-v", "build", "--config", str(cfg.root / "config.yaml")])
    assert result.exit_code == 0, result.stderr
    files_after = tree(site)
    after = _feed_files(site)

    # What `feedtool -v build` lists is what changed, file by file.
    listed: dict[str, set[str]] = {"added": set(), "changed": set(), "removed": set()}
    for line in result.stderr.splitlines():
        kind, _, path = line.partition(": ")
        if kind in listed:
            listed[kind].add(path)
    assert listed["changed"] == {
        p for p in files_before if p in files_after and files_before[p] != files_after[p]
    }
    assert listed["added"] == set(files_after) - set(files_before)
    assert listed["removed"] == set(files_before) - set(files_after)
    count = sum(len(paths) for paths in listed.values())
    assert f"; {count:,} file(s) changed" in result.stderr

    changed = {p for p in before if p in after and before[p] != after[p]}
    added = set(after) - set(before)
    assert set(before) <= set(after)
    # The site's feed: 23 articles were 4 full pages and 3 on page 5; now 4 there.
    for name in ("atom.xml", "atom-5.xml", "rss.xml", "rss-5.xml", "feed.json", "feed-5.json"):
        assert name in changed
    # Everywhere: only a subscription document or the newest archive page changed, and a
    # page is added only after the newest one filled up (or as the first archive appeared).
    newest: dict[tuple[str, str], int] = {}
    for path in before:
        where, number = _split(path)
        if number:
            newest[where] = max(newest.get(where, 0), number)
    for path in changed:
        where, number = _split(path)
        assert number is None or number == newest[where], path
    for path in added:
        where, number = _split(path)
        assert number is not None
        assert number == newest.get(where, 0) + 1 or (where not in newest and number <= 2), path
    full = [p for p in before if _split(p)[1] not in (None, newest.get(_split(p)[0]))]
    assert full and all(before[p] == after[p] for p in full)
    # A full page is not even rendered again: only what may have changed is.
    assert changed | added <= set(rendered)
    assert not set(rendered) & set(full)
    # The incremental build is the cold build, byte for byte.
    build(cfg, out_dir=tmp_path / "cold", cache=False, jobs=1)
    assert tree(tmp_path / "cold") == tree(site)


def test_an_edit_changes_the_archive_page_holding_the_article(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 23)
    build(cfg)
    before = _feed_files(cfg.output_dir)
    # s001 is among the five oldest: on page 1 of the site feed.
    edited = story(1).replace("would continue.", "would continue, they added.")
    (cfg.content_dir / "s001.md").write_text(edited, encoding="utf-8")
    build(cfg)
    after = _feed_files(cfg.output_dir)
    changed = {p for p in before if before[p] != after[p]}
    assert {"atom-1.xml", "rss-1.xml", "feed-1.json"} <= changed
    assert not {"atom.xml", "atom-2.xml", "atom-5.xml"} & changed
    build(cfg, out_dir=tmp_path / "cold", cache=False, jobs=1)
    assert tree(tmp_path / "cold") == tree(cfg.output_dir)


def test_a_full_archive_page_never_changes(tmp_path: Path) -> None:
    cfg = project(
        tmp_path / "p", 6, CONFIG + "  limit: 3\n  formats: [atom, rss, json]\n  archives: true\n"
    )
    build(cfg)
    full: dict[str, bytes] = {}
    for n in range(6, 13):
        # Each newer than the last: an article dated back among the archives moves them.
        (cfg.content_dir / f"late{n}.md").write_text(story(n, year=2020 + n), encoding="utf-8")
        build(cfg)
        files = _feed_files(cfg.output_dir)
        for path, data in full.items():
            assert files[path] == data, f"{path} changed after it was full"
        site_pages = sorted(
            (p for p in files if "/" not in p and "-" in p), key=lambda p: (p.split("-")[0], p)
        )
        for path in site_pages:
            stem, number = path.split(".")[0].split("-")
            if f"{stem}-{int(number) + 1}.{path.split('.')[1]}" in files:
                full.setdefault(path, files[path])
    assert len(full) == 4 * 3  # 13 articles: pages 1-4 full in each format, page 5 not


# --- newsboat ------------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("newsboat") is None, reason="newsboat is not installed (apt-get install newsboat)"
)
def test_newsboat_reads_the_rss_twin_and_keeps_its_items(tmp_path: Path) -> None:
    cfg = project(tmp_path / "p", 8)
    build(cfg)
    rss = cfg.output_dir / "rss.xml"
    home = tmp_path / "home"
    home.mkdir()
    urls = home / "urls"
    urls.write_text(f"file://{rss}\n", encoding="utf-8")
    db = home / "cache.db"
    config = home / "config"
    config.write_text("", encoding="utf-8")

    def reload() -> list[tuple[str, str, str, int]]:
        """newsboat's items after a reload: guid, title, link and date (epoch seconds)."""
        run = subprocess.run(
            ["newsboat", "-u", str(urls), "-c", str(db), "-C", str(config), "-x", "reload"],
            capture_output=True,
            text=True,
            timeout=60,
            env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            check=False,
        )
        assert run.returncode == 0, run.stderr
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT guid, title, url, pubDate FROM rss_item")
            return sorted(rows)

    def atom_entries() -> list[tuple[str, str, str, int]]:
        """What the Atom feed says of the same entries (the canonical format)."""
        entries = etree.parse(str(cfg.output_dir / "atom.xml")).getroot().iter(f"{A}entry")
        return sorted(
            (
                e.findtext(f"{A}id") or "",
                e.findtext(f"{A}title") or "",
                next(
                    x.get("href") or ""
                    for x in e.findall(f"{A}link")
                    if x.get("rel") == "alternate"
                ),
                int(datetime.fromisoformat(e.findtext(f"{A}published") or "").timestamp()),
            )
            for e in entries
        )

    # newsboat reads a file it cannot parse without an error: no items then.
    first = reload()
    assert first == atom_entries() and len(first) == 5
    assert reload() == reload() == first
    # A newer article: the next reload adds its item and keeps the others as they were.
    (cfg.content_dir / "new.md").write_text(story(8, year=2025), encoding="utf-8")
    build(cfg)
    now = reload()
    assert set(first) < set(now) and len(now) == 6
    assert set(now) - set(first) <= set(atom_entries())
