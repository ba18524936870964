"""Soak test: import a folder of hostile feeds into one project, building after each batch.

Usage::

    python benchmarks/soak_import.py FOLDER [FOLDER ...] [--batch 50] [--timeout 300]
        [--work DIR] [--no-allow-unlicensed] [--limit N] [--json report.json]

It runs ``feedtool init`` in a fresh folder, then ``feedtool -v import`` over the feeds
(every ``.xml``, ``.rss``, ``.atom``, ``.rdf``, ``.opml`` and ``.json`` file under the
folders, sorted) in batches of ``--batch`` feeds, and ``feedtool build`` after each
batch. A file whose leading comment declares HTTP headers the way feedparser's test
suite does (``Header: Content-type: text/xml; charset=euc-jp``) is served on a loopback
HTTP server with those headers and imported by URL, so encodings declared only in an
HTTP header are exercised too. Every command runs in its own process with a time
limit. It reports:

- feeds tried, entries feedparser parses in them (counted here, independently);
- entries written / already imported / skipped by reason, as ``import`` reports them,
  and the feeds whose counts do not add up to feedparser's;
- feeds refused (not a feed, unreadable), by message;
- crashes (a traceback or ``internal error``), hangs (a command past its time limit),
  builds broken (a build that exits non-zero);
- unsafe output: a ``<script>``, ``<iframe>``, ``<object>``, ``<embed>`` or ``<style>``
  tag the templates do not write, an ``on*=`` event attribute, or a ``javascript:``,
  ``vbscript:`` or ``data:`` URL in an attribute, in the built HTML or (unescaped once)
  in the built feeds.

With ``--encodings`` it only checks, in this process, the encoding the importer reads
each file in against the one the file's ``Expect:`` comment names (feedparser's test
suite writes ``Expect: bozo and encoding == 'EUC-JP'``), and lists the differences;
an encoding that decodes the file to the same text (gb18030 for GB2312) counts as a match.

When a batch's import crashes or hangs, its feeds are imported again one by one so the
report names the feed that did it.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import feedparser

SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".opml", ".json"}
FEEDTOOL = [sys.executable, "-m", "feedtool"]
_HEADER = re.compile(r"^Header:\s+([^:]+):(.*)$", re.MULTILINE)
_SUMMARY = re.compile(
    r"(?P<entries>\d+) entr(?:y|ies): (?P<new>\d+) new, (?P<known>\d+) already imported, "
    r"(?P<skipped>\d+) skipped(?: \((?P<why>[^)]*)\))?"
)
_REASON = re.compile(r"(\d+) ([^,]+)")
# What makes output unsafe (checked in HTML, and in feeds after unescaping once).
_TAGS = re.compile(r"<(script|iframe|object|embed|style|applet|frame|frameset|base)\b[^>]*>", re.I)
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"']on[a-zA-Z]+\s*=", re.S)
_BAD_URL = re.compile(
    r"(?:href|src|action|formaction|data|poster|background|xlink:href|cite)\s*=\s*[\"']?\s*"
    r"(?:javascript|vbscript|data|livescript):",
    re.I,
)
_REL = re.compile(r'(src|href|content)="(?:\.\./|\./|/)*')


@dataclass
class Figures:
    feeds: int = 0
    feeds_http: int = 0
    parsed_entries: int = 0
    feeds_imported: int = 0
    feeds_refused: Counter[str] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)
    feeds_opml_or_unreported: int = 0
    entries_reported: int = 0
    written: int = 0
    known: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    count_mismatches: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    builds: int = 0
    builds_broken: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)
    import_seconds: float = 0.0
    build_seconds: float = 0.0


def feeds_in(folders: list[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append(folder.resolve())
            continue
        found.extend(p.resolve() for p in sorted(folder.rglob("*")) if p.suffix.lower() in SUFFIXES)
    return found


def declared_headers(data: bytes) -> dict[str, str] | None:
    """HTTP headers the file's leading comment declares (feedparser's test convention)."""
    text = data[:4096].decode("latin-1")
    found = _HEADER.findall(text)
    if not found:
        return None
    headers = {k.strip(): v.strip() for k, v in found}
    headers.setdefault("Content-type", "text/xml")
    return headers


class _Server:
    """Serves registered files on loopback with the headers they declare."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, dict[str, str]]] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = files.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                data, headers = found
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def add(self, path: Path, data: bytes, headers: dict[str, str]) -> str:
        url_path = f"/{len(self.files)}/{path.name}"
        self.files[url_path] = (data, headers)
        return self.base + url_path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def run(cmd: list[str], cwd: Path, timeout: float) -> tuple[int | None, str]:
    """Return code (None: timed out, killed) and the combined output."""
    try:
        done = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"") + (exc.stderr or b"")
        return None, out.decode("utf-8", "replace") if isinstance(out, bytes) else str(out)
    return done.returncode, done.stdout + done.stderr


def crashed(output: str) -> bool:
    return "internal error" in output or "Traceback (most recent call last)" in output


def account(sources: list[str], output: str, figures: Figures, expected: dict[str, int]) -> None:
    """Add what ``import`` said about each of ``sources`` to ``figures``."""
    lines = output.splitlines()
    for line in lines:
        if line.startswith("warning: ") and "skipped (" not in line:
            text = re.sub(r"^warning: \S+?(:\d+)*: ", "", line)
            text = re.sub(r"\d+", "N", text.split(";")[0].split(" (")[0])[:90]
            figures.warnings[text] += 1
    for src in sources:
        summary = next(
            (
                ln
                for ln in lines
                if (f"({src}): " in ln or ln.startswith(f"{src}: "))
                and not ln.startswith(("warning:", "error:"))
            ),
            None,
        )
        error = next((ln for ln in lines if ln.startswith((f"error: {src}:",))), None)
        if summary is not None:
            m = _SUMMARY.search(summary)
            if m is None:
                if "not modified" in summary:
                    continue
                figures.count_mismatches.append(f"{src}: unreadable summary {summary!r}")
                continue
            figures.feeds_imported += 1
            entries, new, known = int(m["entries"]), int(m["new"]), int(m["known"])
            skipped = int(m["skipped"])
            figures.entries_reported += entries
            figures.written += new
            figures.known += known
            by_reason = Counter({why.strip(): int(n) for n, why in _REASON.findall(m["why"] or "")})
            figures.skipped.update(by_reason)
            if new + known + skipped != entries or sum(by_reason.values()) != skipped:
                figures.count_mismatches.append(f"{src}: {summary}")
            if src in expected and expected[src] != entries:
                figures.count_mismatches.append(
                    f"{src}: feedparser parses {expected[src]} entries, import reports {entries}"
                )
        elif error is not None:
            rest = error[len(f"error: {src}") :].lstrip(":0123456789 ")
            figures.feeds_refused[rest.split(":")[0][:70]] += 1
            figures.refused.append(error[len("error: ") :])
        else:
            figures.feeds_opml_or_unreported += 1


def scan(site: Path, seen: dict[Path, tuple[int, int]], allowed: set[str]) -> list[str]:
    """Unsafe constructs in the site's files changed since the last scan."""
    found: list[str] = []
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".xml", ".json", ".opml") or not path.is_file():
            continue
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        if seen.get(path) == key:
            continue
        seen[path] = key
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix != ".html":
            text = html.unescape(text)
        for m in _TAGS.finditer(text):
            if _REL.sub(r'\1="', m.group(0)) not in allowed:
                found.append(f"{path}: {m.group(0)[:120]}")
        for rx in (_EVENT_ATTR, _BAD_URL):
            for m in rx.finditer(text):
                found.append(f"{path}: {text[max(0, m.start() - 40) : m.end() + 40]!r}")
    return found


def baseline_tags(site: Path) -> set[str]:
    """The script and style tags the templates write."""
    tags = {'<script type="application/ld+json">'}  # article pages' metadata (JSON-LD)
    for path in site.rglob("*.html"):
        for m in _TAGS.finditer(path.read_text(encoding="utf-8", errors="replace")):
            tags.add(_REL.sub(r'\1="', m.group(0)))
    return tags


def check_encodings(paths: list[Path]) -> int:
    """Compare the importer's reading of each file with its ``Expect: encoding == …``."""
    import codecs

    from feedtool import importer

    state = importer.ImportState(Path(tempfile.mkdtemp()) / "state.json")
    run_ = importer._Run(
        into=state.path.parent, state=state, allow_unlicensed=True, timeout=1, known=set()
    )
    tried = same = 0
    for path in paths:
        data = path.read_bytes()
        m = re.search(r"Expect:.*?encoding\s*==\s*'([^']+)'", data[:4096].decode("latin-1"))
        if m is None:
            continue
        tried += 1
        want = m.group(1)
        headers = {k.lower(): v for k, v in (declared_headers(data) or {}).items()}
        base = "http://127.0.0.1/feed" if headers else str(path)
        parsed = run_.parse(str(path), importer._Fetched(data, base, headers=headers))
        got = str(parsed.get("encoding") or "")
        try:
            ok = codecs.lookup(got).name == codecs.lookup(want).name or (
                data.decode(got) == data.decode(want)
            )
        except (LookupError, UnicodeDecodeError):
            ok = got.lower() == want.lower()
        same += ok
        if not ok:
            print(f"{path}: expected {want}, read as {got}")
    print(f"{same} of {tried} files read in the encoding their test expects")
    return 0 if same == tried else 1


def batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--batch", type=int, default=50, help="feeds per import (default 50)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per command")
    ap.add_argument("--fetch-timeout", type=float, default=2.0, help="import --timeout")
    ap.add_argument("--work", type=Path, help="folder for the project (default: a temp dir)")
    ap.add_argument("--limit", type=int, help="only the first N feeds")
    ap.add_argument(
        "--no-allow-unlicensed",
        action="store_true",
        help="skip unlicensed entries (default: import them, to stress the build)",
    )
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    ap.add_argument(
        "--encodings", action="store_true", help="only check the encodings the files expect"
    )
    args = ap.parse_args(argv)

    paths = feeds_in(args.folders)[: args.limit]
    if args.encodings:
        return check_encodings(paths)
    work = args.work or Path(tempfile.mkdtemp(prefix="feedtool-soak-"))
    if work.exists() and any(work.iterdir()):
        print(f"{work} is not empty", file=sys.stderr)
        return 2
    work.mkdir(parents=True, exist_ok=True)
    figures = Figures(feeds=len(paths))
    server = _Server()
    sources: list[str] = []
    expected: dict[str, int] = {}
    for path in paths:
        data = path.read_bytes()
        headers = declared_headers(data)
        if headers is not None:
            src = server.add(path, data, headers)
            figures.feeds_http += 1
            parsed = feedparser.parse(
                data, response_headers={k.lower(): v for k, v in headers.items()}
            )
        else:
            src = str(path)
            parsed = feedparser.parse(data)
        n = len(parsed.get("entries", []))
        figures.parsed_entries += n
        expected[src] = n
        sources.append(src)

    rc, out = run([*FEEDTOOL, "init", "proj"], work, args.timeout)
    if rc != 0:
        print(out, file=sys.stderr)
        return 2
    project = work / "proj"
    for seed in (project / "seeds").iterdir():  # only imported articles
        if seed.is_file():
            seed.unlink()
    rc, out = run([*FEEDTOOL, "build"], project, args.timeout)
    allowed = baseline_tags(project / "site")
    seen: dict[Path, tuple[int, int]] = {}
    scan(project / "site", seen, allowed)

    flags = ["--timeout", str(args.fetch_timeout)]
    if not args.no_allow_unlicensed:
        flags.append("--allow-unlicensed")
    started = time.monotonic()
    for number, batch in enumerate(batches(sources, args.batch), 1):
        t0 = time.monotonic()
        rc, out = run([*FEEDTOOL, "import", *flags, *batch], project, args.timeout)
        if rc is None or crashed(out):
            for src in batch:  # find the feed that did it
                rc1, out1 = run([*FEEDTOOL, "import", *flags, src], project, args.timeout)
                if rc1 is None:
                    figures.hangs.append(f"import {src}")
                elif crashed(out1):
                    figures.crashes.append(f"import {src}: {out1.strip().splitlines()[-1]}")
                account([src], out1, figures, expected)
        else:
            account(batch, out, figures, expected)
        t1 = time.monotonic()
        figures.import_seconds += t1 - t0
        rc, out = run([*FEEDTOOL, "build"], project, args.timeout)
        figures.build_seconds += time.monotonic() - t1
        figures.builds += 1
        if rc is None:
            figures.hangs.append(f"build after batch {number}")
        elif crashed(out):
            figures.crashes.append(f"build after batch {number}: {out.strip()[-300:]}")
        if rc != 0:
            figures.builds_broken.append(f"batch {number}: rc {rc}: {out.strip()[-300:]}")
        figures.unsafe.extend(scan(project / "site", seen, allowed))
        done = min(number * args.batch, len(sources))
        print(
            f"[{time.monotonic() - started:6.0f}s] {done}/{len(sources)} feeds, "
            f"{figures.written} written, {len(figures.crashes)} crashes, "
            f"{len(figures.hangs)} hangs, {len(figures.builds_broken)} builds broken, "
            f"{len(figures.unsafe)} unsafe",
            file=sys.stderr,
            flush=True,
        )
    server.close()
    articles = len(list((project / "seeds").glob("*.md")))
    report = {
        "feeds tried": figures.feeds,
        "feeds served over HTTP with their declared headers": figures.feeds_http,
        "entries parsed by feedparser": figures.parsed_entries,
        "feeds imported (a summary line)": figures.feeds_imported,
        "feeds refused, by message": dict(figures.feeds_refused.most_common()),
        "feeds refused": figures.refused,
        "sources with no line of their own (OPML lists)": figures.feeds_opml_or_unreported,
        "entries reported by import": figures.entries_reported,
        "entries written": figures.written,
        "entries already imported": figures.known,
        "entries skipped, by reason": dict(figures.skipped.most_common()),
        "articles in the project": articles,
        "feeds whose counts do not add up": figures.count_mismatches,
        "warnings, by kind": dict(figures.warnings.most_common()),
        "crashes": figures.crashes,
        "hangs": figures.hangs,
        "builds": figures.builds,
        "builds broken": figures.builds_broken,
        "unsafe output": figures.unsafe,
        "seconds importing": round(figures.import_seconds),
        "seconds building": round(figures.build_seconds),
        "project": str(project),
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    bad = figures.crashes or figures.hangs or figures.builds_broken or figures.unsafe
    return 1 if bad or figures.count_mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
