"""Score the region tagger on the hand-labelled development set.

Usage (from the repository root)::

    python eval/score_regions.py            # micro precision / recall / F1
    python eval/score_regions.py -v         # plus each article's misses and extras

Reads ``eval/dev/articles/*.md`` (YAML front matter + Markdown body) and
``eval/dev/labels.yaml`` (format: ``notes/labels.md``). The body is split into paragraphs
at blank lines; the first is the lead, the rest the body. A wire dateline at the start of
the first paragraph (``TEHRAN –``, ``LONDON (Reuters) -``) is split off and passed as the
dateline, as the pipeline does.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from feedtool.tagging.base import TagText
from feedtool.tagging.regions import RegionTagger

ROOT = Path(__file__).resolve().parent / "dev"

# "TEHRAN –", "LONDON (Reuters) -", "TBILISI, Georgia, May 4 (AP) —"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{2,}?(?:, [A-Z][A-Za-z.' ]+?)?)"
    r"(?:, [A-Z][a-z]+\.? \d{1,2})?(?: \([^)]{1,40}\))?\s*[-–—]+\s+"
)


def find_dateline(paragraph: str) -> tuple[str | None, str]:
    """Split an upper-case wire dateline off ``paragraph``: ``(place, rest)``."""
    m = _DATELINE.match(paragraph)
    if not m or not any(c.isalpha() for c in m.group("place")):
        return None, paragraph
    return m.group("place").strip(), paragraph[m.end() :]


def read_article(path: Path) -> TagText:
    """The parts of a dev article that the tagger reads."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, object] = {}
    if text.startswith("---"):
        _, front, text = text.split("---", 2)
        meta = yaml.safe_load(front) or {}
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    dateline = None
    if paragraphs:
        dateline, rest = find_dateline(paragraphs[0])
        if dateline is not None:
            paragraphs[0] = rest.strip()
    return TagText(
        title=str(meta.get("title", "")),
        dateline=dateline,
        lead=paragraphs[0] if paragraphs else "",
        body="\n\n".join(paragraphs[1:]),
        source=str(meta["source"]) if meta.get("source") else None,
    )


class Counts:
    """True positives, false positives and false negatives."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, gold: set[str], found: set[str]) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def line(self, name: str) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return (
            f"{name:<10} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


def main(argv: list[str] | None = None) -> int:
    """Print the scores; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="show per-article misses")
    parser.add_argument("--dev", type=Path, default=ROOT, help="folder with articles/ and labels")
    args = parser.parse_args(argv)
    labels = yaml.safe_load((args.dev / "labels.yaml").read_text(encoding="utf-8")) or {}
    tagger = RegionTagger()
    countries, primary = Counts(), Counts()
    n = 0
    for path in sorted((args.dev / "articles").glob("*.md")):
        gold = labels.get(path.stem)
        if gold is None:
            continue
        n += 1
        tags = [t for t in tagger.tag(read_article(path)) if t.type == "country"]
        found = {t.id for t in tags}
        found_primary = {t.id for t in tags if t.primary}
        gold_c, gold_p = set(gold.get("countries", [])), set(gold.get("primary", []))
        countries.add(gold_c, found)
        primary.add(gold_p, found_primary)
        if args.verbose and (found != gold_c or found_primary != gold_p):
            print(f"{path.stem}:")
            if gold_c - found or found - gold_c:
                print(f"  countries missed {sorted(gold_c - found)} extra {sorted(found - gold_c)}")
            if gold_p - found_primary or found_primary - gold_p:
                print(
                    f"  primary   missed {sorted(gold_p - found_primary)} "
                    f"extra {sorted(found_primary - gold_p)}"
                )
            for t in tags:
                if t.id in (found ^ gold_c) | (found_primary ^ gold_p):
                    ev = "; ".join(f"{e.text}@{e.section}:{e.rule}" for e in t.evidence[:4])
                    print(f"    {t.id} {t.score:g} primary={t.primary}: {ev}")
    print(f"{n} labelled articles")
    print(countries.line("countries"))
    print(primary.line("primary"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
