"""The build cache: skip reading, tagging and rendering what did not change.

One SQLite file, ``.feedtool-cache/cache.sqlite`` under the project (ignored by
git, safe to delete; Jinja keeps compiled templates beside it in ``templates/``). It
holds:

- **articles**: each file's tagged :class:`~feedtool.model.Article`, pickled, keyed by
  the file's path and content hash (with its sidecar's) under a *read fingerprint*:
  the feedtool code and data (every file of the package, so a tagger or its data
  changing counts), the config keys that reading and tagging use, and the
  working directory (articles carry paths as shown). A file whose size, mtime,
  ctime and inode are unchanged is not even read again; otherwise its bytes are
  hashed, and only a new hash is read and tagged. Beside each article, its *head*
  (what a build reads of every article: path, slug, dates, id, tag ids): a rebuild
  makes each cached article a :class:`~feedtool.lean.LazyArticle` from its head and
  unpickles the rest only for the pages and feeds it renders again.
- **outputs**: for every file of the last site, the hash of everything its
  rendering read (template sources, config, the values in the template's
  context), and its size and mtime after writing. A page whose key is the same
  and whose file is untouched is not rendered again; the writer keeps the file.
- **state**: the key of the whole last build (code, config, templates, every
  input file's signature), so a build with nothing changed ends at once.

A cache that cannot be read (corrupt, truncated, another schema) is deleted and
rebuilt, never trusted. The cache holds pickles: it is trusted like the
project's own files and must not come from elsewhere.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import logging
import os
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from feedtool.article_files import sidecar_paths
from feedtool.config import Config
from feedtool.errors import Problem
from feedtool.lean import LazyArticle
from feedtool.model import ArchivePeriod, Article, SiteModel, Taxonomy, Term
from feedtool.tagging.base import TermInfo
from feedtool.taxonomy import TAGGER_SOURCES

#: Each tagger's terms by id, by tagger name.
TermTables = dict[str, dict[str, TermInfo]]

if TYPE_CHECKING:
    import jinja2

    from feedtool.site_model import Related
    from feedtool.tagging.pipeline import Taggers

log = logging.getLogger("feedtool.cache")

CACHE_DIR = ".feedtool-cache"
CACHE_NAME = "cache.sqlite"
SCHEMA = 3
#: SQLite's page size for a new cache file (an existing one keeps its own). An article's
#: row (some 5 KB) then fits in one page instead of spilling into overflow pages: a first
#: build of 10,000 articles stores them in 0.105 s of CPU instead of 0.18-0.21 s, and
#: rebuilds load them as fast (measured on the benchmark corpus).
PAGE_SIZE = 65536

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rel TEXT PRIMARY KEY, fp TEXT NOT NULL, sig TEXT NOT NULL, hash TEXT NOT NULL,
    blob BLOB NOT NULL, warnings BLOB NOT NULL, digest TEXT NOT NULL, head BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY, key TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL);
"""


def cache_path(cfg: Config) -> Path:
    """Where the project's cache lives."""
    return cfg.root / CACHE_DIR / CACHE_NAME


@lru_cache(maxsize=1)
def code_digest() -> str:
    """sha256 over every file of the installed feedtool package (code, templates, data).

    Stands for "feedtool version" and "tagger data version" at once, and also
    catches an edited checkout whose version number did not change.
    """
    root = Path(str(resources.files("feedtool")))
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(dirpath) / name
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def read_fingerprint(cfg: Config) -> str:
    """What reading and tagging depend on besides the file itself."""
    data = {
        "code": code_digest(),
        "articles": dataclasses.asdict(cfg.articles),
        "summary_length": cfg.feeds.summary_length,
        "id_authority": cfg.id_authority,
        "taggers": {name: dataclasses.asdict(getattr(cfg, name)) for name in TAGGER_SOURCES},
        "content": str(cfg.content_dir),
        "root": str(cfg.root),
        "cwd": str(Path.cwd()),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def file_signature(path: Path | str) -> str:
    """Size, mtime, ctime and inode of ``path`` and of its sidecar's possible paths."""
    text = str(path)
    candidates = [text, *sidecar_paths(text)]
    parts = []
    for p in candidates:
        try:
            st = os.stat(p)  # noqa: PTH116 - a str path, many times: no Path objects
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
    return "|".join(parts)


def tree_digest(folder: Path | None) -> str:
    """Content hash of every file under ``folder`` (the project's templates)."""
    h = hashlib.sha256()
    if folder is None or not folder.is_dir():
        return "none"
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@dataclasses.dataclass(frozen=True)
class LastBuild:
    """What the last build made: a build that finds nothing changed reports it again."""

    #: Everything the build depended on, hashed (see ``build._build_key``).
    key: str
    articles: int
    pages: int
    feeds: int
    untagged: tuple[str, ...]
    #: Files in the output folder.
    files: int
    #: Where the warnings about articles dated in the future go among the others.
    future_at: int

    def dumps(self) -> str:
        """The build as JSON text."""
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def loads(cls, text: str) -> LastBuild | None:
        """What :meth:`dumps` wrote, None when it cannot be read."""
        try:
            data = json.loads(text)
            return cls(
                str(data["key"]),
                int(data["articles"]),
                int(data["pages"]),
                int(data["feeds"]),
                tuple(str(u) for u in data["untagged"]),
                int(data["files"]),
                int(data["future_at"]),
            )
        except (ValueError, KeyError, TypeError):
            return None


#: A build's problems: its warnings but those about future dates, the articles dated in
#: the future (warned about again, later, with the time of that build), and the problems
#: of the articles it left out.
BuildProblems = tuple[list[Problem], list[Article], list[Problem]]


@dataclasses.dataclass
class CachedArticle:
    """One row of the article cache."""

    sig: str
    hash: str
    blob: bytes
    warnings: bytes
    #: :func:`blob_digest` of ``blob``.
    digest: str
    #: :func:`~feedtool.lean.dump_head` of the article.
    head: bytes


def _checkpoint(path: Path) -> None:
    """Copy the write-ahead log of the database at ``path`` into it (see
    :meth:`BuildCache._checkpoint_soon`); problems are left for the next build to meet."""
    with contextlib.suppress(sqlite3.Error, OSError):
        db = sqlite3.connect(path, isolation_level=None)
        try:
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            # The pages copied are still to be written out: writing them now leaves less
            # for the close, which the build waits for.
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        finally:
            db.close()


#: Articles stored by one commit that make it copy the write-ahead log into the database
#: in the background (below this, closing the cache does it in passing).
CHECKPOINT_AFTER = 256


class BuildCache:
    """The SQLite build cache of one project; every method survives a broken file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite3.Connection | None = None
        self._pending: list[tuple[Any, ...]] = []
        self._stored = 0  # articles stored since the last checkpoint began
        self._checkpoint: threading.Thread | None = None
        self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.path.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n", encoding="utf-8")
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file's (see PAGE_SIZE)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # Not after a large commit, in the committing thread: see _checkpoint_soon().
            db.execute("PRAGMA wal_autocheckpoint=0")
            row = db.execute(
                "SELECT value FROM meta WHERE name='schema'"
                if _has_table(db, "meta")
                else "SELECT NULL"
            ).fetchone()
            if row is None or row[0] != str(SCHEMA):
                _drop_all(db)
                db.executescript(_TABLES)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            self.db = db
        except (sqlite3.Error, OSError) as exc:
            self._reset(exc)

    def _reset(self, exc: BaseException) -> None:
        """Delete an unreadable cache and start an empty one."""
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db = None
        if "locked" in str(exc):  # another build holds it: build without, delete nothing
            log.warning("build cache %s is busy (%s); building without it", self.path, exc)
            return
        log.warning("build cache %s unreadable (%s); rebuilding it", self.path, exc)
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(str(self.path) + suffix).unlink()
        try:
            db = sqlite3.connect(self.path, isolation_level=None)
            db.execute(f"PRAGMA page_size={PAGE_SIZE}")
            db.executescript(_TABLES)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            self.db = db
        except (sqlite3.Error, OSError) as exc2:  # pragma: no cover - unwritable project
            log.warning("build cache disabled: %s", exc2)
            self.db = None

    def settle(self) -> None:
        """Wait for a checkpoint under way to end (before this process forks: a child
        must not inherit SQLite's state in the middle of the other thread's work)."""
        if self._checkpoint is not None:
            self._checkpoint.join()
            self._checkpoint = None

    def close(self) -> None:
        """Close the database (once a checkpoint under way has ended)."""
        self.settle()
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        if self.db is None:
            return []
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self._reset(exc)
            return []

    # --- articles -------------------------------------------------------------------

    def signatures(self, fp: str) -> dict[str, tuple[str, str]]:
        """``{rel: (file signature, content hash)}`` of articles cached under ``fp``."""
        rows = self._query("SELECT rel, sig, hash FROM articles WHERE fp=?", (fp,))
        return {r[0]: (r[1], r[2]) for r in rows}

    def iter_articles(self, fp: str) -> Iterator[tuple[str, bytes, bytes, str, bytes]]:
        """``(rel, pickled article, pickled warnings, digest, head)`` rows under ``fp``,
        streamed."""
        if self.db is None:
            return
        try:
            cursor = self.db.execute(
                "SELECT rel, blob, warnings, digest, head FROM articles WHERE fp=?", (fp,)
            )
            for rel, blob, found, digest, head in cursor:
                yield rel, bytes(blob), bytes(found), str(digest), bytes(head)
        except sqlite3.Error as exc:
            self._reset(exc)

    def begin(self) -> None:
        """Start storing articles (one transaction, committed by :meth:`commit`)."""
        self._exec("BEGIN")

    def touch_articles(self, moved: Iterable[tuple[str, str]]) -> None:
        """New signatures for files whose bytes did not change."""
        for rel, sig in moved:
            self._exec("UPDATE articles SET sig=? WHERE rel=?", (sig, rel))

    def put_article(self, fp: str, rel: str, row: CachedArticle) -> None:
        """Store one freshly read and tagged article (written in batches)."""
        self._pending.append(
            (rel, fp, row.sig, row.hash, row.blob, row.warnings, row.digest, row.head)
        )
        self._stored += 1
        if len(self._pending) >= 256:
            self._flush()

    def _flush(self) -> None:
        rows, self._pending = self._pending, []
        if self.db is None or not rows:
            return
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
        except sqlite3.Error as exc:
            self._reset(exc)

    def commit(self, fp: str, keep: set[str]) -> None:
        """Drop rows of files gone or of other fingerprints, and commit."""
        self._flush()
        if self.db is None:
            return
        try:
            stale = [
                (r[0],)
                for r in self.db.execute("SELECT rel, fp FROM articles").fetchall()
                if r[1] != fp or r[0] not in keep
            ]
            self.db.executemany("DELETE FROM articles WHERE rel=?", stale)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._reset(exc)
            return
        if self._stored >= CHECKPOINT_AFTER:
            self._checkpoint_soon()

    def _checkpoint_soon(self) -> None:
        """Copy the write-ahead log into the database in a thread of its own.

        A cold build commits tens of megabytes of articles; SQLite's automatic checkpoint
        would copy them and sync both files in the committing thread while the build
        waits (a tenth of a second at 10,000 articles). A passive checkpoint on a second
        connection blocks neither readers nor writers, and Python's ``sqlite3`` lets
        other threads run while SQLite works, so the build goes on meanwhile (until
        :meth:`settle`). Closing the last connection checkpoints the rest, as SQLite
        always does.
        """
        if self._checkpoint is not None and self._checkpoint.is_alive():
            return
        self._stored = 0
        self._checkpoint = threading.Thread(
            target=_checkpoint, args=(self.path,), name="feedtool-checkpoint"
        )
        self._checkpoint.start()

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> None:
        if self.db is None:
            return
        try:
            self.db.execute(sql, args)
        except sqlite3.Error as exc:
            self._reset(exc)

    def meta(self, name: str) -> str | None:
        """A value of the meta table."""
        rows = self._query("SELECT value FROM meta WHERE name=?", (name,))
        return str(rows[0][0]) if rows else None

    def outputs(self) -> dict[str, tuple[str, int, int]]:
        """``{path: (key, size, mtime_ns)}`` of the last site written."""
        rows = self._query("SELECT path, key, size, mtime FROM outputs")
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def last_build(self) -> LastBuild | None:
        """What the last build made (None: no build yet, or unreadable)."""
        text = self.meta("last_build")
        return LastBuild.loads(text) if text is not None else None

    def last_problems(self) -> BuildProblems | None:
        """The last build's problems (None: none kept, or unreadable)."""
        blob = self.meta("last_warnings")
        if blob is None:
            return None
        try:
            warnings, future, skipped = pickle.loads(bytes.fromhex(blob))
        except Exception:
            return None
        return list(warnings), list(future), list(skipped)

    def save_build(
        self,
        outputs: dict[str, tuple[str, int, int]],
        previous: dict[str, tuple[str, int, int]] | None,
        last: LastBuild,
        problems: BuildProblems,
        meta: dict[str, str],
    ) -> None:
        """Keep what a build wrote (see :meth:`save_outputs`), what it made and its
        problems, and more of its ``meta``."""
        blob = pickle.dumps(problems, protocol=pickle.HIGHEST_PROTOCOL).hex()
        self.save_outputs(
            outputs, previous, {**meta, "last_build": last.dumps(), "last_warnings": blob}
        )

    def save_outputs(
        self,
        outputs: dict[str, tuple[str, int, int]],
        previous: dict[str, tuple[str, int, int]] | None,
        meta: dict[str, str],
    ) -> None:
        """Store the written site's output keys (rows that differ from ``previous``, the
        table's rows; None: replace them all) and the build's ``meta``, after a write."""
        if self.db is None:
            return
        try:
            db = self.db
            db.execute("BEGIN")
            if previous is None:
                db.execute("DELETE FROM outputs")
                previous = {}
            db.executemany(
                "DELETE FROM outputs WHERE path=?", [(p,) for p in previous if p not in outputs]
            )
            db.executemany(
                "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
                [(p, *v) for p, v in outputs.items() if previous.get(p) != v],
            )
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            self._reset(exc)

    def terms(self, fp: str) -> TermTables | None:
        """The taggers' term tables (by tagger) saved under ``fp``, or None."""
        rows = self._query("SELECT value FROM meta WHERE name=?", ("terms:" + fp,))
        if not rows:
            return None
        try:
            tables = pickle.loads(bytes.fromhex(rows[0][0]))
        except Exception:
            return None
        return tables if isinstance(tables, dict) else None

    def save_terms(self, fp: str, tables: TermTables) -> None:
        """Keep the taggers' terms, so a build with nothing to tag need not load the taggers."""
        blob = pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL).hex()
        self._exec("DELETE FROM meta WHERE name LIKE 'terms:%'")
        self._exec("INSERT OR REPLACE INTO meta VALUES (?, ?)", ("terms:" + fp, blob))

    def related(self, key: str) -> bytes | None:
        """The related lists saved under ``key`` (see ``site_model.related_inputs``)."""
        value = self.meta("related:" + key)
        try:
            return bytes.fromhex(value) if value is not None else None
        except ValueError:
            return None

    def has_related(self) -> bool:
        """Whether related lists of some earlier build are kept (see :meth:`related`)."""
        return bool(self._query("SELECT 1 FROM meta WHERE name LIKE 'related:%' LIMIT 1"))

    def save_related(self, key: str, data: bytes) -> None:
        """Keep the related lists of the site just built (only the newest are kept)."""
        self._exec("DELETE FROM meta WHERE name LIKE 'related:%'")
        self._exec("INSERT OR REPLACE INTO meta VALUES (?, ?)", ("related:" + key, data.hex()))


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,))
    return row.fetchone() is not None


def _drop_all(db: sqlite3.Connection) -> None:
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
        db.execute(f'DROP TABLE IF EXISTS "{name}"')


class _TermsOnly:
    """Stands in for the taggers where only their terms are needed (the site model)."""

    def __init__(self, tables: TermTables) -> None:
        self._tables = tables

    def terms(self) -> TermTables:
        """Every tagger's terms, by tagger."""
        return self._tables


def terms_only(tables: TermTables) -> Taggers:
    """A :class:`Taggers` that only knows its terms (for :func:`build_site_model`)."""
    return cast("Taggers", _TermsOnly(tables))


def blob_digest(blob: bytes) -> str:
    """Short digest of bytes (a pickled article, a key's parts)."""
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


#: The pickled empty tuple: what :func:`dump_warnings` stores for most articles.
NO_WARNINGS = pickle.dumps((), protocol=pickle.HIGHEST_PROTOCOL)


def dump_warnings(items: Iterable[Any]) -> bytes:
    """Pickle warnings for the cache."""
    found = tuple(items)
    return pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL) if found else NO_WARNINGS


def load_warnings(blob: bytes) -> tuple[Any, ...]:
    """What :func:`dump_warnings` stored."""
    if blob == NO_WARNINGS:
        return ()
    found: tuple[Any, ...] = pickle.loads(blob)
    return found


# --- render keys ------------------------------------------------------------------------


class Uncacheable(Exception):
    """A value in a template context that the key cannot describe: render the page."""


# Context names every page gets from PageRenderer._render; what they depend on.
_GLOBALS_FROM_CONFIG = {"site", "cfg", "version", "site_feed", "search", "canonical", "page_url"}


class RenderKeys:
    """Keys of rendered outputs: a hash of everything a page's template can read.

    Articles stand for the hash of their pickled bytes (every field). Terms and
    archive periods are described *shallowly* (their fields and how many articles
    they list), because the built-in templates read no more of them than that; a
    project that overrides templates gets *deep* keys (every listed article too).
    A template that reads ``model`` or ``archive`` gets the digest of the whole site.
    """

    def __init__(
        self,
        cfg: Config,
        env: jinja2.Environment,
        article_digests: dict[int, str],
        *,
        templates: str,
        model: SiteModel,
    ) -> None:
        """``templates``: :func:`tree_digest` of the project's templates ("none": built-ins)."""
        self.env = env
        self.deep = templates != "none"
        self.model = model
        self.articles = article_digests
        self._memo: dict[int, tuple[object, str]] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._site: str | None = None
        self.base = hashlib.sha256(
            f"{code_digest()}|{templates}|{cfg.fingerprint}".encode()
        ).hexdigest()
        #: What the template sources are: names found for them stay true while it holds.
        self.sources = hashlib.sha256(f"{code_digest()}|{templates}".encode()).hexdigest()

    def load_names(self, saved: str | None) -> None:
        """Take the names found by an earlier build (:meth:`saved_names`) if the template
        sources are the same (parsing every template takes a tenth of a second)."""
        if saved is None:
            return
        try:
            data = json.loads(saved)
            if data.get("sources") == self.sources:
                for name, used in data["names"].items():
                    self._names[str(name)] = frozenset(str(u) for u in used)
        except (ValueError, TypeError, KeyError, AttributeError):
            self._names.clear()

    def saved_names(self) -> str:
        """The names found so far, for :meth:`load_names` in a later build."""
        names = {name: sorted(used) for name, used in sorted(self._names.items())}
        return json.dumps({"sources": self.sources, "names": names}, sort_keys=True)

    def names(self, template: str) -> frozenset[str]:
        """Context names ``template`` (with what it extends, imports, includes) can read."""
        if template in self._names:
            return self._names[template]
        # Imported here: Jinja2 takes 10 ms to import (python -X importtime), which a
        # build that finds nothing changed never needs.
        import jinja2.meta

        seen: set[str] = set()
        names: set[str] = set()
        todo = [template]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            assert self.env.loader is not None
            source = self.env.loader.get_source(self.env, name)[0]
            ast = self.env.parse(source)
            names |= jinja2.meta.find_undeclared_variables(ast)
            for ref in jinja2.meta.find_referenced_templates(ast):
                if ref is None:
                    names.add("*")  # a dynamic include: anything
                else:
                    todo.append(ref)
        result = frozenset(names)
        self._names[template] = result
        return result

    def page(self, template: str, path: str, context: dict[str, Any]) -> str | None:
        """The key of one page, or None when it cannot be described (always render)."""
        reads = self._reads(template, context)
        if reads is None:
            return None
        names, whole = reads
        parts: list[Any] = [self.base, template, path]
        if whole:
            parts.append(self.site_digest())
        for name in names:
            parts.append(name)
            value = context[name]
            if type(value) in (list, tuple, dict) and len(value) > 1:
                # Lists shared by the pages of one term are digested once.
                digest = self._memoised(value, self._shared)
                if not digest:
                    return None
                parts.append(("#", digest))
            else:
                parts.append(value)
        return self._digest(parts)

    def _reads(self, template: str, context: dict[str, Any]) -> tuple[list[str], bool] | None:
        """The names of ``context`` that ``template`` can read (sorted), and whether it reads
        the whole site (``model`` or ``archive``); None when its source cannot be parsed."""
        import jinja2  # imported here: as in names()

        try:
            used = self.names(template)
        except jinja2.TemplateError:
            return None
        every = "*" in used
        names = [name for name in sorted(context) if every or name in used]
        return names, every or "model" in used or "archive" in used

    def _shared(self, value: object) -> str:
        return self._digest(value) or ""

    def article_page(
        self,
        article: Article,
        older: Article | None,
        newer: Article | None,
        related: tuple[Article, ...],
        terms: list[Term],
    ) -> str:
        """The quick key of an article page (built-in templates): what the page shows."""
        known = self.articles  # every article read has its digest here: lookups, mostly
        try:
            parts = [
                "q",
                self.base,
                known[id(article)],
                known[id(older)] if older is not None else "-",
                known[id(newer)] if newer is not None else "-",
                *[known[id(a)] for a in related],
                "|",
            ]
        except KeyError:
            digest = self._article
            parts = [
                "q",
                self.base,
                digest(article),
                digest(older) if older is not None else "-",
                digest(newer) if newer is not None else "-",
                *[digest(a) for a in related],
                "|",
            ]
        memo = self._memo
        for t in terms:
            hit = memo.get(id(t))
            parts.append(
                hit[1] if hit is not None and hit[0] is t else self._memoised(t, self._term)
            )
        return "q" + blob_digest("\0".join(parts).encode())

    def _digests(self, articles: Iterable[Article]) -> list[str]:
        """The digests of ``articles`` (known for every article read: a dict lookup each)."""
        known = self.articles
        try:
            return [known[id(a)] for a in articles]
        except KeyError:
            return [self._article(a) for a in articles]

    def list_key(
        self,
        template: str,
        base: str,
        articles: tuple[Article, ...],
        title: str,
        context: dict[str, Any],
    ) -> str | None:
        """What every page of one paginated list shares: a page's key adds its number and
        the digests of the articles it shows (see :meth:`list_page`).

        Covers the list's length and title and the context ``template`` can read; None
        when that cannot be described.
        """
        reads = self._reads(template, context)
        if reads is None:
            return None
        names, whole = reads
        parts = ["list", self.base, template, base, title, str(len(articles))]
        if whole:
            parts.append(self.site_digest())
        for name in names:
            digest = self._digest([name, context[name]])
            if digest is None:
                return None
            parts.append(digest)
        return blob_digest("\0".join(parts).encode())

    def list_page(self, common: str, n: int, count: int, shown: tuple[Article, ...]) -> str:
        """The key of page ``n`` of ``count`` of a list (``common`` from :meth:`list_key`)."""
        parts = [common, str(n), str(count), *self._digests(shown)]
        return "l" + blob_digest("\0".join(parts).encode())

    def feed(self, path: str, info: Any, articles: tuple[Article, ...]) -> str | None:
        """The key of one feed: its description and the articles it lists."""
        return self._digest([self.base, "feed", path, info, articles])

    def _digest(self, value: Any) -> str | None:
        """blake2b of ``value`` pickled with articles, terms and config replaced by digests."""
        buffer = io.BytesIO()
        pickler = _KeyPickler(buffer, self)
        try:
            pickler.dump(value)
        except (Uncacheable, pickle.PicklingError, TypeError, AttributeError):
            return None
        return blob_digest(buffer.getvalue())

    def site_digest(self) -> str:
        """Digest of every article and term of the site."""
        if self._site is None:
            parts = [self._article(a) for a in self.model.articles]
            for taxonomy in self.model.taxonomies:
                for term in taxonomy.terms:
                    parts.append(self._deep_term(term))
            self._site = hashlib.sha256("\0".join(parts).encode()).hexdigest()
        return self._site

    def _article(self, a: Article) -> str:
        digest = self.articles.get(id(a))
        if digest is None:
            digest = blob_digest(pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL))
            self.articles[id(a)] = digest
        return digest

    def _deep_term(self, term: Term) -> str:
        parts = [repr((term.taxonomy, term.slug, term.info, term.feed))]
        parts.extend(self._article(a) for a in term.articles)
        return blob_digest("\0".join(parts).encode())

    def _memoised(self, obj: object, make: Any) -> str:
        hit = self._memo.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        value: str = make(obj)
        self._memo[id(obj)] = (obj, value)
        return value

    def _term(self, term: Term) -> str:
        if self.deep:
            return self._deep_term(term)
        return repr((term.taxonomy, term.slug, term.info, term.feed, len(term.articles)))

    def _period(self, period: ArchivePeriod) -> str:
        parts = [period.key, period.label, str(len(period.articles))]
        if self.deep:
            parts.extend(self._article(a) for a in period.articles)
        parts.extend(self._period(m) for m in period.months)
        return "(" + ",".join(parts) + ")"

    def _taxonomy(self, taxonomy: Taxonomy) -> str:
        terms = ",".join(self._memoised(t, self._term) for t in taxonomy.terms)
        return repr((taxonomy.name, taxonomy.label, taxonomy.feed)) + "[" + terms + "]"

    def reduce(self, v: Any) -> Any:
        """How :class:`_KeyPickler` writes ``v``: a digest for the site's own objects."""
        t = type(v)
        if t is Article or t is LazyArticle:
            return str, ("A" + self._article(v),)
        if t is Term:
            return str, ("T" + self._memoised(v, self._term),)
        if t is Taxonomy:
            return str, ("X" + self._memoised(v, self._taxonomy),)
        if t is ArchivePeriod:
            return str, ("P" + self._memoised(v, self._period),)
        if t is Config:
            return str, ("C" + v.fingerprint,)
        if t is SiteModel:
            return str, ("M" + self.site_digest(),)
        if t is set or t is frozenset:
            raise Uncacheable("set")  # no stable order
        return NotImplemented


class _KeyPickler(pickle.Pickler):
    """A pickler for keys: deterministic, and shallow for the site's big objects."""

    def __init__(self, buffer: io.BytesIO, keys: RenderKeys) -> None:
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.keys = keys
        # No memo: the bytes must not depend on which values happen to be shared.
        self.fast = True

    def reducer_override(self, obj: Any) -> Any:
        return self.keys.reduce(obj)


def stat_outputs(
    out_dir: Path,
    keys: dict[str, str],
    recorded: dict[str, tuple[str, int, int]],
    keep: set[str],
    written: dict[str, tuple[int, int]] | None = None,
) -> dict[str, tuple[str, int, int]]:
    """``{path: (key, size, mtime_ns)}`` of the site just written.

    Paths in ``keep`` were not touched, so their recorded size and mtime still hold;
    ``written``: ``(size, mtime_ns)`` of files as the write made them (not stat again).
    """
    out: dict[str, tuple[str, int, int]] = {}
    base = str(out_dir) + "/"
    made = written or {}
    for rel, key in keys.items():
        old = recorded.get(rel)
        if rel in keep and old is not None:
            out[rel] = (key, old[1], old[2])
            continue
        stat = made.get(rel)
        if stat is not None:
            out[rel] = (key, *stat)
            continue
        try:
            st = os.stat(base + rel)  # noqa: PTH116 - a str path, many times: no Path objects
        except OSError:
            continue
        out[rel] = (key, st.st_size, st.st_mtime_ns)
    return out


def intact_outputs(out_dir: Path, recorded: dict[str, tuple[str, int, int]]) -> dict[str, str]:
    """``{path: key}`` of recorded outputs whose file is still as feedtool wrote it."""
    out: dict[str, str] = {}
    base = str(out_dir) + "/"
    for rel, (key, size, mtime) in recorded.items():
        try:
            st = os.stat(base + rel)  # noqa: PTH116 - a str path, many times: no Path objects
        except OSError:
            continue
        if st.st_size == size and st.st_mtime_ns == mtime:
            out[rel] = key
    return out


class KeyedRenderer(Protocol):
    """What the build uses of the renderer made by :func:`keyed_renderer`."""

    new_keys: dict[str, str]
    kept: set[str]
    deferred: bool
    archive: tuple[ArchivePeriod, ...]

    def render_page(self, template: str, path: str, context: dict[str, Any]) -> bytes:
        """One page, always rendered."""
        ...

    def article_context(
        self,
        article: Article,
        older: Article | None,
        newer: Article | None,
        related: tuple[Article, ...] | None = None,
    ) -> dict[str, Any]:
        """What an article page is rendered with."""
        ...

    def use_related(self, related: Related) -> None:
        """Show ``related`` as the site's related articles and terms from now on."""
        ...

    def pages(self) -> Iterator[tuple[str, Any]]:
        """Every page, in order (kept ones with empty bytes, deferred ones as tasks)."""
        ...


def keyed_renderer(
    model: SiteModel,
    cfg: Config,
    env: jinja2.Environment,
    keys: RenderKeys,
    previous: dict[str, str],
    related: Related | None = None,
) -> KeyedRenderer:
    """A page renderer that skips pages whose key matches the last build's (``previous``)."""
    renderer: KeyedRenderer = _renderer_class()(model, cfg, env, keys, previous, related)
    return renderer


@lru_cache(maxsize=1)
def _renderer_class() -> type[Any]:
    # Defined on first use: the renderer imports Jinja2 and every template helper (41 ms,
    # python -X importtime), which a build with nothing to do never needs.
    from feedtool.render.pages import PageRenderer
    from feedtool.site_model import article_terms

    class KeyedPageRenderer(PageRenderer):
        """A :class:`PageRenderer` that skips pages whose key matches the last build's.

        It fills in the renderer's hooks only: a skipped page yields empty bytes and its
        path goes into :attr:`kept`; the build turns it into "keep the file" for the
        writer.
        """

        def __init__(
            self,
            model: SiteModel,
            cfg: Config,
            env: jinja2.Environment,
            keys: RenderKeys,
            previous: dict[str, str],
            related: Related | None,
        ) -> None:
            super().__init__(model, cfg, env, related)
            self.keys = keys
            self.previous = previous
            self.new_keys: dict[str, str] = {}
            self.kept: set[str] = set()
            #: When true, a page to render comes out as a task ``("page", (template,
            #: path, context))`` for a :class:`~feedtool.render.pool.RenderPool`.
            self.deferred = False

        def _same(self, path: str, key: str | None) -> bool:
            """Record ``path``'s key; whether the last build made the page of the same key.
            (A path asked twice, as page 1 of the site's list and the front page, counts
            as the last answer.)"""
            if key is not None:
                self.new_keys[path] = key
                if self.previous.get(path) == key:
                    self.kept.add(path)
                    return True
            self.kept.discard(path)
            return False

        def _unchanged(self, template: str, path: str, context: dict[str, Any]) -> bool:
            return self._same(path, self.keys.page(template, path, context))

        def _unchanged_list(
            self,
            template: str,
            base: str,
            articles: tuple[Article, ...],
            title: str,
            context: dict[str, Any],
        ) -> Callable[[str, int, int, tuple[Article, ...]], bool] | None:
            # A list's shared part is described once, not per page.
            if self.keys.deep:
                return None
            common = self.keys.list_key(template, base, articles, title, context)
            if common is None:
                return None
            list_page = self.keys.list_page

            def unchanged(path: str, n: int, count: int, shown: tuple[Article, ...]) -> bool:
                return self._same(path, list_page(common, n, count, shown))

            return unchanged

        def _unchanged_article(
            self, path: str, article: Article, older: Article | None, newer: Article | None
        ) -> bool | None:
            """The quick key covers what :meth:`PageRenderer.article_context` reads: the
            article, its neighbours, its related articles and its terms (and config, code
            and templates). With project templates (deep keys) the full key is computed."""
            if self.keys.deep:
                return None
            quick = self.keys.article_page(
                article,
                older,
                newer,
                self.related_articles.get(article.rel_path, ()),
                article_terms(self.model, article),
            )
            return self._same(path, quick)

        def _emit(self, template: str, path: str, context: dict[str, Any]) -> tuple[str, Any]:
            if self.deferred:
                return path, ("page", (template, path, context))
            return path, self.render_page(template, path, context)

        def _emit_article(
            self, path: str, article: Article, older: Article | None, newer: Article | None
        ) -> tuple[str, Any]:
            if self.deferred:  # the worker builds the context
                related = self.related_articles.get(article.rel_path, ())
                return path, ("article", (article, older, newer, related))
            return super()._emit_article(path, article, older, newer)

    return KeyedPageRenderer
