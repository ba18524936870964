"""Time reading commit dates (feedtool.history) for a content folder in git.

    python benchmarks/bench_history.py --files 10000 --commits 1000 --work /tmp/gitdates

Makes a git repository of ``--files`` small articles added over ``--commits`` commits
(once, under ``--work``), then times, each in a fresh process: reading every file's
dates from git with no saved dates (a first build), reading them at the same commit
with saved dates (a rebuild), and after one more commit (a rebuild after a pull).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

TIMER = """
import json, sys, time
from pathlib import Path
from feedtool import history
cache = Path(sys.argv[2]) if sys.argv[2] != "-" else None
t = time.perf_counter()
history.load(Path(sys.argv[1]), cache)
print(json.dumps(time.perf_counter() - t))
"""


def git(root: Path, *args: str, when: str = "2024-01-01T00:00:00+00:00") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


def make_repo(root: Path, files: int, commits: int) -> None:
    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    git(root, "init", "-q")
    per = max(1, files // commits)
    n = 0
    for c in range(commits):
        for _ in range(per if c < commits - 1 else files - n):
            n += 1
            (seeds / f"story-{n}.txt").write_text(f"Story {n}\n\nBody {n}.\n", encoding="utf-8")
        git(root, "add", "seeds")
        git(root, "commit", "-qm", f"add {c}", when=f"2024-01-01T00:00:{c % 60:02d}+00:00")


def timed(seeds: Path, cache: Path | None, runs: int) -> float:
    times = []
    for _ in range(runs):
        if cache is not None and cache.name == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        out = subprocess.run(
            [sys.executable, "-c", TIMER, str(seeds), str(cache) if cache else "-"],
            check=True,
            capture_output=True,
            text=True,
        )
        times.append(json.loads(out.stdout))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/feedtool-gitdates"))
    args = parser.parse_args()
    root = args.work / f"repo-{args.files}-{args.commits}"
    if not root.exists():
        make_repo(root, args.files, args.commits)
    seeds = root / "seeds"
    saved = args.work / "saved"
    shutil.rmtree(saved, ignore_errors=True)
    print(f"no saved dates:   {timed(seeds, args.work / 'cold', args.runs):.3f} s")
    timed(seeds, saved, 1)
    print(f"same commit:      {timed(seeds, saved, args.runs):.3f} s")
    git(root, "commit", "-q", "--allow-empty", "-m", "later", when="2025-01-01T00:00:00+00:00")
    (seeds / "story-1.txt").write_text("Story 1 edited\n", encoding="utf-8")
    git(root, "commit", "-qam", "edit", when="2025-01-02T00:00:00+00:00")
    print(f"one commit later: {timed(seeds, saved, 1):.3f} s (one run: it saves the new commit)")
    git(root, "reset", "-q", "--hard", "HEAD~2")


if __name__ == "__main__":
    main()
