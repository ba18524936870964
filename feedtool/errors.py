"""Errors that point at the user's text.

Every problem carries a location (file, line, column), the key it concerns, a
message and an optional hint, and prints compiler-style::

    config.yaml:14:5: site.base_url: must start with http:// or https://
      hint: write `base_url: https://example.org/`
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is: a file, and where known a 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@functools.lru_cache(maxsize=16)
def _real(path: str) -> str:
    """The resolved form of a folder's path, ending in ``/``."""
    text = str(Path(path).resolve())
    return text if text.endswith("/") else text + "/"


def display_path(path: Path | str, base: Path | None = None) -> str:
    """``path`` relative to the working directory (or ``base``) when it is inside it."""
    p = path if isinstance(path, Path) else Path(path)  # not copied: 1.5 µs an article
    real = str(p.resolve() if not p.is_absolute() or ".." in p.parts else p)
    # What ``real.relative_to(root)`` gives, compared as text (both paths are normalised;
    # this runs for every article a build reads).
    for root in (os.getcwd(), base):  # noqa: PTH109 - a str, compared as text
        if root is None:
            continue
        try:
            prefix = _real(str(root))
        except OSError:
            continue
        if real in (prefix, prefix[:-1]):
            return "."
        if real.startswith(prefix):
            return real[len(prefix) :]
    return p.as_posix()


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in the user's input."""

    location: Location
    key: str
    message: str
    hint: str | None = None
    severity: str = "error"

    def format(self) -> str:
        """``path:line:col: key: message`` plus an indented hint line."""
        head = f"{self.location}: "
        if self.key:
            head += f"{self.key}: "
        text = head + self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


@dataclass
class FeedtoolError(Exception):
    """A problem with the user's input, config or templates: exit code 1."""

    problems: list[Problem] = field(default_factory=list)
    exit_code: int = 1

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)


class ConfigError(FeedtoolError):
    """The configuration file is missing or invalid."""


class SourceError(FeedtoolError):
    """One or more articles could not be read."""


class TemplateError(FeedtoolError):
    """A template has a syntax error or failed to render."""


class BuildError(FeedtoolError):
    """The build could not be completed or written (output folder, lock, strict mode)."""


def problem(
    path: Path | str,
    key: str,
    message: str,
    *,
    line: int | None = None,
    column: int | None = None,
    hint: str | None = None,
    severity: str = "error",
) -> Problem:
    """Shorthand for a :class:`Problem` at ``path:line:column``."""
    return Problem(Location(str(path), line, column), key, message, hint, severity)
