"""``build()``: the whole pipeline, config → read → tag → model → render → write.

This is the library API the CLI wraps; everything a test needs is reachable here.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedtool import cache as cache_mod
from feedtool import parallel
from feedtool.config import Config, output_problem
from feedtool.errors import BuildError, Problem, TemplateError, display_path, problem
from feedtool.memory import frozen_heap, keep, paused_gc
from feedtool.model import Article, SiteModel
from feedtool.search import with_search_index
from feedtool.snapshot import taggers_for
from feedtool.write import (
    MANIFEST,
    OutputTree,
    WriteReport,
    check_outputs,
    fresh_stage,
    write_outputs,
)

if TYPE_CHECKING:
    import jinja2

    from feedtool.render.pool import RenderPool, Task
    from feedtool.render.urls import FeedDoc
    from feedtool.site_model import Related

    #: The articles a feed document lists, newest first.
    Chosen = tuple[Article, ...]

# The site model's and the renderers' modules are imported where used: they take 7 ms
# and 41 ms to import (python -X importtime), which `feedtool --help` and a build that
# finds nothing changed never need.

log = logging.getLogger("feedtool.build")


@dataclass
class BuildReport:
    """What a build did, for the summary line and for tests."""

    articles: int = 0
    pages: int = 0
    feeds: int = 0
    warnings: list[Problem] = field(default_factory=list)
    write: WriteReport = field(default_factory=WriteReport)
    untagged: tuple[str, ...] = ()
    seconds: float = 0.0
    out_dir: Path | None = None
    #: Articles read and tagged this time (the others came from the cache).
    read: int = 0
    #: Pages and feeds rendered this time (the others were unchanged and kept).
    rendered: int = 0
    #: True when nothing had changed since the last build and nothing was done.
    noop: bool = False
    #: The errors of the articles left out of the site (each names its file).
    skipped: list[Problem] = field(default_factory=list)

    @property
    def skipped_files(self) -> int:
        """How many article files were left out."""
        return len({p.location.path for p in self.skipped})

    def summary(self) -> str:
        """``Built 1 article, 12 pages, 5 feeds in 0.21 s; 3 files changed.``

        Articles left out are counted at the end: ``...; 1 article skipped (errors above)``.
        """
        changed = len(self.write.added) + len(self.write.changed) + len(self.write.removed)
        s = "" if self.articles == 1 else "s"
        return (
            f"Built {self.articles:,} article{s}, {self.pages:,} pages, {self.feeds:,} feeds "
            f"in {self.seconds:.2f} s; {changed:,} file(s) changed{self.skipped_note()}"
        )

    def skipped_note(self) -> str:
        """``; 2 articles skipped (errors above)``, or nothing when none was."""
        n = self.skipped_files
        if not n:
            return ""
        return f"; {n:,} article{'' if n == 1 else 's'} skipped (errors above)"


def _strict_failure(skipped: list[Problem], warnings: list[Problem]) -> BuildError:
    """The error of a ``--strict`` build: every skipped article's problems, then every
    warning as an error (each printed once)."""
    return BuildError(
        [*skipped, *(Problem(w.location, w.key, w.message, w.hint, "error") for w in warnings)]
    )


def _log_problems(skipped: list[Problem], warnings: list[Problem]) -> None:
    for w in warnings:
        log.warning(w.format())
    for p in skipped:
        log.error(p.format())


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set. Only used for warnings, never for output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def future_warnings(articles: list[Article], now: datetime) -> list[Problem]:
    """Articles dated after ``now`` are published as given, with a warning."""
    return [
        problem(
            a.path,
            "date",
            f"date {a.published.isoformat()} is in the future; published as given",
            hint="check the date, or leave the file out until then",
            severity="warning",
        )
        for a in articles
        if a.published > now
    ]


def model_for(cfg: Config, now: datetime | None = None) -> tuple[SiteModel, list[Problem]]:
    """The site model of ``cfg``'s project, and the warnings met building it.

    The build's steps up to the model (list, read and tag, model) in one process,
    without the cache, every article whole (with its tags' evidence and paragraphs,
    which a build does not keep). Articles with errors are left out, their problems
    among the warnings.
    """
    run = _Build(cfg, cfg.output_dir, True, False, 1, None, None, full=True)
    try:
        run.list_inputs()
        run.read_and_tag()
    finally:
        run.stop_reading()
    run.make_model(now)
    return run.model, [*run.report.warnings, *run.report.skipped]


def render_all(model: SiteModel, cfg: Config, report: BuildReport) -> Iterator[tuple[str, bytes]]:
    """Every output file of ``model``'s site but the search index, streamed: the build's
    render step in one process, without the cache."""
    run = _Build(cfg, cfg.output_dir, True, False, 1, None, None)
    run.model = model
    run.report = report
    run.templates = cache_mod.tree_digest(cfg.templates_dir)
    run.digests = {}
    with run.rendered(None) as outputs:
        yield from _full(outputs)


Progress = Callable[[str, int, int], None]


def build(
    cfg: Config,
    *,
    out_dir: Path | None = None,
    check: bool = False,
    strict: bool = False,
    jobs: int | None = None,
    cache: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site of ``cfg`` into ``out_dir`` (default ``paths.output``).

    With ``check``, nothing is written: the report lists the files that would
    change. With ``strict``, any warning fails the build before anything is written.
    ``jobs`` processes read and tag articles (default: every core). With ``cache``
    (the default), the build cache under the project skips reading, tagging and
    rendering what did not change; the site is byte-identical either way.
    ``progress(stage, done, total)`` is called as articles are read and files rendered.
    Raises :class:`~feedtool.errors.FeedtoolError` on problems in the input.
    """
    started = time.perf_counter()
    if out_dir is not None:
        why = output_problem(out_dir, cfg.root, cfg.content_dir, cfg.templates_dir)
        if why:
            raise BuildError(
                [
                    problem(
                        display_path(out_dir),
                        "--out",
                        why,
                        hint="choose a folder of its own, such as `site`",
                    )
                ]
            )
    target = (out_dir if out_dir is not None else cfg.output_dir).absolute()
    store = cache_mod.BuildCache(cache_mod.cache_path(cfg)) if cache else None
    try:
        # What the build makes in bulk under paused_gc() (the cache's records, the articles)
        # lives until it ends: frozen, the collector never scans it.
        with frozen_heap():
            report = _build(cfg, target, check, strict, jobs, store, progress)
    finally:
        if store is not None:
            store.close()
    report.seconds = time.perf_counter() - started
    return report


def _build_key(cfg: Config, target: Path, signatures: list[tuple[str, str]], templates: str) -> str:
    """Everything a build depends on, hashed: if it is unchanged, so is the site."""
    h = hashlib.sha256()
    h.update(
        f"{cache_mod.code_digest()}|{cfg.fingerprint}|{target}|{Path.cwd()}|"
        f"{templates}|{cfg.pages.search}".encode()
    )
    for rel, sig in signatures:
        h.update(f"\0{rel}\0{sig}".encode())
    return h.hexdigest()


def _replay(
    last: cache_mod.LastBuild, problems: cache_mod.BuildProblems, strict: bool, target: Path
) -> BuildReport:
    """The report of a build that found nothing changed, from the last build's."""
    warnings, future, skipped = problems
    warnings[last.future_at : last.future_at] = future_warnings(future, build_time())
    report = BuildReport(out_dir=target, noop=True)
    report.articles = last.articles
    report.pages = last.pages
    report.feeds = last.feeds
    report.untagged = last.untagged
    report.warnings = warnings
    report.skipped = skipped
    report.write = WriteReport(unchanged=last.files)
    if strict and (warnings or skipped):
        raise _strict_failure(skipped, warnings)
    _log_problems(skipped, warnings)
    return report


def _build(
    cfg: Config,
    target: Path,
    check: bool,
    strict: bool,
    jobs: int | None,
    store: cache_mod.BuildCache | None,
    progress: Progress | None,
    discard: bool = False,
) -> BuildReport:
    """The build, step by step; with ``discard`` (and ``check``), every file is rendered
    and dropped.

    The steps are those of the documented pipeline: list the inputs (ending at once when
    nothing changed since the last build), read and tag the articles, make the site
    model, render and write the outputs, and remember what was built. How each step uses
    the cache, worker processes and the collector is inside :class:`_Build`.
    """
    run = _Build(cfg, target, check, strict, jobs or parallel.default_jobs(), store, progress)
    try:
        replayed = run.list_inputs()
        if replayed is not None:
            return replayed
        run.read_and_tag()
    finally:
        run.stop_reading()  # stops the workers if the build ended before it took their work
    # The articles are frozen as they are read (paused_gc in read_tagged); so is what was
    # made since: the model's and the pages' collections scan only what they make.
    with frozen_heap():
        run.make_model()
        run.render_and_write(discard)
        run.remember()
        keep(
            run.tagged,
            run.model,
            run.renderer,
            run.keys,
            run.recorded,
            run.intact,
            run.listed,
            run.signatures,
        )
        return run.report


class _Build:
    """One build's state, and its steps in the order :func:`_build` runs them."""

    def __init__(
        self,
        cfg: Config,
        target: Path,
        check: bool,
        strict: bool,
        workers: int,
        store: cache_mod.BuildCache | None,
        progress: Progress | None,
        *,
        full: bool = False,
    ) -> None:
        """``full``: keep every article whole (tests and scripts; see :func:`model_for`)."""
        self.cfg = cfg
        self.full = full
        self.target = target
        self.check = check
        self.strict = strict
        self.workers = workers
        self.store = store
        self.progress = progress
        self.started = time.perf_counter()
        self.warnings: list[Problem] = list(cfg.warnings)
        self.recorded: dict[str, tuple[str, int, int]] = {}
        self.intact: dict[str, str] = {}
        self.listed: list[tuple[str, str]] = []
        self.signatures: list[tuple[str, str]] = []
        self.reading: parallel.Reading | None = None
        self.env: jinja2.Environment | None = None
        self.report = BuildReport(out_dir=target)

    def _elapsed(self) -> float:
        return time.perf_counter() - self.started

    # --- 1. list the inputs ---------------------------------------------------------------

    def list_inputs(self) -> BuildReport | None:
        """List the article files and sign them; when nothing changed since the last build
        and its outputs are intact, that build's report (nothing more is done)."""
        cfg, store = self.cfg, self.store
        self.listed = parallel.list_articles(cfg, self.warnings, cache=self.store is not None)
        self.signatures = parallel.signatures_of(self.listed)
        self.paths = [path for _rel, path in self.listed]
        self.templates = cache_mod.tree_digest(cfg.templates_dir)
        self.key = _build_key(cfg, self.target, self.signatures, self.templates)
        self.recorded_dir_ok = store is not None and store.meta("outputs_dir") == str(self.target)
        last = store.last_build() if store is not None and self.recorded_dir_ok else None
        if last is None or last.key != self.key:
            # Something changed: the files to read start in worker processes at once, while
            # this one checks the outputs, loads the cache and compiles the templates.
            self.reading = self._start_reading()
            self.env = self._template_env()
        if store is not None and self.recorded_dir_ok:
            with paused_gc():
                self.recorded = store.outputs()
                self.intact = cache_mod.intact_outputs(self.target, self.recorded)
            if (
                self.reading is None
                and last is not None
                and len(self.intact) == len(self.recorded)
                and self.recorded
            ):
                problems = store.last_problems()
                if problems is not None:
                    return _replay(last, problems, self.strict, self.target)
        log.debug("listed %d files, %.3f s", len(self.paths), self._elapsed())
        return None

    def _start_reading(self) -> parallel.Reading:
        return _start_reading(
            self.cfg, self.paths, self.signatures, self.workers, self.store, self.full
        )

    # --- 2. read and tag --------------------------------------------------------------------

    def read_and_tag(self) -> None:
        """Every article, read and tagged (or taken from the cache)."""
        if self.reading is None:
            self.reading = self._start_reading()
        self.tagged = parallel.read_tagged(
            self.cfg,
            self.paths,
            self.signatures,
            jobs=self.workers,
            cache=self.store,
            fingerprint=self.reading.fingerprint,
            warnings=self.warnings,
            progress=self.progress,
            reading=self.reading,
        )
        self.digests = self.tagged.digests
        log.debug(
            "read %d of %d articles, %.3f s", self.tagged.read, len(self.paths), self._elapsed()
        )

    def stop_reading(self) -> None:
        """Stop the reading workers (they may still run when a step failed)."""
        if self.reading is not None:
            self.reading.close()

    # --- 3. the site model ------------------------------------------------------------------

    def make_model(self, now: datetime | None = None) -> None:
        """The site model, the warnings about it, and the report so far (a ``strict`` build
        with warnings fails here, before anything is rendered). ``now``: the time articles
        are "in the future" after (default :func:`build_time`)."""
        # Imported here: see the top of the module.
        from feedtool.site_model import build_site_model

        cfg, store = self.cfg, self.store
        assert self.reading is not None
        fingerprint, known_terms = self.reading.fingerprint, self.reading.terms
        if known_terms is None:
            taggers = taggers_for(cfg, parallel.snapshot_folder(store))
            if store is not None:
                store.save_terms(fingerprint, taggers.terms())
        else:
            # The model only needs the terms (they depend on the config and the code, not on
            # the articles), kept from an earlier build: this process need not load the taggers.
            taggers = cache_mod.terms_only(known_terms)
        articles = self.tagged.articles
        warnings = self.warnings
        self.future_at = len(warnings)
        self.now = now or build_time()
        warnings.extend(future_warnings(articles, self.now))
        self.model = build_site_model(articles, cfg, taggers)
        if self.model.untagged:
            warnings.append(_untagged_warning(cfg, self.model.untagged))
        report = self.report
        report.read = self.tagged.read
        report.warnings = warnings
        report.skipped = self.tagged.skipped
        report.untagged = self.model.untagged
        report.articles = len(self.model.articles)
        if self.strict and (warnings or self.tagged.skipped):
            raise _strict_failure(self.tagged.skipped, warnings)
        _log_problems(self.tagged.skipped, warnings)

    # --- 4. render and write ----------------------------------------------------------------

    def render_and_write(self, discard: bool) -> None:
        """Render every page and feed that changed, and write (or check, or drop) them."""
        cfg, store, report = self.cfg, self.store, self.report
        # A first write (no output folder yet) lets the render workers write the files
        # they render into its stage folder; a check writes nothing, and the search index
        # needs every page's bytes here.
        first_write: AbstractContextManager[Path | None] = (
            fresh_stage(self.target)
            if not self.check and not cfg.pages.search
            else nullcontext(None)
        )
        with first_write as stage, self.rendered(stage) as rendered:
            if cfg.pages.search and not discard:
                outputs: Iterator[tuple[str, bytes | None]] = with_search_index(
                    _full(rendered), enabled=True, language=cfg.site.language
                )
            else:
                outputs = rendered
            if discard:
                for _ in outputs:
                    pass
            elif self.check:
                report.write = check_outputs(outputs, self.target)
            else:
                # What the last write left: the writer need not list the folder while it holds.
                tree = None
                if store is not None and self.recorded_dir_ok:
                    tree = OutputTree.loads(store.meta("output_tree"))
                report.write = write_outputs(outputs, self.target, tree, stage, self.workers)
        log.debug(
            "rendered %d, written %d, %.3f s",
            report.rendered,
            report.write.written,
            self._elapsed(),
        )

    @contextmanager
    def rendered(self, stage: Path | None) -> Iterator[Iterator[tuple[str, bytes | None]]]:
        """Every output in order, rendered (None: unchanged since the last build, keep
        the file); render workers write theirs into ``stage`` when it is given."""
        # Imported here: see the top of the module.
        from feedtool.render.pool import RenderPool
        from feedtool.site_model import Related

        cfg, store, model = self.cfg, self.store, self.model
        env = self.env if self.env is not None else self._template_env()
        # Keep nothing when Pagefind must index every page, or without a cache.
        self.reuse = self.intact if store is not None and not cfg.pages.search else {}
        self.keys = cache_mod.RenderKeys(
            cfg, env, self.digests, templates=self.templates, model=model
        )
        if store is not None:
            self.keys.load_names(store.meta("template_names"))
            store.settle()  # the related lists and the pages may be made in forked processes
        self.kept_related = kept = _kept_related(model, store)
        renderer = cache_mod.keyed_renderer(
            model,
            cfg,
            env,
            self.keys,
            self.reuse,
            # Made with the outputs when not kept: the render workers may make them.
            kept.related if kept.related is not None else Related({}, {}),
        )
        self.renderer = renderer
        self.new_keys = renderer.new_keys
        log.debug("model and renderer ready, %.3f s", self._elapsed())
        # The model is complete: the collector need not scan it again, and forked workers
        # share it without the collector writing to its objects.
        with (
            frozen_heap(),
            RenderPool(
                model, cfg, renderer.archive, _task_renderer(renderer, cfg), self.workers, stage
            ) as pool,
        ):
            renderer.deferred = pool.parallel
            yield pool.run(self._outputs(renderer, pool))

    def _template_env(self) -> jinja2.Environment:
        """The templates' environment, every template compiled (their syntax errors raised)."""
        # Imported here: see the top of the module.
        from feedtool.render import make_env

        cfg, store = self.cfg, self.store
        bytecode = cache_mod.cache_path(cfg).parent / "templates" if store is not None else None
        env = make_env(cfg.templates_dir, cfg.site.language, bytecode)
        compile_templates(env, cfg)
        return env

    def _outputs(
        self, renderer: cache_mod.KeyedRenderer, pool: RenderPool
    ) -> Iterator[tuple[str, bytes | Task | None]]:
        """Every output in order: bytes, None (unchanged: keep the file), or a task for the
        render pool.

        The feeds come first: they need no related articles, so the workers render them
        while this process finishes those (when they were not kept), and the many small
        page tasks come last, where they keep every worker busy to the end."""
        # Imported here: see the top of the module.
        from feedtool.render import feeds as feeds_mod
        from feedtool.render.pages import static_files

        cfg, report, progress = self.cfg, self.report, self.progress
        new_keys, keys, reuse = self.new_keys, self.keys, self.reuse
        making = _RelatedMaking(self.model, pool) if self.kept_related.related is None else None
        # The feed documents' keys first: the pool sizes its tasks by how many to render.
        feeds: list[tuple[FeedDoc, Chosen, bool]] = []
        for doc, chosen in _feed_docs(self.model, cfg):
            feed_key = keys.feed(doc.path, feeds_mod.doc_key(doc, cfg), chosen)
            if feed_key is not None:
                new_keys[doc.path] = feed_key
            feeds.append((doc, chosen, feed_key is None or reuse.get(doc.path) != feed_key))
        pool.expect_feeds(sum(render for _doc, _chosen, render in feeds))
        for doc, chosen, render in feeds:
            report.feeds += 1
            if render:
                report.rendered += 1
                yield doc.path, ("feed", (doc, chosen))
            else:
                yield doc.path, None
        if making is not None:
            renderer.use_related(making.result(self.store, self.kept_related.key))
            log.debug("related articles made, %.3f s", self._elapsed())
        for done, (path, data) in enumerate(renderer.pages(), start=1):
            if path.endswith(".html"):
                report.pages += 1
            if progress is not None and done % 64 == 0:
                progress("render", done, 0)
            if path in renderer.kept:
                yield path, None
            else:
                report.rendered += 1
                yield path, data
        for path, data in static_files(cfg.templates_dir):
            # Recorded too, so a build that finds nothing changed still sees it deleted.
            new_keys[path] = cache_mod.blob_digest(data)
            yield path, data

    # --- 5. remember what was built --------------------------------------------------------

    def remember(self) -> None:
        """Keep the outputs' keys and the build's state in the cache (not for a check)."""
        store, report = self.store, self.report
        if store is None or self.check:
            return
        written = set(report.write.added) | set(report.write.changed)
        untouched = {rel for rel in self.intact if rel not in written}
        self.new_keys[MANIFEST] = "manifest"  # without it the next build would refuse the folder
        stats = cache_mod.stat_outputs(
            self.target, self.new_keys, self.recorded, untouched - {MANIFEST}, report.write.stats
        )
        future = [a for a in self.tagged.articles if a.published > self.now]
        last = cache_mod.LastBuild(
            self.key,
            report.articles,
            report.pages,
            report.feeds,
            report.untagged,
            report.write.unchanged + report.write.written,
            self.future_at,
        )
        warnings = self.warnings
        kept_warnings = warnings[: self.future_at] + warnings[self.future_at + len(future) :]
        store.save_build(
            stats,
            self.recorded if self.recorded_dir_ok else None,
            last,
            (kept_warnings, future, self.tagged.skipped),
            {
                "outputs_dir": str(self.target),
                "template_names": self.keys.saved_names(),
                "output_tree": report.write.tree.dumps() if report.write.tree else "",
            },
        )


def _feed_docs(model: SiteModel, cfg: Config) -> list[tuple[FeedDoc, Chosen]]:
    """Every document of every feed (:func:`~feedtool.render.feeds.feed_docs`) with the
    articles it lists, in the order they are rendered: by their oldest article, newest
    first, so that documents listing the same articles come one after another and a
    render worker makes each article's entry once for them (:class:`~feedtool.render.pool.
    KeptEntries`). The formats of one document stay together."""
    # Imported here: see the top of the module.
    from feedtool.render import feeds as feeds_mod
    from feedtool.render.urls import all_feeds

    docs: list[tuple[FeedDoc, Chosen]] = []
    for info in all_feeds(model, cfg):
        listed = info.term.articles if info.term is not None else model.articles
        for doc in feeds_mod.feed_docs(info, listed, cfg):
            docs.append((doc, feeds_mod.doc_articles(doc, listed, cfg)))
    # Stable, reversed too: equal keys (the formats of one document) keep their order.
    docs.sort(key=_oldest_listed, reverse=True)
    return docs


def _oldest_listed(doc: tuple[FeedDoc, Chosen]) -> float:
    listed = doc[1]
    return listed[-1].published.timestamp() if listed else float("-inf")


def _task_renderer(renderer: cache_mod.KeyedRenderer, cfg: Config) -> Callable[[Task], bytes]:
    """What a render pool's worker (or this process) does with one task of
    :meth:`_Build._outputs`."""
    # Imported here: see the top of the module.
    from feedtool.render import feeds as feeds_mod
    from feedtool.render.pool import KeptEntries

    entries = KeptEntries(cfg)

    def render_task(task: Task) -> bytes:
        kind, args = task
        if kind == "feed":
            doc, chosen = args
            return feeds_mod.render_doc(doc, chosen, cfg, entries)
        if kind == "article":
            article, older, newer, related = args
            context = renderer.article_context(article, older, newer, related)
            return renderer.render_page("article.html", f"{article.url_path}index.html", context)
        template, path, context = args
        return renderer.render_page(template, path, context)

    return render_task


def _start_reading(
    cfg: Config,
    paths: list[str],
    signatures: list[tuple[str, str]],
    jobs: int,
    store: cache_mod.BuildCache | None,
    full: bool = False,
) -> parallel.Reading:
    """Start reading the files that the cache does not hold (see :func:`parallel.read_tagged`)."""

    fingerprint = cache_mod.read_fingerprint(cfg)
    known_terms = store.terms(fingerprint) if store is not None else None
    if known_terms is None:
        # Settings problems are config errors, raised before any work.
        taggers_for(cfg, parallel.snapshot_folder(store))
    return parallel.start_reading(
        cfg,
        paths,
        signatures,
        jobs=jobs,
        cache=store,
        fingerprint=fingerprint,
        terms=known_terms,
        full=full,
    )


@dataclass(frozen=True)
class _KeptRelated:
    """What the cache holds of the related lists for the site being built."""

    #: The last build's related lists, when the site's structure is the same (else None).
    related: Related | None
    #: What they are kept under (None: not worked out yet; the cache holds none).
    key: str | None


def _related_key(model: SiteModel) -> str:
    # Imported here: see the top of the module.
    from feedtool.site_model import related_inputs

    code = cache_mod.code_digest()
    return hashlib.sha256(f"{code}|{related_inputs(model)}".encode()).hexdigest()


def _kept_related(model: SiteModel, store: cache_mod.BuildCache | None) -> _KeptRelated:
    """Related articles and terms from the cache, when the site's structure is unchanged."""
    # Imported here: see the top of the module.
    from feedtool.site_model import Related

    if store is None or not store.has_related():
        return _KeptRelated(None, None)  # a first build need not work out the key first
    key = _related_key(model)
    packed = store.related(key)
    if packed is not None:
        try:
            return _KeptRelated(Related.unpack(model, packed), key)
        except Exception:  # a damaged entry: compute them again
            log.debug("related lists in the cache are damaged; computing them again")
    return _KeptRelated(None, key)


class _RelatedMaking:
    """Related articles being made in the render workers when there are some (else, made
    here when asked for), while this process goes on."""

    def __init__(self, model: SiteModel, pool: RenderPool) -> None:
        # Imported here: see the top of the module.
        from feedtool.site_model import related_part

        self.model = model
        count = len(model.articles)
        # Two for each worker, so that one can make up for a slower one.
        parts = 2 * pool.jobs if pool.parallel else 1
        self.ranges = list(itertools.pairwise([count * i // parts for i in range(parts + 1)]))
        self.started = [pool.call(related_part, (model, a, b)) for a, b in self.ranges]

    def result(self, store: cache_mod.BuildCache | None, key: str | None) -> Related:
        """The related articles and terms (the terms are made here, meanwhile), kept in the
        cache under ``key`` (worked out here when None)."""
        # Imported here: see the top of the module.
        from feedtool.site_model import Related, related_part, related_terms

        model = self.model
        terms = related_terms(model)
        if store is not None and key is None:
            key = _related_key(model)
        numbers = [
            future.result() if future is not None else related_part(model, a, b)
            for future, (a, b) in zip(self.started, self.ranges, strict=True)
        ]
        related = Related.of_parts(model, numbers, terms)
        if store is not None and key is not None:
            store.save_related(key, related.pack(model))
        return related


def _full(outputs: Iterator[tuple[str, bytes | None]]) -> Iterator[tuple[str, bytes]]:
    for path, data in outputs:
        assert data is not None
        yield path, data


def _untagged_warning(cfg: Config, untagged: tuple[str, ...]) -> Problem:
    n = len(untagged)
    return problem(
        cfg.paths.content,
        "topics",
        f"{n} article(s) matched no topic: " + ", ".join(untagged[:3]) + (" …" if n > 3 else ""),
        hint="add `topics:` by hand, or extend the topic rules in config.yaml",
        severity="warning",
    )


def check_project(cfg: Config, *, strict: bool = False, jobs: int | None = None) -> BuildReport:
    """Validate config, every article and every template, writing nothing.

    The same code path as :func:`build` (without its cache): articles with errors are
    skipped and reported, warnings are logged, and ``strict`` fails exactly when
    ``build(strict=True)`` would. The whole site is rendered in memory and discarded,
    so template errors that only show with real data are found too.
    """
    started = time.perf_counter()
    with frozen_heap():
        report = _build(
            cfg,
            cfg.output_dir,
            True,
            strict,
            jobs or parallel.default_jobs(),
            None,
            None,
            discard=True,
        )
    report.out_dir = None
    report.seconds = time.perf_counter() - started
    return report


def compile_templates(env: jinja2.Environment, cfg: Config) -> None:
    """Compile every template (built-in and project), reporting all syntax errors together."""
    # Imported here: see the top of the module.
    import jinja2

    from feedtool.render.env import template_problem

    problems: list[Problem] = []
    for name in sorted(set(env.list_templates())):
        if name.startswith("default/"):
            continue
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.extend(template_problem(exc, cfg.templates_dir).problems)
    if problems:
        raise TemplateError(problems)
