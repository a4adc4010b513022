"""Catalogue data: every case as one compact row, plus the facet vocabularies.

It reaches the page as a `<script>` file (pages opened from disk cannot
fetch). Facet values are stored once and referred to by index, and each value
carries a stable key for the URL, so a shared filtered view survives rebuilds.
"""

from __future__ import annotations

from ..model import POPULATION_BANDS, UNKNOWN_BAND, CaseCollection, newest_first
from ..municipalities import TYPES, registry
from ..urls import Urls
from ..vocabulary import Area

SYSTEM_KINDS = ["SaaS", "LGWAN-ASP", "パッケージ", "自庁開発", "OSS", "その他"]
NO_SYSTEM = "記載なし"
NO_YEAR = "未定・不明"
STATUSES = ["検討中", "実証中", "運用中", "横展開", "終了"]
SUMMARY_CHARS = 120


def build_data(collection: CaseCollection, areas: list[Area], urls: Urls) -> dict:
    reg = registry()
    regions = list(dict.fromkeys(p.region for p in reg.prefectures))
    prefs = reg.prefectures
    pref_index = {p.code: i for i, p in enumerate(prefs)}
    types = [t for t in TYPES]
    bands = [label for label, _ in POPULATION_BANDS] + [UNKNOWN_BAND]
    area_index = {a.name: i for i, a in enumerate(areas)}
    years = sorted({int(c.launch[:4]) for c in collection if c.launch}, reverse=True)
    year_values = [str(y) for y in years] + [NO_YEAR]
    year_index = {v: i for i, v in enumerate(year_values)}
    kinds = SYSTEM_KINDS + [NO_SYSTEM]
    # the case's number in the search index, so the keyword box asks the one search engine
    search_number = {c.id: i for i, c in enumerate(newest_first(collection))}
    rows = []
    for case in collection:
        m = case.place.municipality
        launch_year = case.launch[:4] if case.launch else NO_YEAR
        other = kinds.index("その他")
        system_kinds = sorted({kinds.index(s["kind"]) if s["kind"] in kinds else other
                               for s in case.systems if s.get("kind")}) \
            or ([other] if case.systems else [kinds.index(NO_SYSTEM)])
        rows.append([
            case.id,
            urls.page(f"cases/{case.id}.md"),
            case.title,
            m.full_name,
            m.code,
            pref_index[m.prefecture_code],
            regions.index(case.place.prefecture.region),
            types.index(m.type),
            bands.index(case.population_band),
            [area_index[a] for a in case.areas],
            STATUSES.index(case.status),
            year_index[launch_year],
            system_kinds,
            1 if case.cost else 0,
            1 if any(isinstance(o, dict) for o in case.outcomes) else 0,
            case.updated,
            case.launch or "",
            case.summary if len(case.summary) <= SUMMARY_CHARS else case.summary[:SUMMARY_CHARS] + "…",
            case.tags,
            search_number[case.id],
        ])
    return {
        "columns": ["id", "url", "title", "place", "code", "pref", "region", "type", "band", "areas", "status",
                    "year", "systems", "cost", "outcomes", "updated", "launch", "summary", "tags", "doc"],
        "facets": [
            {"key": "region", "label": "地方", "column": "region", "values": [[r, r] for r in regions]},
            {"key": "pref", "label": "都道府県", "column": "pref", "values": [[p.romaji, p.name] for p in prefs]},
            {"key": "type", "label": "団体の種類", "column": "type", "values": [[t, t] for t in types]},
            {"key": "pop", "label": "人口規模", "column": "band", "values": [[b, b] for b in bands]},
            {"key": "area", "label": "分野", "column": "areas", "values": [[a.slug, a.name] for a in areas]},
            {"key": "status", "label": "状況", "column": "status", "values": [[s, s] for s in STATUSES]},
            {"key": "year", "label": "開始年", "column": "year", "values": [[y, y if y == NO_YEAR else f"{y}年"]
                                                                          for y in year_values]},
            {"key": "system", "label": "システムの種類", "column": "systems", "values": [[k, k] for k in kinds]},
            {"key": "has", "label": "データの有無", "column": None,
             "values": [["cost", "費用の記載あり"], ["outcomes", "測定した効果あり"]]},
        ],
        "cases": rows,
    }
