"""The cyclic garbage collector around large builds.

A build makes millions of objects that hold no reference cycles and live until it
ends (articles, tags, the site model). Collections set off by their allocation would
scan them again and again and find nothing, and in forked workers the collector's
writes to every object would copy the parent's memory page by page.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["FORKED_MODEL_MAX", "frozen_heap", "keep", "keep_until_exit", "paused_gc"]

#: The most articles for which a build forks processes that read the site model (the render
#: workers, which also make the related articles). Each object such a process reads
#: is a page the kernel copies for it (reference counts are writes): at 100,000 articles
#: two render workers added some 0.7 GB to the build's peak memory, and a second process
#: making related articles raised it from 1.1 to 1.3 GB. Beyond this, the build does that
#: work in one process.
FORKED_MODEL_MAX = 30_000


_FROZEN = [0]  # how many frozen_heap blocks are open


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the collector while building large structures that hold no cycles.

    Inside a :func:`frozen_heap` block what was made meanwhile is frozen too before the
    collector resumes: otherwise its next collections would scan all of it twice (as
    the youngest generation, then the middle one), a tenth of a second for the 10,000
    articles a rebuild loads from its cache.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _FROZEN[0]:
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Move every object alive now out of the collector's sight until the block ends.

    Later collections scan only what is new (the pages being rendered), and forked
    workers share the frozen objects without the collector touching them. (No collection
    first: it would scan the whole model; garbage frozen with it is freed after the block.)
    Blocks nest: an inner one freezes what was made since, and the objects come back
    into the collector's sight when the outermost block ends.
    """
    gc.freeze()
    _FROZEN[0] += 1
    try:
        yield
    finally:
        _FROZEN[0] -= 1
        if not _FROZEN[0]:
            gc.unfreeze()


_KEPT: list[list[object]] = []  # one list once keep_until_exit() was called


def keep_until_exit() -> None:
    """From now on, :func:`keep` holds what it is given until the process ends.

    For a command that builds once and then ends the process without the interpreter
    freeing its objects (``feedtool build``): a build's articles, model and keys are
    then not freed one by one as the build returns (0.03 s after a rebuild of 10,000
    articles). Never for a process that builds again and again (``feedtool serve``).
    """
    if not _KEPT:
        _KEPT.append([])


def keep(*objects: object) -> None:
    """Hold ``objects`` until the process ends if :func:`keep_until_exit` was called."""
    if _KEPT:
        _KEPT[0].extend(objects)
