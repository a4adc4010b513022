"""Text normalisation and query understanding for search, the same on both sides.

Index and query go through the same `normalize`; its browser twin is
`normalise` in theme/assets/dx/search.js, which receives the folding tables
of generator/data/folding.json through search/meta.js, so the tables exist
once. tests/test_browser_search.py runs the browser twin over a corpus of
strings and compares it with this module.

1. NFKC (full-width letters and digits, half-width katakana); variation
   selectors dropped
2. lower case
3. katakana → hiragana (オクヤミ finds おくやみ)
4. the long vowel mark ー dropped (サーバー and サーバ meet)
5. small ヶ/ヵ (now ゖ/ゕ) folded to け/か (茅ヶ崎 and 茅ケ崎 meet)
6. 異体字 and old forms folded to the common form (檮原 and 梼原, 龍 and 竜)
7. dashes read as "-"
8. legal-entity words dropped (株式会社○○, ㈱○○ and ○○ meet)
9. runs of white space → one space

Okurigana are not folded character by character: a word written 申込 and
申し込み differ in length. Instead the "kanji skeleton" of a text drops every
run of one or two hiragana that follows a kanji (申し込み → 申込, 手続き → 手続,
問い合わせ → 問合). The index stores, besides the text's own character
pairs, the pairs that meet across such a dropped run, so a query matches a
text when its skeleton is a substring of the text's skeleton.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

FOLDING_FILE = Path(__file__).resolve().parent / "data" / "folding.json"

KANJI = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HIRAGANA = "\u3041-\u3096"
_SPACES = re.compile(r"\s+")
_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
OKURIGANA = re.compile(f"(?<=[{KANJI}])[{HIRAGANA}]{{1,2}}(?![{HIRAGANA}])")
_KANJI_CHAR = re.compile(f"[{KANJI}]")
UNKNOWN_COST = 2  # a character the index does not know, against 1 for a known piece


@lru_cache(maxsize=1)
def folding() -> dict:
    """The folding tables as written in the data file (also shipped to the browser)."""
    return json.loads(FOLDING_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _compiled():
    data = folding()
    table = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F5)}  # ァ..ヴ → ぁ..ゔ
    table.update({0x30F5: 0x304B, 0x30F6: 0x3051, 0x3095: 0x304B, 0x3096: 0x3051,  # ヵ ゕ → か, ヶ ゖ → け
                  0x30FC: None})  # ー dropped
    table.update({ord(k): v for k, v in data["variants"].items()})
    table.update({ord(ch): "-" for ch in data["dashes"]})
    forms = sorted(data["company_forms"], key=len, reverse=True)
    company = re.compile("|".join(re.escape(f) for f in forms))
    return table, company


def normalize(text: str) -> str:
    table, company = _compiled()
    text = _SELECTORS.sub("", unicodedata.normalize("NFKC", text)).lower().translate(table)
    text = company.sub("", text)
    return _SPACES.sub(" ", text).strip()


def skeleton(text: str) -> str:
    """Normalised text without the okurigana runs (one or two hiragana after a kanji)."""
    return OKURIGANA.sub("", text)


def has_kanji(text: str) -> bool:
    return _KANJI_CHAR.search(text) is not None


def terms(query: str) -> list[str]:
    """A query's space-separated chunks, normalised, non-empty (what "as typed" means)."""
    return [t for t in normalize(query).split(" ") if t]


def particle_bound(piece: str) -> bool:
    """A piece holding a particle next to a kanji (窓口で, の手続) is two words, not one."""
    particles = folding()["particles"]
    for at, ch in enumerate(piece):
        if ch not in particles:
            continue
        if ch == "を" or (at > 0 and has_kanji(piece[at - 1])) or (at + 1 < len(piece) and has_kanji(piece[at + 1])):
            return True
    return False


@lru_cache(maxsize=1)
def function_words() -> tuple[str, ...]:
    """Longest first, then by code point: the order both twins try them in."""
    return tuple(sorted({normalize(w) for w in folding()["function_words"]} - {""}, key=lambda w: (-len(w), w)))


def segment(chunk: str, known: Callable[[str], bool], extra: tuple[str, ...] = ()) -> list[str]:
    """Split a chunk that is not found as typed into the pieces the index knows.

    A dynamic programme over the chunk: a function word costs nothing and is
    dropped, a known piece (never one holding a particle next to a kanji) costs 1,
    an unknown character UNKNOWN_COST. Ties go to more characters in function
    words of two or more characters (ときの, したい: surely not part of a word),
    then to more characters in known pieces (ちゃっとぼっと, not ちゃっとぼっ + と).
    A piece is known when `known` says so (the index has it) or it is one of
    `extra` (synonym entries). Known pieces
    from one start are tried only while they keep being known, which is also
    what the browser can afford. Unknown characters next to each other stay
    together as one term, so a word the index lacks is still asked for.
    """
    n = len(chunk)
    fw = function_words()
    reach: dict[int, list[int]] = {}
    for i in range(n):
        ends = []
        for j in range(i + 1, n + 1):
            piece = chunk[i:j]
            if j - i == 1 and not has_kanji(piece):
                continue  # one kana or letter alone is no word
            if particle_bound(piece) or not known(piece):
                break  # a longer piece would hold the same particle, or be unknown too
            ends.append(j)
        for word in extra:
            if word and chunk.startswith(word, i) and i + len(word) not in ends:
                ends.append(i + len(word))
        reach[i] = ends
    best: list[tuple | None] = [None] * (n + 1)
    best[0] = (0, 0, 0, ())
    for i in range(n):
        if best[i] is None:
            continue
        cost, endings, content, pieces = best[i]
        options = [(j, 1, 0, j - i, "k") for j in reach[i]]
        options += [(i + len(w), 0, len(w) if len(w) > 1 else 0, 0, "f") for w in fw if chunk.startswith(w, i)]
        options.append((i + 1, UNKNOWN_COST, 0, 0, "u"))
        for j, c, ending, length, kind in options:
            candidate = (cost + c, endings - ending, content - length, pieces + ((i, j, kind),))
            if best[j] is None or candidate[:3] < best[j][:3]:
                best[j] = candidate
    pieces = [list(p) for p in best[n][3]]
    for x, (i, j, kind) in enumerate(pieces):  # one known kanji beside an unknown word is part of it
        before = pieces[x - 1] if x else None
        after = pieces[x + 1] if x + 1 < len(pieces) else None
        if kind == "k" and j - i == 1 and ((before and before[2] == "u" and before[1] == i)
                                           or (after and after[2] == "u" and after[0] == j)):
            pieces[x][2] = "u"
    out: list[list] = []
    for i, j, kind in pieces:
        if kind == "f":
            continue
        if kind == "u" and out and out[-1][1] == "u" and out[-1][2] == i:
            out[-1][0] += chunk[i:j]
            out[-1][2] = j
            continue
        out.append([chunk[i:j], kind, j])
    if not any(kind == "k" for _, kind, _ in out):
        return [chunk]
    # a lone kana the index does not know is an ending, not a word
    return [text for text, kind, _ in out if not (kind == "u" and len(text) == 1 and not has_kanji(text))]


@dataclass
class QueryTerm:
    text: str                 # as typed, normalised
    whole: bool               # a space-separated chunk kept whole
    alternatives: list[str] = field(default_factory=list)  # synonyms, normalised


def split_query(query: str, known: Callable[[str], bool], synonyms: list[list[str]] = ()) -> list[QueryTerm]:
    """The terms of a query: each chunk whole when known, else its known pieces; synonyms attached."""
    groups = [[normalize(w) for w in group] for group in synonyms]
    entries = tuple(w for group in groups for w in group)
    out: list[QueryTerm] = []
    for chunk in terms(query):
        pieces = [chunk] if chunk in entries or known(chunk) else segment(chunk, known, entries)
        whole = pieces == [chunk]
        for piece in pieces:
            alternatives = []
            for group in groups:
                if piece in group or (len(skeleton(piece)) > 1 and skeleton(piece) in map(skeleton, group)):
                    alternatives += [w for w in group if w != piece and w not in alternatives]
            out.append(QueryTerm(piece, whole, alternatives))
    return out


def matches(term: str, text: str) -> str | None:
    """How a normalised text holds a term: "exact", "skeleton" or None (the reference for tests)."""
    if term in text:
        return "exact"
    skel = skeleton(term)
    if len(skel) > 1 and has_kanji(term) and any(skel in skeleton(line) for line in text.split("\n")):
        return "skeleton"
    return None
