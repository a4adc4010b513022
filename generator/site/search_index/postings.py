"""The postings of the whole corpus, built in bounded memory.

A term of one character is looked up in a character → documents list (with the fields
it is in); a longer term in the positional index of its character pairs (bigrams): a
document matches when the term's pairs stand at consecutive positions. That is exact:
the result set equals a substring scan of the same normalised text (documents.brute_force).

Okurigana: where a run of one or two hiragana follows a kanji (申し込み), the pair of
characters that meet when the run is dropped (申込) is stored too, under SKIP + pair,
with position × 4 + the run's length. A query's kanji skeleton (textnorm.skeleton) then
matches as a chain of plain and skipping pairs: the same as a substring scan of the
skeletons, which `textnorm.matches` does for the tests.

A common pair's postings (over SPLIT_AT bytes; a skipping pair's too) keep only documents,
field masks and counts; their positions go, by blocks of BLOCK_DOCS documents, to keys of their own
(POSITIONS), so a two-character term loads no positions and a longer one only the blocks
of the documents that have all its pairs: a query on common words stays small at 10,000
cases. Building uses numpy so that 10,000 cases index in seconds.
"""

from __future__ import annotations

import tempfile
from array import array
from pathlib import Path

import numpy as np

from ...textnorm import fold_kana, okurigana_runs
from .documents import SearchDoc, kept_fields
from .encoding import FIELD_SHIFT, POSITIONS, SKIP, TRIGRAMS, codepoints, first_position, vlq, vlq_offsets
from .phrases import phrase_entries
from .trigrams import TrigramSet

SPLIT_AT = 16_000  # bytes of a pair's postings above which its positions go to blocks
BLOCK_DOCS = 1024  # documents per block of positions
RUN_BITS = 2  # a skipping pair's position is its virtual position × 2^RUN_BITS + the okurigana run's length


def build_index(docs: list[SearchDoc], spill: Path | None = None) -> dict:
    """{key: encoded postings} for every character and bigram of the corpus, and under
    TRIGRAMS the corpus's distinct trigrams (uint64 bytes) for the shards' filters.

    Memory stays bounded at any corpus size: a document's character pairs go,
    by a hash of the pair, to one of BUCKETS files on disk (an external sort),
    and each bucket is then sorted and encoded on its own, so no more than one
    bucket's pairs are ever in memory at once. `spill`: the folder for those
    files (the build's spool, on the output's disk: /tmp may be memory).
    """
    index: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="jichitai-dx-index-", dir=spill) as folder:
        postings = _Postings(Path(folder))
        for number, doc in enumerate(docs):
            kept = kept_fields(doc)
            postings.add(number, [fold_kana(text) for text in kept], kept)
        postings.encode(index)
    return index


BUCKETS = 64            # files the pairs of the corpus are spread over before sorting
SPILL_AT = 1_000_000    # pairs held in memory before they are appended to their buckets' files
_PAIR = np.dtype([("key", "<u8"), ("doc", "<u4"), ("pos", "<u4")])


class _Postings:
    """The corpus's postings as they are collected: characters in memory (one entry per
    character and document), pairs spilled to bucket files, okurigana pairs in arrays.

    Entries arrive in document order and, within a document, in position order; a stable
    sort by key alone then yields the (key, document, position) order the encoders need."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.uni_keys: list[np.ndarray] = []
        self.uni_masks: list[np.ndarray] = []
        self.uni_counts: list[int] = []
        self.pending: list[tuple[np.ndarray, np.ndarray, int]] = []
        self.pending_size = 0
        self.bucket_sizes = np.zeros(BUCKETS, dtype=np.int64)
        self.skip_keys, self.skip_docs, self.skip_pos = array("Q"), array("I"), array("Q")
        self.trigrams = TrigramSet()
        self.text = open(folder / "text.bin", "wb")  # the folded text, for phrase entries (phrases.py)
        self.text_starts = array("Q", [0])

    def add(self, number: int, fields: list[str], kept: list[str]) -> None:
        uni_keys, uni_masks, pair_keys, pair_pos = [], [], [], []
        whole = codepoints("\n".join(fields))
        self.text.write(whole.tobytes())
        self.text_starts.append(self.text_starts[-1] + whole.size)
        for field_number, text in enumerate(fields):
            if not text:
                continue
            cps = codepoints(text)
            keep = (cps != 0x20) & (cps != 0x0A)
            uni = np.unique(cps[keep])
            uni_keys.append(uni)
            uni_masks.append(np.full(uni.size, 1 << field_number, dtype=np.uint32))
            if cps.size < 2:
                continue
            pair = keep[:-1] & keep[1:]
            self.trigrams.add(cps, keep)
            keys = (cps[:-1].astype(np.uint64) << np.uint64(21)) | cps[1:].astype(np.uint64)
            pair_keys.append(keys[pair])
            pair_pos.append(np.nonzero(pair)[0].astype(np.uint32) + np.uint32(field_number << FIELD_SHIFT))
            for start, end in okurigana_runs(kept[field_number]):
                if end < len(text) and text[end] not in " \n":
                    self.skip_keys.append((ord(text[start - 1]) << 21) | ord(text[end]))
                    self.skip_pos.append((((field_number << FIELD_SHIFT) + start - 1) << RUN_BITS) | (end - start))
                    self.skip_docs.append(number)
        if uni_keys:  # one entry per character of the document, with the fields it is in
            keys, masks = np.concatenate(uni_keys), np.concatenate(uni_masks)
            order = np.argsort(keys, kind="stable")
            keys, masks = keys[order], masks[order]
            starts = _groups(keys)[0]
            self.uni_keys.append(keys[starts])
            self.uni_masks.append(np.bitwise_or.reduceat(masks, starts))
            self.uni_counts.append(starts.size)
        else:
            self.uni_counts.append(0)
        if pair_keys:
            keys = np.concatenate(pair_keys)
            self.pending.append((keys, np.concatenate(pair_pos), number))
            self.pending_size += keys.size
            if self.pending_size >= SPILL_AT:
                self._spill()

    def _spill(self) -> None:
        """Append the pending pairs to their buckets' files, each file staying in document order."""
        if not self.pending:
            return
        records = np.empty(self.pending_size, dtype=_PAIR)
        records["key"] = np.concatenate([keys for keys, _, _ in self.pending])
        records["pos"] = np.concatenate([pos for _, pos, _ in self.pending])
        records["doc"] = np.repeat(np.array([n for _, _, n in self.pending], dtype=np.uint32),
                                   [keys.size for keys, _, _ in self.pending])
        self.pending, self.pending_size = [], 0
        buckets = _bucket(records["key"])
        order = np.argsort(buckets, kind="stable")
        records, buckets = records[order], buckets[order]
        del order
        bounds = np.searchsorted(buckets, np.arange(BUCKETS + 1))
        for bucket in np.nonzero(bounds[1:] > bounds[:-1])[0]:
            with open(self.folder / f"{bucket}.bin", "ab") as out:
                records[bounds[bucket]:bounds[bucket + 1]].tofile(out)
            self.bucket_sizes[bucket] += bounds[bucket + 1] - bounds[bucket]

    def encode(self, index: dict) -> None:
        if self.uni_keys:
            docs = np.repeat(np.arange(len(self.uni_counts), dtype=np.uint32), self.uni_counts)
            _encode_unigrams(np.concatenate(self.uni_keys), docs, np.concatenate(self.uni_masks), index)
        self.uni_keys = self.uni_masks = None
        self._spill()
        for bucket in np.nonzero(self.bucket_sizes)[0]:
            path = self.folder / f"{bucket}.bin"
            records = np.fromfile(path, dtype=_PAIR)
            path.unlink()
            _encode_bigrams(records["key"], records["doc"], records["pos"], index, split=True)
            del records
        if self.skip_keys:
            skipped: dict[str, bytes] = {}
            _encode_bigrams(np.frombuffer(self.skip_keys, dtype=np.uint64),
                            np.frombuffer(self.skip_docs, dtype=np.uint32),
                            np.frombuffer(self.skip_pos, dtype=np.uint64), skipped, split=True,
                            shift=FIELD_SHIFT + RUN_BITS)
            for key, value in skipped.items():  # an oversized one's blocks: POSITIONS + SKIP + pair + block
                index[POSITIONS + SKIP + key[1:] if key.startswith(POSITIONS) else SKIP + key] = value
        index[TRIGRAMS] = self.trigrams.result().tobytes()
        self.text.close()
        starts = np.frombuffer(self.text_starts, dtype=np.uint64).astype(np.int64)
        if starts[-1]:
            text = np.memmap(self.text.name, dtype=np.uint32, mode="r")
            index.update(phrase_entries(text, starts, index))
            del text


def _bucket(keys: np.ndarray) -> np.ndarray:
    """A pair's bucket: the top bits of a multiplicative hash, so common pairs spread out."""
    with np.errstate(over="ignore"):
        return ((keys * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - (BUCKETS - 1).bit_length())).astype(np.int64)


def _groups(keys: np.ndarray):
    """(start, end) of each run of equal keys in a sorted array."""
    change = np.nonzero(keys[1:] != keys[:-1])[0] + 1
    bounds = np.concatenate(([0], change, [keys.size]))
    return bounds[:-1], bounds[1:]


def _key_text(key: int, bigram: bool) -> str:
    if bigram:
        return chr(key >> 21) + chr(key & 0x1FFFFF)
    return chr(key)


def _doc_deltas(docs: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Document numbers as deltas, restarting at each key."""
    deltas = np.diff(docs.astype(np.int64), prepend=0)
    deltas[starts] = docs[starts]
    return deltas


def _encode_unigrams(keys, docs, fields, index) -> None:
    """Per character: [n, doc deltas…, field masks…] (a mask says which fields hold it).
    The entries come in document order, so a stable sort by character is enough."""
    order = np.argsort(keys, kind="stable")
    keys, docs, fields = keys[order], docs[order], fields[order]
    first = np.ones(keys.size, dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    run_starts = np.nonzero(first)[0]
    masks = np.bitwise_or.reduceat(fields, run_starts).astype(np.int64)
    keys, docs = keys[run_starts], docs[run_starts]
    starts, ends = _groups(keys)
    deltas = _doc_deltas(docs, starts)
    encoded, spans = vlq(deltas), vlq_offsets(deltas)
    m_enc, m_spans = vlq(masks), vlq_offsets(masks)
    counts = (ends - starts).astype(np.int64)
    head, head_spans = vlq(counts), vlq_offsets(counts)
    for i, (start, end) in enumerate(zip(starts, ends)):
        key = _key_text(int(keys[start]), False)
        index[key] = (head[head_spans[i]:head_spans[i + 1]] + encoded[spans[start]:spans[end]]
                      + m_enc[m_spans[start]:m_spans[end]])


def _encode_bigrams(keys, docs, pos, index, split: bool = False, shift: int = FIELD_SHIFT) -> None:
    """Per pair: [n, doc deltas…, counts…, position deltas…], a document's first position
    written by first_position (`shift`: where its field number starts). When that is over SPLIT_AT
    bytes (and `split`), the pair keeps "!" + [n, doc deltas…, field masks…, counts…] and
    its positions go by blocks of BLOCK_DOCS documents to keys POSITIONS + pair + block,
    so a two-character term loads no positions and a longer one only its candidates' blocks.
    The entries come in (document, position) order, so a stable sort by pair is enough."""
    order = np.argsort(keys, kind="stable")
    keys, docs, pos = keys[order], docs[order], pos[order]
    key_starts, key_ends = _groups(keys)
    # (key, doc) runs
    pair_change = np.ones(keys.size, dtype=bool)
    pair_change[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    pair_starts = np.nonzero(pair_change)[0]
    pair_ends = np.concatenate((pair_starts[1:], [keys.size]))
    pair_docs = docs[pair_starts]
    pair_counts = (pair_ends - pair_starts).astype(np.int64)
    pair_keys = keys[pair_starts]
    # per key: index range of its (key, doc) pairs
    pk_starts, pk_ends = _groups(pair_keys)
    doc_deltas = _doc_deltas(pair_docs, pk_starts)
    pos_deltas = np.diff(pos.astype(np.int64), prepend=0)
    pos_deltas[pair_starts] = first_position(pos[pair_starts], shift)
    d_enc, d_spans = vlq(doc_deltas), vlq_offsets(doc_deltas)
    c_enc, c_spans = vlq(pair_counts), vlq_offsets(pair_counts)
    p_enc, p_spans = vlq(pos_deltas), vlq_offsets(pos_deltas)
    n_docs = (pk_ends - pk_starts).astype(np.int64)
    h_enc, h_spans = vlq(n_docs), vlq_offsets(n_docs)
    masks = None
    for i in range(pk_starts.size):
        a, b = pk_starts[i], pk_ends[i]
        start, end = key_starts[i], key_ends[i]
        key = _key_text(int(pair_keys[a]), True)
        size = p_spans[end] - p_spans[start] + d_spans[b] - d_spans[a] + c_spans[b] - c_spans[a]
        if not split or size <= SPLIT_AT:
            index[key] = (h_enc[h_spans[i]:h_spans[i + 1]] + d_enc[d_spans[a]:d_spans[b]]
                          + c_enc[c_spans[a]:c_spans[b]] + p_enc[p_spans[start]:p_spans[end]])
            continue
        if masks is None:  # per (key, doc): the fields it is in
            bits = np.left_shift(1, (pos >> np.uint64(shift)).astype(np.int64))
            masks = np.bitwise_or.reduceat(bits, pair_starts)
            m_enc, m_spans = vlq(masks), vlq_offsets(masks)
        index[key] = (b"!" + h_enc[h_spans[i]:h_spans[i + 1]] + d_enc[d_spans[a]:d_spans[b]]
                      + m_enc[m_spans[a]:m_spans[b]] + c_enc[c_spans[a]:c_spans[b]])
        blocks = pair_docs[a:b] // BLOCK_DOCS
        for lo, hi in zip(*_groups(blocks)):
            first, last = a + lo, a + hi - 1
            index[f"{POSITIONS}{key}{int(blocks[lo])}"] = \
                p_enc[p_spans[pair_starts[first]]:p_spans[pair_ends[last]]]
