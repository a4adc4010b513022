"""The controlled vocabulary of areas (分野), kept in cases/areas.yml.

Contributors extend it by pull request, so it is read with the same careful
YAML reader as the cases and its mistakes are diagnostics too.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from . import yamltree
from .diagnostics import Reporter

FILE_NAME = "areas.yml"


def load_areas(root: Path, report: Reporter) -> list[str]:
    path = root / FILE_NAME
    if not path.is_file():
        report.error("vocabulary-missing", f"分野の一覧 {FILE_NAME} が事例フォルダ {root} にありません",
                     hint=f"{FILE_NAME} を事例フォルダの直下に置いてください")
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        report.error("encoding", f"{FILE_NAME} を UTF-8 として読めません",
                     hint="UTF-8 で保存し直してください")
        return []
    text = text.replace("\r\n", "\n")

    def on_problem(rule, message, line, column, hint):
        report.error(rule, message, line, column, hint)

    try:
        root_node = yamltree.parse(text, on_problem)
    except yamltree.YamlProblem as problem:
        report.error(problem.rule, problem.message, problem.line, problem.column, problem.hint)
        return []
    if not isinstance(root_node, yamltree.Seq):
        report.error("vocabulary-format", f"{FILE_NAME} は「- 分野名」の行を並べたリストで書いてください")
        return []
    areas: list[str] = []
    for item in root_node.items:
        if not isinstance(item, yamltree.Scalar) or not item.value.strip():
            report.at(item, "vocabulary-format", "分野名は 1 行に 1 つ、「- 分野名」の形で書いてください")
            continue
        word = unicodedata.normalize("NFKC", item.value).strip()
        if word in areas:
            report.at(item, "vocabulary-format", f"分野「{word}」が 2 回書かれています")
            continue
        areas.append(word)
    return areas
