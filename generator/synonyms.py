"""Search synonyms (同義語), kept in cases/synonyms.yml.

People search for おくやみ, お悔やみ or 死亡手続 and mean the same service; a
group of such words lets a query for one find the others. Contributors
extend the groups by pull request like the area vocabulary, so the file is
read with the same YAML reader and its mistakes are diagnostics with line
numbers. The file is optional: without it search has no synonyms.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from . import yamltree
from .diagnostics import Reporter
from .textnorm import normalize

FILE_NAME = "synonyms.yml"
FORMAT_HINT = "「- [おくやみ, お悔やみ, 死亡手続]」のように、同じ意味の語を 1 行に 1 グループずつ書いてください"


def load_synonyms(root: Path, report: Reporter) -> list[list[str]]:
    """The groups as written (NFKC), each of two or more words; problems go to `report`."""
    path = root / FILE_NAME
    if not path.is_file():
        return []
    read, root_node = yamltree.parse_data_file(path, report)
    if not read or root_node is None:
        return []
    if not isinstance(root_node, yamltree.Seq):
        report.at(root_node, "synonyms-format", f"{FILE_NAME} はグループのリストで書いてください", hint=FORMAT_HINT)
        return []
    groups: list[list[str]] = []
    owner: dict[str, tuple[str, int]] = {}  # normalised word → (word, line of its group)
    for item in root_node.items:
        if isinstance(item, yamltree.Scalar) and item.alias:
            continue  # reported by the YAML reader
        if not isinstance(item, yamltree.Seq):
            report.at(item, "synonyms-format", "同義語のグループは語のリスト（[語, 語, …]）で書いてください",
                      hint=FORMAT_HINT)
            continue
        words: list[str] = []
        for node in item.items:
            if not isinstance(node, yamltree.Scalar) or node.alias:
                report.at(node if node is not None else item, "synonyms-format",
                          "同義語のグループの中には語だけを書けます", hint=FORMAT_HINT)
                continue
            word = normalize_word(node.value)
            key = normalize(word)
            if not key:
                report.at(node, "synonyms-empty-word", "空の語は書けません", hint="空の語を消してください")
                continue
            if any(ch.isspace() for ch in word):
                report.at(node, "synonyms-space", f"語「{word}」に空白があります",
                          hint="検索は空白で語を区切るので、空白を含まない語にしてください")
                continue
            if key in owner:
                first, line = owner[key]
                where = "同じグループ" if line == item.line else f"{line} 行目のグループ"
                report.at(node, "synonyms-duplicate", f"語「{word}」は{where}の「{first}」と同じ語です",
                          hint="1 つの語は 1 つのグループにだけ書いてください。意味が同じなら、グループをまとめてください")
                continue
            owner[key] = (word, item.line)
            words.append(word)
        if not item.items:
            report.at(item, "synonyms-empty-group", "空のグループがあります", hint="同じ意味の語を 2 つ以上書くか、行を消してください")
        elif len(words) == 1 and len(item.items) == 1:
            report.at(item, "synonyms-single", f"グループに語が「{words[0]}」の 1 つしかありません",
                      hint="同じ意味の語を 2 つ以上書くか、行を消してください")
        if len(words) >= 2:
            groups.append(words)
    return groups


def normalize_word(value: str) -> str:
    """As written, in NFKC: the form shown back in messages."""
    return unicodedata.normalize("NFKC", value).strip()
