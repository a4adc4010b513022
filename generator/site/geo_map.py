"""A geographic map of Japan as inline SVG: prefecture outlines and one point per
municipality with cases, each point a link to that municipality's listing.

Inline, because links inside an SVG loaded by <img> or <use> from another file do
not work from file:// and are invisible to screen readers. The outlines and town-hall
coordinates are data files made once by generator/data/build_geo.py (see
generator/data/SOURCES.md); nothing is fetched. The tile map (japan_map.py) and the
municipality list stay as the text alternatives.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from functools import cache
from html import escape

from ..municipalities import DATA, registry

RADIUS_MIN, RADIUS_STEP, RADIUS_MAX = 6.0, 3.0, 16.0
MARGIN = 6


def project(lon: float, lat: float, projection: dict, code: str = "") -> tuple[float, float]:
    """Plate carrée scaled by cos(lat_ref): good enough for Japan at this size, and simple
    enough to repeat exactly. A prefecture drawn as an inset (Okinawa) is shifted first.
    build_geo.py uses this too, so the outlines and the points cannot disagree."""
    shift = projection["insets"].get(code[:2], (0.0, 0.0))
    x = (lon + shift[0] - projection["lon0"]) * math.cos(math.radians(projection["lat_ref"]))
    y = projection["lat0"] - lat - shift[1]
    return x * projection["units_per_degree"], y * projection["units_per_degree"]


@dataclass(frozen=True)
class Geo:
    outlines: dict[str, str]                  # prefecture code → SVG path data
    located: dict[str, tuple[float, float]]   # municipality code → (lon, lat)
    projection: dict

    def point(self, code: str) -> tuple[int, int]:
        """Where a municipality's point goes in the view box: its town hall, or, for a
        prefecture, a point of its outline's land (the data has no prefectural offices)."""
        x, y = project(*self.located[code], self.projection, code)
        return round(x), round(y)


@cache
def geo() -> Geo:
    outlines = json.loads((DATA / "prefecture-outlines.json").read_text(encoding="utf-8"))
    with open(DATA / "townhalls.csv", encoding="utf-8", newline="") as f:
        located = {row["code"]: (float(row["lon"]), float(row["lat"])) for row in csv.DictReader(f)}
    return Geo(outlines["prefectures"], located, outlines["projection"])


def radius(count: int) -> float:
    return min(RADIUS_MAX, RADIUS_MIN + RADIUS_STEP * math.sqrt(max(count, 1) - 1))


def render(points: list[tuple[str, str, str, int]], prefecture_names: dict[str, str]) -> str:
    """SVG for `points` = (municipality code, accessible name, href, case count), in the
    order given (which is the keyboard order)."""
    g = geo()
    inset = g.projection["insets"]
    # The frame: the outlines, the inset boxes and the points shown. Far islands with no
    # case (Ogasawara, Amami) would otherwise leave a third of the map empty sea.
    xs, ys = [], []
    for d in g.outlines.values():
        px, py = _path_extent(d)
        xs += px
        ys += py
    frames = [_inset_frame(g, code) for code in inset]
    for left, top, right, bottom in frames:
        xs += [left, right]
        ys += [top, bottom]
    placed = [(g.point(code), label, href, count) for code, label, href, count in points]
    for (x, y), _, _, count in placed:
        xs += [x - radius(count), x + radius(count)]
        ys += [y - radius(count), y + radius(count)]
    x0, y0 = math.floor(min(xs)) - MARGIN, math.floor(min(ys)) - MARGIN
    width, height = math.ceil(max(xs)) + MARGIN - x0, math.ceil(max(ys)) + MARGIN - y0
    parts = [f'<svg class="dx-geo" viewBox="{x0} {y0} {width} {height}" role="group" '
             'aria-labelledby="dx-geo-title" aria-describedby="dx-geo-desc" xmlns="http://www.w3.org/2000/svg">',
             '<title id="dx-geo-title">事例のある団体の地図</title>',
             f'<desc id="dx-geo-desc">事例のある {len(points)} 団体を、役所・役場の位置に点で示した日本地図です。'
             '点が大きいほど事例が多い団体です。点を選ぶと、その団体の事例の一覧を開きます。'
             + ("沖縄県は左上の枠の中に移して示しています。" if inset else "")
             + '都道府県の事例は、その都道府県の形の中心に示します。</desc>',
             '<g class="dx-geo__land" aria-hidden="true">']
    for code, d in g.outlines.items():
        parts.append(f'<path d="{d}"><title>{escape(prefecture_names.get(code, ""))}</title></path>')
    parts.append("</g>")
    for left, top, right, bottom in frames:  # so nobody reads an inset as the real position
        parts.append(f'<rect class="dx-geo__inset" aria-hidden="true" x="{left:.0f}" y="{top:.0f}" '
                     f'width="{right - left:.0f}" height="{bottom - top:.0f}"/>')
    parts.append('<g class="dx-geo__points">')
    for (x, y), label, href, count in placed:
        # the <title> is both the link's accessible name (SVG-AAM) and the tooltip a mouse shows;
        # an aria-label beside it would double the weight of the biggest part of the map
        parts.append(f'<a href="{escape(href)}"><title>{escape(label)}</title>'
                     f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius(count):.3g}"/></a>')
    parts.append("</g></svg>")
    return "".join(parts)


def _inset_frame(g: Geo, code: str) -> tuple[float, float, float, float]:
    """The box around a shifted prefecture: its outline and all its municipalities."""
    xs, ys = _path_extent(g.outlines[code])
    for c in g.located:
        if c[:2] == code:
            x, y = g.point(c)
            xs.append(x)
            ys.append(y)
    pad = 10
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


def _path_extent(d: str) -> tuple[list[float], list[float]]:
    """Absolute points of a path written by build_geo (`M x y l dx dy …z`)."""
    head, _, rest = d[1:].partition("l")
    x, y = map(int, head.split())
    xs, ys = [x], [y]
    numbers = [int(n) for n in rest.rstrip("z").split()]
    for dx, dy in zip(numbers[::2], numbers[1::2]):
        x, y = x + dx, y + dy
        xs.append(x)
        ys.append(y)
    return xs, ys


def case_points(collection, href) -> list[tuple[str, str, str, int]]:
    """One point per municipality with cases, counted as its listing page counts them
    (cases it ran and cases it ran jointly), in code order: north to south, roughly."""
    counts: dict[str, int] = {}
    for case in collection:
        for code in {case.place.municipality.code, *(p.municipality.code for p in case.partners)}:
            counts[code] = counts.get(code, 0) + 1
    reg = registry()
    return [(code, f"{reg.by_code[code].full_name}（{count} 件）", href(code), count)
            for code, count in sorted(counts.items())]
