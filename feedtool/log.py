"""Logging set-up for the CLI: rich on stderr, verbosity, colour rules.

The library only logs through ``logging.getLogger("feedtool....")`` and never
configures handlers; :func:`setup` is called by the CLI alone.
"""

from __future__ import annotations

import logging
import os
import sys

from rich.console import Console
from rich.logging import RichHandler

from feedtool.errors import FeedtoolError, Problem

logger = logging.getLogger("feedtool")


def make_console(color: bool | None = None) -> Console:
    """A stderr console; colour off for NO_COLOR, TERM=dumb, non-TTY, unless forced."""
    if color is None:
        if os.environ.get("NO_COLOR"):
            color = False
        elif os.environ.get("FORCE_COLOR"):
            color = True
        else:
            color = sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    return Console(stderr=True, no_color=not color, highlight=False, soft_wrap=True)


class _PlainHandler(logging.Handler):
    """``warning: message`` lines on the console, as compilers print them."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        level = record.levelname.lower()
        style = {"warning": "yellow", "error": "red", "critical": "red"}.get(level, "dim")
        prefix = f"[{style}]{level}:[/{style}] " if level != "info" else ""
        self.console.print(prefix, end="", markup=True)
        self.console.print(self.format(record), markup=False, highlight=False)


def setup(verbosity: int = 0, quiet: bool = False, color: bool | None = None) -> Console:
    """Configure the ``feedtool`` logger for the CLI and return the stderr console."""
    console = make_console(color)
    handler: logging.Handler
    if verbosity >= 2:
        handler = RichHandler(console=console, show_time=False, show_path=False)
    else:
        handler = _PlainHandler(console)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.handlers[:] = [handler]
    logger.propagate = False
    if quiet:
        logger.setLevel(logging.ERROR)
    elif verbosity >= 2:
        logger.setLevel(logging.DEBUG)
    elif verbosity == 1:
        logger.setLevel(logging.INFO)
    else:
        logger.setLevel(logging.WARNING)
    return console


def report_error(console: Console, error: FeedtoolError) -> None:
    """Print every problem of ``error``, one block each, on stderr."""
    for p in error.problems:
        print_problem(console, p)


def print_problem(console: Console, p: Problem) -> None:
    """``error: path:line:col: key: message`` with its hint."""
    style = "red" if p.severity == "error" else "yellow"
    console.print(f"[{style}]{p.severity}:[/{style}] ", end="", markup=True)
    console.print(p.format(), markup=False, highlight=False)
