"""The search index, decoded in Python, finds exactly what a brute-force
substring scan finds; normalisation rules; shard layout."""

from __future__ import annotations

import json

import pytest

import synthetic
from conftest import REPO
from generator import pipeline
from generator.site import search_index
from generator.site.search_index import postings
from generator.site.search_index import (BLOCK_DOCS, FIELD_SHIFT, POSITIONS, SKIP, TRIGRAMS, SearchDoc, brute_force,
                                         build_index, fnv1a, in_filter, position_file, shard_files, shard_of)
from generator.textnorm import matches, normalize, normalize_kept, skeleton, terms
from search_queries import QUERIES

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def decode(text: str, count: int | None = None) -> list[int]:
    """The base-64 numbers of text; with count, only its first count of them."""
    out, value, shift = [], 0, 0
    for ch in text:
        digit = ALPHABET.index(ch)
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
        else:
            out.append(value)
            value, shift = 0, 0
            if len(out) == count:
                break
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
        return {d: {f for f in range(16) if m & (1 << f)} for d, m in zip(docs, masks)}
    per_pair = []
    for i in range(len(chars) - 1):
        by_doc = positions(index, chars[i] + chars[i + 1])
        if not by_doc:
            return {}
        per_pair.append({doc: set(found) for doc, found in by_doc.items()})
    found: dict[int, set[int]] = {}
    for doc, starts in per_pair[0].items():
        for start in starts:
            if all(doc in pairs and start + i in pairs[doc] for i, pairs in enumerate(per_pair[1:], 1)):
                found.setdefault(doc, set()).add(start >> FIELD_SHIFT)
    return found


def positions(index: dict, key: str) -> dict[int, list[int]]:
    """doc → positions of a pair; an oversized pair ("!" + docs, field masks, counts) has its
    positions in blocks of BLOCK_DOCS documents under POSITIONS + pair + block."""
    raw = index.get(key)
    if raw is None:
        return {}
    split = raw.startswith(b"!")
    v = decode(raw.decode().lstrip("!"))
    n = v[0]
    docs, acc = [], 0
    for j in range(n):
        acc = v[1] if j == 0 else acc + v[1 + j]
        docs.append(acc)
    if split:
        counts = v[1 + 2 * n:1 + 3 * n]
        rest = []
        for block in sorted({d // BLOCK_DOCS for d in docs}):
            rest += decode(index[f"{POSITIONS}{key}{block}"].decode())
    else:
        counts, rest = v[1 + n:1 + 2 * n], v[1 + 2 * n:]
    out, k = {}, 0
    shift = FIELD_SHIFT + (2 if key.startswith("\x01") else 0)  # a skipping pair's: position × 4 + run
    for doc, count in zip(docs, counts):
        found, p = [], 0
        for m in range(count):  # the first as offset × 16 + field
            p = ((rest[k] & 15) << shift) + (rest[k] >> 4) if m == 0 else p + rest[k]
            k += 1
            found.append(p)
        out[doc] = found
    return out


def skeleton_lookup(index: dict, term: str) -> set[int]:
    """Documents holding the term's skeleton as a chain of plain pairs and pairs that
    skip okurigana (position × 4 + run length), written again independently."""
    chars = list(skeleton(term))
    plain = [positions(index, a + b) for a, b in zip(chars, chars[1:])]
    skips = [positions(index, "\x01" + a + b) for a, b in zip(chars, chars[1:])]
    found = set()
    for doc in set(plain[0]) | set(skips[0]):
        frontier = {p + 1 for p in plain[0].get(doc, [])} | {(v >> 2) + 1 + (v & 3) for v in skips[0].get(doc, [])}
        for k in range(1, len(plain)):
            steps = set(plain[k].get(doc, []))
            jumps = {}
            for v in skips[k].get(doc, []):
                jumps.setdefault(v >> 2, []).append(v & 3)
            frontier = {p + 1 for p in frontier if p in steps} | {p + 1 + g for p in frontier for g in jumps.get(p, [])}
        if frontier:
            found.add(doc)
    return found


SKELETON_QUERIES = ["申込", "申し込み", "手続き", "手続", "問い合わせ", "問合せ", "取り組み", "取組", "受け付け",
                    "書き方", "読み取り", "窓口での", "個人情報の取扱い", "繁忙期の前", "立ち上げ"]


@pytest.mark.parametrize("query", SKELETON_QUERIES)
def test_skeleton_chains_find_what_a_skeleton_scan_finds(split_corpus, query):
    index, docs, _ = split_corpus
    term = normalize(query)
    expected = {n for n, d in enumerate(docs)
                if any(matches(term, normalize(part)) for field in d.fields for part in field.split("\n"))}
    exact = {n for n, d in enumerate(docs) if any(term in normalize(p) for f in d.fields for p in f.split("\n"))}
    assert skeleton_lookup(index, term) | exact == expected


def test_skeleton_queries_reach_other_spellings(corpus):
    index, docs, _ = corpus
    gained = [q for q in SKELETON_QUERIES if skeleton_lookup(index, normalize(q)) - set(search(index, q))]
    assert len(gained) >= 3  # the index finds okurigana variants a substring scan misses


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


@pytest.fixture(scope="module")
def split_corpus(corpus):
    """The same documents indexed with a low threshold, so that many pairs are split as at 10,000
    cases, and phrase entries made from batches of 64 documents, so that runs are met in some
    batches and not others, as at 10,000 cases."""
    from generator.site.search_index import phrases
    _, docs, _ = corpus
    threshold, batch = postings.SPLIT_AT, phrases.BATCH
    postings.SPLIT_AT, phrases.BATCH = 300, 64
    try:
        index = build_index(docs)
    finally:
        postings.SPLIT_AT, phrases.BATCH = threshold, batch
    return index, docs, shard_files(index, docs)


@pytest.mark.parametrize("query", QUERIES)
def test_index_finds_exactly_what_a_substring_scan_finds(corpus, split_corpus, query):
    index, docs, _ = corpus
    assert search(index, query) == brute_force(docs, terms(query))
    assert search(split_corpus[0], query) == brute_force(docs, terms(query))


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


@pytest.mark.parametrize("which", ["default", "split"])
def test_shards_are_scripts_within_budget(corpus, split_corpus, which):
    _, docs, files = corpus if which == "default" else split_corpus
    meta = json.loads(files["meta.js"].decode()[len('DXS_LOAD("meta",'):-3])
    assert meta["docs"] == len(docs)
    blocks = [f for f in files if f.startswith("p/") and "-" in f]
    assert bool(blocks) == (which == "split")  # common pairs have their positions split into blocks
    for name in blocks:
        text = files[name].decode()
        for key in json.loads(text[text.index(",") + 1:-3]):
            assert key.startswith(POSITIONS) and f"p/{position_file(key)}.js" == name
    # the positions of a pair of more than one block also whole: one file calling DXS_LOAD for every block
    wholes = [f for f in files if f.startswith("p/") and "-" not in f]
    stems = [name.split("-")[0] for name in blocks]
    assert sorted(wholes) == sorted({stem + ".js" for stem in stems if stems.count(stem) > 1})
    for name in wholes:
        assert scripts(files[name]) == {k: v for f in blocks if f.startswith(name[:-3] + "-")
                                        for k, v in scripts(files[f]).items()}
    shards = [f for f in files if f.startswith("s/")]
    assert len(shards) == meta["shards"]
    for name in shards:
        text = files[name].decode()
        assert text.startswith(f'DXS_LOAD("s{name[2:-3]}",')
        for key in json.loads(text[text.index(",") + 1:-3]):
            if key == TRIGRAMS:
                continue
            # a pair met across okurigana ("\x01" + pair) lives in its plain pair's shard, a phrase
            # entry ("\x04" + run) in its first pair's
            home = key[1:3] if key.startswith("\x04") else key.lstrip("\x01")
            assert fnv1a(home) % meta["shards"] == int(name[2:-3])


def scripts(content: bytes) -> dict:
    """name → data of each DXS_LOAD call of an index file (one a line)."""
    out = {}
    for line in content.decode().splitlines():
        assert line.startswith('DXS_LOAD("') and line.endswith(");")
        name, data = line[len('DXS_LOAD("'):-2].split('",', 1)
        assert name not in out
        out[name] = json.loads(data)
    return out


def test_packed_index_holds_the_same_names_in_fewer_files(split_corpus):
    """The offline copy's index: every name the hosted index has, with the same data, in the
    file the browser asks for it (search-index.js), and far fewer files."""
    index, docs, hosted = split_corpus
    packed = shard_files(index, docs, packed=True)
    names = {path: scripts(content) for path, content in packed.items()}
    together = {name: data for held in names.values() for name, data in held.items()}
    expected = {name: data for path, content in hosted.items() if not path.startswith("p/") or "-" in path
                for name, data in scripts(content).items()}
    meta = together.pop("meta")
    assert meta.pop("packed") is True and meta.pop("recordGroup") == search_index.RECORD_GROUP
    hosted_meta = expected.pop("meta")
    assert hosted_meta.pop("packed") is False and hosted_meta.pop("recordGroup") == 1
    assert meta == hosted_meta and together == expected
    for path, held in names.items():
        folder, stem = path.split("/", 1)[0], path.rsplit("/", 1)[-1][:-3]
        for name in held:
            if folder == "b":
                assert name.startswith(f"b{stem}-")
            elif folder == "p":
                assert name.startswith(f"p{stem}-")
            elif folder == "r":
                assert name.startswith("d") and int(name[1:]) // search_index.RECORD_GROUP == int(stem)
            else:
                assert name == ("s" + stem if folder == "s" else stem)
    assert not any(path.startswith("d/") for path in packed)
    assert len([p for p in packed if p.startswith("r/")]) == -(-len(docs) // search_index.RECORD_GROUP)
    # a shard's big entries in one file
    with_big = {p.split("/")[1].split("-")[0] for p in hosted if p.startswith("b/")}
    assert sorted(p for p in packed if p.startswith("b/")) == sorted(f"b/{stem}.js" for stem in with_big)
    assert len(with_big) < len([p for p in hosted if p.startswith("b/")])
    pairs = {p.split("-")[0] for p in hosted if p.startswith("p/")}
    assert len([p for p in packed if p.startswith("p/")]) == len(pairs) > 0


def test_big_entries_have_files_of_their_own(corpus):
    """A shard names a big entry ("@" + file) instead of holding it, so asking whether a key
    exists loads small files only; the named file holds the entry unchanged, and meta.js
    lists it (its key, in file order per shard), so the browser asks for it beside its shard."""
    index, _, files = corpus
    meta = scripts(files["meta.js"])["meta"]
    moved = 0
    for name in [f for f in files if f.startswith("s/")]:
        text = files[name].decode()
        for key, value in json.loads(text[text.index(",") + 1:-3]).items():
            if key == TRIGRAMS:
                continue
            if value.startswith("@"):
                moved += 1
                content = files[f"b/{value[1:]}.js"].decode()
                assert content == f'DXS_LOAD("b{value[1:]}","{index[key].decode()}");\n'
                shard, k = value[1:].split("-")
                assert meta["big"][int(shard)][int(k)] == ("!" if index[key].startswith(b"!") else "") + key
                assert len(index[key]) > search_index.BIG_ENTRY
            else:
                assert value == index[key].decode() and len(value) <= search_index.BIG_ENTRY
    assert moved == len([f for f in files if f.startswith("b/")]) == sum(map(len, meta["big"])) > 0


def test_trigram_filters_know_every_trigram_of_the_corpus_and_few_others(corpus):
    """The splitter's filter of a shard never says no to a run of three characters the
    corpus holds (the browser would split a word it has), and rarely yes to one it lacks."""
    _, docs, files = corpus
    shards = [json.loads(files[f"s/{n}.js"].decode().split(",", 1)[1][:-3])
              for n in range(len([f for f in files if f.startswith("s/")]))]
    held = set()
    for doc in docs:
        for text in search_index.normalized_fields(doc):
            for word in text.replace("\n", " ").split(" "):
                held.update(word[i:i + 3] for i in range(len(word) - 2))
    shard_of_trigram = lambda tri: shards[fnv1a(tri[:2]) % len(shards)][TRIGRAMS]
    assert held and all(in_filter(tri, shard_of_trigram(tri)) for tri in held)
    chars = sorted({ch for tri in held for ch in tri})
    others = [a + b + c for a, b, c in zip(chars, chars[7:] + chars[:7], chars[3:] + chars[:3])]
    others = [tri for tri in others if tri not in held]
    wrong = sum(in_filter(tri, shard_of_trigram(tri)) for tri in others)
    assert len(others) > 100 and wrong / len(others) < 0.05


def test_fnv1a_matches_the_reference_values():
    # FNV-1a 32-bit over code points; for ASCII it is the published function
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968


@pytest.mark.parametrize("packed", [False, True])
def test_consuming_the_index_writes_the_same_files(split_corpus, packed):
    """The build lets shard_files empty its index as it goes (memory beside MkDocs): the files
    must be the same as from an index left whole, and the postings must really be gone."""
    index, docs, _ = split_corpus
    copy = dict(index)
    assert shard_files(copy, docs, packed=packed, consume=True) == shard_files(index, docs, packed=packed)
    assert set(copy) <= {search_index.TRIGRAMS} and len(index) > 1000


def pair_documents(index: dict, cache: dict, pair: str) -> set[int]:
    """The documents of a pair's entry (its head only: n, then n document deltas)."""
    if pair not in cache:
        raw = index[pair].decode().lstrip("!")
        numbers = decode(raw, 1 + decode(raw, 1)[0])
        docs, acc = set(), 0
        for delta in numbers[1:]:
            acc += delta
            docs.add(acc)
        cache[pair] = docs
    return cache[pair]


def _find_all(text: str, run: str):
    at = text.find(run)
    while at >= 0:
        yield at
        at = text.find(run, at + 1)


def parse_phrase(raw: bytes) -> tuple[int, list[int], str, str | None]:
    """(base pair's offset, documents of the base lacking the run, the characters that always
    follow it, the characters met after those or None when too many) of a phrase entry."""
    text, tilde, after = raw.decode().partition("~")
    text, _, ext = text.partition("=")
    base, listed = text.split(":")
    v = decode(listed)
    return int(base), [sum(v[1:1 + i + 1]) for i in range(v[0])], ext, after if tilde else None


def phrase_of(index: dict, run: str):
    """The entry a run is told by: its own, or its longest prefix's whose "=" characters it goes on with."""
    from generator.site.search_index.phrases import PHRASES
    for end in range(len(run), 2, -1):
        raw = index.get(PHRASES + run[:end])
        if raw is not None:
            return parse_phrase(raw) if parse_phrase(raw)[2].startswith(run[end:]) else None
    return None


def phrase_check(index: dict, docs: list[SearchDoc]) -> int:
    """Every phrase entry, decoded as the browser does (the documents with every pair of the
    run, less those it lists), gives exactly the documents whose text holds the run; the
    number of entries checked."""
    from generator.site.search_index.phrases import FOLLOWERS, LONGEST, MOST, PHRASE_MIN, PHRASES
    texts = ["\x00".join(search_index.normalized_fields(d)) for d in docs]
    cache: dict = {}
    checked = 0
    for key, raw in index.items():
        if not key.startswith(PHRASES):
            continue
        run = key[1:]
        assert 3 <= len(run) <= LONGEST
        base, lacking, ext, after = parse_phrase(raw)
        holding = {n for n, t in enumerate(texts) if run in t}
        for j in range(1, len(ext) + 1):  # every occurrence of the run goes on with these characters
            assert {n for n, t in enumerate(texts) if run + ext[:j] in t} == holding, (run, ext)
        tail = run + ext
        met = {t[at + len(tail)] for t in texts for at in _find_all(t, tail) if at + len(tail) < len(t)}
        met -= {"\x00", "\n", " "}
        if after is not None:  # every character met after the run (and its "=" characters), when few
            assert set(after) == met and len(after) == len(met) <= FOLLOWERS, run
        else:
            assert len(met) > FOLLOWERS, run
        assert len(lacking) <= MOST
        pairs = [run[i:i + 2] for i in range(len(run) - 1)]
        assert any(index[p].startswith(b"!") for p in pairs)  # else its positions are at hand
        candidates = set.intersection(*(pair_documents(index, cache, p) for p in pairs))
        assert len(candidates) >= PHRASE_MIN
        # told against its rarest pair: that pair's documents but those listed hold the run
        held = pair_documents(index, cache, pairs[base])
        assert len(held) == min(len(pair_documents(index, cache, p)) for p in pairs) and set(lacking) <= held
        assert held - set(lacking) == {n for n in held if run in texts[n]}, run
        assert not any(run in texts[n] for n in range(len(texts)) if n not in held)
        checked += 1
    return checked


def test_phrase_entries_tell_exactly_the_documents_holding_a_common_run(split_corpus):
    index, docs, _ = split_corpus
    assert phrase_check(index, docs) > 500


def test_common_runs_get_phrase_entries(split_corpus):
    """Each run of the first documents whose pairs are common, one oversized, with at least
    PHRASE_MIN candidates and at most MOST documents of its rarest pair lacking it, is told by an
    entry: its own or a shorter run's that it always goes on from."""
    from generator.site.search_index.phrases import LONGEST, MOST, PHRASE_MIN
    index, docs, _ = split_corpus
    texts = ["\x00".join(search_index.normalized_fields(d)) for d in docs]
    cache: dict = {}
    wanted = set()
    for text in texts[:3]:
        for n in range(3, LONGEST + 1):
            for at in range(len(text) - n + 1):
                run = text[at:at + n]
                pairs = [run[i:i + 2] for i in range(n - 1)]
                if run in wanted or any(p not in index for p in pairs) or \
                        not any(index[p].startswith(b"!") for p in pairs):
                    continue
                candidates = set.intersection(*(pair_documents(index, cache, p) for p in pairs))
                base = min((pair_documents(index, cache, p) for p in pairs), key=len)
                if len(candidates) >= PHRASE_MIN and sum(run not in texts[k] for k in base) <= MOST:
                    assert phrase_of(index, run) is not None, run
                    wanted.add(run)
    assert len(wanted) > 100


def test_a_hash_collision_drops_the_run_rather_than_mixing_two(split_corpus, monkeypatch):
    """With a hash that keeps only a window's last character, most runs collide: those that
    do are left without an entry (positions prove them), and every entry is still exact."""
    import numpy as np
    from generator.site.search_index import phrases
    _, docs, _ = split_corpus
    monkeypatch.setattr(postings, "SPLIT_AT", 300)
    monkeypatch.setattr(phrases, "BATCH", 64)
    full = sum(1 for k in build_index(docs) if k.startswith(phrases.PHRASES))
    monkeypatch.setattr(phrases, "_MUL", np.uint64(0))
    index = build_index(docs)
    assert 0 < phrase_check(index, docs) < full / 2


def test_meta_tells_how_synonyms_are_written_where_the_kept_form_differs(corpus):
    """The search page offers a lone term's synonyms as searches of their own, written as
    synonyms.yml has them: サーバー (its kept form drops ー), Web会議 (kept lower case)."""
    index, docs, _ = corpus
    files = shard_files(index, docs, synonyms=[["サーバー", "Web会議", "オンライン会議"]])
    meta = scripts(files["meta.js"])["meta"]
    assert meta["synonymsKept"] == [["サバ", "web会議", "オンライン会議"]]
    assert meta["synonymsWritten"] == {"さば": "サーバー", "web会議": "Web会議"}


def test_a_synonym_groups_file_holds_its_words_entries_as_their_shards_do(corpus):
    """y/<group>.js answers for the shards of its words' keys: every entry as in its shard (a big
    entry's "@" name too), 0 for a key in no shard, and every key the browser looks a word up by:
    its pairs plain and skipping, as typed and by skeleton, and its runs' phrase keys."""
    from generator.diagnostics import Reporter
    from generator.site.search_index.phrases import PHRASES
    from generator.synonyms import load_synonyms
    index, docs, _ = corpus
    groups = load_synonyms(REPO / "cases", Reporter("synonyms.yml"))
    files = shard_files(index, docs, synonyms=groups)
    shards = scripts(files["meta.js"])["meta"]["shards"]
    shard = {n: scripts(files[f"s/{n}.js"])[f"s{n}"] for n in range(shards)}
    present = absent = 0
    for x, group in enumerate(groups):
        entries = scripts(files[f"y/{x}.js"])[f"y{x}"]
        for key, value in entries.items():
            in_shard = shard[shard_of(key, shards)].get(key)
            assert value == (0 if in_shard is None else in_shard), (group, key)
            present, absent = present + (value != 0), absent + (value == 0)
        for word in group:
            folded, skel = normalize(word), skeleton(normalize_kept(word))
            for text in (folded, skel):
                for at in range(len(text) - 1):
                    assert {text[at:at + 2], SKIP + text[at:at + 2]} <= entries.keys(), (word, text)
                for at in range(len(text) - 2):
                    assert PHRASES + text[at:at + 3] in entries, (word, text)
    assert present and absent  # the corpus has some of the words' keys, and lacks others
