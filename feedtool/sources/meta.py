"""Article metadata from YAML front matter or a sidecar ``NAME.yaml``: schema and checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from feedtool.errors import Problem, problem
from feedtool.schema import Loader, compose


@dataclass(frozen=True)
class Meta:
    """Keys an article's front matter or sidecar may set; all optional."""

    title: str | None = field(default=None, metadata={"help": "Headline."})
    date: Any = field(default=None, metadata={"help": "Publication date, ISO 8601."})
    updated: Any = field(default=None, metadata={"help": "Last substantive update, ISO 8601."})
    source: str | None = field(default=None, metadata={"help": "Outlet credited as author."})
    source_url: str | None = field(default=None, metadata={"help": "Original article URL."})
    author: str | None = field(default=None, metadata={"help": "Byline."})
    license: str | None = field(
        default=None, metadata={"help": "License: name, code (CC BY 4.0) or deed URL."}
    )
    summary: str | None = field(default=None, metadata={"help": "One-paragraph summary."})
    dateline: str | None = field(default=None, metadata={"help": "Dateline place, e.g. Tehran."})
    topics: tuple[str, ...] = field(
        default=(), metadata={"help": "Topics added by hand (ids or labels)."}
    )
    regions: tuple[str, ...] = field(
        default=(), metadata={"help": "Regions added by hand (ISO codes, slugs or names)."}
    )
    slug: str | None = field(default=None, metadata={"help": "URL slug (default: file name)."})
    id: str | None = field(
        default=None, metadata={"help": "Permanent entry id (a URI); default: a tag: URI."}
    )


@dataclass
class MetaResult:
    """Parsed metadata, where each key was written, and the problems found."""

    meta: Meta
    marks: dict[str, tuple[int, int]]
    problems: list[Problem]
    #: The file the metadata came from, as shown to the user (front matter or sidecar).
    shown: str = ""


def parse_meta(text: str, shown: str, line_offset: int = 0) -> MetaResult:
    """Validate YAML ``text`` (front matter or sidecar) shown to the user as ``shown``."""
    node, problems = compose(text, shown, line_offset)
    if problems:
        return MetaResult(Meta(), {}, problems, shown)
    if node is None:
        return MetaResult(Meta(), {}, [], shown)
    loader = Loader(shown, line_offset)
    if not isinstance(node, yaml.MappingNode):
        loader.error(
            node,
            "front matter",
            "must be a mapping of keys to values",
            hint="write `title: ...` and `date: ...` lines between the --- lines",
        )
        return MetaResult(Meta(), {}, loader.problems, shown)
    meta = loader.mapping_to_dataclass(node, Meta, "")
    if not isinstance(meta, Meta):
        meta = Meta()
    return MetaResult(meta, loader.marks, loader.problems, shown)


def parse_date(value: Any, tz: ZoneInfo) -> datetime | None:
    """A timezone-aware datetime from a YAML value; naive values are taken in ``tz``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        text = value.strip()
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            try:
                dt = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
    else:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt


def date_problem(shown: str, key: str, value: Any, mark: tuple[int, int] | None) -> Problem:
    """The problem for a date that cannot be read."""
    line, column = mark if mark else (None, None)
    return problem(
        shown,
        key,
        f"not an ISO 8601 date: {value!r}",
        line=line,
        column=column,
        hint=f"write `{key}: 2024-05-01` or `{key}: 2024-05-01T09:30:00+03:30`",
    )
