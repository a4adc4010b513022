"""Case bodies that are slow or impossible for Python-Markdown to render, and the
costliest bodies that stay within the limits `check` enforces (check/renderable.py).

Shared by tests/test_hostile_content.py (each refused or rendered) and
tests/bench.py (render times). Before the limits, `[^` × 15,000 took over a
minute to render and `- ` × 600 raised RecursionError.
"""

from __future__ import annotations

from generator.check.renderable import MAX_BLOCK_LINES, MAX_BODY_CHARS

# name → body; each goes over a limit (the rule that refuses it is in REFUSED_BY)
OVER_LIMITS = {
    "[^ × 15,000": "[^" * 15_000,
    "[ × 15,000": "[" * 15_000,
    "![ × 15,000": "![" * 15_000,
    "[a][ × 10,000": "[a][" * 10_000,
    "[]( × 5,000": "[](" * 5_000,
    "[ × 800 then ] × 800": "[" * 800 + "]" * 800,
    "- × 600 then x": "- " * 600 + "x",
    "1. × 600 then x": "1. " * 600 + "x",
    "> - × 300 then x": "> - " * 300 + "x",
    "list indented 100 levels": "\n".join("    " * i + "- x" for i in range(100)),
    "# heading × 20,000 lines": "# x\n" * 20_000,
    "*** rule × 12,000 lines": "***\n" * 12_000,
    "setext heading × 10,000": "x\n===\n" * 8_000,
    "hard line break × 12,000": "a  \n" * 12_000,
    "table of 1,000 rows": "|a|b|\n|-|-|\n" + "|x|y|\n" * 1_000,
    "*a* × 60,000": "*a* " * 60_000,
}
REFUSED_BY = {
    "[^ × 15,000": "body-brackets", "[ × 15,000": "body-brackets", "![ × 15,000": "body-brackets",
    "[a][ × 10,000": "body-brackets", "[]( × 5,000": "body-brackets", "[ × 800 then ] × 800": "body-brackets",
    "- × 600 then x": "body-nesting", "1. × 600 then x": "body-nesting", "> - × 300 then x": "body-nesting",
    "list indented 100 levels": "body-nesting", "# heading × 20,000 lines": "body-too-long",
    "*** rule × 12,000 lines": "body-block-lines", "setext heading × 10,000": "body-block-lines",
    "hard line break × 12,000": "body-block-lines", "table of 1,000 rows": "body-block-lines",
    "*a* × 60,000": "body-too-long",
}


def _filled(block: str, separator: str = "\n\n") -> str:
    """``block`` repeated with blank lines between, up to the body length limit."""
    count = max(1, (MAX_BODY_CHARS - 10) // len(block + separator))
    return separator.join([block] * count)


# name → body; each within every limit, built to cost the most of its kind
WITHIN_LIMITS = {
    "rules, blocks of 300 lines": _filled("***\n" * MAX_BLOCK_LINES),
    "setext headings, 300 lines": _filled("x\n===\n" * (MAX_BLOCK_LINES // 2)),
    "table, 300 rows × 10": _filled("|" + "a|" * 10 + "\n|" + "-|" * 10 + "\n"
                                    + ("|" + "x|" * 10 + "\n") * (MAX_BLOCK_LINES - 2)),
    "*a*, one paragraph": _filled("*a* " * 12_000),
    "list items, 300 lines": _filled("- x\n" * MAX_BLOCK_LINES),
    "lists nested 10 levels": _filled("\n".join("    " * (i % 10) + "- x" for i in range(MAX_BLOCK_LINES))),
    "10 unclosed [ per paragraph": _filled("[" * 10 + "あ" * 4_800),
    "mixed inline markup": _filled("**a** _b_ `c` [d](https://example.jp) " * 1_200),
}

NORMAL = ("## 背景・課題\n\n遺族は複数の課を回っていました。\n\n## 取組内容\n\n"
          + "窓口を 1 か所にしました。詳しくは [報道発表](https://www.city.example.lg.jp/press/okuyami.html) を見てください。\n\n"
          + "- 案内を **1 枚** にまとめた\n- 予約を受け付けた\n\n| 項目 | 導入前 | 導入後 |\n|---|---|---|\n| 待ち時間 | 約2時間 | 約40分 |\n") * 4
