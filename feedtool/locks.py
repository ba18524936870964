"""An exclusive lock file that a second feedtool process fails on at once."""

from __future__ import annotations

import contextlib
import errno
import fcntl
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["exclusive"]


@contextlib.contextmanager
def exclusive(lock_path: Path, busy: Callable[[], Exception]) -> Iterator[None]:
    """Hold ``lock_path`` exclusively; raise ``busy()`` at once when another process holds
    it. The operating system releases the lock when the process ends, however it ends."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise busy() from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
