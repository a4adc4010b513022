"""`stats`: the counts of the knowledge base, for maintainers and reports.

A contributor tool beside the pipeline: it reads the cases the way the site
does (check, then the one Case model) and counts, so the numbers are the ones
the site shows. Cases with errors are left out and said to be.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from . import model
from .check import check_root
from .municipalities import TYPES, registry


def collect(root: Path) -> tuple[dict, int]:
    """(the counts, the number of files left out for errors)."""
    result = check_root(root)
    failed = len({d.file for d in result.diagnostics if d.is_error and d.file.endswith(".md")})
    collection = model.build(result.cases)
    cases = list(collection)
    covered = {area for case in cases for area in case.areas}
    vocabulary = [a.name for a in result.areas]
    months = [c.months_to_launch for c in cases if c.months_to_launch is not None]
    by_type = {kind: {"cases": 0, "municipalities": 0} for kind in TYPES}
    municipalities = {c.place.municipality.code: c.place.municipality for c in cases}
    for case in cases:
        by_type[case.place.municipality.type]["cases"] += 1
    for municipality in municipalities.values():
        by_type[municipality.type]["municipalities"] += 1
    chains = collection.learning_chains()
    counts = {
        "cases": len(cases),
        "prefectures": len({c.place.prefecture.code for c in cases}),
        "prefectures_total": len(registry().prefectures),
        "municipalities": len(municipalities),
        "municipality_types": by_type,
        "areas_covered": len([a for a in vocabulary if a in covered]),
        "areas_total": len(vocabulary),
        "areas_without_cases": [a for a in vocabulary if a not in covered],
        "inspired_by_links": collection.learning_links,
        "cases_learning_from_others": sum(1 for c in cases if collection.parents(c)),
        "learning_chains": len(chains),
        "largest_chain": max((ch.size for ch in chains), default=0),
        "with_population": sum(1 for c in cases if c.population),
        "with_cost": sum(1 for c in cases if c.cost),
        "with_phone_or_url_contact": sum(1 for c in cases if any(x.get("phone") or x.get("url") for x in c.contacts)),
        "with_sources": sum(1 for c in cases if c.sources),
        "with_kickoff_and_launch": sum(1 for c in cases if c.kickoff and c.launch),
        "with_months_to_launch": len(months),
        "median_months_to_launch": statistics.median(months) if months else None,
    }
    return counts, failed


def _share(part: int, whole: int) -> str:
    return f"{part} 件（{part * 100 // whole}%）" if whole else f"{part} 件"


def format_text(c: dict) -> str:
    n = c["cases"]
    median = c["median_months_to_launch"]
    lines = [
        f"事例: {n} 件",
        f"都道府県: {c['prefectures']} / {c['prefectures_total']}",
        f"団体: {c['municipalities']}",
        "団体の種類（事例 / 団体）:",
        *[f"  {kind}: {v['cases']} / {v['municipalities']}" for kind, v in c["municipality_types"].items()],
        f"分野: {c['areas_covered']} / {c['areas_total']}"
        + (f"（事例のない分野: {'、'.join(c['areas_without_cases'])}）" if c["areas_without_cases"] else ""),
        f"参考にした事例（inspired_by）のつながり: {c['inspired_by_links']} 件"
        f"（ほかの事例を参考にした事例 {c['cases_learning_from_others']} 件、{c['learning_chains']} 系統、"
        f"最大 {c['largest_chain']} 事例）",
        "記録のある項目:",
        f"  人口: {_share(c['with_population'], n)}",
        f"  費用: {_share(c['with_cost'], n)}",
        f"  電話か URL のある問い合わせ先: {_share(c['with_phone_or_url_contact'], n)}",
        f"  出典: {_share(c['with_sources'], n)}",
        f"  着手と開始の両方: {_share(c['with_kickoff_and_launch'], n)}",
        "着手から開始までの月数の中央値: "
        + (f"{median:g} か月（月まで分かる {c['with_months_to_launch']} 件）" if median is not None else "なし"),
    ]
    return "\n".join(lines)


def format_json(c: dict) -> str:
    return json.dumps(c, ensure_ascii=False, indent=2)


FORMATTERS = {"text": format_text, "json": format_json}
