"""Search index: exact substring search over normalised Japanese text,
sharded into `<script>` files so a query loads only what it needs.

A term of one character is looked up in a character → documents list (with
the fields it is in); a longer term in the positional index of its character pairs (bigrams): a
document matches when the term's bigrams stand at consecutive positions.
That is exact: the result set equals a substring scan of the same
normalised text, which `brute_force` does for the tests.

Positions are "virtual": field number × 2^20 + offset, so a match can be
ranked by the field it is in without loading the document. Documents are
numbered newest-checked first, so a lower number breaks ties.

Everything is encoded as variable-length base-64 numbers (5 bits a
character, continuation flag in the sixth) and spread over shards by an
FNV-1a hash of the key; the browser twin is theme/assets/dx/search.js.
Building uses numpy so that 10,000 cases index in seconds.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass

import numpy as np

from ..textnorm import normalize

FIELDS = ["title", "place", "labels", "summary", "systems", "problems", "outcomes", "body"]
WEIGHTS = [10, 8, 5, 4, 3, 2, 2, 1]
FIELD_SHIFT = 20
ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)
SHARD_TARGET = 24_000  # bytes of encoded postings per shard
WHITESPACE = (0x20, 0x0A)
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


def html_text(fragment: str) -> str:
    return html.unescape(_TAGS.sub(" ", fragment))


def normalized_fields(doc: SearchDoc) -> list[str]:
    """Each field normalised; list items stay apart (a term never spans two)."""
    return ["\n".join(normalize(part) for part in field.split("\n")) for field in doc.fields]


def brute_force(docs: list[SearchDoc], query_terms: list[str]) -> list[int]:
    """Documents whose normalised text contains every term: the reference for recall."""
    found = []
    for number, doc in enumerate(docs):
        fields = normalized_fields(doc)
        if all(any(term in field for field in fields) for term in query_terms):
            found.append(number)
    return found


def fnv1a(key: str) -> int:
    h = 0x811C9DC5
    for ch in key:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def _lengths(values: np.ndarray) -> np.ndarray:
    lengths = np.ones(values.size, dtype=np.int64)
    for bits in range(5, 40, 5):
        lengths += values >= np.uint64(1 << bits)
    return lengths


def vlq(values: np.ndarray) -> bytes:
    """Non-negative integers → base-64 characters, 5 bits each, low bits first."""
    values = values.astype(np.uint64)
    if values.size == 0:
        return b""
    lengths = _lengths(values)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    out = np.empty(int(lengths.sum()), dtype=np.uint8)
    for k in range(int(lengths.max())):
        mask = lengths > k
        digit = (values[mask] >> np.uint64(5 * k)) & np.uint64(31)
        more = (lengths[mask] > k + 1).astype(np.uint64) << np.uint64(5)
        out[starts[mask] + k] = ALPHABET[(digit | more).astype(np.int64)]
    return out.tobytes()


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def build_index(docs: list[SearchDoc]) -> dict:
    """{key: encoded postings} for every character and bigram of the corpus."""
    uni_keys, uni_docs, uni_fields, bi_keys, bi_docs, bi_pos = [], [], [], [], [], []
    for number, doc in enumerate(docs):
        for field_number, text in enumerate(normalized_fields(doc)):
            if not text:
                continue
            cps = _codepoints(text)
            keep = (cps != 0x20) & (cps != 0x0A)
            uni = np.unique(cps[keep])
            uni_keys.append(uni.astype(np.uint64))
            uni_docs.append(np.full(uni.size, number, dtype=np.uint32))
            uni_fields.append(np.full(uni.size, 1 << field_number, dtype=np.uint32))
            if cps.size < 2:
                continue
            pair = keep[:-1] & keep[1:]
            keys = (cps[:-1].astype(np.uint64) << np.uint64(21)) | cps[1:].astype(np.uint64)
            offsets = np.nonzero(pair)[0].astype(np.uint32)
            bi_keys.append(keys[pair])
            bi_docs.append(np.full(offsets.size, number, dtype=np.uint32))
            bi_pos.append(offsets + np.uint32(field_number << FIELD_SHIFT))
    index: dict[str, bytes] = {}
    if uni_keys:
        _encode_unigrams(np.concatenate(uni_keys), np.concatenate(uni_docs), np.concatenate(uni_fields), index)
    if bi_keys:
        _encode_bigrams(np.concatenate(bi_keys), np.concatenate(bi_docs), np.concatenate(bi_pos), index)
    return index


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
    """Per character: [n, doc deltas…, field masks…] (a mask says which fields hold it)."""
    order = np.lexsort((docs, keys))
    keys, docs, fields = keys[order], docs[order], fields[order]
    first = np.ones(keys.size, dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    run_starts = np.nonzero(first)[0]
    masks = np.bitwise_or.reduceat(fields, run_starts).astype(np.int64)
    keys, docs = keys[run_starts], docs[run_starts]
    starts, ends = _groups(keys)
    deltas = _doc_deltas(docs, starts)
    encoded, spans = vlq(deltas), _spans(deltas)
    m_enc, m_spans = vlq(masks), _spans(masks)
    counts = (ends - starts).astype(np.int64)
    head, head_spans = vlq(counts), _spans(counts)
    for i, (start, end) in enumerate(zip(starts, ends)):
        key = _key_text(int(keys[start]), False)
        index[key] = (head[head_spans[i]:head_spans[i + 1]] + encoded[spans[start]:spans[end]]
                      + m_enc[m_spans[start]:m_spans[end]])


def _spans(values: np.ndarray) -> np.ndarray:
    """Byte offsets of each value in vlq(values), with the total at the end."""
    return np.concatenate(([0], np.cumsum(_lengths(values.astype(np.uint64)))))


def _encode_bigrams(keys, docs, pos, index) -> None:
    order = np.lexsort((pos, docs, keys))
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
    pos_deltas[pair_starts] = pos[pair_starts]
    d_enc, d_spans = vlq(doc_deltas), _spans(doc_deltas)
    c_enc, c_spans = vlq(pair_counts), _spans(pair_counts)
    p_enc, p_spans = vlq(pos_deltas), _spans(pos_deltas)
    n_docs = (pk_ends - pk_starts).astype(np.int64)
    h_enc, h_spans = vlq(n_docs), _spans(n_docs)
    for i in range(pk_starts.size):
        a, b = pk_starts[i], pk_ends[i]
        start, end = key_starts[i], key_ends[i]
        key = _key_text(int(pair_keys[a]), True)
        index[key] = (h_enc[h_spans[i]:h_spans[i + 1]] + d_enc[d_spans[a]:d_spans[b]]
                      + c_enc[c_spans[a]:c_spans[b]] + p_enc[p_spans[start]:p_spans[end]])


def shard_files(index: dict, docs: list[SearchDoc]) -> dict[str, bytes]:
    """The index as script files: meta.js (shard count, facets) and s/<n>.js shards."""
    total = sum(len(k) * 3 + len(v) + 6 for k, v in index.items())
    shards = max(1, math.ceil(total / SHARD_TARGET))
    grouped: list[dict[str, str]] = [{} for _ in range(shards)]
    for key in sorted(index):
        grouped[fnv1a(key) % shards][key] = index[key].decode("ascii")
    files = {}
    for number, entries in enumerate(grouped):
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        files[f"s/{number}.js"] = f'DXS_LOAD("s{number}",{payload});\n'.encode("utf-8")
    meta = {
        "version": 1,
        "docs": len(docs),
        "shards": shards,
        "fields": FIELDS,
        "weights": WEIGHTS,
        "shift": FIELD_SHIFT,
        "pref": "".join(chr(48 + d.pref) for d in docs),
        "status": "".join(chr(48 + d.status) for d in docs),
        "areas": [sum(1 << a for a in d.areas) for d in docs],
    }
    files["meta.js"] = ("DXS_LOAD(\"meta\"," + json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
                        + ");\n").encode("utf-8")
    for number, doc in enumerate(docs):
        record = {"u": doc.url, "t": doc.title, "p": doc.place, "s": doc.summary, "f": doc.fields}
        files[f"d/{number}.js"] = (f'DXS_LOAD("d{number}",'
                                   + json.dumps(record, ensure_ascii=False, separators=(",", ":")) + ");\n"
                                   ).encode("utf-8")
    return files
