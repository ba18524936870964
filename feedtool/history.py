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


def _read(folder: Path) -> dict[str, Committed] | None:
    top = _git(folder, "rev-parse", "--is-shallow-repository")
    if top is None:
        return None
    if top.strip() == "true":
        _SHALLOW.add(str(folder))
        return None
    out = _git(
        folder, "log", "--no-renames", "--relative", "--format=%x00%cI", "--name-only", "--", "."
    )
    if out is None:
        return {}
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


def load(content_dir: Path) -> None:
    """Read the commit dates of every file under ``content_dir`` (one ``git log``)."""
    folder = os.path.abspath(content_dir)  # noqa: PTH100 - as given, links kept
    _SHALLOW.discard(folder)
    _LOADED[folder] = _read(Path(folder)) if Path(folder).is_dir() else None


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
