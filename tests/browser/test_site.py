"""The site in a real browser: navigation, paging, feeds, copy, map, search, axe, screenshots.

Headless Debian Chromium through Playwright, against the sample site served on
127.0.0.1 (see conftest.py). Skipped with a reason when Chromium or Playwright is
missing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from .conftest import ARTICLES, PER_PAGE

#: Each starts a page in Chromium: seconds, not milliseconds.
pytestmark = pytest.mark.slow

PAGES = {
    "index": "",
    "index-page-2": "page/2/",
    "topic": "topics/diplomacy/",
    "topics": "topics/",
    "region": "regions/south-caucasus/",
    "regions-map": "regions/",
    "source": "sources/sample-wire/",
    "feeds": "feeds/",
    "article": "articles/report-00010/",
    "archive": "archive/2026/11/",
    "archive-index": "archive/",
    "not-found": "404.html",
}


def pages_of(site: Path) -> dict[str, str]:
    """The pages to screenshot and check: :data:`PAGES`, plus search when it was built."""
    return {**PAGES, "search": "search/"} if (site / "pagefind").is_dir() else PAGES


def test_follow_topic_and_page_through(page: Any, served: tuple[str, Path]) -> None:
    base, _ = served
    page.goto(base)
    assert page.locator("h1").inner_text() == "Sample News"
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Topics").click()
    assert page.url == base + "topics/"
    page.get_by_role("link", name="Politics and government", exact=True).click()
    assert page.url == base + "topics/politics-and-government/"
    first = page.locator("ol.articles h3 a").all_inner_texts()
    assert len(first) == PER_PAGE
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Older →").click()
    assert page.url == base + "topics/politics-and-government/page/2/"
    assert "page 2 of" in page.title()
    second = page.locator("ol.articles h3 a").all_inner_texts()
    assert second and not set(first) & set(second)
    head_prev = page.locator('head link[rel="prev"]').evaluate("e => e.href")
    assert head_prev == base + "topics/politics-and-government/"
    page.locator("ol.articles h3 a").first.click()
    assert "/articles/report-" in page.url
    datetime_attr = page.locator("article.story time").first.get_attribute("datetime")
    assert datetime_attr is None or re.match(r"\d{4}-\d\d-\d\dT", datetime_attr)


def test_index_pages_cover_every_article(page: Any, served: tuple[str, Path]) -> None:
    base, _ = served
    page.goto(base)
    # The front page: the lead and top stories, then the latest (after the sections).
    newest = page.locator(".top-stories h2 a, .latest li > a")
    seen: list[str] = newest.evaluate_all("els => els.map(e => e.href)")
    assert len(seen) == PER_PAGE
    page.locator('.latest a[rel="next"]').click()
    while True:
        seen += page.locator("ol.articles h2 a").evaluate_all("els => els.map(e => e.href)")
        nxt = page.locator('nav.pager a[rel="next"]')
        if nxt.count() == 0:
            break
        nxt.click()
    assert len(seen) == ARTICLES == len(set(seen))


def test_front_page_sections_lead_to_their_pages(page: Any, served: tuple[str, Path]) -> None:
    base, _ = served
    page.goto(base)
    sections = page.locator("section.section")
    assert sections.count() >= 4
    headings = sections.locator("h2").all_inner_texts()
    assert all(h[:1].isupper() for h in headings), headings
    assert "South Caucasus" in headings
    section = page.locator("section.section", has=page.locator("h2", has_text="South Caucasus"))
    assert 1 <= section.locator("ul.headlines li").count() <= 4
    section.get_by_role("link", name=re.compile("^More South Caucasus")).click()
    assert page.url == base + "regions/south-caucasus/"


def test_region_from_map_and_article_links(page: Any, served: tuple[str, Path]) -> None:
    base, _ = served
    page.goto(base + "regions/")
    link = page.locator("svg.world-map").get_by_role("link", name=re.compile(r"^Armenia: \d+ art"))
    assert link.count() == 1
    link.click()
    assert page.url == base + "regions/armenia/"
    assert page.locator("h1").inner_text().startswith("Armenia")
    page.goto(base + PAGES["article"])
    assert page.locator("aside.related li").count() >= 1
    older = page.get_by_role("navigation", name="Older and newer articles").locator("a").first
    older.click()
    assert page.url == base + "articles/report-00011/"
    lic = page.locator('section.attribution a[rel="license"]')
    assert lic.count() == 0 or lic.get_attribute("href").startswith("https://creativecommons.org/")


def test_map_is_keyboard_reachable(page: Any, served: tuple[str, Path]) -> None:
    base, _ = served
    page.goto(base + "regions/")
    for _ in range(80):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => document.activeElement.closest('svg') ? "
            "document.activeElement.querySelector('title').textContent : null"
        )
        if label:
            assert re.match(r"^[\w ]+: \d+ articles?$", label)
            break
    else:
        pytest.fail("no map link reached by Tab")


def test_feed_autodiscovery(page: Any, served: tuple[str, Path]) -> None:
    base, _ = served
    page.goto(base + PAGES["region"])
    feeds = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    hrefs = feeds.evaluate_all("els => els.map(e => e.href)")
    assert hrefs == [base + "atom.xml", base + "regions/south-caucasus/atom.xml"]
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok
        assert etree.fromstring(response.body()).tag == "{http://www.w3.org/2005/Atom}feed"


def test_subscribe_page_copies_and_wraps_at_slashes(browser: Any, served: tuple[str, Path]) -> None:
    base, _ = served
    context = browser.new_context(
        viewport={"width": 320, "height": 800}, permissions=["clipboard-read", "clipboard-write"]
    )
    try:
        page = context.new_page()
        page.goto(base + "feeds/")
        headings = page.locator("main h2").all_inner_texts()
        assert [h.split(" ")[0] for h in headings] == ["Everything", "Regions", "Topics", "Sources"]
        row = page.locator("ul.feed-list li", has_text="Economy, business and finance")
        url = base + "topics/economy-business-and-finance/atom.xml"
        assert row.locator(".url").inner_text().replace("\n", "") == url
        lines = row.locator(".url").evaluate(
            """el => {
              const r = document.createRange(); r.selectNodeContents(el);
              return [...new Set([...r.getClientRects()].map(x => Math.round(x.top)))].length;
            }"""
        )
        assert lines >= 2  # a 320 px screen wraps it…
        # …between the parts, never inside one (each part is one box on one line).
        boxes = row.locator(".url span").evaluate_all(
            "els => els.map(e => e.getClientRects().length)"
        )
        assert len(boxes) == 2 and set(boxes) == {1}
        row.get_by_role("button", name=re.compile("^Copy")).click()
        assert page.evaluate("() => navigator.clipboard.readText()") == url
    finally:
        context.close()


def test_copy_button(browser: Any, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    base, _ = served
    url = base + "regions/south-caucasus/atom.xml"
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(base + PAGES["region"])
        button = page.get_by_role("button", name="Copy")
        button.click()
        expect(page.locator("button.copy-button")).to_have_text("Copied")
        assert page.evaluate("() => navigator.clipboard.readText()") == url
    finally:
        context.close()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + PAGES["region"])
        assert page.locator("#feed-url").input_value() == url
        assert not page.locator("button.copy-button").is_visible()
        page.goto(base + PAGES["article"])
        assert page.locator("article.story .body p").first.is_visible()
    finally:
        context.close()


def _visit(page: Any, base: str, name: str, path: str) -> None:
    """Open a page; on the search page, search and wait for the results."""
    page.goto(base + path)
    if name == "search":
        page.get_by_role("search").locator("input").fill("Armenia")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_horizontal_scroll(browser: Any, served: tuple[str, Path], width: int) -> None:
    base, site = served
    context = browser.new_context(viewport={"width": width, "height": 800})
    wide: dict[str, int] = {}
    try:
        page = context.new_page()
        for name, path in pages_of(site).items():
            _visit(page, base, name, path)
            scroll = page.evaluate("() => document.documentElement.scrollWidth")
            if scroll > width:
                wide[name] = scroll
    finally:
        context.close()
    assert wide == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots(
    browser: Any, served_large: tuple[str, Path], artifacts: Path, width: int, scheme: str
) -> None:
    """Every page kind of a 1,000-article site, for people to look at (test artifacts)."""
    base, site = served_large
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        for name, path in pages_of(site).items():
            _visit(page, base, name, path)
            shot = artifacts / f"{name}-{width}-{scheme}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 1000
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_no_violations(browser: Any, served_large: tuple[str, Path], scheme: str) -> None:
    """axe-core finds nothing, of any impact, on every page kind of a 1,000-article site,
    on a phone and on a desktop."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    base, site = served_large
    axe = Axe()
    found: dict[str, list[str]] = {}
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        try:
            page = context.new_page()
            for name, path in pages_of(site).items():
                _visit(page, base, name, path)
                results = axe.run(page)
                bad = [
                    f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s)"
                    for v in results.response["violations"]
                ]
                if bad:
                    found[f"{name}-{width}"] = bad
        finally:
            context.close()
    assert found == {}


#: Collects the page's Content-Security-Policy violations (an init script runs outside
#: the page's policy).
_CSP_LISTENER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_no_policy_violation_on_any_page(browser: Any, served: tuple[str, Path]) -> None:
    """Every page kind keeps to its Content-Security-Policy, search (Pagefind) included,
    and sends no request off the site."""
    base, site = served
    if not (site / "pagefind").is_dir():
        pytest.skip("Pagefind is not installed (pip install -e '.[search]')")
    context = browser.new_context()
    context.add_init_script(_CSP_LISTENER)
    found: dict[str, list[str]] = {}
    outside: list[str] = []
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.on(
            "request",
            lambda r: None if r.url.startswith((base, "data:", "blob:")) else outside.append(r.url),
        )
        pages = {**pages_of(site), "topics": "topics/", "missing": "404.html"}
        for name, path in pages.items():
            console.clear()
            _visit(page, base, name, path)
            policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
            assert policy.count() == 1, name
            got = page.evaluate("() => window.__violations")
            got += [m for m in console if "Content Security Policy" in m]
            if got:
                found[name] = got
    finally:
        context.close()
    assert found == {}
    assert outside == []


def test_search(page: Any, served: tuple[str, Path]) -> None:
    base, site = served
    if not (site / "pagefind").is_dir():
        pytest.skip("Pagefind is not installed (pip install -e '.[search]')")
    page.goto(base + "search/")
    box = page.get_by_role("search").locator("input")
    box.fill("Armenia")
    results = page.locator(".pagefind-ui__result-link")
    results.first.wait_for(timeout=10_000)
    assert results.count() >= 1
    assert page.locator(".pagefind-ui__filter-name", has_text="region").count() == 1
    # Topic filters carry the labels as headings write them.
    page.locator(".pagefind-ui__filter-name", has_text="topic").click()
    values = page.locator(".pagefind-ui__filter-label").all_inner_texts()
    assert any(v.startswith("Politics and government") for v in values), values
    results.first.click()
    assert "/articles/report-" in page.url
