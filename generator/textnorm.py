"""Text normalisation and query understanding for search, the same on both sides.

Index and query go through the same `normalize`; its browser twin is
`normalise` in theme/assets/dx/search-text.js, which receives the folding tables
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
text when its skeleton is a substring of the text's skeleton. Only hiragana
as written are okurigana: katakana after a kanji is a word of its own
(手続ナビ is not 手続), so the skeleton is taken of `normalize_kept`, the
normalised text with its katakana still katakana, and then folded.
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
MAX_CHUNK = 40  # characters of a chunk the splitter works on; a longer one stays whole


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
    kept = {cp: v for cp, v in table.items() if cp not in _KANA_FOLD}
    return kept, company


# katakana → hiragana, one character for one, so a kept text and its folded form align
_KANA_FOLD = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F5)} | {0x30F5: 0x304B, 0x30F6: 0x3051}


def normalize_kept(text: str) -> str:
    """`normalize` but katakana stays katakana (the only difference): what okurigana are told from."""
    table, company = _compiled()
    text = _SELECTORS.sub("", unicodedata.normalize("NFKC", text)).lower().translate(table)
    text = company.sub("", text)
    return _SPACES.sub(" ", text).strip()


def fold_kana(text: str) -> str:
    return text.translate(_KANA_FOLD)


def normalize(text: str) -> str:
    return fold_kana(normalize_kept(text))


def skeleton(text: str) -> str:
    """A text without its okurigana runs (one or two hiragana after a kanji), folded. Given
    the kept form (normalize_kept), katakana after a kanji stays: 手続ナビ → 手続なび."""
    return fold_kana(OKURIGANA.sub("", text))


def okurigana_runs(kept: str):
    """(start, end) of each okurigana run of a kept text: the index's skipping pairs."""
    return (run.span() for run in OKURIGANA.finditer(kept))


def has_kanji(text: str) -> bool:
    return _KANJI_CHAR.search(text) is not None


def terms(query: str) -> list[str]:
    """A query's space-separated chunks, normalised, non-empty (what "as typed" means)."""
    return [fold_kana(t) for t in kept_terms(query)]


def kept_terms(query: str) -> list[str]:
    return [t for t in normalize_kept(query).split(" ") if t]


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


def _script(ch: str) -> str:
    if _KANJI_CHAR.match(ch):
        return "k"
    if "\u3041" <= ch <= "\u3096":
        return "h"
    if "\u30a1" <= ch <= "\u30fa":
        return "t"
    if ch.isascii() and (ch.isalnum() or ch in "-_.&/+"):
        return "a"
    return "o"


def okurigana_offsets(chunk: str) -> set[int]:
    """Offsets of okurigana in a kept chunk: a word of a query never starts at one (み窓口 is no word)."""
    return {at for run in OKURIGANA.finditer(chunk) for at in range(*run.span())}


def boundaries(chunk: str) -> set[int]:
    """Offsets a word of a kept chunk never spans: where kana meet a following kanji (おくやみ|窓口,
    書かない|窓口), except after okurigana (申し込み stays one word), where katakana and kanji meet
    (手続|ナビ, アプリ|申請), and where letters or digits meet Japanese (ai|窓口). Kanji meeting
    hiragana is no boundary (that is how words inflect), nor kana meeting kana (ひかりデータ)."""
    okurigana = okurigana_offsets(chunk)
    out = set()
    for at in range(1, len(chunk)):
        before, after = _script(chunk[at - 1]), _script(chunk[at])
        if before == after or (before, after) in (("k", "h"), ("h", "t"), ("t", "h")):
            continue
        if before == "h" and after == "k" and at - 1 in okurigana:
            continue
        out.add(at)
    return out


def segment(chunk: str, known: Callable[[str], bool], extra: tuple[str, ...] = ()) -> list[str]:
    """The pieces of a chunk (see segment_spans), folded."""
    folded = fold_kana(chunk)
    return [folded[i:j] for i, j in segment_spans(chunk, known, extra)]


def segment_spans(kept: str, known: Callable[[str], bool], extra: tuple[str, ...] = ()) -> list[tuple[int, int]]:
    """Split a chunk (kept form: katakana told apart) into the pieces the index knows, as
    (start, end) of the query's terms.

    A dynamic programme over the chunk: a function word costs nothing and is
    dropped, a known piece (never one holding a particle next to a kanji, never
    one spanning a `boundaries` offset or starting with okurigana) costs 1, an unknown character
    UNKNOWN_COST. Ties go to more characters in function words of two or more
    characters (ときの, したい: surely not part of a word), then to more
    characters in known pieces (ちゃっとぼっと, not ちゃっとぼっ + と).
    A piece is known when `known` says so of its kept form (the index has it) or it is one of
    `extra` (synonym entries, which may span a boundary). Known pieces from one
    start are tried only while they keep being known. Unknown characters next
    to each other stay together as one term, so a word the index lacks is still
    asked for.
    """
    chunk = fold_kana(kept)
    n = len(chunk)
    fw = function_words()
    cuts, okurigana = boundaries(kept), okurigana_offsets(kept)
    reach: dict[int, list[int]] = {}
    for i in range(n):
        ends = []
        for j in range(i + 1, n + 1 if i not in okurigana else i):
            piece = chunk[i:j]
            if j - 1 in cuts and j - 1 > i:
                break  # a word does not run over a boundary
            if j - i == 1 and not has_kanji(piece):
                continue  # one kana or letter alone is no word
            if particle_bound(piece) or not known(kept[i:j]):
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
    pieces = [list(p) for p in best[n][3] if p[2] != "f"]
    for x, (i, j, kind) in enumerate(pieces):  # one known kanji beside an unknown word is part of it
        before = pieces[x - 1] if x else None
        after = pieces[x + 1] if x + 1 < len(pieces) else None
        if kind == "k" and j - i == 1 and ((before and before[2] == "u" and before[1] == i)
                                           or (after and after[2] == "u" and after[0] == j)):
            pieces[x][2] = "u"
    out: list[list] = []
    for i, j, kind in pieces:
        last = out[-1] if out else None
        if kind == "u" and last and last[1] == "u" and last[3] == i:
            last[0] += chunk[i:j]
            last[3] = j
            continue
        out.append([chunk[i:j], kind, i, j])
    if not any(kind == "k" for _, kind, _, _ in out):
        return [(0, n)]
    # a lone kana the index does not know is an ending, not a word
    return [(i, j) for text, kind, i, j in out if not (kind == "u" and len(text) == 1 and not has_kanji(text))]


@dataclass
class QueryTerm:
    text: str                 # as typed, normalised
    whole: bool               # a space-separated chunk kept whole
    alternatives: list[str] = field(default_factory=list)  # synonyms, normalised
    optional: bool = False    # one kanji left over by a split: it ranks, but no case needs it
    kept: list[str] = field(default_factory=list)  # text and alternatives, katakana kept (for skeletons)


def split_query(query: str, known: Callable[[str], bool], synonyms: list[list[str]] = ()) -> list[QueryTerm]:
    """The terms of a query: each chunk's known pieces (the chunk whole when it is one word or a
    synonym entry); synonyms attached. A chunk found as typed is split too, so its words still
    find what the whole phrase misses (おくやみ窓口 → おくやみ, 窓口); the phrase ranks first.
    One kanji left over by a split (富士通 → 富士 + 通) is optional: alone it would match half
    the corpus, so it only ranks the cases that have the other terms."""
    kept_groups = [[normalize_kept(w) for w in group] for group in synonyms]
    groups = [[fold_kana(w) for w in group] for group in kept_groups]
    kept_of = {w: k for group, kept in zip(groups, kept_groups) for w, k in zip(group, kept)}
    entries = tuple(w for group in groups for w in group)
    out: list[QueryTerm] = []
    for kept_chunk in kept_terms(query):
        chunk = fold_kana(kept_chunk)
        spans = [(0, len(chunk))] if chunk in entries or len(chunk) > MAX_CHUNK else \
            segment_spans(kept_chunk, known, entries)
        whole = spans == [(0, len(chunk))]
        for i, j in spans:
            piece, skel = chunk[i:j], skeleton(kept_chunk[i:j])
            alternatives = []
            for group, kept in zip(groups, kept_groups):
                if piece in group or (len(skel) > 1 and skel in map(skeleton, kept)):
                    alternatives += [w for w in group if w != piece and w not in alternatives]
            lone = len(spans) > 1 and len(piece) == 1 and has_kanji(piece)
            out.append(QueryTerm(piece, whole, alternatives, lone, [kept_chunk[i:j]] + [kept_of[w] for w in alternatives]))
    if all(t.optional for t in out):  # 市町: nothing else to ask for
        for t in out:
            t.optional = False
    return out


def matches(term: str, text: str) -> str | None:
    """How a text holds a term, both normalize_kept: "exact", "skeleton" or None (the reference
    for tests)."""
    if fold_kana(term) in fold_kana(text):
        return "exact"
    skel = skeleton(term)
    if len(skel) > 1 and has_kanji(term) and any(skel in skeleton(line) for line in text.split("\n")):
        return "skeleton"
    return None
