"""The site's data: articles, their tags, and the taxonomy terms that group them.

Frozen values with no I/O. :func:`build_site_model` (in ``feedtool.site_model``)
turns tagged articles into a :class:`SiteModel` that the renderers read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from feedtool.errors import Problem, problem
from feedtool.tagging.base import RegionTag, TermInfo, TopicTag
from feedtool.taxonomy import TAGGER_INDEX, TAGGER_SOURCES


@dataclass(frozen=True, slots=True)
class License:
    """A content license: ``code`` like ``"CC BY 4.0"``, its full name and deed URL."""

    code: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from the content folder, and (after tagging) its tags."""

    #: Path as shown to the user (relative to the working directory when inside it).
    path: str
    #: Path relative to the content folder, POSIX style: the article's identity.
    rel_path: str
    slug: str
    title: str
    title_derived: bool
    #: The place in the dateline as a reader writes it ("Tehran"), or None.
    dateline: str | None
    published: datetime
    updated: datetime
    #: True when ``published`` is the configured fallback for undated articles.
    date_derived: bool
    source: str | None
    source_url: str | None
    author: str | None
    license: License | None
    summary: str
    #: Sanitised HTML of the body (never the license footer).
    body_html: str
    #: The body's paragraphs as plain text, for tagging and summaries.
    paragraphs: tuple[str, ...]
    #: Permanent entry id (a ``tag:`` URI unless set in the article's metadata).
    entry_id: str
    manual_topics: tuple[str, ...] = ()
    manual_regions: tuple[str, ...] = ()
    #: sha256 of the file's bytes (and its sidecar's), for caches.
    content_hash: str = ""
    #: Each tagger's tags, in :data:`~feedtool.taxonomy.TAGGER_SOURCES` order (empty
    #: before tagging); :meth:`tagged` reads one tagger's.
    tags: tuple[tuple[Any, ...], ...] = ()
    #: What feedtool changed or added, for the attribution note (CC BY §3(a)(1)(B)).
    changes: tuple[str, ...] = ()
    #: ``"git"`` when the article states no date and its commits date it: ``published``
    #: is when the file was first committed (shown as "Added"), ``updated`` the last commit.
    date_from: str = ""

    def tagged(self, tagger: str) -> tuple[Any, ...]:
        """The tags of ``tagger`` (a name in :data:`~feedtool.taxonomy.TAGGER_SOURCES`)."""
        i = TAGGER_INDEX[tagger]
        tags = self.tags
        return tags[i] if i < len(tags) else ()

    @property
    def topics(self) -> tuple[TopicTag, ...]:
        """The IPTC topics tagger's tags, most relevant first."""
        return self.tagged("topics")

    @property
    def regions(self) -> tuple[RegionTag, ...]:
        """The regions tagger's tags (countries and macro-regions), most relevant first."""
        return self.tagged("regions")

    def with_tags(self, **tags: tuple[Any, ...]) -> Article:
        """A copy with the tags of the taggers named replaced (``topics=(…)``)."""
        new = [tags.pop(name, self.tagged(name)) for name in TAGGER_SOURCES]
        if tags:
            raise TypeError(f"no tagger {', '.join(tags)}")
        return dataclasses.replace(self, tags=tuple(new))

    @property
    def has_own_date(self) -> bool:
        """Whether the article states its publication date (feeds then carry it)."""
        return not self.date_derived and self.date_from != "git"

    @property
    def lead(self) -> str:
        """The first paragraph."""
        return self.paragraphs[0] if self.paragraphs else ""

    @property
    def url_path(self) -> str:
        """The page's path under the site root, ending in ``/``."""
        return f"articles/{self.slug}/"

    @property
    def sort_key(self) -> tuple[float, str, str]:
        """Newest first; ties broken by id, then path, so order never depends on input order."""
        return (-self.published.timestamp(), self.entry_id, self.rel_path)


@dataclass(frozen=True, slots=True)
class Term:
    """A term of a taxonomy (a topic, a region, an outlet…) that has its own page (and feed)."""

    taxonomy: str
    slug: str
    info: TermInfo
    #: Articles listed under the term, newest first.
    articles: tuple[Article, ...]
    feed: bool
    #: How a page or feed describes the term when it has no definition, ``{label}`` replaced.
    about: str = "News about {label}"

    @property
    def description(self) -> str:
        """The term's definition, else its taxonomy's ``about`` text."""
        return self.info.definition or self.about.format(label=self.label)

    @property
    def id(self) -> str:
        """The term's id (``medtop:…``, ISO code or macro-region slug)."""
        return self.info.id

    @property
    def label(self) -> str:
        """The term's human name."""
        return self.info.label

    @property
    def url_path(self) -> str:
        """The term page's path, ending in ``/``."""
        return f"{self.taxonomy}/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A configured taxonomy (``topics``, ``regions``, ``sources``…): its terms, sorted by
    label then id."""

    name: str
    label: str
    terms: tuple[Term, ...]
    feed: bool
    #: The term source its terms come from (a tagger or a metadata field).
    source: str = ""
    #: Weight of a shared main term for related articles and terms (0: not used).
    related: int = 0
    #: One term's kind in running text and search filters (``topic``).
    singular: str = ""

    @property
    def url_path(self) -> str:
        """The taxonomy's index page, ending in ``/``."""
        return f"{self.name}/"


@dataclass(frozen=True, slots=True)
class SiteModel:
    """Everything the renderers need, sorted and frozen."""

    articles: tuple[Article, ...]
    taxonomies: tuple[Taxonomy, ...]
    #: term id -> its page, for links from articles (only terms with a page).
    term_pages: dict[str, Term] = field(default_factory=dict)
    #: Articles that got no topic at all (reported by the build).
    untagged: tuple[str, ...] = ()
    #: Names of terms without a page that pages still mention (member countries).
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def updated(self) -> datetime | None:
        """The newest article's ``updated`` (the feed-level date), None with no articles."""
        return max((a.updated for a in self.articles), default=None)


@dataclass(frozen=True, slots=True)
class ArchivePeriod:
    """A year or a month of the date archive, or the undated articles (key ``undated``)."""

    #: ``"2024"``, ``"2024/05"`` or ``"undated"``.
    key: str
    label: str
    #: Newest first.
    articles: tuple[Article, ...]
    #: A year's months, newest first.
    months: tuple[ArchivePeriod, ...] = ()

    @property
    def url_path(self) -> str:
        """The period's page, ending in ``/``."""
        return f"archive/{self.key}/"


def duplicate_problems(articles: list[Article]) -> list[Problem]:
    """Articles that share a slug or an entry id with an earlier one (each is an error)."""
    out: list[Problem] = []
    for attr, what in (("slug", "slug"), ("entry_id", "id")):
        seen: dict[str, Article] = {}
        for a in articles:
            value = getattr(a, attr)
            if value in seen:
                out.append(
                    problem(
                        a.path,
                        what,
                        f"same {what} {value!r} as {seen[value].path}",
                        hint=f"set a different `{what}:` in one of them",
                    )
                )
            else:
                seen[value] = a
    return out
