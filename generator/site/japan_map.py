"""A tile map of Japan as inline SVG: one square per prefecture, coloured by
number of cases. Built at build time; no map tiles, no script, works offline.

The grid positions are this project's own rough geographic layout.
"""

from __future__ import annotations

from html import escape

# prefecture code → (row, column)
LAYOUT = {
    "01": (0, 12),
    "02": (1, 11),
    "05": (2, 10), "03": (2, 11),
    "17": (3, 7), "16": (3, 8), "15": (3, 9), "06": (3, 10), "04": (3, 11),
    "18": (4, 6), "21": (4, 7), "20": (4, 8), "10": (4, 9), "09": (4, 10), "07": (4, 11),
    "32": (5, 2), "31": (5, 3), "28": (5, 4), "26": (5, 5), "25": (5, 6), "23": (5, 7), "19": (5, 8),
    "11": (5, 9), "08": (5, 10),
    "42": (6, 0), "41": (6, 1), "40": (6, 2), "35": (6, 3), "34": (6, 4), "33": (6, 5), "27": (6, 6),
    "29": (6, 7), "24": (6, 8), "22": (6, 9), "14": (6, 10), "13": (6, 11), "12": (6, 12),
    "43": (7, 0), "44": (7, 1), "38": (7, 4), "37": (7, 5), "30": (7, 7),
    "46": (8, 0), "45": (8, 1), "39": (8, 4), "36": (8, 5),
    "47": (10, 0),
}
# Light to dark: readable black text on every step (contrast ≥ 4.5:1).
SCALE = ["#f2f2f2", "#d6e9f8", "#a9d1f0", "#7db8e6", "#5aa2dc"]
CELL, GAP = 44, 3


def _step(count: int, top: int) -> int:
    if count == 0 or top == 0:
        return 0
    return 1 + min(3, (count - 1) * 4 // max(top, 1))


def render(prefectures, counts: dict[str, int], href) -> str:
    """SVG for all 47 prefectures; `href(prefecture)` links those with cases."""
    top = max(counts.values(), default=0)
    rows = 1 + max(r for r, _ in LAYOUT.values())
    cols = 1 + max(c for _, c in LAYOUT.values())
    width, height = cols * (CELL + GAP), rows * (CELL + GAP)
    parts = [f'<svg class="dx-map" viewBox="0 0 {width} {height}" role="group" '
             f'aria-labelledby="dx-map-title" xmlns="http://www.w3.org/2000/svg">',
             '<title id="dx-map-title">都道府県別の事例数の地図</title>']
    for pref in prefectures:
        row, col = LAYOUT[pref.code]
        count = counts.get(pref.code, 0)
        x, y = col * (CELL + GAP), row * (CELL + GAP)
        label = f"{pref.name} {count}件"
        short = pref.name[:-1] if pref.name not in ("北海道",) and len(pref.name) > 2 else pref.name
        tile = (f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="4" fill="{SCALE[_step(count, top)]}" '
                f'stroke="#8a8a8a" stroke-width="1"/>'
                f'<text x="{x + CELL / 2}" y="{y + 18}" text-anchor="middle" font-size="11">{escape(short)}</text>'
                f'<text x="{x + CELL / 2}" y="{y + 35}" text-anchor="middle" font-size="12" font-weight="bold">{count}</text>')
        if count:
            parts.append(f'<a href="{escape(href(pref))}" aria-label="{escape(label)}"><title>{escape(label)}</title>{tile}</a>')
        else:
            parts.append(f'<g aria-label="{escape(label)}"><title>{escape(label)}</title>{tile}</g>')
    parts.append("</svg>")
    return "".join(parts)
