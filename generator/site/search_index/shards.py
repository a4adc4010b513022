"""The index as the `<script>` files the browser loads, each calling DXS_LOAD(name, data).

Keys are spread over shards s/<n>.js by an FNV-1a hash. An entry over BIG_ENTRY bytes (a
common character, a common pair's document list, a common okurigana pair) moves to a file
of its own, b/<shard>-<n>.js, and its shard keeps only "@<shard>-<n>": shards then hold
mostly small entries and stay small, a lookup that only asks whether a key exists
(splitting a query into pieces) loads no big postings, and a big entry is loaded only when
its documents are needed.

meta.js also lists the big entries (per shard, their keys in file order, "!" before an
oversized pair's), so the browser asks for a big entry's file together with its shard rather
than after it, and knows which pairs are oversized before loading them. An oversized pair's
positions are written by blocks (p/<hash>-<block>.js) and, when there are several, whole too
(p/<hash>.js, every block's DXS_LOAD in one file), so a query that needs most of a pair's
blocks loads one file rather than a wave of them.

The packed index (`packed`: the offline copy, read from disk, where a zip compresses each file
alone and many small files compress badly) writes far fewer, bigger files: the big entries of
a shard in one file b/<shard>.js, a pair's positions only whole, and records by groups of
RECORD_GROUP documents, r/<group>.js. Each such file calls DXS_LOAD once per name it holds,
so the browser asks for the same names as from the hosted index, only from other paths."""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter

import numpy as np

from ...textnorm import folding, function_words, normalize, normalize_kept
from .documents import BANDS, FIELD_LABELS, FIELDS, STATUSES, TYPES, WEIGHTS, SearchDoc
from .encoding import FIELD_SHIFT, POSITIONS, SKIP, TRIGRAMS, fnv1a
from .phrases import LONGEST, PHRASE_MIN, PHRASES
from .postings import BLOCK_DOCS
from .synonym_files import synonym_files
from .trigrams import corpus_trigrams, trigram_filters

POSITION_FILES = 1 << 20  # position blocks go to files p/<hash % this>-<block>.js: about one pair a file
SHARD_TARGET = 4_000  # bytes of encoded postings per shard, big entries moved out
BIG_ENTRY = 1_000  # bytes of an entry above which it moves to a file of its own
RECORD_GROUP = 64  # documents per records file of the packed index


def shard_of(key: str, shards: int) -> int:
    """A skipping pair lives in its plain pair's shard, so okurigana cost a query no extra file;
    a phrase entry in its first pair's, which the query loads anyway."""
    if key.startswith(PHRASES):
        return fnv1a(key[1:3]) % shards
    return fnv1a(key.lstrip(SKIP)) % shards


def position_file(key: str) -> str:
    """<hash of the pair>-<block>: the file of one block of an oversized pair's positions (a
    skipping pair's hash is of SKIP + pair, so it has files of its own)."""
    length = 3 if key[1:2] == SKIP else 2
    pair, block = key[1:1 + length], key[1 + length:]
    return f"{fnv1a(pair) % POSITION_FILES}-{block}"


def shard_files(index: dict, docs: list[SearchDoc], synonyms: list[list[str]] = (),
                packed: bool = False, consume: bool = False) -> dict[str, bytes]:
    """The index as script files: meta.js (shard count, big entries, folding tables, synonyms),
    facets.js (per document, for filters), s/<n>.js shards, b/<n>-<k>.js big entries (packed:
    b/<n>.js), p/<n>-<block>.js and p/<n>.js positions of oversized pairs (packed: p/<n>.js only),
    y/<group>.js the entries a synonym group's words are looked up by (synonym_files.py) and
    d/<n>.js records (packed: r/<group>.js). `consume`: empty `index` on the way (the
    build's copy, made for this call), so the postings and the files they become are not all
    held at once: at 10,000 cases the index runs beside MkDocs (background.py)."""
    total = sum(len(k) * 3 + (len(v) if len(v) <= BIG_ENTRY else 8) + 6
                for k, v in index.items() if not k.startswith((POSITIONS, TRIGRAMS)))
    shards = max(1, math.ceil(total / SHARD_TARGET))
    grouped: list[dict[str, str]] = [{} for _ in range(shards)]
    big: list[list[str]] = [[] for _ in range(shards)]
    blocks: dict[str, dict[str, str]] = {}
    files: dict[str, list[bytes]] = {}  # path → its parts (a packed file holds many), joined at the end
    for key in sorted(index):
        if key == TRIGRAMS:
            continue
        raw = index.pop(key) if consume else index[key]
        if key.startswith(POSITIONS):
            blocks.setdefault(position_file(key), {})[key] = raw.decode("ascii")
            continue
        shard = shard_of(key, shards)
        value = raw.decode("utf-8")  # base-64 numbers; a phrase entry also the characters after its run
        if len(raw) > BIG_ENTRY:
            name = f"{shard}-{len(big[shard])}"
            big[shard].append(("!" if raw[:1] == b"!" else "") + key)  # "!": an oversized pair
            _append(files, f"b/{shard if packed else name}.js",
                    f'DXS_LOAD("b{name}",{json.dumps(value, ensure_ascii=False)});\n'.encode("utf-8"))
            value = "@" + name
        grouped[shard][key] = value
    trigrams = np.frombuffer(index[TRIGRAMS], dtype=np.uint64) if TRIGRAMS in index else corpus_trigrams(docs)
    for number, bloom in enumerate(trigram_filters(trigrams, shards)):
        grouped[number][TRIGRAMS] = bloom
    for number, entries in enumerate(grouped):
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        _append(files, f"s/{number}.js", f'DXS_LOAD("s{number}",{payload});\n'.encode("utf-8"))
    for path, content in synonym_files(grouped, lambda key: shard_of(key, shards), synonyms):
        _append(files, path, content)
    pairs = Counter(name.split("-")[0] for name in blocks)
    for name in list(blocks):
        entries = blocks.pop(name) if consume else blocks[name]
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        content = f'DXS_LOAD("p{name}",{payload});\n'.encode("utf-8")
        pair = name.split("-")[0]
        if not packed:
            _append(files, f"p/{name}.js", content)
        if packed or pairs[pair] > 1:
            _append(files, f"p/{pair}.js", content)
    fold = folding()
    meta = {
        "version": 4,  # 3: first positions as offset × 16 + field, big entries listed; 4: phrase entries,
        # oversized pairs marked "!" in big
        "phraseLongest": LONGEST,
        "phraseMin": PHRASE_MIN,  # fewer candidates: the browser reads their records (search-match.js)
        "docs": len(docs),
        "shards": shards,
        "fields": FIELDS,
        "labels": FIELD_LABELS,
        "weights": WEIGHTS,
        "shift": FIELD_SHIFT,
        "block": BLOCK_DOCS,
        "positionFiles": POSITION_FILES,
        "big": big,
        "packed": packed,
        "recordGroup": RECORD_GROUP if packed else 1,
        "fold": {"variants": fold["variants"], "dashes": fold["dashes"], "company": fold["company_forms"]},
        "functionWords": list(function_words()),
        "particles": fold["particles"],
        "synonyms": [[normalize(w) for w in group] for group in synonyms],
        "synonymsKept": [[normalize_kept(w) for w in group] for group in synonyms],
        # how a synonym is written in synonyms.yml, where that is not its kept form (サーバー, not
        # サーバ): the search page offers it as a search of its own, and shows it so
        "synonymsWritten": {normalize(w): written for group in synonyms for w in group
                            if (written := unicodedata.normalize("NFKC", w).strip()) != normalize_kept(w)},
    }
    facets = {  # per document, for the results page's filters and sorting only
        "pref": "".join(chr(48 + d.pref) for d in docs),
        "status": "".join(chr(48 + d.status) for d in docs),
        "kind": "".join(chr(48 + d.kind) for d in docs),
        "band": "".join(chr(48 + d.band) for d in docs),
        "launch": [int(d.launch[:7].replace("-", "").ljust(6, "0")) if d.launch else 0 for d in docs],
        "areas": [sum(1 << a for a in d.areas) for d in docs],
    }
    _append(files, "facets.js", ("DXS_LOAD(\"facets\"," + json.dumps(facets, separators=(",", ":")) + ");\n").encode())
    _append(files, "meta.js", ("DXS_LOAD(\"meta\"," + json.dumps(meta, ensure_ascii=False, separators=(",", ":"))
                               + ");\n").encode("utf-8"))
    for number, doc in enumerate(docs):
        record = {"u": doc.url, "t": doc.title, "p": doc.place, "s": doc.summary, "f": doc.fields,
                  "st": STATUSES[doc.status], "k": TYPES[doc.kind], "b": BANDS[doc.band], "l": doc.launch}
        content = (f'DXS_LOAD("d{number}",' + json.dumps(record, ensure_ascii=False, separators=(",", ":"))
                   + ");\n").encode("utf-8")
        _append(files, f"r/{number // RECORD_GROUP}.js" if packed else f"d/{number}.js", content)
    for path, parts in files.items():  # in place: each file's parts are freed as it is joined
        files[path] = b"".join(parts)
    return files


def _append(files: dict[str, list[bytes]], path: str, content: bytes) -> None:
    """Parts of a file, joined once at the end: a packed file gathers up to RECORD_GROUP
    records or every block of a pair, and adding bytes to bytes would copy it each time."""
    files.setdefault(path, []).append(content)
