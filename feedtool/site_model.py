"""Group tagged articles into taxonomy terms: the site's pages and feeds.

A region term lists the articles whose tag for it is ``listed`` (by default the
countries an article is about, not every passing mention); a topic term lists
every article tagged with it or with a narrower topic. Which topics get a page
and a feed is decided by the topic settings (``topics.feed_*``).
"""

from __future__ import annotations

from collections import defaultdict

from feedtool.config import Config
from feedtool.model import Article, SiteModel, Taxonomy, Term
from feedtool.tagging.base import TermInfo
from feedtool.tagging.pipeline import Taggers
from feedtool.tagging.slug import slugify


def _unique_slugs(infos: list[TermInfo]) -> dict[str, str]:
    """Readable slugs from labels; a clash gets the id appended, so slugs stay stable."""
    wanted: dict[str, list[TermInfo]] = defaultdict(list)
    for info in infos:
        base = slugify(info.label) or slugify(info.id)
        wanted[base].append(info)
    out: dict[str, str] = {}
    for base, group in wanted.items():
        if len(group) == 1:
            out[group[0].id] = base
        else:
            for info in group:
                out[info.id] = f"{base}-{slugify(info.id.rsplit(':', 1)[-1])}"
    return out


def select_topics(cfg: Config, terms: dict[str, TermInfo], counts: dict[str, int]) -> set[str]:
    """Topics that get a page and a feed.

    With ``topics.feed_topics`` set: exactly those (that have articles). Otherwise every
    top-level topic with articles, plus narrower topics with at least
    ``topics.feed_min_articles`` articles.
    """
    explicit = set(cfg.topics.feed_topics)
    if explicit:
        return {i for i in counts if i in explicit}
    minimum = cfg.topics.feed_min_articles
    return {i for i, n in counts.items() if n and (not terms[i].parents or n >= minimum)}


def _sorted(articles: list[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: a.sort_key))


def build_site_model(articles: list[Article], cfg: Config, taggers: Taggers) -> SiteModel:
    """The frozen model of the whole site; every collection sorted with tie-breakers."""
    ordered = _sorted(articles)
    region_terms = taggers.regions.terms()
    topic_terms = taggers.topics.terms()

    by_region: dict[str, list[Article]] = defaultdict(list)
    by_topic: dict[str, list[Article]] = defaultdict(list)
    for a in ordered:
        for r in a.regions:
            if r.listed and region_terms[r.id].feed:
                by_region[r.id].append(a)
        for t in a.topics:
            by_topic[t.id].append(a)

    region_infos = [region_terms[i] for i in by_region]
    region_slugs = _unique_slugs(region_infos)
    regions = tuple(
        sorted(
            (
                Term("regions", region_slugs[i], region_terms[i], _sorted(arts), cfg.feeds.regions)
                for i, arts in by_region.items()
            ),
            key=lambda t: (t.label.casefold(), t.id),
        )
    )
    selected = select_topics(cfg, topic_terms, {i: len(a) for i, a in by_topic.items()})
    topic_infos = [topic_terms[i] for i in by_topic if i in selected]
    topic_slugs = _unique_slugs(topic_infos)
    topics = tuple(
        sorted(
            (
                Term(
                    "topics", topic_slugs[i], topic_terms[i], _sorted(by_topic[i]), cfg.feeds.topics
                )
                for i in topic_slugs
            ),
            key=lambda t: (t.label.casefold(), t.id),
        )
    )
    term_pages = {t.id: t for t in (*topics, *regions)}
    untagged = tuple(a.path for a in ordered if not a.topics)
    return SiteModel(
        articles=ordered,
        taxonomies=(
            Taxonomy("topics", "Topics", topics, cfg.feeds.topics),
            Taxonomy("regions", "Regions", regions, cfg.feeds.regions),
        ),
        term_pages=term_pages,
        untagged=untagged,
    )
