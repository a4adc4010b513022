"""One file per synonym group, y/<group>.js: the shard entries of every key its words are
looked up by.

A query that hits a group (おくやみ brings お悔やみ and 死亡手続) looks each of the group's
words up as typed and by its kanji skeleton: their pairs, the pairs that meet across okurigana,
and the phrase entries of their runs. Those keys hash to as many shards as there are keys, so
a group of five words cost a query twenty-odd shard files, each a request the browser makes
before it can score. The group's file holds the same entries (a big entry's "@" name, as its
shard does) and 0 for each key not in the index, so that the browser can answer any of these
keys from it, present or not, without the shard (search-index.js, atHand). A key the browser
asks that is not in the file is looked up in its shard as before: the file only saves
requests, it never decides a result."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ...textnorm import normalize, normalize_kept, skeleton
from .encoding import SKIP
from .phrases import LONGEST, PHRASES


def word_keys(word: str, kept: str) -> set[str]:
    """The keys the browser may look a group word up by (search-match.js occurrences, as typed
    and by skeleton; search-query.js termKeys): its character when it has one, each pair plain
    and skipping, and the phrase key of every run of 3..LONGEST characters and of every longer
    prefix (a prefix scan asks them, and finds none), of the word and of its skeleton."""
    keys = {word} if len(word) == 1 else set()
    for text in {word, skeleton(kept)}:
        for at in range(len(text) - 1):
            keys.update((text[at:at + 2], SKIP + text[at:at + 2]))
        for length in range(3, len(text) + 1):
            for at in range(len(text) - length + 1 if length <= LONGEST else 1):
                keys.add(PHRASES + text[at:at + length])
    return keys


def synonym_files(grouped: list[dict[str, str]], shard_of, synonyms: list[list[str]]) -> Iterator[tuple[str, bytes]]:
    """(path, content) of each group's file, from the shards' entries (`grouped`, as written)."""
    for number, group in enumerate(synonyms):
        keys = set().union(*(word_keys(normalize(w), normalize_kept(w)) for w in group))
        entries = {key: grouped[shard_of(key)].get(key, 0) for key in sorted(keys)}
        payload = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
        yield f"y/{number}.js", f'DXS_LOAD("y{number}",{payload});\n'.encode("utf-8")
