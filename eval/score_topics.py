"""Score the topic tagger on the hand-labelled development set (top-level IPTC topics).

Usage (from the repository root)::

    python eval/score_topics.py             # micro precision / recall / F1, per-topic table
    python eval/score_topics.py -v          # plus each article's misses and extras
    python eval/score_topics.py --dir eval/dev

Articles go through feedtool's own reader and taggers (``feedtool.api.tag_paths``, the
default settings), exactly as ``feedtool tag`` sees them. Predicted top-level topics are
the top-level ancestors of the article's topics; gold labels are in ``labels.yaml``.
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from pathlib import Path

import yaml

from feedtool.api import tag_paths

HERE = Path(__file__).resolve().parent


def top_levels(topic_ids: list[str]) -> set[str]:
    """The ids that are top-level Media Topics (``medtop:NN000000``)."""
    return {t for t in topic_ids if t.endswith("000000")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=HERE / "dev")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    labels = yaml.safe_load((args.dir / "labels.yaml").read_text(encoding="utf-8"))
    articles, _ = tag_paths([args.dir / "articles"])
    unlabelled = [Path(a.path).stem for a in articles if Path(a.path).stem not in labels]
    articles = [a for a in articles if Path(a.path).stem in labels]
    names = {t.id: t.label for a in articles for t in a.topics}
    tp = fp = fn = 0
    per_topic: Counter[tuple[str, str]] = Counter()
    for article in articles:
        stem = Path(article.path).stem
        gold = set(labels[stem]["topics"])
        found = top_levels([t.id for t in article.topics])
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
        for t in gold & found:
            per_topic[(t, "tp")] += 1
        for t in found - gold:
            per_topic[(t, "fp")] += 1
        for t in gold - found:
            per_topic[(t, "fn")] += 1
        if args.verbose and gold != found:
            leaves = ", ".join(f"{t.label} {t.score:g}" for t in article.topics if t.leaf)
            print(
                f"{stem}: missing {sorted(gold - found)} extra {sorted(found - gold)}  [{leaves}]"
            )
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{len(articles)} labelled articles")
    if unlabelled:
        print(f"({len(unlabelled)} without labels skipped: {', '.join(unlabelled)})")
    print(f"top-level topics  P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    topics = sorted({t for t, _ in per_topic})
    for t in topics:
        print(
            f"  {t}  tp {per_topic[(t, 'tp')]:2}  fp {per_topic[(t, 'fp')]:2}"
            f"  fn {per_topic[(t, 'fn')]:2}  {names.get(t, '')}"
        )


if __name__ == "__main__":
    main()
