"""HTML pages, sitemap and OPML from the site model (Jinja2)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from feedtool import __version__
from feedtool.config import Config
from feedtool.model import Article, SiteModel, Term
from feedtool.render.env import template_problem
from feedtool.render.urls import FeedInfo, absolute, all_feeds, relative_root, site_feed, term_feed

Output = tuple[str, bytes]


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

    def __init__(self, model: SiteModel, cfg: Config, env: jinja2.Environment) -> None:
        self.model = model
        self.cfg = cfg
        self.env = env
        self.feeds = all_feeds(model, cfg)

    def _render(self, template: str, path: str, **context: Any) -> Output:
        try:
            tmpl = self.env.get_template(template)
            page_url = path[: -len("index.html")] if path.endswith("index.html") else path
            text = tmpl.render(
                site=self.cfg.site,
                cfg=self.cfg,
                version=__version__,
                model=self.model,
                root=relative_root(path),
                page_url=page_url,
                canonical=absolute(self.cfg, page_url),
                site_feed=site_feed(self.cfg),
                **context,
            )
        except jinja2.TemplateError as exc:
            raise template_problem(exc, self.cfg.templates_dir) from exc
        return path, text.encode("utf-8")

    def _feeds_for(self, term: Term | None) -> list[FeedInfo]:
        feeds = [site_feed(self.cfg)]
        if term is not None and term.feed:
            feeds.append(term_feed(self.cfg, term))
        return feeds

    def article(self, article: Article) -> Output:
        """``articles/<slug>/index.html``."""
        topics = [self.model.term_pages.get(t.id) for t in article.topics]
        regions = [self.model.term_pages.get(r.id) for r in article.regions if r.listed]
        return self._render(
            "article.html",
            f"{article.url_path}index.html",
            article=article,
            topic_terms=[t for t in topics if t is not None],
            region_terms=[r for r in regions if r is not None],
            ld=_article_ld(article, self.cfg),
            feeds=[site_feed(self.cfg)]
            + [term_feed(self.cfg, t) for t in (*topics, *regions) if t is not None and t.feed],
            page_title=article.title,
            description=article.summary,
        )

    def pages(self) -> Iterator[Output]:
        """Every HTML page, then sitemap.xml and feeds.opml."""
        cfg = self.cfg
        yield self._render(
            "index.html",
            "index.html",
            articles=self.model.articles,
            feeds=self._feeds_for(None),
            page_title=cfg.site.title,
            description=cfg.site.description,
        )
        for article in self.model.articles:
            yield self.article(article)
        for taxonomy in self.model.taxonomies:
            yield self._render(
                "taxonomy.html",
                f"{taxonomy.name}/index.html",
                taxonomy=taxonomy,
                feeds=self._feeds_for(None),
                page_title=taxonomy.label,
                description=f"{taxonomy.label} covered by {cfg.site.title}",
            )
            for term in taxonomy.terms:
                yield self._render(
                    "term.html",
                    f"{term.url_path}index.html",
                    term=term,
                    taxonomy=taxonomy,
                    articles=term.articles,
                    feeds=self._feeds_for(term),
                    page_title=term.label,
                    description=term.info.definition or f"News about {term.label}",
                )
        yield self._render(
            "feeds.html",
            "feeds/index.html",
            all_feeds=self.feeds,
            feeds=self._feeds_for(None),
            page_title="Subscribe",
            description=f"Every feed of {cfg.site.title}",
        )
        yield self._render(
            "404.html",
            "404.html",
            feeds=self._feeds_for(None),
            page_title="Page not found",
            description="",
        )
        yield self._render("sitemap.xml", "sitemap.xml", urls=self._sitemap_urls())
        yield self._render("feeds.opml", "feeds.opml", all_feeds=self.feeds)

    def _sitemap_urls(self) -> list[tuple[str, str | None]]:
        urls: list[tuple[str, str | None]] = []
        newest = self.model.updated
        urls.append(("", newest.date().isoformat() if newest else None))
        for a in self.model.articles:
            urls.append((a.url_path, a.updated.date().isoformat()))
        for taxonomy in self.model.taxonomies:
            urls.append((f"{taxonomy.name}/", None))
            for term in taxonomy.terms:
                last = term.articles[0].updated.date().isoformat() if term.articles else None
                urls.append((term.url_path, last))
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
