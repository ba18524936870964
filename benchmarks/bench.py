"""Time feedtool (cold, one article edited, nothing changed) and, when installed, Pelican.

    python benchmarks/bench.py --n 1000 10000 --runs 3
    python benchmarks/bench.py --n 10000 --pelican-python /work/bench-venv/bin/python

For every N the corpus is generated once (benchmarks/corpus.py, seeded) under --work.
feedtool builds the Markdown form with every topic/region page and feed; Pelican
builds the same articles (its own Markdown form: category = main country, tags =
countries + topics) with per-tag and per-category Atom feeds, 20 articles a page and
year/month archives. Each figure is the median of --runs runs of the command line
tool (process start included). Peak memory is the largest sum of the resident
memory (PSS) of the build's process and its workers, sampled every 100 ms from /proc
in one more run of each kind whose time is not counted: a sample reads every process's
page tables (3.4 ms for a 330 MB process), which takes CPU from a build that keeps both
cores busy but not from one that uses a single core.
The cold builds of the two tools take turns (feedtool, Pelican, feedtool, …), so a
machine that runs slower for a few minutes slows both alike and the ratio holds;
each run's time is printed as it ends. After the edited builds the site is compared
byte for byte with a cold build of the same inputs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

PELICAN_CONF = """\
AUTHOR = "Benchmark Desk"
SITENAME = "Benchmark News"
SITEURL = "https://bench.example.org"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
FEED_MAX_ITEMS = 50
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "atom.xml"
CATEGORY_FEED_ATOM = "categories/{slug}/atom.xml"
TAG_FEED_ATOM = "tags/{slug}/atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
YEAR_ARCHIVE_SAVE_AS = "archive/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "archive/{date:%Y}/{date:%m}/index.html"
RELATIVE_URLS = False
CACHE_PATH = "pelican-cache"
"""


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid``: from /proc/PID/task/*/children where the kernel has
    it (cheap), else by scanning /proc (direct children only)."""
    tasks = Path(f"/proc/{pid}/task")
    try:
        listed = [t / "children" for t in tasks.iterdir()]
        found = [int(c) for f in listed if f.exists() for c in f.read_text().split()]
    except OSError:
        return []
    if listed and listed[0].exists():
        return found + [d for c in found for d in _children(c)]
    return _scan_children(pid)


def _scan_children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def _rss(pid: int) -> int:
    """Proportional set size: shared pages (forked workers share the taggers' data) are
    divided among the processes that share them, so the sum is the memory really used."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


#: Seconds between two memory samples. Each sample reads /proc/PID/smaps_rollup of every
#: process of the build, which walks their page tables: every 20 ms it slowed a cold
#: 10,000-article build by ~10 % on the 2-core machine.
SAMPLE_EVERY = 0.1


class Trash:
    """Old outputs moved aside during the runs and deleted after them.

    ext4 without a journal does not reuse an inode freed in the last 60 seconds, or the
    last 360 when its inode table block was written again since (``recently_deleted``
    in its inode allocator): a build that starts right after 15,000 files were
    deleted spends seconds of system time looking for free inodes (writing 15,000
    small files: 1.0 s on a quiet file system, 6.3 s after such a deletion, measured
    on the 2-core machine). Renaming is cheap and frees nothing, so no timed run
    pays for an earlier one's deletions; the trash is emptied at the end, so the next
    benchmark should start six minutes later.
    """

    def __init__(self, root: Path) -> None:
        self.root = root / "trash"
        self.count = 0

    def discard(self, path: Path) -> None:
        """Move ``path`` (if it exists) out of the way."""
        if path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            target = self.root / path.name
            while target.exists():  # left by an earlier, interrupted run
                self.count += 1
                target = self.root / f"{self.count}-{path.name}"
            path.rename(target)

    def empty(self) -> None:
        """Delete everything moved aside (outside any timed run)."""
        shutil.rmtree(self.root, ignore_errors=True)


def run(
    cmd: list[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    memory: bool = False,
) -> tuple[float, int]:
    """Wall seconds of ``cmd`` and, with ``memory``, its peak resident bytes (process and
    children; else 0)."""
    # Start with the previous run's writes on disk: the kernel writing back a cold build's
    # site would otherwise compete with the next run for a few seconds (on a small machine
    # it took a quarter of an edited rebuild's time).
    os.sync()
    started = time.perf_counter()
    # Never the repository as working directory: `python -m` would import the working
    # tree's feedtool instead of --feedtool-path.
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd or "/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            tree = [proc.pid, *_children(proc.pid)]
            peak = max(peak, sum(_rss(p) for p in tree))
            done.wait(SAMPLE_EVERY)

    thread = threading.Thread(target=sample, daemon=True)
    if memory:
        thread.start()
    _out, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    if memory:
        thread.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return seconds, peak


def tree(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def edit(corpus: Path, i: int) -> None:
    """Change one sentence of one article (a different one each run)."""
    files = sorted((corpus / "markdown").iterdir())
    path = files[(i * 7919) % len(files)]
    path.write_text(
        path.read_text(encoding="utf-8") + f"\nCorrection {i}: figures updated.\n", encoding="utf-8"
    )
    pel = corpus / "pelican" / path.name
    if pel.exists():
        pel.write_text(
            pel.read_text(encoding="utf-8") + f"\nCorrection {i}: figures updated.\n",
            encoding="utf-8",
        )


def _identical(flag: float) -> str:
    if flag != flag:  # NaN: not checked
        return "not checked"
    return "yes" if flag else "NO"


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def _say(what: str, number: int, seconds: float, peak: int | None = None) -> None:
    memory = f", {peak / 2**20:.0f} MB" if peak is not None else ""
    print(f"  {what} {number}: {seconds:.2f} s{memory}", file=sys.stderr, flush=True)


class ColdRuns:
    """The cold builds of one tool: timed ones, and the one sampled for memory."""

    name = ""

    def __init__(self) -> None:
        self.cold: list[float] = []
        self.cold_mem = 0

    def record_cold(self, seconds: float, peak: int, memory: bool) -> None:
        if memory:
            self.cold_mem = peak
            _say(f"{self.name} cold, memory run", 1, seconds, peak)
        else:
            self.cold.append(seconds)
            _say(f"{self.name} cold", len(self.cold), seconds)


class Feedtool(ColdRuns):
    """feedtool's runs on one corpus."""

    name = "feedtool"

    def __init__(self, corpus: Path, env: dict[str, str], jobs: int | None, trash: Trash):
        super().__init__()
        self.corpus, self.env, self.trash = corpus, env, trash
        self.cmd = [sys.executable, "-m", "feedtool", "-q", "build"]
        self.cmd += ["-c", str(corpus / "config.yaml")]
        if jobs:
            self.cmd += ["--jobs", str(jobs)]

    def cold_run(self, memory: bool = False) -> None:
        """A build with neither a site nor a cache (timed, or sampled for memory)."""
        self.trash.discard(self.corpus / "site")
        self.trash.discard(self.corpus / ".feedtool-cache")
        self.record_cold(*run(self.cmd, self.env, memory=memory), memory)

    def rest(self, runs: int, check: bool) -> dict[str, float]:
        """Edited and no-op runs after the cold ones; the identity check; the figures."""
        corpus, cmd, env = self.corpus, self.cmd, self.env
        edited, noop = [], []
        for i in range(runs):
            edit(corpus, i)
            s, _m = run(cmd, env)
            edited.append(s)
            _say("feedtool edited", i + 1, s)
        edit(corpus, runs)
        s, edited_mem = run(cmd, env, memory=True)
        _say("feedtool edited, memory run", 1, s, edited_mem)
        for i in range(runs):
            s, _m = run(cmd, env)
            noop.append(s)
            _say("feedtool nothing changed", i + 1, s)
        identical = float("nan")
        if check:
            ref = corpus / "cold-check"
            self.trash.discard(ref)
            run([*cmd, "--no-cache", "--out", str(ref)], env)
            identical = float(tree(corpus / "site") == tree(ref))
            self.trash.discard(ref)
        return {
            "cold": median(self.cold),
            "cold_mem": self.cold_mem / 2**20,
            "edited": median(edited),
            "edited_mem": edited_mem / 2**20,
            "noop": median(noop),
            "identical": identical,
            "files": float(sum(1 for _ in (corpus / "site").rglob("*"))),
        }


class Pelican(ColdRuns):
    """Pelican's runs on the same corpus (its Markdown form)."""

    name = "Pelican"

    def __init__(self, corpus: Path, python: str, trash: Trash) -> None:
        super().__init__()
        self.corpus, self.trash = corpus, trash
        conf = corpus / "pelicanconf.py"
        conf.write_text(PELICAN_CONF, encoding="utf-8")
        self.out = corpus / "pelican-site"
        self.base = [python, "-m", "pelican", str(corpus / "pelican"), "-o", str(self.out)]
        self.base += ["-s", str(conf), "-q"]

    def cold_run(self, memory: bool = False) -> None:
        """A build without Pelican's content cache (timed, or sampled for memory)."""
        self.trash.discard(self.out)
        self.trash.discard(self.corpus / "pelican-cache")
        cmd = [*self.base, "-e", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"]
        self.record_cold(*run(cmd, cwd=self.corpus, memory=memory), memory)

    def rest(self, runs: int) -> dict[str, float]:
        """Edited runs with its content cache; the figures."""
        cached = [*self.base, "-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
        run(cached, cwd=self.corpus)  # fill Pelican's content cache
        edited = []
        for i in range(runs):
            edit(self.corpus, 1000 + i)
            s, _m = run(cached, cwd=self.corpus)
            edited.append(s)
            _say("Pelican edited", i + 1, s)
        return {
            "cold": median(self.cold),
            "cold_mem": self.cold_mem / 2**20,
            "edited": median(edited),
        }


def pelican_available(python: str) -> bool:
    try:
        done = subprocess.run([python, "-c", "import pelican, markdown"], capture_output=True)
    except OSError:
        return False
    return done.returncode == 0


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pelican-runs", type=int, default=None, help="default: --runs")
    parser.add_argument("--work", type=Path, default=Path("/tmp/feedtool-bench"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument(
        "--pelican-python",
        default="/work/bench-venv/bin/python"
        if Path("/work/bench-venv/bin/python").exists()
        else sys.executable,
    )
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument(
        "--formats",
        default="atom",
        help="feeds.formats of the corpus's config, comma-separated (default: atom)",
    )
    parser.add_argument(
        "--no-check", action="store_true", help="skip the byte-identity check (a cold build)"
    )
    parser.add_argument(
        "--feedtool-path", type=Path, default=HERE.parent, help="PYTHONPATH for feedtool"
    )
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.feedtool_path))
    # Byte-compiled first, as an installed package is: with PYTHONDONTWRITEBYTECODE set,
    # every run would otherwise compile feedtool's modules from source again.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(args.feedtool_path / "feedtool")],
        check=True,
    )
    use_pelican = not args.no_pelican and pelican_available(args.pelican_python)
    rows = []
    trash = Trash(args.work)
    for n in args.n:
        formats = [f.strip() for f in args.formats.split(",") if f.strip()]
        corpus = args.work / (f"n{n}" if formats == ["atom"] else f"n{n}-{'-'.join(formats)}")
        if not (corpus / "config.yaml").exists():
            print(f"generating {n} articles in {corpus} …", flush=True)
            shutil.rmtree(corpus, ignore_errors=True)
            write_corpus(n, corpus)
            if formats != ["atom"]:
                config = corpus / "config.yaml"
                text = config.read_text(encoding="utf-8")
                assert "\nfeeds:\n" in text
                text = text.replace("\nfeeds:\n", f"\nfeeds:\n  formats: [{', '.join(formats)}]\n")
                config.write_text(text, encoding="utf-8")
        feedtool = Feedtool(corpus, env, args.jobs, trash)
        pelican = Pelican(corpus, args.pelican_python, trash) if use_pelican else None
        pelican_runs = args.pelican_runs or args.runs
        for i in range(max(args.runs, pelican_runs if pelican else 0)):
            if i < args.runs:
                feedtool.cold_run()
            if pelican is not None and i < pelican_runs:
                pelican.cold_run()
        feedtool.cold_run(memory=True)
        if pelican is not None:
            pelican.cold_run(memory=True)
        ft = feedtool.rest(args.runs, check=not args.no_check)
        pel = pelican.rest(pelican_runs) if pelican is not None else None
        row = (
            f"| {n:,} | {ft['cold']:.2f} s | {ft['edited']:.2f} s | {ft['noop']:.2f} s | "
            f"{ft['cold_mem']:.0f} MB | {_identical(ft['identical'])} | "
        )
        if pel:
            row += (
                f"{pel['cold']:.2f} s | {pel['edited']:.2f} s | {pel['cold_mem']:.0f} MB | "
                f"{pel['cold'] / ft['cold']:.1f}× |"
            )
        else:
            row += "— | — | — | — |"
        rows.append(row)
        print(row, flush=True)
    trash.empty()
    print()
    print(
        "| N | feedtool cold | one edited | nothing changed | peak memory | identical to cold "
        "| Pelican cold | Pelican edited (its cache) | Pelican memory | cold speed-up |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
