"""The search index, decoded in Python, finds exactly what a brute-force
substring scan finds; normalisation rules; shard layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import synthetic
from conftest import REPO
from generator import pipeline
from generator.site.search_index import FIELD_SHIFT, SearchDoc, brute_force, build_index, fnv1a, shard_files
from generator.textnorm import normalize, terms
from search_queries import QUERIES

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def decode(text: str) -> list[int]:
    out, value, shift = [], 0, 0
    for ch in text:
        digit = ALPHABET.index(ch)
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            out.append(value)
            value, shift = 0, 0
    return out


def lookup(index: dict, term: str) -> dict[int, set[int]]:
    """doc → fields the term is in: the engine's algorithm, written again independently."""
    chars = list(term)
    if len(chars) == 1:
        raw = index.get(term)
        if raw is None:
            return {}
        v = decode(raw.decode())
        n = v[0]
        docs, acc = [], 0
        for i in range(n):
            acc = v[1] if i == 0 else acc + v[1 + i]
            docs.append(acc)
        masks = v[1 + n:1 + 2 * n]
        return {d: {f for f in range(8) if m & (1 << f)} for d, m in zip(docs, masks)}
    per_pair = []
    for i in range(len(chars) - 1):
        raw = index.get(chars[i] + chars[i + 1])
        if raw is None:
            return {}
        v = decode(raw.decode())
        n = v[0]
        doc_deltas, counts, rest = v[1:1 + n], v[1 + n:1 + 2 * n], v[1 + 2 * n:]
        by_doc, acc, k = {}, 0, 0
        for j in range(n):
            acc = doc_deltas[0] if j == 0 else acc + doc_deltas[j]
            positions, p = set(), 0
            for m in range(counts[j]):
                p = rest[k] if m == 0 else p + rest[k]
                k += 1
                positions.add(p)
            by_doc[acc] = positions
        per_pair.append(by_doc)
    found: dict[int, set[int]] = {}
    for doc, starts in per_pair[0].items():
        for start in starts:
            if all(doc in pairs and start + i in pairs[doc] for i, pairs in enumerate(per_pair[1:], 1)):
                found.setdefault(doc, set()).add(start >> FIELD_SHIFT)
    return found


def search(index, query):
    sets = [set(lookup(index, t)) for t in terms(query)]
    return sorted(set.intersection(*sets)) if sets else []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("search") / "cases"
    synthetic.generate(root, 400, seed=3)
    for path in (REPO / "cases").glob("*/*.md"):
        target = root / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
    result = pipeline.run(root)
    assert result.ok
    files = {p[len("search/"):]: c for p, c in result.tree.files.items() if p.startswith("search/")}
    docs = [json.loads(files[f"d/{n}.js"].decode()[len(f'DXS_LOAD("d{n}",'):-3])
            for n in range(len(result.collection))]
    search_docs = [SearchDoc(d["u"], d["t"], d["p"], d["s"], d["f"], 0, 0, []) for d in docs]
    return build_index(search_docs), search_docs, files


@pytest.mark.parametrize("query", QUERIES)
def test_index_finds_exactly_what_a_substring_scan_finds(corpus, query):
    index, docs, _ = corpus
    assert search(index, query) == brute_force(docs, terms(query))


def test_query_list_exercises_real_matches(corpus):
    index, docs, _ = corpus
    hits = [q for q in QUERIES if brute_force(docs, terms(q))]
    assert len(QUERIES) >= 50 and len(hits) >= 45


def test_field_of_a_match_is_known_from_the_position(corpus):
    index, docs, _ = corpus
    found = lookup(index, normalize("裾野市"))
    susono = next(n for n, d in enumerate(docs) if d.place.startswith("静岡県裾野市"))
    assert 1 in found[susono]  # the place field


@pytest.mark.parametrize("text, expected", [
    ("オクヤミ", "おくやみ"), ("ｵｸﾔﾐ", "おくやみ"), ("マイナンバーカード", "まいなんばかど"),
    ("茅ヶ崎", "茅け崎"), ("茅ケ崎", "茅け崎"), ("ＡＩ－ＯＣＲ", "ai-ocr"), ("ＤＸ　推進", "dx 推進"),
    ("２０２４年", "2024年"), ("ヴ", "ゔ"), ("ヵ所", "か所"),
])
def test_normalisation(text, expected):
    assert normalize(text) == expected


def test_query_splits_on_half_and_full_width_spaces():
    assert terms("書かない　窓口  ＡＩ") == ["書かない", "窓口", "ai"]


def test_shards_are_scripts_within_budget(corpus):
    _, docs, files = corpus
    meta = json.loads(files["meta.js"].decode()[len('DXS_LOAD("meta",'):-3])
    assert meta["docs"] == len(docs)
    shards = [f for f in files if f.startswith("s/")]
    assert len(shards) == meta["shards"]
    for name in shards:
        text = files[name].decode()
        assert text.startswith(f'DXS_LOAD("s{name[2:-3]}",')
        for key in json.loads(text[text.index(",") + 1:-3]):
            assert fnv1a(key) % meta["shards"] == int(name[2:-3])


def test_fnv1a_matches_the_reference_values():
    # FNV-1a 32-bit over code points; for ASCII it is the published function
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968
