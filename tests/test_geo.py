"""The map data (generator/data/build_geo.py → prefecture-outlines.json, townhalls.csv)
and what the map and 「自分の団体に近い事例」 are built from."""

from __future__ import annotations

import csv
import html
import json
import math
import re
import sys

import pytest

from generator.municipalities import DATA, has_valid_check_digit, registry
from generator.site import geo_map, nearby

sys.path.insert(0, str(DATA))
import build_geo  # noqa: E402  (a maintainer tool kept beside its data)


def rows() -> list[dict]:
    with open(DATA / "townhalls.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def ring(code: str) -> list[tuple[int, int]]:
    xs, ys = geo_map._path_extent(geo_map.geo().outlines[code])
    return list(zip(xs, ys))


def test_every_official_code_has_a_position_and_no_other_code_does():
    codes = [r["code"] for r in rows()]
    assert len(codes) == len(set(codes)) == 1788
    assert set(codes) == {m.code for m in registry().entries}
    assert all(len(c) == 6 and has_valid_check_digit(c) for c in codes)


def test_codes_lost_their_leading_zero_in_the_source_and_are_padded_back():
    by_code = {r["code"]: r for r in rows()}
    sapporo = by_code["011002"]  # 11002 in japancode
    assert (float(sapporo["lon"]), float(sapporo["lat"])) == pytest.approx((141.354, 43.062), abs=0.01)
    assert sapporo["kind"] == "townhall"
    assert not any(len(r["code"]) != 6 for r in rows())


@pytest.mark.parametrize("code, prefecture", [("222208", "22"), ("011002", "01"), ("131016", "13"),
                                              ("192015", "19"), ("472018", "47")])
def test_a_known_town_hall_lies_inside_its_prefecture_outline(code, prefecture):
    """裾野市, 札幌市, 千代田区, 甲府市 and 那覇市 (Okinawa is an inset: both move together)."""
    point = geo_map.geo().point(code)
    outline = ring(prefecture)
    xs, ys = zip(*outline)
    assert min(xs) <= point[0] <= max(xs) and min(ys) <= point[1] <= max(ys)
    assert build_geo.inside(point, outline)
    for other in {p.code for p in registry().prefectures} - {prefecture}:
        assert not build_geo.inside(point, ring(other))


def test_town_halls_outside_their_prefecture_box_are_all_on_islands_without_an_outline():
    outside = []
    for m in registry().entries:
        xs, ys = zip(*ring(m.prefecture_code))
        x, y = geo_map.geo().point(m.code)
        if not (min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)):
            outside.append(m.full_name)
    assert len(outside) < 70
    assert {"東京都小笠原村", "長崎県対馬市", "鹿児島県奄美市", "兵庫県洲本市", "沖縄県石垣市"} <= set(outside)
    assert "静岡県裾野市" not in outside


def test_a_prefecture_is_placed_on_its_own_land():
    for p in registry().prefectures:
        code = next(m.code for m in registry().entries if m.type == "都道府県" and m.prefecture_code == p.code)
        assert build_geo.inside(geo_map.geo().point(code), ring(p.code)), p.name
    kinds = {r["code"]: r["kind"] for r in rows()}
    assert kinds["370002"] == "centroid" and kinds["372013"] == "townhall"


def test_simplify_keeps_both_ends_and_stays_within_the_tolerance():
    line = [(i / 10, math.sin(i / 3) * 0.05) for i in range(200)]
    kept = build_geo.simplify(line, 0.01)
    assert kept[0] == line[0] and kept[-1] == line[-1]
    assert 3 < len(kept) < len(line)
    for px, py in line:  # every dropped point is near the simplified line
        distance = min(_segment_distance((px, py), a, b) for a, b in zip(kept, kept[1:]))
        assert distance <= 0.01 + 1e-9


def _segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def test_path_data_gives_back_the_rounded_points():
    points = [(10, 20), (13, 18), (13, 18), (9, 25), (-4, 7)]
    d = build_geo.path_data(points)
    assert re.fullmatch(r"M-?\d+ -?\d+l[-\d ]+z", d)
    xs, ys = geo_map._path_extent(d)
    assert list(zip(xs, ys)) == [(10, 20), (13, 18), (9, 25), (-4, 7)]


def test_outlines_are_small_and_all_there():
    data = json.loads((DATA / "prefecture-outlines.json").read_text(encoding="utf-8"))
    assert sorted(data["prefectures"]) == [p.code for p in registry().prefectures]
    assert sum(len(d) for d in data["prefectures"].values()) < 25_000


def test_render_links_every_point_with_its_name_in_the_order_given():
    points = [("222208", '裾野市"<x>（3 件）', "../municipalities/222208/", 3),
              ("011002", "札幌市（1 件）", "../municipalities/011002/", 1)]
    svg = geo_map.render(points, {"22": "静岡県"})
    links = re.findall(r'<a href="([^"]*)"><title>([^<]*)</title><circle [^>]*r="([\d.]+)"', svg)
    assert [(h, html.unescape(label)) for h, label, _ in links] == [(p[2], p[1]) for p in points]
    assert float(links[0][2]) > float(links[1][2])
    assert '<title id="dx-geo-title">' in svg and '<desc id="dx-geo-desc">' in svg
    assert "<x>" not in svg


def test_point_size_grows_with_the_count_and_is_capped():
    sizes = [geo_map.radius(n) for n in (1, 2, 5, 20, 500)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[1] and sizes[-1] == geo_map.RADIUS_MAX


def test_picker_data_is_the_official_list_and_small(tmp_path):
    from generator.model import CaseCollection
    data = json.loads(nearby.data_script(CaseCollection([])).decode("utf-8").split("=", 1)[1].rstrip(";\n"))
    assert len(data["municipalities"]) == 1788
    assert data["municipalities"][1] == ["011002", "札幌市", "サッポロシ", data["types"].index("政令指定都市")]
    assert data["population"] == {}
    assert len(nearby.data_script(CaseCollection([]))) < 100_000


def test_picker_population_is_the_newest_a_case_states(root):
    """Two cases of 裾野市 state its population at different dates: the newer one is offered."""
    import dataclasses

    from generator import model
    (case,) = [c for c in model.build(root.check().cases) if c.place.municipality.code == "222208"]
    assert case.population == {"count": 49936, "as_of": "2023-04"}
    newer = dataclasses.replace(case, id="222208-newer", title="新しい窓口",
                                population={"count": 48500, "as_of": "2025-10"})
    for cases in ([case, newer], [newer, case]):
        data = nearby.build_data(model.CaseCollection(cases))
        assert data["population"] == {"222208": [48500, "2025-10"]}
