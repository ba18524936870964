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

__all__ = ["frozen_heap", "paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the collector while building large structures that hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_FROZEN = [0]  # how many frozen_heap blocks are open


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
