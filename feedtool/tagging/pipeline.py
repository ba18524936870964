"""The tagging stage: run both taggers over articles and merge manual tags.

:func:`tag_articles` runs both taggers over every article and merges the tags
written by hand in front matter (``topics:``/``regions:``), which always win.
The taggers are pure and deterministic; the result does not depend on the order
of the articles.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from functools import lru_cache

from feedtool.config import Config
from feedtool.errors import ConfigError, Problem, SourceError, display_path, problem
from feedtool.model import Article
from feedtool.tagging.base import Evidence, RegionTag, TagText, TermInfo, TopicTag
from feedtool.tagging.regions import RegionSettings, RegionTagger
from feedtool.tagging.topics import TopicSettings, TopicTagger
from feedtool.taxonomy import TAGGER_SOURCES

__all__ = ["Taggers", "load_taggers", "make_taggers", "tag_article", "tag_articles", "tag_text"]

_MANUAL = "manual (front matter)"


@dataclasses.dataclass(frozen=True)
class Taggers:
    """The two taggers, built once per settings."""

    topics: TopicTagger
    regions: RegionTagger

    def terms(self) -> dict[str, dict[str, TermInfo]]:
        """Each tagger's terms by id, by tagger name (see ``feedtool.taxonomy``)."""
        return {name: getattr(self, name).terms() for name in TAGGER_SOURCES}


@lru_cache(maxsize=4)
def make_taggers(topics: TopicSettings, regions: RegionSettings) -> Taggers:
    """Load both taggers' data (cached: settings are frozen and hashable)."""
    return Taggers(TopicTagger(topics), RegionTagger(regions))


def load_taggers(cfg: Config) -> Taggers:
    """The taggers for ``cfg``; settings the taggers reject become config errors."""
    try:
        return make_taggers(cfg.topics, cfg.regions)
    except ValueError as exc:
        raise ConfigError(
            [
                problem(
                    display_path(cfg.path),
                    "topics/regions",
                    str(exc),
                    hint="use ISO 3166-1 alpha-2 codes (AM), macro-region slugs "
                    "(south-caucasus) or topic ids (medtop:20000642)",
                )
            ]
        ) from None


def tag_text(article: Article) -> TagText:
    """What the taggers read of ``article``."""
    return TagText(
        title=article.title,
        dateline=article.dateline,
        lead=article.lead,
        body="\n\n".join(article.paragraphs[1:]),
        source=article.source,
    )


def _unknown(article: Article, key: str, value: str, names: Iterable[str]) -> Problem:
    close = difflib.get_close_matches(value, list(names), n=1)
    return problem(
        article.path,
        key,
        f"unknown {key[:-1]} {value!r}",
        hint=f"did you mean {close[0]!r}?" if close else f"see `feedtool {key} --list`",
    )


def _manual_evidence(value: str) -> tuple[Evidence, ...]:
    return (Evidence(value, "title", 0, 0, 0.0, _MANUAL),)


def _merge_regions(
    article: Article, found: tuple[RegionTag, ...], terms: dict[str, TermInfo], ids: list[str]
) -> tuple[RegionTag, ...]:
    if not ids:
        return found  # already by score, then id
    by_id = {t.id: t for t in found}
    for term_id in ids:
        info = terms[term_id]
        old = by_id.get(term_id)
        if old is not None:
            by_id[term_id] = dataclasses.replace(
                old, primary=True, listed=True, evidence=old.evidence + _manual_evidence(term_id)
            )
        else:
            by_id[term_id] = RegionTag(
                term_id,
                info.label,
                "country" if info.kind == "country" else "region",
                True,
                0.0,
                True,
                _manual_evidence(term_id),
            )
    return tuple(sorted(by_id.values(), key=lambda t: (-t.score, t.id)))


def _ancestors(term_id: str, terms: dict[str, TermInfo]) -> list[str]:
    out: list[str] = []
    todo = list(terms[term_id].parents)
    while todo:
        parent = todo.pop(0)
        if parent in terms and parent not in out:
            out.append(parent)
            todo.extend(terms[parent].parents)
    return out


def _merge_topics(
    found: tuple[TopicTag, ...], terms: dict[str, TermInfo], ids: list[str]
) -> tuple[TopicTag, ...]:
    if not ids:
        return found  # already by score, then id
    by_id = {t.id: t for t in found}
    for term_id in ids:
        old = by_id.get(term_id)
        if old is not None:
            by_id[term_id] = dataclasses.replace(
                old, leaf=True, evidence=old.evidence + _manual_evidence(term_id)
            )
        else:
            by_id[term_id] = TopicTag(
                term_id, terms[term_id].label, 0.0, True, _manual_evidence(term_id)
            )
        for parent in _ancestors(term_id, terms):
            if parent not in by_id:
                by_id[parent] = TopicTag(parent, terms[parent].label, 0.0, False)
    return tuple(sorted(by_id.values(), key=lambda t: (-t.score, t.id)))


def tag_article(article: Article, taggers: Taggers, explain: bool = True) -> Article:
    """``article`` with its topics and regions; manual tags are merged in.

    ``explain=False``: the tags' evidence is left empty (a build, which shows none of
    it, skips collecting it).
    """
    text = tag_text(article)
    problems: list[Problem] = []
    region_ids: list[str] = []
    # The term tables are only needed for tags written by hand (most articles have none).
    region_terms = taggers.regions.terms() if article.manual_regions else {}
    for value in article.manual_regions:
        resolved = taggers.regions.resolve(value)
        if resolved is None:
            problems.append(_unknown(article, "regions", value, region_terms))
        else:
            region_ids.append(resolved)
    topic_ids: list[str] = []
    topic_terms = taggers.topics.terms() if article.manual_topics else {}
    for value in article.manual_topics:
        resolved = taggers.topics.resolve(value)
        if resolved is None:
            problems.append(
                _unknown(article, "topics", value, [t.label for t in topic_terms.values()])
            )
        else:
            topic_ids.append(resolved)
    if problems:
        raise SourceError(problems)
    regions = _merge_regions(article, taggers.regions.tag(text, explain), region_terms, region_ids)
    topics = _merge_topics(taggers.topics.tag(text, explain), topic_terms, topic_ids)
    changes = article.changes
    if regions or topics:
        changes = (*changes, "added topic and region tags")
    return dataclasses.replace(article, regions=regions, topics=topics, changes=changes)


def tag_articles(articles: Iterable[Article], taggers: Taggers) -> list[Article]:
    """Tag every article; problems in manual tags are raised together."""
    out: list[Article] = []
    problems: list[Problem] = []
    for article in articles:
        try:
            out.append(tag_article(article, taggers))
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SourceError(problems)
    return out
