"""Tagging benchmarks: cold start, memory and throughput per tagger (not a timed test).

Run from the repository root::

    python benchmarks/bench_tagging.py            # every tagger
    python benchmarks/bench_tagging.py regions    # one tagger

Each ``bench_<tagger>()`` runs in a fresh process, so cold start and memory are real.
The article is the seed story padded with its own paragraphs to ~600 words.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "iran-russia-security-council-talks.txt"
WORDS = 600


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def article() -> object:
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


def _report(name: str, start: float, rss0: float, tag: object, text: object) -> None:
    cold = time.perf_counter() - start
    rss = _rss_mb() - rss0
    tag(text)  # type: ignore[operator]
    n = 2000
    t0 = time.perf_counter()
    for _ in range(n):
        tag(text)  # type: ignore[operator]
    per = (time.perf_counter() - t0) / n
    words = len(" ".join([text.lead, text.body]).split())  # type: ignore[attr-defined]
    print(
        f"{name}: cold start {cold * 1000:.0f} ms (load data + build matcher), "
        f"+{rss:.0f} MB RSS, {per * 1000:.3f} ms per {words}-word article "
        f"({1 / per:,.0f} articles/s on one core)"
    )


def bench_regions() -> None:
    """Region tagger."""
    text = article()
    from feedtool.tagging.base import TagText

    rss0 = _rss_mb()
    start = time.perf_counter()
    from feedtool.tagging.regions import RegionTagger

    tagger = RegionTagger()
    tagger.tag(TagText("x", None, "Iran", ""))  # the automaton is built on first use
    _report("regions", start, rss0, tagger.tag, text)


def bench_topics() -> None:
    """Topic tagger."""
    text = article()
    from feedtool.tagging.base import TagText

    rss0 = _rss_mb()
    start = time.perf_counter()
    from feedtool.tagging.topics import TopicTagger

    tagger = TopicTagger()
    tagger.tag(TagText("x", None, "The ambassador met", ""))  # the automaton is built on first use
    _report("topics", start, rss0, tagger.tag, text)


def bench_both() -> None:
    """Both taggers on one core, as a build runs them."""
    text = article()
    from feedtool.tagging.base import TagText

    rss0 = _rss_mb()
    start = time.perf_counter()
    from feedtool.tagging.regions import RegionTagger
    from feedtool.tagging.topics import TopicTagger

    regions, topics = RegionTagger(), TopicTagger()
    warm = TagText("x", None, "Iran's ambassador met", "")
    regions.tag(warm)
    topics.tag(warm)

    def both(t: TagText) -> None:
        regions.tag(t)
        topics.tag(t)

    _report("regions+topics", start, rss0, both, text)


BENCHES = {"regions": bench_regions, "topics": bench_topics, "both": bench_both}


def main(argv: list[str]) -> int:
    """Run the named benchmarks (all by default), each in its own process."""
    if len(argv) == 2 and argv[0] == "--in-process":
        BENCHES[argv[1]]()
        return 0
    for name in argv or sorted(BENCHES):
        subprocess.run([sys.executable, __file__, "--in-process", name], check=True, cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
