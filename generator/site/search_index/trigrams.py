"""What the keys tell about a piece of a query, with no positions loaded: every trigram
of the corpus goes into a Bloom filter in the shard of its first pair, so the browser's
splitter, having loaded that shard anyway, tells whether a longer piece can be in the
corpus without any other file (`known_piece`, twin of known() in search-query.js)."""

from __future__ import annotations

import math

import numpy as np

from ...textnorm import fold_kana, has_kanji, skeleton
from .documents import SearchDoc, normalized_fields
from .encoding import ALPHABET, ALPHABET_TEXT, SKIP, TRIGRAMS, codepoints, fnv1a

BLOOM_BITS = 10    # bits per trigram: about 1 % false positives with BLOOM_HASHES
BLOOM_HASHES = 7
_M32 = np.uint64(0xFFFFFFFF)


def _fnv1a_codes(columns: list[np.ndarray]) -> np.ndarray:
    """fnv1a over code points given column by column, for many keys at once."""
    h = np.full(columns[0].size, 0x811C9DC5, dtype=np.uint64)
    for column in columns:
        h = ((h ^ column.astype(np.uint64)) * np.uint64(0x01000193)) & _M32
    return h


class TrigramSet:
    """Every distinct run of three characters (no space or line break) of the corpus, as
    c0 << 42 | c1 << 21 | c2, collected from the code points build_index has at hand and
    deduplicated as they come, so it costs no second pass over the text."""

    FLUSH_AT = 2_000_000

    def __init__(self) -> None:
        self.found = np.zeros(0, dtype=np.uint64)
        self.pending: list[np.ndarray] = []
        self.size = 0

    def add(self, cps: np.ndarray, keep: np.ndarray) -> None:
        if cps.size < 3:
            return
        c = cps.astype(np.uint64)
        ok = keep[:-2] & keep[1:-1] & keep[2:]
        self.pending.append(((c[:-2] << np.uint64(42)) | (c[1:-1] << np.uint64(21)) | c[2:])[ok])
        self.size += self.pending[-1].size
        if self.size >= self.FLUSH_AT:
            self.result()

    def result(self) -> np.ndarray:
        if self.pending:
            self.found = np.unique(np.concatenate([self.found] + self.pending))
            self.pending, self.size = [], 0
        return self.found


def corpus_trigrams(docs: list[SearchDoc]) -> np.ndarray:
    """The TrigramSet of documents, for an index built without one."""
    trigrams = TrigramSet()
    for doc in docs:
        for text in normalized_fields(doc):
            cps = codepoints(text)
            trigrams.add(cps, (cps != 0x20) & (cps != 0x0A))
    return trigrams.result()


def trigram_filters(trigrams: np.ndarray, shards: int) -> list[str]:
    """Per shard, a Bloom filter (base-64, 6 bits a character) of the trigrams whose first
    pair lives in that shard: the browser's splitter, having loaded the shard of a pair
    anyway, tells whether a longer piece can be in the corpus without any other file."""
    mask = np.uint64((1 << 21) - 1)
    c0, c1, c2 = trigrams >> np.uint64(42), (trigrams >> np.uint64(21)) & mask, trigrams & mask
    shard = (_fnv1a_codes([c0, c1]) % np.uint64(shards)).astype(np.int64)
    h1, h2 = _fnv1a_codes([c0, c1, c2]), _fnv1a_codes([c2, c1, c0]) | np.uint64(1)
    counts = np.bincount(shard, minlength=shards)
    out = []
    order = np.argsort(shard, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(counts)))
    for number in range(shards):
        members = order[bounds[number]:bounds[number + 1]]
        chars = max(1, math.ceil(members.size * BLOOM_BITS / 6))
        bits = np.uint64(chars * 6)
        field = np.zeros(chars * 6, dtype=bool)
        for i in range(BLOOM_HASHES):
            field[((h1[members] + np.uint64(i) * h2[members]) % bits).astype(np.int64)] = True
        values = field.reshape(chars, 6) @ (1 << np.arange(6))
        out.append(ALPHABET[values].tobytes().decode("ascii"))
    return out


def in_filter(trigram: str, bloom: str) -> bool:
    """The twin of inBloom() in search-query.js; for the tests."""
    bits = len(bloom) * 6
    h1 = fnv1a(trigram)
    h2 = fnv1a(trigram[::-1]) | 1
    for i in range(BLOOM_HASHES):
        at = (h1 + i * h2) % bits
        if not (ALPHABET_TEXT.index(bloom[at // 6]) >> (at % 6)) & 1:
            return False
    return True


def known_piece(kept: str, has) -> bool:
    """Whether a piece of a query (its kept form) may be in the index, told by its keys alone (`has(key)`):
    its character, or every pair and trigram of it (TRIGRAMS, `has(TRIGRAMS, trigram)`), or
    every pair of its kanji skeleton (plain or across okurigana).

    The browser splits a query with this (known() in search-query.js, the twin) because the keys
    are in the shards a query loads anyway: no position is loaded and no file waited for
    piece by piece, so splitting costs no round trip. A piece all of whose pairs exist may
    still be absent as a whole; its search then finds nothing, as it would anyway."""
    piece = fold_kana(kept)
    if len(piece) == 1:
        return has(piece)
    if all(has(piece[i:i + 2]) for i in range(len(piece) - 1)) and \
            all(has(TRIGRAMS + piece[i:i + 3]) for i in range(len(piece) - 2)):
        return True
    skel = skeleton(kept)
    if not has_kanji(piece) or len(skel) < 2 or skel == piece:
        return False
    return all(has(skel[i:i + 2]) or has(SKIP + skel[i:i + 2]) for i in range(len(skel) - 1))
