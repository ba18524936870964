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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources

import yaml

from feedtool.model import License
from feedtool.sources.licenses import parse_license

__all__ = [
    "Byline",
    "agency_name",
    "find_byline",
    "find_print_header",
    "find_source",
    "known_agencies",
    "outlet_license",
]

_NAME_WORD = (
    r"(?:[A-Z][\w'’.\-]*|(?:de|da|del|della|der|den|van|von|di|du|al|el|bin|ibn|la|le|St\.)(?=\s))"
)
_NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|\band\b|&)\s*{_NAME})*"
_BYLINE = re.compile(
    rf"^(?:by|written\s+by|words\s+by|report(?:ed|ing)\s+by|story\s+by|text\s+by|posted\s+by)"
    rf"\s*:?\s+(?P<names>{_NAMES})(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_MAX_BYLINE = 160


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


def outlet_license(source: str, published: datetime | None = None) -> License | None:
    """The license ``source`` publishes its own copy under (``data/outlets.yaml``), if known.

    ``published`` picks an earlier license for older articles (Wikinews before
    25 September 2005: public domain).
    """
    key = _outlet_key(source)
    table = _shipped_outlets()
    terms = table.get(key)
    if terms is None:  # an outlet's edition: "Global Voices en Español", "Mongabay India"
        words = key.split()
        for n in range(len(words) - 1, 0, -1):
            terms = table.get(" ".join(words[:n]))
            if terms is not None:
                break
    if not terms:
        return None
    current = terms[0][1]
    if published is None:
        return current
    day = published.date()
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


def find_byline(line: str, agencies: Mapping[str, str]) -> Byline | None:
    """``line`` as a byline (``By Jane Doe, Reuters``), else None."""
    text = " ".join(line.split()).strip("*_ ")
    if len(text) > _MAX_BYLINE:
        return None
    m = _BYLINE.match(text)
    if not m:
        return None
    names = m.group("names").strip(" ,")
    rest = m.group("rest").strip()
    outlet = None
    # "By Jane Doe and John Roe, Reuters": the last comma-separated name may be an outlet.
    parts = [p.strip() for p in names.split(",")]
    if len(parts) > 1:
        last = parts[-1]
        known = agency_name(last, agencies)
        if known or _looks_like_outlet(last):
            outlet = known or last
            names = ", ".join(parts[:-1])
    if rest.startswith(("|", "·", "•", "-", "–", "—", ",")):
        tail = rest.lstrip("|·•-–—, ").strip()
        known = agency_name(tail, agencies)
        if known:
            outlet, rest = known, ""
    if not _names_ok(names):
        return None
    return Byline(names, outlet, rest)


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
