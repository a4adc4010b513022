"""`fix_text`: every fix applied to the text of one case file, in an order that keeps
each one's positions true.

Value fixes come first, then the front matter is parsed again (positions in the
lines are unchanged; values are the fixed ones) for the fixes that read values:
file paths, then the timeline order, which moves lines. Trailing spaces go last.
"""

from __future__ import annotations

from .. import yamltree
from .paths import fix_body_paths, fix_file_values
from .spans import Change
from .timeline import sort_timeline
from .values import fix_values


def fix_text(text: str, case_id: str | None = None,
             attached: set[str] | frozenset = frozenset()) -> tuple[str, list[Change], str | None]:
    """(fixed text, changes, note) for the text of one case file with LF line ends.

    ``case_id`` and ``attached`` (the names in the case's folder) let the older bare
    file paths (`flow.png`) be rewritten relative to the Markdown file (`<id>/flow.png`),
    only where that names a file that is there.
    """
    lines = text.split("\n")
    changes: list[Change] = []
    close = _front_matter_end(lines)
    if close is None:
        return text, [], "フロントマター（「---」で囲んだ部分）が見つからないため、直していません"
    note = None
    front = _parse(lines, close)
    if front is None:
        note = "フロントマターを YAML として読めないため、行末の空白だけを直しました（check の指摘を見てください）"
    else:
        fix_values(lines, front, changes)
        front = _parse(lines, close)  # positions in lines are unchanged; values are the fixed ones
        if front is not None and case_id:
            fix_file_values(lines, front, case_id, attached, changes)
            front = _parse(lines, close)
        if front is not None:
            sort_timeline(lines, front, close, changes)
    if case_id:
        fix_body_paths(lines, close, case_id, attached, changes)
    strip_trailing_spaces(lines, close, changes)
    changes.sort(key=lambda c: c.line)
    return "\n".join(lines), changes, note


def _front_matter_end(lines: list[str]) -> int | None:
    """Index of the closing `---` line, as the loader finds it."""
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return None


def _parse(lines: list[str], close: int) -> yamltree.Map | None:
    try:
        root = yamltree.parse("\n".join(lines[1:close]), lambda *problem: None, first_line=2)
    except yamltree.YamlProblem:
        return None
    return root if isinstance(root, yamltree.Map) else None


def strip_trailing_spaces(lines: list[str], close: int, changes: list[Change]) -> None:
    """Front matter: every line. Body: all but a Markdown hard line break (two or more
    spaces before a next line of the same paragraph), and a first line of only spaces,
    which Python-Markdown does not take as blank."""
    stripped = []
    for index, line in enumerate(lines):
        bare = line.rstrip(" \t")
        if bare == line:
            continue
        if index > close:
            if index == close + 1 and not bare:
                continue
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if bare and line.endswith("  ") and following.strip():
                continue
        lines[index] = bare
        stripped.append(index + 1)
    if stripped:
        shown = "、".join(map(str, stripped[:5])) + (" ほか" if len(stripped) > 5 else "")
        changes.append(Change(stripped[0], f"行末の空白を消しました（{len(stripped)} 行: {shown} 行目）"))
