"""The site's feeds: Atom 1.0 (canonical), RSS 2.0 and JSON Feed 1.1, with RFC 5005 archives.

Each format is a :class:`~feedtool.render.urls.FeedFormat` (name, media type, files) and a
renderer in :data:`RENDERERS`; every renderer takes one
:class:`~feedtool.render.urls.FeedDoc` (the subscription document or an archive page)
and its entries. The RSS and JSON twins say what the Atom feed says, in their terms
(see ``docs/feeds.md``).

Atom 1.0 (RFC 4287) is written with feedgen, extended where it falls short.

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
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedtool import __version__
from feedtool.config import Config
from feedtool.model import Article, SiteModel
from feedtool.render.urls import (
    ATOM,
    FeedDoc,
    FeedInfo,
    absolute,
    all_feeds,
    archive_pages,
    archive_slice,
    normal_uri,
)

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
ATOM_NS = "http://www.w3.org/2005/Atom"
#: RFC 5005's namespace (``fh:archive``).
HISTORY_NS = "http://purl.org/syndication/history/1.0"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
CC_NS = "http://backend.userland.com/creativeCommonsRssModule"
#: What the JSON Feed's ``_feedtool`` extension holds, documented (JSON Feed 1.1's rule).
EXTENSION_ABOUT = "https://github.com/feedtool/feedtool/blob/main/docs/feeds.md#json-feed"
TOPIC_SCHEME = "http://cv.iptc.org/newscodes/mediatopic/"
COUNTRY_SCHEME = "https://www.iso.org/obp/ui/#iso:code:3166:"
GENERATOR_URI = "https://pypi.org/project/feedtool/"


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """Feed-level part of the extension: the RFC 5005 links and ``fh:archive``."""

    def __init__(self) -> None:
        #: ``(rel, href)`` of the feed's links to the other documents of its chain.
        self.links: list[tuple[str, str]] = []
        #: ``archive`` or ``complete`` (RFC 5005), or nothing.
        self.marker: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY_NS} if self.marker else {}

    def extend_atom(self, feed: Any) -> Any:
        anchor = feed.findall("link")[-1]
        for rel, href in self.links:
            link = etree.Element("link")
            link.set("href", href)
            link.set("rel", rel)
            link.set("type", ATOM.media_type)
            anchor.addnext(link)
            anchor = link
        if self.marker:
            anchor.addnext(etree.Element(f"{{{HISTORY_NS}}}{self.marker}"))
        return feed


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


def _creators(article: Article, cfg: Config) -> list[str]:
    """The entry's authors: the byline and the source, else the site."""
    names = []
    if article.author:
        names.append(article.author)
    if article.source and article.source != article.author:
        names.append(article.source)
    return names or [cfg.site.publisher or cfg.site.title]


def _categories(article: Article, cfg: Config) -> list[tuple[tuple[str, str], str]]:
    """``((term, scheme), label)`` of each tag of the article, taxonomy by taxonomy."""
    return [
        (_category(cfg, name, t.kind, t.id), t.label)
        for name, tagger in _tagged(cfg)
        for t in article.tagged(tagger)
    ]


def _original(article: Article) -> str | None:
    """The article's link to its original, as a URI in normal form: feeds carry it as a
    link, an id and a URL, which take no IRI characters and, as an id, one form only."""
    return normal_uri(article.source_url) if article.source_url else None


def _content_html(article: Article) -> str:
    """The entry's full content: the body, then the attribution paragraph."""
    return str(article.body_html) + attribution_html(article)


@dataclass(slots=True)
class Entry:
    """What every format says of one article, worked out once for all of them, and its Atom
    entry, RSS item and JSON Feed item once made (an entry can serve several documents)."""

    article: Article
    cfg: Config
    url: str
    original: str | None
    creators: list[str]
    categories: list[tuple[tuple[str, str], str]]
    rights: str | None
    #: The full content (:func:`_content_html`): every format writes it.
    content: str
    atom_entry: bytes | None = None
    rss_item: bytes | None = None
    json_item: bytes | None = None


#: What turns an article into its entry: :func:`make_entry`, or one that hands out entries
#: made before (the build's render engine keeps the last ones, see ``render/pool.py``).
EntryOf = Callable[[Article], Entry]


def make_entry(article: Article, cfg: Config) -> Entry:
    """What every format says of ``article``."""
    return Entry(
        article,
        cfg,
        url=absolute(cfg, article.url_path),
        original=_original(article),
        creators=_creators(article, cfg),
        categories=_categories(article, cfg),
        rights=rights_text(article),
        content=_content_html(article),
    )


def _entries(articles: tuple[Article, ...], cfg: Config, entry_of: EntryOf | None) -> list[Entry]:
    """The entries of a document listing ``articles``."""
    if entry_of is None:
        return [make_entry(article, cfg) for article in articles]
    return [entry_of(article) for article in articles]


def _atom_entry_bytes(entry: Entry) -> bytes:
    """The entry's Atom ``<entry>`` as written in a feed (one level in, in UTF-8, with the
    line break after it), the same in every feed: made by feedgen once."""
    if entry.atom_entry is None:
        fe = FeedEntry()
        fe.register_extension("license", LicenseEntryExtension, atom=True, rss=False)
        _fill_atom_entry(fe, entry)
        feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
        feed.append(fe.atom_entry())
        data = etree.tostring(feed, pretty_print=True, encoding="UTF-8")
        # Without the <feed> around it: the entry's own markup (no text in it holds a "<").
        entry.atom_entry = data[
            data.index(b"  <entry>") : data.rindex(b"</entry>") + len(b"</entry>\n")
        ]
    return entry.atom_entry


def _fill_atom_entry(fe: FeedEntry, entry: Entry) -> None:
    article = entry.article
    fe.id(article.entry_id)
    fe.title(article.title)
    if article.has_own_date:
        # Atom's published is optional: an article dated only by its commits has none.
        fe.published(article.published)
    fe.updated(article.updated)
    for name in entry.creators:
        fe.author(name=name)
    fe.content(entry.content, type="html")
    if article.summary:
        fe.summary(article.summary)
    if entry.rights:
        fe.rights(entry.rights)
    # All categories in one call: feedgen redoes its RSS list of them on every call.
    if entry.categories:
        fe.category(
            [
                {"term": term, "scheme": scheme, "label": label}
                for (term, scheme), label in entry.categories
            ]
        )
    ext = fe.license
    ext.links = [("alternate", entry.url)]
    if entry.original:
        ext.links.append(("via", entry.original))
    if article.license:
        ext.links.append(("license", article.license.url))
    ext.base = entry.url
    if article.source and entry.original:
        ext.source = (article.source, entry.original)
        ext.updated = article.updated


def _chain_links(doc: FeedDoc, cfg: Config) -> list[tuple[str, str]]:
    """The RFC 5005 links of ``doc``: ``current`` (from an archive page), ``prev-archive``
    and ``next-archive``."""
    links = []
    if doc.archive is not None:
        links.append(("current", absolute(cfg, doc.page_path(None))))
    if doc.prev_archive is not None:
        links.append(("prev-archive", absolute(cfg, doc.page_path(doc.prev_archive))))
    if doc.next_archive is not None:
        links.append(("next-archive", absolute(cfg, doc.page_path(doc.next_archive))))
    return links


def _marker(doc: FeedDoc) -> str | None:
    """RFC 5005's mark of ``doc``: ``archive`` on an archive page, ``complete`` on a
    subscription document holding every entry of its feed."""
    if doc.archive is not None:
        return "archive"
    return "complete" if doc.complete else None


def _feed_id(info: FeedInfo, cfg: Config) -> str:
    """The feed's id, the same in every document of its chain and every format."""
    return f"tag:{cfg.id_authority}:feeds/{info.path}"


def _subtitle(info: FeedInfo, cfg: Config) -> str:
    return info.term.description if info.term is not None else cfg.site.description


def _updated(articles: tuple[Article, ...], cfg: Config) -> datetime:
    return max((a.updated for a in articles), default=cfg.undated)


def render_atom(
    doc: FeedDoc, articles: tuple[Article, ...], cfg: Config, entry_of: EntryOf | None = None
) -> bytes:
    """One Atom document of ``doc``'s feed, listing ``articles``."""
    info = doc.info
    fg = FeedGenerator()
    fg.register_extension("license", _FeedExtension, atom=True, rss=False)  # entries: below
    fg.id(_feed_id(info, cfg))
    fg.title(info.title)
    subtitle = _subtitle(info, cfg)
    if subtitle:
        fg.subtitle(subtitle)
    fg.link(href=absolute(cfg, doc.path), rel="self", type=ATOM.media_type)
    fg.link(href=absolute(cfg, info.page), rel="alternate", type="text/html")
    fg.language(cfg.site.language)
    fg.generator("feedtool", version=__version__, uri=GENERATOR_URI)
    if cfg.site.publisher:
        fg.author(name=cfg.site.publisher)
    fg.updated(_updated(articles, cfg))
    fg.license.links = _chain_links(doc, cfg)
    fg.license.marker = _marker(doc)
    data: bytes = fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    # The entries, each made once for the feeds it is in, where feedgen would write them.
    end = b"</feed>\n"
    entries = b"".join(_atom_entry_bytes(e) for e in _entries(articles, cfg, entry_of))
    return data.removesuffix(end) + entries + end


def render_feed(info: FeedInfo, articles: tuple[Article, ...], cfg: Config) -> bytes:
    """The Atom subscription document of ``info``: the newest ``feeds.limit`` of
    ``articles`` (already sorted), without links to archives."""
    return render_atom(FeedDoc(info, ATOM), articles[: cfg.feeds.limit], cfg)


# --- RSS 2.0 -------------------------------------------------------------------------------

_RSS_NSMAP = {
    "atom": ATOM_NS,
    "content": CONTENT_NS,
    "creativeCommons": CC_NS,
    "dc": DC_NS,
    "dcterms": DCTERMS_NS,
}


def _sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _atom_link(parent: Any, rel: str, href: str, media_type: str) -> None:
    _sub(parent, f"{{{ATOM_NS}}}link", href=href, rel=rel, type=media_type)


def _rss_item_bytes(entry: Entry) -> bytes:
    """The entry's RSS item as written in a channel (two levels in, in UTF-8), the same in
    every feed."""
    if entry.rss_item is None:
        rss = etree.Element("rss", nsmap=_RSS_NSMAP)
        _make_rss_item(_sub(rss, "channel"), entry)
        etree.indent(rss, space="  ")
        data = etree.tostring(rss, encoding="UTF-8")
        # Without the namespace declarations of <rss>: the item's own markup (no text in
        # it holds a "<").
        entry.rss_item = data[data.index(b"<item>") : data.rindex(b"</item>") + len(b"</item>")]
    return entry.rss_item


def _make_rss_item(parent: Any, entry: Entry) -> None:
    article = entry.article
    item = _sub(parent, "item")
    _sub(item, "title", article.title)
    _sub(item, "link", entry.url)
    if article.summary:
        _sub(item, "description", article.summary)
    _sub(item, "guid", article.entry_id, isPermaLink="false")
    if article.has_own_date:
        _sub(item, "pubDate", format_datetime(article.published))
    _sub(item, f"{{{DCTERMS_NS}}}modified", article.updated.isoformat())
    for name in entry.creators:
        _sub(item, f"{{{DC_NS}}}creator", name)
    for (term, scheme), _label in entry.categories:
        _sub(item, "category", term, domain=scheme)
    if article.source and entry.original:
        _sub(item, "source", article.source, url=entry.original)
    if article.license:
        _sub(item, f"{{{CC_NS}}}license", article.license.url)
    if entry.rights:
        _sub(item, f"{{{DC_NS}}}rights", entry.rights)
    _sub(item, f"{{{CONTENT_NS}}}encoded", entry.content)


def render_rss(
    doc: FeedDoc, articles: tuple[Article, ...], cfg: Config, entry_of: EntryOf | None = None
) -> bytes:
    """One RSS 2.0 document of ``doc``'s feed: the Atom document's twin, item for entry.

    ``guid`` is the Atom entry's id (not a permalink), the licence is the Creative Commons
    RSS module's ``creativeCommons:license`` with a ``dc:rights`` credit, the full content
    is ``content:encoded``, and the RFC 5005 links are ``atom:link`` elements.
    """
    info = doc.info
    nsmap = dict(_RSS_NSMAP)
    marker = _marker(doc)
    if marker:
        nsmap["fh"] = HISTORY_NS
    rss = etree.Element("rss", nsmap=nsmap)
    rss.set("version", "2.0")
    channel = _sub(rss, "channel")
    _sub(channel, "title", info.title)
    _sub(channel, "link", absolute(cfg, info.page))
    _sub(channel, "description", _subtitle(info, cfg) or info.title)
    _sub(channel, "language", cfg.site.language)
    _sub(
        channel,
        "copyright",
        "Each item credits its source and states its license (dc:rights, creativeCommons:license).",
    )
    _sub(channel, "lastBuildDate", format_datetime(_updated(articles, cfg)))
    _sub(channel, "generator", f"feedtool {__version__}")
    _sub(channel, "docs", "https://www.rssboard.org/rss-specification")
    _atom_link(channel, "self", absolute(cfg, doc.path), doc.format.media_type)
    for rel, href in _chain_links(doc, cfg):
        _atom_link(channel, rel, href, doc.format.media_type)
    if marker:
        _sub(channel, f"{{{HISTORY_NS}}}{marker}")
    etree.indent(rss, space="  ")
    data: bytes = etree.tostring(rss, encoding="UTF-8", xml_declaration=True)
    # The items, each made once for the feeds it is in, where lxml would write them.
    end = b"\n  </channel>"
    items = b"".join(b"\n    " + _rss_item_bytes(e) for e in _entries(articles, cfg, entry_of))
    return data.replace(end, items + end, 1) + b"\n"


# --- JSON Feed 1.1 -------------------------------------------------------------------------


def _json_item(entry: Entry) -> dict[str, Any]:
    article = entry.article
    item: dict[str, Any] = {
        "id": article.entry_id,
        "url": entry.url,
        "title": article.title,
        "content_html": entry.content,
    }
    if entry.original:
        item["external_url"] = entry.original
    if article.summary:
        item["summary"] = article.summary
    if article.has_own_date:
        item["date_published"] = article.published.isoformat()
    item["date_modified"] = article.updated.isoformat()
    item["authors"] = [{"name": name} for name in entry.creators]
    if entry.categories:
        item["tags"] = [label for _, label in entry.categories]
    extension: dict[str, Any] = {"about": EXTENSION_ABOUT}
    if article.source:
        extension["source"] = {"title": article.source}
        if entry.original:
            extension["source"]["url"] = entry.original
    if article.license:
        extension["license"] = {
            "code": article.license.code,
            "name": article.license.name,
            "url": article.license.url,
        }
        if entry.rights:
            extension["rights"] = entry.rights
    if article.changes:
        extension["changes"] = list(article.changes)
    extension["categories"] = [
        {"term": term, "scheme": scheme, "label": label}
        for (term, scheme), label in entry.categories
    ]
    item["_feedtool"] = extension
    return item


def _json_item_bytes(entry: Entry) -> bytes:
    """The entry's JSON Feed item as written in a feed's ``items`` (two levels in), the
    same in every feed (in UTF-8: half the memory of a text with a character past
    Latin-1)."""
    if entry.json_item is None:
        entry.json_item = pretty_json(_json_item(entry), "\n    ").encode("utf-8")
    return entry.json_item


#: How ``json.dumps(ensure_ascii=False)`` writes a string (in C).
_json_string: Callable[[str], str] = json.encoder.encode_basestring


def pretty_json(value: Any, newline: str = "\n") -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, each line break followed by
    ``newline``'s indent too, for values made of strings, numbers, booleans, None, lists
    and dicts with string keys. ``json.dumps`` writes an indented layout in Python, one
    call per value; this writes the strings in C, in a third of the time.
    """
    kind = type(value)
    if kind is str:
        return _json_string(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        items = ",".join(
            f"{inner}{_json_string(key)}: {pretty_json(item, inner)}" for key, item in value.items()
        )
        return f"{{{items}{newline}}}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        return f"[{','.join(inner + pretty_json(item, inner) for item in value)}{newline}]"
    return json.dumps(value)


def render_json(
    doc: FeedDoc, articles: tuple[Article, ...], cfg: Config, entry_of: EntryOf | None = None
) -> bytes:
    """One JSON Feed 1.1 document of ``doc``'s feed: the Atom document's twin.

    The licence, source, rights and categories of each item, and the RFC 5005 links of the
    document, are in the ``_feedtool`` extension (``docs/feeds.md``); ``next_url`` leads
    to the next older page, as JSON Feed pages.
    """
    info = doc.info
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": absolute(cfg, info.page),
        "feed_url": absolute(cfg, doc.path),
    }
    subtitle = _subtitle(info, cfg)
    if subtitle:
        feed["description"] = subtitle
    if doc.prev_archive is not None:
        feed["next_url"] = absolute(cfg, doc.page_path(doc.prev_archive))
    feed["language"] = cfg.site.language
    if cfg.site.publisher:
        feed["authors"] = [{"name": cfg.site.publisher}]
    extension: dict[str, Any] = {"about": EXTENSION_ABOUT, "id": _feed_id(info, cfg)}
    marker = _marker(doc)
    if marker:
        extension[marker] = True
    for rel, href in _chain_links(doc, cfg):
        extension[rel.replace("-", "_")] = href
    feed["_feedtool"] = extension
    feed["items"] = []
    # json.dumps(feed, indent=2), with each item's text made once for the feeds it is in.
    data = pretty_json(feed).encode("utf-8")
    if articles:
        items = b",\n    ".join(_json_item_bytes(e) for e in _entries(articles, cfg, entry_of))
        data = data.removesuffix(b"[]\n}") + b"[\n    " + items + b"\n  ]\n}"
    return data + b"\n"


Renderer = Callable[[FeedDoc, tuple[Article, ...], Config, "EntryOf | None"], bytes]

#: Each format's renderer, by the format's name (``urls.FORMATS``).
RENDERERS: dict[str, Renderer] = {"atom": render_atom, "rss": render_rss, "json": render_json}


def render_doc(
    doc: FeedDoc, articles: tuple[Article, ...], cfg: Config, entry_of: EntryOf | None = None
) -> bytes:
    """One document of a feed, in its format; ``entry_of`` gives the articles' entries
    (default :func:`make_entry`)."""
    return RENDERERS[doc.format.name](doc, articles, cfg, entry_of)


def feed_docs(info: FeedInfo, articles: tuple[Article, ...], cfg: Config) -> list[FeedDoc]:
    """Every document of ``info``'s feed: the subscription document, then the archive pages
    (none when ``feeds.archives`` is off), each in every format in turn, so that the
    formats share the work on its entries (:func:`_entries`)."""
    size = cfg.feeds.limit
    pages = archive_pages(len(articles), size) if cfg.feeds.archives else 0
    complete = len(articles) <= size
    return [
        FeedDoc(info, fmt, archive, pages, complete and archive is None)
        for archive in (None, *range(1, pages + 1))
        for fmt in info.formats
    ]


def doc_key(doc: FeedDoc, cfg: Config) -> tuple[object, ...]:
    """Everything of ``doc`` its renderer reads besides its entries and the config (for the
    cache's key): not the term's article count, so that an archive page is not rendered
    again when articles are added to its feed."""
    info = doc.info
    return (
        info.path,
        info.title,
        info.page,
        _subtitle(info, cfg),
        doc.format,
        doc.archive,
        doc.prev_archive,
        doc.next_archive,
        doc.complete,
    )


def doc_articles(doc: FeedDoc, articles: tuple[Article, ...], cfg: Config) -> tuple[Article, ...]:
    """The entries of ``doc`` among its feed's ``articles`` (newest first)."""
    if doc.archive is None:
        return articles[: cfg.feeds.limit]
    return archive_slice(articles, doc.archive, cfg.feeds.limit)


def render_feeds(model: SiteModel, cfg: Config) -> Iterator[tuple[str, bytes]]:
    """Every feed document of the site as ``(path, bytes)``."""
    for info in all_feeds(model, cfg):
        articles = info.term.articles if info.term is not None else model.articles
        for doc in feed_docs(info, articles, cfg):
            yield doc.path, render_doc(doc, doc_articles(doc, articles, cfg), cfg)
