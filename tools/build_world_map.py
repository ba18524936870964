"""Reduce Natural Earth's 1:110m countries to the small map data feedtool ships.

Dev-time only (never needed to build a site). The source is Natural Earth's 1:110m
admin-0 countries (public domain), as shipped in the geopandas 0.14.4 wheel
(``geopandas/datasets/naturalearth_lowres``), read straight from the wheel with the
pure-Python ``pyshp``. The script keys each country by its ISO 3166-1 alpha-2 code
(from ISO_A3 via feedtool's gazetteer; a few Natural Earth units without an ISO code are
fixed by name), drops Antarctica, projects equirectangularly (longitude -180…180 to
x 0…600, latitude 84…-57 to y 0…235), simplifies each ring (Douglas–Peucker), rounds to
integers and writes ``feedtool/render/world_map.py``. Countries too small to draw at that
size, and those absent from the 1:110m data (small island states, territories), become
dots: at their capital from Natural Earth's ``naturalearth_cities`` (same wheel) or at a
hand-written point below.

    pip install pyshp
    pip download --no-deps geopandas==0.14.4 -d /tmp/ne
    python tools/build_world_map.py --wheel /tmp/ne/geopandas-0.14.4-py3-none-any.whl
    ruff format feedtool/render/world_map.py
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import io
import itertools
import math
import zipfile
from collections.abc import Sequence
from pathlib import Path

import shapefile  # type: ignore[import-untyped]  # pyshp: pip install pyshp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "feedtool" / "render" / "world_map.py"
GAZETTEER = ROOT / "feedtool" / "tagging" / "data" / "regions_gazetteer.tsv"
COUNTRIES = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
CITIES = "geopandas/datasets/naturalearth_cities/naturalearth_cities"

WIDTH = 600
NORTH, SOUTH = 84.0, -57.0  # Greenland's north cape; below Cape Horn and South Georgia.
SCALE = WIDTH / 360.0
HEIGHT = math.ceil((NORTH - SOUTH) * SCALE)
MIN_AREA = 2.0  # rings smaller than this (square units after rounding) are dropped
DOT_AREA = 4.0  # a country whose kept rings add up to less is drawn as a dot

Point = tuple[float, float]

#: Natural Earth units whose ISO_A3 is "-99" or not an ISO code. France and Norway are
#: "-99" in some Natural Earth releases; Northern Cyprus and Somaliland are drawn as part
#: of the country ISO 3166 counts them in.
BY_NAME = {
    "France": "FR",
    "Kosovo": "XK",
    "N. Cyprus": "CY",
    "Norway": "NO",
    "Somaliland": "SO",
}
BY_A3 = {"CYN": "CY", "SOL": "SO", "KOS": "XK"}
#: Parts of a Natural Earth unit that ISO 3166 codes separately: rings whose first point lies
#: in the box (west, east, south, north, in degrees) go to that code.
SPLITS = {
    "FR": (("GF", -55.0, -51.0, 2.0, 6.0),),  # French Guiana
    "NO": (("SJ", 10.0, 35.0, 74.0, 81.0),),  # Svalbard
}
DROP = {"AQ"}  # Antarctica: large, empty of news, and it doubles the map's height.
#: Gazetteer codes with no place on the map: retired (AN, CS) or dropped (AQ).
NOT_DRAWN = {"AN", "AQ", "CS"}

#: Dots at a capital in ``naturalearth_cities`` (by its name there).
CAPITALS = {
    "AD": "Andorra",
    "AG": "Saint John's",
    "BB": "Bridgetown",
    "BH": "Manama",
    "CV": "Praia",
    "DM": "Roseau",
    "FM": "Palikir",
    "GD": "Saint George's",
    "HK": "Hong Kong",
    "KI": "Tarawa",
    "KM": "Moroni",
    "KN": "Basseterre",
    "LC": "Castries",
    "LI": "Vaduz",
    "MC": "Monaco",
    "MH": "Majuro",
    "MT": "Valletta",
    "MU": "Port Louis",
    "MV": "Malé",
    "PW": "Melekeok",
    "SC": "Victoria",
    "SG": "Singapore",
    "SM": "San Marino",
    "ST": "São Tomé",
    "TO": "Nuku'alofa",
    "TV": "Funafuti",
    "VA": "Vatican City",
    "VC": "Kingstown",
    "WS": "Apia",
}

#: Dots for territories with no capital in ``naturalearth_cities``: (longitude, latitude)
#: of the main island or town, to a tenth of a degree (far finer than the map).
POINTS: dict[str, Point] = {
    "AI": (-63.1, 18.2),
    "AS": (-170.7, -14.3),
    "AW": (-70.0, 12.5),
    "AX": (19.9, 60.1),
    "BL": (-62.8, 17.9),
    "BM": (-64.8, 32.3),
    "BQ": (-68.3, 12.2),
    "BV": (3.4, -54.4),
    "CC": (96.9, -12.2),
    "CK": (-159.8, -21.2),
    "CW": (-68.9, 12.2),
    "CX": (105.6, -10.5),
    "FO": (-6.9, 62.0),
    "GG": (-2.6, 49.5),
    "GI": (-5.4, 36.1),
    "GP": (-61.6, 16.3),
    "GS": (-36.5, -54.4),
    "GU": (144.8, 13.4),
    "HM": (73.5, -53.1),
    "IM": (-4.5, 54.2),
    "IO": (72.4, -7.3),
    "JE": (-2.1, 49.2),
    "KY": (-81.3, 19.3),
    "MF": (-63.1, 18.1),
    "MO": (113.6, 22.2),
    "MP": (145.8, 15.2),
    "MQ": (-61.0, 14.6),
    "MS": (-62.2, 16.7),
    "NF": (168.0, -29.0),
    "NR": (166.9, -0.5),
    "NU": (-169.9, -19.1),
    "PF": (-149.4, -17.7),
    "PM": (-56.2, 46.8),
    "PN": (-130.1, -25.1),
    "RE": (55.5, -21.1),
    "SH": (-5.7, -16.0),
    "SX": (-63.1, 18.0),
    "TC": (-71.8, 21.8),
    "TK": (-171.9, -9.2),
    "UM": (166.6, 19.3),  # Wake Island
    "VG": (-64.6, 18.4),
    "VI": (-64.9, 18.3),
    "WF": (-176.2, -13.3),
    "YT": (45.2, -12.8),
}


def project(lon: float, lat: float) -> Point:
    """Equirectangular: map units from the top-left corner (-180°, NORTH)."""
    return (lon + 180.0) * SCALE, (NORTH - lat) * SCALE


def _distance(p: Point, a: Point, b: Point) -> float:
    if a == b:
        return math.dist(p, a)
    (x, y), (x1, y1), (x2, y2) = p, a, b
    return abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / math.dist(a, b)


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, index = 0.0, -1
        for k in range(lo + 1, hi):
            dist = _distance(points[k], points[lo], points[hi])
            if dist > best:
                best, index = dist, k
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.extend([(lo, index), (index, hi)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def _signed_area(ring: Sequence[Point]) -> float:
    pairs = zip(ring, [*ring[1:], ring[0]], strict=True)
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs) / 2.0


def _centroid(ring: list[Point]) -> Point:
    """Area centroid of a ring (its vertex mean if it has no area)."""
    area = _signed_area(ring)
    if abs(area) < 1e-9:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def _numbers(values: list[int]) -> str:
    """Integers joined by a space, except before a minus sign (which separates them)."""
    return "".join(str(v) if k == 0 or v < 0 else f" {v}" for k, v in enumerate(values))


def encode(rings: list[list[tuple[int, int]]]) -> str:
    """``M x y l dx dy … z`` per ring, integers; later rings move relative to the last start."""
    out: list[str] = []
    px = py = 0
    for n, ring in enumerate(rings):
        x0, y0 = ring[0]
        out.append(("M" + _numbers([x0, y0])) if n == 0 else ("m" + _numbers([x0 - px, y0 - py])))
        deltas: list[int] = []
        for (ax, ay), (bx, by) in itertools.pairwise(ring):
            deltas += [bx - ax, by - ay]
        out.append("l" + _numbers(deltas) + "z")
        px, py = x0, y0
    return "".join(out)


def iso_codes(gazetteer: Path) -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> alpha-2, from feedtool's gazetteer (country rows)."""
    codes: dict[str, str] = {}
    for line in gazetteer.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if not line.startswith("#") and cols[0] == "C":
            codes[cols[2]] = cols[1]
    return codes


def country_code(a3: str, name: str, codes: dict[str, str]) -> str:
    """The alpha-2 code of a Natural Earth unit; exits on one it cannot place."""
    if name in BY_NAME:
        return BY_NAME[name]
    if a3 in BY_A3:
        return BY_A3[a3]
    if a3 in codes:
        return codes[a3]
    raise SystemExit(f"no ISO 3166-1 alpha-2 code for {name!r} (ISO_A3 {a3!r})")


class Wheel:
    """The geopandas wheel: shapefiles read from the archive, without unpacking it."""

    def __init__(self, path: Path) -> None:
        self.archive = zipfile.ZipFile(path)
        meta = next(n for n in self.archive.namelist() if n.endswith(".dist-info/METADATA"))
        headers = email.parser.HeaderParser().parsestr(self.archive.read(meta).decode())
        self.version = f"{headers['Name']} {headers['Version']}"

    def read(self, stem: str) -> shapefile.Reader:
        """A reader over ``stem``.shp/.shx/.dbf in the wheel."""
        files = {
            ext: io.BytesIO(self.archive.read(f"{stem}.{ext}")) for ext in ("shp", "shx", "dbf")
        }
        encoding = self.archive.read(f"{stem}.cpg").decode("ascii").strip()  # ISO-8859-1 here
        return shapefile.Reader(
            shp=files["shp"], shx=files["shx"], dbf=files["dbf"], encoding=encoding
        )

    def sha256(self, name: str) -> str:
        """SHA-256 of one member, hex."""
        return hashlib.sha256(self.archive.read(name)).hexdigest()


def read_countries(wheel: Wheel, codes: dict[str, str]) -> dict[str, list[list[Point]]]:
    """``{alpha-2: [ring of projected points, …]}``, Antarctica left out."""
    countries: dict[str, list[list[Point]]] = {}
    reader = wheel.read(COUNTRIES)
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        code = country_code(record["iso_a3"], record["name"], codes)
        if code in DROP:
            continue
        starts = [*shape.parts, len(shape.points)]
        for lo, hi in itertools.pairwise(starts):
            lonlat = [(p[0], p[1]) for p in shape.points[lo:hi]]
            if lonlat[0] == lonlat[-1]:
                lonlat.pop()
            (lon0, lat0), part = lonlat[0], code
            for split, west, east, south, north in SPLITS.get(code, ()):
                if west <= lon0 <= east and south <= lat0 <= north:
                    part = split
            countries.setdefault(part, []).append([project(x, y) for x, y in lonlat])
    return countries


def read_cities(wheel: Wheel) -> dict[str, Point]:
    """``{city name: projected point}`` of ``naturalearth_cities``."""
    reader = wheel.read(CITIES)
    cities: dict[str, Point] = {}
    for record, shape in zip(reader.records(), reader.shapes(), strict=True):
        lon, lat = shape.points[0][:2]
        cities[record["name"]] = project(lon, lat)
    return cities


def reduce_rings(rings: list[list[Point]], tolerance: float) -> list[list[tuple[int, int]]]:
    """Simplified, integer rings, dropping those with less than MIN_AREA."""
    out: list[list[tuple[int, int]]] = []
    for ring in rings:
        rounded: list[tuple[int, int]] = []
        for x, y in simplify([*ring, ring[0]], tolerance)[:-1]:
            p = (round(x), round(y))
            if not rounded or rounded[-1] != p:
                rounded.append(p)
        while len(rounded) > 1 and rounded[-1] == rounded[0]:
            rounded.pop()
        if len(rounded) >= 3 and abs(_signed_area(rounded)) >= MIN_AREA:
            out.append(rounded)
    return out


def reduce_map(wheel: Wheel, tolerance: float) -> tuple[dict[str, str], dict[str, Point]]:
    """``({code: path d}, {code: (cx, cy)})`` of the reduced map."""
    countries = read_countries(wheel, iso_codes(GAZETTEER))
    cities = read_cities(wheel)
    paths: dict[str, str] = {}
    dots: dict[str, Point] = {}
    for code in sorted(countries):
        kept = reduce_rings(countries[code], tolerance)
        if sum(abs(_signed_area(r)) for r in kept) >= DOT_AREA:
            paths[code] = encode(kept)
        else:  # too small to see: a dot at the centre of its largest ring
            largest = max(countries[code], key=lambda r: abs(_signed_area(r)))
            dots[code] = _centroid(largest)
    for code, city in CAPITALS.items():
        if code not in paths:
            dots[code] = cities[city]
    for code, (lon, lat) in POINTS.items():
        if code not in paths:
            dots[code] = project(lon, lat)
    return paths, {c: (round(x, 1), round(y, 1)) for c, (x, y) in sorted(dots.items())}


def write_module(paths: dict[str, str], dots: dict[str, Point], source: str) -> str:
    """The generated Python module's text."""
    lines = [
        '"""World map outlines for the coverage map. GENERATED by tools/build_world_map.py.',
        "",
        "Source: Natural Earth 1:110m admin-0 countries and populated places (public domain,",
        "https://www.naturalearthdata.com/), via the geopandas 0.14.4 wheel's",
        f"naturalearth_lowres dataset ({source}).",
        "Equirectangular projection, Antarctica left out. Do not edit by hand: rerun the tool.",
        '"""',
        "",
        "# ruff: noqa: E501",
        "",
        f'VIEWBOX = "0 0 {WIDTH} {HEIGHT}"',
        "",
        "#: ISO 3166-1 alpha-2 code -> SVG path data.",
        "PATHS: dict[str, str] = {",
    ]
    lines += [f'    "{code}": "{d}",' for code, d in paths.items()]
    lines += [
        "}",
        "",
        "#: Marker centres for countries too small to see.",
        "DOTS: dict[str, tuple[float, float]] = {",
    ]
    lines += [f'    "{code}": ({x}, {y}),' for code, (x, y) in dots.items()]
    lines += ["}", ""]
    return "\n".join(lines)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, required=True, help="geopandas-0.14.4 wheel")
    parser.add_argument("--tolerance", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    wheel = Wheel(args.wheel)
    if wheel.version != "geopandas 0.14.4":
        raise SystemExit(f"expected the geopandas 0.14.4 wheel, got {wheel.version}")
    paths, dots = reduce_map(wheel, args.tolerance)
    missing = sorted(set(iso_codes(GAZETTEER).values()) - set(paths) - set(dots) - NOT_DRAWN)
    if missing:
        raise SystemExit(f"gazetteer countries with no place on the map: {missing}")
    digest = wheel.sha256(f"{COUNTRIES}.shp")
    text = write_module(paths, dots, f"naturalearth_lowres.shp SHA-256 {digest}")
    args.out.write_text(text, encoding="utf-8")
    size = sum(len(d) for d in paths.values())
    print(f"{args.out}: {len(paths)} countries, {len(dots)} dots, path data {size} bytes")


if __name__ == "__main__":
    main()
