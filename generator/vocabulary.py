"""The controlled vocabulary of areas (分野), kept in cases/areas.yml.

Contributors extend it by pull request, so it is read with the same careful
YAML reader as the cases and its mistakes are diagnostics too.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import re
from dataclasses import dataclass

from . import yamltree
from .diagnostics import Reporter

FILE_NAME = "areas.yml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


@dataclass(frozen=True)
class Area:
    name: str  # 窓口・手続: what contributors write and the site shows
    slug: str  # madoguchi: its URL, stable once published


def load_vocabulary(root: Path, report: Reporter) -> list[Area]:
    path = root / FILE_NAME
    if not path.is_file():
        report.error("vocabulary-missing", f"分野の一覧 {FILE_NAME} が事例フォルダ {root} にありません",
                     hint=f"{FILE_NAME} を事例フォルダの直下に置いてください")
        return []
    read, root_node = yamltree.parse_data_file(path, report)
    if not read:
        return []
    if not isinstance(root_node, yamltree.Seq):
        report.error("vocabulary-format", f"{FILE_NAME} は「- name: 分野名」と「  slug: 英字名」の組を並べたリストで書いてください")
        return []
    if not root_node.items:
        report.error("vocabulary-format", f"{FILE_NAME} に分野が 1 つもありません",
                     hint="「- name: 分野名」と「  slug: 英字名」の組を書いてください")
        return []
    areas: list[Area] = []
    for item in root_node.items:
        if isinstance(item, yamltree.Scalar) and item.alias:
            continue  # reported by the YAML reader
        name_node = item.get("name") if isinstance(item, yamltree.Map) else None
        slug_node = item.get("slug") if isinstance(item, yamltree.Map) else None
        if not isinstance(name_node, yamltree.Scalar) or not isinstance(slug_node, yamltree.Scalar) \
                or not name_node.value.strip() or set(item.keys()) != {"name", "slug"}:
            report.at(item, "vocabulary-format", "分野は「- name: 分野名」と「  slug: 英字名」の 2 行で書いてください")
            continue
        name = unicodedata.normalize("NFKC", name_node.value).strip()
        slug = slug_node.value.strip()
        if not SLUG.match(slug):
            report.at(slug_node, "vocabulary-format", f"分野「{name}」の slug「{slug}」は使えません",
                      hint="半角の小文字英字・数字・ハイフンで 2〜40 文字にしてください")
            continue
        if any(a.name == name for a in areas):
            report.at(name_node, "vocabulary-format", f"分野「{name}」が 2 回書かれています")
            continue
        if any(a.slug == slug for a in areas):
            report.at(slug_node, "vocabulary-format", f"slug「{slug}」が 2 回使われています",
                      hint="分野ごとに別の slug にしてください")
            continue
        areas.append(Area(name, slug))
    return areas


def load_areas(root: Path, report: Reporter) -> list[str]:
    """Just the area names, in vocabulary order."""
    return [a.name for a in load_vocabulary(root, report)]
