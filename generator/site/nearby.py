"""Data for 「自分の団体に近い事例」: the official municipality list for the picker, and
what the site knows of each one's population.

The cases themselves come from the catalogue data (catalogue.py), already on the
page's script list, so there is one copy of the case rows. Like the catalogue it
reaches the page as a `<script>` file (pages opened from disk cannot fetch).
Kept small: code, name, reading and type only; the prefecture is the code's first
two digits.
"""

from __future__ import annotations

import json

from ..model import POPULATION_BANDS, CaseCollection
from ..municipalities import TYPES, registry

PAGE = "nearby.md"
DATA_FILE = "assets/dx/municipalities-data.js"


def build_data(collection: CaseCollection) -> dict:
    reg = registry()
    regions = list(dict.fromkeys(p.region for p in reg.prefectures))
    # the newest population a case states for its municipality (as_of, then the count)
    population: dict[str, tuple[str, int]] = {}
    for case in collection:
        if case.population:
            code = case.place.municipality.code
            known = (str(case.population.get("as_of", "")), case.population["count"])
            if code not in population or known > population[code]:
                population[code] = known
    return {
        "types": list(TYPES),
        "regions": regions,
        "prefectures": [[p.code, p.name, regions.index(p.region)] for p in reg.prefectures],
        "bands": [[label, lower] for label, lower in POPULATION_BANDS],
        "municipalities": [[m.code, m.name, m.kana, TYPES.index(m.type)] for m in reg.entries],
        "population": {code: [count, as_of] for code, (as_of, count) in sorted(population.items())},
    }


def data_script(collection: CaseCollection) -> bytes:
    data = build_data(collection)
    return ("window.DX_MUNICIPALITIES=" + json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            + ";\n").encode("utf-8")
