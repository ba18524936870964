"""Values shared by the taggers: the text they read and the tags they return.

Taggers are pure: they take a :class:`TagText` and return tags. They never read
files at tagging time (their data is loaded once, when the tagger is built).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Section = Literal["dateline", "title", "lead", "body"]


@dataclass(frozen=True, slots=True)
class TagText:
    """The parts of an article that taggers look at, in the order a reader meets them.

    ``lead`` is the first paragraph; ``body`` the remaining paragraphs joined by
    blank lines. ``dateline`` is the place as written (``"TEHRAN"``), or None.
    """

    title: str
    dateline: str | None
    lead: str
    body: str
    source: str | None = None

    def sections(self) -> tuple[tuple[Section, str], ...]:
        """The non-empty sections, in reading order."""
        parts: list[tuple[Section, str]] = []
        if self.dateline:
            parts.append(("dateline", self.dateline))
        parts.extend([("title", self.title), ("lead", self.lead), ("body", self.body)])
        return tuple((name, text) for name, text in parts if text)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One matched phrase that counted for (or against) a tag.

    ``start``/``end`` are character offsets into the section's text.
    ``rule`` names why it counted (``"country-name"``, ``"pair:City, Region"``,
    ``"strong"``...), so that ``feedtool tag --explain`` can show it.
    """

    text: str
    section: Section
    start: int
    end: int
    weight: float
    rule: str


@dataclass(frozen=True, slots=True)
class RegionTag:
    """A country (ISO 3166-1 alpha-2 ``id``) or a macro-region (slug ``id``)."""

    id: str
    name: str
    type: Literal["country", "region"]
    primary: bool
    score: float
    #: Whether this tag places the article on the region's page and in its feed.
    listed: bool
    evidence: tuple[Evidence, ...] = ()

    @property
    def label(self) -> str:
        """The place's name (every tag has a ``label`` and a ``kind``)."""
        return self.name

    @property
    def kind(self) -> str:
        """``"country"`` or ``"region"``, as its :class:`TermInfo`."""
        return self.type

    @property
    def ref(self) -> tuple[str, bool, bool]:
        """The tag as a term reference (``feedtool.taxonomy.Ref``): the primary region is
        main, a region only mentioned in passing is not listed."""
        return (self.id, self.primary, self.listed)


@dataclass(frozen=True, slots=True)
class TopicTag:
    """An IPTC Media Topic (``id`` like ``"medtop:11000000"``)."""

    id: str
    label: str
    score: float
    #: True for a topic chosen on its own evidence, False for an implied ancestor.
    leaf: bool
    evidence: tuple[Evidence, ...] = ()

    @property
    def kind(self) -> str:
        """``"topic"``, as its :class:`TermInfo`."""
        return "topic"

    @property
    def ref(self) -> tuple[str, bool, bool]:
        """The tag as a term reference (``feedtool.taxonomy.Ref``): a leaf topic is main."""
        return (self.id, self.leaf, True)


@dataclass(frozen=True, slots=True)
class TermInfo:
    """What a page or feed needs to know about a term of a taxonomy."""

    id: str
    label: str
    #: Concept URI for topics, None for places.
    uri: str | None
    #: "country", "region" or "topic".
    kind: str
    #: Ids of broader terms (topics) or of member countries (macro-regions).
    parents: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    definition: str = ""
    #: False for terms that never get a page or a feed (e.g. a macro-region with feed: false).
    feed: bool = True
