"""Taxonomies as data: configured in config.yaml, each with pages and feeds per term."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from feedtool.build import build, model_for
from feedtool.cli import app
from feedtool.config import parse_config
from feedtool.errors import ConfigError
from feedtool.model import SiteModel
from feedtool.render.env import url_breaks
from feedtool.taxonomy import names

from .conftest import tree
from .helpers import CONFIG, make_project

ATOM = "{http://www.w3.org/2005/Atom}"


def story(n: int, *, source: str | None = "Test Wire", author: str | None = None) -> str:
    head = f"---\ntitle: Story {n}\ndate: 2024-05-{n + 1:02d}T10:00:00Z\nlicense: CC BY 4.0\n"
    if source:
        head += f"source: {source}\n"
    if author:
        head += f"author: {author}\n"
    return (
        head + "---\n\nTEHRAN – The parliament of Iran voted on the budget on Tuesday. "
        "Officials said the vote would be repeated.\n"
    )


FILES: dict[str, str | bytes] = {
    "a.md": story(0, source="Mehr News Agency", author="Jane Doe and John Roe"),
    "b.md": story(1, source="Mehr News Agency", author="Jane Doe"),
    "c.md": story(2, source="Other Wire"),
    "d.md": story(3, source=None),
}


def test_byline_names() -> None:
    assert names("Jane Doe and John Roe") == ["Jane Doe", "John Roe"]
    assert names("Ann Lee, Bo Chen & Cy Diaz") == ["Ann Lee", "Bo Chen", "Cy Diaz"]
    assert names("Ann  Lee; Ann Lee") == ["Ann Lee"]
    assert names("Alexandra Andrews") == ["Alexandra Andrews"]  # "and" only as a word


def test_defaults_are_topics_regions_sources_authors() -> None:
    cfg = parse_config(CONFIG, "config.yaml")
    specs = cfg.taxonomies
    assert list(specs) == ["topics", "regions", "sources", "authors"]
    assert [s.source for s in specs.values()] == ["topics", "regions", "source", "author"]
    assert all(s.enabled and s.feeds for s in specs.values())


def test_an_entry_changes_only_the_keys_it_gives() -> None:
    text = CONFIG + (
        "  topics: false\n"
        "taxonomies:\n"
        "  authors: {enabled: false}\n"
        "  sources: {label: Outlets}\n"
        "  people: {field: author, label: People, about: 'Written by {label}'}\n"
    )
    cfg = parse_config(text, "config.yaml")
    specs = cfg.taxonomies
    assert specs["topics"].feeds is False  # feeds.topics still works
    assert specs["authors"].enabled is False and specs["authors"].field == "author"
    assert specs["sources"].label == "Outlets" and specs["sources"].field == "source"
    assert specs["people"].singular == "people" and specs["people"].label == "People"
    assert list(cfg.enabled_taxonomies) == ["topics", "regions", "sources", "people"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("x: {field: title}", "taxonomies.x.field: 'title' is no field that terms can come from"),
        ("x: {tagger: moods}", "taxonomies.x.tagger: unknown tagger 'moods'"),
        ("x: {label: X}", "taxonomies.x: give exactly one of `tagger` and `field`"),
        ("x: {tagger: topics, field: author}", "give exactly one of `tagger` and `field`"),
        ("archive: {field: author}", "'archive' cannot name a taxonomy"),
        ("Big One: {field: author}", "'Big One' cannot name a taxonomy"),
        ("writers: {field: author}", "takes its terms from 'author', as 'authors' does"),
        ("sources: {about: 'From {outlet}'}", "taxonomies.sources.about: only `{label}`"),
        ("topics: {related: -1}", "taxonomies.topics.related: must be 0 or more"),
    ],
)
def test_bad_entries_are_config_errors(entry: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(CONFIG + f"taxonomies:\n  {entry}\n", "config.yaml")
    text = str(info.value)
    assert message in text
    assert "config.yaml:7:" in text or "config.yaml:8:" in text  # at the entry's line


def url_text(url: str) -> str:
    """``url`` as the subscribe page shows it (breakable after each "/")."""
    return str(url_breaks(url, "https://news.example.org/"))


def test_sources_and_authors_have_pages_and_feeds(tmp_path: Path) -> None:
    cfg = make_project(tmp_path / "p", FILES)
    build(cfg, jobs=1)
    out = cfg.output_dir
    for folder in ("sources/mehr-news-agency", "sources/other-wire", "authors/jane-doe"):
        assert (out / folder / "index.html").is_file(), folder
    feed = etree.parse(str(out / "authors" / "jane-doe" / "atom.xml")).getroot()
    titles = sorted(e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry"))
    assert titles == ["Story 0", "Story 1"]
    assert feed.findtext(f"{ATOM}subtitle") == "Articles by Jane Doe"
    roe = etree.parse(str(out / "authors" / "john-roe" / "atom.xml")).getroot()
    assert [e.findtext(f"{ATOM}title") for e in roe.iter(f"{ATOM}entry")] == ["Story 0"]
    mehr = (out / "sources" / "mehr-news-agency" / "index.html").read_text()
    assert "News from Mehr News Agency" in mehr and "Story 1" in mehr and "Story 2" not in mehr
    assert sorted(p.name for p in (out / "authors").iterdir()) == [
        "index.html",
        "jane-doe",
        "john-roe",
    ]
    # Everywhere feeds and pages are listed: subscribe page, OPML, sitemap, the article.
    feed_url = "https://news.example.org/sources/other-wire/atom.xml"
    assert url_text(feed_url) in (out / "feeds" / "index.html").read_text()
    assert f'xmlUrl="{feed_url}"' in (out / "feeds.opml").read_text()
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://news.example.org/authors/john-roe/</loc>" in sitemap
    assert "<loc>https://news.example.org/sources/</loc>" in sitemap
    page = (out / "articles" / "a" / "index.html").read_text()
    assert 'href="../../authors/john-roe/"' in page
    assert 'href="https://news.example.org/sources/mehr-news-agency/atom.xml"' in page


def test_a_taxonomy_switched_off_leaves_no_trace(tmp_path: Path) -> None:
    on = make_project(tmp_path / "on", FILES)
    off = make_project(
        tmp_path / "off",
        FILES,
        CONFIG + "taxonomies:\n  sources: {enabled: false}\n  authors: {enabled: false}\n",
    )
    build(on, jobs=1)
    build(off, jobs=1)
    site = tree(off.output_dir)
    assert not any(p.startswith(("sources/", "authors/")) for p in site)
    every = b"".join(site.values())
    assert b"sources/" not in every and b"authors/" not in every
    assert set(site) < set(tree(on.output_dir))


def test_a_taxonomy_added_in_config_only(tmp_path: Path) -> None:
    """A second taxonomy of bylines, under another name: config is all it takes."""
    cfg = make_project(
        tmp_path / "p",
        FILES,
        CONFIG + "taxonomies:\n  authors: {enabled: false}\n  writers: {field: author}\n",
    )
    model, _ = model_for(cfg)
    assert [t.name for t in model.taxonomies] == ["topics", "regions", "sources", "writers"]
    build(cfg, jobs=1)
    assert (cfg.output_dir / "writers" / "john-roe" / "atom.xml").is_file()
    assert 'href="../writers/">Writers</a>' in (cfg.output_dir / "feeds" / "index.html").read_text()


def test_slugs_that_clash_stay_apart(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "a.md": story(0, source="Wire!"),
        "b.md": story(1, source="Wire?"),
        "c.md": story(2, source="Wire"),
    }
    cfg = make_project(tmp_path / "p", files)
    model, _ = model_for(cfg)
    sources = next(t for t in model.taxonomies if t.name == "sources")
    assert len({t.url_path for t in sources.terms}) == 3


def test_tag_json_lists_sources_and_authors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = make_project(tmp_path / "p", FILES)
    monkeypatch.chdir(cfg.root)
    result = CliRunner().invoke(app, ["tag", "--format", "json", "seeds/a.md", "seeds/d.md"])
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first["sources"] == ["Mehr News Agency"]
    assert first["authors"] == ["Jane Doe", "John Roe"]
    assert (second["sources"], second["authors"]) == ([], [])


def test_the_topic_settings_still_choose_the_topic_pages(tmp_path: Path) -> None:
    """``topics.feed_topics`` names the only topics with a page; other taxonomies keep all."""
    every, _ = model_for(make_project(tmp_path / "every", FILES))
    chosen, _ = model_for(
        make_project(
            tmp_path / "chosen", FILES, CONFIG + "topics:\n  feed_topics: [medtop:11000000]\n"
        )
    )

    def ids(model: SiteModel, name: str) -> set[str]:
        taxonomy = next(t for t in model.taxonomies if t.name == name)
        return {t.id for t in taxonomy.terms}

    assert "medtop:11000000" in ids(every, "topics") and len(ids(every, "topics")) > 1
    assert ids(chosen, "topics") == {"medtop:11000000"}
    assert (
        ids(chosen, "sources")
        == ids(every, "sources")
        == {
            "source:Mehr News Agency",
            "source:Other Wire",
        }
    )


def test_an_articles_tags_are_kept_by_tagger_in_one_field(tmp_path: Path) -> None:
    import dataclasses

    from feedtool.model import Article
    from feedtool.taxonomy import TAGGER_SOURCES, tag_refs

    model, _ = model_for(make_project(tmp_path / "p", FILES))
    article = model.articles[0]
    assert "tags" in {f.name for f in dataclasses.fields(Article)}
    assert not {"topics", "regions"} & {f.name for f in dataclasses.fields(Article)}
    assert len(article.tags) == len(TAGGER_SOURCES)
    assert article.topics == article.tagged("topics") and article.topics
    assert article.regions == article.tagged("regions") and article.regions
    fewer = article.with_tags(topics=article.topics[1:])
    assert fewer.topics == article.topics[1:] and fewer.regions == article.regions
    assert tag_refs(fewer)[0] == tag_refs(article)[0][1:]
    with pytest.raises(TypeError, match="no tagger places"):
        article.with_tags(places=())
    untagged = dataclasses.replace(article, tags=())
    assert untagged.topics == () and tag_refs(untagged)[: len(TAGGER_SOURCES)] == ((), ())


def test_a_third_taggers_tags_are_in_the_tag_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tagger registered beside the built-in two shows in `feedtool tag`'s record under
    its name, with no change to the command line."""
    import dataclasses

    from feedtool import taxonomy
    from feedtool.cli import article_record
    from feedtool.tagging.base import Evidence

    @dataclasses.dataclass(frozen=True)
    class PlaceTag:
        id: str
        label: str
        score: float
        evidence: tuple[Evidence, ...] = ()

        @property
        def ref(self) -> tuple[str, bool, bool]:
            return (self.id, self.score > 1, True)

    model, _ = model_for(make_project(tmp_path / "p", FILES))
    article = model.articles[0]
    monkeypatch.setitem(taxonomy.TAGGER_SOURCES, "places", "example:PlaceTagger")
    monkeypatch.setitem(taxonomy.TAGGER_INDEX, "places", len(taxonomy.TAGGER_INDEX))
    placed = article.with_tags(
        places=(PlaceTag("harbour", "Harbour", 2.0), PlaceTag("x", "X", 0.5))
    )
    record = article_record(placed)
    assert record["places"] == [
        {"id": "harbour", "main": True, "listed": True, "label": "Harbour", "score": 2.0},
        {"id": "x", "main": False, "listed": True, "label": "X", "score": 0.5},
    ]
    assert record["topics"] == article_record(article)["topics"]
    assert article_record(article)["places"] == []
    assert "evidence" in article_record(placed, explain=True)["places"][0]
