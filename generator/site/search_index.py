"""Search index: exact substring search over normalised Japanese text,
sharded into `<script>` files so a query loads only what it needs.

A term of one character is looked up in a character → documents list (with
the fields it is in); a longer term in the positional index of its character pairs (bigrams): a
document matches when the term's bigrams stand at consecutive positions.
That is exact: the result set equals a substring scan of the same
normalised text, which `brute_force` does for the tests.

Okurigana: where a run of one or two hiragana follows a kanji (申し込み), the
pair of characters that meet when the run is dropped (申込) is stored too,
under the key "\x01" + pair, in the pair's own shard, with position × 4 +
the run's length. A query's kanji skeleton (textnorm.skeleton) then matches
as a chain of plain and skipping pairs: the same as a substring scan of the
skeletons, which `textnorm.matches` does for the tests.

Positions are "virtual": field number × 2^20 + offset, so a match can be
ranked by the field it is in without loading the document. Documents are
numbered newest-checked first, so a lower number breaks ties.

A common pair's postings (over SPLIT_AT bytes) keep only documents, field
masks and counts in their shard; their positions go, by blocks of
BLOCK_DOCS documents, to files of their own. A two-character term then loads
no positions, and a longer one only the blocks of the documents that have
all its pairs, so a query on common words stays small at 10,000 cases.

An entry over BIG_ENTRY bytes (a common character, a common pair's
document list, a common okurigana pair) moves to a file of its own,
b/<shard>-<n>.js, and its shard keeps only "@<shard>-<n>". Shards then hold
mostly small entries and stay small, a lookup that only asks whether a key
exists (splitting a query into pieces) loads no big postings, and a big
entry is loaded only when its documents are needed.

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

from ..model import POPULATION_BANDS, UNKNOWN_BAND
from ..municipalities import TYPES as MUNICIPALITY_TYPES
from ..textnorm import OKURIGANA, folding, function_words, normalize

FIELDS = ["title", "place", "labels", "summary", "systems", "departments", "partners", "problems", "outcomes",
          "body"]
WEIGHTS = [10, 8, 6, 4, 4, 3, 3, 2, 2, 1]
# how a result names the field its snippet comes from
FIELD_LABELS = ["題名", "団体", "分野・タグ", "概要", "システム", "担当部署", "連携団体", "課題", "効果", "本文"]
TYPES = list(MUNICIPALITY_TYPES)
BANDS = [label for label, _ in POPULATION_BANDS] + [UNKNOWN_BAND]
STATUSES = ["検討中", "実証中", "運用中", "横展開", "終了"]
SKIP = "\x01"  # key prefix of the pairs that meet across okurigana
POSITIONS = "\x02"  # key prefix of a block of an oversized pair's positions
SPLIT_AT = 16_000  # bytes of a pair's postings above which its positions go to blocks
BLOCK_DOCS = 256   # documents per block of positions
POSITION_FILES = 1 << 20  # position blocks go to files p/<hash % this>-<block>.js: about one pair a file
FIELD_SHIFT = 20
ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)
SHARD_TARGET = 4_000  # bytes of encoded postings per shard, big entries moved out
BIG_ENTRY = 1_000  # bytes of an entry above which it moves to a file of its own
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
    kind: int = 0       # municipality type, index in TYPES
    band: int = 0       # population band, index in BANDS
    launch: str = ""    # YYYY or YYYY-MM(-DD), empty when not launched


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
    skip_keys, skip_docs, skip_pos = [], [], []
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
            for run in OKURIGANA.finditer(text):
                start, end = run.span()
                if end < len(text) and text[end] not in " \n":
                    skip_keys.append((ord(text[start - 1]) << 21) | ord(text[end]))
                    skip_pos.append((((field_number << FIELD_SHIFT) + start - 1) << 2) | (end - start))
                    skip_docs.append(number)
    index: dict[str, bytes] = {}
    if uni_keys:
        _encode_unigrams(np.concatenate(uni_keys), np.concatenate(uni_docs), np.concatenate(uni_fields), index)
    if bi_keys:
        _encode_bigrams(np.concatenate(bi_keys), np.concatenate(bi_docs), np.concatenate(bi_pos), index,
                        split=True)
    if skip_keys:
        skipped: dict[str, bytes] = {}
        _encode_bigrams(np.array(skip_keys, dtype=np.uint64), np.array(skip_docs, dtype=np.uint32),
                        np.array(skip_pos, dtype=np.uint64), skipped)
        index.update((SKIP + key, value) for key, value in skipped.items())
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


def _encode_bigrams(keys, docs, pos, index, split: bool = False) -> None:
    """Per pair: [n, doc deltas…, counts…, position deltas…]. When that is over SPLIT_AT
    bytes (and `split`), the pair keeps "!" + [n, doc deltas…, field masks…, counts…] and
    its positions go by blocks of BLOCK_DOCS documents to keys POSITIONS + pair + block,
    so a two-character term loads no positions and a longer one only its candidates' blocks."""
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
            bits = np.left_shift(1, (pos >> np.uint64(FIELD_SHIFT)).astype(np.int64))
            masks = np.bitwise_or.reduceat(bits, pair_starts)
            m_enc, m_spans = vlq(masks), _spans(masks)
        index[key] = (b"!" + h_enc[h_spans[i]:h_spans[i + 1]] + d_enc[d_spans[a]:d_spans[b]]
                      + m_enc[m_spans[a]:m_spans[b]] + c_enc[c_spans[a]:c_spans[b]])
        blocks = pair_docs[a:b] // BLOCK_DOCS
        for lo, hi in zip(*_groups(blocks)):
            first, last = a + lo, a + hi - 1
            index[f"{POSITIONS}{key}{int(blocks[lo])}"] = \
                p_enc[p_spans[pair_starts[first]]:p_spans[pair_ends[last]]]


def shard_of(key: str, shards: int) -> int:
    """A skipping pair lives in its plain pair's shard, so okurigana cost a query no extra file."""
    return fnv1a(key.lstrip(SKIP)) % shards


def position_file(key: str) -> str:
    """<hash of the pair>-<block>: the file of one block of an oversized pair's positions."""
    pair, block = key[1:3], key[3:]
    return f"{fnv1a(pair) % POSITION_FILES}-{block}"


def shard_files(index: dict, docs: list[SearchDoc], synonyms: list[list[str]] = ()) -> dict[str, bytes]:
    """The index as script files: meta.js (shard count, folding tables, synonyms), facets.js
    (per document, for filters), s/<n>.js shards, b/<n>-<k>.js big entries, p/<n>-<block>.js
    blocks of oversized pairs' positions and d/<n>.js records."""
    total = sum(len(k) * 3 + (len(v) if len(v) <= BIG_ENTRY else 8) + 6
                for k, v in index.items() if not k.startswith(POSITIONS))
    shards = max(1, math.ceil(total / SHARD_TARGET))
    grouped: list[dict[str, str]] = [{} for _ in range(shards)]
    blocks: dict[str, dict[str, str]] = {}
    files = {}
    for key in sorted(index):
        if key.startswith(POSITIONS):
            blocks.setdefault(position_file(key), {})[key] = index[key].decode("ascii")
            continue
        shard = shard_of(key, shards)
        value = index[key].decode("ascii")
        if len(value) > BIG_ENTRY:
            name = f"{shard}-{sum(v.startswith('@') for v in grouped[shard].values())}"
            files[f"b/{name}.js"] = f'DXS_LOAD("b{name}","{value}");\n'.encode("ascii")
            value = "@" + name
        grouped[shard][key] = value
    for number, entries in enumerate(grouped):
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        files[f"s/{number}.js"] = f'DXS_LOAD("s{number}",{payload});\n'.encode("utf-8")
    for name, entries in blocks.items():
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        files[f"p/{name}.js"] = f'DXS_LOAD("p{name}",{payload});\n'.encode("utf-8")
    fold = folding()
    meta = {
        "version": 2,
        "docs": len(docs),
        "shards": shards,
        "fields": FIELDS,
        "labels": FIELD_LABELS,
        "weights": WEIGHTS,
        "shift": FIELD_SHIFT,
        "block": BLOCK_DOCS,
        "positionFiles": POSITION_FILES,
        "fold": {"variants": fold["variants"], "dashes": fold["dashes"], "company": fold["company_forms"]},
        "functionWords": list(function_words()),
        "particles": fold["particles"],
        "synonyms": [[normalize(w) for w in group] for group in synonyms],
    }
    facets = {  # per document, for the results page's filters and sorting only
        "pref": "".join(chr(48 + d.pref) for d in docs),
        "status": "".join(chr(48 + d.status) for d in docs),
        "kind": "".join(chr(48 + d.kind) for d in docs),
        "band": "".join(chr(48 + d.band) for d in docs),
        "launch": [int(d.launch[:7].replace("-", "").ljust(6, "0")) if d.launch else 0 for d in docs],
        "areas": [sum(1 << a for a in d.areas) for d in docs],
    }
    files["facets.js"] = ("DXS_LOAD(\"facets\"," + json.dumps(facets, separators=(",", ":")) + ");\n").encode()
    files["meta.js"] = ("DXS_LOAD(\"meta\"," + json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
                        + ");\n").encode("utf-8")
    for number, doc in enumerate(docs):
        record = {"u": doc.url, "t": doc.title, "p": doc.place, "s": doc.summary, "f": doc.fields,
                  "st": STATUSES[doc.status], "k": TYPES[doc.kind], "b": BANDS[doc.band], "l": doc.launch}
        files[f"d/{number}.js"] = (f'DXS_LOAD("d{number}",'
                                   + json.dumps(record, ensure_ascii=False, separators=(",", ":")) + ");\n"
                                   ).encode("utf-8")
    return files
