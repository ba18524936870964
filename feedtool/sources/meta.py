"""Article metadata from YAML front matter or a sidecar ``NAME.yaml``: schema and checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml

from feedtool.chars import FORBIDDEN, holds_forbidden
from feedtool.errors import Problem, problem
from feedtool.schema import Loader, compose, impossible_date

if TYPE_CHECKING:
    from feedtool.model import Article


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
    #: Values repaired on the way in (control characters removed), as warnings.
    warnings: list[Problem] = field(default_factory=list)


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
    return MetaResult(meta, loader.marks, loader.problems, shown, loader.warnings)


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
    reason = impossible_date(value)
    return problem(
        shown,
        key,
        f"no such date or time: {value!r} ({reason})"
        if reason
        else f"not an ISO 8601 date: {value!r}",
        line=line,
        column=column,
        hint=f"write `{key}: 2024-05-01` or `{key}: 2024-05-01T09:30:00+03:30`",
    )


def xml_illegal_problem(article: Article) -> Problem | None:
    """The problem when any text of ``article`` holds a character no output may hold.

    The readers remove such characters (with a warning) as they read; this is the last
    check before the text reaches the feeds, where it could not be written at all.
    """
    fields: list[tuple[str, str | None]] = [
        ("title", article.title),
        ("dateline", article.dateline),
        ("source", article.source),
        ("source_url", article.source_url),
        ("author", article.author),
        ("body", article.body_html),
        *(("body", p) for p in article.paragraphs),
        ("summary", article.summary),
        ("id", article.entry_id),
        *(("topics", t) for t in article.manual_topics),
        *(("regions", r) for r in article.manual_regions),
    ]
    if article.license is not None:
        fields += [("license", article.license.name), ("license", article.license.url)]
    if not holds_forbidden("\n".join(text for _key, text in fields if text)):
        return None  # the usual case, found in one fast pass
    for key, text in fields:
        if text is None:
            continue
        found = FORBIDDEN.search(text)
        if found is not None:
            return problem(
                article.path,
                key,
                f"holds a character not allowed in XML (U+{ord(found.group()):04X}); "
                "the article is left out",
                hint="remove the character from the file",
            )
    return None


def unclosed_problem(shown: str) -> Problem:
    """The problem for front matter whose closing ``---`` line is missing."""
    return problem(
        shown,
        "",
        "front matter opened at line 1 is never closed",
        line=1,
        hint="end the front matter with a line holding only `---`, before the story",
    )
