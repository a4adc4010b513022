"""The browser's scorer (search() in theme/assets/dx/search-score.js) in Python, for the tests.

The browser ranks from the index it loads; this twin ranks from the documents'
text, so the two agreeing shows that the index, the matching (as typed, by
kanji skeleton, by synonyms) and the scoring (field weights, BM25, tiers) all
do what they say. It reads what the browser reads of a built site: the
records (d/), the meta (weights, field shift) and, for the one shortcut the
browser takes (a two-character term whose pair is oversized is counted from
its field masks and total, not its positions, and so is a run with a phrase entry), which
pairs are oversized and which runs have phrase entries.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from generator.textnorm import fold_kana, has_kanji, normalize_kept, okurigana_runs, skeleton

K1, SKELETON_FACTOR, SYNONYM_FACTOR = 8, 0.9, 0.5


def _payload(path: Path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


class Twin:
    def __init__(self, site: Path, scan):
        search = site / "search"
        self.meta = _payload(search / "meta.js")
        self.scan = scan  # the splitter (test_browser_search.Scan)
        self.fields = []  # per document: [(folded, kept)] per field
        for n in range(self.meta["docs"]):
            record = _payload(search / f"d/{n}.js")
            kept = ["\n".join(normalize_kept(part) for part in field.split("\n")) for field in record["f"]]
            self.fields.append([(fold_kana(k), k) for k in kept])
        self.split_pairs = set()
        self.phrases = {}  # run → (its base pair's offset, the characters that always follow it)
        for path in (search / "s").glob("*.js"):
            for key, value in _payload(path).items():
                if key.startswith("\x04"):  # base:lacking[=characters that always follow][~characters after]
                    value = _payload(search / f"b/{value[1:]}.js") if value.startswith("@") else value
                    head = value.split("~")[0]
                    self.phrases[key[1:]] = (int(head.split(":")[0]), head.partition("=")[2])
                    continue
                if value.startswith("@"):
                    value = _payload(search / f"b/{value[1:]}.js")
                if value.startswith("!"):
                    self.split_pairs.add(key)

    # -- where a form occurs: {doc: (type, entry)} as occurrences() gives ----------------
    def occurrences(self, term: str, skeleton_mode: bool, kept: str | None):
        chars = skeleton(kept or term) if skeleton_mode else term
        shift = self.meta["shift"]
        found = {}
        if len(chars) == 1:
            for doc, fields in enumerate(self.fields):
                mask = sum(1 << f for f, (text, _) in enumerate(fields) if chars in text.replace("\n", ""))
                if mask:
                    found[doc] = ("mask", mask)
            return found
        if len(chars) == 2 and not skeleton_mode and chars in self.split_pairs:
            for doc, fields in enumerate(self.fields):
                counts = [self._plain(text, chars) for text, _ in fields]
                if any(counts):
                    found[doc] = ("fields", (sum(1 << f for f, c in enumerate(counts) if c), sum(map(len, counts))))
            return found
        if not skeleton_mode and self._phrase_base(chars) is not None:  # no positions, counted as its base
            for doc, fields in enumerate(self.fields):
                if any(chars in text for text, _ in fields):
                    found[doc] = self._phrase_fields(chars, fields)
            return found
        new_only = skeleton_mode and chars == term
        pairs = [chars[k:k + 2] for k in range(len(chars) - 1)]
        # a chain that needs an oversized pair's positions: the documents the form as typed is in
        # are told from what is at hand (the fields where every pair is), the others chained
        oversized = skeleton_mode and any(p in self.split_pairs or "\x01" + p in self.split_pairs for p in pairs)
        typed = self.occurrences(term, False, None) if oversized else {}
        two = skeleton_mode and len(chars) == 2 and chars in self.split_pairs  # counted as the pair is
        by_phrase = skeleton_mode and len(chars) > 2 and not new_only and self._phrase_base(chars) is not None
        for doc, fields in enumerate(self.fields):
            if doc in typed:
                skipping = [any(self._skips(text, kept, p) for text, kept in fields) for p in pairs]
                mask = self._chain_fields(pairs, fields)
                if mask and (not new_only or any(skipping)):
                    found[doc] = ("fields", (mask, bin(mask).count("1")))
                continue
            if two:
                counts = [len(self._plain(text, chars)) + len(self._skips(text, kept_text, chars))
                          for text, kept_text in fields]
                if any(counts) and (not new_only or any(self._skips(t, k, chars) for t, k in fields)):
                    found[doc] = ("fields", (sum(1 << f for f, c in enumerate(counts) if c), sum(counts)))
                continue
            if by_phrase and any(chars in text for text, _ in fields):  # told by the entry
                kind, entry = self._phrase_fields(chars, fields)
                found[doc] = (kind, entry) if kind == "fields" else \
                    ("fields", (sum(1 << f for f in {s >> shift for s in entry}), len(entry)))
                continue
            plain, skips = {}, {}
            for f, (text, kept_text) in enumerate(fields):
                base = f << shift
                for k in range(len(chars) - 1):
                    plain.setdefault(k, set()).update(base + p for p in self._plain(text, chars[k:k + 2]))
                if skeleton_mode:
                    for start, end in okurigana_runs(kept_text):
                        if end < len(text) and text[end] not in " \n":
                            for k in range(len(chars) - 1):
                                if text[start - 1] + text[end] == chars[k:k + 2]:
                                    skips.setdefault(k, {}).setdefault(base + start - 1, []).append(end - start)
            if new_only and not skips:
                continue
            starts = self._chain(plain, skips, len(chars) - 1)
            if starts and oversized:
                found[doc] = ("fields", (sum(1 << f for f in {s >> shift for s in starts}), len(starts)))
            elif starts:
                found[doc] = ("starts", starts)
        return found

    def _chain_fields(self, pairs: list[str], fields) -> int:
        """The fields where every pair is, plain or met across okurigana."""
        mask = -1
        for pair in pairs:
            mask &= sum(1 << f for f, (text, kept) in enumerate(fields)
                        if self._plain(text, pair) or self._skips(text, kept, pair))
        return mask

    def _phrase_base(self, chars: str) -> int | None:
        """The base pair of the entry a run is told by: its own, or its longest prefix's that it
        goes on from with the characters that always follow that prefix."""
        for end in range(len(chars), 2, -1):
            if chars[:end] in self.phrases:
                base, ext = self.phrases[chars[:end]]
                return base if ext.startswith(chars[end:]) else None
        return None

    def _phrase_fields(self, chars: str, fields) -> tuple:
        """Where the run stands as its pairs with positions in their entries tell, in a row; with
        none, (the fields its base pair is in, how often that occurs)."""
        inline = [k for k in range(len(chars) - 1) if chars[k:k + 2] not in self.split_pairs]
        if inline:  # where the pairs whose positions are in their entries stand in a row
            shift = self.meta["shift"]
            at = [{(f << shift) + p for f, (text, _) in enumerate(fields) for p in self._plain(text, chars[k:k + 2])}
                  for k in inline]
            return "starts", sorted(s - inline[0] for s in at[0] if all(s - inline[0] + k in found
                                                                         for k, found in zip(inline, at)))
        base = self._phrase_base(chars)
        pair = chars[base:base + 2]
        counts = [len(self._plain(text, pair)) for text, _ in fields]
        return "fields", (sum(1 << f for f, c in enumerate(counts) if c), sum(counts))

    @staticmethod
    def _skips(text: str, kept_text: str, pair: str) -> list[int]:
        """Where the pair meets across okurigana (the skipping pairs of the index)."""
        return [start - 1 for start, end in okurigana_runs(kept_text)
                if end < len(text) and text[end] not in " \n" and text[start - 1] + text[end] == pair]

    @staticmethod
    def _plain(text: str, pair: str) -> list[int]:
        return [p for p in range(len(text) - 1) if text[p:p + 2] == pair]

    @staticmethod
    def _chain(plain, skips, n):
        frontier = None
        for k in range(n):
            p, s = plain.get(k, set()), skips.get(k, {})
            if frontier is None:
                frontier = [(at, at + 1) for at in sorted(p)] + [(at, at + 1 + g) for at, gaps in s.items() for g in gaps]
            else:
                nxt = []
                for start, at in frontier:
                    if at in p:
                        nxt.append((start, at + 1))
                    nxt += [(start, at + 1 + g) for g in s.get(at, [])]
                frontier = nxt
            if not frontier:
                return []
        return sorted({start for start, _ in frontier})

    # -- scoring --------------------------------------------------------------------------
    def field_tf(self, kind, entry):
        weights, shift = self.meta["weights"], self.meta["shift"]
        tf = [0] * len(weights)
        if kind == "starts":
            for start in entry:
                tf[start >> shift] += 1
            return tf
        mask = entry[0] if kind == "fields" else entry
        last, seen = -1, 0
        for f in range(len(tf)):
            if mask & (1 << f):
                tf[f], last, seen = 1, f, seen + 1
        if kind == "fields" and last >= 0:
            tf[last] += max(0, entry[1] - seen)
        return tf

    def weighted(self, tf):
        x = 0
        for f, n in enumerate(tf):
            if n:
                x += self.meta["weights"][f] * min(n, 5)
        return x

    def term_matches(self, term):
        kept = term.kept
        usable = lambda form, k: has_kanji(form) and len(skeleton(k or form)) > 1
        asks = [(term.text, False, 1, None)]
        if usable(term.text, kept[0]):
            asks.append((term.text, True, SKELETON_FACTOR, kept[0]))
        for i, alt in enumerate(term.alternatives):
            asks.append((alt, False, SYNONYM_FACTOR, None))
            if usable(alt, kept[i + 1]):
                asks.append((alt, True, SYNONYM_FACTOR * SKELETON_FACTOR, kept[i + 1]))
        by_doc = {}
        for i, (form, mode, factor, k) in enumerate(asks):
            for doc, (kind, entry) in self.occurrences(form, mode, k).items():
                x = self.weighted(self.field_tf(kind, entry)) * factor
                had = by_doc.setdefault(doc, {"x": 0, "exact": False})
                if i == 0:
                    had["exact"] = True
                if x > had["x"]:
                    had["x"] = x
        return by_doc

    def search(self, query: str) -> dict:
        """{terms, results: [{doc, score, tier, matched}], complete} as the browser's search()."""
        terms = self.scan.split(query)
        maps = [self.term_matches(t) for t in terms]
        chunks = [fold_kana(c) for c in normalize_kept(query).split(" ") if c]
        typed = []
        for chunk in chunks:
            whole = next((m for t, m in zip(terms, maps) if t.whole and t.text == chunk), None)
            if whole is not None:
                typed.append({doc for doc, hit in whole.items() if hit["exact"]})
            else:
                typed.append({doc for doc, fields in enumerate(self.fields)
                              if any(chunk in text for text, _ in fields)})
        n = self.meta["docs"]
        scores = {}
        for term, by_doc in zip(terms, maps):
            df = len(by_doc)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for doc, hit in by_doc.items():
                r = scores.setdefault(doc, {"doc": doc, "score": 0, "matched": 0})
                r["score"] += idf * hit["x"] * (K1 + 1) / (hit["x"] + K1)
                if not term.optional:
                    r["matched"] += 1
        required = sum(1 for t in terms if not t.optional)
        most = max((r["matched"] for r in scores.values()), default=0)
        half = math.ceil(required / 2)
        need = half if most == required else min(most, half)
        results, complete = [], 0
        for r in scores.values():
            if r["matched"] == required:
                r["tier"] = 2 if all(r["doc"] in docs for docs in typed) else 1
                complete += 1
            elif r["matched"] >= max(1, need):
                r["tier"] = 0
            else:
                continue
            results.append(r)
        results.sort(key=lambda r: (-r["tier"], -r["matched"], -r["score"], r["doc"]))
        return {"terms": [t.text for t in terms], "results": results, "complete": complete}
