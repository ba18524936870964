"""Taxonomies as data: where each taxonomy's terms come from.

A taxonomy (configured under ``taxonomies:`` in ``config.yaml``) groups articles by
*terms* and gives every term a page and a feed under ``<name>/<slug>/``. Its terms
come from one *term source*: a tagger's tags (``topics``, ``regions``) or a field of
the article's metadata (``source``, ``author``). This module is the one place that
knows how an article's terms are read from each source; everything downstream (the
site model, pages, feeds, the cache) reads them as :data:`TagRefs` and never names a
taxonomy.

A reference to a term is ``(id, main, listed)``:

- ``id``: the term's id (``medtop:…``, an ISO code, a macro-region slug, or for a
  metadata field ``<field>:<value>``, so that terms of different sources never clash);
- ``main``: the tag is central to the article (a leaf topic, the primary region, any
  outlet or byline) — related articles are found through main terms;
- ``listed``: the article is listed on the term's page (a region only mentioned in
  passing is not).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

#: ``(id, main, listed)``, see the module's documentation.
Ref = tuple[str, bool, bool]
#: An article's term references of each term source, in :data:`SOURCES` order (a tuple,
#: not a mapping: a large site keeps one per article in memory).
TagRefs = tuple[tuple[Ref, ...], ...]

#: Taggers whose tags are terms, by name, each with its class as ``"module:Class"``
#: (imported when the taggers are made). The name is the key of the tagger's settings in
#: the configuration and a taxonomy's ``tagger:``; an article's ``tags`` hold each tagger's
#: tags in this order, and a tag's ``ref`` property is its :data:`Ref`. (A new tagger is
#: its module under ``feedtool/tagging/`` and its line here.)
TAGGER_SOURCES: dict[str, str] = {
    "topics": "feedtool.tagging.topics:TopicTagger",
    "regions": "feedtool.tagging.regions:RegionTagger",
}
#: Where each tagger's tags are in an article's ``tags``.
TAGGER_INDEX: dict[str, int] = {name: i for i, name in enumerate(TAGGER_SOURCES)}

_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def names(value: str) -> list[str]:
    """The names of a byline: ``"Jane Doe and John Roe"`` -> ``["Jane Doe", "John Roe"]``
    (split at commas, semicolons, ``&`` and ``and``; each name once, in order)."""
    out: list[str] = []
    for name in _NAME_SEPARATOR.split(value):
        name = " ".join(name.split())
        if name and name not in out:
            out.append(name)
    return out


def _one(value: str) -> list[str]:
    value = " ".join(value.split())
    return [value] if value else []


#: Article metadata fields whose values are terms, and how a value splits into terms.
FIELD_SOURCES: dict[str, Callable[[str], list[str]]] = {
    "source": _one,
    "author": names,
}

#: The tagger whose silence on an article the build warns about ("matched no topic").
UNTAGGED_SOURCE = "topics"

#: Every term source, in the order :func:`tag_refs` returns them.
SOURCES: tuple[str, ...] = (*TAGGER_SOURCES, *FIELD_SOURCES)
#: Where each source's references are in :data:`TagRefs`.
SOURCE_INDEX: dict[str, int] = {name: i for i, name in enumerate(SOURCES)}


def field_term_id(field: str, value: str) -> str:
    """The id of the term for ``value`` of metadata ``field``."""
    return f"{field}:{value}"


def field_value(term_id: str) -> str:
    """The value a :func:`field_term_id` stands for."""
    return term_id.split(":", 1)[1]


#: Kinds of article that hold their references ready, and how to get them (None: not
#: ready). The build's lazy articles are one (``feedtool.lean``): they answer without
#: loading the rest of the article.
READY_REFS: dict[type, Callable[[Any], TagRefs | None]] = {}


def tag_refs(article: Any) -> TagRefs:
    """The article's term references of every source (see :data:`SOURCES`)."""
    ready = READY_REFS.get(type(article))
    if ready is not None:
        known = ready(article)
        if known is not None:
            return known
    refs: list[tuple[Ref, ...]] = [tuple([tag.ref for tag in tags]) for tags in article.tags]
    refs.extend(() for _missing in range(len(refs), len(TAGGER_SOURCES)))  # not tagged yet
    for name, split in FIELD_SOURCES.items():
        value = getattr(article, name)
        refs.append(
            tuple([(field_term_id(name, v), True, True) for v in split(value)]) if value else ()
        )
    return tuple(refs)
