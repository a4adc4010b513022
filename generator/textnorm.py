"""Text normalisation for matching Japanese text, the same on both sides.

Index and query go through the same steps. The browser's twin is `normalise`
in theme/assets/dx/search.js; the recall tests in Chromium keep the two in
agreement.

1. NFKC (full-width letters and digits, half-width katakana)
2. lower case
3. katakana → hiragana (オクヤミ finds おくやみ)
4. the long vowel mark ー dropped (サーバー and サーバ meet)
5. small ヶ/ヵ (now ゖ/ゕ) folded to け/か (茅ヶ崎 and 茅ケ崎 meet)
6. runs of white space → one space
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_TABLE = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F5)}  # ァ..ヴ → ぁ..ゔ
_TABLE.update({0x30F5: 0x304B, 0x30F6: 0x3051, 0x3095: 0x304B, 0x3096: 0x3051,  # ヵ ゕ → か, ヶ ゖ → け
               0x30FC: None})  # ー dropped


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_TABLE)
    return _SPACES.sub(" ", text).strip()


def terms(query: str) -> list[str]:
    """A query's terms: split on white space (half- and full-width), normalised, non-empty."""
    return [t for t in normalize(query).split(" ") if t]
