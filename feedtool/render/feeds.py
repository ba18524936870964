"""Atom 1.0 feeds (RFC 4287) with feedgen, extended where it falls short.

Per entry: a permanent id, ``published`` (when the article states its date) and
``updated``, full HTML content (with an attribution paragraph) plus a text summary,
the byline and the source as ``author`` (the site only when the article names
neither), ``rights`` crediting them with the license, a ``source`` (RFC 4287
§4.2.11) naming the outlet when the article links its original, links to the page
(``alternate``), the original (``via``) and the license (RFC 4946 ``license``; all
written by a feedgen extension, since feedgen refuses that relation and drops the
others' ``rel``) and a ``category`` with ``term``, ``scheme`` and ``label`` for every
tag of a tagger's taxonomy (topics and regions). Feed-level
``updated`` is the newest entry's; nothing comes from the clock.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedtool import __version__
from feedtool.config import Config
from feedtool.model import Article, SiteModel
from feedtool.render.urls import FeedInfo, absolute, all_feeds

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
TOPIC_SCHEME = "http://cv.iptc.org/newscodes/mediatopic/"
COUNTRY_SCHEME = "https://www.iso.org/obp/ui/#iso:code:3166:"
GENERATOR_URI = "https://pypi.org/project/feedtool/"


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """Feed-level part of the extension (adds nothing)."""


class LicenseEntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Adds the entry's links with their ``rel`` and ``type``, ``<link rel="license">``
    (RFC 4946) and ``xml:base`` on the content.

    feedgen 1.0 writes an entry's links without their ``rel`` and ``type``, so a
    ``rel="via"`` link to the original came out as a second alternate link (which
    RFC 4287 §4.1.1 forbids, and readers took for the entry's own page): the entry's
    links are all written here.
    """

    def __init__(self) -> None:
        #: ``(rel, href)`` of the entry's links, in order: alternate, via, license.
        self.links: list[tuple[str, str]] = []
        self.base: str | None = None
        #: ``(title, link)`` of the outlet the entry came from (RFC 4287 §4.2.11).
        self.source: tuple[str, str] | None = None
        self.updated: datetime | None = None

    def extend_atom(self, entry: Any) -> Any:
        # feedgen builds entries without a namespace; the feed's default namespace applies.
        content = entry.find("content")
        if self.base is not None and content is not None:
            content.set(XML_BASE, self.base)
        # Where feedgen puts links: after the content.
        anchor = content if content is not None else entry.find("title")
        for rel, href in self.links:
            link = etree.Element("link")
            link.set("rel", rel)
            link.set("type", "text/html")
            link.set("href", href)
            anchor.addnext(link)
            anchor = link
        if self.source is not None and self.updated is not None:
            title, href = self.source
            source = etree.SubElement(entry, "source")
            etree.SubElement(source, "id").text = href
            etree.SubElement(source, "title").text = title
            etree.SubElement(source, "updated").text = self.updated.isoformat()
            alternate = etree.SubElement(source, "link")
            alternate.set("rel", "alternate")
            alternate.set("type", "text/html")
            alternate.set("href", href)
        return entry


def attribution_html(article: Article) -> str:
    """The attribution paragraph appended to an entry's content."""
    parts = []
    if article.source:
        source = html.escape(article.source)
        if article.source_url:
            source = f'<a href="{html.escape(article.source_url)}">{source}</a>'
        parts.append(f"Source: {source}.")
    if article.license:
        parts.append(
            f'License: <a rel="license" href="{html.escape(article.license.url)}">'
            f"{html.escape(article.license.name)}</a>."
        )
    if article.changes:
        parts.append("Changes: " + html.escape("; ".join(article.changes)) + ".")
    return f"<p><small>{' '.join(parts)}</small></p>" if parts else ""


def rights_text(article: Article) -> str | None:
    """The entry's ``rights``: the outlet credited (else the byline), and the license."""
    if article.license is None:
        return None
    who = article.source or article.author
    holder = f"© {who}. " if who else ""
    return f"{holder}{article.license.code}: {article.license.url}"


def _category(cfg: Config, taxonomy: str, kind: str, term_id: str) -> tuple[str, str]:
    """An Atom category's ``term`` and ``scheme``: the IPTC and ISO schemes for topics and
    countries, else the taxonomy's index page."""
    if kind == "topic":
        return term_id.split(":", 1)[-1], TOPIC_SCHEME
    if kind == "country":
        return term_id, COUNTRY_SCHEME
    return term_id, absolute(cfg, f"{taxonomy}/")


def _tagged(cfg: Config) -> list[tuple[str, str]]:
    """``(taxonomy, tagger)`` of the enabled taxonomies whose terms are tags."""
    return [(name, spec.tagger) for name, spec in cfg.enabled_taxonomies.items() if spec.tagger]


def _entry(fg: FeedGenerator, article: Article, cfg: Config) -> None:
    fe = fg.add_entry(order="append")
    url = absolute(cfg, article.url_path)
    fe.id(article.entry_id)
    fe.title(article.title)
    if article.has_own_date:
        # Atom's published is optional: an article dated only by its commits has none.
        fe.published(article.published)
    fe.updated(article.updated)
    if article.author:
        fe.author(name=article.author)
    if article.source and article.source != article.author:
        fe.author(name=article.source)
    if not (article.author or article.source):
        fe.author(name=cfg.site.publisher or cfg.site.title)
    body = str(article.body_html) + attribution_html(article)
    fe.content(body, type="html")
    if article.summary:
        fe.summary(article.summary)
    rights = rights_text(article)
    if rights:
        fe.rights(rights)
    # All categories in one call: feedgen redoes its RSS list of them on every call.
    categories = [
        (_category(cfg, name, t.kind, t.id), t.label)
        for name, tagger in _tagged(cfg)
        for t in getattr(article, tagger)
    ]
    if categories:
        fe.category(
            [
                {"term": term, "scheme": scheme, "label": label}
                for (term, scheme), label in categories
            ]
        )
    ext = fe.license
    ext.links = [("alternate", url)]
    if article.source_url:
        ext.links.append(("via", article.source_url))
    if article.license:
        ext.links.append(("license", article.license.url))
    ext.base = url
    if article.source and article.source_url:
        ext.source = (article.source, article.source_url)
        ext.updated = article.updated


def render_feed(info: FeedInfo, articles: tuple[Article, ...], cfg: Config) -> bytes:
    """One Atom document: the newest ``feeds.limit`` of ``articles`` (already sorted)."""
    fg = FeedGenerator()
    fg.register_extension("license", _FeedExtension, LicenseEntryExtension, atom=True, rss=False)
    fg.id(f"tag:{cfg.id_authority}:feeds/{info.path}")
    fg.title(info.title)
    subtitle = cfg.site.description
    if info.term is not None:
        subtitle = info.term.description
    if subtitle:
        fg.subtitle(subtitle)
    fg.link(href=absolute(cfg, info.path), rel="self", type="application/atom+xml")
    fg.link(href=absolute(cfg, info.page), rel="alternate", type="text/html")
    fg.language(cfg.site.language)
    fg.generator("feedtool", version=__version__, uri=GENERATOR_URI)
    if cfg.site.publisher:
        fg.author(name=cfg.site.publisher)
    chosen = articles[: cfg.feeds.limit]
    fg.updated(max((a.updated for a in chosen), default=cfg.undated))
    for article in chosen:
        _entry(fg, article, cfg)
    data: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def render_feeds(model: SiteModel, cfg: Config) -> Iterator[tuple[str, bytes]]:
    """Every feed of the site as ``(path, bytes)``."""
    for info in all_feeds(model, cfg):
        articles = info.term.articles if info.term is not None else model.articles
        yield info.path, render_feed(info, articles, cfg)
