"""Atom output: RFC 4287 structure, stable ids, license links, hostile text stays well-formed."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import feedparser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedtool.model import Article, SiteModel
from feedtool.render.feeds import render_feed
from feedtool.render.urls import site_feed
from feedtool.sources import read_articles
from feedtool.sources.licenses import parse_license
from feedtool.tagging.base import RegionTag, TopicTag

from .helpers import make_project

A = "{http://www.w3.org/2005/Atom}"


def sample(tmp_path: Path) -> tuple[list[Article], object]:
    cfg = make_project(
        tmp_path / "p",
        {
            "one.md": "---\ntitle: One\ndate: 2024-05-01T10:00:00Z\nsource: Wire\n"
            "source_url: https://wire.example/1\nlicense: CC BY 4.0\n---\nFirst story.\n",
            "two.md": "---\ntitle: Two\ndate: 2024-05-02T10:00:00Z\nupdated: 2024-05-03T00:00:00Z\n"
            "license: CC BY-SA 3.0\nsource: Other\n---\nSecond story.\n",
        },
    )
    articles, _ = read_articles(cfg)
    tagged = [
        a.with_tags(
            topics=(TopicTag("medtop:11000000", "politics and government", 2.0, True),),
            regions=(
                RegionTag("IR", "Iran", "country", True, 3.0, True),
                RegionTag("south-caucasus", "South Caucasus", "region", False, 1.0, True),
            ),
        )
        for a in articles
    ]
    return sorted(tagged, key=lambda a: a.sort_key), cfg


def test_feed_structure(tmp_path: Path) -> None:
    articles, cfg = sample(tmp_path)
    data = render_feed(site_feed(cfg), tuple(articles), cfg)  # type: ignore[arg-type]
    root = etree.fromstring(data)
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}updated") == "2024-05-03T00:00:00+00:00"
    links = {(link.get("rel"), link.get("href")) for link in root.findall(f"{A}link")}
    assert ("self", "https://news.example.org/atom.xml") in links
    assert ("alternate", "https://news.example.org/") in links
    entries = root.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == ["Two", "One"]
    two = entries[0]
    assert two.findtext(f"{A}id") == "tag:news.example.org,2026:two"
    assert two.findtext(f"{A}published") == "2024-05-02T10:00:00+00:00"
    assert two.findtext(f"{A}updated") == "2024-05-03T00:00:00+00:00"
    assert two.findtext(f"{A}author/{A}name") == "Other"
    assert two.findtext(f"{A}rights") == (
        "© Other. CC BY-SA 3.0: https://creativecommons.org/licenses/by-sa/3.0/"
    )
    lic = [link for link in two.findall(f"{A}link") if link.get("rel") == "license"]
    assert [link.get("href") for link in lic] == ["https://creativecommons.org/licenses/by-sa/3.0/"]
    cats = [(c.get("term"), c.get("scheme"), c.get("label")) for c in two.findall(f"{A}category")]
    assert cats == [
        ("11000000", "http://cv.iptc.org/newscodes/mediatopic/", "politics and government"),
        ("IR", "https://www.iso.org/obp/ui/#iso:code:3166:", "Iran"),
        ("south-caucasus", "https://news.example.org/regions/", "South Caucasus"),
    ]
    content = two.find(f"{A}content")
    assert content is not None and content.get("type") == "html"
    assert 'rel="license"' in (content.text or "")


def test_an_entry_has_one_alternate_link_and_links_its_original_as_via(tmp_path: Path) -> None:
    """RFC 4287 §4.1.1: one alternate link per type; the original article is ``via``."""
    articles, cfg = sample(tmp_path)
    data = render_feed(site_feed(cfg), tuple(articles), cfg)  # type: ignore[arg-type]
    one = etree.fromstring(data).findall(f"{A}entry")[1]
    links = [(x.get("rel"), x.get("type"), x.get("href")) for x in one.findall(f"{A}link")]
    assert links == [
        ("alternate", "text/html", "https://news.example.org/articles/one/"),
        ("via", "text/html", "https://wire.example/1"),
        ("license", "text/html", "https://creativecommons.org/licenses/by/4.0/"),
    ]
    entry = feedparser.parse(data).entries[1]
    assert entry.link == "https://news.example.org/articles/one/"  # what readers open


def test_feed_is_deterministic_and_limited(tmp_path: Path) -> None:
    articles, cfg = sample(tmp_path)
    first = render_feed(site_feed(cfg), tuple(articles), cfg)  # type: ignore[arg-type]
    assert first == render_feed(site_feed(cfg), tuple(articles), cfg)  # type: ignore[arg-type]
    small = cfg.replace(feeds=dataclasses.replace(cfg.feeds, limit=1))  # type: ignore[attr-defined]
    root = etree.fromstring(render_feed(site_feed(small), tuple(articles), small))
    assert len(root.findall(f"{A}entry")) == 1


def test_feedparser_reads_it_cleanly(tmp_path: Path) -> None:
    articles, cfg = sample(tmp_path)
    parsed = feedparser.parse(render_feed(site_feed(cfg), tuple(articles), cfg))  # type: ignore[arg-type]
    assert not parsed.bozo
    entry = parsed.entries[0]
    assert entry.id == "tag:news.example.org,2026:two"
    assert [t.term for t in entry.tags][:1] == ["11000000"]
    assert any(link.rel == "license" for link in entry.links)


def test_empty_feed_has_fixed_date(tmp_path: Path) -> None:
    _, cfg = sample(tmp_path)
    root = etree.fromstring(render_feed(site_feed(cfg), (), cfg))  # type: ignore[arg-type]
    assert root.findtext(f"{A}updated") == "2000-01-01T00:00:00+00:00"


XML_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=XML_TEXT, body=XML_TEXT, source=XML_TEXT)
def test_hostile_text_stays_well_formed(tmp_path: Path, title: str, body: str, source: str) -> None:
    """Whatever reaches the feed renderer after reading, the XML parses and is intact."""
    from feedtool.chars import FORBIDDEN

    clean = [FORBIDDEN.sub("", t) for t in (title, body, source)]
    articles, cfg = sample(tmp_path)
    a = dataclasses.replace(
        articles[0],
        title=clean[0] or "x",
        summary=clean[1],
        body_html=f"<p>{clean[1]}</p>",
        source=clean[2] or None,
        license=parse_license("CC BY 4.0"),
        published=datetime.fromisoformat("2024-01-01T00:00:00+00:00"),
    )
    data = render_feed(site_feed(cfg), (a,), cfg)  # type: ignore[arg-type]
    root = etree.fromstring(data)
    assert root.find(f"{A}entry/{A}title").text == (clean[0] or "x")  # type: ignore[union-attr]


def test_model_updated_is_newest(tmp_path: Path) -> None:
    articles, _ = sample(tmp_path)
    model = SiteModel(articles=tuple(articles), taxonomies=())
    assert model.updated == datetime.fromisoformat("2024-05-03T00:00:00+00:00")


#: The ``<head>`` elements OPML 1.0 defines: what every reader of subscription lists and
#: the W3C Feed Validator know (OPML 2.0's ``<docs>`` is an "undefined head element" there).
OPML_HEAD = {
    "title",
    "dateCreated",
    "dateModified",
    "ownerName",
    "ownerEmail",
    "ownerId",
    "expansionState",
    "vertScrollState",
    "windowTop",
    "windowLeft",
    "windowBottom",
    "windowRight",
}


def test_the_opml_list_names_every_feed_with_a_head_readers_know(tmp_path: Path) -> None:
    from feedtool.build import build

    _, cfg = sample(tmp_path)
    build(cfg)  # type: ignore[arg-type]
    out = cfg.output_dir  # type: ignore[attr-defined]
    root = etree.parse(str(out / "feeds.opml")).getroot()
    assert root.get("version") == "2.0"
    head = root.find("head")
    assert head is not None
    assert {child.tag for child in head} <= OPML_HEAD
    assert head.findtext("title")
    outlines = root.findall("body/outline")
    assert outlines
    base = "https://news.example.org/"
    feeds = {o.get("xmlUrl", "").removeprefix(base) for o in outlines}
    assert feeds == {p.relative_to(out).as_posix() for p in out.rglob("atom.xml")}


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(codec="utf-8")),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(_JSON_VALUES)
def test_pretty_json_writes_what_json_dumps_writes(value: object) -> None:
    """The JSON Feed items' writer gives json.dumps's indented layout, byte for byte."""
    import json

    from feedtool.render.feeds import pretty_json

    expected = json.dumps(value, ensure_ascii=False, indent=2)
    assert pretty_json(value) == expected
    assert pretty_json(value, "\n    ") == expected.replace("\n", "\n    ")
