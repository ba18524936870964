"""Reading and tagging articles across processes (``feedtool build --jobs N``).

Each worker reads and tags a slice of the files and sends back the tagged
article *pickled*, so the parent can store the same bytes in the build cache
without pickling again. Results come back in file order, so a build with any
number of jobs gives the same articles, warnings and errors as one process.
Workers are forked after the taggers are loaded, so their data is shared.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedtool import history
from feedtool.article_files import article_kind, sidecar_paths
from feedtool.cache import (
    CACHE_DIR,
    BuildCache,
    CachedArticle,
    blob_digest,
    dump_warnings,
    file_signature,
    load_warnings,
)
from feedtool.config import Config, require_content_dir
from feedtool.errors import Problem, SourceError
from feedtool.lean import dump_article, dump_head, lazy_article
from feedtool.memory import paused_gc
from feedtool.model import Article, duplicate_problems
from feedtool.snapshot import save_snapshot, taggers_for
from feedtool.tagging.base import TermInfo
from feedtool.tagging.pipeline import Taggers, tag_each

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

__all__ = [
    "ReadResult",
    "Reading",
    "TaggedArticles",
    "default_jobs",
    "read_and_tag",
    "read_tagged",
    "start_reading",
]

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class ReadResult:
    """One file read and tagged: the pickled article, or the problems that stopped it."""

    path: Path
    #: ``pickle.dumps(article)``, or None when the file had errors.
    blob: bytes | None
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    #: True when the errors came from tagging (manual tags), not from reading.
    tag_errors: bool = False

    def article(self) -> Article:
        """The tagged article (only when ``blob`` is set)."""
        assert self.blob is not None
        article: Article = pickle.loads(self.blob)
        return article


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def read_one(
    path: Path, cfg: Config, taggers: Taggers, *, full: bool = False, base: Path | None = None
) -> ReadResult:
    """Read and tag one file, catching its problems: the read and tag steps of every
    command (``build``, ``check``, ``serve``, ``tag`` and the library).

    The article comes back as the build keeps it (:func:`~feedtool.lean.dump_article`:
    no tag evidence, no plain-text paragraphs), or with ``full`` whole, evidence
    included. ``base``: the folder its path is relative to (default: the content folder).
    """
    return read_each([path], cfg, taggers, full=full, base=base)[0]


def read_each(
    paths: Sequence[Path],
    cfg: Config,
    taggers: Taggers,
    *,
    full: bool = False,
    base: Path | None = None,
) -> list[ReadResult]:
    """:func:`read_one` of each of ``paths``, in order: all are read, then tagged
    together (:func:`~feedtool.tagging.pipeline.tag_each`), then pickled."""
    # Imported here: the readers take 38 ms to import (python -X importtime), which a
    # build that reads nothing (all cached, or nothing changed) never needs.
    from feedtool.sources import read_article
    from feedtool.sources.meta import xml_illegal_problem

    # Each file's warnings, and its article or the result that ends it (errors).
    read: list[tuple[Path, list[Problem], Article | ReadResult]] = []
    for path in paths:
        warnings: list[Problem] = []
        try:
            article = read_article(path, cfg, warnings, base=base)
        except SourceError as exc:
            errors = tuple(exc.problems)
            read.append((path, warnings, ReadResult(path, None, tuple(warnings), errors)))
            continue
        illegal = xml_illegal_problem(article)
        if illegal is None:
            read.append((path, warnings, article))
        else:
            read.append((path, warnings, ReadResult(path, None, tuple(warnings), (illegal,))))
    articles = [item for _path, _warnings, item in read if isinstance(item, Article)]
    tagged = iter(tag_each(articles, taggers, explain=full))  # a build keeps no evidence
    results: list[ReadResult] = []
    for path, warnings, item in read:
        if isinstance(item, ReadResult):
            results.append(item)
            continue
        done = next(tagged)
        if isinstance(done, SourceError):
            results.append(
                ReadResult(path, None, tuple(warnings), tuple(done.problems), tag_errors=True)
            )
        else:
            blob = pickle.dumps(done, pickle.HIGHEST_PROTOCOL) if full else dump_article(done)
            results.append(ReadResult(path, blob, tuple(warnings), ()))
    return results


#: Files read and tagged together in one process (:func:`read_each`).
HERE_CHUNK = 64

# The worker's config and tagger snapshot folder, set by the pool's initializer.
_WORKER: dict[str, Any] = {}


def _init_worker(cfg: Config, snapshot: Path | None) -> None:
    _WORKER["cfg"] = cfg
    _WORKER["snapshot"] = snapshot
    # What the worker inherited (the taggers, the config) lives as long as it does: the
    # collector need not scan it again after every few hundred articles' allocations.
    gc.freeze()


def _read_chunk(paths: Sequence[Path], full: bool) -> list[ReadResult]:
    cfg: Config = _WORKER["cfg"]
    taggers = taggers_for(cfg, _WORKER["snapshot"])
    return read_each(paths, cfg, taggers, full=full)


def _chunks(paths: Sequence[Path], size: int) -> Iterator[Sequence[Path]]:
    for i in range(0, len(paths), size):
        yield paths[i : i + size]


def _tapered(paths: Sequence[Path], size: int, jobs: int) -> list[Sequence[Path]]:
    """``paths`` in chunks of ``size``, the last ones smaller (down to an eighth), so that
    the workers finish at nearly the same time rather than one waiting on another's
    last large chunk."""
    small = max(1, size // 8)
    tail = min(len(paths), small * jobs * 8)  # eight small chunks a worker
    head = len(paths) - tail
    return [*_chunks(paths[:head], size), *_chunks(paths[head:], small)]


def read_and_tag(
    paths: Sequence[Path],
    cfg: Config,
    jobs: int,
    snapshot: Path | None = None,
    *,
    full: bool = False,
) -> Iterator[ReadResult]:
    """Read and tag ``paths`` with ``jobs`` processes; results in the order of ``paths``.

    With more than one job the work starts at once, in worker processes, so the
    caller can do other things (load the cache) before it takes the results.
    ``snapshot``: the folder of the tagger snapshot (:mod:`feedtool.snapshot`); a build
    reading many files leaves one there, and one reading a few loads it.
    ``full``: the articles whole (see :func:`read_one`).
    """
    if not paths:
        return iter(())
    if jobs <= 1:
        return _read_here(paths, cfg, snapshot, full)
    many = len(paths) >= 2 * 32
    if many:
        # Loaded before the fork, so every worker shares them.
        taggers_for(cfg, snapshot)
        size = max(8, min(128, len(paths) // (jobs * 8) or 8))
        chunks = _tapered(paths, size, jobs)
    else:
        jobs, chunks = 1, [paths]  # one worker loads the taggers while this process goes on
    # Imported here: the process pool takes 5 ms to import (python -X importtime), which
    # `feedtool --help` and a build that reads nothing never need.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(cfg, snapshot)
    )
    futures = [pool.submit(_read_chunk, chunk, full) for chunk in chunks]
    if many:
        _read_ahead(paths)
        save_snapshot(cfg, snapshot)  # while the workers read
    return _results(pool, futures)


def _read_ahead(paths: Sequence[Path]) -> None:
    """Ask the kernel to read ``paths`` into its cache now, in order, ahead of the workers.

    Files not in the page cache (a large archive, a cold disk) then arrive while the
    workers tag the ones before, instead of each read waiting for the disk.
    """
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:  # pragma: no cover - not POSIX
        return
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue  # the worker reports it
        try:
            advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)


def _read_here(
    paths: Sequence[Path], cfg: Config, snapshot: Path | None, full: bool
) -> Iterator[ReadResult]:
    taggers = taggers_for(cfg, snapshot)
    for chunk in _chunks(paths, HERE_CHUNK):
        yield from read_each(chunk, cfg, taggers, full=full)


def _results(
    pool: ProcessPoolExecutor, futures: list[Future[list[ReadResult]]]
) -> Iterator[ReadResult]:
    try:
        for future in futures:
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def snapshot_folder(cache: BuildCache | None) -> Path | None:
    """Where the tagger snapshot of a build using ``cache`` lives (None: no cache)."""
    return cache.path.parent / "taggers" if cache is not None else None


def content_hash(path: Path) -> str:
    """The hash :func:`~feedtool.sources.read_article` gives a file (with its sidecar)."""
    data = path.read_bytes()
    side = b""
    for name in sidecar_paths(str(path)):
        sidecar = Path(name)
        if sidecar.is_file():
            side = sidecar.read_bytes()
            break
    return hashlib.sha256(data + b"\0" + side + b"\0" + history.stamp(path)).hexdigest()


@dataclass
class TaggedArticles:
    """Every article of the project, tagged, with what the build needs to know about them."""

    articles: list[Article]
    warnings: list[Problem]
    #: ``id(article)`` -> digest of its pickled bytes (for render keys).
    digests: dict[int, str]
    #: ``(rel_path, file signature)`` of every article file, in name order.
    signatures: list[tuple[str, str]]
    #: How many files were read and tagged (the rest came from the cache).
    read: int = 0
    #: The problems of the articles left out (unreadable, invalid, a duplicate id): read
    #: problems in file order, then tagging problems, then duplicates.
    skipped: list[Problem] = field(default_factory=list)


def list_articles(
    cfg: Config, warnings: list[Problem], *, cache: bool = True
) -> list[tuple[str, str]]:
    """``(path relative to the content folder, path)`` of the project's article files, in
    name order (the content folder must exist). Plain strings: a large project lists
    tens of thousands, and a build that finds nothing changed needs no more. The
    folder's commit dates are read too (:mod:`feedtool.history`), kept in the build
    cache by commit unless ``cache`` is False."""
    require_content_dir(cfg)
    history.load(cfg.content_dir, cfg.root / CACHE_DIR if cache else None)
    content = cfg.content_dir
    found: list[tuple[str, str]] = []
    todo = [(str(content), "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return _careful_list(cfg, warnings)
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, f"{prefix}{name}/"))
                elif article_kind(name) is not None:
                    found.append((f"{prefix}{name}", entry.path))
    found.sort()
    return found


def _careful_list(cfg: Config, warnings: list[Problem]) -> list[tuple[str, str]]:
    """The listing when the content folder holds symbolic links (links out are skipped)."""
    # Imported here: the readers take 38 ms to import (python -X importtime); only a
    # content folder with symbolic links needs them to list it.
    from feedtool.sources import find_article_files

    content = cfg.content_dir
    return [
        (p.relative_to(content).as_posix(), str(p))
        for p in find_article_files(content, warnings, cfg.root)
    ]


def signatures_of(listed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(path relative to the content folder, file signature)`` of each listed file."""
    if not history.any_loaded():
        return [(rel, file_signature(path)) for rel, path in listed]
    # A committed file's dates are part of what it is read from (they date it when
    # nothing else does): a commit makes the cache read it again.
    return [
        (rel, f"{file_signature(path)}|{history.stamp(Path(path)).decode()}")
        for rel, path in listed
    ]


@dataclass
class Reading:
    """Files being read and tagged in worker processes (see :func:`start_reading`)."""

    #: The read fingerprint the cache is looked up under.
    fingerprint: str
    #: The terms the cache holds for it (None: not known yet).
    terms: dict[str, dict[str, TermInfo]] | None
    #: ``rel_path`` of the files the cache holds unchanged.
    hits: set[str]
    #: ``(rel_path, new signature)`` of files whose bytes are unchanged but not their stat.
    moved: list[tuple[str, str]]
    #: Indexes of the files being read.
    misses: list[int]
    results: Iterator[ReadResult]

    def close(self) -> None:
        """Stop the workers if their results were not all taken."""
        close = getattr(self.results, "close", None)
        if close is not None:
            close()


def start_reading(
    cfg: Config,
    paths: list[str],
    signatures: list[tuple[str, str]],
    *,
    jobs: int,
    cache: BuildCache | None,
    fingerprint: str,
    terms: dict[str, dict[str, TermInfo]] | None = None,
    full: bool = False,
) -> Reading:
    """Find the files ``cache`` does not hold unchanged and start reading them (with
    more than one job, in worker processes, while the caller goes on); ``full``: the
    articles whole, for tests and scripts (see :func:`read_one`)."""
    known = cache.signatures(fingerprint) if cache is not None else {}
    hits: set[str] = set()
    moved: list[tuple[str, str]] = []
    for i, (rel, sig) in enumerate(signatures):
        row = known.get(rel)
        if row is None:
            continue
        if row[0] == sig:
            hits.add(rel)
        elif content_hash(Path(paths[i])) == row[1]:
            hits.add(rel)
            moved.append((rel, sig))
    del known
    misses = [i for i, (rel, _sig) in enumerate(signatures) if rel not in hits]
    snapshot = snapshot_folder(cache)
    results = read_and_tag([Path(paths[i]) for i in misses], cfg, jobs, snapshot, full=full)
    return Reading(fingerprint, terms, hits, moved, misses, results)


def read_tagged(
    cfg: Config,
    paths: list[str],
    signatures: list[tuple[str, str]],
    *,
    jobs: int,
    cache: BuildCache | None,
    fingerprint: str,
    warnings: list[Problem],
    progress: Progress | None = None,
    reading: Reading | None = None,
) -> TaggedArticles:
    """Read and tag ``paths``, taking unchanged files from ``cache``.

    An article with errors is left out, its problems in ``skipped`` (never cached, so it
    is read again until it is fixed); when every article has errors they raise together
    as a :class:`~feedtool.errors.SourceError`. The articles equal
    :func:`~feedtool.sources.read_articles` followed by
    :func:`~feedtool.tagging.pipeline.tag_articles`, whatever ``jobs`` and the cache hold.
    Memory holds the articles, never all their pickles at once. ``reading``: what
    :func:`start_reading` started for the same arguments (by default, started here).
    """
    if reading is None:
        reading = start_reading(
            cfg, paths, signatures, jobs=jobs, cache=cache, fingerprint=fingerprint
        )
    index = {rel: i for i, (rel, _sig) in enumerate(signatures)}
    hits, moved, misses = reading.hits, reading.moved, reading.misses
    snapshot = snapshot_folder(cache)
    results = reading.results
    slots: list[tuple[Article | None, tuple[Problem, ...]]] = [(None, ())] * len(paths)
    digests: dict[int, str] = {}

    def place(i: int, article: Article, found: tuple[Problem, ...], digest: str) -> None:
        digests[id(article)] = digest
        slots[i] = (article, found)

    # The articles hold no reference cycles: collections would scan them and find nothing.
    with paused_gc():
        try:
            if cache is not None and hits:
                for rel, blob, found, digest, head in cache.iter_articles(fingerprint):
                    if rel in hits:
                        # Loaded when a page or feed to render reads more than its head.
                        with contextlib.suppress(Exception):  # a damaged row: read the file again
                            place(
                                index[rel], lazy_article(head, blob), load_warnings(found), digest
                            )
                damaged = sorted(index[rel] for rel in hits if slots[index[rel]][0] is None)
                if damaged:
                    results = itertools.chain(
                        results, read_and_tag([Path(paths[i]) for i in damaged], cfg, 1, snapshot)
                    )
                    misses = misses + damaged
            read_errors: list[Problem] = []
            tag_errors: list[Problem] = []
            done = len(paths) - len(misses)
            if progress is not None:
                progress("read", done, len(paths))
            if cache is not None:
                cache.begin()
                cache.touch_articles(moved)
            try:
                for i, result in zip(misses, results, strict=True):
                    done += 1
                    if progress is not None:
                        progress("read", done, len(paths))
                    if result.blob is None:
                        (tag_errors if result.tag_errors else read_errors).extend(result.errors)
                        # Left out: its errors say what is wrong; its warnings (such as
                        # "no date" after a date that could not be read) would mislead.
                        slots[i] = (None, ())
                        continue
                    digest = blob_digest(result.blob)
                    article = pickle.loads(result.blob)
                    place(i, article, result.warnings, digest)
                    if cache is not None:
                        cache.put_article(
                            fingerprint,
                            signatures[i][0],
                            CachedArticle(
                                signatures[i][1],
                                article.content_hash,
                                result.blob,
                                dump_warnings(result.warnings),
                                digest,
                                dump_head(article, result.blob),
                            ),
                        )
            finally:
                if cache is not None:
                    cache.commit(fingerprint, {rel for rel, _sig in signatures})
        finally:
            reading.close()
    articles: list[Article] = []
    for article, met in slots:
        warnings.extend(met)
        if article is not None:
            articles.append(article)
    duplicates = duplicate_problems(articles)
    if duplicates:
        # The later of two articles sharing a slug or id is left out.
        named = {p.location.path for p in duplicates}
        articles = [a for a in articles if a.path not in named]
    skipped = read_errors + tag_errors + duplicates
    if skipped and not articles:
        raise SourceError(skipped)  # nothing left to build: the previous site stays
    return TaggedArticles(articles, warnings, digests, signatures, len(misses), skipped)
