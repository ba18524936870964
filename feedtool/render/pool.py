"""Rendering pages and feeds in worker processes (``feedtool build --jobs N``).

The workers are forked once the site model and the page renderer exist, so they
hold the same objects (shared copy-on-write) and a task is small: a template, a
path and a context whose articles, terms, taxonomies, archive periods, model and
config travel as references to the worker's copy. The
worker runs the same code on the same objects, so the bytes are the ones one
process would render. Results come back in the order the tasks were made, and
at most a few chunks are in flight, so memory holds a bounded number of pages.
"""

from __future__ import annotations

import io
import multiprocessing
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from feedtool.config import Config
from feedtool.lean import LazyArticle
from feedtool.memory import FORKED_MODEL_MAX
from feedtool.model import ArchivePeriod, Article, SiteModel, Taxonomy, Term
from feedtool.render.feeds import Entry, make_entry
from feedtool.write import Staged, stage_file

__all__ = ["MAX_TASKS", "MIN_TASKS", "RenderPool", "Task"]

#: Below this many articles a build renders in one process: forking costs more.
MIN_TASKS = 400
#: Above this many articles too (every worker reads most of the model; see memory.py).
MAX_TASKS = FORKED_MODEL_MAX
#: Pages a worker renders per task sent.
CHUNK = 64
#: Feed documents a worker renders per task sent, at most. The build sends documents that
#: list the same articles one after another, and each worker makes an article's entry
#: once for the documents it renders (:class:`KeptEntries`): the more to a task, the
#: fewer entries made twice. But a document takes as long as some :data:`FEED_WEIGHT`
#: pages, so a task is smaller when there are few to render (an edited rebuild), and every
#: worker gets some (:meth:`RenderPool.expect_feeds`).
FEED_CHUNK = 32
#: A feed document counts as this many pages towards :data:`CHUNK`.
FEED_WEIGHT = 16

Output = tuple[str, bytes]
#: ``(kind, args)``: ``("page", (template, path, context))``, ``("article", (article, older,
#: newer, related articles))`` or ``("feed", (feed document, articles))``.
Task = tuple[str, tuple[Any, ...]]

# What a forked worker renders with: set in the parent before the first fork.
_STATE: dict[str, Any] = {}


class _Refs:
    """Persistent ids for the site's objects, and back (each process has a copy)."""

    def __init__(self, model: SiteModel, cfg: Config, archive: tuple[ArchivePeriod, ...]) -> None:
        self.model = model
        self.cfg = cfg
        self.article_number = {id(a): n for n, a in enumerate(model.articles)}
        self.terms = {(t.taxonomy, t.id): t for tax in model.taxonomies for t in tax.terms}
        self.taxonomies = {t.name: t for t in model.taxonomies}
        periods: dict[str, ArchivePeriod] = {}
        for year in archive:
            periods[year.key] = year
            for month in year.months:
                periods[month.key] = month
        self.periods = periods

    def ref(self, obj: Any) -> tuple[Any, ...] | None:
        """The reference to one of the site's objects, None for any other value."""
        # By exact type: pickling a task asks about every object in it (strings and
        # numbers by the hundred), and most answers are "no" after one dict lookup.
        # (Plain functions: bound methods kept on ``self`` would make a reference cycle
        # holding the whole model until the next full collection.)
        kind = _KINDS.get(type(obj))
        return None if kind is None else kind(self, obj)

    def _article(self, obj: Article) -> tuple[Any, ...] | None:
        n = self.article_number.get(id(obj))
        return None if n is None else ("A", n)

    def _term(self, obj: Term) -> tuple[Any, ...] | None:
        key = (obj.taxonomy, obj.id)
        return ("T", *key) if self.terms.get(key) is obj else None

    def _taxonomy(self, obj: Taxonomy) -> tuple[Any, ...] | None:
        return ("X", obj.name) if self.taxonomies.get(obj.name) is obj else None

    def _period(self, obj: ArchivePeriod) -> tuple[Any, ...] | None:
        return ("P", obj.key) if self.periods.get(obj.key) is obj else None

    def _model(self, obj: SiteModel) -> tuple[Any, ...] | None:
        return ("M",) if obj is self.model else None

    def _config(self, obj: Config) -> tuple[Any, ...] | None:
        return ("C",) if obj is self.cfg else None

    def resolve(self, ref: tuple[Any, ...]) -> Any:
        kind = ref[0]
        if kind == "A":
            return self.model.articles[ref[1]]
        if kind == "T":
            return self.terms[(ref[1], ref[2])]
        if kind == "X":
            return self.taxonomies[ref[1]]
        if kind == "P":
            return self.periods[ref[1]]
        if kind == "M":
            return self.model
        return self.cfg


_KINDS: dict[type, Callable[[_Refs, Any], tuple[Any, ...] | None]] = {
    Article: _Refs._article,
    LazyArticle: _Refs._article,
    Term: _Refs._term,
    Taxonomy: _Refs._taxonomy,
    ArchivePeriod: _Refs._period,
    SiteModel: _Refs._model,
    Config: _Refs._config,
}


class _Pickler(pickle.Pickler):
    """Pickles the site's objects as references to the worker's copy (see :class:`_Refs`).

    Through ``reducer_override``, which pickle skips for strings, numbers, tuples, lists
    and dicts (most of a task), rather than ``persistent_id``, which it asks about
    every object; a reference met twice in a task is pickled once.
    """

    def __init__(self, file: io.BytesIO, refs: _Refs) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.refs = refs

    def reducer_override(self, obj: Any) -> Any:
        ref = self.refs.ref(obj)
        return NotImplemented if ref is None else (_resolve, ref)


def _resolve(*ref: Any) -> Any:
    """In a worker: the object a reference names."""
    refs: _Refs = _STATE["refs"]
    return refs.resolve(ref)


def _dumps(value: Any, refs: _Refs) -> bytes:
    """``value`` (tasks, a call) pickled with the site's objects as references."""
    buffer = io.BytesIO()
    _Pickler(buffer, refs).dump(value)
    return buffer.getvalue()


def _call(data: bytes) -> Any:
    """In a worker: the result of a pickled ``(function, args)`` (see :meth:`RenderPool.call`)."""
    function, args = pickle.loads(data)
    return function(*args)


#: What a worker returns for a chunk: each page's bytes, or for a page it staged, the
#: file's ``(size, mtime_ns)``.
Rendered = list[bytes] | list[tuple[int, int]]


def _run(data: bytes) -> Rendered:
    """In a worker: render the pickled ``(path, task)`` pairs, in order; return their bytes,
    or write them into the stage folder (when the pool has one) and return their stats."""
    tasks: list[tuple[str, Task]] = pickle.loads(data)
    render: Callable[[Task], bytes] = _STATE["render"]
    stage: str | None = _STATE["stage"]
    if stage is None:
        return [render(task) for _path, task in tasks]
    made: set[str] = _STATE.setdefault("made", set())
    return [stage_file(stage, path, render(task), made) for path, task in tasks]


class RenderPool:
    """Renders tasks with ``jobs`` forked workers (or in this process), results in order.

    ``render(task)`` turns one task into bytes; the workers call the copy they
    inherited. Use :meth:`run` on a stream whose items are either finished outputs
    ``(path, bytes)`` or ``(path, task)`` still to render. With a ``stage`` folder
    (:func:`feedtool.write.fresh_stage`), workers write what they render there
    themselves and :meth:`run` gives ``(path, Staged(stat))`` for it: the pages do not travel
    back to this process, and the files are made on every core.
    """

    def __init__(
        self,
        model: SiteModel,
        cfg: Config,
        archive: tuple[ArchivePeriod, ...],
        render: Callable[[Task], bytes],
        jobs: int,
        stage: Path | None = None,
    ) -> None:
        self.render = render
        self.jobs = jobs if MIN_TASKS <= len(model.articles) <= MAX_TASKS else 1
        #: Whether tasks go to worker processes (else :meth:`run` renders them here).
        self.parallel = self.jobs > 1 and "fork" in multiprocessing.get_all_start_methods()
        self.refs = _Refs(model, cfg, archive)
        self.stage = str(stage) if stage is not None and self.parallel else None
        self._pool: ProcessPoolExecutor | None = None
        #: Feed documents per task (see :data:`FEED_CHUNK`).
        self.feed_chunk = FEED_CHUNK

    def expect_feeds(self, count: int) -> None:
        """Say how many feed documents the stream holds: each worker gets at least four
        tasks of them (an edited rebuild renders a few dozen)."""
        self.feed_chunk = max(1, min(FEED_CHUNK, -(-count // (4 * self.jobs))))

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (pending tasks are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _STATE.clear()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            _STATE.update(refs=self.refs, render=self.render, stage=self.stage)
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return self._pool

    def call(self, function: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any] | None:
        """Start ``function(*args)`` in a worker, where the site's objects among ``args``
        are its own copies (``function`` must be importable by name); None when this pool
        renders in this process. Calls and tasks run in the order they are given."""
        if not self.parallel:
            return None
        return self._executor().submit(_call, _dumps((function, args), self.refs))

    def _submit(self, tasks: list[tuple[str, Task]]) -> Future[Rendered]:
        return self._executor().submit(_run, _dumps(tasks, self.refs))

    def run(self, items: Iterable[tuple[str, bytes | Task | None]]) -> Iterator[Output | Any]:
        """Items in order, each task replaced by its rendered bytes (or by a ``Staged``
        when a worker wrote it into the stage folder).

        Items whose second element is bytes or None pass through unchanged.
        """
        if not self.parallel:
            for path, item in items:
                if isinstance(item, tuple):
                    yield path, self.render(item)
                else:
                    yield path, item
            return
        window = self.jobs * 3
        # Entries in output order: (path, value, chunk, index); chunk -1: value is ready.
        order: deque[tuple[str, Any, int, int]] = deque()
        futures: deque[tuple[int, Future[Rendered]]] = deque()
        results: dict[int, Rendered] = {}
        batch: list[tuple[str, Task]] = []
        weight = 0  # of the batch, in pages
        feeds = False  # in the batch
        submitted = 0

        def submit(last: bool = False) -> None:
            nonlocal submitted, batch, weight, feeds
            weight, feeds = 0, False
            if batch:
                if last and self._pool is None:
                    # Less than one task holds (an edited rebuild): starting the workers
                    # would cost more than rendering it here.
                    results[submitted] = [self.render(task) for _path, task in batch]
                else:
                    futures.append((submitted, self._submit(batch)))
                submitted += 1
                batch = []

        def drain(in_flight: int) -> Iterator[Output | Any]:
            # Yield what is ready at the front; wait while more than in_flight chunks run.
            while order:
                path, value, chunk, index = order[0]
                if chunk < 0:
                    order.popleft()
                    yield path, value
                    continue
                if chunk >= submitted:
                    return
                if chunk not in results:
                    if len(futures) <= in_flight and not futures[0][1].done():
                        return
                    number, future = futures.popleft()
                    results[number] = future.result()
                    continue
                order.popleft()
                data = results[chunk]
                value = data[index]
                yield path, Staged(value) if type(value) is tuple else value
                if index == len(data) - 1:
                    del results[chunk]

        for path, item in items:
            if isinstance(item, tuple):
                order.append((path, None, submitted, len(batch)))
                batch.append((path, item))
                if item[0] == "feed":
                    feeds = True
                    weight += FEED_WEIGHT
                else:
                    weight += 1
                if weight >= (max(CHUNK, self.feed_chunk * FEED_WEIGHT) if feeds else CHUNK):
                    submit()
            else:
                order.append((path, item, -1, -1))
            yield from drain(window)
        submit(last=True)
        yield from drain(0)


class KeptEntries:
    """Hands out the feed entries of the ``size`` articles asked for last, made once.

    The feed documents come one format after another for the same articles
    (``feeds.feed_docs``), and an article is in several feeds: an entry and the RSS and
    JSON Feed items it keeps are made once for them all. One per build (each worker
    process has its own copy), so no article outlives the build.
    """

    def __init__(self, cfg: Config, size: int = 512) -> None:
        self.cfg = cfg
        self.size = size
        #: Entries by their article's ``id`` (each holds its article, so the ``id`` stays
        #: its own), the least recently asked for first.
        self._kept: dict[int, Entry] = {}

    def __call__(self, article: Article) -> Entry:
        kept = self._kept
        entry = kept.pop(id(article), None)
        if entry is None:
            entry = make_entry(article, self.cfg)
            if len(kept) >= self.size:
                del kept[next(iter(kept))]
        kept[id(article)] = entry
        return entry
