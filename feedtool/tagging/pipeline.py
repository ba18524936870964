"""The tagging stage: run both taggers over articles and merge manual tags.

:func:`tag_articles` runs both taggers over every article and merges the tags
written by hand in front matter (``topics:``/``regions:``), which always win.
The taggers are pure and deterministic; the result does not depend on the order
of the articles.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from feedtool.config import Config
from feedtool.errors import ConfigError, Problem, SourceError, display_path, problem
from feedtool.model import Article
from feedtool.tagging.base import Evidence, RegionTag, TagText, TermInfo, TopicTag
from feedtool.taxonomy import TAGGER_SOURCES

__all__ = [
    "Taggers",
    "load_taggers",
    "make_taggers",
    "tag_article",
    "tag_articles",
    "tag_each",
    "tag_text",
]

_MANUAL = "manual (front matter)"


@dataclasses.dataclass(frozen=True, eq=False)
class Taggers:
    """Every tagger of :data:`~feedtool.taxonomy.TAGGER_SOURCES`, built once per settings."""

    #: The taggers by name, in :data:`~feedtool.taxonomy.TAGGER_SOURCES` order.
    by_name: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.by_name[name]

    def terms(self) -> dict[str, dict[str, TermInfo]]:
        """Each tagger's terms by id, by tagger name (see ``feedtool.taxonomy``)."""
        return {name: tagger.terms() for name, tagger in self.by_name.items()}


def _tagger_class(name: str) -> Any:
    module, _colon, cls = TAGGER_SOURCES[name].partition(":")
    return getattr(importlib.import_module(module), cls)


@lru_cache(maxsize=4)
def make_taggers(*settings: Any) -> Taggers:
    """Load every tagger's data; ``settings`` in :data:`~feedtool.taxonomy.TAGGER_SOURCES`
    order (cached: settings are frozen and hashable)."""
    return Taggers(
        {
            name: _tagger_class(name)(value)
            for name, value in zip(TAGGER_SOURCES, settings, strict=True)
        }
    )


def load_taggers(cfg: Config) -> Taggers:
    """The taggers for ``cfg``; settings the taggers reject become config errors."""
    try:
        return make_taggers(*(getattr(cfg, name) for name in TAGGER_SOURCES))
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


_Merge = Callable[[Article, tuple[Any, ...], dict[str, TermInfo], list[str]], tuple[Any, ...]]


def _merge_topic_tags(
    _article: Article, found: tuple[Any, ...], terms: dict[str, TermInfo], ids: list[str]
) -> tuple[Any, ...]:
    return _merge_topics(found, terms, ids)


#: Tags written by hand in front matter, by tagger: the article field holding them, how
#: they merge into the tagger's tags, and the names an unknown one is compared with (a
#: tagger without a line here has none). Their problems are reported in this order.
_HAND_TAGS: dict[str, tuple[str, _Merge, Callable[[dict[str, TermInfo]], list[str]]]] = {
    "regions": ("manual_regions", _merge_regions, list),
    "topics": ("manual_topics", _merge_topic_tags, lambda terms: [t.label for t in terms.values()]),
}


#: Each tagger's terms and the ids of the tags written by hand, for the taggers that have some.
_HandTags = dict[str, tuple[dict[str, TermInfo], list[str]]]


def tag_article(article: Article, taggers: Taggers, explain: bool = True) -> Article:
    """``article`` with every tagger's tags; manual tags are merged in.

    ``explain=False``: the tags' evidence is left empty (a build, which shows none of
    it, skips collecting it).
    """
    tagged = tag_each([article], taggers, explain)[0]
    if isinstance(tagged, SourceError):
        raise tagged
    return tagged


def tag_each(
    articles: list[Article], taggers: Taggers, explain: bool = True
) -> list[Article | SourceError]:
    """Each of ``articles`` as :func:`tag_article` gives it, or the error it raises.

    One tagger at a time over all of them: a tagger's tables then stay in the
    processor's caches from one article to the next. The build's workers read and tag
    their files in chunks of up to 128 this way: 0.66 ms of CPU an article against
    0.80 ms one article at a time (2,000 articles of the benchmark corpus, one process,
    best of four).
    """
    hand: list[_HandTags | SourceError] = []
    for article in articles:
        try:
            hand.append(_hand_tags(article, taggers))
        except SourceError as exc:
            hand.append(exc)
    texts = [
        None if isinstance(manual, SourceError) else tag_text(article)
        for article, manual in zip(articles, hand, strict=True)
    ]
    found = [
        [() if text is None else tagger.tag(text, explain) for text in texts]
        for tagger in taggers.by_name.values()
    ]
    out: list[Article | SourceError] = []
    for i, (article, manual) in enumerate(zip(articles, hand, strict=True)):
        if isinstance(manual, SourceError):
            out.append(manual)
            continue
        tags = []
        for name, by_article in zip(taggers.by_name, found, strict=True):
            tags.append(
                _HAND_TAGS[name][1](article, by_article[i], *manual[name])
                if name in manual
                else by_article[i]
            )
        changes = article.changes
        if any(tags):
            changes = (*changes, "added topic and region tags")
        out.append(dataclasses.replace(article, tags=tuple(tags), changes=changes))
    return out


def _hand_tags(article: Article, taggers: Taggers) -> _HandTags:
    """The article's tags written by hand, resolved; raises SourceError on unknown ones."""
    problems: list[Problem] = []
    manual: _HandTags = {}
    for name, (attr, _merge, names) in _HAND_TAGS.items():
        values: tuple[str, ...] = getattr(article, attr)
        if not values:
            continue  # the term tables are only needed for tags written by hand
        tagger = taggers[name]
        terms = tagger.terms()
        ids: list[str] = []
        for value in values:
            resolved = tagger.resolve(value)
            if resolved is None:
                problems.append(_unknown(article, name, value, names(terms)))
            else:
                ids.append(resolved)
        manual[name] = (terms, ids)
    if problems:
        raise SourceError(problems)
    return manual


def tag_articles(articles: Iterable[Article], taggers: Taggers) -> list[Article]:
    """Tag every article; problems in manual tags are raised together."""
    out: list[Article] = []
    problems: list[Problem] = []
    for tagged in tag_each(list(articles), taggers):
        if isinstance(tagged, SourceError):
            problems.extend(tagged.problems)
        else:
            out.append(tagged)
    if problems:
        raise SourceError(problems)
    return out
