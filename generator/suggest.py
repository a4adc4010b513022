"""Did-you-mean hints for keys, vocabulary words, names and case IDs."""

from __future__ import annotations

import difflib


def suggest(word: str, candidates, cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


def did_you_mean(word: str, candidates, cutoff: float = 0.6) -> str | None:
    best = suggest(word, candidates, cutoff)
    return f"「{best}」のことですか？" if best else None
