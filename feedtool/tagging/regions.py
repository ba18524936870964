"""Region tagging: which countries a story names, which it is about, and its macro-regions.

How it works (details in docs/tagging.md, "Regions"):

1. **Match** every known name in one pass per section (dateline, title, lead, body) with a
   :class:`~feedtool.tagging.matcher.PhraseMatcher`: countries (ISO 3166 names and curated
   aliases), demonyms, cities (GeoNames), US states, curated places and macro-regions.
   Case rules: capitalised words of a name must be capitalised in the text (``turkey``,
   ``nice``, ``chad`` are not places; ALL-CAPS datelines are); acronyms (``US``, ``UAE``)
   must match exactly.
2. **Guard** names that are also people's names or words: a place right after a title or
   a capitalised name (``President Vladimir``, ``Kazem Jalali``, ``Michael Jordan``) or, for
   ambiguous names, right before a capitalised word (``Jordan Henderson``) is not a place.
   A demonym that is also a language name does not count in a language context
   (``translated into French``, ``Spanish-language``, ``in Czech, Finnish, French``);
   ``French officials`` and ``in Russian custody`` still do. Nor does an origin
   (``Indian-American``, but ``Indian-American relations`` name both countries).
3. **Support**: unambiguous evidence (country names, demonyms, capitals, big cities, US
   states, named macro-regions) is counted per country first. Ambiguous mentions are then
   resolved with it: ``Georgia`` is the US state only when other US places outnumber the
   evidence for the country (and its neighbours); ``St. Petersburg`` goes to the country with
   more support; a small city counts only if its country is otherwise evidenced, it is the
   dateline, or it is paired (``Paris, Texas``; ``Amman, Jordan``). A city that names a
   facility (``the Kennedy Space Center``) does not count when nothing else names its
   country and something names another: such facilities are often named after people. A
   city that names an agreement or a process (``the Minsk agreements``) does not count.
4. **Score** each country: the sum over its mentions of position weight (dateline, title,
   lead, body) times kind weight (country name, demonym, city...). ``salience`` is its share.
5. **Primary** countries (what the story is about) follow a news desk's rules:

   * a country named in the title is primary, and so is the dateline's country when the
     text names it too;
   * the dateline's country is not primary when the text never names it and the title or
     lead names another (an outlet that datelines every story with its home city);
   * a country named once or twice, only in the body and first after its first third, is
     a passing mention;
   * a country named once (in the lead or body) while three or more others score as much
     is one of a list (a round-up names many countries and is about none);
   * a country named only as the place where something happened (cities after "in" or
     "at": "won the title in Moscow", "a summit in Cancun, Mexico") is not a subject
     unless it is the top country;
   * a story that names no country in its title, dateline or first paragraph, names at
     least ``roundup_min_countries`` countries and gives none of them
     ``roundup_max_share`` of the scores is a round-up: no country is primary;
   * of the rest, the top country is primary, and others whose score is close to it (see
     :class:`RegionSettings`), counting demonyms (``French officials``) only for the
     share, not for the closeness: an adjective says less about the subject than a name.

   At most ``primary_max``, title and dateline countries first. Primary countries, and
   those above a salience threshold, are ``listed``: they put the article on the region's
   page and in its feed.
6. **Macro-regions** are tagged when named in the text or when enough member countries are
   listed.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from feedtool.memory import paused_gc
from feedtool.tagging.base import Evidence, RegionTag, Section, TagText, TermInfo
from feedtool.tagging.gazetteer import (
    CITY_FILE_SPLIT,
    City,
    Gazetteer,
    MacroRegion,
    load_gazetteer,
    name_forms,
)
from feedtool.tagging.matcher import PhraseMatcher, ascii_fold, fold, non_ascii

__all__ = [
    "ExtraPlace",
    "KindWeights",
    "MacroRegion",
    "PositionWeights",
    "RegionSettings",
    "RegionTagger",
]


def _freeze(value: Any) -> Any:
    """A hashable form of a settings value (dicts become sorted item tuples)."""
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, tuple | list):
        return tuple(_freeze(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return (
            type(value).__name__,
            *(_freeze(getattr(value, f)) for f in value.__dataclass_fields__),
        )
    return value


@dataclass(frozen=True)
class PositionWeights:
    """How much a mention counts, by where it is."""

    dateline: float = field(default=3.0, metadata={"help": "A place in the dateline."})
    title: float = field(default=2.5, metadata={"help": "A mention in the title."})
    lead: float = field(default=1.5, metadata={"help": "A mention in the first paragraph."})
    body: float = field(default=1.0, metadata={"help": "A mention further down."})


@dataclass(frozen=True)
class KindWeights:
    """How much a mention counts, by what kind of name it is."""

    country: float = field(default=1.0, metadata={"help": "A country's name or alias."})
    demonym: float = field(default=0.5, metadata={"help": "A demonym (Iranian, Dutch)."})
    capital: float = field(default=1.0, metadata={"help": "A capital city (Tehran)."})
    city: float = field(default=0.8, metadata={"help": "Another city (Tabriz)."})
    state: float = field(default=0.8, metadata={"help": "A US state (counts for the US)."})
    place: float = field(
        default=0.8, metadata={"help": "A curated place or institution (Crimea, the Kremlin)."}
    )
    region: float = field(default=1.0, metadata={"help": "A macro-region named in the text."})


@dataclass(frozen=True)
class ExtraPlace:
    """A project's own place name (a newsroom's beat, a local district)."""

    country: str = field(default="", metadata={"help": "ISO 3166-1 alpha-2 code it belongs to."})


@dataclass(frozen=True)
class RegionSettings:
    """Region tagging settings (``regions:`` in config.yaml)."""

    positions: PositionWeights = field(
        default_factory=PositionWeights, metadata={"help": "Weights by position in the article."}
    )
    kinds: KindWeights = field(
        default_factory=KindWeights, metadata={"help": "Weights by kind of mention."}
    )
    keep_min_score: float = field(
        default=0.0,
        metadata={"help": "Drop countries scoring below this (0: keep every country named)."},
    )
    primary_max: int = field(
        default=3, metadata={"help": "At most this many primary countries per article."}
    )
    primary_min_salience: float = field(
        default=0.2,
        metadata={"help": "A country other than the top one is primary only with this share."},
    )
    primary_min_ratio: float = field(
        default=0.5,
        metadata={
            "help": "...and only if its score is at least this fraction of the top country's."
        },
    )
    roundup_min_countries: int = field(
        default=4,
        metadata={
            "help": "A story naming at least this many countries, none of them in its title, "
            "dateline or first paragraph, and none with roundup_max_share, is a round-up "
            "about no one country (no primary)."
        },
    )
    roundup_max_share: float = field(
        default=0.5,
        metadata={"help": "...unless its top country has at least this share of the scores."},
    )
    list_primary: bool = field(
        default=True, metadata={"help": "Primary countries go into their region pages and feeds."}
    )
    list_min_salience: float = field(
        default=0.3,
        metadata={
            "help": "Other countries with at least this share also go into their pages and "
            "feeds (above 1: primary only). A passing mention does not."
        },
    )
    region_list_min_score: float = field(
        default=2.0,
        metadata={
            "help": "A macro-region named in the text (not inferred from its members) is "
            "listed from this score (e.g. once in the lead plus once below, or twice below)."
        },
    )
    city_min_population: int = field(
        default=CITY_FILE_SPLIT,
        metadata={
            "help": "Cities smaller than this are ignored (the data holds cities of at least "
            "15,000; lowering it costs start-up time and adds rare false hits)."
        },
    )
    city_known_population: int = field(
        default=300_000,
        metadata={
            "help": "Cities this big (and capitals) count without other evidence of their "
            "country; smaller ones need it (or the dateline, or a `City, Region` pair)."
        },
    )
    source_dateline_weights: dict[str, float] = field(
        default_factory=dict,
        metadata={
            "help": "Dateline weight per source, for outlets that dateline every story with "
            "their home city (e.g. `Tehran Times: 1.0`)."
        },
    )
    aliases: dict[str, tuple[str, ...]] = field(
        default_factory=dict,
        metadata={"help": "Extra names per country id or macro-region slug: `IR: [Persia]`."},
    )
    stopwords: tuple[str, ...] = field(
        default=(), metadata={"help": "Names never tagged as places in this project."}
    )
    places: dict[str, ExtraPlace] = field(
        default_factory=dict,
        metadata={"help": "Extra place names: `Hormozgan: {country: IR}`."},
    )
    macro_regions: dict[str, MacroRegion] = field(
        default_factory=dict,
        metadata={"help": "Macro-regions to add, or to replace a built-in one with the same slug."},
    )

    def __hash__(self) -> int:
        return hash(_freeze(self))


# Candidate kinds.
_COUNTRY, _DEMONYM, _CITY, _STATE, _PLACE, _MACRO = range(6)

# A candidate: (kind, ref, flag); ref is a country id, slug, state code or City.
Cand = tuple[int, Any, bool]


# One written form of a name and what it may mean: ``(form, cands)``. A plain tuple, made
# 20,000 times at start-up (a named tuple's constructor would cost more than the rest).
_Entry = tuple[str, tuple[Cand, ...]]

# How a name counts as support for a country before ambiguous names are resolved
# (see RegionTagger._support): not at all, national evidence, sub-national evidence,
# support for a macro-region's members, a US state, a city.
_S_NONE, _S_NAT, _S_SUB, _S_MACRO, _S_STATE, _S_CITY = range(6)
# How a name is resolved (see RegionTagger._resolve): the same in every article, or
# depending on the article (a country name, a US state, a city).
_R_FIXED, _R_COUNTRY, _R_STATE, _R_CITY = range(4)


@dataclass(slots=True)
class _Info:
    """What a name written one way may mean; worked out once per spelling and tagger.

    Everything here depends only on the spelling (and the tagger's settings), so that
    tagging an article looks facts up instead of recomputing them for every mention.
    """

    payloads: tuple[_Entry, ...]  # the matcher's payloads (the cache is checked on them)
    cands: tuple[Cand, ...]  # () when the case rules reject the spelling
    key: str  # folded for the stop-lists
    person_name: bool
    stop: bool  # a project stopword
    not_place: bool  # a curated non-place or project stopword (cities only in a dateline)
    support: int = _S_NONE
    support_ids: tuple[str, ...] = ()
    strong_city: bool = False  # a capital or big city without big namesakes elsewhere
    mode: int = _R_FIXED
    fixed: tuple[str, str, str] | None = None
    countries: tuple[str, ...] = ()
    country_rules: dict[str, str] = field(default_factory=dict)
    ambiguous: bool = False
    states: bool = False
    cities: tuple[City, ...] = ()
    best_known: bool = False
    demonym_only: bool = False
    language: bool = False  # a demonym that is also a language name (French, Persian)


def _case_rule(form: str) -> tuple[bool, tuple[int, ...]]:
    """``(exact, caps)``: acronyms must match exactly; else these positions must be upper."""
    letters = [c for c in form if c.isalpha()]
    exact = 2 <= len(letters) <= 5 and all(c.isupper() for c in letters)
    caps = tuple(
        i for i, c in enumerate(form) if c.isupper() and (i == 0 or not form[i - 1].isalpha())
    )
    return exact, caps


@dataclass(slots=True)
class _Mention:
    section: Section
    text: str
    start: int
    end: int
    surface: str
    cands: tuple[Cand, ...]
    loose: bool  # guards off (dateline, ALL-CAPS or Title Case section)
    info: _Info
    resolved: tuple[str, str, str] | None = None  # (kind, id, rule)
    paired: bool = False
    facility: bool = False  # a facility's name (``Kennedy Space Center``), see tag()
    before: bool | None = None  # person guards, computed on first use
    after: bool | None = None
    agreement: bool | None = None  # _names_agreement, computed on first use
    # A resolved mention is its own evidence while a text is scored (an Evidence is made
    # only to be shown): a tuple for each of some forty mentions an article cost 0.01 ms.
    # _score() sets what it counts for its place and why (as :class:`Evidence`).
    weight: float = 0.0
    rule: str = ""

    def evidence(self) -> Evidence:
        return Evidence(self.surface, self.section, self.start, self.end, self.weight, self.rule)


# Punctuation replaced before matching, one character by one ASCII character, so that
# offsets survive and the matcher's case folding takes CPython's fast ASCII path.
_PUNCT = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u02bc", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u00ab", '"'),
    ("\u00bb", '"'),
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("\u2012", "-"),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u2015", "-"),
    ("\u2026", "."),
    ("\u00a0", " "),
    ("\u2009", " "),
    ("\u202f", " "),
)


_LETTERS: dict[str, str] = {}
#: Spellings remembered per tagger before the memo starts over (bounds its memory).
_MAX_SPELLINGS = 100_000


def _fold_letter(c: str) -> str:
    base = ascii_fold(c)
    return base if len(base) == 1 else c


def _prepare(text: str) -> str:
    """``text`` with typographic punctuation made ASCII and accents dropped (same length).

    Every name in the gazetteer also has an accent-free form, so ``Tehrān`` in a text
    matches ``Tehran``; an ASCII text keeps the matcher on CPython's fast path.
    """
    if text.isascii():
        return text
    for old, new in _PUNCT:
        if old in text:
            text = text.replace(old, new)
    if text.isascii():
        return text
    for char in non_ascii(text):
        folded = _LETTERS.get(char)
        if folded is None:
            folded = _LETTERS[char] = _fold_letter(char)
        if folded != char:
            text = text.replace(char, folded)
    return text


# A word as the person guards see it: letters, digits and . - ' ’ (``Mr.``, ``al-Assad``).
_WORDISH = re.compile(r"(?:[^\W_]|[.\-'’])+")


def _is_word(text: str) -> bool:
    return text.isalnum() or _WORDISH.fullmatch(text) is not None


def _word_before(text: str, start: int) -> str | None:
    if start < 2 or text[start - 1] != " ":
        return None
    word = text[text.rfind(" ", 0, start - 1) + 1 : start - 1]
    if _is_word(word):  # the usual case: the previous word runs back to a space
        return word
    i = start - 1
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in ".-'’"):
        i -= 1
    word = text[i : start - 1]
    return word or None


_VENUE_BEFORE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?\Z", re.IGNORECASE)


def _venue_only(texts: dict[Section, str], evidence: list[_Mention]) -> bool:
    """Whether a country is named only as where something took place: cities after "in" or
    "at" ("held in Moscow", "in Shanghai, China"; the country of a ``City, Country`` pair)."""
    for e in evidence:
        if e.section == "dateline" or not e.rule.startswith(("city", "capital", "pair")):
            return False
        before = texts.get(e.section, "")[max(0, e.start - 12) : e.start]
        if e.rule.startswith("pair") and before.endswith(", "):
            continue  # the country (or region) half of "Shanghai, China"
        if not _VENUE_BEFORE.search(before):
            return False
    return True


def _word_after(text: str, end: int) -> str | None:
    if end + 1 >= len(text) or text[end] != " ":
        return None
    j = text.find(" ", end + 1)
    word = text[end + 1 : j if j >= 0 else len(text)]
    if not _is_word(word):
        j = end + 1
        while j < len(text) and (text[j].isalnum() or text[j] in ".-'’"):
            j += 1
        word = text[end + 1 : j]
    return word.rstrip(".") or None


# What follows a language name: a language word, a noun, another list item, or none of these.
_A_NONE, _A_CUE, _A_NOUN, _A_LIST = range(4)
# An item of a list right before a name, and right after one (``French, German and``).
_LIST_BEFORE = re.compile(r"\b([A-Z][a-z]+)(?:, and |, or |, | and | or )\Z")
_LIST_AFTER = re.compile(r"(?:, and |, or |, | and | or )([A-Z][a-z]+)\b(?![-'])")
_LIST_NEXT = re.compile(r"(?:, and |, or |, | and | or )[A-Z]")
_NEXT_WORD = re.compile(r"[A-Za-z]+")
# Lower-case words after a language name that do not make it an adjective of a noun.
_CLAUSE_WORDS = frozenset((
    "and", "or", "but", "nor", "by", "with", "for", "as", "to", "at", "on", "from", "than", "in",
    "into", "of", "is", "was", "are", "were", "be", "been", "has", "had", "have", "instead",
    "only", "too", "also", "because", "when", "while", "so", "then", "well", "again",
))  # fmt: skip
# Words that end the look back for a language cue (``in the Russian``: not a language).
_DETERMINERS = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our"]
)


def _after_kind(text: str, end: int, cues: frozenset[str]) -> int:
    """What follows a language name ending at ``end`` (see ``RegionTagger._is_language``)."""
    if end >= len(text):
        return _A_NONE
    sep = text[end]
    if (sep == "," or sep == " ") and _LIST_NEXT.match(text, end):
        return _A_LIST  # French, German and
    if sep != " " and sep != "-":
        return _A_NONE  # punctuation: the end of a clause
    word_m = _NEXT_WORD.match(text, end + 1)
    if word_m is None:
        return _A_NONE
    word = word_m[0]
    key = word.lower()
    if key in cues:
        return _A_CUE
    if sep == "-" or word[0].isupper():
        return _A_NOUN  # German-made, Russian Foreign Ministry
    if key in _CLAUSE_WORDS or key.endswith("ly"):
        return _A_NONE
    return _A_NOUN


def _cue_before(text: str, start: int, cues: frozenset[str]) -> bool:
    """A language cue at most two words before ``start``, in the same clause."""
    words = text[max(0, start - 40) : start].split()[-2:]
    for word in reversed(words):
        if word[-1] in ",.;:!?)\"'":
            return False
        key = word.lower()
        if key in cues:
            return True
        if key in _DETERMINERS:
            return False
    return False


def _loose(section: Section, text: str) -> bool:
    if section == "dateline":
        return True
    if section != "title" and len(text) > 120:
        return False
    words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    if not words:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 0.7 * len(words) and (section == "title" or len(words) < 12)


class RegionTagger:
    """Tags countries and macro-regions; built once per settings (loading takes ~0.1 s)."""

    def __init__(self, settings: RegionSettings | None = None) -> None:
        self.settings = settings if settings is not None else RegionSettings()
        self._gaz: Gazetteer = load_gazetteer()
        gaz = self._gaz
        s = self.settings
        self._macros: dict[str, MacroRegion] = {**gaz.macro_regions, **s.macro_regions}
        unknown = [
            key
            for key in (*s.aliases, *(p.country for p in s.places.values()))
            if key not in gaz.countries and key not in self._macros
        ]
        if unknown:
            raise ValueError(f"unknown country or region id(s): {', '.join(sorted(unknown))}")
        self._stop = gaz.stop
        # " [Capitalised or peace ]{0,2}agreement-word" right after a city (see
        # _names_agreement); the last word in any case, as the stop-list folds it.
        words = "|".join(sorted((re.escape(w) for w in gaz.stop.agreement_words), key=len))
        self._agreement = (
            re.compile(rf" (?:(?:[A-Z][\w'-]*|peace) ){{0,2}}(?i:{words})\b") if words else None
        )
        self._stopwords = frozenset(fold(ascii_fold(w)) for w in s.stopwords)
        self._not_places = self._stop.not_places
        with paused_gc():
            self._matcher = self._make_matcher()
        self._matcher.build()  # now, so that forked workers share it
        self._infos: dict[str, _Info] = {}
        self._weights: dict[str, dict[tuple[str, str], float]] = {}
        # The macro-regions each country belongs to (once per time it is listed).
        self._macros_of: dict[str, list[str]] = defaultdict(list)
        for slug, macro in sorted(self._macros.items()):
            for cc in macro.members:
                self._macros_of[cc].append(slug)
        self._lookup = self._build_lookup()
        self._terms = self._build_terms()

    def _make_matcher(self) -> PhraseMatcher[_Entry]:
        """Every written form of every name, with what it may mean."""
        gaz, s = self._gaz, self.settings
        forms: dict[str, list[Cand]] = defaultdict(list)

        def add(name: str, cand: Cand) -> None:
            for form in name_forms(name):
                if cand not in forms[form]:
                    forms[form].append(cand)

        for cc, country in gaz.countries.items():
            for name in country.names:
                add(name, (_COUNTRY, cc, False))
            for name in (*gaz.aliases.get(cc, ()), *s.aliases.get(cc, ())):
                add(name, (_COUNTRY, cc, True))
        for cc, demonyms in gaz.demonyms.items():
            for name in demonyms:
                add(name, (_DEMONYM, cc, False))
        for code, (names, abbreviations) in gaz.states.items():
            for name in names:
                add(name, (_STATE, code, False))
            for name in abbreviations:
                add(name, (_STATE, code, True))
        for names, city in gaz.cities(s.city_min_population):
            cand: Cand = (_CITY, city, False)
            for name in names:  # the generator already added accent-free forms
                forms[name].append(cand)
        for name, place_cc in gaz.places.items():
            add(name, (_PLACE, place_cc, False))
        for name, place in s.places.items():
            add(name, (_PLACE, place.country, False))
        for slug, macro in self._macros.items():
            for name in (*macro.aliases, *s.aliases.get(slug, ())):
                add(name, (_MACRO, slug, False))
        return PhraseMatcher((form, (form, tuple(cands))) for form, cands in forms.items())

    # ----------------------------------------------------------------- public API

    def terms(self) -> dict[str, TermInfo]:
        """Every country (ISO id, common English label) and every macro-region (slug)."""
        return dict(self._terms)

    def _build_terms(self) -> dict[str, TermInfo]:
        out = {
            cc: TermInfo(cc, c.label, None, "country")
            for cc, c in sorted(self._gaz.countries.items())
        }
        for slug, macro in sorted(self._macros.items()):
            out[slug] = TermInfo(
                slug, macro.label, None, "region", members=macro.members, feed=macro.feed
            )
        return out

    def resolve(self, name_or_id: str) -> str | None:
        """The id for a name or id written by hand (``AM``, ``Armenia``, ``South Caucasus``)."""
        value = name_or_id.strip()
        if value.upper() in self._gaz.countries and len(value) == 2:
            return value.upper()
        if value in self._macros:
            return value
        return self._lookup.get(fold(ascii_fold(value)))

    def tag(self, text: TagText, explain: bool = True) -> tuple[RegionTag, ...]:
        """Countries and macro-regions of ``text``, by score (descending) then id.

        ``explain=False`` leaves each tag's evidence empty (a build shows none of it).
        """
        mentions = self._find(text)
        if any(m.info.demonym_only for m in mentions):
            mentions = self._drop_not_countries(mentions)
        if not mentions:
            return ()
        self._pair(mentions)
        nat, sub, macro_support = self._support(mentions)
        facilities = False
        for m in mentions:
            if m.resolved is None and not m.paired:
                m.resolved = self._resolve(m, nat, sub, macro_support)
                facilities = facilities or m.facility
        if facilities:
            self._drop_namesakes(mentions)
        return self._score(text, mentions, explain)

    def _drop_namesakes(self, mentions: list[_Mention]) -> None:
        """A facility named after a city whose country nothing else names (``the Kennedy Space
        Center``, Kennedy being a district of Bogota) is named after a person when the story
        names another country."""
        countries = self._gaz.countries
        named = {
            m.resolved[1]
            for m in mentions
            if m.resolved is not None and not m.facility and m.resolved[1] in countries
        }
        for m in mentions:
            if m.facility and m.resolved is not None and named - {m.resolved[1]}:
                m.resolved = None

    # ----------------------------------------------------------------- matching

    def _build_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for slug, macro in sorted(self._macros.items()):
            for name in (slug, macro.label, *macro.aliases):
                lookup.setdefault(fold(ascii_fold(name)), slug)
        for cc, country in sorted(self._gaz.countries.items()):
            for name in (country.label, *country.names, *self._gaz.aliases.get(cc, ())):
                lookup.setdefault(fold(ascii_fold(name)), cc)
        return lookup

    def _info(self, prepared: str, surface: str, payloads: tuple[_Entry, ...]) -> _Info:
        """The facts about ``surface`` (``prepared`` is its matcher form), to memoise."""
        if len(self._infos) >= _MAX_SPELLINGS:
            self._infos.clear()
        cands: tuple[Cand, ...] = ()
        for form, entry_cands in payloads:
            exact, caps = _case_rule(form)
            if exact:
                if prepared == form:
                    cands += entry_cands
            elif all(prepared[i].isupper() for i in caps if i < len(prepared)):
                cands += entry_cands
        key = fold(ascii_fold(surface))
        stop = key in self._stopwords
        info = _Info(
            payloads,
            cands,
            key,
            person_name=key in self._stop.person_names,
            stop=stop,
            not_place=stop or key in self._not_places,
        )
        if cands:
            self._plan_support(info)
            self._plan_resolve(info)
            info.demonym_only = all(c[0] == _DEMONYM for c in cands)
            info.language = info.demonym_only and key in self._stop.languages
        self._infos[surface] = info
        return info

    def _find(self, text: TagText) -> list[_Mention]:
        """Every name accepted by the case rules, leftmost-longest (the matcher's rule)."""
        mentions: list[_Mention] = []
        infos = self._infos
        for section, original in text.sections():
            body = _prepare(original)
            loose = _loose(section, body)
            taken_until = 0
            for start, neg_end, payloads in self._matcher.candidates(body):
                if start < taken_until:
                    continue
                end = -neg_end
                surface = original[start:end]
                info = infos.get(surface)
                if info is None or info.payloads is not payloads:
                    info = self._info(body[start:end], surface, payloads)
                if not info.cands:
                    continue  # rejected: a shorter name at the same place may win
                if body.startswith("$", end):
                    continue  # a currency (US$, HK$, NZ$), not a place
                mentions.append(
                    _Mention(section, body, start, end, surface, info.cands, loose, info)
                )
                taken_until = end
        return mentions

    # ----------------------------------------------------------------- guards

    def _person_before(self, m: _Mention) -> bool:
        """A capitalised word that is not a function word right before: a person's name."""
        if m.before is None:
            m.before = self._is_person_before(m)
        return m.before

    def _is_person_before(self, m: _Mention) -> bool:
        if m.loose:
            return False
        word = _word_before(m.text, m.start)
        if word is None or not word[0].isupper() or "-" in word:
            return False
        if word.endswith(("'s", "’s", "s'")):
            return False
        key = fold(word)
        if key in self._stop.function_words:
            return False
        if len(key) > 2 and key.endswith(".") and key not in self._stop.titles:
            return False  # the end of the previous sentence, not a name (an initial, Gen.)
        return key.rstrip(".") not in self._stop.function_words

    def _person_after(self, m: _Mention) -> bool:
        """A capitalised word right after (``Jordan Henderson``), unless a place word."""
        if m.after is None:
            m.after = self._is_person_after(m)
        return m.after

    def _is_person_after(self, m: _Mention) -> bool:
        if m.loose:
            return False
        word = _word_after(m.text, m.end)
        if word is None or not word[0].isupper():
            return False
        key = fold(word)
        return key not in self._stop.place_words and key + "." not in self._stop.place_words

    def _drop_not_countries(self, mentions: list[_Mention]) -> list[_Mention]:
        """``mentions`` without demonyms that name a language or an origin, not a country."""
        out: list[_Mention] = []
        for i, m in enumerate(mentions):
            if m.info.demonym_only:
                if m.info.language and self._is_language(m):
                    continue
                if (
                    m.text.startswith("-", m.end)
                    and i + 1 < len(mentions)
                    and self._is_origin(m, mentions[i + 1])
                ):
                    continue
            out.append(m)
        return out

    def _is_origin(self, m: _Mention, n: _Mention) -> bool:
        """``Indian-American`` (``m``, then ``n``): an origin, unless relations follow."""
        stop = self._stop
        if n.text is not m.text or n.start != m.end + 1 or n.info.key not in stop.origin_second:
            return False
        word = _word_after(n.text, n.end)
        return word is None or fold(word) not in stop.bilateral_words

    def _is_language(self, m: _Mention) -> bool:
        """Whether a demonym that is also a language name names the language here.

        It does when a language word follows it (``Spanish-language``, ``Azeri-speaking``,
        ``Russian speakers``), or when no noun follows it (or the list it ends) and either
        a language word comes at most two words before (``translated into French``,
        ``speaks fluent Russian``, ``learn Mandarin, German and Spanish``) or it is in a
        list of three or more languages (``in Czech, Finnish, French, German``). ``French
        officials``, ``in Russian custody`` and ``German-made`` keep their country.
        """
        stop, text = self._stop, m.text
        after = _after_kind(text, m.end, stop.language_after)
        if after == _A_CUE:
            return True
        if after == _A_NOUN:
            return False  # French officials, German-made
        start, end, items = m.start, m.end, 1
        while True:
            b = _LIST_BEFORE.search(text, max(0, start - 32), start)
            if b is None or fold(b[1]) not in stop.languages:
                break
            start, items = b.start(), items + 1
        while True:
            a = _LIST_AFTER.match(text, end)
            if a is None or fold(a[1]) not in stop.languages:
                break
            end, items = a.end(), items + 1
        if end != m.end:
            after = _after_kind(text, end, stop.language_after)
        if after == _A_CUE:
            return True
        if after != _A_NONE:
            return False  # a noun follows, or the list goes on with something else
        return items >= 3 or _cue_before(text, start, stop.language_before)

    def _names_agreement(self, m: _Mention) -> bool:
        """An agreement or a process is named after the place (``the Minsk agreements``,
        ``the Accra Comprehensive Peace Agreement``, ``the Astana peace process``)."""
        if m.agreement is None:
            # The expression starts with a space: most names are not followed by one
            # (a comma, a full stop), and then need no match.
            m.agreement = (
                self._agreement is not None
                and m.text.startswith(" ", m.end)
                and self._agreement.match(m.text, m.end) is not None
            )
        return m.agreement

    def _facility(self, m: _Mention) -> bool:
        """A facility's name follows (``Kennedy Space Center``, ``Azadi Stadium``)."""
        word = _word_after(m.text, m.end)
        return word is not None and fold(word) in self._stop.facility_words

    # ----------------------------------------------------------------- planning

    def _plan_support(self, info: _Info) -> None:
        """How a mention of ``info`` counts as unambiguous support (see :meth:`_support`)."""
        cands = info.cands
        kinds = {c[0] for c in cands}
        if _PLACE in kinds:
            info.support = _S_SUB
            info.support_ids = tuple(c[1] for c in cands if c[0] == _PLACE and c[1])
        elif _MACRO in kinds:
            info.support = _S_MACRO
            info.support_ids = tuple(
                cc for c in cands if c[0] == _MACRO for cc in self._macros[c[1]].members
            )
        elif kinds == {_DEMONYM}:
            info.support, info.support_ids = _S_NAT, (cands[0][1],)
        elif kinds == {_COUNTRY}:
            ccs = {c[1] for c in cands}
            if len(ccs) == 1:
                cc = next(iter(ccs))
                if not self._gaz.countries[cc].ambiguous and not info.person_name:
                    info.support, info.support_ids = _S_NAT, (cc,)
        elif kinds == {_STATE}:
            if not any(c[2] for c in cands):
                info.support, info.support_ids = _S_STATE, ("US",)
        elif kinds == {_CITY}:
            known = self.settings.city_known_population
            cities = [c[1] for c in cands]
            best = max(cities, key=lambda c: (c.capital, c.population))
            rivals = [c for c in cities if c.cc != best.cc and c.population >= known / 3]
            info.support, info.support_ids = _S_CITY, (best.cc,)
            info.strong_city = (
                (best.capital or best.population >= known) and not rivals and not info.person_name
            )

    def _plan_resolve(self, info: _Info) -> None:
        """What a mention of ``info`` resolves to, as far as the spelling alone decides."""
        cands = info.cands
        if info.stop:
            return  # fixed: None
        for c in cands:
            if c[0] == _PLACE:
                info.fixed = ("place", c[1], "curated place") if c[1] else None
                return
        for c in cands:
            if c[0] == _MACRO:
                info.fixed = ("region", c[1], "region name")
                return
        countries = [c for c in cands if c[0] == _COUNTRY]
        info.states = any(c[0] == _STATE and not c[2] for c in cands)
        if countries:
            ccs = tuple(sorted({c[1] for c in countries}))
            info.countries = ccs
            info.ambiguous = info.person_name or any(
                self._gaz.countries[cc].ambiguous for cc in ccs
            )
            for cc in ccs:
                alias = all(c[2] for c in countries if c[1] == cc)
                rule = "country alias" if alias else "country name"
                if info.states:
                    rule += " (not the US state: no more US places than support for it)"
                elif len(ccs) > 1:
                    rule += f" (of {', '.join(ccs)}: most support)"
                info.country_rules[cc] = rule
            if info.ambiguous or info.states or len(ccs) > 1:
                info.mode = _R_COUNTRY
            else:
                info.fixed = ("country", ccs[0], info.country_rules[ccs[0]])
            return
        demonyms = [c for c in cands if c[0] == _DEMONYM]
        if demonyms:
            info.fixed = ("demonym", demonyms[0][1], "demonym")
            return
        if info.states:
            info.mode = _R_STATE
            return
        info.cities = tuple(c[1] for c in cands if c[0] == _CITY)
        if info.cities:
            known = self.settings.city_known_population
            info.mode = _R_CITY
            info.best_known = any(c.capital or c.population >= known for c in info.cities)

    # ----------------------------------------------------------------- resolution

    def _pair(self, mentions: list[_Mention]) -> None:
        """``City, Region``: the two mentions fix each other."""
        for a, b in itertools.pairwise(mentions):
            if a.text is not b.text or b.start != a.end + 2 or a.text[a.end : b.start] != ", ":
                continue
            cities = [c[1] for c in a.cands if c[0] == _CITY]
            if not cities or any(c[0] in (_COUNTRY, _DEMONYM, _MACRO) for c in a.cands):
                continue
            states = {c[1] for c in b.cands if c[0] == _STATE}
            countries = {c[1] for c in b.cands if c[0] == _COUNTRY}
            in_state = [c for c in cities if c.cc == "US" and c.admin1 in states]
            in_country = [c for c in cities if c.cc in countries]
            rule = "pair:City, Region"
            if in_state and (not in_country or not countries):
                a.resolved = ("city", "US", rule)
                b.resolved = ("state", "US", rule)
            elif in_country:
                best = max(in_country, key=lambda c: (c.capital, c.population))
                a.resolved = ("capital" if best.capital else "city", best.cc, rule)
                b.resolved = ("country", best.cc, rule)
            elif states and not countries:
                b.resolved = ("state", "US", rule)
                a.resolved = None
            else:
                continue
            a.paired = b.paired = True

    def _support(
        self, mentions: list[_Mention]
    ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
        """Unambiguous evidence per country: national (names, demonyms) and sub-national."""
        nat: dict[str, float] = defaultdict(float)
        sub: dict[str, float] = defaultdict(float)
        macro_support: dict[str, float] = defaultdict(float)
        for m in mentions:
            if m.paired:
                if m.resolved is not None:
                    sub[m.resolved[1]] += 1
                continue
            info = m.info
            support = info.support
            if support == _S_NONE:
                continue
            if support == _S_NAT:
                nat[info.support_ids[0]] += 1
            elif support == _S_SUB:
                for cc in info.support_ids:
                    sub[cc] += 1
            elif support == _S_MACRO:
                for cc in info.support_ids:
                    macro_support[cc] += 1
            elif support == _S_STATE:
                if not self._person_before(m) and not (info.person_name and self._person_after(m)):
                    sub["US"] += 1
            elif m.section == "dateline" or (
                not info.not_place
                and info.strong_city
                and not self._person_before(m)
                and not self._facility(m)
                and not self._names_agreement(m)
            ):
                sub[info.support_ids[0]] += 1
        return nat, sub, macro_support

    def _ctx(
        self, cc: str, nat: dict[str, float], sub: dict[str, float], macro: dict[str, float]
    ) -> float:
        country = self._gaz.countries.get(cc)
        neighbours = country.neighbours if country is not None else ()
        near = sum(1 for n in neighbours if nat.get(n) or sub.get(n))
        return nat.get(cc, 0.0) + sub.get(cc, 0.0) + 0.5 * near + macro.get(cc, 0.0)

    def _resolve(
        self,
        m: _Mention,
        nat: dict[str, float],
        sub: dict[str, float],
        macro: dict[str, float],
    ) -> tuple[str, str, str] | None:
        info = m.info
        mode = info.mode
        if mode == _R_FIXED:
            return info.fixed
        if mode == _R_CITY:
            if m.section != "dateline" and info.not_place:
                return None
            return self._resolve_city(m, info, nat, sub, macro)
        if mode == _R_STATE:
            if self._person_before(m) or (info.person_name and self._person_after(m)):
                return None
            return ("state", "US", "US state")
        ccs = info.countries
        if info.ambiguous and (self._person_before(m) or self._person_after(m)):
            return None
        if info.states:
            country_ctx = max(self._ctx(cc, nat, sub, macro) for cc in ccs)
            us_ctx = sub.get("US", 0.0)
            if us_ctx > country_ctx:
                return (
                    "state",
                    "US",
                    f"US state: US places {us_ctx:g} > support for the country {country_ctx:g}",
                )
        best = ccs[0]
        if len(ccs) > 1:
            best = max(
                ccs,
                key=lambda cc: (
                    self._ctx(cc, nat, sub, macro),
                    self._gaz.countries[cc].population,
                ),
            )
        return ("country", best, info.country_rules[best])

    def _resolve_city(
        self,
        m: _Mention,
        info: _Info,
        nat: dict[str, float],
        sub: dict[str, float],
        macro: dict[str, float],
    ) -> tuple[str, str, str] | None:
        if self._person_before(m):
            return None
        if (not info.best_known or info.person_name) and self._person_after(m):
            return None
        cities = info.cities
        best = cities[0]
        if len(cities) > 1:

            def rank(c: City) -> tuple[float, bool, int]:
                ctx = 2 * sub.get(c.cc, 0.0) + nat.get(c.cc, 0.0) + macro.get(c.cc, 0.0)
                return (ctx + (1.5 if c.capital else 0.0), c.capital, c.population)

            best = max(cities, key=rank)
        kind = "capital" if best.capital else "city"
        if m.section == "dateline":
            return (kind, best.cc, "dateline")
        if self._names_agreement(m):
            return None
        if not best.capital and not nat.get(best.cc) and not sub.get(best.cc):
            m.facility = self._facility(m)  # decided in tag(), once the rest is resolved
        if best.capital or best.population >= self.settings.city_known_population:
            return (kind, best.cc, kind if len(cities) == 1 else f"{kind} (best of {len(cities)})")
        if nat.get(best.cc) or sub.get(best.cc):
            return (kind, best.cc, "city (country evidenced elsewhere)")
        return None

    # ----------------------------------------------------------------- scoring

    def _weight_table(self, source: str) -> dict[tuple[str, str], float]:
        """Weight of a mention by (section, kind) for articles from ``source``; memoised."""
        table = self._weights.get(source)
        if table is not None:
            return table
        s = self.settings
        pos = {
            "dateline": s.source_dateline_weights.get(source, s.positions.dateline),
            "title": s.positions.title,
            "lead": s.positions.lead,
            "body": s.positions.body,
        }
        kinds = {
            "country": s.kinds.country,
            "demonym": s.kinds.demonym,
            "capital": s.kinds.capital,
            "city": s.kinds.city,
            "state": s.kinds.state,
            "place": s.kinds.place,
            "region": s.kinds.region,
        }
        table = {
            (section, kind): round(
                pos[section] * (1.0 if section == "dateline" and kind != "demonym" else kind_w), 4
            )
            for section in pos
            for kind, kind_w in kinds.items()
        }
        if len(self._weights) < _MAX_SPELLINGS:
            self._weights[source] = table
        return table

    def _primaries(
        self,
        text: TagText,
        countries: list[tuple[float, str]],
        evidence: dict[str, list[_Mention]],
    ) -> set[str]:
        """The countries the story is about, by a news desk's rules (module docstring, step 5)."""
        s = self.settings
        total = sum(score for score, _ in countries) or 1.0
        sections = {cc: {e.section for e in evidence[cc]} for _, cc in countries}
        named_early = any(secs & {"title", "lead"} for secs in sections.values())
        late = len(text.body) / 3
        eligible: list[tuple[float, str]] = []
        forced: set[str] = set()
        texts = dict(text.sections())
        for score, cc in countries:
            secs, ev = sections[cc], evidence[cc]
            if score < countries[0][0] and _venue_only(texts, ev):
                continue  # where it happened ("won the title in Moscow"), not whom it is about
            if secs == {"dateline"}:
                if named_early:
                    continue  # filed from there; the title or lead names where it is about
            elif not secs & {"dateline", "title", "lead"} and len(ev) <= 2 and ev[0].start > late:
                continue  # named only in passing, late in the body
            if len(ev) == 1 and secs <= {"lead", "body"}:
                rivals = sum(1 for other, o_cc in countries if o_cc != cc and other >= score)
                if rivals >= 3:
                    continue  # named once in a list of countries (a round-up)
            eligible.append((score, cc))
            if "title" in secs or ("dateline" in secs and len(secs) > 1):
                forced.add(cc)  # the title's countries; the dateline's, when the text names it
        if not eligible:
            return set()
        if not any(secs & {"title", "dateline"} for secs in sections.values()):
            top_score, top_cc = countries[0]
            if (
                sections[top_cc] == {"body"}
                and len(countries) >= s.roundup_min_countries
                and top_score / total < s.roundup_max_share
            ):
                return set()  # a round-up of many countries, none named at its top
        top = eligible[0][0]
        chosen = []
        for rank, (score, cc) in enumerate(eligible):
            # Demonyms ("French officials") count for being named, less for being the subject.
            plain = sum(e.weight for e in evidence[cc] if e.rule != "demonym")
            if (
                rank == 0
                or cc in forced
                or (
                    rank < s.primary_max
                    and score / total >= s.primary_min_salience
                    and score >= s.primary_min_ratio * top
                    and plain >= s.primary_min_ratio * top
                )
            ):
                chosen.append((cc not in forced, rank, cc))
        return {cc for _, _, cc in sorted(chosen)[: s.primary_max]}

    def _score(
        self, text: TagText, mentions: list[_Mention], explain: bool = True
    ) -> tuple[RegionTag, ...]:
        s = self.settings
        weights = self._weight_table(text.source or "")
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            if m.resolved is None:
                continue
            kind, ident, m.rule = m.resolved
            m.weight = weights[m.section, kind]
            scores[ident] += m.weight
            evidence[ident].append(m)
        countries = sorted(
            (
                (round(score, 3), cc)
                for cc, score in scores.items()
                if cc in self._gaz.countries and score >= s.keep_min_score and score > 0
            ),
            key=lambda t: (-t[0], t[1]),
        )
        total = sum(score for score, _ in countries) or 1.0
        tags: list[RegionTag] = []
        primary_ids = self._primaries(text, countries, evidence)
        listed_ids: set[str] = set()
        for score, cc in countries:
            salience = score / total
            primary = cc in primary_ids
            listed = (primary and s.list_primary) or salience >= s.list_min_salience
            if listed:
                listed_ids.add(cc)
            label = self._gaz.countries[cc].label
            shown = tuple(m.evidence() for m in evidence[cc]) if explain else ()
            tags.append(RegionTag(cc, label, "country", primary, score, listed, shown))
        # How many of each macro-region's members are listed (a member named twice in
        # its list counts twice, as a scan of the list would).
        counts: dict[str, int] = defaultdict(int)
        for cc in listed_ids:
            for slug in self._macros_of.get(cc, ()):
                counts[slug] += 1
        # Only a macro-region named or with a listed member can be tagged (the others are
        # not looked at: 0.005 ms an article).
        macros = self._macros
        for slug in sorted({*counts, *(ident for ident in scores if ident in macros)}):
            macro = macros[slug]
            named = round(scores[slug], 3) if slug in scores else 0.0
            inferred = macro.min_members > 0 and counts.get(slug, 0) >= macro.min_members
            if not named and not inferred:
                continue  # neither named nor inferred
            members_listed = [cc for cc in macro.members if cc in listed_ids]
            ev = [m.evidence() for m in evidence.get(slug, ())] if explain else []
            score = named
            if inferred:
                member_score = sum(sc for sc, cc in countries if cc in members_listed)
                score = round(named + member_score, 3)
                ev.append(
                    Evidence(
                        ", ".join(members_listed),
                        "body",
                        0,
                        0,
                        round(member_score, 3),
                        f"members listed: {len(members_listed)} >= {macro.min_members}",
                    )
                )
            early = any(e.section != "body" for e in evidence.get(slug, ()))
            primary = early or (inferred and any(cc in primary_ids for cc in members_listed))
            listed = inferred or named >= s.region_list_min_score or early
            shown = tuple(ev) if explain else ()
            tags.append(RegionTag(slug, macro.label, "region", primary, score, listed, shown))
        tags.sort(key=lambda t: (-t.score, t.id))
        return tuple(tags)
