"""Loaded taggers kept in the build cache, so that a process tagging a few files starts fast.

Building the taggers (gazetteer, topic rules and their automata) takes about 0.2 s;
unpickling a snapshot of them takes a third of that. An edited rebuild tags the changed
files in a worker process while the build loads its cache, so the worker's start is on
the build's path. The snapshot lives in ``.feedtool-cache/taggers/``, named by a digest
of all the taggers are made from: the feedtool package (code and data, see
:func:`~feedtool.cache.code_digest`), the tagging settings, and the Python and
pyahocorasick builds. A snapshot that cannot be read is ignored and written again. Like
the rest of the cache it holds pickles, trusted like the project's own files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import pickle
import sys
from pathlib import Path

import ahocorasick

from feedtool.cache import code_digest
from feedtool.config import Config
from feedtool.memory import paused_gc
from feedtool.tagging import pipeline
from feedtool.tagging.pipeline import Taggers
from feedtool.taxonomy import TAGGER_SOURCES

__all__ = ["save_snapshot", "snapshot_key", "taggers_for"]

log = logging.getLogger("feedtool.snapshot")

# Taggers this process has, by snapshot key (workers forked later inherit them).
_LOADED: dict[str, Taggers] = {}


def snapshot_key(cfg: Config) -> str:
    """Digest of everything the taggers of ``cfg`` are made from."""
    library = str(ahocorasick.__file__)
    st = os.stat(library)  # noqa: PTH116 - a str path
    data = {
        "code": code_digest(),
        "taggers": {name: dataclasses.asdict(getattr(cfg, name)) for name in TAGGER_SOURCES},
        "python": sys.version,
        "ahocorasick": [library, st.st_size, st.st_mtime_ns],
    }
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def taggers_for(cfg: Config, folder: Path | None) -> Taggers:
    """The taggers of ``cfg``: from this process, from the snapshot in ``folder``, or built.

    Without a ``folder`` (no build cache) they are always built. Settings the taggers
    reject raise :class:`~feedtool.errors.ConfigError` as in
    :func:`~feedtool.tagging.pipeline.load_taggers`.
    """
    if folder is None:
        return pipeline.load_taggers(cfg)
    key = snapshot_key(cfg)
    taggers = _LOADED.get(key)
    if taggers is None:
        taggers = _load(folder / f"{key}.pickle")
    if taggers is None:
        taggers = pipeline.load_taggers(cfg)
    if key not in _LOADED:
        _LOADED.clear()  # one set of taggers at a time (``serve`` sees the config change)
        _LOADED[key] = taggers
    return taggers


def _load(path: Path) -> Taggers | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        with paused_gc():  # millions of objects, no cycles among them
            taggers = pickle.loads(data)
    except Exception:  # a damaged snapshot: build the taggers again
        log.debug("tagger snapshot %s unreadable; building the taggers", path)
        return None
    return taggers if isinstance(taggers, Taggers) else None


def save_snapshot(cfg: Config, folder: Path | None) -> None:
    """Keep a snapshot of this process's taggers of ``cfg`` in ``folder`` (if missing).

    Call it before the taggers tag anything (they memoise as they go). Other snapshots
    in ``folder`` are removed; a folder that cannot be written is left alone.
    """
    if folder is None:
        return
    key = snapshot_key(cfg)
    taggers = _LOADED.get(key)
    path = folder / f"{key}.pickle"
    if taggers is None or path.exists():
        return
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps(taggers, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
        for old in folder.glob("*.pickle"):
            if old.name != path.name:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("tagger snapshot not saved: %s", exc)
        tmp.unlink(missing_ok=True)
