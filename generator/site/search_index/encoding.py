"""How the index is written, shared by the postings, the trigram filters and the files:
key prefixes, virtual positions (field number × 2^FIELD_SHIFT + offset, so a match can be
ranked by its field without loading the document; a document's first one written with the field
in its low bits, first_position), variable-length base-64 numbers (5 bits
a character, continuation flag in the sixth) and the FNV-1a hash that spreads keys over
shards. The browser reads them in theme/assets/dx/search-index.js, the twin."""

from __future__ import annotations

import numpy as np

SKIP = "\x01"  # key prefix of the pairs that meet across okurigana
POSITIONS = "\x02"  # key prefix of a block of an oversized pair's positions
FIELD_SHIFT = 20
FIRST_FIELD_BITS = 4  # a document's first position is written offset × 2^4 + field: 3 or 4 characters, not 5


def first_position(values: np.ndarray, shift: int) -> np.ndarray:
    """Virtual positions (field × 2^shift + rest) as written for a document's first one: the
    field in the low bits, so that a small offset stays a short number (most documents hold a
    common pair once or twice, and the first position was most of the bytes of positions)."""
    values = values.astype(np.int64)
    return ((values & ((1 << shift) - 1)) << FIRST_FIELD_BITS) | (values >> shift)
ALPHABET = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", dtype=np.uint8)
ALPHABET_TEXT = ALPHABET.tobytes().decode("ascii")
WHITESPACE = (0x20, 0x0A)


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


def codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def vlq_offsets(values: np.ndarray) -> np.ndarray:
    """Byte offsets of each value in vlq(values), with the total at the end."""
    return np.concatenate(([0], np.cumsum(_lengths(values.astype(np.uint64)))))


TRIGRAMS = "\x03"  # shard key of the Bloom filter of the trigrams whose first pair is in that shard
