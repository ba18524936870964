"""Dates written in an article's text: date lines near the top and dates in datelines.

A *date line* is a short line that is a date and nothing else, perhaps after a label:
``Monday, March 5, 2007``, ``5 March 2007``, ``March 5, 2007 10:42 GMT``,
``2007-03-05``, ``Published: March 5, 2024 10.42am GMT``, ``Updated: …``,
``Posted on 5 March 2007``. python-dateutil parses the date itself; this module only
decides which lines are dates (the whole line must parse, after the label) and
whether the year, month and day are all written.

A date without a year (``Sep. 26`` in ``TEHRAN, Sep. 26 (MNA) –``) is resolved against
a *reference date*: the latest such date on or before the reference (plus a day of
slack for time zones). The reference is the article's full date when the text has one
elsewhere, else the date the file was first committed to git, else the date in the
file name; without one the year-less date is not used (the reader warns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from dateutil import parser as dateutil_parser
from dateutil import tz as dateutil_tz

__all__ = [
    "FoundDate",
    "find_date_line",
    "impossible_date_line",
    "latest_year_named",
    "parse_written_date",
    "resolve_year",
]

# Labels that may stand before a date on its own line.
_LABEL = re.compile(
    r"^(?:(?P<label>published|updated|last\s+updated|modified|last\s+modified|posted|"
    r"first\s+published|date|dated|filed|released|created)\b(?:\s+(?:on|at))?\s*[:\-–—]?\s*"
    r"|(?:on\s+))",
    re.IGNORECASE,
)
_UPDATED_LABELS = {"updated", "last updated", "modified", "last modified"}
# "10.42am" (The Conversation) -> "10:42am"; dateutil reads the colon form.
_DOTTED_TIME = re.compile(r"(?<=\s)(\d{1,2})\.(\d{2})(?=\s|$|[ap]\.?m)", re.IGNORECASE)
_AT = re.compile(r"\s+(?:at|@)\s+(?=\d)", re.IGNORECASE)
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=\W|\d|$)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_NUMERIC = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
# Time-zone names dateutil does not know; UTC offsets in hours.
_ZONES: dict[str, int] = {
    "GMT": 0,
    "UTC": 0,
    "UT": 0,
    "Z": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "IRST": 3,  # +03:30, handled below
    "IST": 5,  # +05:30, handled below
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "SAST": 2,
    "EAT": 3,
    "WAT": 1,
    "AEST": 10,
    "AEDT": 11,
}
_HALF_HOUR = {"IRST", "IST"}
_TZINFOS = {
    name: dateutil_tz.tzoffset(name, hours * 3600 + (1800 if name in _HALF_HOUR else 0))
    for name, hours in _ZONES.items()
}
# Naive on purpose: dateutil fills in what the text leaves out from these.
_SENTINEL_A = datetime(1904, 1, 1, 0, 0, 0)  # noqa: DTZ001
_SENTINEL_B = datetime(1908, 2, 2, 0, 0, 0)  # noqa: DTZ001
_MAX_LINE = 80


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in the text.

    ``year`` is False when the text gave no year (resolve it with :func:`resolve_year`);
    ``has_time`` says whether a time of day was written; ``updated`` whether the line
    was labelled as an update.
    """

    value: datetime
    year: bool
    has_time: bool
    updated: bool = False


def _date_text(text: str, longest: int | None = _MAX_LINE) -> str | None:
    """``text`` made ready for dateutil (times such as ``10.42am`` and ``10 a.m.`` in the
    form it reads), or None when it cannot be a date: no digit, or neither a month's
    name nor a numeric date, or longer than ``longest``."""
    text = text.strip().strip(".,;|·•")
    if not text or (longest is not None and len(text) > longest) or not _DIGIT.search(text):
        return None
    if not (_MONTH.search(text) or _ISO.search(text) or _NUMERIC.search(text)):
        return None
    cleaned = _AT.sub(" ", _DOTTED_TIME.sub(r"\1:\2", text)).replace("a.m.", "am")
    return cleaned.replace("p.m.", "pm")


def _split_label(line: str) -> tuple[str | None, str] | None:
    """A date line's label (``published``, ``last updated``…) and the rest; None when the
    line is too long to be one."""
    text = line.strip()
    if len(text) > _MAX_LINE + 20:
        return None
    m = _LABEL.match(text)
    if not m:
        return None, text
    return " ".join((m.group("label") or "").lower().split()), text[m.end() :]


def parse_written_date(text: str, zone: tzinfo) -> FoundDate | None:
    """``text`` as a date if it is one (day and month at least), else None.

    The whole text must be the date: ``March 5, 2007`` is one, ``March 5 was a
    Monday`` is not. Naive times are taken in ``zone``.
    """
    cleaned = _date_text(text)
    if cleaned is None:
        return None
    try:
        a = dateutil_parser.parse(cleaned, default=_SENTINEL_A, tzinfos=_TZINFOS, dayfirst=False)
        b = dateutil_parser.parse(cleaned, default=_SENTINEL_B, tzinfos=_TZINFOS, dayfirst=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if a.month != b.month or a.day != b.day:
        return None  # no month or no day written
    has_year = a.year == b.year
    has_time = (a.hour, a.minute) != (0, 0) or bool(re.search(r"\d:\d\d|\d\s*[ap]m", cleaned, re.I))
    value = a
    if not has_year:
        value = value.replace(year=2000)  # placeholder; see resolve_year
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    elif value.utcoffset() == timedelta(0):
        value = value.replace(tzinfo=UTC)
    return FoundDate(value, has_year, has_time)


def find_date_line(line: str, zone: tzinfo) -> FoundDate | None:
    """A date line (``Published: 5 March 2007``) as a date, else None."""
    split = _split_label(line)
    if split is None:
        return None
    label, text = split
    found = parse_written_date(text, zone)
    if found is None:
        return None
    return FoundDate(found.value, found.year, found.has_time, label in _UPDATED_LABELS)


_OUT_OF_RANGE = re.compile(r"(?:out of range|must be in)", re.IGNORECASE)


def impossible_date_line(line: str) -> str | None:
    """Why a line written as a date line names no real date (``February 30, 2026``:
    "day is out of range for month"), or None when it is a date or not a date line."""
    split = _split_label(line)
    cleaned = _date_text(split[1], longest=None) if split is not None else None
    if cleaned is None:
        return None
    try:
        dateutil_parser.parse(cleaned, default=_SENTINEL_A, tzinfos=_TZINFOS)
    except (ValueError, OverflowError) as exc:
        reason = str(exc).split(":")[0]
        return reason if _OUT_OF_RANGE.search(reason) else None
    return None


def resolve_year(found: FoundDate, reference: date) -> datetime:
    """The year-less date ``found`` in the latest year that puts it on or before
    ``reference`` (a day of slack for time zones)."""
    value = found.value
    for year in (reference.year, reference.year - 1):
        try:
            candidate = value.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate.date() <= reference + timedelta(days=1):
            return candidate
    return value.replace(year=reference.year - 1, day=min(value.day, 28))


# A year written in the text: 1900-2099 standing alone ("in 2013", "the 2013 season",
# "2012-13"), or a decade ("the 1990s"); not part of a larger number ("£2,013", "3.2013",
# "12:2013") or a word.
_YEAR_NAMED = re.compile(r"(?<![\w£$€.,:])((?:19|20)\d\d)(s?)(?![\w%]|[.,:]\d)")


def latest_year_named(text: str) -> int | None:
    """The latest year ``text`` names (a decade counts as its last year), or None.

    A number of the same shape counts too ("2000 people"); one written with a thousands
    separator ("2,000 people"), as most style guides have it, does not.
    """
    years = [int(m[1]) + (9 if m[2] else 0) for m in _YEAR_NAMED.finditer(text)]
    return max(years) if years else None
