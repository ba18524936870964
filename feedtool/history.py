"""Dates from git for articles that carry none (Hugo's ``:git`` convention).

When the content folder is in a git repository, an article with no date in its
metadata, its text or its file name is dated by its commits: ``updated`` is the date
of the last commit that changed the file, and it was *added* at the date of the
first. One ``git log`` over the content folder reads every file's dates at once
(:func:`load`), at the start of a build; the reader then looks them up
(:func:`committed`). Dates keep the committer's UTC offset. Outside git, or for a
file not committed yet, there is no date and the reader falls back to
``articles.undated`` with a warning.

A shallow clone (``git clone --depth 1``) knows only its last commit: dates from it
would differ from a full clone's, so none are read and the build warns. CI checkouts
need the history: ``actions/checkout`` with ``fetch-depth: 0``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from datetime import datetime
from pathlib import Path

__all__ = ["Committed", "committed", "load", "stamp"]

#: ``(first commit date, last commit date)`` of a file.
Committed = tuple[datetime, datetime]

# Content folder (absolute, as given) -> its files' dates by path relative to it;
# ``None``: not in git, or a shallow clone.
_LOADED: dict[str, dict[str, Committed] | None] = {}
_SHALLOW: set[str] = set()


def _git(folder: Path, *args: str) -> str | None:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            env=env,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _log(folder: Path, *revisions: str) -> dict[str, Committed] | None:
    """Dates from ``git log`` over ``revisions`` (default: all history of HEAD)."""
    out = _git(
        folder,
        "log",
        "--no-renames",
        "--relative",
        "--format=%x00%cI",
        "--name-only",
        *revisions,
        "--",
        ".",
    )
    if out is None:
        return None
    dates: dict[str, Committed] = {}
    for record in out.split("\0")[1:]:
        head, _, names = record.partition("\n")
        try:
            when = datetime.fromisoformat(head.strip())
        except ValueError:
            continue
        for name in names.splitlines():
            if not name:
                continue
            known = dates.get(name)
            # Newest first: the first date seen is the last commit, the last seen the first.
            dates[name] = (known[0], when) if known else (when, when)
    return dates


def _read(folder: Path, cache: Path | None) -> dict[str, Committed] | None:
    top = _git(folder, "rev-parse", "--is-shallow-repository", "HEAD")
    if top is None:
        return None
    shallow, _, head = top.strip().partition("\n")
    if shallow == "true":
        _SHALLOW.add(str(folder))
        return None
    saved = _load_saved(cache, head) if cache is not None else None
    if saved is not None and saved[0] == head:
        return saved[1]
    dates: dict[str, Committed] | None = None
    moved_on = saved is not None and _git(folder, "merge-base", "--is-ancestor", saved[0], head)
    if saved is not None and moved_on is not None:
        # HEAD moved on from the saved commit: only the new commits are read.
        newer = _log(folder, f"{saved[0]}..{head}")
        if newer is not None:
            dates = saved[1]
            for name, (last, first) in newer.items():
                known = dates.get(name)
                dates[name] = (last, known[1]) if known else (last, first)
    if dates is None:
        dates = _log(folder)
    if dates is None:
        return {}
    if cache is not None:
        _save(cache, head, dates)
    return dates


def _load_saved(cache: Path, head: str) -> tuple[str, dict[str, Committed]] | None:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        dates = {
            name: (datetime.fromisoformat(last), datetime.fromisoformat(first))
            for name, (last, first) in data["dates"].items()
        }
        return str(data["head"]), dates
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no file yet, or a damaged one: read from git


def _save(cache: Path, head: str, dates: dict[str, Committed]) -> None:
    data = {
        "head": head,
        "dates": {name: [v[0].isoformat(), v[1].isoformat()] for name, v in sorted(dates.items())},
    }
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        temporary.replace(cache)
    except OSError:
        pass  # a read-only project: the dates are read from git again next time


def load(content_dir: Path, cache_dir: Path | None = None) -> None:
    """Read the commit dates of every file under ``content_dir`` (one ``git log``).

    With ``cache_dir`` the dates are kept there, by the commit they were read at
    (``HEAD``): a build at the same commit reads none from git, and a build after new
    commits reads only those.
    """
    folder = os.path.abspath(content_dir)  # noqa: PTH100 - as given, links kept
    _SHALLOW.discard(folder)
    cache = None
    if cache_dir is not None:
        key = hashlib.sha256(folder.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        cache = Path(cache_dir) / f"git-dates-{key}.json"
    _LOADED[folder] = _read(Path(folder), cache) if Path(folder).is_dir() else None


def any_loaded() -> bool:
    """Whether any content folder's commit dates are known."""
    return any(_LOADED.values())


def is_shallow(content_dir: Path) -> bool:
    """Whether ``content_dir`` is in a shallow clone (its commit dates are not read)."""
    return os.path.abspath(content_dir) in _SHALLOW  # noqa: PTH100


def committed(path: Path) -> Committed | None:
    """The commit dates of ``path``, if its folder's history was loaded and holds it."""
    if not _LOADED:
        return None
    full = os.path.abspath(path)  # noqa: PTH100 - no syscall; runs per file
    for folder, dates in _LOADED.items():
        if dates and full.startswith(folder + os.sep):
            found = dates.get(full[len(folder) + 1 :].replace(os.sep, "/"))
            return (found[1], found[0]) if found else None
    return None


def stamp(path: Path) -> bytes:
    """The commit dates of ``path`` as bytes, for hashes and cache signatures (b"" if none)."""
    found = committed(path)
    return f"{found[0].isoformat()}|{found[1].isoformat()}".encode() if found else b""
