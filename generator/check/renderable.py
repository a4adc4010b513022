"""What Python-Markdown can render in bounded time: the limits a body must keep.

Python-Markdown, which renders the site, has inputs whose cost grows with the
square (or worse) of their size, and one that exhausts Python's stack:

- nesting: each list or quote level is a recursion, so `- - - … x` (some
  hundreds of markers, or of 4-space indents) raises RecursionError;
- brackets: for each `[` the link reader scans ahead to its `]` (to the end
  of the paragraph when there is none), and after `](` to the `)`; 15,000
  `[^` took over a minute;
- long blocks: a run of lines with no blank line is searched again after each
  heading or rule it holds, and each inline element copies the rest of it;
- length: even in linear parts it is slow (1 MiB of `*a*` or table cells
  takes 20 s), so the body has a length limit far above any real case.

Measured on this renderer (tests/bench.py shows the worst cases). `check`
reports each as an error with the line and how to write it instead, and the
renderer refuses a body over these limits before Markdown sees it, so a
record that bypassed `check` still cannot stall a build.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .markdown_scan import BRACKETS, PARENS, escaped, is_blank, matching, read

MAX_BODY_CHARS = 50_000      # over ten times the longest real case; dense markup renders at ~20 µs a character
MAX_NESTING = 10             # list and quote levels, and 4-space indents, at the start of a line
MAX_BLOCK_LINES = 300        # lines with no blank line between them
MAX_BRACKET_SCAN = 500_000   # characters the link reader scans from `[` and `](`, in the whole body

CONTAINER = re.compile(r"[ \t]*(?:>|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t]|$))")
RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # `- - -` is a rule, not three list items
OPEN = re.compile(r"\[")
LINK_PAREN = re.compile(r"\]\(")


@dataclass
class Problem:
    rule: str
    line: int      # 0-based line of the body
    column: int    # 1-based
    message: str
    hint: str


def _depth(line: str) -> int:
    """List and quote markers at the start of the line, plus its indent in 4-column steps."""
    if RULE.match(line):
        return 0
    width = len(line) - len(line.lstrip(" \t"))
    depth, at = len(line[:width].expandtabs(4)) // 4, 0
    while True:
        marker = CONTAINER.match(line, at)
        if not marker:
            return depth
        depth, at = depth + 1, marker.end()


def _nesting(lines: list[str], code: set[int]) -> list[Problem]:
    for number, line in enumerate(lines):
        if number in code or not line.strip() or not line[:1].isspace() and line[:1] not in ">*+-0123456789":
            continue
        depth = _depth(line)
        if depth > MAX_NESTING:
            return [Problem("body-nesting", number, 1,
                            f"本文の箇条書きや引用（>）の入れ子が深すぎます（{depth} 段）。{MAX_NESTING} 段までです",
                            "入れ子を浅くするか、行頭の空白（字下げ）を減らしてください")]
    return []


def _blocks(lines: list[str], code: set[int]) -> list[Problem]:
    """Runs of lines with no blank line (code blocks apart) over the limit."""
    problems, start = [], None
    for number, line in enumerate(lines + [""]):
        if number in code or number == len(lines) or is_blank(number, line):
            if start is not None and number - start > MAX_BLOCK_LINES:
                problems.append(Problem(
                    "body-block-lines", start, 1,
                    f"本文の、空行を挟まずに続く行が多すぎます（{number - start:,} 行）。{MAX_BLOCK_LINES} 行までです",
                    f"段落、見出し、表の間に空行を入れて分けてください（大きな表は {MAX_BLOCK_LINES} 行ごとに分けます）"))
            start = None
        elif start is None:
            start = number
    return problems


def _brackets(text: str) -> list[Problem]:
    """The characters the link reader scans, estimated from above: from each `[` to its
    `]`, from each `](` to its `)`, or to the end of the paragraph when unmatched."""
    if "[" not in text:
        return []
    ends = [m.start() for m in re.finditer(r"\n\n", text)] + [len(text)]
    squares, parens = matching(text, BRACKETS), matching(text, PARENS)
    scanned: dict[int, int] = {}    # paragraph (its index in ends) → characters scanned
    unmatched: dict[int, list[int]] = {}
    for pattern, pairs, shift in ((OPEN, squares, 0), (LINK_PAREN, parens, 1)):
        for match in pattern.finditer(text):
            at = match.start() + shift
            if not shift and escaped(text, at):
                continue
            paragraph = bisect_left(ends, at)
            close = pairs.get(at)
            if close is None:
                close = ends[paragraph]
                if not shift:
                    unmatched.setdefault(paragraph, []).append(at)
            scanned[paragraph] = scanned.get(paragraph, 0) + close - at
    if sum(scanned.values()) <= MAX_BRACKET_SCAN:
        return []
    worst = max(scanned, key=scanned.get)
    opens = unmatched.get(worst, [])
    at = opens[0] if opens else (ends[worst - 1] + 2 if worst else 0)
    line = text.count("\n", 0, at)
    why = (f"この段落に、対応する「]」のない「[」が {len(opens):,} 個あります" if opens
           else "入れ子の角かっこや、「)」で閉じていない「](」があります")
    return [Problem("body-brackets", line, at - text.rfind("\n", 0, at),
                    f"本文の角かっこ「[」が多すぎて、ページへの変換に時間がかかりすぎます（{why}）",
                    "リンクでない角かっこは「\\[」のように前に「\\」を付けるか、全角の「［」「］」で書いてください。"
                    "長い段落は空行で分けてください")]


def problems(body: str) -> list[Problem]:
    """Every limit the body goes over, in body order; [] when it renders in bounded time."""
    if len(body) > MAX_BODY_CHARS:
        return [Problem("body-too-long", 0, 1, f"本文が長すぎます（{len(body):,} 文字）。{MAX_BODY_CHARS:,} 文字までです",
                        "詳しい資料は PDF などにして事例のフォルダに置き、本文からリンクしてください")]
    scan = read(body)
    found = _nesting(scan.lines, scan.code) + _blocks(scan.lines, scan.code) + _brackets(scan.text)
    return sorted(found, key=lambda p: (p.line, p.column))


def check_renderable(body: str, first_line: int, report) -> bool:
    """Report the limits the body goes over; True when it is over the length limit,
    and so is not worth reading further."""
    found = problems(body)
    for problem in found:
        report.error(problem.rule, problem.message, first_line + problem.line, problem.column, problem.hint)
    return any(p.rule == "body-too-long" for p in found)
