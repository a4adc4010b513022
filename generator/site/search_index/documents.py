"""What the search index is made of: one SearchDoc per case, its fields as people see
them, and their normalised text. The index must find exactly what a substring scan of
that text finds, so the scan (`brute_force`) lives beside the text it scans, for the tests."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ...model import POPULATION_BANDS, UNKNOWN_BAND
from ...municipalities import TYPES as MUNICIPALITY_TYPES
from ...textnorm import fold_kana, normalize_kept

FIELDS = ["title", "place", "labels", "summary", "systems", "departments", "partners", "problems", "outcomes",
          "body"]
WEIGHTS = [10, 8, 6, 4, 4, 3, 3, 2, 2, 1]
# how a result names the field its snippet comes from
FIELD_LABELS = ["題名", "団体", "分野・タグ", "概要", "システム", "担当部署", "連携団体", "課題", "効果", "本文"]
TYPES = list(MUNICIPALITY_TYPES)
BANDS = [label for label, _ in POPULATION_BANDS] + [UNKNOWN_BAND]
STATUSES = ["検討中", "実証中", "運用中", "横展開", "終了"]
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class SearchDoc:
    url: str            # site-root-relative page URL
    title: str
    place: str
    summary: str
    fields: list[str]   # as shown to people, in FIELDS order; items of a field joined by "\n"
    pref: int
    status: int
    areas: list[int]
    kind: int = 0       # municipality type, index in TYPES
    band: int = 0       # population band, index in BANDS
    launch: str = ""    # YYYY or YYYY-MM(-DD), empty when not launched


def html_text(fragment: str) -> str:
    return html.unescape(_TAGS.sub(" ", fragment))


def normalized_fields(doc: SearchDoc) -> list[str]:
    """Each field normalised; list items stay apart (a term never spans two)."""
    return [fold_kana(text) for text in kept_fields(doc)]


def kept_fields(doc: SearchDoc) -> list[str]:
    """normalized_fields with katakana kept, which tells okurigana (textnorm.okurigana_runs)."""
    return ["\n".join(normalize_kept(part) for part in field.split("\n")) for field in doc.fields]


def brute_force(docs: list[SearchDoc], query_terms: list[str],
                normalized: list[list[str]] | None = None) -> list[int]:
    """Documents whose normalised text contains every term: the reference for recall.
    `normalized` (normalized_fields of each document) spares a caller that checks many
    queries over one corpus normalising every document again for each query."""
    found = []
    for number, doc in enumerate(docs):
        fields = normalized[number] if normalized is not None else normalized_fields(doc)
        if all(any(term in field for field in fields) for term in query_terms):
            found.append(number)
    return found
