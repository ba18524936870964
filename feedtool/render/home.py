"""What the front page shows: a lead story, sections by subject and by region, the latest.

A news reader scans a front page by section, so the home page is not one list: the
newest story leads, a few more follow with their summaries, then each of the most
covered top-level subjects and regions gets a few headlines (each story once on the
page), then the latest headlines. Sections link to their term's page ("more").

Which taxonomy gives the subjects and which the regions is read from the terms'
kinds (``topic``; ``country`` and ``region``), so a project that renames or drops a
taxonomy still gets a front page from what is there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from feedtool.model import Article, SiteModel, Taxonomy, Term

#: Stories with their summary below the lead.
TOP_STORIES = 3
#: Headlines under each section.
PER_SECTION = 3
#: Sections of each kind (subjects, regions) at most.
SECTIONS = 6


@dataclass(frozen=True, slots=True)
class Section:
    """A term's newest stories not shown higher up the page."""

    term: Term
    articles: tuple[Article, ...]


@dataclass(frozen=True, slots=True)
class FrontPage:
    """The parts of the front page, top to bottom."""

    lead: Article | None
    top: tuple[Article, ...]
    subjects: tuple[Section, ...]
    regions: tuple[Section, ...]
    #: The latest headlines: the first page of the site's list without the lead and the
    #: top stories (so that page 2 follows on).
    latest: tuple[Article, ...]


def _taxonomy(model: SiteModel, kinds: tuple[str, ...]) -> Taxonomy | None:
    """The first taxonomy whose terms are of ``kinds`` (with a term that has articles)."""
    for taxonomy in model.taxonomies:
        if any(t.info.kind in kinds and t.articles for t in taxonomy.terms):
            return taxonomy
    return None


def _ranked(terms: Iterable[Term]) -> list[Term]:
    """Most articles first, then by label and id (deterministic)."""
    return sorted(terms, key=lambda t: (-len(t.articles), t.label.casefold(), t.id))


def _sections(terms: list[Term], shown: set[str], limit: int) -> tuple[Section, ...]:
    out: list[Section] = []
    for term in terms:
        if len(out) == limit:
            break
        picked: list[Article] = []
        for a in term.articles:
            if a.rel_path not in shown:
                picked.append(a)
                if len(picked) == PER_SECTION:
                    break
        if picked:
            shown.update(a.rel_path for a in picked)
            out.append(Section(term, tuple(picked)))
    return tuple(out)


def front_page(model: SiteModel, first_page: tuple[Article, ...]) -> FrontPage:
    """The front page of ``model``; ``first_page`` is page 1 of the site's article list.

    The lead, the top stories and the sections show each story once; the latest list
    is in date order and may repeat a section's headline."""
    articles = model.articles
    lead = articles[0] if articles else None
    top = articles[1 : 1 + TOP_STORIES]
    shown = {a.rel_path for a in articles[: 1 + TOP_STORIES]}
    subjects: tuple[Section, ...] = ()
    topics = _taxonomy(model, ("topic",))
    if topics is not None:
        broad = [t for t in topics.terms if t.info.kind == "topic" and not t.info.parents]
        subjects = _sections(_ranked(broad), shown, SECTIONS)
    regions: tuple[Section, ...] = ()
    places = _taxonomy(model, ("country", "region"))
    if places is not None:
        wide = [t for t in places.terms if t.info.kind == "region"]
        if len([t for t in wide if t.articles]) < 2:  # few macro-regions: countries
            wide = [t for t in places.terms if t.info.kind == "country"]
        regions = _sections(_ranked(wide), shown, SECTIONS)
    lead_and_top = {a.rel_path for a in articles[: 1 + TOP_STORIES]}
    latest = tuple(a for a in first_page if a.rel_path not in lead_and_top)
    return FrontPage(lead, top, subjects, regions, latest)


def place(article: Article) -> str:
    """The place a headline is about: its primary region, else its dateline, else ``""``."""
    for r in article.regions:
        if r.primary and r.listed:
            return r.name
    return article.dateline or ""


#: On the topics index, terms with fewer articles are folded away under their subject.
FOLD_BELOW = 3


@dataclass(frozen=True, slots=True)
class SubjectGroup:
    """A top-level subject on the topics index, with the narrower terms under it."""

    #: None for terms whose top-level subject has no page.
    subject: Term | None
    #: Terms with :data:`FOLD_BELOW` articles or more, most articles first.
    shown: tuple[Term, ...]
    #: The others, by label.
    folded: tuple[Term, ...]


def subject_groups(taxonomy: Taxonomy) -> tuple[SubjectGroup, ...]:
    """A topic taxonomy's terms grouped under their top-level subjects (the subjects by
    label); empty for a taxonomy of no topics."""
    by_id = {t.id: t for t in taxonomy.terms if t.info.kind == "topic"}
    if not by_id:
        return ()
    under: dict[str, list[Term]] = {}
    for term in by_id.values():
        if not term.info.parents:
            under.setdefault(term.id, [])
            continue
        node: Term | None = term
        seen = {term.id}
        while node is not None and node.info.parents:
            parent = by_id.get(node.info.parents[0])
            node = None if parent is None or parent.id in seen else parent
            seen.add(node.id if node else "")
        under.setdefault(node.id if node is not None else "", []).append(term)
    groups: list[SubjectGroup] = []
    for top_id, terms in under.items():
        shown = _ranked(t for t in terms if len(t.articles) >= FOLD_BELOW)
        folded = sorted(
            (t for t in terms if len(t.articles) < FOLD_BELOW),
            key=lambda t: (t.label.casefold(), t.id),
        )
        groups.append(SubjectGroup(by_id.get(top_id), tuple(shown), tuple(folded)))
    groups.sort(key=lambda g: (g.subject is None, g.subject.label.casefold() if g.subject else ""))
    return tuple(groups)
