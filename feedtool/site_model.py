"""Group tagged articles into the terms of every configured taxonomy: the site's pages
and feeds.

A term lists the articles whose reference to it is ``listed`` (a region only mentioned
in passing is not; a topic's articles include those of its narrower topics, which the
tagger adds as broader tags). Which terms get a page and a feed is decided by the term
data (a macro-region with ``feed: false`` gets none) and, for a tagger whose settings say
so, by those settings (``topics.feed_*``).
"""

from __future__ import annotations

import hashlib
import marshal
import pickle
from collections import Counter, defaultdict
from dataclasses import dataclass

from feedtool.config import Config
from feedtool.l10n import month_label
from feedtool.model import ArchivePeriod, Article, SiteModel, Taxonomy, Term
from feedtool.tagging.base import TermInfo
from feedtool.tagging.pipeline import Taggers
from feedtool.tagging.slug import slugify
from feedtool.taxonomy import SOURCE_INDEX, UNTAGGED_SOURCE, TagRefs, field_value, tag_refs


def _unique_slugs(infos: list[TermInfo]) -> dict[str, str]:
    """Readable slugs from labels; a clash gets the id appended, so slugs stay stable (and
    when that still clashes, a digest of the id)."""
    wanted: dict[str, list[TermInfo]] = defaultdict(list)
    for info in infos:
        base = slugify(info.label) or slugify(info.id)
        wanted[base].append(info)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for base, group in wanted.items():
        if len(group) == 1:
            out[group[0].id] = base
            taken.add(base)
    for base, group in wanted.items():
        if len(group) == 1:
            continue
        for info in group:
            slug = f"{base}-{slugify(info.id.rsplit(':', 1)[-1])}".strip("-")
            if slug in taken:
                slug = f"{base}-{hashlib.blake2b(info.id.encode(), digest_size=4).hexdigest()}"
            out[info.id] = slug
            taken.add(slug)
    return out


def select_terms(
    infos: dict[str, TermInfo], counts: dict[str, int], explicit: frozenset[str], minimum: int
) -> set[str]:
    """Terms that get a page and a feed.

    With ``explicit`` terms: exactly those (that have articles). Otherwise every term
    without a broader one, plus narrower terms with at least ``minimum`` articles.
    """
    if explicit:
        return {i for i in counts if i in explicit}
    return {i for i, n in counts.items() if n and (not infos[i].parents or n >= minimum)}


def page_rule(cfg: Config, source: str) -> tuple[frozenset[str], int]:
    """Which terms of ``source`` get a page: the terms its settings name (``feed_topics``)
    and the articles a narrower term needs (``feed_min_articles``); all, for a source
    whose settings name neither."""
    settings = getattr(cfg, source, None)
    explicit = frozenset(getattr(settings, "feed_topics", ()))
    return explicit, int(getattr(settings, "feed_min_articles", 1))


def _sorted(articles: list[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: a.sort_key))


def _field_info(source: str, term_id: str) -> TermInfo:
    return TermInfo(term_id, field_value(term_id), None, source)


def build_site_model(articles: list[Article], cfg: Config, taggers: Taggers) -> SiteModel:
    """The frozen model of the whole site; every collection sorted with tie-breakers.

    Every enabled taxonomy of ``cfg`` gets the terms its source gives the articles: a
    tagger's terms (looked up in ``taggers``) or a metadata field's values.
    """
    ordered = _sorted(articles)
    tables = taggers.terms()
    specs = cfg.enabled_taxonomies
    # Filled in site order, so every term's list is already sorted.
    # (Tags are read as tag_refs: an article from the cache need not be loaded for them.)
    by_term: dict[str, dict[str, list[Article]]] = {name: defaultdict(list) for name in specs}
    plan = [
        (
            by_term[name],
            SOURCE_INDEX[spec.source],
            {i for i, info in tables.get(spec.source, {}).items() if not info.feed},
        )
        for name, spec in specs.items()
    ]
    untagged_paths: list[str] = []
    untagged = SOURCE_INDEX[UNTAGGED_SOURCE]
    for a in ordered:
        refs = tag_refs(a)
        for bucket, source, hidden in plan:
            for term_id, _main, listed in refs[source]:
                if listed and term_id not in hidden:
                    bucket[term_id].append(a)
        if not refs[untagged]:
            untagged_paths.append(a.path)

    taxonomies: list[Taxonomy] = []
    term_pages: dict[str, Term] = {}
    labels: dict[str, str] = {}
    for name, spec in specs.items():
        found = by_term[name]
        table = tables.get(spec.source)
        if table is None:
            infos = {i: _field_info(spec.source, i) for i in found}
        else:
            infos = {i: table[i] for i in found}
        selected = select_terms(
            infos, {i: len(a) for i, a in found.items()}, *page_rule(cfg, spec.source)
        )
        slugs = _unique_slugs([infos[i] for i in found if i in selected])
        terms = tuple(
            sorted(
                (
                    Term(name, slugs[i], infos[i], tuple(found[i]), spec.feeds, spec.about)
                    for i in slugs
                ),
                key=lambda t: (t.label.casefold(), t.id),
            )
        )
        taxonomies.append(
            Taxonomy(name, spec.label, terms, spec.feeds, spec.source, spec.related, spec.singular)
        )
        term_pages.update((t.id, t) for t in terms)
        if table is not None:
            for t in terms:
                labels.update((m, table[m].label) for m in t.info.members if m in table)
    return SiteModel(
        articles=ordered,
        taxonomies=tuple(taxonomies),
        term_pages=term_pages,
        untagged=tuple(untagged_paths),
        labels=dict(sorted((m, n) for m, n in labels.items() if m not in term_pages)),
    )


def build_archive(model: SiteModel, language: str = "en") -> tuple[ArchivePeriod, ...]:
    """Years (newest first) with their months, then ``undated`` when any article is undated.

    Articles whose date is the configured fallback (``date_derived``) go under
    ``undated``. Month names are in ``language``.
    """
    years: dict[int, dict[int, list[Article]]] = defaultdict(lambda: defaultdict(list))
    undated: list[Article] = []
    for a in model.articles:
        if a.date_derived:
            undated.append(a)
        else:
            years[a.published.year][a.published.month].append(a)
    out: list[ArchivePeriod] = []
    for year in sorted(years, reverse=True):
        months = tuple(
            ArchivePeriod(
                f"{year:04d}/{month:02d}", month_label(year, month, language), tuple(arts)
            )
            for month, arts in sorted(years[year].items(), reverse=True)
        )
        articles = tuple(a for m in months for a in m.articles)
        out.append(ArchivePeriod(f"{year:04d}", str(year), articles, months))
    if undated:
        out.append(ArchivePeriod("undated", "Undated", tuple(undated)))
    return tuple(out)


def article_terms(model: SiteModel, article: Article, refs: TagRefs | None = None) -> list[Term]:
    """The article's terms that have a page, taxonomy by taxonomy (listed ones only);
    ``refs``: its :func:`tag_refs`, when the caller has them."""
    if refs is None:
        refs = tag_refs(article)
    pages = model.term_pages
    return [
        pages[i]
        for taxonomy in model.taxonomies
        for i, _main, listed in refs[SOURCE_INDEX[taxonomy.source]]
        if listed and i in pages
    ]


def _related_sources(model: SiteModel) -> list[tuple[int, int]]:
    """``(source, weight)`` of the taxonomies that related articles and terms go by, the
    source as its place in :func:`tag_refs`."""
    return [(SOURCE_INDEX[t.source], t.related) for t in model.taxonomies if t.related > 0]


def related_terms(model: SiteModel, limit: int = 8) -> dict[str, tuple[tuple[Term, int], ...]]:
    """For each term, the terms whose articles it shares most (count, then label, then id)."""
    pages = model.term_pages
    sources = [source for source, _weight in _related_sources(model)]
    # Each term's counter counts the terms of its articles (in C), itself included.
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in model.articles:
        refs = tag_refs(a)
        ids = {i for s in sources for i, _main, listed in refs[s] if listed and i in pages}
        if len(ids) > 1:
            for i in sorted(ids):  # terms come out in the order they are first met
                counts[i].update(ids)
    out: dict[str, tuple[tuple[Term, int], ...]] = {}
    for term_id, c in counts.items():
        del c[term_id]
        ranked = sorted(
            c.items(),
            key=lambda kv: (-kv[1], model.term_pages[kv[0]].label.casefold(), kv[0]),
        )
        out[term_id] = tuple((model.term_pages[i], n) for i, n in ranked[:limit])
    return out


#: Neighbours on each side that related_articles considers on a term's page.
RELATED_WINDOW = 12


def related_articles(
    model: SiteModel, limit: int = 5, window: int = RELATED_WINDOW
) -> dict[str, tuple[Article, ...]]:
    """For each article (by ``rel_path``), others sharing a specific topic, or its
    primary region and any topic.

    Candidates are the ``window`` neighbours (in date order) on each of the article's
    primary-region and leaf-topic pages, so the cost stays linear in the number of
    articles. A candidate counts when it shares a leaf topic below the top level, or a
    primary region and a topic at any level (a shared place or broad subject alone is
    no relation). Ranked by shared terms (a primary region counts double), then
    nearness in time, then the usual order.
    """
    numbers = _RelatedIndex(model).related(0, len(model.articles), limit, window)
    return _RelatedIndex.articles_of(model, numbers)


class _RelatedIndex:
    """What :func:`related_articles` looks up: each article's number, date and key terms,
    and each term's articles by number. Articles are numbered in site order
    (``model.articles`` is sorted by ``sort_key``, which is unique), so "the usual
    order" is the number and no key has to be computed twice."""

    def __init__(self, model: SiteModel) -> None:
        self.model = model
        number = {a.rel_path: n for n, a in enumerate(model.articles)}
        self.stamps = [a.published.timestamp() for a in model.articles]
        self.sources = _related_sources(model)
        self.members: dict[str, list[int]] = {}
        self.where: dict[str, dict[int, int]] = {}
        for taxonomy in model.taxonomies:
            if taxonomy.related <= 0:
                continue
            for t in taxonomy.terms:
                ids = [number[a.rel_path] for a in t.articles]
                self.members[t.id] = ids
                self.where[t.id] = {n: at for at, n in enumerate(ids)}
        topics = [t.info for x in model.taxonomies if x.related > 0 for t in x.terms]
        self.topical = {i.id for i in topics if i.kind == "topic"}
        #: Topics below the top level: sharing one relates two articles by itself.
        self.specific = {i.id for i in topics if i.kind == "topic" and i.parents}
        #: Each article's topic ids (any level), by number, made when first needed.
        self.topics: list[frozenset[str] | None] = [None] * len(model.articles)

    def topics_of(self, n: int, refs: TagRefs | None = None) -> frozenset[str]:
        """The topic ids (any level) of article ``n``, whose :func:`tag_refs` are ``refs``."""
        got = self.topics[n]
        if got is None:
            if refs is None:
                refs = tag_refs(self.model.articles[n])
            topical = self.topical
            got = frozenset(i for s, _w in self.sources for i, _m, _l in refs[s] if i in topical)
            self.topics[n] = got
        return got

    def related(self, start: int, stop: int, limit: int, window: int) -> list[tuple[int, ...]]:
        """The related articles (numbers) of articles ``start`` to ``stop`` (numbers)."""
        members, where, stamps, sources = self.members, self.where, self.stamps, self.sources
        topics, specific, topical = self.topics, self.specific, self.topical
        articles = self.model.articles
        out: list[tuple[int, ...]] = []
        for n in range(start, stop):
            refs = tag_refs(articles[n])
            keys = [
                (i, weight)
                for source, weight in sources
                for i, main, listed in refs[source]
                if main and listed
            ]
            counts: Counter[int] = Counter()
            close: set[int] = set()  # share a specific topic
            placed: set[int] = set()  # share a place
            for k, weight in keys:
                ids = members.get(k)
                if ids is None:
                    continue
                # The term's articles are in site order, so ``n`` is at ``at`` alone.
                at = where[k][n]
                near = ids[at - window if at > window else 0 : at] + ids[at + 1 : at + window + 1]
                for _ in range(weight):
                    counts.update(near)
                if k in specific:
                    close.update(near)
                elif k not in topical:
                    placed.update(near)
            mine = self.topics_of(n, refs)
            if mine and placed:
                for o in placed - close:
                    theirs = topics[o]
                    if theirs is None:
                        theirs = self.topics_of(o)
                    if not mine.isdisjoint(theirs):
                        close.add(o)
            score = {o: sc for o, sc in counts.items() if o in close}
            stamp = stamps[n]
            # The best ``limit`` by (score desc, distance in time, number): only candidates
            # scoring at least the ``limit``-th best score can be among them.
            if len(score) > limit:
                floor = sorted(score.values(), reverse=True)[limit - 1]
                score = {o: sc for o, sc in score.items() if sc >= floor}
            ranked = sorted((-sc, abs(stamps[o] - stamp), o) for o, sc in score.items())[:limit]
            out.append(tuple(o for _s, _d, o in ranked))
        return out

    @staticmethod
    def articles_of(
        model: SiteModel, numbers: list[tuple[int, ...]]
    ) -> dict[str, tuple[Article, ...]]:
        """Numbers (one tuple per article, in site order) as articles by ``rel_path``."""
        every = model.articles
        return {a.rel_path: tuple(every[o] for o in numbers[n]) for n, a in enumerate(every)}


def related_part(model: SiteModel, start: int, stop: int, limit: int = 5) -> list[tuple[int, ...]]:
    """The related articles (numbers, see :class:`_RelatedIndex`) of articles ``start`` to
    ``stop`` (numbers), as :func:`related_articles` ranks them: a part of the work that a
    build can give each of its processes (:meth:`Related.of_parts`)."""
    return _RelatedIndex(model).related(start, stop, limit, RELATED_WINDOW)


@dataclass(frozen=True)
class Related:
    """Related articles (by ``rel_path``) and related terms (by term id) of a site."""

    articles: dict[str, tuple[Article, ...]]
    terms: dict[str, tuple[tuple[Term, int], ...]]

    @classmethod
    def of(cls, model: SiteModel) -> Related:
        """Compute both for ``model``."""
        return cls(related_articles(model), related_terms(model))

    @classmethod
    def of_parts(
        cls,
        model: SiteModel,
        parts: list[list[tuple[int, ...]]],
        terms: dict[str, tuple[tuple[Term, int], ...]],
    ) -> Related:
        """From :func:`related_part` of consecutive ranges that cover every article, and
        :func:`related_terms`: the same as :meth:`of`."""
        numbers = [related for part in parts for related in part]
        if len(numbers) != len(model.articles):
            raise ValueError("the parts do not cover the site's articles")
        return cls(_RelatedIndex.articles_of(model, numbers), terms)

    def pack(self, model: SiteModel) -> bytes:
        """A compact form (article numbers, term ids) for :meth:`unpack` on the same site."""
        number = {a.rel_path: n for n, a in enumerate(model.articles)}
        articles = [
            tuple(number[o.rel_path] for o in self.articles.get(a.rel_path, ()))
            for a in model.articles
        ]
        terms = {i: tuple((t.id, n) for t, n in ranked) for i, ranked in self.terms.items()}
        return pickle.dumps((articles, terms), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def unpack(cls, model: SiteModel, data: bytes) -> Related:
        """What :meth:`pack` kept, for a model whose :func:`related_inputs` are the same."""
        articles, terms = pickle.loads(data)
        every = model.articles
        return cls(
            {a.rel_path: tuple(every[o] for o in articles[n]) for n, a in enumerate(every)},
            {i: tuple((model.term_pages[t], n) for t, n in ranked) for i, ranked in terms.items()},
        )


def related_inputs(model: SiteModel) -> str:
    """Digest of all that :func:`related_articles` and :func:`related_terms` read.

    The articles' order, dates and term ids, and the labels of the terms with a page:
    an edit to an article's text leaves it unchanged, so a build can reuse the last
    build's related lists.
    """
    # marshal (format 2 has no back-references: equal values give equal bytes) writes these
    # in C, in half the time of joining strings of the same values.
    sources = _related_sources(model)
    articles = []
    for a in model.articles:
        refs = tag_refs(a)
        articles.append((a.rel_path, a.published.timestamp(), [refs[s] for s, _w in sources]))
    related = {t.name for t in model.taxonomies if t.related > 0}
    terms = [
        (i, t.taxonomy, t.label)
        for i, t in sorted(model.term_pages.items())
        if t.taxonomy in related
    ]
    return hashlib.blake2b(marshal.dumps((articles, terms), 2), digest_size=16).hexdigest()
