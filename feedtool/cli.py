"""The ``feedtool`` command line: a thin shell over the library API.

Exit codes: 0 success; 1 a problem in the input, config or templates (also
warnings under ``--strict``); 2 usage error. Logs and errors go to stderr; only
requested data (``feedtool tag``) goes to stdout.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.console import Console

import feedtool
from feedtool import build as build_mod
from feedtool import log, memory
from feedtool.config import (
    DEFAULT_TAXONOMIES,
    Config,
    FollowConfig,
    find_config,
    load_config,
    with_overrides,
)
from feedtool.errors import FeedtoolError, display_path
from feedtool.model import Article
from feedtool.tagging.base import Evidence
from feedtool.taxonomy import FIELD_SOURCES, TAGGER_SOURCES

EPILOG = "Exit codes: 0 ok, 1 problem in input/config/templates, 2 usage error."

app = typer.Typer(
    name="feedtool",
    help="Publish tagged news feeds: articles in; a static site and Atom feeds per topic "
    "and region out.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

#: ``run``: the process ends once the command returns (the ``feedtool`` command, not a test
#: invoking :data:`app`).
_state: dict[str, Any] = {"verbose": 0, "quiet": False, "console": None, "run": False}


def _console() -> Console:
    console = _state["console"]
    if console is None:
        console = log.setup()
        _state["console"] = console
    return console  # type: ignore[no-any-return]


def _version(value: bool) -> None:
    if value:
        where = Path(feedtool.__file__).parent
        typer.echo(
            f"feedtool, version {feedtool.__version__} from {where} "
            f"(Python {sys.version.split()[0]})"
        )
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More detail; -vv for debug.")
    ] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Errors only.")] = False,
    color: Annotated[
        bool | None, typer.Option("--color/--no-color", help="Force colour on or off.")
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Publish tagged news feeds: articles in; a static site and Atom feeds out."""
    _state["verbose"] = verbose
    _state["quiet"] = quiet
    _state["console"] = log.setup(verbosity=verbose, quiet=quiet, color=color)


def _fail(error: FeedtoolError) -> typer.Exit:
    log.report_error(_console(), error)
    n = len(error.problems)
    if n > 1:
        _console().print(f"{n} problems found.", markup=False)
    return typer.Exit(error.exit_code)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill`` (SIGTERM) stops the command like Ctrl-C: the interrupt unwinds the build,
    so its worker processes are shut down and its staged files removed."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def guarded(func: Callable[..., None]) -> Callable[..., None]:
    """Report feedtool errors and exit 1; a bug prints a short notice (-v: traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except FeedtoolError as exc:
            raise _fail(exc) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if _state["verbose"] >= 1:
                raise
            _console().print(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "  hint: this is a bug in feedtool; run again with -v for the traceback "
                "and report it",
                markup=False,
            )
            raise typer.Exit(1) from None

    return wrapper


def _load(config: Path | None) -> Config:
    return load_config(find_config(config))


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        envvar="FEEDTOOL_CONFIG",
        help="Config file to use.",
        show_default="config.yaml here or in a folder above",
    ),
]


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on stderr while articles are read, only on a terminal and without -q."""
    console = _console()
    if _state["quiet"] or not console.is_terminal:
        yield None
        return
    # Imported here: rich.progress takes 5 ms to import (python -X importtime), which
    # `feedtool --help`, -q and a build that is not on a terminal never need.
    from rich.progress import Progress

    with Progress(console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                label = "Reading and tagging" if stage == "read" else "Rendering"
                tasks[stage] = bar.add_task(label, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield update


@app.command(epilog=EPILOG)
@guarded
def build(
    config: ConfigOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: paths.output).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 listing files that would change.")
    ] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar="FEEDTOOL_BASE_URL",
            help="Override site.base_url (e.g. from the hosting's settings in CI).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes reading and tagging articles.",
            show_default="every core",
        ),
    ] = None,
    use_cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Reuse what did not change since the last build (.feedtool-cache/).",
        ),
    ] = True,
) -> None:
    """Build the site and its feeds from the content folder.

    Only what changed since the last build is read, tagged and rendered again; the
    result is the same as a build from scratch (--no-cache). With -v (feedtool -v
    build), every file added, changed or removed is listed.

    Example: feedtool build --config config.yaml --out site/ --jobs 4
    """
    if _state["run"]:
        memory.keep_until_exit()  # the process ends after this build: see run()
    try:
        cfg = with_overrides(_load(config), base_url=base_url)
        with _sigterm_as_interrupt(), _progress() as progress:
            report = build_mod.build(
                cfg,
                out_dir=out,
                check=check,
                strict=strict,
                jobs=jobs,
                cache=use_cache,
                progress=progress,
            )
    except FeedtoolError as exc:
        raise _fail(exc) from None
    console = _console()
    if check:
        diffs = report.write.differences
        if diffs:
            for path in diffs:
                console.print(f"would change: {path}", markup=False)
            console.print(f"{len(diffs)} file(s) out of date; run `feedtool build`.", markup=False)
            raise typer.Exit(1)
        console.print(
            f"Site is up to date ({report.write.unchanged} files){report.skipped_note()}.",
            markup=False,
        )
        return
    if not _state["quiet"]:
        if _state["verbose"] >= 1:
            for kind, paths in (
                ("added", report.write.added),
                ("changed", report.write.changed),
                ("removed", report.write.removed),
            ):
                for path in sorted(paths):
                    console.print(f"{kind}: {path}", markup=False)
        console.print(report.summary(), markup=False)


@app.command(epilog=EPILOG)
@guarded
def check(
    config: ConfigOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Validate the config, every article and the templates; write nothing.

    Fast enough for a pre-commit hook. Exit 1 on any problem.

    Example: feedtool check --strict
    """
    try:
        # The build's own code path: the same warnings, skipped articles and --strict rule.
        report = build_mod.check_project(_load(config), strict=strict)
    except FeedtoolError as exc:
        raise _fail(exc) from None
    if not _state["quiet"]:
        skipped = report.skipped_files
        _console().print(
            f"Checked {report.articles} article(s), {report.pages} pages, {report.feeds} feeds: "
            f"{len(report.warnings)} warning(s)"
            + (f", {skipped} article(s) skipped (errors above)." if skipped else "."),
            markup=False,
        )


class Format(StrEnum):
    """Output formats of ``feedtool tag``."""

    json = "json"
    yaml = "yaml"
    table = "table"


def _evidence(items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [
        {
            "text": e.text,
            "section": e.section,
            "start": e.start,
            "end": e.end,
            "weight": round(e.weight, 3),
            "rule": e.rule,
        }
        for e in items
    ]


def article_record(
    article: Article, explain: bool = False, cfg: Config | None = None
) -> dict[str, Any]:
    """The stable ``feedtool tag`` record of one article.

    Besides ``regions`` and ``topics`` (the taggers' tags, with scores), any other
    tagger's tags are a list under its name, and every enabled taxonomy whose terms come
    from a metadata field (``sources``, ``authors`` by default) is a list of the names the
    article gives it.
    """
    regions = []
    for r in article.regions:
        item: dict[str, Any] = {
            "id": r.id,
            "name": r.name,
            "type": r.type,
            "primary": r.primary,
            "score": round(r.score, 3),
            "listed": r.listed,
        }
        if explain:
            item["evidence"] = _evidence(r.evidence)
        regions.append(item)
    topics = []
    for t in article.topics:
        item = {"id": t.id, "label": t.label, "score": round(t.score, 3), "leaf": t.leaf}
        if explain:
            item["evidence"] = _evidence(t.evidence)
        topics.append(item)
    return (
        {
            "path": article.path,
            "title": article.title,
            "title_derived": article.title_derived,
            "dateline": article.dateline,
            "published": article.published.isoformat() if article.has_own_date else None,
            "source": article.source,
            "license": {"url": article.license.url, "name": article.license.name}
            if article.license
            else None,
            "id": article.entry_id,
            "slug": article.slug,
            "regions": regions,
            "topics": topics,
        }
        | _other_taggers(article, explain)
        | _field_terms(article, cfg)
    )


def _other_taggers(article: Article, explain: bool) -> dict[str, list[dict[str, Any]]]:
    """The tags of every tagger but the built-in two, by tagger name: each tag's term
    reference, with its label, score and evidence when the tag has them."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in TAGGER_SOURCES:
        if name in ("regions", "topics"):
            continue
        records = []
        for tag in article.tagged(name):
            term, main, listed = tag.ref
            item: dict[str, Any] = {"id": term, "main": main, "listed": listed}
            for key in ("label", "score"):
                value = getattr(tag, key, None)
                if value is not None:
                    item[key] = round(value, 3) if isinstance(value, float) else value
            if explain and getattr(tag, "evidence", None) is not None:
                item["evidence"] = _evidence(tag.evidence)
            records.append(item)
        out[name] = records
    return out


def _field_terms(article: Article, cfg: Config | None) -> dict[str, list[str]]:
    specs = cfg.enabled_taxonomies if cfg is not None else DEFAULT_TAXONOMIES
    out: dict[str, list[str]] = {}
    for name, spec in specs.items():
        if spec.field is not None and spec.enabled:
            value = getattr(article, spec.field)
            out[name] = FIELD_SOURCES[spec.field](value) if value else []
    return out


@app.command(epilog=EPILOG)
@guarded
def tag(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders.", exists=True)],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show the evidence that chose each tag.")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Print each article's metadata, topics and regions (files in order, folders by name).

    Example: feedtool tag --format json seeds/
    """
    # Imported here: the readers take 38 ms to import (python -X importtime), which
    # every other command starts without.
    from feedtool.api import tag_paths

    try:
        cfg = _load(config) if config or _has_config() else None
        articles, warnings = tag_paths(paths, cfg)
    except FeedtoolError as exc:
        raise _fail(exc) from None
    for w in warnings:
        log.print_problem(_console(), w)
    records = [article_record(a, explain, cfg) for a in articles]
    if fmt is Format.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt is Format.yaml:
        typer.echo(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), nl=False)
    else:
        _print_table(records, explain)


def _has_config() -> bool:
    try:
        find_config(None)
    except FeedtoolError:
        return False
    return True


def _print_table(records: list[dict[str, Any]], explain: bool) -> None:
    # Imported here: 3 ms (python -X importtime) that only `tag --format table` needs.
    from rich.table import Table

    out = Console(soft_wrap=False)
    table = Table("article", "regions", "topics", show_lines=True)
    for r in records:
        regions = "\n".join(
            f"{x['id']} {x['name']}{' *' if x['primary'] else ''} {x['score']}"
            for x in r["regions"]
        )
        topics = "\n".join(f"{x['label']} {x['score']}" for x in r["topics"])
        table.add_row(f"{r['path']}\n{r['title']}", regions, topics)
    out.print(table)
    if explain:
        for r in records:
            out.print(f"\n{r['path']}", markup=False)
            for kind in ("regions", "topics"):
                for x in r[kind]:
                    name = x.get("name") or x.get("label")
                    out.print(f"  {kind[:-1]} {x['id']} {name}: score {x['score']}", markup=False)
                    for e in x.get("evidence", []):
                        out.print(
                            f"    {e['section']}[{e['start']}:{e['end']}] {e['text']!r} "
                            f"{e['rule']} {e['weight']:+}",
                            markup=False,
                        )


@app.command(epilog=EPILOG)
@guarded
def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder of the new project; made if missing.")
    ] = Path(),
) -> None:
    """Create a new project that builds at once; never overwrites a file.

    Writes config.yaml (with comments), seeds/ with an example article, templates/ with a
    note on overriding, a .gitignore and a GitHub Pages workflow.

    Example: feedtool init my-news && cd my-news && feedtool build
    """
    # Imported here: with the slug helper it takes 1 ms to import (python -X importtime),
    # which every other command starts without.
    from feedtool.init import init_project

    report = init_project(directory)
    if not _state["quiet"]:
        console = _console()
        for name in report.files:
            console.print(f"created {(directory / name).as_posix()}", markup=False)
        go = "" if directory == Path() else f"cd {directory.as_posix()} && "
        console.print(f"Next: {go}feedtool serve", markup=False)


class ImportFormat(StrEnum):
    """Output formats of ``feedtool import``."""

    text = "text"
    json = "json"


@app.command("import", epilog=EPILOG)
@guarded
def import_(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="RSS or Atom feeds, or OPML lists of feeds: files or http(s) URLs "
            "(default: the feeds import.follow in config.yaml names).",
            metavar="[SOURCE]...",
            show_default=False,
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option("--into", help="Folder to write to (default: paths.content)."),
    ] = None,
    allow_unlicensed: Annotated[
        bool,
        typer.Option(
            "--allow-unlicensed", help="Also import items without a recognised open license."
        ),
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=1.0,
            help="Seconds to wait for a feed URL.",
            show_default="import.timeout, 20",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 1 when any source fails, not only when all do."),
    ] = False,
    fmt: Annotated[
        ImportFormat,
        typer.Option("--format", "-f", help="Summary format: text on stderr, or json on stdout."),
    ] = ImportFormat.text,
    config: ConfigOption = None,
) -> None:
    """Import new items from feeds as Markdown articles in the content folder.

    One file per new item (YYYY-MM-DD-slug.md); items already imported are never written
    again and existing files are never changed. With no SOURCE, imports every feed that
    import.follow in config.yaml names. A source that fails is reported and the others
    are still imported; the exit code is 1 only when every source failed (or any did,
    with --strict).

    Example: feedtool import https://example.org/feed.xml feeds.opml
    """
    # Imported here: the importer (feedparser, the readers) takes 67 ms to import
    # (python -X importtime), which every other command starts without.
    from feedtool.importer import MAX_BYTES, STATE_NAME, import_sources, user_agent

    cfg: Config | None = None
    if not sources or into is None or config is not None or _has_config():
        cfg = _load(config)
        target = into if into is not None else cfg.content_dir
        state = cfg.root / STATE_NAME
    else:
        assert into is not None
        target, state = into, into / STATE_NAME
    todo: list[str | FollowConfig] = list(sources or [])
    if not sources:
        assert cfg is not None
        for followed in cfg.import_.feeds:
            url = followed.url.strip()
            if not url.lower().startswith(("http:", "https:")):
                url = display_path(cfg.root / url)
            todo.append(dataclasses.replace(followed, url=url))
        if not todo:
            if fmt is ImportFormat.json:
                typer.echo(json.dumps({"feeds": [], "new": 0, "failed": 0}, indent=2))
            elif not _state["quiet"]:
                _console().print(
                    f"nothing to import: import.follow in {display_path(cfg.path)} names no "
                    "feed (or give feeds as arguments)",
                    markup=False,
                )
            return
    report = import_sources(
        todo,
        target,
        state,
        allow_unlicensed=allow_unlicensed,
        timeout=timeout if timeout is not None else cfg.import_.timeout if cfg else 20.0,
        max_bytes=cfg.import_.max_size * 1024 * 1024 if cfg else MAX_BYTES,
        agent=user_agent(cfg.base_url if cfg else ""),
    )
    fatal = bool(report.errors) and (strict or report.all_failed)
    console = _console()
    if not _state["quiet"]:
        for found in (*report.warnings, *report.skipped):
            log.print_problem(console, found)
        if not fatal:
            for found in report.errors:
                log.print_problem(console, found)
        if fmt is ImportFormat.text:
            for path in report.written:
                console.print(f"imported {display_path(path)}", markup=False)
            for feed in report.feeds:
                console.print(feed.summary(), markup=False)
    if fmt is ImportFormat.json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    if fatal:
        raise FeedtoolError(report.errors)


@app.command(epilog=EPILOG)
@guarded
def serve(
    config: ConfigOption = None,
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on.")
    ] = 8000,
    bind: Annotated[
        str, typer.Option("--bind", "-b", help="Address to listen on (default: loopback only).")
    ] = "127.0.0.1",
) -> None:
    """Serve the site locally, rebuilding and reloading the page on every change.

    Builds into a temporary folder (not the output folder), watches config.yaml, the
    content folder and templates/, and shows a failed build in the browser.

    Example: feedtool serve --port 8080
    """
    # Imported here: the server (watchfiles, http.server) takes 14 ms to import
    # (python -X importtime), which every other command starts without.
    from feedtool.serve import serve as serve_site

    path = find_config(config)
    load_config(path)  # a broken config stops here, with its problems listed
    console = _console()
    try:
        with _sigterm_as_interrupt():
            serve_site(
                path,
                host=bind,
                port=port,
                say=lambda line: None if _state["quiet"] else console.print(line, markup=False),
            )
    except KeyboardInterrupt:
        console.print("Stopped.", markup=False)


def run() -> None:
    """The ``feedtool`` command: run :data:`app`, then end the process.

    After a command that succeeded and left no thread or child process running, the
    exit functions (``atexit``) run and the process ends without the interpreter
    freeing its objects one by one: after a large build the taggers' tables alone are
    hundreds of thousands of them (about 0.2 s), and ``build`` keeps its articles and
    site model until then (:func:`feedtool.memory.keep_until_exit`). Any other ending,
    or a run under a profiler or tracer, is the usual exit.

    ``atexit._run_exitfuncs`` is private to CPython. It stays because it is measured:
    rebuilding a 1,000-article benchmark project after one edit took 0.45 s with this
    ending and 0.62 s with the interpreter's own (best two of three each). A test in
    ``tests/test_cli.py`` fails if it stops running the exit functions.
    """
    _state["run"] = True
    try:
        app(prog_name="feedtool")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    mp = sys.modules.get("multiprocessing")
    if (
        code in (0, None)
        and sys.getprofile() is None  # a profiler or coverage writes its data afterwards
        and sys.gettrace() is None
        and threading.active_count() == 1
        and (mp is None or not mp.active_children())
    ):
        atexit._run_exitfuncs()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            sys.exit(0)  # the interpreter reports what it cannot write
        os._exit(0)
    sys.exit(code)  # type: ignore[arg-type]
