"""The taggers keep a minimum score on the hand-labelled development set (``eval/dev``).

The floors sit a little under the scores the taggers reach today (topics F1 0.862,
countries F1 0.987, primary F1 0.977, from ``python eval/score_topics.py`` and
``python eval/score_regions.py``), so a change to the rules or the gazetteer that loses
more than a few labels fails here rather than being found in the next evaluation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from feedtool.tagging.regions import RegionTagger

EVAL = Path(__file__).resolve().parent.parent / "eval"
DEV = EVAL / "dev"

TOPICS_F1_MIN = 0.84
COUNTRIES_F1_MIN = 0.97
PRIMARY_F1_MIN = 0.95


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EVAL / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def test_the_development_set_is_all_labelled() -> None:
    labels = yaml.safe_load((DEV / "labels.yaml").read_text(encoding="utf-8"))
    stems = sorted(p.stem for p in (DEV / "articles").glob("*.md"))
    assert len(stems) >= 50
    assert sorted(labels) == stems


def test_topic_tagger_keeps_its_score_on_eval_dev(capsys: pytest.CaptureFixture[str]) -> None:
    tp, fp, fn = load("score_topics").score(DEV, False)
    capsys.readouterr()
    assert tp + fn >= 50  # the gold labels were read
    assert f1(tp, fp, fn) >= TOPICS_F1_MIN, (tp, fp, fn)


def test_region_tagger_keeps_its_score_on_eval_dev() -> None:
    scorer = load("score_regions")
    labels = yaml.safe_load((DEV / "labels.yaml").read_text(encoding="utf-8"))
    tagger = RegionTagger()
    countries, primary = scorer.Counts(), scorer.Counts()
    for path in sorted((DEV / "articles").glob("*.md")):
        gold = labels[path.stem]
        tags = [t for t in tagger.tag(scorer.read_article(path)) if t.type == "country"]
        countries.add(set(gold.get("countries", [])), {t.id for t in tags})
        primary.add(set(gold.get("primary", [])), {t.id for t in tags if t.primary})
    assert countries.tp + countries.fn >= 50
    assert f1(countries.tp, countries.fp, countries.fn) >= COUNTRIES_F1_MIN, vars(countries)
    assert f1(primary.tp, primary.fp, primary.fn) >= PRIMARY_F1_MIN, vars(primary)
