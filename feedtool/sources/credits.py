"""Who wrote an article and where it came from: bylines, source footers, agency codes.

- **Bylines**: a short line near the top, ``By Jane Doe``, ``By Jane Doe and John Roe,
  Reuters``, ``Written by Jane Doe``, ``Jane Doe | VOA News`` is not one (no "By").
  The names become ``author``; an outlet after the names (``, Reuters``) is a source.
- **Source footers**: ``This article is from Wikinews and is licensed…``, ``All Content
  by Mehr News Agency is licensed…``, ``Originally published by X under…``,
  ``This article is republished from X under…``, ``Source: X``, ``© 2024 X. CC BY 4.0``.
- **Agency codes** in datelines (``(MNA)``, ``(Reuters)``, ``(AP)``) are mapped to
  outlet names through the table shipped in ``data/agencies.yaml``, which a project
  extends or overrides with ``articles.agencies`` in ``config.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources

import yaml

from feedtool.model import License
from feedtool.sources.licenses import parse_license

__all__ = [
    "NAMES_PATTERN",
    "AgencyTable",
    "Byline",
    "agency_name",
    "find_byline",
    "find_name_line",
    "find_name_with_affiliation",
    "find_origin_line",
    "find_print_header",
    "find_source",
    "known_agencies",
    "outlet_license",
    "split_glued_byline",
]

_NAME_WORD = (
    r"(?:[A-Z][\w'’.\-]*|(?:de|da|del|della|der|den|van|von|di|du|al|el|bin|ibn|la|le|St\.)(?=\s))"
)
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*"
#: One or more people's names, as a regular expression ("Jane Doe and John Roe").
NAMES_PATTERN = _NAMES
_BYLINE = re.compile(
    rf"^(?:by|written\s+by|words\s+by|report(?:ed|ing)\s+by|story\s+by|text\s+by|posted\s+by)"
    rf"\s*:?\s+(?P<names>{_NAMES})(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_MAX_BYLINE = 160
# "Most of this report was researched, written, and edited by Jane Doe and John Roe."
_CREDIT_SENTENCE = re.compile(
    r"^(?:(?:most|much|all|parts?)\s+of\s+)?(?:this|the)\s+(?:report|article|story|post|piece)"
    r"\s+(?:was|were|has\s+been)\s+(?:[a-z]+,?\s+(?:and\s+)?)*?"
    rf"(?:written|reported|edited)\s+by\s+(?P<names>{_NAMES})\s*\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Byline:
    """The names of a byline, an outlet named after them, and what followed."""

    author: str
    outlet: str | None
    rest: str


@cache
def _shipped_agencies() -> dict[str, str]:
    text = resources.files("feedtool.sources").joinpath("data/agencies.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {str(k): str(v) for k, v in data.items()}


class AgencyTable(Mapping[str, str]):
    """An agency table that cannot change, so that what is read with it can be cached
    (a project's table is made once, and its outlets' footers repeat on every article)."""

    __slots__ = ("_hash", "_table")

    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = dict(table)
        self._hash = hash(frozenset(self._table.items()))

    def __getitem__(self, key: str) -> str:
        return self._table[key]

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        return self._table.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AgencyTable) and self._table == other._table


def known_agencies(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Agency codes and outlet names, casefolded code -> name; ``extra`` wins."""
    table = {k.casefold(): v for k, v in _shipped_agencies().items()}
    if extra:
        table.update({k.casefold(): v for k, v in extra.items()})
    return table


@cache
def _shipped_outlets() -> dict[str, tuple[tuple[date | None, License], ...]]:
    """Outlet name (casefolded) -> its licenses, newest first: (until, license) pairs."""
    text = resources.files("feedtool.sources").joinpath("data/outlets.yaml").read_text("utf-8")
    table: dict[str, tuple[tuple[date | None, License], ...]] = {}
    for name, entry in yaml.safe_load(text).items():
        terms: list[tuple[date | None, License]] = []
        for until, code in [(None, entry["license"])] + [
            (e["until"], e["license"]) for e in entry.get("earlier", ())
        ]:
            found = parse_license(str(code))
            if found is None:  # pragma: no cover - the shipped table is tested
                raise ValueError(f"outlets.yaml: {name}: license not recognised: {code!r}")
            terms.append((until, found))
        table[_outlet_key(str(name))] = tuple(terms)
    return table


def _outlet_key(name: str) -> str:
    words = re.findall(r"\w+", name.casefold())
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def _outlet_terms(source: str) -> tuple[tuple[date | None, License], ...] | None:
    key = _outlet_key(source)
    table = _shipped_outlets()
    terms = table.get(key)
    if terms is None:  # an outlet's edition: "Global Voices en Español", "Mongabay India"
        words = key.split()
        for n in range(len(words) - 1, 0, -1):
            terms = table.get(" ".join(words[:n]))
            if terms is not None:
                break
    return terms


def outlet_license_within(source: str, first: date, last: date) -> License | None:
    """The license ``source`` published under from ``first`` to ``last``, when it was one
    license throughout and that license's start is known; else None.

    Years in the first license's time (before the outlet's earliest change) give None:
    the table does not say when the outlet began, so a text naming only such years may
    as well be a later article recalling them.
    """
    terms = _outlet_terms(source)
    if not terms or last < first:
        return None
    changes = sorted(until for until, _ in terms[1:] if until is not None)
    if any(first < until <= last for until in changes):
        return None  # the license changed within the years
    if changes and not any(until <= first for until in changes):
        return None  # the first license's time, whose start the table does not give
    return outlet_license(source, datetime(first.year, first.month, first.day, tzinfo=UTC))


def outlet_license(
    source: str, published: datetime | None = None, *, dated: bool = True
) -> License | None:
    """The license ``source`` publishes its own copy under (``data/outlets.yaml``), if known.

    ``published`` picks an earlier license for older articles (Wikinews before
    25 September 2005: public domain). With ``dated`` False, ``published`` is only the
    latest the article can be from (the day it was committed): an outlet whose license
    changed before that day gives None, as the article's own date would be needed.
    """
    terms = _outlet_terms(source)
    if not terms:
        return None
    current = terms[0][1]
    if published is None:
        return current
    day = published.date()
    if not dated:
        changed = [until for until, _ in terms[1:] if until is not None and until <= day]
        return None if changed else current
    earlier = [(until, lic) for until, lic in terms[1:] if until is not None and day < until]
    return min(earlier, key=lambda t: t[0])[1] if earlier else current


def agency_name(code: str, table: Mapping[str, str]) -> str | None:
    """The outlet an agency code (``MNA``) or name (``Reuters``) stands for, if known."""
    key = " ".join(code.split()).strip(" .").casefold()
    return table.get(key)


def _names_ok(names: str) -> bool:
    words = names.replace(",", " ").split()
    if not words or len(words) > 16:
        return False
    capital = [w for w in words if w[:1].isupper()]
    return len(capital) >= 1 and not any(w.casefold() in _NOT_NAMES for w in words)


_NOT_NAMES = {"the", "a", "an", "this", "that", "which", "who", "is", "was", "will", "has"}


# Words of a byline's affiliation or role, not of a name: "Jane Doe, Professor of Law,
# University of Bristol", "Jane Doe, Griffith University".
_AFFILIATION = re.compile(
    r"\b(?:university|universit[äéà]t?|college|institute|institut|school|academy|faculty|"
    r"department|centre|center|hospital|laborator(?:y|ies)|foundation|professor|lecturer|"
    r"researcher|fellow|director|convenor|chair|dean|student|candidate|scientist|"
    r"correspondent|reporter|editor|writer|columnist|contributor|journalist|photographer|"
    r"producer|analyst|associate|senior|chief|head|council|hub|program|programme|network|"
    r"group|initiative|project|society|association|trust|ministry|agency|organi[sz]ation|"
    r"commission|unit|lab|museum|library|observatory|UNSW|UCL|MIT|CSIRO)\b",
    re.IGNORECASE,
)
# An institution named in an affiliation (a byline without "By" needs one).
_INSTITUTION = re.compile(
    r"\b(?:university|universit[äéà]t?|college|institute|institut|school|academy|"
    r"hospital|laborator(?:y|ies)|foundation)\b",
    re.IGNORECASE,
)
# Bylines that credit a desk, not a person: "By IFP Editorial Staff", "By Staff Reporter".
_DESK = re.compile(
    r"\b(?:staff|editorial|desk|team|newsroom|editors|correspondents?|bureau|agencies)\b",
    re.IGNORECASE,
)
_CONTRIBUTORS = re.compile(
    r"\s+(?:with\s+(?:additional\s+)?reporting|additional\s+reporting|reporting\s+by|"
    r"contributed|contributing|photos?\s+by|edited\s+by|with)\b",
    re.IGNORECASE,
)
_BARE_NAMES = re.compile(rf"^(?P<names>{_NAMES})(?P<rest>.*)$", re.DOTALL)
_SEPARATORS = "|·•-–—, "


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _strip_affiliations(names: str, agencies: Mapping[str, str]) -> tuple[str, bool]:
    """The people of a byline without their affiliations, and whether any was removed.

    ``Michelle Whitford, Griffith University and Susanne Becken, Griffith University``
    gives ``Michelle Whitford and Susanne Becken``.
    """
    segments = [p.strip() for p in re.split(r",|\band\b|&", names) if p.strip()]
    if not any(_AFFILIATION.search(p) for p in segments):
        return names, False
    # With affiliations about, a person is two to five name words ("Design" is not one).
    people = [
        p
        for p in segments
        if not _AFFILIATION.search(p)
        and 2 <= len(p.split()) <= 5
        and re.fullmatch(_NAME, p)
        and p.split()[0].casefold() != "the"
        and agency_name(p, agencies) is None
        and not _looks_like_outlet(p)
    ]
    return _join_names(people), True


def _affiliated_people(text: str, agencies: Mapping[str, str], wanted: re.Pattern[str]) -> str:
    """The people of a byline that lists names and affiliations with no "By", or ""."""
    if len(text) > _MAX_BYLINE * 1.5 or re.search(r"[.!?]\s", text) or not wanted.search(text):
        return ""
    segments = [p.strip() for p in re.split(r",|\band\b|&|\+", text) if p.strip()]
    if not segments or find_name_line(segments[0]) is None:
        return ""
    people = []
    for segment in segments:
        words = segment.split()
        affiliation = (
            _AFFILIATION.search(segment)
            or words[0].casefold() == "the"
            or agency_name(segment, agencies) is not None
            or _looks_like_outlet(segment)
        )
        if affiliation:
            continue
        if find_name_line(segment) is not None:
            people.append(segment)
        elif not all(w[:1].isupper() or w in ("of", "for", "de", "and") for w in words):
            return ""  # lower-case words: a phrase, not names and places
    return _join_names(people)


_BYLINE_STARTS = (
    "by",
    "|",
    "written",
    "words",
    "report",
    "story",
    "text",
    "posted",
    "most",
    "much",
    "all",
    "part",
    "this",
    "the",
    "source",
    "from",
)


def _could_be_byline(line: str) -> bool:
    """A quick test that rules out most sentences of a story (find_byline's forms all
    start with one of a few words, or list names with commas and no full stop)."""
    head = line.lstrip("*_ \t")[:10].lower()  # the start is enough: no start is longer
    if head.startswith(_BYLINE_STARTS):
        # A line opening with the word "The" or "This" is a byline only as a sentence
        # saying who wrote the story ("This report was written by…"); no name is "The".
        return head.split(maxsplit=1)[0] not in ("the", "this") or "by" in line.lower()
    return ("," in line or " and " in line) and not _SENTENCE_END.search(line)


_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+[A-Z“\"]")
_SOURCE_LABEL = re.compile(r"^(?:source|from)\s*:", re.IGNORECASE)
_SOURCE_THEN_BYLINE = re.compile(r"^(?P<src>.{2,100}?)\s+[-–—|]\s+(?P<by>by\s.+)$", re.IGNORECASE)


def find_byline(line: str, agencies: Mapping[str, str], *, bare: bool = False) -> Byline | None:
    """``line`` as a byline (``By Jane Doe, Reuters``), else None.

    Also read: ``| Jane Doe`` (a byline under a rule), ``Jane Doe, University of X``
    (an author with an affiliation and no "By"), and a source line before the byline
    (``Source: The Conversation – By Jane Doe, Professor, …``). Affiliations and roles
    after the names are dropped. A byline that names a desk or an outlet rather than a
    person (``By IFP Editorial Staff``, ``By GroundUp``) has an empty ``author``. With
    ``bare`` (a line above a footer) names with any role read as a byline without "By":
    ``Jane Doe, Editor, The Conversation``.
    """
    if len(line) > _MAX_BYLINE * 3 or not _could_be_byline(line):
        return None
    text = " ".join(line.replace("\u201a", ",").split()).strip("*_ ")
    if len(text) > _MAX_BYLINE * 2:
        return None
    outlet = None
    # "Source: X – By Jane Doe": the source, then the byline. The label is looked for
    # first: finding the dash backtracks through the whole line, a story's too.
    split = _SOURCE_THEN_BYLINE.match(text) if _SOURCE_LABEL.match(text) else None
    if split:
        outlet = find_source(split.group("src"), agencies)
        text = split.group("by")
    credit = _CREDIT_SENTENCE.match(text)
    if credit is not None:
        names = credit.group("names").strip(" ,.")
        return Byline(names, None, "") if _names_ok(names) else None
    piped = text.startswith("|")
    if piped:
        text = text.lstrip("| ")
    m = _BYLINE.match(text)
    if m is None and not (split and outlet):
        m = _BARE_NAMES.match(text)
        if m is None:
            return None
        if not piped:
            # Without "By" or a rule: people, each with an affiliation that names an
            # institution ("Jane Doe, The University of X and John Roe, Y Institute").
            people = _affiliated_people(text, agencies, _AFFILIATION if bare else _INSTITUTION)
            return Byline(people, None, "") if people else None
    if m is None:
        return None
    names = m.group("names").strip(" ,")
    rest = m.group("rest").strip()
    # "By Jane Doe with additional reporting by John Roe": the byline's own names.
    names = _CONTRIBUTORS.split(names)[0].strip(" ,")
    if rest and _AFFILIATION.search(rest.split(".")[0]) and rest.startswith(("of", ",")):
        names, rest = f"{names} {rest}", ""  # "By Jane Doe, Professor of Law, University of X"
    names, stripped = _strip_affiliations(names, agencies)
    if stripped:
        rest = ""
    if len(names) > _MAX_BYLINE or (not stripped and len(text) > _MAX_BYLINE):
        return None
    # "By Jane Doe and John Roe, Reuters": the last comma-separated name may be an outlet.
    parts = [p.strip() for p in names.split(",")]
    if len(parts) > 1:
        last = parts[-1]
        known = agency_name(last, agencies)
        if known or _looks_like_outlet(last):
            outlet = outlet or known or last
            names = ", ".join(parts[:-1])
    if rest.startswith(tuple(_SEPARATORS.strip())):
        tail = rest.lstrip(_SEPARATORS).strip()
        known = agency_name(tail, agencies)
        if known:
            outlet, rest = known, ""
    whole = agency_name(names, agencies)
    if whole is not None:  # "By GroundUp": the outlet, no person
        return Byline("", outlet or whole, rest)
    if _DESK.search(names):
        first = agency_name(names.split()[0], agencies)
        return Byline("", outlet or first, rest)
    if not _names_ok(names):
        return None
    return Byline(names, outlet, rest)


# Words that start a story's first sentence after a byline printed on the same line.
_SENTENCE_START = frozenset(
    [
        "a",
        "an",
        "the",
        "it",
        "it's",
        "it’s",
        "its",
        "in",
        "on",
        "at",
        "as",
        "after",
        "when",
        "while",
        "for",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "i",
        "there",
        "here",
        "last",
        "since",
        "despite",
        "during",
        "more",
        "most",
        "some",
        "many",
        "two",
        "three",
        "one",
    ]
)


def split_glued_byline(paragraph: str) -> tuple[str, str] | None:
    """A byline run into the story's first sentence: ``by Jane Doe It’s been…`` gives
    (``Jane Doe``, ``It’s been…``); None when the paragraph does not start so."""
    if paragraph.lstrip()[:2].lower() != "by":  # a quick test before joining the words
        return None
    m = re.match(r"^(?i:by)\s+(.*)$", " ".join(paragraph.split()))
    if not m:
        return None
    words = m.group(1).split()
    for n in range(2, min(len(words), 7)):
        if words[n].casefold() in _SENTENCE_START and len(words) > n + 3:
            names = " ".join(words[:n])
            if re.fullmatch(_NAMES, names) and all(w[:1].isupper() for w in words[:n]):
                return names, " ".join(words[n:])
            return None
    return None


# "This story was originally published Nov. 27, 2017, by ProPublica reporter Jane Doe."
_ORIGIN_LINE = re.compile(
    r"^(?i:this|the)\s+(?i:story|article|piece|report)\s+was\s+(?i:originally|first)\s+"
    r"(?i:published|posted)\s+(?:(?:on\s+)?(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}"
    r"|\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}),?\s+)?(?:by|in|on|at)\s+(?P<outlet>.+?)"
    r"(?:\s+(?:staff\s+)?(?:reporters?|correspondents?|writers?|journalists?|editors?)\s+"
    rf"(?P<names>{_NAMES}))?\s*\.?$"
)


@dataclass(frozen=True, slots=True)
class OriginLine:
    """A line naming where and when a story first ran, and who wrote it."""

    outlet: str
    author: str | None
    date: str | None


def find_origin_line(line: str, agencies: Mapping[str, str]) -> OriginLine | None:
    """``This story was originally published <date>, by <outlet> reporter <names>.``"""
    if line.lstrip()[:1] not in ("t", "T"):  # a quick test: the line starts "This" or "The"
        return None
    m = _ORIGIN_LINE.match(" ".join(line.split()))
    if not m:
        return None
    outlet = _clean_source(m.group("outlet"), agencies)
    if outlet is None or len(outlet.split()) > 6:
        return None
    names = m.group("names")
    return OriginLine(outlet, names.rstrip(".") if names else None, m.group("date"))


# Words of short headings and place names, never of a name line.
_NOT_NAME_WORDS = frozenset(
    [
        "news",
        "report",
        "update",
        "updates",
        "key",
        "points",
        "findings",
        "summary",
        "analysis",
        "opinion",
        "editorial",
        "live",
        "breaking",
        "latest",
        "world",
        "africa",
        "asia",
        "europe",
        "america",
        "americas",
        "middle",
        "south",
        "north",
        "east",
        "west",
        "central",
        "united",
        "states",
        "kingdom",
        "republic",
        "new",
        "city",
        "island",
        "islands",
        "sea",
        "gulf",
        "river",
        "video",
        "audio",
        "photos",
        "gallery",
        "podcast",
        "listen",
        "watch",
        "read",
        "more",
        "related",
        "topics",
        "share",
    ]
)


def find_name_with_affiliation(line: str) -> str | None:
    """``Jane Doe, Cancer Council Australia``: the name before the first comma, when a
    short affiliation follows it; None otherwise."""
    if "," not in line:
        return None
    text = " ".join(line.split())
    name, sep, rest = text.partition(",")
    if not sep or not rest.strip() or len(text) > 120 or re.search(r"[.!?]\s", text):
        return None
    if not rest.strip()[:1].isupper():
        return None
    return find_name_line(name)


def find_name_line(line: str) -> str | None:
    """A line that is only a person's name (``Kamal Iranidoost``), or None."""
    words = line.split(None, 4)  # five parts: more than four words, not split further
    if not 2 <= len(words) <= 4:
        return None
    text = " ".join(words)
    if not re.fullmatch(_NAME, text):
        return None
    if any(
        w.casefold() in _NOT_NAMES
        or w.casefold().strip(".") in _NOT_NAME_WORDS
        or _DESK.search(w)
        or _AFFILIATION.search(w)
        for w in words
    ):
        return None
    return text


_OUTLET_WORDS = re.compile(
    r"\b(?:news|agency|press|times|post|journal|herald|tribune|voices|radio|tv|television|"
    r"media|daily|weekly|gazette|wire|service|network|magazine|review|reporter)\b",
    re.IGNORECASE,
)


def _looks_like_outlet(text: str) -> bool:
    return bool(_OUTLET_WORDS.search(text)) and len(text.split()) <= 6


# Footers naming the outlet; the first group that matches names it.
_SOURCE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:this|the)\s+(?:article|story|post|piece|work|report|text)\s+(?:is|was|comes)\s+"
        r"(?:originally\s+)?(?:from|by)\s+(?P<s>.{2,80}?)\s*(?:,|\band\b|\bunder\b|\bis\b|\.\s|\.$|$)",
        r"\b(?:this|the)\s+(?:article|story|post|piece|work|report|text)\s+(?:is|was)\s+"
        r"(?:re)?published\s+(?:from|by|in|on|with)\s+(?P<s>.{2,80}?)\s*"
        r"(?:,|\band\b|\bunder\b|\bwith\b|\.\s|\.$|$)",
        r"\b(?:all\s+)?(?:content|contents|text|articles?|material|stories|posts)\s+"
        r"(?:by|from|of|on|at)\s+(?P<s>.{2,80}?)\s+(?:is|are)\s+(?:licen|publish|avail|releas|made)",
        r"\b(?:originally|first)\s+(?:published|appeared|posted)\s+(?:by|in|on|at)\s+"
        r"(?P<s>.{2,80}?)\s*(?:,|\bunder\b|\band\b|\bon\s+\w+\s+\d|\.\s|\.$|$)",
        r"\brepublished\s+(?:from|with\s+permission\s+(?:from|of))\s+(?P<s>.{2,80}?)\s*"
        r"(?:,|\bunder\b|\band\b|\.\s|\.$|$)",
        r"^\s*(?:source|courtesy(?:\s+of)?|via)\s*:?\s+(?P<s>[^.;|]{2,80}?)\s*(?:[.;|]|$)",
        r"(?:©|\(c\)|\bcopyright\b)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?P<s>[^.;,]{2,80}?)"
        r"\s*(?:[.;,]|\s+(?:CC|Creative|licen|under|all\s+rights)|$)",
    )
]
_URL = re.compile(r"https?://\S+|\bwww\.\S+")
_TRAILING = re.compile(
    r"(?:'s|’s)?(?:\s+(?:website|web\s*site|site|news\s+site))?\s*$", re.IGNORECASE
)


def _clean_source(raw: str, agencies: Mapping[str, str]) -> str | None:
    text = _URL.sub("", raw)
    text = re.sub(r"\([^)]*\)", "", text)
    text = " ".join(text.split()).strip(" ,.:;\"'“”‘’")
    text = _TRAILING.sub("", text).strip(" ,.:;")
    if not text or len(text) > 80:
        return None
    if text.casefold() in {"creative commons", "a creative commons", "the author", "the authors"}:
        return None
    if not any(c.isupper() for c in text):
        return agency_name(text, agencies)
    return agency_name(text, agencies) or text


# A print view's header: "- Global Voices - https://globalvoices.org -".
_PRINT_HEADER = re.compile(r"^[-–—\s]*(?P<s>[^-–—:/]{2,60}?)\s*[-–—]\s*https?://\S+\s*[-–—]?\s*$")


def find_print_header(line: str, agencies: Mapping[str, str]) -> str | None:
    """The outlet a print view's header line names, or None."""
    if "http" not in line:  # a quick test: the header holds the site's address
        return None
    m = _PRINT_HEADER.match(" ".join(line.split()))
    return _clean_source(m.group("s"), agencies) if m else None


def find_source(paragraph: str, agencies: Mapping[str, str]) -> str | None:
    """The outlet a footer paragraph credits (``This article is from Wikinews…``), or None."""
    text = " ".join(paragraph.split())
    if len(text) > 400:
        return None
    for pattern in _SOURCE_PATTERNS:
        m = pattern.search(text)
        if m:
            found = _clean_source(m.group("s"), agencies)
            if found:
                return found
    return None
