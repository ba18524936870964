"""The region tagger's data: countries, cities, US states, demonyms, macro-regions, stop-lists.

Everything comes from files committed beside this module (``data/regions_*``): the
generated ``regions_gazetteer.tsv`` and ``regions_cities_small.tsv`` (see
``tools/build_gazetteer.py``; GeoNames data, CC BY 4.0) and the hand-curated YAML files.
Nothing is downloaded. The files are read once per process (:func:`load_gazetteer` is
cached); city rows are parsed only when a tagger asks for them, and only those big enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from feedtool.memory import paused_gc
from feedtool.tagging.matcher import ascii_fold, fold

__all__ = [
    "City",
    "Country",
    "Gazetteer",
    "MacroRegion",
    "StopLists",
    "load_gazetteer",
    "name_forms",
]

_DATA = "feedtool.tagging.data"
#: Cities of at least this many people are in ``regions_gazetteer.tsv`` (read at start-up),
#: smaller ones in ``regions_cities_small.tsv`` (read only for a lower
#: ``city_min_population``). Equal to that setting's default.
CITY_FILE_SPLIT = 50_000


@dataclass(frozen=True)
class MacroRegion:
    """A macro-region readers subscribe to (``the South Caucasus``, ``the Sahel``)."""

    label: str = field(default="", metadata={"help": "Name shown on pages and feeds."})
    members: tuple[str, ...] = field(
        default=(), metadata={"help": "Member countries, ISO 3166-1 alpha-2 codes."}
    )
    aliases: tuple[str, ...] = field(
        default=(), metadata={"help": "Names that mention the region in text (case rules apply)."}
    )
    feed: bool = field(default=True, metadata={"help": "Give the region a page and a feed."})
    min_members: int = field(
        default=0,
        metadata={
            "help": "Tag the region when at least this many member countries are listed for "
            "an article; 0: only when the region is named."
        },
    )


@dataclass(frozen=True, slots=True)
class Country:
    """A country or territory of ISO 3166-1 (plus Kosovo, XK)."""

    id: str
    label: str
    population: int
    neighbours: tuple[str, ...]
    capital: str
    names: tuple[str, ...]
    ambiguous: bool


class City(NamedTuple):
    """A populated place of GeoNames.

    A named tuple of plain values, so the garbage collector stops tracking the 30,000 of
    them (a tracked object would be re-scanned on every full collection while tagging).
    """

    cc: str
    admin1: str
    population: int
    capital: bool
    name: str


@dataclass(frozen=True)
class StopLists:
    """Curated word lists used by the person and place guards (folded to lower case)."""

    not_places: frozenset[str]
    person_names: frozenset[str]
    titles: frozenset[str]
    function_words: frozenset[str]
    place_words: frozenset[str]
    #: language names (a demonym that is one does not count in a language context)
    languages: frozenset[str]
    #: words before a language name that make it the language ("translated into")
    language_before: frozenset[str]
    #: words after a language name that make it the language ("-language", "speakers")
    language_after: frozenset[str]
    #: second halves of hyphenated origins ("Indian-American")
    origin_second: frozenset[str]
    #: words of relations between countries ("Indian-American relations")
    bilateral_words: frozenset[str]
    #: words after a name that make it a facility's ("Kennedy Space Center")
    facility_words: frozenset[str]
    #: words after a city that make it the name of an agreement ("Minsk agreements")
    agreement_words: frozenset[str]


@dataclass(frozen=True)
class Gazetteer:
    """All the place data, as read from the committed files."""

    countries: dict[str, Country]
    #: the generated file's rows of cities of at least CITY_FILE_SPLIT people, unparsed
    city_rows: tuple[str, ...]
    #: US state code -> (names, AP abbreviations)
    states: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    demonyms: dict[str, tuple[str, ...]]
    #: curated place name -> country id, or None for "not a place"
    places: dict[str, str | None]
    macro_regions: dict[str, MacroRegion]
    stop: StopLists
    #: curated aliases of each country (first preference when a name is ambiguous)
    aliases: dict[str, tuple[str, ...]]
    _cities: dict[int, tuple[tuple[tuple[str, ...], City], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def cities(self, min_population: int = 0) -> tuple[tuple[tuple[str, ...], City], ...]:
        """Cities of at least ``min_population`` as ``(names, City)``.

        Sorted by name, then population (largest first), as the generator writes them.
        Rows are parsed on first use, and only those big enough; the file of smaller
        cities is read only when ``min_population`` is below ``CITY_FILE_SPLIT``.
        """
        cached = self._cities.get(min_population)
        if cached is not None:
            return cached
        with paused_gc():
            result = self._cities[min_population] = self._parse_cities(min_population)
        return result

    def _parse_cities(self, min_population: int) -> tuple[tuple[tuple[str, ...], City], ...]:
        small = min_population < CITY_FILE_SPLIT
        rows = self.city_rows
        if small:
            rows += tuple(r for r in _read(_SMALL_CITIES).splitlines() if r.startswith("P"))
        out: list[tuple[tuple[str, ...], City]] = []
        order: list[tuple[str, int, str]] = []
        for row in rows:
            _, cc, admin1, pop, capital, names = row.split("\t")
            population = int(pop)
            if population >= min_population:
                split = tuple(names.split("|"))
                out.append((split, City(cc, admin1, population, capital == "1", split[0])))
                if small:
                    order.append((split[0], -population, row))
        if small:  # the two files' rows in the order of the list they were split from
            ranks = sorted(range(len(out)), key=order.__getitem__)
            out = [out[i] for i in ranks]
        return tuple(out)


def name_forms(name: str) -> list[str]:
    """``name`` and its accent-free form, without duplicates (``Tehrān``, ``Tehran``)."""
    name = name.strip().replace("\u2019", "'")
    return list(dict.fromkeys([name, ascii_fold(name)]))


_SMALL_CITIES = "regions_cities_small.tsv"


def _read(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


def _yaml(name: str) -> Any:
    return yaml.load(_read(name), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _words(values: list[Any]) -> frozenset[str]:
    return frozenset(fold(str(v)) for v in values)


def _parse_tsv(
    text: str,
) -> tuple[
    list[tuple[str, int, tuple[str, ...], str, tuple[str, ...]]],
    tuple[str, ...],
    dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
]:
    countries = []
    cities: list[str] = []
    states: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for line in text.splitlines():
        kind = line[:1]
        if kind == "P":
            cities.append(line)  # parsed on demand, see Gazetteer.cities
        elif kind == "C":
            cols = line.split("\t")
            neighbours = tuple(cols[5].split(",")) if cols[5] else ()
            countries.append(
                (cols[1], int(cols[3]), neighbours, cols[6], tuple(cols[7].split("|")))
            )
        elif kind == "S":
            cols = line.split("\t")
            names = tuple(cols[3].split("|"))
            states[cols[2]] = (names[:1], names[1:])
    return countries, tuple(cities), states


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read the committed data files (once per process)."""
    with paused_gc():
        return _load()


def _load() -> Gazetteer:
    rows, cities, states = _parse_tsv(_read("regions_gazetteer.tsv"))
    curated: dict[str, dict[str, Any]] = _yaml("regions_countries.yaml")
    countries: dict[str, Country] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for cc, population, neighbours, capital, names in rows:
        extra = curated.get(cc, {})
        aliases[cc] = tuple(str(a) for a in extra.get("aliases", ()))
        label = str(extra.get("label", names[0]))
        countries[cc] = Country(
            id=cc,
            label=label,
            population=population,
            neighbours=neighbours,
            capital=capital,
            names=tuple(dict.fromkeys((label, *names))),
            ambiguous=bool(extra.get("ambiguous", False)),
        )
    demonyms_raw: dict[str, list[str]] = _yaml("regions_demonyms.yaml")
    demonyms: dict[str, tuple[str, ...]] = {}
    for cc, forms in demonyms_raw.items():
        out: list[str] = []
        for form in forms:
            out.append(form)
            if form.endswith(("an", "i")) and " " not in form[-3:]:
                out.append(form + "s")
        demonyms[cc] = tuple(dict.fromkeys(out))
    places_raw: dict[str, Any] = _yaml("regions_places.yaml")["places"]
    places = {str(k): (None if v == "-" else str(v)) for k, v in places_raw.items()}
    macro_raw: dict[str, dict[str, Any]] = _yaml("regions_macro.yaml")
    macros = {
        slug: MacroRegion(
            label=str(m["label"]),
            members=tuple(m.get("members", ())),
            aliases=tuple(str(a) for a in m.get("aliases", ())),
            feed=bool(m.get("feed", True)),
            min_members=int(m.get("min_members", 0)),
        )
        for slug, m in macro_raw.items()
    }
    stop_raw: dict[str, list[Any]] = _yaml("regions_stoplists.yaml")
    # Each list of the YAML file is the StopLists field of the same name.
    stop = StopLists(**{f.name: _words(stop_raw[f.name]) for f in fields(StopLists)})
    return Gazetteer(
        countries=countries,
        city_rows=cities,
        states=states,
        demonyms=demonyms,
        places=places,
        macro_regions=macros,
        stop=stop,
        aliases=aliases,
    )
