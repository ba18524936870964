"""Score the topic tagger on the hand-labelled development set (top-level IPTC topics).

Usage (from the repository root)::

    python eval/score_topics.py             # micro P / R / F1, per-topic P / R / F1, macro F1
    python eval/score_topics.py -v          # plus each article's misses and extras
    python eval/score_topics.py --dir eval/dev
    python eval/score_topics.py --dir eval/dev --dir eval/batch2   # each set, then both

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


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dir", type=Path, action="append", help="a labelled set (repeat for several)"
    )
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    dirs: list[Path] = args.dir or [HERE / "dev"]
    totals = [0, 0, 0]
    for directory in dirs:
        if len(dirs) > 1:
            print(f"== {directory}")
        for i, n in enumerate(score(directory, args.verbose)):
            totals[i] += n
    if len(dirs) > 1:
        p, r, f = prf(*totals)
        tp, fp, fn = totals
        print(f"== all {len(dirs)} sets")
        print(f"top-level topics  P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})")


def score(directory: Path, verbose: bool) -> tuple[int, int, int]:
    """Print the scores of one labelled set; return its (tp, fp, fn)."""
    labels = yaml.safe_load((directory / "labels.yaml").read_text(encoding="utf-8"))
    articles, _ = tag_paths([directory / "articles"])
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
        if verbose and gold != found:
            leaves = ", ".join(f"{t.label} {t.score:g}" for t in article.topics if t.leaf)
            print(
                f"{stem}: missing {sorted(gold - found)} extra {sorted(found - gold)}  [{leaves}]"
            )
    p, r, f = prf(tp, fp, fn)
    print(f"{len(articles)} labelled articles")
    if unlabelled:
        print(f"({len(unlabelled)} without labels skipped: {', '.join(unlabelled)})")
    print(f"top-level topics  P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    topics = sorted({t for t, _ in per_topic})
    print(f"  {'topic':15}  {'tp':>3} {'fp':>3} {'fn':>3}  {'P':>5} {'R':>5} {'F1':>5}  label")
    f1s: list[float] = []
    for t in topics:
        t_tp, t_fp, t_fn = per_topic[(t, "tp")], per_topic[(t, "fp")], per_topic[(t, "fn")]
        t_p, t_r, t_f = prf(t_tp, t_fp, t_fn)
        f1s.append(t_f)
        print(
            f"  {t}  {t_tp:3} {t_fp:3} {t_fn:3}  {t_p:5.2f} {t_r:5.2f} {t_f:5.2f}"
            f"  {names.get(t, '')}"
        )
    if f1s:
        print(f"  macro F1 over {len(f1s)} topics: {sum(f1s) / len(f1s):.3f}")
    return tp, fp, fn


if __name__ == "__main__":
    main()
