"""Time reading articles (no tagging) with two feedtool checkouts, taking turns.

    python benchmarks/bench_reading.py --n 10000 --feedtool-path A --feedtool-path B

For each form of the synthetic corpus (``wire`` .txt copy and ``markdown``; see
benchmarks/corpus.py) every article is read with :func:`feedtool.sources.read_article`
in one process, for each feedtool path in turn (``git archive <commit> feedtool | tar
-x -C DIR``), ``--runs`` times; prints the median time per article.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

READER = """
import json, sys, time
from pathlib import Path
import feedtool
from feedtool.config import parse_config
from feedtool.sources import read_article
folder = Path(sys.argv[1])
cfg = parse_config(
    "site: {base_url: 'https://bench.example.org/'}\\n"
    f"paths: {{content: {folder.name}}}\\n"
    "feeds: {id_authority: 'bench.example.org,2026'}\\n",
    folder.parent / "config.yaml",
)
files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))
warnings = []
t = time.perf_counter()
for path in files:
    read_article(path, cfg, warnings, base=cfg.content_dir)
print(json.dumps([time.perf_counter() - t, len(files), feedtool.__file__]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/feedtool-reading"))
    parser.add_argument("--feedtool-path", action="append", required=True)
    args = parser.parse_args()
    corpus = args.work / f"corpus-{args.n}"
    if not corpus.exists():
        write_corpus(args.n, corpus, forms=("wire", "markdown"))
    times: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.runs):
        for form in ("wire", "markdown"):
            for path in args.feedtool_path:
                out = subprocess.run(
                    [sys.executable, "-c", READER, str(corpus / form)],
                    check=True,
                    capture_output=True,
                    text=True,
                    env={"PYTHONPATH": path, "PATH": "/usr/bin:/bin"},
                    cwd="/",  # not the checkout's folder, whose feedtool would be imported
                )
                seconds, count, imported = json.loads(out.stdout)
                if not Path(imported).resolve().is_relative_to(Path(path).resolve()):
                    sys.exit(f"{path}: imported {imported} instead; is it a feedtool checkout?")
                times.setdefault((form, path), []).append(seconds / count)
    for (form, path), values in sorted(times.items()):
        ms = statistics.median(values) * 1000
        print(f"{form:9} {path}: {ms:.3f} ms an article (median of {len(values)} runs)")


if __name__ == "__main__":
    main()
