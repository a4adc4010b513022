"""Phrase entries: which documents hold a common phrase, told without its positions.

A term of three or more characters is found as a chain of character pairs at consecutive
positions (postings.py). When its pairs are common, thousands of documents have every one of
them, and proving which of those hold the pairs *in a row* needs the positions of the
oversized pairs for all of them: at 10,000 cases, hundreds of KB and a round trip more for a
term such as 情報せきゅりてぃ or 待ち時間. Yet those documents almost all do hold the phrase.

So for every run of 3..LONGEST characters of the corpus whose pairs are all common enough
that PHRASE_MIN or more documents have every one of them, and one of whose pairs is oversized
(its positions are not in its entry), the index stores PHRASES + run: "<k>:" naming its base,
the rarest of its pairs (k: the pair's offset in the run), then the documents of the base that
do NOT hold the run, when there are at most MOST of them, then "~" and every character met
after the run when there are at most FOLLOWERS. The browser loads the base's postings only and
knows the run's documents exactly, with no positions: the same set a substring scan gives; and
a longer term that continues a run with a character never met after it cannot occur. A run
with no entry (rare, or too often missing where its base is) is proven by positions.

The runs are found over the corpus's code points, spilled to disk by build_index, a batch of
BATCH documents at a time, so memory stays bounded: each batch sets its documents' bits of the
common pairs, then per length hashes its windows whose pairs qualify and, per distinct run,
compares the documents that have every pair with those that hold the run, keeping only the
counts and the (few) exceptions. Every window of a hash is checked to be one text, within a
batch and across batches (a collision drops the run, which stays exact by positions).
"""

from __future__ import annotations

import numpy as np

from .encoding import ALPHABET_TEXT, WHITESPACE, vlq

PHRASES = "\x04"    # key prefix of a phrase entry
LONGEST = 8         # characters of the longest phrase with an entry
PHRASE_MIN = 9      # candidates (documents with every pair) from which a phrase gets an entry
MOST = 2048         # documents an entry may list; beyond, positions decide
FOLLOWERS = 6       # characters met after a run that its entry lists; more: none listed
BATCH = 512         # documents hashed at once
_MUL = np.uint64(0x100000001B3)
_BREAKS = np.array(WHITESPACE, dtype=np.uint64)


def phrase_entries(text: np.ndarray, starts: np.ndarray, index: dict) -> dict[str, bytes]:
    """text: every document's folded fields' code points, fields joined by a line break,
    document after document (starts: where each begins, and the end); index: the pairs'
    entries as build_index encoded them (their document counts, and "!" when oversized)."""
    docs = starts.size - 1
    common, oversized = [], []
    for key, value in index.items():
        if len(key) == 2 and _count(value) >= PHRASE_MIN:
            code = (ord(key[0]) << 21) | ord(key[1])
            common.append(code)
            if value[:1] == b"!":
                oversized.append(code)
    if not oversized or docs < PHRASE_MIN:
        return {}
    codes = np.array(sorted(common), dtype=np.uint64)
    split_codes = np.array(sorted(oversized), dtype=np.uint64)
    bits = np.zeros((codes.size, (docs + 7) // 8), dtype=np.uint8)  # per common pair: its documents
    runs = {n: _Runs(n) for n in range(3, LONGEST + 1)}
    for first in range(0, docs, BATCH):
        _batch(text, starts, first, min(docs, first + BATCH), codes, split_codes, bits, runs)
    told: dict[str, tuple] = {}  # run → (base, lacking, characters met after it, 0 for a break or the end)
    for found in runs.values():
        found.tell(told, codes, bits, docs)
    return _entries(told)


def _entries(told: dict[str, tuple]) -> dict[str, bytes]:
    """The entries, but of runs that a shorter one implies: when every occurrence of a run is
    followed by the same character, the run one longer is in the same documents, so it has no
    entry of its own: the shorter one's says "=" and the characters that always follow it
    (search-match.js reads a term's entry off its longest prefix with one)."""
    entries: dict[str, bytes] = {}
    implied: set[str] = set()
    for run in sorted(told, key=len):
        shorter = run[:-1]
        if shorter in told and told[shorter][2] == (ord(run[-1]),) and (shorter in implied or PHRASES + shorter in entries):
            implied.add(run)
            continue
        base, lacking, after = told[run]
        tail = run
        while len(told[tail][2]) == 1 and told[tail][2][0] and tail + chr(told[tail][2][0]) in told:
            tail += chr(told[tail][2][0])  # implied, as every run on the way
        value = f"{base}:".encode() + vlq(np.concatenate(([lacking.size], np.diff(lacking, prepend=0))))
        if len(tail) > len(run):
            value += ("=" + tail[len(run):]).encode("utf-8")
        met = [c for c in told[tail][2] if c]
        if len(met) <= FOLLOWERS:  # "~" and every character met after it (after its "=" characters)
            value += ("~" + "".join(map(chr, met))).encode("utf-8")
        entries[PHRASES + run] = value
    return entries


def _count(value: bytes) -> int:
    """The document count an entry starts with (after "!" when oversized)."""
    total, scale = 0, 1
    for byte in value[1:] if value[:1] == b"!" else value:
        digit = _DIGIT[byte]
        total += (digit & 31) * scale
        if not digit & 32:
            return total
        scale *= 32
    return total


_DIGIT = {ord(ch): n for n, ch in enumerate(ALPHABET_TEXT)}


class _Runs:
    """The distinct runs of one length met so far: per hash (sorted), its text, how many
    documents hold it, the batches it was met in, and the exceptions found in those batches
    (documents with all its pairs, not it); in a batch it was not met in, every document with
    all its pairs is one, told at the end from the pairs' bits."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.texts = np.zeros((0, n), dtype=np.uint32)
        self.holding = np.zeros(0, dtype=np.int64)
        self.broken = np.zeros(0, dtype=bool)  # two texts under one hash: no entry
        self.seen: list[tuple[np.ndarray, int]] = []  # (hashes met, batch)
        self.missing: list[tuple[np.ndarray, np.ndarray]] = []  # (hash, document) exceptions
        self.after: list[tuple[np.ndarray, np.ndarray]] = []  # (hash, character met after the run)
        self.after_size = 0

    def follow(self, hashes, chars) -> None:
        """Characters met after runs; deduplicated as they pile up, so they stay few."""
        self.after.append(_distinct(hashes, chars))
        self.after_size += self.after[-1][0].size
        if self.after_size > 1_000_000:
            self.after = [_distinct(np.concatenate([h for h, _ in self.after]),
                                    np.concatenate([c for _, c in self.after]))]
            self.after_size = self.after[0][0].size

    def add(self, batch, hashes, texts, holding, broken, miss_hashes, miss_docs) -> None:
        """One batch's distinct runs (hashes sorted, unique), merged into those met before."""
        self.seen.append((hashes, batch))
        at = np.searchsorted(self.hashes, hashes).clip(0, max(0, self.hashes.size - 1))
        known = (self.hashes[at] == hashes) if self.hashes.size else np.zeros(hashes.size, dtype=bool)
        rows = at[known]
        self.holding[rows] += holding[known]
        self.broken[rows] |= broken[known] | (self.texts[rows] != texts[known]).any(axis=1)
        new = ~known
        merged = np.concatenate((self.hashes, hashes[new]))
        order = np.argsort(merged, kind="stable")
        self.hashes = merged[order]
        self.texts = np.concatenate((self.texts, texts[new]))[order]
        self.holding = np.concatenate((self.holding, holding[new]))[order]
        self.broken = np.concatenate((self.broken, broken[new]))[order]
        if miss_hashes.size:
            self.missing.append((miss_hashes, miss_docs))

    def tell(self, told: dict[str, tuple], codes, bits, docs: int) -> None:
        """(base, lacking, characters met after) of each run of this length that gets an entry."""
        if not self.hashes.size:
            return
        hashes, listed_docs = _pairs_by_hash(self.missing)
        seen_hashes, seen_batches = _pairs_by_hash([(h, np.full(h.size, b)) for h, b in self.seen])
        after, chars = _pairs_by_hash(self.after)
        rows = np.searchsorted(codes, (self.texts[:, :-1].astype(np.uint64) << np.uint64(21)) | self.texts[:, 1:])
        candidates = np.zeros(self.hashes.size, dtype=np.int64)
        for at in range(0, self.hashes.size, 512):  # documents with every pair, counted 512 runs at a time
            every = bits[rows[at:at + 512, 0]]
            for k in range(1, self.n - 1):
                every = every & bits[rows[at:at + 512, k]]
            candidates[at:at + 512] = _POPCOUNT[every].sum(axis=1)
        keep = (candidates >= PHRASE_MIN) & ~self.broken & (candidates - self.holding <= MOST)
        pair_docs = np.concatenate([_POPCOUNT[bits[at:at + 512]].sum(axis=1) for at in range(0, len(bits), 512)])
        for row in np.nonzero(keep)[0]:
            every = np.bitwise_and.reduce(bits[rows[row]], axis=0)
            found = np.nonzero(np.unpackbits(every)[:docs])[0]
            met = seen_batches[np.searchsorted(seen_hashes, self.hashes[row], side="left"):
                               np.searchsorted(seen_hashes, self.hashes[row], side="right")]
            lacking = np.union1d(_slice(hashes, listed_docs, self.hashes[row]),
                                 found[~np.isin(found // BATCH, met)])
            # told against its rarest pair (the base): the browser loads that pair's postings only
            base = int(np.argmin(pair_docs[rows[row]]))
            base_docs = np.nonzero(np.unpackbits(bits[rows[row][base]])[:docs])[0]
            lacking = np.union1d(np.setdiff1d(base_docs, found, assume_unique=True), lacking)
            if lacking.size > MOST:
                continue
            told["".join(map(chr, self.texts[row].tolist()))] = (base, lacking,
                                                                  tuple(_slice(after, chars, self.hashes[row]).tolist()))


def _pairs_by_hash(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """(hash, value) pairs gathered in parts, distinct and sorted by hash then value."""
    if not parts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    return _distinct(np.concatenate([h for h, _ in parts]), np.concatenate([v for _, v in parts]))


def _slice(hashes: np.ndarray, values: np.ndarray, key) -> np.ndarray:
    return values[np.searchsorted(hashes, key, side="left"):np.searchsorted(hashes, key, side="right")]


_POPCOUNT = np.array([bin(n).count("1") for n in range(256)], dtype=np.int64)


def _distinct(hashes: np.ndarray, chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (hash, character) pairs, sorted by hash."""
    order = np.lexsort((chars, hashes))
    hashes, chars = hashes[order], chars[order]
    new = np.ones(hashes.size, dtype=bool)
    new[1:] = (hashes[1:] != hashes[:-1]) | (chars[1:] != chars[:-1])
    return hashes[new], chars[new]


def _batch(text, starts, first, last, codes, split_codes, bits, runs) -> None:
    """Documents first..last-1: their bits of the common pairs, then their runs of every
    length whose pairs are all common, one of them oversized."""
    lo, hi = int(starts[first]), int(starts[last])
    c = np.asarray(text[lo:hi], dtype=np.uint64)
    if c.size < 3:
        return
    doc = np.repeat(np.arange(first, last), np.diff(starts[first:last + 1]))
    pair = (c[:-1] << np.uint64(21)) | c[1:]
    row = np.searchsorted(codes, pair).clip(0, codes.size - 1)
    good = (codes[row] == pair) & (doc[:-1] == doc[1:])
    for brk in _BREAKS:
        good &= (c[:-1] != brk) & (c[1:] != brk)
    held = np.unique(row[good].astype(np.int64) * (last - first) + (doc[:-1][good] - first))
    held_row, held_doc = np.divmod(held, last - first)
    held_doc += first
    np.bitwise_or.at(bits, (held_row, held_doc >> 3), (128 >> (held_doc & 7)).astype(np.uint8))
    at = np.searchsorted(split_codes, pair).clip(0, split_codes.size - 1)
    big = (split_codes[at] == pair) & good
    bad_sum = np.concatenate(([0], np.cumsum(~good)))
    big_sum = np.concatenate(([0], np.cumsum(big)))
    window = bits[:, first >> 3:(last + 7) >> 3]  # this batch's documents' bits (BATCH is a multiple of 8)
    h = c.copy()
    for n in range(2, LONGEST + 1):
        h = h[:-1] * _MUL + c[n - 1:]
        if n < 3:
            continue
        m = h.size
        where = np.nonzero((bad_sum[n - 1:n - 1 + m] == bad_sum[:m]) & (big_sum[n - 1:n - 1 + m] > big_sum[:m]))[0]
        if where.size:
            _runs_of_batch(runs[n], n, h[where], where, doc, c, row, window, first, last - first)


def _runs_of_batch(found: _Runs, n, hashes, where, doc, c, row, window, first, size) -> None:
    """One length's windows of a batch → per distinct hash: its text, candidates, exceptions,
    and the characters met after it."""
    after = np.minimum(where + n, c.size - 1)  # the character after each window; 0 at a break or the end
    follows = np.where((where + n < c.size) & (doc[after] == doc[where]) & ~np.isin(c[after], _BREAKS), c[after], 0)
    found.follow(hashes, follows)
    docs = doc[where] - first
    order = np.lexsort((docs, hashes))
    hashes, where, docs = hashes[order], where[order], docs[order]
    heads = np.nonzero(np.concatenate(([True], hashes[1:] != hashes[:-1])))[0]
    group = np.cumsum(np.concatenate(([True], hashes[1:] != hashes[:-1]))) - 1
    texts = np.stack([c[where[heads] + k] for k in range(n)], axis=1).astype(np.uint32)
    same = np.ones(hashes.size, dtype=bool)
    for k in range(n):
        same &= c[where + k] == c[where[heads][group] + k]
    broken = ~np.logical_and.reduceat(same, heads)
    # the documents of this batch with every pair of each run, and those holding it
    pair_rows = np.stack([row[where[heads] + k] for k in range(n - 1)], axis=1)
    every = window[pair_rows[:, 0]].copy()
    for k in range(1, n - 1):
        every &= window[pair_rows[:, k]]
    every = np.unpackbits(every, axis=1)[:, :size].astype(bool)
    holding = np.zeros_like(every)
    holding[group, docs] = True
    miss_run, miss_doc = np.nonzero(every & ~holding)
    found.add(first // BATCH, hashes[heads], texts, holding.sum(axis=1), broken, hashes[heads][miss_run],
              miss_doc + first)
