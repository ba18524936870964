"""Related articles and terms: the fast selection equals the plain definition."""

from __future__ import annotations

import heapq
import itertools
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from feedtool import site_model
from feedtool.build import build, model_for
from feedtool.model import Article, SiteModel, Term
from feedtool.site_model import (
    Related,
    article_terms,
    related_articles,
    related_part,
    related_terms,
)

from .conftest import tree
from .test_incremental import project


def _related(model: SiteModel, a: Article, o: Article, shared: set[str], leaves: list[str]) -> bool:
    """A specific (not top-level) topic shared, or a place and a topic of any level."""
    if any(t in shared and model.term_pages[t].info.parents for t in leaves):
        return True
    topics = {t.id for t in a.topics} & {t.id for t in o.topics}
    return bool(topics) and any(r.id in shared for r in a.regions)


def _plain_articles(model: SiteModel, limit: int = 5, window: int = 12) -> dict[str, list[str]]:
    number = {a.rel_path: n for n, a in enumerate(model.articles)}
    out: dict[str, list[str]] = {}
    for n, a in enumerate(model.articles):
        keys = [r.id for r in a.regions if r.primary and r.listed]
        keys += [t.id for t in a.topics if t.leaf]
        leaves = [t.id for t in a.topics if t.leaf and t.id in model.term_pages]
        score: dict[int, int] = {}
        shared: dict[int, set[str]] = defaultdict(set)
        for k in keys:
            term = model.term_pages.get(k)
            if term is None:
                continue
            ids = [number[x.rel_path] for x in term.articles]
            at = ids.index(n)
            for other in ids[max(0, at - window) : at + window + 1]:
                if other != n:
                    score[other] = score.get(other, 0) + (2 if term.taxonomy == "regions" else 1)
                    shared[other].add(k)
        score = {
            o: sc
            for o, sc in score.items()
            if _related(model, a, model.articles[o], shared[o], leaves)
        }
        stamp = a.published.timestamp()
        ranked = heapq.nsmallest(
            limit,
            [
                (-sc, abs(model.articles[o].published.timestamp() - stamp), o)
                for o, sc in score.items()
            ],
        )
        out[a.rel_path] = [model.articles[o].rel_path for _s, _d, o in ranked]
    return out


def _plain_terms(model: SiteModel, limit: int = 8) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in model.articles:
        # Terms of the taxonomies that related lists go by (topics and regions by
        # default; outlets and bylines are not).
        used = {t.name for t in model.taxonomies if t.related > 0}
        ids = sorted({t.id for t in article_terms(model, a) if t.taxonomy in used})
        for i in ids:
            for j in ids:
                if i != j:
                    counts[i][j] += 1

    def rank(kv: tuple[str, int]) -> tuple[int, str, str]:
        return (-kv[1], model.term_pages[kv[0]].label.casefold(), kv[0])

    return {i: sorted(c.items(), key=rank)[:limit] for i, c in counts.items()}


def _ids(articles: tuple[Article, ...]) -> list[str]:
    return [a.rel_path for a in articles]


def _terms(ranked: tuple[tuple[Term, int], ...]) -> list[tuple[str, int]]:
    return [(t.id, n) for t, n in ranked]


def test_related_lists_match_their_definition(tmp_path: Path) -> None:
    model, _ = model_for(project(tmp_path / "p", 70))
    assert {t.name for t in model.taxonomies if t.related == 0} == {"sources", "authors"}
    fast = related_articles(model)
    assert {k: _ids(v) for k, v in fast.items()} == _plain_articles(model)
    assert sum(len(v) for v in fast.values()) > 70  # the lists are not trivially empty
    terms = related_terms(model)
    assert {k: _terms(v) for k, v in terms.items()} == _plain_terms(model)
    assert list(terms) == list(_plain_terms(model))  # same order too


def test_related_made_in_parts_are_the_same(tmp_path: Path) -> None:
    model, _ = model_for(project(tmp_path / "p", 70))
    one = Related.of(model)
    terms = related_terms(model)
    for bounds in ([0, 70], [0, 1, 35, 69, 70], [0, 0, 70], [0, 23, 46, 70]):
        parts = [related_part(model, a, b) for a, b in itertools.pairwise(bounds)]
        made = Related.of_parts(model, parts, terms)
        assert made.articles == one.articles and list(made.articles) == list(one.articles)
        assert made.terms == one.terms
    with pytest.raises(ValueError, match="do not cover"):
        Related.of_parts(model, [related_part(model, 0, 69)], terms)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the render pool forks")
def test_a_build_makes_related_lists_in_its_render_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedtool.render import pool

    cfg = project(tmp_path / "p", 70)
    build(cfg, out_dir=tmp_path / "one", cache=False, jobs=1)
    monkeypatch.setattr(pool, "MIN_TASKS", 1)
    called: list[str] = []
    real = pool.RenderPool.call

    def call(self: pool.RenderPool, function: Any, args: tuple[Any, ...]) -> Any:
        future = real(self, function, args)
        if future is not None:  # made in a worker
            called.append(function.__name__)
        return future

    monkeypatch.setattr(pool.RenderPool, "call", call)
    build(cfg, jobs=2)  # with the cache: its lists are kept for the next build
    assert called == ["related_part"] * 4
    assert tree(cfg.output_dir) == tree(tmp_path / "one")
    (cfg.content_dir / "a003.md").write_text(
        (cfg.content_dir / "a003.md").read_text(encoding="utf-8") + "\nA corrected figure.\n",
        encoding="utf-8",
    )
    build(cfg, jobs=2)
    assert called == ["related_part"] * 4  # the structure is the same: the lists are kept
    build(cfg, out_dir=tmp_path / "two", cache=False, jobs=1)
    assert tree(cfg.output_dir) == tree(tmp_path / "two")


def test_related_inputs_change_with_whatever_the_lists_read(tmp_path: Path) -> None:
    import dataclasses
    from datetime import timedelta

    model, _ = model_for(project(tmp_path / "p", 20))
    base = site_model.related_inputs(model)
    assert base == site_model.related_inputs(model)

    def with_article(n: int, **changes: object) -> SiteModel:
        articles = list(model.articles)
        tags = {k: changes.pop(k) for k in ("topics", "regions") if k in changes}
        articles[n] = dataclasses.replace(articles[n].with_tags(**tags), **changes)  # type: ignore[arg-type]
        return dataclasses.replace(model, articles=tuple(articles))

    a = model.articles[5]
    region = a.regions[0]
    topic = a.topics[0]
    variants = {
        "text": with_article(5, title=a.title + " (corrected)"),
        "date": with_article(5, published=a.published + timedelta(seconds=1)),
        "primary": with_article(
            5, regions=(dataclasses.replace(region, primary=not region.primary), *a.regions[1:])
        ),
        "listed": with_article(
            5, regions=(dataclasses.replace(region, listed=not region.listed), *a.regions[1:])
        ),
        "leaf": with_article(
            5, topics=(dataclasses.replace(topic, leaf=not topic.leaf), *a.topics[1:])
        ),
        "one tag fewer": with_article(5, topics=a.topics[1:]),
        "order": dataclasses.replace(model, articles=(*model.articles[1:], model.articles[0])),
    }
    some_id = sorted(model.term_pages)[0]
    pages = dict(model.term_pages)
    term = pages[some_id]
    pages[some_id] = dataclasses.replace(
        term, info=dataclasses.replace(term.info, label="Another label")
    )
    variants["label"] = dataclasses.replace(model, term_pages=pages)
    digests = {name: site_model.related_inputs(m) for name, m in variants.items()}
    assert digests.pop("text") == base  # an edit to the text keeps the lists
    assert base not in digests.values(), digests
    assert len(set(digests.values())) == len(digests)


def test_related_need_a_specific_topic_or_a_place_and_a_topic(tmp_path: Path) -> None:

    from feedtool.tagging.base import RegionTag, TopicTag

    from .browser.sample_site import _Taggers, make_article, sample_config

    def tagged(n: int, region: str, *topics: tuple[str, str, bool]) -> Article:
        return make_article(n).with_tags(
            regions=(RegionTag(region, region, "country", True, 3.0, True),),
            topics=tuple(TopicTag(i, label, 2.0, leaf) for i, label, leaf in topics),
        )

    politics = ("medtop:11000000", "politics and government", True)
    politics_above = ("medtop:11000000", "politics and government", False)
    diplomacy = ("medtop:20000621", "diplomacy", True)
    sport = ("medtop:15000000", "sport", True)
    articles = [
        tagged(0, "AM", diplomacy, politics_above),
        tagged(1, "FR", diplomacy, politics_above),  # a specific topic: related to 0
        tagged(2, "AM", sport),  # the same place only: related to none
        tagged(3, "AM", politics),  # a place and a broad topic: related to 0
        tagged(4, "DE", politics),  # a broad topic only: related to none
    ]
    from feedtool.site_model import build_site_model

    cfg = sample_config(tmp_path)
    model = build_site_model(articles, cfg, _Taggers())  # type: ignore[arg-type]
    got = {
        k[-9:-4]: sorted(a.rel_path[-9:-4] for a in v) for k, v in related_articles(model).items()
    }
    assert got == {
        "00000": ["00001", "00003"],
        "00001": ["00000"],
        "00002": [],
        "00003": ["00000"],
        "00004": [],
    }
