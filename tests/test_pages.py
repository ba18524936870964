"""HTML pages: pagination, date archive, term and article pages, size, map, head meta."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from pathlib import Path

import html5lib
import pytest

from feedtool.model import Taxonomy, Term
from feedtool.render.env import make_env
from feedtool.render.map import level
from feedtool.render.pages import paginate, render_pages
from feedtool.render.urls import page_path
from feedtool.render.world_map import DOTS, PATHS
from feedtool.tagging.base import TermInfo

from .browser.sample_site import make_article, sample_config, sample_model, sample_outputs

NS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A 60-article sample site, 7 per page."""
    cfg = sample_config(tmp_path_factory.mktemp("sample"), per_page=7)
    return sample_outputs(cfg, 60)


def text(site: dict[str, bytes], path: str) -> str:
    return site[path].decode("utf-8")


def links(html: str, rel: str) -> list[str]:
    return re.findall(rf'<(?:link|a) rel="{rel}" href="([^"]+)"', html)


def article_hrefs(html: str) -> list[str]:
    return re.findall(r'<h[23]><a href="[./]*(articles/[^"]+)">', html)


def test_page_path() -> None:
    assert page_path("", 1) == ""
    assert page_path("", 2) == "page/2/"
    assert page_path("topics/sport/", 3) == "topics/sport/page/3/"


def test_paginate_keeps_order_and_empty_has_one_page() -> None:
    arts = tuple(make_article(n) for n in range(5))
    assert paginate(arts, 2) == [arts[0:2], arts[2:4], arts[4:5]]
    assert paginate((), 20) == [()]


def test_index_is_paginated_newest_first(site: dict[str, bytes]) -> None:
    pages = ["index.html"] + [f"page/{n}/index.html" for n in range(2, 10)]
    assert all(p in site for p in pages)
    assert "page/10/index.html" not in site  # 60 articles / 7 = 9 pages
    # Pages 2 to 9 follow on from the front page's 7 newest: each article once.
    rest = [href for p in pages[1:] for href in article_hrefs(text(site, p))]
    assert len(rest) == 53 == len(set(rest))
    first = text(site, "index.html")
    top = first[first.index('class="lead"') : first.index('aria-label="Subjects"')]
    latest = first[first.index('id="latest-heading"') :]
    newest = re.findall(r'href="\./(articles/[^"]+)"', top + latest)
    assert len(newest) == 7 and not set(newest) & set(rest)
    assert links(first, "prev") == []
    assert links(first, "next") == ["./page/2/", "./page/2/"]  # <link> in head and <a> in nav
    middle = text(site, "page/2/index.html")
    assert links(middle, "prev") == ["../../", "../../"]
    assert links(middle, "next") == ["../../page/3/", "../../page/3/"]
    assert "Page 2 of 9" in middle
    assert links(text(site, "page/9/index.html"), "next") == []


def test_dated_articles_are_newest_first(site: dict[str, bytes]) -> None:
    order = [int(h.split("-")[1].rstrip("/")) for h in article_hrefs(text(site, "index.html"))]
    assert order == sorted(order)  # report 0 is the newest


def test_term_pages_are_paginated(site: dict[str, bytes]) -> None:
    first = text(site, "regions/south-caucasus/index.html")
    count = int(re.search(r"(\d+) articles", first).group(1))  # type: ignore[union-attr]
    pages = -(-count // 7)
    assert f"regions/south-caucasus/page/{pages}/index.html" in site
    assert f"regions/south-caucasus/page/{pages + 1}/index.html" not in site


def test_archive_groups_by_year_month_and_undated(site: dict[str, bytes]) -> None:
    index = text(site, "archive/index.html")
    assert 'href="../archive/2026/"' in index
    assert 'href="../archive/2026/11/"' in index
    assert 'href="../archive/undated/"' in index
    assert "1970" not in index
    assert not any(p.startswith("archive/1970") for p in site)
    undated = text(site, "archive/undated/index.html")
    # Every 17th article (n % 17 == 5) is undated: 5, 22, 39, 56.
    assert sorted(article_hrefs(undated)) == [f"articles/report-{n:05d}/" for n in (5, 22, 39, 56)]
    november = text(site, "archive/2026/11/index.html")
    assert "November 2026" in november
    assert "archive/" in text(site, "index.html")  # linked from every page


def test_term_page_explains_itself(site: dict[str, bytes]) -> None:
    page = text(site, "regions/south-caucasus/index.html")
    # Member countries: linked when they have a page.
    assert '<a href="../../regions/armenia/">Armenia</a>' in page
    assert "Often together with" in page
    # The articles come first, the description and related terms in the side column.
    assert page.index('class="articles"') < page.index('id="about-heading"')
    assert 'value="https://sample.example.org/regions/south-caucasus/atom.xml"' in page
    assert 'data-copy="feed-url" hidden' in page
    topic = text(site, "topics/diplomacy/index.html")
    assert "negotiation and dialogue" in topic  # the definition
    assert '· <a href="../../topics/politics-and-government/">Politics and government</a>' in topic
    politics = text(site, "topics/politics-and-government/index.html")
    assert '<a href="../../topics/diplomacy/">Diplomacy <span class="count">' in politics


def test_member_without_page_is_named_not_linked(site: dict[str, bytes]) -> None:
    page = text(site, "regions/middle-east/index.html")
    assert "<li>Iraq</li>" in page


def test_article_page_has_related_prev_next_and_time(site: dict[str, bytes]) -> None:
    page = text(site, "articles/report-00010/index.html")
    assert re.search(r'<time datetime="2026-11-16T15:30:00\+00:00">November 16, 2026</time>', page)
    assert "Related articles" in page
    assert '<a href="../../articles/report-00011/"><span>← Older</span>' in page
    assert '<a class="newer" href="../../articles/report-00009/"><span>Newer →</span>' in page
    related = re.findall(r'<li><a href="../../(articles/[^"]+)">', page.split("Related")[1])
    assert related and "articles/report-00010/" not in related
    assert 'data-pagefind-filter="region"' in page and 'data-pagefind-filter="topic"' in page


def test_pages_parse_and_carry_meta(site: dict[str, bytes]) -> None:
    for path in ("index.html", "articles/report-00001/index.html", "regions/index.html"):
        doc = html5lib.parse(site[path], namespaceHTMLElements=True)
        meta = {
            m.get("property") or m.get("name"): m.get("content")
            for m in doc.iterfind(".//h:meta", NS)
        }
        assert meta["og:title"] and meta["og:url"].startswith("https://sample.example.org/")
        assert meta["twitter:card"] == "summary"
        icons = [x for x in doc.iterfind(".//h:link", NS) if x.get("rel") == "icon"]
        assert icons
        feeds = [x for x in doc.iterfind(".//h:link", NS) if x.get("rel") == "alternate"]
        assert feeds and all(f.get("href").startswith("https://") for f in feeds)


def test_no_external_requests(site: dict[str, bytes]) -> None:
    """Stylesheets, scripts, images and icons are all local."""
    for path, data in site.items():
        if path.endswith(".html"):
            html = data.decode()
            for tag in re.findall(r"<(?:script|img|link)\b[^>]*>", html):
                if 'rel="alternate"' in tag or 'rel="canonical"' in tag:
                    continue
                assert "https:" not in tag and "http:" not in tag, (path, tag)


def test_pages_are_small(site: dict[str, bytes]) -> None:
    """Every page under 50 KB (article text here is tiny)."""
    big = {p: len(d) for p, d in site.items() if p.endswith(".html") and len(d) > 50_000}
    assert big == {}


def test_regions_index_has_map_and_table(site: dict[str, bytes]) -> None:
    page = text(site, "regions/index.html")
    assert '<svg class="world-map"' in page and 'role="img"' not in page
    assert "<caption>Countries: articles about each</caption>" in page
    assert "<caption>Regions: articles about each</caption>" in page
    # Armenia has a page, so the map links it, with an accessible name.
    assert re.search(r'<a href="armenia/"><title>Armenia: \d+ articles?</title>', page)


def test_map_levels() -> None:
    assert [level(n, 100) for n in (1, 2, 5, 20, 100)] == [1, 1, 2, 3, 4]
    assert level(1, 1) == 1
    # Between the fewest and the most: 16 to 42 articles spread over the four shades.
    assert [level(n, 42, 16) for n in (16, 20, 25, 30, 42)] == [1, 1, 2, 3, 4]


def test_search_off_by_default(site: dict[str, bytes]) -> None:
    assert "search/index.html" not in site
    assert "Search</a>" not in text(site, "index.html")


def test_search_page_when_enabled(tmp_path: Path) -> None:
    pytest.importorskip("pagefind_bin", reason="needs the search extra: pip install -e '.[search]'")
    cfg = sample_config(tmp_path, search=True)
    out = sample_outputs(cfg, 3)
    page = out["search/index.html"].decode()
    assert "pagefind/pagefind-ui.js" in page and "<noscript>" in page
    assert 'href="./search/"' in out["index.html"].decode()


def test_404_links_from_site_root(tmp_path: Path) -> None:
    cfg = sample_config(tmp_path, base_url="https://example.org/news/")
    page = sample_outputs(cfg, 2)["404.html"].decode()
    assert 'href="/news/style.css"' in page


def test_regions_index_stays_small_with_every_country(tmp_path: Path) -> None:
    """200 countries with a page (a link on the map and a table row): still under 50 KB.

    (All 249 countries and territories of the map: 49.8 KB, measured when this was written.)"""
    cfg = sample_config(tmp_path)
    model = sample_model(cfg, 0)
    codes = sorted({*PATHS, *DOTS})[:200]
    terms = tuple(
        Term("regions", c.lower(), TermInfo(c, f"Country {c}", None, "country"), arts, True)
        for n, c in enumerate(codes)
        for arts in [tuple(make_article(k) for k in range(n % 7 + 1))]
    )
    regions = Taxonomy("regions", "Regions", terms, True)
    model = dataclasses.replace(model, taxonomies=(model.taxonomies[0], regions))
    page = dict(render_pages(model, cfg, make_env(None)))["regions/index.html"]
    assert len(codes) == 200
    assert len(page) < 50_000, len(page)


def test_dates_follow_the_site_language(tmp_path: Path) -> None:
    from datetime import date

    from feedtool.l10n import long_date, month_label

    assert long_date(date(2026, 11, 16), "en") == "November 16, 2026"
    assert long_date(date(2026, 11, 16), "fr") == "16 novembre 2026"
    assert long_date(date(2026, 11, 16), "pt-BR") == "16 de novembro de 2026"
    assert month_label(2026, 11, "de") == "November 2026"
    assert long_date(date(2026, 11, 16), "not-a-language") == "November 16, 2026"


def test_pages_write_dates_in_the_site_language(tmp_path: Path) -> None:
    from feedtool.build import build

    from .helpers import make_project

    config = "site: {base_url: 'https://x.org/', language: fr}\n"
    article = "---\ntitle: Test\ndate: 2024-03-05\nlicense: CC0\n---\nLe gouvernement a parlé.\n"
    cfg = make_project(tmp_path / "p", {"a.md": article}, config)
    build(cfg)
    index = (cfg.output_dir / "index.html").read_text()
    assert '<time datetime="2024-03-05T00:00:00+00:00">5 mars 2024</time>' in index
    assert "mars 2024" in (cfg.output_dir / "archive/2024/03/index.html").read_text()


def test_sitemap_splits_past_the_protocol_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool.render import pages

    monkeypatch.setattr(pages, "SITEMAP_LIMIT", 3)
    cfg = sample_config(tmp_path)
    out = sample_outputs(cfg, 4)
    index = out["sitemap.xml"].decode()
    assert "<sitemapindex" in index
    parts = sorted(k for k in out if k.startswith("sitemap-"))
    assert parts and all(f"{cfg.base_url}{p}" in index for p in parts)
    locs = [loc for p in parts for loc in re.findall(r"<loc>([^<]+)</loc>", out[p].decode())]
    assert all(len(re.findall("<url>", out[p].decode())) <= 3 for p in parts)
    assert len(locs) == len(set(locs)) > 3


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


_ESCAPE_TEMPLATE = (
    "{{ s }}|{{ m }}|{{ h }}|{{ n }}|{{ none }}|{{ s ~ m }}|{{ s | upper }}"
    "{% macro q(x) %}<{{ x }}>{% endmacro %}|{{ q(s) }}|{% set b %}{{ s }}{% endset %}{{ b }}"
)


def test_fast_escape_renders_what_plain_jinja_renders(tmp_path: Path) -> None:
    import jinja2
    import markupsafe

    from feedtool.render.env import fast_escape

    values = {
        "s": "a < b & \"c\" 'd' >",
        "m": markupsafe.Markup("<i>kept</i>"),
        "h": _Html(),
        "n": 3.5,
        "none": None,
    }
    (tmp_path / "t.html").write_text(_ESCAPE_TEMPLATE, encoding="utf-8")
    ours = make_env(tmp_path)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True)
    assert ours.get_template("t.html").render(values) == plain.get_template("t.html").render(values)
    for value in values.values():
        assert fast_escape(value) == markupsafe.escape(value)
        assert type(fast_escape(value)) is markupsafe.Markup
    # The built-in templates use it (markupsafe 3; markupsafe 2 escapes in C already).
    namespace = ours.get_template("base.html").root_render_func.__globals__
    expected = fast_escape if hasattr(markupsafe, "_escape_inner") else markupsafe.escape
    assert namespace["escape"] is expected


def test_the_private_escape_helper_is_still_there() -> None:
    """render/env.py relies on markupsafe 3's private ``_escape_inner`` (for speed): when a
    markupsafe 3 release drops or changes it, this fails and the choice is made again."""
    from importlib.metadata import version

    import markupsafe

    if int(version("markupsafe").split(".")[0]) < 3:
        pytest.skip("markupsafe 2 escapes in C without it")
    inner = markupsafe._escape_inner  # type: ignore[attr-defined]
    text = "a < b & \"c\" 'd' >"
    assert inner(text) == str(markupsafe.escape(text))
    assert type(inner(text)) is str


def test_url_breaks_only_after_slashes() -> None:
    from feedtool.render.env import url_breaks

    html = str(url_breaks("https://x.example/topics/a-b&c/atom.xml"))
    # Runs that could break (a "-", a ":", an "&"…) are kept whole by a span.
    assert html == (
        "<span>https:</span>/<wbr>/<wbr>x.example/<wbr>topics/<wbr><span>a-b&amp;c</span>/<wbr>"
        "atom.xml"
    )
    html = str(url_breaks("https://x.example/t/a-b/atom.xml", "https://x.example/"))
    assert html == "<span>https://x.example/</span><wbr>t/<wbr><span>a-b</span>/<wbr>atom.xml"
    assert str(url_breaks("https://y.example/a", "https://x.example/")).startswith("<span>https:")


def test_front_page_has_a_lead_sections_and_the_latest(site: dict[str, bytes]) -> None:
    page = text(site, "index.html")
    assert page.count("<h1") == 1 and '<h1 class="site-title">' in page
    lead = page.index('class="lead"')
    assert '<a href="./articles/report-00000/">' in page[lead : lead + 400]
    # Sections by subject and by region, each linking to its page, then the latest.
    subjects = page.index('aria-label="Subjects"')
    regions = page.index('aria-label="Regions"')
    latest = page.index('id="latest-heading"')
    assert lead < subjects < regions < latest
    assert '<a href="./topics/politics-and-government/">Politics and government</a>' in page
    assert 'href="./regions/south-caucasus/">More South Caucasus' in page
    assert '<p class="more"><a rel="next" href="./page/2/">' in page
    # Each story once above the latest list.
    above = re.findall(r'href="\./(articles/[^"]+)"', page[:latest])
    assert len(above) == len(set(above)) > 10


def test_every_page_carries_a_strict_policy(site: dict[str, bytes]) -> None:
    for path, data in site.items():
        if not path.endswith(".html"):
            continue
        page = data.decode()
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
        assert policy, path
        assert "'unsafe-inline'" not in policy[1] and "default-src 'none'" in policy[1]
        assert "style=" not in page and "<style" not in page, path
        scripts = re.findall(r"<script([^>]*)>([^<]*)</script>", page)
        for attributes, body in scripts:
            if "src=" in attributes:
                continue
            # The one inline block is JSON-LD data, allowed by its hash.
            assert attributes == ' type="application/ld+json"', path
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"script-src 'self' 'sha256-{digest}';" in policy[1], path
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in page


def test_map_has_a_key_and_an_inset(site: dict[str, bytes]) -> None:
    from feedtool.render.map import legend

    page = text(site, "regions/index.html")
    assert '<svg class="map-inset" viewBox="280 20 124 100" aria-hidden="true">' in page
    assert '<use href="#world-shapes"/>' in page and page.count('id="world-shapes"') == 1
    key = re.findall(r'<li><span class="swatch m(\d)"></span> ([\d–]+) article', page)
    assert key and [int(k) for k, _ in key] == sorted(int(k) for k, _ in key)
    # Tables before the map in the page (phones show them first).
    assert page.index('class="counts"') < page.index('class="world-map"')

    def term(n: int, code: str) -> Term:
        info = TermInfo(code, code, None, "country")
        return Term("regions", code.lower(), info, tuple(make_article(i) for i in range(n)), True)

    terms = [term(n, c) for n, c in ((16, "AA"), (18, "BB"), (30, "CC"), (42, "DD"), (42, "EE"))]
    assert legend(terms) == [(1, 16, 18, 2), (3, 30, 30, 1), (4, 42, 42, 2)]


def test_article_tags_the_specific_topic_and_crumbs_the_broader(site: dict[str, bytes]) -> None:
    pages = [
        text(site, p)
        for p in sorted(site)
        if p.startswith("articles/") and 'href="../../topics/diplomacy/"' in text(site, p)
    ]
    assert pages
    for page in pages:
        crumbs = page[page.index('aria-label="Breadcrumb"') : page.index("<h1>")]
        assert re.findall(r">([^<>]+)</a>", crumbs) == ["Politics and government", "Diplomacy"]
        tags = page[page.index('aria-label="Tags"') :]
        tags = tags[: tags.index("</nav>")]
        assert ">Diplomacy</a>" in tags and "Politics and government" not in tags
        # The broader topic stays a search filter.
        assert '<span data-pagefind-filter="topic">Politics and government</span>' in page


def test_templates_written_for_the_flat_subscribe_page_still_build(tmp_path: Path) -> None:
    """A project's copy of the old subscribe page (one table of ``all_feeds``) builds."""
    from feedtool.build import build

    from .helpers import make_project

    cfg = make_project(tmp_path / "p", {"a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n\nText.\n"})
    cfg.templates_dir.mkdir(exist_ok=True)
    (cfg.templates_dir / "feeds.html").write_text(
        '{% extends "base.html" %}{% block main %}<table>{% for feed in all_feeds %}'
        "<tr><td>{{ feed.title }}</td><td>{{ cfg.base_url }}{{ feed.path }}</td></tr>"
        "{% endfor %}</table>{% endblock %}",
        encoding="utf-8",
    )
    build(cfg, jobs=1)
    page = (cfg.output_dir / "feeds" / "index.html").read_text(encoding="utf-8")
    assert f"<td>{cfg.base_url}atom.xml</td>" in page
