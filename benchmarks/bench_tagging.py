"""Tagging benchmarks: cold start, memory and throughput per tagger (not a timed test).

Run from the repository root::

    python benchmarks/bench_tagging.py                 # every tagger
    python benchmarks/bench_tagging.py regions both    # some of them
    python benchmarks/bench_tagging.py --runs 9        # more processes and runs

Each tagger is measured in ``--runs`` fresh processes, so cold start (import, data load,
automaton build, first article) and memory are real; the figures are medians over the
processes, with the range. Throughput is per article of two kinds:

* ``seed``: the seed story padded with its own paragraphs to ~600 words (a few names);
* ``corpus``: 40 articles of ``benchmarks/corpus.py`` (~600 words, name-dense: capitals,
  cities, demonyms and a second country in most stories), as the wire reader gives them.

Within a process, each kind is timed ``--runs`` times and the median taken.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "iran-russia-security-council-talks.txt"
WORDS = 600
CORPUS_ARTICLES = 40
#: Seconds of tagging per timed run (per article kind).
RUN_SECONDS = 0.25


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def article() -> Any:
    """A ~600-word TagText built from the seed."""
    from feedtool.tagging.base import TagText

    raw = SEED.read_text(encoding="utf-8").split("All Content by")[0]
    paras = [p.strip() for p in re.split(r"\s{2,}", raw) if p.strip()]
    lead = paras[0].split("–", 1)[1].strip()
    body: list[str] = []
    i = 1
    while len(" ".join([lead, *body]).split()) < WORDS:
        body.append(paras[1 + (i - 1) % (len(paras) - 1)])
        i += 1
    extra = len(" ".join([lead, *body]).split()) - WORDS
    if extra > 0:
        body[-1] = " ".join(body[-1].split()[:-extra])
    return TagText(title=lead.split(". ")[0], dateline="TEHRAN", lead=lead, body="\n\n".join(body))


def corpus_articles(n: int = CORPUS_ARTICLES) -> list[Any]:
    """``n`` synthetic articles (seed 1), as TagTexts: title, dateline, lead, body."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import make_story  # type: ignore[import-not-found]

    from feedtool.tagging.base import TagText

    texts = []
    for i in range(n):
        story = make_story(i, 1)
        texts.append(
            TagText(
                title=story.title,
                dateline=story.dateline.title(),
                lead=story.paragraphs[0],
                body="\n\n".join(story.paragraphs[1:]),
                source=story.source[0],
            )
        )
    return texts


def _words(texts: list[Any]) -> float:
    return statistics.mean(len(f"{t.lead} {t.body}".split()) for t in texts)


def _per_article(tag: Callable[[Any], object], texts: list[Any], runs: int) -> float:
    """Median over ``runs`` of the seconds per article."""
    start = time.perf_counter()
    for t in texts:
        tag(t)
    once = max(time.perf_counter() - start, 1e-6)
    reps = max(1, round(RUN_SECONDS / once))
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(reps):
            for t in texts:
                tag(t)
        results.append((time.perf_counter() - start) / (reps * len(texts)))
    return statistics.median(results)


def _load(name: str) -> Callable[[Any], object]:
    from feedtool.tagging.base import TagText

    warm = TagText("x", None, "Iran's ambassador met", "")  # builds the automata
    if name == "regions":
        from feedtool.tagging.regions import RegionTagger

        regions = RegionTagger()
        regions.tag(warm)
        return regions.tag
    if name == "topics":
        from feedtool.tagging.topics import TopicTagger

        topics = TopicTagger()
        topics.tag(warm)
        return topics.tag
    from feedtool.tagging.regions import RegionTagger
    from feedtool.tagging.topics import TopicTagger

    region_tagger, topic_tagger = RegionTagger(), TopicTagger()
    region_tagger.tag(warm)
    topic_tagger.tag(warm)

    def both(t: TagText) -> None:
        region_tagger.tag(t)
        topic_tagger.tag(t)

    return both


def measure(name: str, runs: int) -> dict[str, float]:
    """One process's figures for tagger ``name`` (``regions``, ``topics`` or ``both``)."""
    seed, corpus = article(), corpus_articles()
    rss0 = _rss_mb()
    start = time.perf_counter()
    tag = _load(name)
    cold = time.perf_counter() - start
    rss = _rss_mb() - rss0
    return {
        "cold": cold,
        "rss": rss,
        "seed": _per_article(tag, [seed], runs),
        "corpus": _per_article(tag, corpus, runs),
        "seed_words": _words([seed]),
        "corpus_words": _words(corpus),
    }


def _range(values: list[float], scale: float, fmt: str) -> str:
    mid = statistics.median(values) * scale
    if len(values) == 1:
        return format(mid, fmt)
    return f"{mid:{fmt}} ({min(values) * scale:{fmt}}-{max(values) * scale:{fmt}})"


def report(name: str, results: list[dict[str, float]]) -> str:
    """Lines for one tagger: medians over processes, ranges in brackets."""
    first = results[0]
    lines = [
        f"{name}: cold start {_range([r['cold'] for r in results], 1000, '.0f')} ms "
        f"(import, load data, build matchers, first article), "
        f"+{_range([r['rss'] for r in results], 1, '.0f')} MB RSS"
    ]
    for kind, label in (("seed", "seed article"), ("corpus", "synthetic corpus")):
        per = [r[kind] for r in results]
        lines.append(
            f"  {label:<17} {first[kind + '_words']:>4.0f} words: "
            f"{_range(per, 1000, '.3f')} ms per article "
            f"({1 / statistics.median(per):,.0f} articles/s on one core)"
        )
    return "\n".join(lines)


BENCHES = ("regions", "topics", "both")


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all by default), each in ``--runs`` fresh processes."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="TAGGER", help=", ".join(BENCHES))
    parser.add_argument("--runs", type=int, default=5, help="processes, and timed runs in each")
    parser.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown tagger(s): {', '.join(unknown)} (choose from {', '.join(BENCHES)})")
    if args.in_process:
        print(json.dumps(measure(args.names[0], args.runs)))
        return 0
    for name in args.names or BENCHES:
        results = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, __file__, "--in-process", name, "--runs", str(args.runs)],
                check=True,
                cwd=ROOT,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(out))
        print(report(name, results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
