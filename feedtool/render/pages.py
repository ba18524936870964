"""HTML pages, sitemap and OPML from the site model (Jinja2).

Lists (the index, every topic and region, the date archive) are paginated:
page 1 is ``<base>index.html`` and page *n* is ``<base>page/<n>/index.html``,
newest first, ``pages.per_page`` articles each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from feedtool import __version__
from feedtool.config import Config
from feedtool.model import ArchivePeriod, Article, SiteModel, Taxonomy, Term
from feedtool.render.env import json_ld, template_problem
from feedtool.render.home import front_page, subject_groups
from feedtool.render.map import coverage_map, legend
from feedtool.render.urls import (
    FeedInfo,
    absolute,
    all_feeds,
    formats_of,
    opml_path,
    page_path,
    relative_root,
    site_feed,
    term_feed,
)
from feedtool.site_model import Related, article_terms, build_archive
from feedtool.taxonomy import tag_refs

Output = tuple[str, bytes]

#: URLs per sitemap file (sitemaps.org: at most 50,000).
SITEMAP_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class Pager:
    """Where one page of a paginated list sits: its number and its neighbours' paths."""

    number: int
    count: int
    #: Paths (relative to the site root, ending in ``/``) of the newer/older page.
    prev: str | None
    next: str | None
    #: The list's first page, ending in ``/``.
    first: str


def paginate(articles: tuple[Article, ...], per_page: int) -> list[tuple[Article, ...]]:
    """``articles`` in chunks of ``per_page``; an empty list still has one (empty) page."""
    chunks = [articles[i : i + per_page] for i in range(0, len(articles), per_page)]
    return chunks or [()]


def _article_ld(article: Article, cfg: Config) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": absolute(cfg, article.url_path),
        "mainEntityOfPage": absolute(cfg, article.url_path),
        "datePublished": article.published.isoformat(),
        "dateModified": article.updated.isoformat(),
        "inLanguage": cfg.site.language,
        "description": article.summary,
        "keywords": [t.label for t in article.topics],
        "contentLocation": [
            {"@type": "Place", "name": r.name} for r in article.regions if r.primary
        ],
    }
    if article.license:
        data["license"] = article.license.url
    if article.source:
        org: dict[str, Any] = {"@type": "Organization", "name": article.source}
        data["author"] = org
        data["copyrightHolder"] = org
        data["sourceOrganization"] = org
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if cfg.site.publisher:
        data["publisher"] = {"@type": "Organization", "name": cfg.site.publisher}
    if article.dateline:
        data["dateline"] = article.dateline
    return data


class PageRenderer:
    """Renders every page of a site model; one instance per build."""

    def __init__(
        self,
        model: SiteModel,
        cfg: Config,
        env: jinja2.Environment,
        related: Related | None = None,
    ) -> None:
        self.model = model
        self.cfg = cfg
        self.env = env
        self.feeds = all_feeds(model, cfg)
        self.site_feed = site_feed(cfg)
        #: Each term's feed by the term's identity (a Term's equality compares its articles).
        self._term_feeds: dict[int, FeedInfo] = {}
        self._narrower_of: dict[str, dict[str, list[Term]]] = {}
        #: The index pages of the taxonomies that have terms, for the navigation:
        #: ``(path, label, singular)``.
        self.nav = tuple((t.url_path, t.label, t.singular) for t in model.taxonomies if t.terms)
        self.archive = build_archive(model, cfg.site.language)
        self.use_related(Related.of(model) if related is None else related)

    def use_related(self, related: Related) -> None:
        """Show ``related`` as the site's related articles and terms from now on."""
        self.related_terms = related.terms
        self.related_articles = related.articles

    # --- hooks: a renderer that keeps unchanged pages (the build cache's) overrides these ---

    def _unchanged(self, template: str, path: str, context: dict[str, Any]) -> bool:
        """Whether the page at ``path`` is the same as the last build's (never, here)."""
        return False

    def _unchanged_list(
        self,
        template: str,
        base: str,
        articles: tuple[Article, ...],
        title: str,
        context: dict[str, Any],
    ) -> Callable[[str, int, int, tuple[Article, ...]], bool] | None:
        """For a paginated list, ``unchanged(path, n, count, shown)`` telling its pages
        apart without their context; None: each page asks :meth:`_unchanged`."""
        return None

    def _unchanged_article(
        self, path: str, article: Article, older: Article | None, newer: Article | None
    ) -> bool | None:
        """Whether an article page is unchanged, told without its context; None: ask
        :meth:`_unchanged` with the context."""
        return None

    def _emit(self, template: str, path: str, context: dict[str, Any]) -> tuple[str, Any]:
        """The output of a page to render (here: rendered now)."""
        return path, self.render_page(template, path, context)

    def _emit_article(
        self, path: str, article: Article, older: Article | None, newer: Article | None
    ) -> tuple[str, Any]:
        """The output of an article page whose context is not built yet."""
        return self._emit("article.html", path, self.article_context(article, older, newer))

    # --- rendering ---------------------------------------------------------------------

    def _render(self, template: str, path: str, **context: Any) -> tuple[str, Any]:
        """A page: ``(path, b"")`` when it is unchanged, else :meth:`_emit`."""
        if self._unchanged(template, path, context):
            return path, b""
        return self._emit(template, path, context)

    def render_page(self, template: str, path: str, context: dict[str, Any]) -> bytes:
        """One page, always rendered."""
        try:
            tmpl = self.env.get_template(template)
            page_url = path[: -len("index.html")] if path.endswith("index.html") else path
            context.setdefault("pager", None)
            context.setdefault("root", relative_root(path))
            text = tmpl.render(
                site=self.cfg.site,
                cfg=self.cfg,
                version=__version__,
                model=self.model,
                page_url=page_url,
                canonical=absolute(self.cfg, page_url),
                site_feed=self.site_feed,
                archive=self.archive,
                search=self.cfg.pages.search,
                nav=self.nav,
                **context,
            )
        except jinja2.TemplateError as exc:
            raise template_problem(exc, self.cfg.templates_dir) from exc
        return text.encode("utf-8")

    def _paginated(
        self, template: str, base: str, articles: tuple[Article, ...], title: str, **context: Any
    ) -> Iterator[Output]:
        """Every page of a list of ``articles`` under ``base`` (``""`` or ``"topics/x/"``)."""
        chunks = paginate(articles, self.cfg.pages.per_page)
        unchanged = self._unchanged_list(template, base, articles, title, context)
        for n in range(1, len(chunks) + 1):
            if unchanged is not None:
                path = page_path(base, n) + "index.html"  # as _list_page makes it
                if unchanged(path, n, len(chunks), chunks[n - 1]):
                    yield path, b""
                    continue
                path, page = self._list_page(base, chunks, n, len(articles), title)
                yield self._emit(template, path, {**page, **context})
            else:
                path, page = self._list_page(base, chunks, n, len(articles), title)
                yield self._render(template, path, **page, **context)

    @staticmethod
    def _list_page(
        base: str, chunks: list[tuple[Article, ...]], n: int, total: int, title: str
    ) -> tuple[str, dict[str, Any]]:
        """The path and the context of page ``n`` of a paginated list."""
        count = len(chunks)
        pager = Pager(
            number=n,
            count=count,
            prev=page_path(base, n - 1) if n > 1 else None,
            next=page_path(base, n + 1) if n < count else None,
            first=base,
        )
        return page_path(base, n) + "index.html", {
            "articles": chunks[n - 1],
            "total": total,
            "pager": pager,
            "page_title": title if n == 1 else f"{title}, page {n} of {count}",
        }

    def _feeds_for(self, term: Term | None) -> list[FeedInfo]:
        feeds = [self.site_feed]
        if term is not None and term.feed:
            feeds.append(self._term_feed(term))
        return feeds

    def neighbours(self, n: int) -> tuple[Article | None, Article | None]:
        """The older and the newer article of the ``n``-th article (site order)."""
        articles = self.model.articles
        older = articles[n + 1] if n + 1 < len(articles) else None
        newer = articles[n - 1] if n > 0 else None
        return older, newer

    def article_context(
        self,
        article: Article,
        older: Article | None,
        newer: Article | None,
        related: tuple[Article, ...] | None = None,
    ) -> dict[str, Any]:
        """What ``article.html`` is rendered with for ``article`` (``related``: its related
        articles, when they are not the ones this renderer holds)."""
        refs = tag_refs(article)
        terms = article_terms(self.model, article, refs)
        ld = _article_ld(article, self.cfg)
        main = {i for source in refs for i, is_main, _listed in source if is_main}
        # Topics: the most specific ones as tags, their broader topics in the breadcrumb.
        tags = [t for t in terms if t.info.kind != "topic" or t.id in main]
        # Terms are told apart by identity: a Term's equality compares its article lists.
        tagged = {id(t) for t in tags}
        return {
            "article": article,
            # (singular, label, terms) of each taxonomy the article has terms of.
            "term_groups": [
                (taxonomy.singular, taxonomy.label, group)
                for taxonomy in self.model.taxonomies
                for group in [[t for t in tags if t.taxonomy == taxonomy.name]]
                if group
            ],
            "breadcrumb": self._breadcrumb([t for t in tags if t.info.kind == "topic"]),
            # (singular, term) of the broader topics, not tags: search filters only.
            "filters_only": [
                (taxonomy.singular, t)
                for taxonomy in self.model.taxonomies
                for t in terms
                if t.taxonomy == taxonomy.name and id(t) not in tagged
            ],
            "related": self.related_articles.get(article.rel_path, ())
            if related is None
            else related,
            "older": older,
            "newer": newer,
            "ld": ld,
            # The JSON-LD as written in the page, made once for the page and its CSP hash.
            "ld_json": json_ld(ld),
            "feeds": [self.site_feed, *[self._term_feed(t) for t in terms if t.feed]],
            "page_title": article.title,
            "description": article.summary,
        }

    def _term_feed(self, term: Term) -> FeedInfo:
        """``term``'s feed, made once per build (every article page lists its terms')."""
        feed = self._term_feeds.get(id(term))
        if feed is None:
            feed = self._term_feeds[id(term)] = term_feed(self.cfg, term)
        return feed

    def _breadcrumb(self, leaves: list[Term]) -> list[Term]:
        """The broader topics of the most specific of ``leaves`` (the one with the most
        ancestors, the first of equals), top-level first, itself last."""
        pages = self.model.term_pages
        best: list[Term] = []
        for leaf in leaves:
            chain = [leaf]
            while chain[-1].info.parents and len(chain) < 10:
                parent = pages.get(chain[-1].info.parents[0])
                if parent is None or any(parent is c for c in chain):
                    break
                chain.append(parent)
            if len(chain) > len(best):
                best = chain
        return best[::-1]

    def article(self, article: Article, older: Article | None, newer: Article | None) -> Output:
        """``articles/<slug>/index.html``."""
        path = f"{article.url_path}index.html"
        unchanged = self._unchanged_article(path, article, older, newer)
        if unchanged is not None:
            return (path, b"") if unchanged else self._emit_article(path, article, older, newer)
        context = self.article_context(article, older, newer)
        return self._render("article.html", path, **context)

    def article_pages(self) -> Iterator[Output]:
        """Every article's page, in site order."""
        for n, article in enumerate(self.model.articles):
            yield self.article(article, *self.neighbours(n))

    def _taxonomy(self, taxonomy: Taxonomy) -> Output:
        cfg = self.cfg
        svg = Markup("")
        key: list[tuple[int, int, int, int]] = []
        if any(t.info.kind == "country" for t in taxonomy.terms):
            # Links from <name>/index.html to <name>/<slug>/ are just "<slug>/".
            svg = coverage_map(taxonomy.terms)
            key = legend(taxonomy.terms)
        return self._render(
            "taxonomy.html",
            f"{taxonomy.url_path}index.html",
            taxonomy=taxonomy,
            groups=subject_groups(taxonomy),
            map_legend=key,
            ranked=sorted(
                taxonomy.terms, key=lambda t: (-len(t.articles), t.label.casefold(), t.id)
            ),
            map_svg=svg,
            feeds=self._feeds_for(None),
            page_title=taxonomy.label,
            description=f"{taxonomy.label} covered by {cfg.site.title}",
        )

    def _narrower(self, taxonomy: Taxonomy) -> dict[str, list[Term]]:
        """The terms of ``taxonomy`` under each of its terms (by id, in the taxonomy's
        order), made once: a taxonomy can have thousands of terms (authors)."""
        got = self._narrower_of.get(taxonomy.name)
        if got is None:
            got = self._narrower_of[taxonomy.name] = {}
            for t in taxonomy.terms:
                for parent in dict.fromkeys(t.info.parents):
                    if parent != t.id:
                        got.setdefault(parent, []).append(t)
        return got

    def _term(self, taxonomy: Taxonomy, term: Term) -> Iterator[Output]:
        members = [
            (m, self.model.term_pages.get(m), self.model.labels.get(m, m))
            for m in term.info.members
        ]
        parents = [
            self.model.term_pages[p] for p in term.info.parents if p in self.model.term_pages
        ]
        narrower = self._narrower(taxonomy).get(term.id, [])
        yield from self._paginated(
            "term.html",
            term.url_path,
            term.articles,
            term.label,
            term=term,
            taxonomy=taxonomy,
            members=sorted(members, key=lambda m: (m[2].casefold(), m[0])),
            broader=parents,
            narrower=narrower,
            related=self.related_terms.get(term.id, ()),
            feeds=self._feeds_for(term),
            description=term.description,
        )

    def _archive(self) -> Iterator[Output]:
        cfg = self.cfg
        yield self._render(
            "archive.html",
            "archive/index.html",
            period=None,
            periods=self.archive,
            feeds=self._feeds_for(None),
            page_title="Archive",
            description=f"Every article of {cfg.site.title}, by date",
        )
        periods: list[ArchivePeriod] = []
        for year in self.archive:
            periods.append(year)
            periods.extend(year.months)
        for period in periods:
            if period.months:
                yield self._render(
                    "archive.html",
                    f"{period.url_path}index.html",
                    period=period,
                    periods=period.months,
                    feeds=self._feeds_for(None),
                    page_title=f"Archive: {period.label}",
                    description=f"Articles of {period.label}",
                )
            else:
                yield from self._paginated(
                    "archive.html",
                    period.url_path,
                    period.articles,
                    f"Archive: {period.label}",
                    period=period,
                    periods=(),
                    feeds=self._feeds_for(None),
                    description=f"Articles of {period.label}",
                )

    def pages(self) -> Iterator[Output]:
        """Every HTML page, then sitemap.xml and the OPML lists of the feeds."""
        cfg = self.cfg
        for out in self._paginated(
            "index.html",
            "",
            self.model.articles,
            cfg.site.title,
            front=None,
            feeds=self._feeds_for(None),
            description=cfg.site.description,
        ):
            if out[0] != "index.html":  # page 1 is the front page, below
                yield out
        yield self.front_page()
        yield from self.article_pages()
        for taxonomy in self.model.taxonomies:
            yield self._taxonomy(taxonomy)
            for term in taxonomy.terms:
                yield from self._term(taxonomy, term)
        yield from self._archive()
        yield self._render(
            "feeds.html",
            "feeds/index.html",
            feed_groups=self.feed_groups(),
            all_feeds=self.feeds,  # for project templates written before the groups
            formats=formats_of(cfg),
            opml_path=opml_path,
            feeds=self._feeds_for(None),
            page_title="Subscribe",
            description=f"Every feed of {cfg.site.title}",
        )
        if cfg.pages.search:
            yield self._render(
                "search.html",
                "search/index.html",
                feeds=self._feeds_for(None),
                page_title="Search",
                description=f"Search {cfg.site.title}",
            )
        yield self._render(
            "404.html",
            "404.html",
            # Served for a missing page at any depth: links from the site's root path.
            root=urlsplit(cfg.base_url).path,
            feeds=self._feeds_for(None),
            page_title="Page not found",
            description="",
        )
        yield from self._sitemaps()
        for format in formats_of(cfg):
            yield self._render("feeds.opml", opml_path(format), all_feeds=self.feeds, format=format)

    def feed_groups(self) -> list[tuple[str, list[FeedInfo]]]:
        """The subscribe page's groups: everything, then places, subjects and the other
        taxonomies (each in its configured order), as ``(heading, feeds)``."""
        groups: list[tuple[int, int, str, list[FeedInfo]]] = [(0, 0, "Everything", [])]
        by_name: dict[str, list[FeedInfo]] = {}
        for n, taxonomy in enumerate(self.model.taxonomies, 1):
            kinds = {t.info.kind for t in taxonomy.terms}
            rank = 1 if kinds & {"country", "region"} else 2 if "topic" in kinds else 3
            by_name[taxonomy.name] = []
            groups.append((rank, n, taxonomy.label, by_name[taxonomy.name]))
        for feed in self.feeds:
            if feed.term is None:
                groups[0][3].append(feed)
            else:
                by_name.setdefault(feed.kind, groups[0][3]).append(feed)
        return [(label, feeds) for _r, _n, label, feeds in sorted(groups) if feeds]

    def front_page(self) -> Output:
        """``index.html``: page 1 of the site's list, with the front page's sections.

        Rendered on its own (the list's other pages come from :meth:`_paginated`, which
        passes every page the same context), so that the sections, which show articles
        from far down the list, are in this page's key only: an edit to one of them
        renders the front page again, not every page of the list.
        """
        chunks = paginate(self.model.articles, self.cfg.pages.per_page)
        path, page = self._list_page("", chunks, 1, len(self.model.articles), self.cfg.site.title)
        return self._render(
            "index.html",
            path,
            front=front_page(self.model, chunks[0]),
            feeds=self._feeds_for(None),
            description=self.cfg.site.description,
            **page,
        )

    def _sitemaps(self) -> Iterator[Output]:
        """``sitemap.xml``; past 50,000 URLs (the protocol's limit) an index of
        ``sitemap-1.xml``, ``sitemap-2.xml``… holding 50,000 each."""
        urls = self._sitemap_urls()
        if len(urls) <= SITEMAP_LIMIT:
            yield self._render("sitemap.xml", "sitemap.xml", urls=urls)
            return
        parts = [urls[i : i + SITEMAP_LIMIT] for i in range(0, len(urls), SITEMAP_LIMIT)]
        names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
        for name, part in zip(names, parts, strict=True):
            yield self._render("sitemap.xml", name, urls=part)
        yield self._render("sitemap_index.xml", "sitemap.xml", sitemaps=names)

    def _sitemap_urls(self) -> list[tuple[str, str | None]]:
        urls: list[tuple[str, str | None]] = []
        newest = self.model.updated
        urls.append(("", newest.date().isoformat() if newest else None))
        for a in self.model.articles:
            urls.append((a.url_path, a.updated.date().isoformat()))
        for taxonomy in self.model.taxonomies:
            urls.append((taxonomy.url_path, None))
            for term in taxonomy.terms:
                last = term.articles[0].updated.date().isoformat() if term.articles else None
                urls.append((term.url_path, last))
        urls.append(("archive/", None))
        for year in self.archive:
            urls.append((year.url_path, None))
            urls.extend((m.url_path, None) for m in year.months)
        urls.append(("feeds/", None))
        return urls


def static_files(project_templates: Path | None) -> Iterator[Output]:
    """The stylesheet and other static files; a project's ``templates/static/`` overrides."""
    builtin = resources.files("feedtool").joinpath("static")
    names = sorted(p.name for p in builtin.iterdir() if p.is_file())
    for name in names:
        override = project_templates / "static" / name if project_templates else None
        if override is not None and override.is_file():
            yield name, override.read_bytes()
        else:
            yield name, builtin.joinpath(name).read_bytes()


def render_pages(model: SiteModel, cfg: Config, env: jinja2.Environment) -> Iterator[Output]:
    """Every page of the site as ``(path, bytes)``, in a fixed order."""
    yield from PageRenderer(model, cfg, env).pages()
