"""Feed rendering alone: CPU time per format of every feed document of a project.

Run from the repository root, on a project (a corpus of ``benchmarks/corpus.py`` with the
formats and archives to measure set in its ``config.yaml``)::

    python benchmarks/corpus.py --n 2000 --out /tmp/c2k --forms markdown
    printf '  formats: [atom, rss, json]\\n' >> /tmp/c2k/config.yaml
    python benchmarks/bench_feeds.py /tmp/c2k --runs 5

The site model is made once; then every feed document is rendered in the build's order
(``feeds.feed_docs``), in one process, ``--runs`` times. Each run's CPU time (not wall
time: the machine is shared) is summed per format; the best run is printed, with the
sha256 of every document's path and bytes, to compare the output of two commits.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import time
from pathlib import Path

from feedtool.build import model_for
from feedtool.config import load_config
from feedtool.render import feeds
from feedtool.render.pool import KeptEntries
from feedtool.render.urls import all_feeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path, help="folder holding config.yaml")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cfg = load_config(args.project / "config.yaml")
    model, _ = model_for(cfg)
    docs = []
    for info in all_feeds(model, cfg):
        listed = info.term.articles if info.term is not None else model.articles
        for doc in feeds.feed_docs(info, listed, cfg):
            docs.append((doc, feeds.doc_articles(doc, listed, cfg)))
    for doc, articles in docs:  # a first pass: modules loaded, article bodies read
        feeds.render_doc(doc, articles, cfg)
    best: dict[str, float] = {}
    digest = ""
    for _ in range(args.runs):
        gc.collect()
        spent = dict.fromkeys(cfg.feeds.formats, 0.0)
        sha = hashlib.sha256()
        start = time.process_time()
        kept = KeptEntries(cfg)  # as a build's render engine does
        for doc, articles in docs:
            began = time.process_time()
            data = feeds.render_doc(doc, articles, cfg, kept)
            spent[doc.format.name] += time.process_time() - began
            sha.update(doc.path.encode() + b"\0" + data)
        spent["all"] = time.process_time() - start
        for key, seconds in spent.items():
            best[key] = min(best.get(key, seconds), seconds)
        digest = sha.hexdigest()
    counts = {name: sum(d.format.name == name for d, _ in docs) for name in cfg.feeds.formats}
    counts["all"] = len(docs)
    for key, seconds in best.items():
        per_doc = 1000 * seconds / counts[key]
        print(f"{key}: {counts[key]} documents, {seconds:.3f} s, {per_doc:.2f} ms a document")
    print(f"sha256 of every document: {digest}")


if __name__ == "__main__":
    main()
